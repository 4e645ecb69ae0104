import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { NAMED_CELL_KINDS, newCellId, type Cell, type NamedCellKind, type Notebook } from '../engine/notebook.ts';

/** The text format version this build writes and the newest it reads. */
export const FORMAT_VERSION = 1;

const CELL_KINDS: ReadonlySet<string> = new Set<string>(NAMED_CELL_KINDS);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

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

/**
 * Read a notebook from its Markdown text: front matter, prose, and one fenced block per cell whose info
 * string is `<kind> <name>`. Fences of other languages stay part of the prose.
 */
export function parseNotebook(text: string): Notebook {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const { fields, bodyStart } = readFrontMatter(lines);
  const version = fields.aisle ?? FORMAT_VERSION;
  if (typeof version !== 'number' || version > FORMAT_VERSION) {
    throw new NotebookFormatError(`this notebook is format version ${String(version)}; this Aisle reads up to ${FORMAT_VERSION}`, 1);
  }
  const { aisle: _version, title, data, ...extra } = fields;
  return {
    title: typeof title === 'string' ? title : 'Untitled',
    data: readData(data),
    cells: readCells(lines, bodyStart),
    extra,
  };
}

/** Write a notebook as text; `parseNotebook(serializeNotebook(n))` gives back `n` (ids aside). */
export function serializeNotebook(notebook: Notebook): string {
  const front: Record<string, unknown> = { aisle: FORMAT_VERSION, title: notebook.title };
  if (Object.keys(notebook.data).length > 0) front.data = notebook.data;
  Object.assign(front, notebook.extra);
  const blocks = notebook.cells.map((cell) => {
    if (cell.kind === 'markdown') return cell.source;
    const fence = fenceFor(cell.source);
    return `${fence}${cell.kind} ${cell.name}\n${cell.source}\n${fence}`;
  });
  return `---\n${stringifyYaml(front).trimEnd()}\n---\n\n${blocks.join('\n\n')}\n`;
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

function readData(data: unknown): Record<string, string> {
  if (data === undefined || data === null) return {};
  if (typeof data !== 'object' || Array.isArray(data)) throw new NotebookFormatError('`data` must map table names to files', 2);
  return Object.fromEntries(Object.entries(data).map(([name, path]) => [name, String(path)]));
}

function readCells(lines: readonly string[], start: number): Cell[] {
  const cells: Cell[] = [];
  let prose: string[] = [];
  const flushProse = () => {
    const source = trimBlankLines(prose);
    if (source !== '') cells.push({ id: newCellId(), kind: 'markdown', source });
    prose = [];
  };
  for (let index = start; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    const open = /^(`{3,}|~{3,})\s*(\S+)?\s*(\S+)?\s*$/.exec(line);
    if (!open) {
      prose.push(line);
      continue;
    }
    const [, fence = '```', kind, name] = open;
    const close = findClose(lines, index + 1, fence);
    if (kind === undefined || !CELL_KINDS.has(kind)) {
      // Another language's code block: part of the prose, copied through untouched.
      const endLine = close === -1 ? lines.length - 1 : close;
      prose.push(...lines.slice(index, endLine + 1));
      index = endLine;
      continue;
    }
    if (close === -1) throw new NotebookFormatError(`the ${kind} cell opened here is never closed with ${fence}`, index + 1);
    if (name === undefined || !NAME.test(name)) {
      throw new NotebookFormatError(
        `a ${kind} cell needs a name of letters, digits and _ after its kind (\`${fence}${kind} monthly_revenue\`), got ${name === undefined ? 'none' : `"${name}"`}`,
        index + 1,
      );
    }
    flushProse();
    cells.push({ id: newCellId(), kind: kind as NamedCellKind, name, source: lines.slice(index + 1, close).join('\n') });
    index = close;
  }
  flushProse();
  return cells;
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
