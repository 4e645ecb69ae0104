import { Document, isMap, parse as parseYaml } from 'yaml';
import { NAMED_CELL_KINDS, isNamed, newCellId, type Cell, type NamedCellKind, type Notebook } from './notebook.ts';
import { cellNameProblem, quotedName } from '../util/names.ts';

/** The text format version this build writes and the newest it reads. */
export const FORMAT_VERSION = 1;

const CELL_KINDS: ReadonlySet<string> = new Set<string>(NAMED_CELL_KINDS);

/** A notebook file that cannot be read, with the 1-based line at fault. */
export class NotebookFormatError extends Error {
  override readonly name = 'NotebookFormatError';
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
  }
}

/** A cell of a notebook file that was read but is damaged: a name the rule refuses, a fence never closed. */
export interface NotebookProblem {
  /** 1-based line of the cell's opening fence. */
  readonly line: number;
  readonly cellId: string;
  readonly message: string;
}

/**
 * Read a notebook from its Markdown text: front matter, prose, and one fenced block per cell whose info
 * string is `<kind> <name>`. Fences of other languages stay part of the prose. Throws NotebookFormatError
 * at the first damaged cell; `readNotebook` opens such a file instead.
 */
export function parseNotebook(text: string): Notebook {
  const { notebook, problems } = readNotebook(text);
  const first = problems[0];
  if (first) throw new NotebookFormatError(first.message, first.line);
  return notebook;
}

/**
 * Read a notebook, keeping damaged cells rather than refusing the file: a cell whose name breaks the rule
 * keeps that name (the engine marks the cell until it is renamed), a cell never closed runs to the end of the
 * file. Each is listed in `problems`. Only front matter that cannot be read refuses the whole file.
 */
export function readNotebook(text: string): { notebook: Notebook; problems: NotebookProblem[] } {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const { fields, bodyStart } = readFrontMatter(lines);
  const version = fields.aisle ?? FORMAT_VERSION;
  if (typeof version !== 'number' || version > FORMAT_VERSION) {
    throw new NotebookFormatError(`this notebook is format version ${String(version)}; this Aisle reads up to ${FORMAT_VERSION}`, 1);
  }
  const { aisle: _version, title, data, ...extra } = fields;
  const { cells, problems } = readCells(lines, bodyStart);
  const sources = readData(data);
  const notebook: Notebook = { title: typeof title === 'string' ? title : 'Untitled', data: sources.paths, cells, extra };
  return { notebook: Object.keys(sources.options).length > 0 ? { ...notebook, dataOptions: sources.options } : notebook, problems };
}

/** Write a notebook as text; `parseNotebook(serializeNotebook(n))` gives back `n` (ids aside). */
export function serializeNotebook(notebook: Notebook): string {
  const front: Record<string, unknown> = { aisle: FORMAT_VERSION, title: notebook.title };
  if (Object.keys(notebook.data).length > 0) front.data = writeData(notebook);
  Object.assign(front, notebook.extra);
  const blocks = notebook.cells.map((cell) => {
    if (cell.kind === 'markdown') return cell.source;
    const fence = fenceFor(cell.source);
    return `${fence}${cell.kind} ${cell.name}\n${cell.source}\n${fence}`;
  });
  return `---\n${frontMatterText(front).trimEnd()}\n---\n\n${blocks.join('\n\n')}\n`;
}

/** The front matter as YAML; each cell's layout hints (`cells:`) on one line, `monthly_trend: { width: 12 }`, so a layout diffs line by line. */
function frontMatterText(front: Record<string, unknown>): string {
  const document = new Document(front);
  const cells = document.get('cells', true);
  if (isMap(cells)) for (const item of cells.items) if (isMap(item.value)) item.value.flow = true;
  return document.toString();
}

/** A notebook whose text would not read back as the same notebook, so it must not replace a saved copy. */
export class NotebookSaveError extends Error {
  override readonly name = 'NotebookSaveError';
}

/**
 * `serializeNotebook`, checked by reading the text back: the same title, data, fields, named cells (kind, name,
 * source) and prose (blank lines aside). Throws NotebookSaveError naming the first difference, so a caller that
 * saves only what this returns never writes a file that opens as something else. A cell already damaged when
 * the file was opened (a name the rule refuses) reads back the same, still marked, so it does not stop a save.
 */
export function serializeChecked(notebook: Notebook): string {
  const text = serializeNotebook(notebook);
  let back: Notebook;
  try {
    back = readNotebook(text).notebook;
  } catch (error) {
    throw new NotebookSaveError(`its text would not open again (${(error as Error).message})`);
  }
  const problem = roundTripDifference(notebook, back);
  if (problem !== undefined) throw new NotebookSaveError(problem);
  return text;
}

function roundTripDifference(notebook: Notebook, back: Notebook): string | undefined {
  if (back.title !== notebook.title) return `its title would read back as ${quotedName(back.title)}`;
  if (JSON.stringify(back.data) !== JSON.stringify(notebook.data) || JSON.stringify(back.dataOptions ?? {}) !== JSON.stringify(notebook.dataOptions ?? {})) {
    return 'its data sources would not read back as they are';
  }
  if (JSON.stringify(back.extra) !== JSON.stringify(notebook.extra)) return 'its front-matter fields would not read back as they are';
  const named = notebook.cells.filter(isNamed);
  const namedBack = back.cells.filter(isNamed);
  if (namedBack.length > named.length) {
    const kind = namedBack.find((cell, index) => named[index]?.name !== cell.name)?.kind ?? 'sql';
    return `a Markdown cell holds a \`\`\`${kind} code block, which would open as a cell of its own: write the language in capitals (\`\`\`${kind.toUpperCase()}) or indent the block`;
  }
  if (namedBack.length < named.length) {
    return 'a Markdown cell opens a code block it never closes, which would swallow the cells after it: close it with ```';
  }
  for (const [index, cell] of named.entries()) {
    const cellBack = namedBack[index];
    if (cellBack?.kind !== cell.kind || cellBack.name !== cell.name || cellBack.source !== cell.source) {
      return `the ${cell.kind} cell ${quotedName(cell.name)} would not read back as it is`;
    }
  }
  const prose = (cells: readonly Cell[]) => cells.flatMap((cell) => (isNamed(cell) ? [] : cell.source.split('\n').filter((line) => line.trim() !== '')));
  if (JSON.stringify(prose(back.cells)) !== JSON.stringify(prose(notebook.cells))) return 'its Markdown text would not read back as it is';
  return undefined;
}

function readFrontMatter(lines: readonly string[]): { fields: Record<string, unknown>; bodyStart: number } {
  if (lines[0]?.trim() !== '---') return { fields: {}, bodyStart: 0 };
  const end = lines.indexOf('---', 1);
  if (end === -1) throw new NotebookFormatError('front matter opened with --- is never closed', 1);
  let fields: unknown;
  try {
    fields = parseYaml(lines.slice(1, end).join('\n')) ?? {};
  } catch (error) {
    const line = (error as { linePos?: { line: number }[] }).linePos?.[0]?.line ?? 0;
    throw new NotebookFormatError(`front matter is not valid YAML: ${(error as Error).message.split('\n')[0]}`, line + 1);
  }
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
    throw new NotebookFormatError('front matter must be a set of `key: value` fields', 2);
  }
  return { fields: fields as Record<string, unknown>, bodyStart: end + 1 };
}

/**
 * `data:` entries: a table name → a path, or → `{ path, …import options }` (`ratings: { path: u.data, header: false }`);
 * the options are kept as written.
 */
function readData(data: unknown): { paths: Record<string, string>; options: Record<string, Record<string, unknown>> } {
  const paths: Record<string, string> = {};
  const options: Record<string, Record<string, unknown>> = {};
  if (data === undefined || data === null) return { paths, options };
  if (typeof data !== 'object' || Array.isArray(data)) throw new NotebookFormatError('`data` must map table names to files', 2);
  for (const [name, entry] of Object.entries(data)) {
    if (typeof entry === 'object' && entry !== null && !Array.isArray(entry)) {
      const { path, ...rest } = entry as Record<string, unknown>;
      if (typeof path !== 'string' || path === '') throw new NotebookFormatError(`\`data\` entry ${name} must name its file with \`path:\``, 2);
      paths[name] = path;
      if (Object.keys(rest).length > 0) options[name] = rest;
    } else {
      paths[name] = String(entry);
    }
  }
  return { paths, options };
}

/** `data:` as written: a bare path, or `{ path, …options }` for a source with import options. */
function writeData(notebook: Notebook): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(notebook.data).map(([name, path]) => {
      const options = notebook.dataOptions?.[name];
      return [name, options === undefined ? path : { path, ...options }];
    }),
  );
}

function readCells(lines: readonly string[], start: number): { cells: Cell[]; problems: NotebookProblem[] } {
  const cells: Cell[] = [];
  const problems: NotebookProblem[] = [];
  let prose: string[] = [];
  const flushProse = () => {
    const source = trimBlankLines(prose);
    if (source !== '') cells.push({ id: newCellId(), kind: 'markdown', source });
    prose = [];
  };
  for (let index = start; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    // Everything after the kind is the name, so a name with a space is read as one (damaged) name, not prose.
    const open = /^(`{3,}|~{3,})\s*(\S+)?(.*)$/.exec(line);
    const [, fence = '```', kind, rest = ''] = open ?? [];
    if (!open) {
      prose.push(line);
      continue;
    }
    const close = findClose(lines, index + 1, fence);
    if (kind === undefined || !CELL_KINDS.has(kind)) {
      // Another language's code block: part of the prose, copied through untouched.
      const endLine = close === -1 ? lines.length - 1 : close;
      prose.push(...lines.slice(index, endLine + 1));
      index = endLine;
      continue;
    }
    flushProse();
    const id = newCellId();
    const name = rest.trim();
    const nameProblem = cellNameProblem(name);
    if (nameProblem !== undefined) {
      problems.push({
        line: index + 1,
        cellId: id,
        message: `a ${kind} cell needs a name of letters, digits and _ after its kind (like ${kind} monthly_revenue), got ${
          name === '' ? 'none' : `${quotedName(name)}: ${nameProblem}`
        }`,
      });
    }
    const end = close === -1 ? lines.length : close;
    if (close === -1) problems.push({ line: index + 1, cellId: id, message: `the ${kind} cell opened here is never closed with ${fence}` });
    cells.push({ id, kind: kind as NamedCellKind, name, source: lines.slice(index + 1, end).join('\n') });
    index = end;
  }
  flushProse();
  return { cells, problems };
}

/** A closing fence is a line of only the opening fence's character, at least as long. */
function findClose(lines: readonly string[], from: number, fence: string): number {
  const closing = new RegExp(`^\\s*\\${fence[0]}{${fence.length},}\\s*$`);
  for (let index = from; index < lines.length; index += 1) if (closing.test(lines[index] ?? '')) return index;
  return -1;
}

function trimBlankLines(lines: readonly string[]): string {
  let first = 0;
  let last = lines.length - 1;
  while (first <= last && lines[first]?.trim() === '') first += 1;
  while (last >= first && lines[last]?.trim() === '') last -= 1;
  return lines.slice(first, last + 1).join('\n');
}

/** A fence longer than any run of backticks in the source, so the source cannot close it early. */
function fenceFor(source: string): string {
  const longest = Math.max(0, ...[...source.matchAll(/`+/g)].map((match) => match[0].length));
  return '`'.repeat(Math.max(3, longest + 1));
}
