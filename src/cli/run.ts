/**
 * The headless runner: a notebook's data loaded into native DuckDB (or DuckDB-WASM's Node build), every cell run by the same
 * scheduler and evaluators as the app, each table written to disk with a JSON summary and the run log, and the
 * app's HTML report when asked for.
 */
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { nodeParquetCodec } from '../db/parquet-node.ts';
import { threadModelRunner } from '../workers/model-threads.ts';
import {
  Scheduler,
  cellsAtOnce,
  createEvaluator,
  describeCellError,
  exportTableCsv,
  exportTableParquet,
  inputSpec,
  isNamed,
  parseSpec,
  SpecError,
  type CellState,
  type CellStates,
  type CellStatus,
  type Database,
  type InputSpec,
  type InputValue,
  type NamedCell,
  type NamedCellKind,
  type Notebook,
  type RunLogEvent,
  type GivenImportOptions,
} from '../engine/index.ts';
import { NotebookFormatError, parseNotebook } from '../format/notebook-text.ts';
import { messageOf } from '../util/errors.ts';
import { loadTable, resolveSources, type LoadedTable } from './data.ts';
import { openEngine, type EngineChoice } from './engine.ts';
import { openTrinoForNotebook, type TrinoTarget } from './trino-engine.ts';
import { notebookReportHtml } from './report.ts';
import { RunSetupError, count, round, seconds, shortPath } from './setup.ts';

export { PUBLIC_DIR, type LoadedTable } from './data.ts';
export { RunSetupError, count, seconds, shortPath } from './setup.ts';

export type OutputFormat = 'csv' | 'parquet';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['csv', 'parquet'];

export interface RunOptions {
  readonly notebookPath: string;
  /** Table name → file path (relative to the working directory); overrides or adds to the notebook's `data`. */
  readonly data?: Readonly<Record<string, string>>;
  /** Table name → import options for its file (`--import`); what is not given is detected. */
  readonly dataOptions?: Readonly<Record<string, GivenImportOptions>>;
  /** Input cell name → value as typed on a command line (`20`, `France`, `["a","b"]`), set before the run. */
  readonly inputs?: Readonly<Record<string, string>>;
  /** Folder for `<cell>.csv|.parquet`, `summary.json` and `run-log.jsonl`; nothing is written without it. */
  readonly outDir?: string;
  readonly format?: OutputFormat;
  /** Where to write the notebook's self-contained HTML report, as the app exports it; a missing folder is made. */
  readonly reportPath?: string;
  /** Progress, one line at a time. */
  readonly log?: (line: string) => void;
  /** What the user should hear even when progress is not shown (native DuckDB missing); default `log`. */
  readonly warn?: (line: string) => void;
  /** Looked up before the notebook's folder for its own data paths; defaults to PUBLIC_DIR. */
  readonly publicDir?: string;
  /** Which DuckDB runs the notebook; default `auto` (native when installed, else WASM). */
  readonly engine?: EngineChoice;
  /** Native DuckDB's package.json, when not the root postinstall's (tests point it elsewhere). */
  readonly nativePackage?: string;
  /** Run on this Trino cluster instead of DuckDB; its tables are bound, never uploaded (`data` must be empty). */
  readonly trino?: TrinoTarget;
}

/** One named cell after the run. */
export interface CellResult {
  readonly cell: string;
  readonly kind: NamedCellKind;
  readonly state: CellStatus;
  readonly rows?: number;
  /** An input cell's value as the run used it. */
  readonly value?: InputValue;
  readonly durationMs?: number;
  readonly error?: string;
  /** The file holding the cell's table, relative to `outDir`. */
  readonly output?: string;
}

export interface RunSummary {
  readonly notebook: string;
  /** The engine that ran it: `DuckDB 1.4.3 native, 16 threads`. */
  readonly engine: string;
  /** True when every named cell ran and every table was written. */
  readonly ok: boolean;
  readonly durationMs: number;
  readonly data: readonly LoadedTable[];
  readonly cells: readonly CellResult[];
  /** The HTML report written, as `reportPath` gave it. */
  readonly report?: string;
  readonly log: readonly RunLogEvent[];
}

/**
 * Run every cell of a notebook headless. Rejects with a RunSetupError before any cell runs when the
 * notebook, a data file or an input value is unusable; cell failures are reported in the summary instead.
 * `await runNotebook({ notebookPath: 'notebooks/retail-tour.md', data: { sales: 'big.parquet' }, outDir: 'results' })`
 */
export async function runNotebook(options: RunOptions): Promise<RunSummary> {
  const started = performance.now();
  const log = options.log ?? (() => {});
  const notebook = await readNotebook(options.notebookPath);
  if (options.reportPath !== undefined) await checkReportPath(options.reportPath);
  const named = notebook.cells.filter(isNamed);
  const requested = Object.entries(options.inputs ?? {}).map(([name, text]) => {
    const cell = inputCell(named, name);
    return { cell, value: inputFromText(text, specOf(cell), cell.name) };
  });

  // As in the app: models in threads of their own, and cells side by side, so one cell's model runs while another
  // cell's model or SQL does (the seed pipeline's two chains of models, one on each core). The threads start (and
  // load the registry) while the data loads.
  const models = threadModelRunner();
  if (named.some((cell) => cell.kind === 'model')) models.warm();
  const opened = options.trino === undefined ? openDuckDb(notebook, options, log) : openTrinoForNotebook(notebook, options.trino, log);
  const { db, label, data } = await opened.catch((error: unknown) => {
    models.close();
    throw error;
  });
  try {
    const events: RunLogEvent[] = [];
    const width = Math.max(0, ...named.map((cell) => cell.name.length));
    const scheduler = new Scheduler({
      evaluate: createEvaluator(db, models),
      concurrency: cellsAtOnce(availableParallelism()),
      onStates: () => {},
      onLog: (event) => {
        events.push(event);
        const id = named.find((cell) => cell.name === event.cell)?.id;
        const output = id === undefined ? undefined : scheduler.cellStates[id]?.output;
        log(cellLine(event, width, output?.kind === 'value' ? output.value : undefined));
      },
    });
    scheduler.update(notebook);
    scheduler.setDataTables(data.map((loaded) => loaded.table));
    for (const { cell, value } of requested) {
      scheduler.presetInput(cell.id, value);
      log(`input ${cell.name} = ${JSON.stringify(value)}`);
    }
    await scheduler.runAll();

    for (const { cell, value } of requested) {
      const output = scheduler.cellStates[cell.id]?.output;
      if (output?.kind === 'value' && JSON.stringify(output.value) !== JSON.stringify(value)) {
        log(`input ${cell.name}: ${JSON.stringify(value)} is not one of its options; the run used ${JSON.stringify(output.value)}`);
      }
    }

    let cells = named.map((cell) => cellResult(cell, scheduler.cellStates[cell.id]));
    if (options.outDir !== undefined) cells = await writeTables(db, cells, options.outDir, options.format ?? 'csv');
    if (options.reportPath !== undefined) await writeReport(options.reportPath, notebook, scheduler.cellStates, db, data, log);
    const summary: RunSummary = {
      notebook: notebook.title,
      engine: label,
      ok: cells.every((cell) => cell.state === 'done' && cell.error === undefined),
      durationMs: round(performance.now() - started),
      data,
      cells,
      report: options.reportPath,
      log: events,
    };
    if (options.outDir !== undefined) await writeSummary(summary, options.outDir);
    return summary;
  } finally {
    models.close();
    await db.close();
  }
}

interface OpenedEngine {
  readonly db: Database;
  readonly label: string;
  readonly data: LoadedTable[];
}

async function openDuckDb(notebook: Notebook, options: RunOptions, log: (line: string) => void): Promise<OpenedEngine> {
  const sources = await resolveSources(notebook, options);
  const data: LoadedTable[] = [];
  const engine = await openEngine({
    engine: options.engine ?? 'auto',
    nativePackage: options.nativePackage,
    load: async (opened) => {
      if (opened.fallback !== undefined) (options.warn ?? log)(opened.fallback);
      log(`engine: ${opened.label}`);
      for (const [table, source] of Object.entries(sources)) data.push(await loadTable(opened, table, source, log));
    },
  });
  return { db: engine.db, label: engine.label, data };
}

/**
 * An input's value from command-line text: a number for sliders and number boxes, the text itself for a
 * text box, a list of two dates for a date range, else JSON when it parses and the text when not.
 * `inputFromText('20', slider)` → 20; `inputFromText('France', select)` → "France".
 */
export function inputFromText(text: string, spec: InputSpec | undefined, name: string): InputValue {
  const parsed = parseJson(text);
  const bad = (expected: string) => new RunSetupError(`--input ${name} expects ${expected}, got ${JSON.stringify(text)}`);
  switch (spec?.control) {
    case 'slider':
    case 'number':
      if (typeof parsed !== 'number' || !Number.isFinite(parsed)) throw bad(`a number (it is a ${spec.control})`);
      return parsed;
    case 'text':
      return text;
    case 'multi-select':
      if (isScalarList(parsed)) return parsed;
      if (typeof parsed === 'number') return [parsed];
      if (parsed === undefined || typeof parsed === 'string') return [typeof parsed === 'string' ? parsed : text];
      throw bad('a JSON list of strings or numbers, like ["France","Spain"]');
    case 'date-range':
      if (!isScalarList(parsed) || parsed.length !== 2 || !parsed.every((v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v))) {
        throw bad('two dates as JSON, like ["2011-01-01","2011-06-30"]');
      }
      return parsed;
    case 'select':
    case 'search':
    case undefined: {
      // A listed option is taken as listed, so `2011` picks "2011" from a list of texts.
      const listed = spec?.options?.kind === 'list' ? spec.options.values.find((option) => String(option) === text) : undefined;
      if (listed !== undefined) return listed;
      if (parsed === undefined) return text;
      if (typeof parsed === 'string' || typeof parsed === 'number' || typeof parsed === 'boolean' || parsed === null) return parsed;
      if (spec === undefined && isScalarList(parsed)) return parsed;
      throw bad('one value (text or a number)');
    }
  }
}

/** The notebook at `path`, parsed; a RunSetupError when it cannot be read. */
export async function readNotebook(path: string): Promise<Notebook> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new RunSetupError(`cannot read notebook ${JSON.stringify(path)}: ${messageOf(error)}`);
  }
  try {
    return parseNotebook(text);
  } catch (error) {
    if (error instanceof NotebookFormatError) throw new RunSetupError(`${path}: ${error.message}`);
    throw error;
  }
}

/** The report's folder is made if missing (like --out); a path that cannot be one fails before the run, not after it. */
async function checkReportPath(path: string): Promise<void> {
  const file = resolve(path);
  const folder = dirname(file);
  try {
    await mkdir(folder, { recursive: true });
  } catch (error) {
    throw new RunSetupError(`--report ${path}: cannot make the folder ${folder}: ${messageOf(error)}`);
  }
  if ((await stat(file).catch(() => undefined))?.isDirectory()) throw new RunSetupError(`--report ${path}: ${file} is a folder; give a file name like report.html`);
}

/** The app's HTML report of this run, written to `path`. */
async function writeReport(
  path: string,
  notebook: Notebook,
  states: CellStates,
  db: Database,
  data: readonly LoadedTable[],
  log: (line: string) => void,
): Promise<void> {
  const started = performance.now();
  const html = await notebookReportHtml(notebook, states, db, new Date(), data.map((loaded) => loaded.table));
  try {
    await writeFile(path, html);
  } catch (error) {
    throw new Error(`cannot write the report to ${path}: ${messageOf(error)}`, { cause: error });
  }
  log(`wrote report ${shortPath(resolve(path))}: ${Math.ceil(Buffer.byteLength(html) / 1024).toLocaleString('en-US')} KB (${seconds(performance.now() - started)})`);
}

/** The input cell `name` names (case-insensitively, as SQL does), or a RunSetupError listing the inputs there are. */
function inputCell(cells: readonly NamedCell[], name: string): NamedCell {
  const cell = cells.find((c) => c.name === name) ?? cells.find((c) => c.name.toLowerCase() === name.toLowerCase());
  if (cell?.kind === 'input') return cell;
  const known = cells.filter((c) => c.kind === 'input').map((c) => c.name);
  const choices = known.length === 0 ? 'the notebook has no input cells' : `its inputs are ${known.join(', ')}`;
  throw new RunSetupError(`--input ${name}: ${cell ? `${cell.name} is a ${cell.kind} cell, not an input` : 'no cell has that name'}; ${choices}`);
}

/** An input cell's checked spec; undefined when it is invalid (the cell then fails in the run, saying why). */
function specOf(cell: NamedCell): InputSpec | undefined {
  try {
    return inputSpec(parseSpec(cell.source));
  } catch (error) {
    if (error instanceof SpecError) return undefined;
    throw error;
  }
}

function cellResult(cell: NamedCell, state: CellState | undefined): CellResult {
  const output = state?.status === 'done' ? state.output : undefined;
  return {
    cell: cell.name,
    kind: cell.kind,
    state: state?.status ?? 'idle',
    rows: output?.kind === 'table' ? output.rowCount : undefined,
    value: output?.kind === 'value' ? output.value : undefined,
    durationMs: state?.durationMs === undefined ? undefined : round(state.durationMs),
    error: state?.error ? describeCellError(state.error) : undefined,
  };
}

/** Write each done cell's table as `<cell>.<format>`; files of other cells from an earlier run are removed. */
async function writeTables(db: Database, cells: readonly CellResult[], outDir: string, format: OutputFormat): Promise<CellResult[]> {
  await mkdir(outDir, { recursive: true });
  const written: CellResult[] = [];
  for (const cell of cells) {
    // A stale file from an earlier run would pass for this run's result.
    await Promise.all(OUTPUT_FORMATS.map((ext) => rm(join(outDir, `${cell.cell}.${ext}`), { force: true })));
    if (cell.state !== 'done' || cell.rows === undefined) {
      written.push(cell);
      continue;
    }
    const file = `${cell.cell}.${format}`;
    try {
      const bytes = format === 'csv' ? await exportTableCsv(db, cell.cell) : await exportTableParquet(db, nodeParquetCodec, cell.cell);
      await writeFile(join(outDir, file), bytes);
      written.push({ ...cell, output: file });
    } catch (error) {
      written.push({ ...cell, state: 'error', error: `the cell ran, but writing ${file} failed: ${messageOf(error)}` });
    }
  }
  return written;
}

/** `summary.json` (the summary without its log) and `run-log.jsonl` (one event per line). */
async function writeSummary(summary: RunSummary, outDir: string): Promise<void> {
  const { log, ...rest } = summary;
  await writeFile(join(outDir, 'summary.json'), `${JSON.stringify(rest, null, 2)}\n`);
  await writeFile(join(outDir, 'run-log.jsonl'), log.map((event) => `${JSON.stringify(event)}\n`).join(''));
}

/** `done    kpis               1 row  12 ms`, `done    top_n              = 10`, `error   broken             Binder Error: …`. */
function cellLine(event: RunLogEvent, width: number, value: InputValue | undefined): string {
  const name = event.cell.padEnd(width);
  if (event.status !== 'done') return `${event.status.padEnd(8)}${name}  ${event.error ?? ''}`.trimEnd();
  const what = value !== undefined ? `= ${JSON.stringify(value)}` : event.rows !== undefined ? count(event.rows, 'row') : 'ran';
  return `${'done'.padEnd(8)}${name}  ${what}  ${seconds(event.durationMs)}`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isScalarList(value: unknown): value is (string | number)[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number');
}


