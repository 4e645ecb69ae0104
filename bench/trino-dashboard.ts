/**
 * The retail dashboard notebook on the generated 2M-row lines, one engine after another in the same run: Trino (the
 * local cluster, over the Hive table hive.retail.<table>), native DuckDB (all cores) and DuckDB-WASM in Node over the
 * same generated rows (scripts/gen.ts, seed 42: the rows scripts/trino-warehouse.ts writes), and the tab (the built
 * app in headless Chromium, bench/tab-dashboard.mjs). Per cell: its time on each engine; on Trino, the statements it
 * ran with Trino's own stats (queued, analysis, planning, execution, CPU, scheduled, bytes read) and the bytes that
 * reached the client, as a fraction of the bytes Trino read for it. Writes bench/results/trino-dashboard[-<label>].json.
 * Usage: eval "$(scripts/trino.sh env)"; npx tsx bench/trino-dashboard.ts [--table lines_2m] [--rows 2000000]
 *          [--seed 42] [--engines trino,wasm-node,tab (default; or native too)] [--label 3-workers] [--no-build]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openNodeDatabase } from '../src/db/duckdb-node.ts';
import { openNativeDatabase } from '../src/db/duckdb-native.ts';
import { nodeParquetCodec } from '../src/db/parquet-node.ts';
import { TrinoDatabase } from '../src/db/trino.ts';
import { Scheduler, createEvaluator, describe, importFile, prepareRetailTable, type Database, type RunLogEvent } from '../src/engine/index.ts';
import { parseNotebook } from '../src/format/notebook-text.ts';
import { inProcessModelRunner } from '../src/workers/node-runner.ts';
import { runJsonChild } from './lib/common.mjs';
import { ensureData, root } from './lib/data.mjs';

const ENGINES = ['trino', 'native', 'wasm-node', 'tab'] as const;
type Engine = (typeof ENGINES)[number];

const { values } = parseArgs({
  options: {
    table: { type: 'string' },
    rows: { type: 'string' },
    seed: { type: 'string' },
    notebook: { type: 'string' },
    engines: { type: 'string' },
    label: { type: 'string' },
    'no-build': { type: 'boolean' },
  },
});
const table = values.table ?? 'lines_2m';
const rows = Number(values.rows ?? 2_000_000);
const seed = Number(values.seed ?? 42);
const notebookFile = values.notebook ?? 'notebooks/retail-dashboard.md';
// Native DuckDB only when asked: on 2M rows its in-process model inputs exhaust the heap (see bench/README.md).
const engines = (values.engines ?? 'trino,wasm-node,tab').split(',').filter(Boolean);
const unknown = engines.filter((engine) => !(ENGINES as readonly string[]).includes(engine));
if (unknown.length > 0) throw new Error(`--engines: no engine "${unknown.join('", "')}" (there are ${ENGINES.join(', ')})`);
const runs = (engine: Engine) => engines.includes(engine);
const server = (process.env.AISLE_TRINO_URL ?? 'http://127.0.0.1:18080').replace(/^https?:\/\//, '');
const notebook = parseNotebook(readFileSync(notebookFile, 'utf8'));
const SOURCE_COLUMNS = '"InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country"';
const log = (text: string) => process.stderr.write(`${text}\n`);

interface EngineResult {
  readonly label: string;
  readonly setupMs: number;
  readonly runMs: number;
  readonly cells: ReadonlyMap<string, { ms: number; status: string; error?: string }>;
  /** The kpis cell's row: the engines read the same rows when theirs agree. */
  readonly kpis?: unknown;
}

/** The notebook through the app's scheduler; `onCell` sees each cell's log event as it settles (cells run one at a time). */
async function runNotebook(db: Database, onCell: (event: RunLogEvent) => void = () => {}): Promise<{ runMs: number; log: RunLogEvent[] }> {
  const events: RunLogEvent[] = [];
  const started = performance.now();
  const scheduler = new Scheduler({
    evaluate: createEvaluator(db, inProcessModelRunner),
    onStates: () => {},
    onLog: (event) => {
      events.push(event);
      onCell(event);
    },
  });
  scheduler.update(notebook);
  await scheduler.runAll();
  return { runMs: performance.now() - started, log: events };
}

const cellMap = (events: readonly RunLogEvent[]) =>
  new Map(events.map((event) => [event.cell, { ms: Math.round(event.durationMs), status: event.status, ...(event.error ? { error: event.error.slice(0, 160) } : {}) }]));

/** The kpis row as plain numbers and text (integers of either engine as numbers). */
async function kpisOf(db: Database): Promise<unknown> {
  const row = (await db.query('SELECT * FROM kpis')).toArray()[0] as Record<string, unknown> | undefined;
  return row === undefined ? null : Object.fromEntries(Object.entries({ ...row }).map(([key, value]) => [key, typeof value === 'bigint' ? Number(value) : value]));
}

/** Native DuckDB, all cores, reading the generated Parquet file by path (as `aisle run` does), prepared as the app prepares it. */
async function onNative(file: string): Promise<EngineResult> {
  const started = performance.now();
  const db = await openNativeDatabase({ parquet: nodeParquetCodec });
  if (db === null) throw new Error('native DuckDB (@duckdb/node-api under native/) is not installed');
  try {
    await db.query(`CREATE TABLE sales AS SELECT * FROM read_parquet('${file.replaceAll("'", "''")}')`);
    await prepareRetailTable(db, 'sales', await describe(db, '"sales"'));
    await db.lockDown();
    const setupMs = performance.now() - started;
    const run = await runNotebook(db);
    return { label: db.label, setupMs: Math.round(setupMs), runMs: Math.round(run.runMs), cells: cellMap(run.log), kpis: await kpisOf(db) };
  } finally {
    await db.close();
  }
}

/** DuckDB-WASM's Node build: the file imported as the app imports a picked file, then prepared. */
async function onWasmNode(file: string): Promise<EngineResult> {
  const started = performance.now();
  const db = await openNodeDatabase();
  try {
    const bytes = new Uint8Array(readFileSync(file));
    const info = await importFile(db, nodeParquetCodec, { fileName: 'sales.parquet', size: bytes.length, source: { kind: 'bytes', bytes } }, { tableName: 'sales' });
    await prepareRetailTable(db, 'sales', info.columns);
    const setupMs = performance.now() - started;
    const run = await runNotebook(db);
    return { label: 'DuckDB-WASM in Node, 1 thread', setupMs: Math.round(setupMs), runMs: Math.round(run.runMs), cells: cellMap(run.log), kpis: await kpisOf(db) };
  } finally {
    await db.close();
  }
}

interface TabReport {
  readonly engine: string;
  readonly chromium: string;
  readonly complete: boolean;
  readonly loadMs: number;
  readonly renderMs: number;
  readonly perCell: readonly { cell: string; status: string; ms: number | null; error?: string }[];
  readonly failedCells: readonly string[];
}

async function onTab(): Promise<EngineResult & { report: Omit<TabReport, 'perCell'> }> {
  const args = ['bench/tab-dashboard.mjs', '--rows', String(rows), '--seed', String(seed), ...(values['no-build'] ? ['--no-build'] : [])];
  const report = (await runJsonChild(root, 'bench/tab-dashboard.mjs', process.execPath, args)) as TabReport;
  const cells = new Map(report.perCell.map((cell) => [cell.cell, { ms: Math.round(cell.ms ?? NaN), status: cell.status, ...(cell.error ? { error: cell.error.slice(0, 160) } : {}) }]));
  const { perCell: _perCell, ...rest } = report;
  return { label: `${report.engine} in Chromium ${report.chromium}`, setupMs: Math.round(report.loadMs), runMs: Math.round(report.renderMs), cells, report: rest };
}

// ------------------------------------------------------------------------------------------------- Trino

/** Trino's durations (`1.32m`, `662.00ms`, `0.00ns`) in milliseconds. */
function durationMs(text: string | undefined): number | undefined {
  const match = /^([\d.]+)(ns|us|ms|s|m|h|d)$/.exec(text ?? '');
  if (match === null) return undefined;
  const unit = { ns: 1e-6, us: 1e-3, ms: 1, s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7 }[match[2] as 'ns' | 'us' | 'ms' | 's' | 'm' | 'h' | 'd'];
  return Math.round(Number(match[1]) * unit * 10) / 10;
}

/** Trino's data sizes (`14.20MB`, `0B`) in bytes. */
function sizeBytes(text: string | undefined): number | undefined {
  const match = /^([\d.]+)(B|kB|MB|GB|TB|PB)$/.exec(text ?? '');
  if (match === null) return undefined;
  const unit = { B: 1, kB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4, PB: 1024 ** 5 }[match[2] as 'B' | 'kB' | 'MB' | 'GB' | 'TB' | 'PB'];
  return Math.round(Number(match[1]) * unit);
}

interface StatementStats {
  readonly sql: string;
  readonly queryId: string;
  readonly rows: number;
  /** The JSON pages' bytes: what crossed the wire to the client. */
  readonly clientBytes: number;
  readonly queuedMs?: number;
  readonly analysisMs?: number;
  readonly planningMs?: number;
  readonly executionMs?: number;
  readonly elapsedMs?: number;
  readonly cpuMs?: number;
  readonly scheduledMs?: number;
  readonly blockedMs?: number;
  readonly physicalInputBytes?: number;
  readonly processedInputBytes?: number;
  readonly outputBytes?: number;
}

/** A statement's stats from the coordinator's own record of it (GET /v1/query/<id>), fetched while it still keeps it. */
async function statementStats(entry: TrinoDatabase['history'][number]): Promise<StatementStats> {
  const base = { sql: entry.sql.replace(/\s+/g, ' ').slice(0, 120), queryId: entry.queryId, rows: entry.rows, clientBytes: entry.bytes };
  try {
    const response = await fetch(`http://${server}/v1/query/${entry.queryId}`, { headers: { 'X-Trino-User': 'aisle' } });
    if (!response.ok) return base;
    const stats = ((await response.json()) as { queryStats?: Record<string, string> }).queryStats ?? {};
    return {
      ...base,
      queuedMs: durationMs(stats.queuedTime),
      analysisMs: durationMs(stats.analysisTime),
      planningMs: durationMs(stats.planningTime),
      executionMs: durationMs(stats.executionTime),
      elapsedMs: durationMs(stats.elapsedTime),
      cpuMs: durationMs(stats.totalCpuTime),
      scheduledMs: durationMs(stats.totalScheduledTime),
      blockedMs: durationMs(stats.totalBlockedTime),
      physicalInputBytes: sizeBytes(stats.physicalInputDataSize),
      processedInputBytes: sizeBytes(stats.processedInputDataSize),
      outputBytes: sizeBytes(stats.outputDataSize),
    };
  } catch {
    return base;
  }
}

type Summed = 'clientBytes' | 'queuedMs' | 'analysisMs' | 'planningMs' | 'executionMs' | 'elapsedMs' | 'cpuMs' | 'scheduledMs' | 'blockedMs' | 'physicalInputBytes' | 'processedInputBytes';
const SUMMED: readonly Summed[] = ['clientBytes', 'queuedMs', 'analysisMs', 'planningMs', 'executionMs', 'elapsedMs', 'cpuMs', 'scheduledMs', 'blockedMs', 'physicalInputBytes', 'processedInputBytes'];

function totals(statements: readonly StatementStats[]): Record<Summed, number> & { statements: number } {
  const result = { statements: statements.length } as Record<Summed, number> & { statements: number };
  for (const key of SUMMED) result[key] = Math.round(statements.reduce((total, s) => total + (s[key] ?? 0), 0));
  return result;
}

async function onTrino(): Promise<EngineResult & { workers: number; setup: ReturnType<typeof totals>; byCell: Map<string, StatementStats[]> }> {
  const started = performance.now();
  const schema = `bench_${Date.now()}`;
  const trino = await TrinoDatabase.open(`trino://aisle@${server}/hive/${schema}`);
  const workers = Number((await trino.query("SELECT count(*) AS n FROM system.runtime.nodes WHERE NOT coordinator AND state = 'active'")).get(0)?.n);
  const version = String((await trino.query('SELECT node_version AS v FROM system.runtime.nodes WHERE coordinator')).get(0)?.v ?? '');
  try {
    // sales is a view over the warehouse table: nothing is uploaded.
    let seen = trino.history.length;
    await trino.query(`CREATE OR REPLACE VIEW sales AS SELECT ${SOURCE_COLUMNS} FROM hive.retail.${table}`);
    await prepareRetailTable(trino, 'sales', await describe(trino, '"sales"'));
    const setupMs = performance.now() - started;
    const setup = await Promise.all(trino.history.slice(seen).map(statementStats));
    seen = trino.history.length;
    // Cells run one at a time: the statements since the last cell settled are this cell's.
    const pending: Promise<void>[] = [];
    const byCell = new Map<string, StatementStats[]>();
    const run = await runNotebook(trino, (event) => {
      const mine = trino.history.slice(seen);
      seen = trino.history.length;
      pending.push(Promise.all(mine.map(statementStats)).then((stats) => void byCell.set(event.cell, stats)));
    });
    await Promise.all(pending);
    const kpis = await kpisOf(trino);
    return { label: `Trino ${version}, 1 coordinator + ${workers} worker${workers === 1 ? '' : 's'}`, workers, setupMs: Math.round(setupMs), runMs: Math.round(run.runMs), cells: cellMap(run.log), kpis, setup: totals(setup), byCell };
  } finally {
    await trino.query(`SELECT table_name, table_type FROM hive.information_schema.tables WHERE table_schema = '${schema}'`).then(async (tables) => {
      for (const row of tables.toArray()) await trino.query(`DROP ${row.table_type === 'VIEW' ? 'VIEW' : 'TABLE'} IF EXISTS "${String(row.table_name)}"`).catch(() => undefined);
      await trino.query(`DROP SCHEMA IF EXISTS hive."${schema}"`).catch(() => undefined);
    });
  }
}

// ------------------------------------------------------------------------------------------------- the run

const file = await ensureData(rows, 'parquet', seed);
const results: Partial<Record<Engine, EngineResult>> = {};
let trinoResult: Awaited<ReturnType<typeof onTrino>> | undefined;
let tabReport: Omit<TabReport, 'perCell'> | undefined;
if (runs('trino')) {
  log(`trino: the dashboard over hive.retail.${table} …`);
  trinoResult = await onTrino();
  results.trino = trinoResult;
}
if (runs('native')) {
  log('native DuckDB …');
  results.native = await onNative(file.path);
}
if (runs('wasm-node')) {
  log('DuckDB-WASM in Node …');
  results['wasm-node'] = await onWasmNode(file.path);
}
if (runs('tab')) {
  log('the tab (Chromium) …');
  const tab = await onTab();
  results.tab = tab;
  tabReport = tab.report;
}

const names = [...new Set(Object.values(results).flatMap((result) => [...result.cells.keys()]))];
const kinds = new Map(notebook.cells.flatMap((cell) => (cell.kind === 'markdown' ? [] : [[cell.name, cell.kind] as const])));
const cells = names.map((cell) => {
  const statements = trinoResult?.byCell.get(cell);
  const trinoTotals = statements === undefined ? undefined : totals(statements);
  return {
    cell,
    kind: kinds.get(cell),
    ...Object.fromEntries(Object.entries(results).map(([engine, result]) => [engine, result.cells.get(cell) ?? null])),
    ...(trinoTotals === undefined
      ? {}
      : {
          trinoStats: {
            ...trinoTotals,
            // Time spent in the client: paging the JSON results, turning them into Arrow, the model itself.
            clientSideMs: Math.max(0, (trinoResult?.cells.get(cell)?.ms ?? 0) - trinoTotals.elapsedMs),
            clientBytesPerInputByte: trinoTotals.processedInputBytes > 0 ? Number((trinoTotals.clientBytes / trinoTotals.processedInputBytes).toPrecision(3)) : null,
          },
        }),
  };
});
const modelCells = cells.filter((cell) => cell.kind === 'model' && cell.trinoStats !== undefined).map((cell) => ({ cell: cell.cell, ...cell.trinoStats }));
const allStatements = trinoResult === undefined ? [] : [...trinoResult.byCell.values()].flat();
const result = {
  notebook: notebookFile,
  rows,
  seed,
  date: new Date().toISOString(),
  data: { file: file.path.slice(root.length + 1), bytes: file.bytes, warehouseTable: `hive.retail.${table}` },
  engines: Object.fromEntries(Object.entries(results).map(([engine, r]) => [engine, { label: r.label, setupMs: r.setupMs, runMs: r.runMs, kpis: r.kpis }])),
  ...(tabReport ? { tab: tabReport } : {}),
  ...(trinoResult ? { trino: { workers: trinoResult.workers, setup: trinoResult.setup, run: totals(allStatements), modelCells } } : {}),
  cells,
  statements: trinoResult ? Object.fromEntries(trinoResult.byCell) : {},
};
mkdirSync('bench/results', { recursive: true });
const out = `bench/results/trino-dashboard${values.label ? `-${values.label}` : ''}.json`;
writeFileSync(out, JSON.stringify(result, null, 2));
log(`written to ${out}`);
console.log(JSON.stringify({ ...result, statements: undefined }, null, 2));
