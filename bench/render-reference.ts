// The reference for the render suite (bench/render.mjs): each demo notebook run headless on the same 541,909-row
// file, (a) in DuckDB-WASM's Node build with the app's own scheduler, evaluators and models (what `aisle run` does:
// the engine without a page, a UI or Observable Plot), and (b) its SQL replayed on native DuckDB.
// Run with tsx, normally by bench/render.mjs:
//
//   npx tsx bench/render-reference.ts --file bench/out/data/retail-541909-s42.parquet
//        [--notebooks retail-dashboard,welcome] [--native-reps 3] [--no-native] [--work-dir bench/out/render]
//
// Prints one JSON document on stdout; progress on stderr. Per notebook:
//  1. opens DuckDB-WASM (Node, eh bundle), loads the file as `sales` as the app does (importFile, then
//     prepareRetailTable → sales_canonical, sales_clean), and runs every cell once (Scheduler.runAll) with
//     createEvaluator(db, inProcessModelRunner). Every Database call is recorded with the cell that made it.
//  2. native DuckDB (@duckdb/node-api from bench/node_modules), 1 thread and default threads: `sales` is the very
//     table DuckDB-WASM loaded (exported as Parquet with the app's codec); the retail profile's statements are
//     replayed untimed; then every query each cell sent is replayed in order, with its bound parameters, and timed
//     (a chart cell: its shape query and each mark's query, rows read back). Tables a model made outside SQL
//     (inserted from Arrow by the model runner) are loaded from Parquet exports of DuckDB-WASM's, untimed: native
//     DuckDB replays the notebook's SQL, not its models.
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openNodeDatabase } from '../src/db/duckdb-node.ts';
import { nodeParquetCodec } from '../src/db/parquet-node.ts';
import { inProcessModelRunner } from '../src/workers/node-runner.ts';
import {
  Scheduler,
  createEvaluator,
  importFile,
  isNamed,
  parseNotebook,
  prepareRetailTable,
  type Database,
  type RunLogEvent,
} from '../src/engine/index.ts';
import { parseOptions } from './lib/options.mjs';
import { importNative } from './lib/native-dependency.mjs';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(benchDir);

const log = (...parts: unknown[]) => process.stderr.write(`[bench:render] ${parts.join(' ')}\n`);
const now = () => performance.now();
const round1 = (value: number) => Math.round(value * 10) / 10;
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function parseArgs(argv: string[]) {
  const options = {
    file: '',
    notebooks: ['welcome', 'retail-tour', 'segmentation', 'recommendations', 'forecast-and-loyalty', 'retail-dashboard'],
    nativeReps: 3,
    native: true,
    workDir: path.join(benchDir, 'out', 'render'),
  };
  parseOptions(
    argv,
    options,
    {
      '--file': (o, value) => (o.file = path.resolve(value())),
      '--notebooks': (o, value) => (o.notebooks = value().split(',').filter(Boolean)),
      '--native-reps': (o, value) => (o.nativeReps = Math.max(1, Number.parseInt(value(), 10))),
      '--no-native': (o) => (o.native = false),
      '--work-dir': (o, value) => (o.workDir = path.resolve(value())),
    },
    { script: import.meta.url, lines: 18 },
  );
  if (!options.file) throw new Error('--file <retail Parquet or CSV> is required');
  return options;
}

// ------------------------------------------------------------------------------------------------- recording

/** One Database call: a query (with its parameters), or a table inserted from Arrow, with the cell that made it. */
type Op =
  | { readonly type: 'query'; readonly cell: string; readonly sql: string; readonly params: readonly unknown[]; readonly ms: number; readonly failed: boolean }
  | { readonly type: 'insert'; readonly cell: string; readonly table: string; readonly ms: number }
  | { readonly type: 'export'; readonly cell: string; readonly relation: string; readonly ms: number };

/** Phases outside any cell: the import (not replayed natively), the retail profile (replayed untimed). */
const IMPORT = '#import';
const SETUP = '#setup';

/** The app's Database with every call recorded against `owner.cell` (nothing else changes). */
function recordingDatabase(db: Database) {
  const ops: Op[] = [];
  const owner = { cell: IMPORT };
  const wrapped: Database = {
    async query(sql, options) {
      const cell = owner.cell;
      const start = now();
      let failed = true;
      try {
        const result = await db.query(sql, options);
        failed = false;
        return result;
      } finally {
        ops.push({ type: 'query', cell, sql, params: options?.params ?? [], ms: now() - start, failed });
      }
    },
    registerFile: (name, source) => db.registerFile(name, source),
    dropFile: (name) => db.dropFile(name),
    async insertArrowIpc(table, ipc) {
      const cell = owner.cell;
      const start = now();
      await db.insertArrowIpc(table, ipc);
      ops.push({ type: 'insert', cell, table, ms: now() - start });
    },
    exportCsv: (relation) => db.exportCsv(relation),
    async exportArrowIpc(relation) {
      const cell = owner.cell;
      const start = now();
      const bytes = await db.exportArrowIpc(relation);
      ops.push({ type: 'export', cell, relation, ms: now() - start });
      return bytes;
    },
    close: () => db.close(),
  };
  return { db: wrapped, ops, owner };
}

// ------------------------------------------------------------------------------------------------- native

interface NativeReader {
  getRows(): unknown[][];
}
interface NativeConnection {
  run(sql: string, values?: unknown[]): Promise<unknown>;
  runAndReadAll(sql: string, values?: unknown[]): Promise<NativeReader>;
  closeSync?(): void;
}
interface NativeInstance {
  connect(): Promise<NativeConnection>;
  closeSync?(): void;
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;
const quoteText = (text: string) => `'${text.replaceAll("'", "''")}'`;

async function openNative(threads: 1 | null): Promise<{ instance: NativeInstance; connection: NativeConnection; threads: number }> {
  // The root install's (native/node_modules): see bench/lib/native-dependency.mjs.
  const { DuckDBInstance } = (await importNative()) as unknown as { DuckDBInstance: { create(path: string): Promise<NativeInstance> } };
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  if (threads) await connection.run(`SET threads = ${threads}`);
  const rows = (await connection.runAndReadAll("SELECT current_setting('threads')")).getRows();
  return { instance, connection, threads: Number(rows[0]?.[0]) };
}

async function nativeVersion(): Promise<string> {
  const { connection } = await openNative(1);
  const rows = (await connection.runAndReadAll('SELECT version()')).getRows();
  const pkg = JSON.parse(await readFile(path.join(benchDir, 'node_modules/@duckdb/node-api/package.json'), 'utf8')) as { version: string };
  return `${String(rows[0]?.[0])} (@duckdb/node-api ${pkg.version})`;
}

/** A query as the WASM side ran it: bound parameters are passed as values (the app binds them, never splices). */
async function nativeQuery(connection: NativeConnection, op: Extract<Op, { type: 'query' }>): Promise<void> {
  if (op.params.length > 0) await connection.runAndReadAll(op.sql, [...op.params]);
  else await connection.runAndReadAll(op.sql);
}

interface NativeCell {
  readonly ms: number;
  readonly queries: number;
}

/**
 * Replay a notebook's recorded calls on a fresh native instance, `reps` times in a row (CREATE OR REPLACE makes
 * each pass start over); per cell, the median over passes of the summed query times.
 */
async function replayNative(
  threads: 1 | null,
  reps: number,
  salesParquet: string,
  ops: readonly Op[],
  modelTables: ReadonlyMap<string, string>,
  tableCells: readonly string[],
) {
  const { instance, connection, threads: actualThreads } = await openNative(threads);
  const failures: { cell: string; sql: string; error: string }[] = [];
  try {
    await connection.run(`CREATE TABLE sales AS SELECT * FROM read_parquet(${quoteText(salesParquet)})`);
    for (const op of ops) {
      if (op.cell === SETUP && op.type === 'query' && !op.failed) await nativeQuery(connection, op);
    }
    const passes: Map<string, number>[] = [];
    for (let rep = 0; rep < reps; rep++) {
      const times = new Map<string, number>();
      for (const op of ops) {
        if (op.cell === IMPORT || op.cell === SETUP) continue;
        if (op.type === 'insert') {
          const file = modelTables.get(op.table);
          if (file) await connection.run(`CREATE OR REPLACE TABLE ${quoteIdent(op.table)} AS SELECT * FROM read_parquet(${quoteText(file)})`);
          continue;
        }
        if (op.type !== 'query' || op.failed) continue;
        const start = now();
        try {
          await nativeQuery(connection, op);
        } catch (error) {
          if (rep === 0) failures.push({ cell: op.cell, sql: op.sql.slice(0, 300), error: error instanceof Error ? error.message.split('\n')[0]! : String(error) });
          continue;
        }
        times.set(op.cell, (times.get(op.cell) ?? 0) + now() - start);
      }
      passes.push(times);
    }
    const cells: Record<string, NativeCell> = {};
    const names = new Set(ops.filter((op) => op.type === 'query' && op.cell !== IMPORT && op.cell !== SETUP).map((op) => op.cell));
    for (const name of names) {
      cells[name] = {
        ms: round1(median(passes.map((times) => times.get(name) ?? 0))),
        queries: ops.filter((op) => op.type === 'query' && op.cell === name && !op.failed).length,
      };
    }
    // Untimed: the row count of every cell table, to show both engines computed the same thing.
    const rows: Record<string, number | null> = {};
    for (const table of tableCells) {
      try {
        rows[table] = Number((await connection.runAndReadAll(`SELECT count(*)::DOUBLE FROM ${quoteIdent(table)}`)).getRows()[0]?.[0]);
      } catch {
        rows[table] = null;
      }
    }
    return { threads: actualThreads, reps, cells, rows, failures, passesTotalMs: passes.map((times) => round1([...times.values()].reduce((a, b) => a + b, 0))) };
  } finally {
    connection.closeSync?.();
    instance.closeSync?.();
  }
}

// ------------------------------------------------------------------------------------------------- one notebook

async function runOne(slug: string, options: ReturnType<typeof parseArgs>, salesParquet: string) {
  const text = await readFile(path.join(root, 'notebooks', `${slug}.md`), 'utf8');
  const notebook = parseNotebook(text);
  const named = notebook.cells.filter(isNamed);
  const inner = await openNodeDatabase();
  const recorder = recordingDatabase(inner);
  const db = recorder.db;
  try {
    // -- load, as `aisle run --data sales=<file>` does
    const started = now();
    const { size } = await stat(options.file);
    const buffer = await readFile(options.file);
    const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength).slice();
    recorder.owner.cell = IMPORT;
    const info = await importFile(db, nodeParquetCodec, { fileName: path.basename(options.file), size, source: { kind: 'bytes', bytes } }, { tableName: 'sales' });
    recorder.owner.cell = SETUP;
    const report = await prepareRetailTable(db, info.name, info.columns);
    const loadMs = now() - started;
    log(`${slug}: loaded sales (${info.rowCount} rows; sales_clean ${report?.cleaning?.rowsOut ?? '?'}) in ${Math.round(loadMs)} ms (DuckDB-WASM, Node)`);
    if (options.native && !(await stat(salesParquet).then(() => true, () => false))) {
      await writeFile(salesParquet, await nodeParquetCodec.fromArrowIpc(await inner.exportArrowIpc('sales')));
    }

    // -- run every cell once, as the app's first run of the notebook
    const events: RunLogEvent[] = [];
    const evaluate = createEvaluator(db, inProcessModelRunner);
    const scheduler = new Scheduler({
      evaluate: async (cell, analysis, context) => {
        recorder.owner.cell = cell.name;
        return evaluate(cell, analysis, context);
      },
      onStates: () => {},
      onLog: (event) => events.push(event),
    });
    scheduler.update(notebook);
    const runStart = now();
    await scheduler.runAll();
    const runAllMs = now() - runStart;
    log(`${slug}: ran ${named.length} cells in ${Math.round(runAllMs)} ms (DuckDB-WASM, Node)`);

    const cellOps = (name: string) => recorder.ops.filter((op) => op.cell === name);
    const cells = named.map((cell) => {
      const event = [...events].reverse().find((e) => e.cell === cell.name);
      const ops = cellOps(cell.name);
      const queries = ops.filter((op) => op.type === 'query');
      return {
        cell: cell.name,
        kind: cell.kind,
        status: event?.status ?? 'not run',
        ms: event ? round1(event.durationMs) : null,
        rows: event?.rows ?? null,
        queries: queries.length,
        queryMs: round1(queries.reduce((sum, op) => sum + op.ms, 0)),
        // The shape query (columns and row count) a chart sends for its data and a model for its output.
        shapeQueries: queries.filter((op) => op.type === 'query' && op.sql.startsWith('SELECT column_name, column_type, (SELECT count(*) FROM ')).length,
        // Work outside SQL: a model trained in the runner (its input exported as Arrow, its output inserted).
        sqlOnly: ops.every((op) => op.type === 'query'),
        ...(event?.error ? { error: event.error } : {}),
      };
    });

    // -- native DuckDB replays the same SQL
    let native = null;
    if (options.native) {
      const modelTables = new Map<string, string>();
      for (const op of recorder.ops) {
        if (op.type !== 'insert' || op.cell === IMPORT || op.cell === SETUP || modelTables.has(op.table)) continue;
        const file = path.join(options.workDir, `ref-${slug}-${op.table}.parquet`);
        await writeFile(file, await nodeParquetCodec.fromArrowIpc(await inner.exportArrowIpc(op.table)));
        modelTables.set(op.table, file);
      }
      const tableCells = cells.filter((cell) => cell.rows !== null).map((cell) => cell.cell);
      const oneThread = await replayNative(1, options.nativeReps, salesParquet, recorder.ops, modelTables, tableCells);
      const defaultThreads = await replayNative(null, options.nativeReps, salesParquet, recorder.ops, modelTables, tableCells);
      const mismatched = cells.filter((cell) => cell.rows !== null && oneThread.rows[cell.cell] !== cell.rows).map((cell) => cell.cell);
      native = {
        oneThread: { threads: oneThread.threads, cells: oneThread.cells, passesTotalMs: oneThread.passesTotalMs },
        defaultThreads: { threads: defaultThreads.threads, cells: defaultThreads.cells, passesTotalMs: defaultThreads.passesTotalMs },
        reps: options.nativeReps,
        rowsAgree: mismatched.length === 0,
        ...(mismatched.length ? { rowsDiffer: mismatched.map((cell) => ({ cell, wasm: cells.find((c) => c.cell === cell)?.rows, native: oneThread.rows[cell] })) } : {}),
        failures: oneThread.failures,
        modelTablesLoaded: [...modelTables.keys()],
      };
      log(`${slug}: native replay done (${Object.keys(oneThread.cells).length} cells' SQL; ${oneThread.failures.length} statements failed)`);
    }
    return {
      notebook: slug,
      title: notebook.title,
      load: { ms: round1(loadMs), rows: info.rowCount, cleanRows: report?.cleaning?.rowsOut ?? null },
      nodeWasm: { runAllMs: round1(runAllMs), cells },
      native,
    };
  } finally {
    await inner.close();
  }
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  await mkdir(options.workDir, { recursive: true });
  const salesParquet = path.join(options.workDir, 'ref-sales.parquet');
  // A fresh export each invocation: the file must be this run's `sales`.
  await rm(salesParquet, { force: true });
  const started = now();
  const notebooks = [];
  for (const slug of options.notebooks) {
    try {
      notebooks.push(await runOne(slug, options, salesParquet));
    } catch (error) {
      log(`${slug}: reference failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      notebooks.push({ notebook: slug, error: error instanceof Error ? error.message : String(error) });
    }
  }
  const result = {
    duckdbNative: options.native ? await nativeVersion() : null,
    file: path.relative(root, options.file),
    notebooks,
    totalSeconds: Math.round((now() - started) / 100) / 10,
  };
  await new Promise((resolve) => process.stdout.write(JSON.stringify(result, null, 2) + '\n', resolve));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
