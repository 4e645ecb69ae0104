/**
 * The runner's data: which file plays each table (the notebook's `data:`, overridden or added to by `--data`), read
 * with which import options (the front matter's, or `--import`), loaded exactly as the app loads it.
 */
import { stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeParquetCodec } from '../db/parquet-node.ts';
import { ImportOptionsError, importFile, importOptionsFrom, mergeImportOptions, prepareRetailTable, type GivenImportOptions, type Notebook } from '../engine/index.ts';
import { messageOf } from '../util/errors.ts';
import type { Engine } from './engine.ts';
import { RunSetupError, count, round, seconds, shortPath } from './setup.ts';

/** Where the app serves a notebook's own data paths from; they are looked up here first. */
export const PUBLIC_DIR = fileURLToPath(new URL('../../public/', import.meta.url));

/** DuckDB-WASM: `fs.readFile` reads at most 2 GiB into one buffer; past that a file must be smaller on disk (Parquet). */
const MAX_FILE_BYTES = 2 ** 31 - 1;

const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A data file loaded as a table, and what the retail profile made of it. */
export interface LoadedTable {
  readonly table: string;
  readonly path: string;
  readonly rows: number;
  /** The retail layout recognised, if any (`online-retail`, `simple`). */
  readonly layout?: string;
  /** Rows of `<table>_clean`, when a layout was recognised and its required columns are there. */
  readonly cleanRows?: number;
  /** How a text file was read, when not as a plain comma-separated table with a header. */
  readonly readAs?: string;
  readonly durationMs: number;
}

/** A table to load: its file and the import options given for it (the rest is detected). */
export interface DataSource {
  readonly path: string;
  readonly options: GivenImportOptions;
}

/** What the run was told about data, beyond the notebook. */
export interface DataRequest {
  readonly notebookPath: string;
  /** Table name → file path (relative to the working directory). */
  readonly data?: Readonly<Record<string, string>>;
  /** Table name → import options (`--import`, or `--csv`). */
  readonly dataOptions?: Readonly<Record<string, GivenImportOptions>>;
  readonly publicDir?: string;
}

/**
 * Table → absolute file path and options: the notebook's own sources (with their front-matter options), overridden
 * or added to by `--data`; `--import` options apply to either. A `--data` file replaces the notebook's options with its own.
 */
export async function resolveSources(notebook: Notebook, request: DataRequest): Promise<Record<string, DataSource>> {
  const given = request.data ?? {};
  const optionsGiven = request.dataOptions ?? {};
  const sources: Record<string, DataSource> = {};
  for (const [table, path] of Object.entries(notebook.data)) {
    if (table in given) continue;
    sources[table] = { path: await notebookDataPath(table, path, request), options: mergeImportOptions(frontMatterOptions(notebook, table), optionsGiven[table] ?? {}) };
  }
  for (const [table, path] of Object.entries(given)) {
    if (!TABLE_NAME.test(table)) throw new RunSetupError(`--data ${table}=${path}: "${table}" is not a table name (letters, digits and _)`);
    const file = resolve(path);
    if (!(await isFile(file))) throw new RunSetupError(`--data ${table}=${path}: no such file ${file}`);
    sources[table] = { path: file, options: optionsGiven[table] ?? {} };
  }
  for (const table of Object.keys(optionsGiven)) {
    if (!(table in sources)) throw new RunSetupError(`--import ${table}: no table ${table} in the notebook's data or a --data ${table}=file`);
  }
  return sources;
}

function frontMatterOptions(notebook: Notebook, table: string): GivenImportOptions {
  const written = notebook.dataOptions?.[table];
  if (written === undefined) return {};
  try {
    return importOptionsFrom(written);
  } catch (error) {
    if (error instanceof ImportOptionsError) throw new RunSetupError(`data ${table}: ${error.message}`);
    throw error;
  }
}

/** A notebook's data path as the app would serve it (from `public/`), else relative to the notebook file. */
async function notebookDataPath(table: string, path: string, request: DataRequest): Promise<string> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
    throw new RunSetupError(`data ${table}: ${path} is a URL; the headless runner reads local files only (download it and pass --data ${table}=file)`);
  }
  const publicDir = request.publicDir ?? PUBLIC_DIR;
  const candidates = isAbsolute(path) ? [path, join(publicDir, path)] : [join(publicDir, path), resolve(dirname(request.notebookPath), path)];
  for (const candidate of candidates) if (await isFile(candidate)) return candidate;
  throw new RunSetupError(`data ${table}: ${path} is in neither ${candidates.join(' nor ')}; pass --data ${table}=file`);
}

export async function isFile(path: string): Promise<boolean> {
  return stat(path).then((info) => info.isFile(), () => false);
}

/**
 * Import a file exactly as the app does, then make `<table>_canonical` and `<table>_clean` for a retail layout. Native
 * DuckDB reads the file by path (Parquet and text with its own readers); DuckDB-WASM is given its bytes.
 */
export async function loadTable(engine: Engine, table: string, source: DataSource, log: (line: string) => void): Promise<LoadedTable> {
  const { path } = source;
  const started = performance.now();
  const { size } = await stat(path);
  if (engine.kind === 'wasm' && size > MAX_FILE_BYTES) {
    throw new RunSetupError(`data ${table}: ${path} is ${(size / 1024 ** 3).toFixed(1)} GiB; DuckDB-WASM reads files whole, up to 2 GiB — convert it to Parquet, or run with native DuckDB`);
  }
  let info;
  let report;
  try {
    const file = { fileName: basename(path), size, source: await engine.source(path) };
    info = await importFile(engine.db, nodeParquetCodec, file, { ...source.options, tableName: table, parquetReader: engine.kind === 'native' ? 'duckdb' : 'codec' });
    report = await prepareRetailTable(engine.db, info.name, info.columns);
  } catch (error) {
    throw new RunSetupError(`data ${table}: ${messageOf(error)}`, { cause: error });
  }
  const loaded: LoadedTable = {
    table,
    path,
    rows: info.rowCount,
    layout: report?.profile.layout,
    cleanRows: report?.cleaning?.rowsOut,
    ...(info.readAsNote === undefined ? {} : { readAs: info.readAsNote }),
    durationMs: round(performance.now() - started),
  };
  const profile = report?.cleanTable ? `; ${report.profile.layout} layout, ${report.cleanTable}: ${count(loaded.cleanRows ?? 0, 'row')}` : '';
  log(`loaded ${table} from ${shortPath(path)}: ${count(loaded.rows, 'row')}${profile} (${seconds(loaded.durationMs)})`);
  if (info.readAsNote !== undefined) log(`  ${info.readAsNote}`);
  for (const warning of info.warnings) log(`warning: ${warning}`);
  return loaded;
}
