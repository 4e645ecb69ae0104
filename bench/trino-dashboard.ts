/**
 * The retail dashboard notebook on the generated 2M-row lines: Trino (the local cluster, over hive.retail.<table>) vs
 * DuckDB-WASM in Node, same data (generator seed 42), same run. Per cell: time on each engine; for model cells, the
 * bytes that reached the client from Trino; for every Trino statement, Trino's own stats (queued, CPU, wall, rows and
 * bytes read). Writes bench/results/trino-dashboard.json.
 * Usage: eval "$(scripts/trino.sh env)"; npx tsx bench/trino-dashboard.ts [--table lines_2m] [--rows 2000000]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { tableToIPC } from 'apache-arrow';
import { openNodeDatabase } from '../src/db/duckdb-node.ts';
import { TrinoDatabase } from '../src/db/trino.ts';
import { generate, toArrowTable } from '../src/data/generate.ts';
import { Scheduler, createEvaluator, describe, prepareRetailTable, type Database, type RunLogEvent } from '../src/engine/index.ts';
import { parseNotebook } from '../src/format/notebook-text.ts';
import { inProcessModelRunner } from '../src/workers/node-runner.ts';

const { values } = parseArgs({ options: { table: { type: 'string' }, rows: { type: 'string' }, notebook: { type: 'string' } } });
const table = values.table ?? 'lines_2m';
const rows = Number(values.rows ?? 2_000_000);
const notebookFile = values.notebook ?? 'notebooks/retail-dashboard.md';
const server = (process.env.AISLE_TRINO_URL ?? 'http://127.0.0.1:18080').replace(/^https?:\/\//, '');
const notebook = parseNotebook(readFileSync(notebookFile, 'utf8'));
const SOURCE_COLUMNS = '"InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country"';

async function run(db: Database): Promise<{ setupMs: number; cells: RunLogEvent[]; totalMs: number }> {
  const log: RunLogEvent[] = [];
  const started = performance.now();
  const scheduler = new Scheduler({ evaluate: createEvaluator(db, inProcessModelRunner), onStates: () => {}, onLog: (event) => log.push(event) });
  scheduler.update(notebook);
  await scheduler.runAll();
  return { setupMs: 0, cells: log, totalMs: performance.now() - started };
}

// DuckDB-WASM: the generated rows inserted as Arrow, then prepared as the app prepares a loaded file.
let started = performance.now();
const duck = await openNodeDatabase();
await duck.insertArrowIpc('sales', tableToIPC(toArrowTable(generate({ rows, seed: 42, layout: 'online-retail' })), 'stream'));
await prepareRetailTable(duck, 'sales', await describe(duck, '"sales"'));
const duckSetup = performance.now() - started;
const duckRun = await run(duck);
await duck.close();

// Trino: sales is a view over the warehouse table; nothing is uploaded.
started = performance.now();
const schema = `bench_${Date.now()}`;
const trino = await TrinoDatabase.open(`trino://aisle@${server}/hive/${schema}`);
await trino.query(`CREATE OR REPLACE VIEW sales AS SELECT ${SOURCE_COLUMNS} FROM hive.retail.${table}`);
await prepareRetailTable(trino, 'sales', await describe(trino, '"sales"'));
const trinoSetup = performance.now() - started;
const setupStatements = trino.history.length;
const trinoRun = await run(trino);

const byCell = (events: RunLogEvent[]) => new Map(events.map((event) => [event.cell, event]));
const duckCells = byCell(duckRun.cells);
const cells = trinoRun.cells.map((event) => ({
  cell: event.cell,
  kind: event.kind,
  duckdbMs: Math.round(duckCells.get(event.cell)?.durationMs ?? NaN),
  duckdbStatus: duckCells.get(event.cell)?.status,
  trinoMs: Math.round(event.durationMs),
  trinoStatus: event.status,
  ...(event.error ? { trinoError: event.error.slice(0, 160) } : {}),
}));
// What reached the client from Trino: model cells read their inputs whole (SELECT * FROM input).
const statements = trino.history.slice(setupStatements).map((entry) => ({
  sql: entry.sql.replace(/\s+/g, ' ').slice(0, 120),
  queryId: entry.queryId,
  rows: entry.rows,
  clientBytes: entry.bytes,
  queuedMs: entry.stats?.queuedTimeMillis,
  elapsedMs: entry.stats?.elapsedTimeMillis,
  cpuMs: entry.stats?.cpuTimeMillis,
  wallMs: entry.stats?.wallTimeMillis,
  processedRows: entry.stats?.processedRows,
  processedBytes: entry.stats?.processedBytes,
  physicalInputBytes: entry.stats?.physicalInputBytes,
}));
const sum = (key: 'queuedMs' | 'elapsedMs' | 'cpuMs' | 'wallMs' | 'clientBytes') => statements.reduce((total, s) => total + (s[key] ?? 0), 0);
const result = {
  notebook: notebookFile,
  rows,
  warehouseTable: `hive.retail.${table}`,
  duckdb: { setupMs: Math.round(duckSetup), runMs: Math.round(duckRun.totalMs) },
  trino: {
    setupMs: Math.round(trinoSetup),
    runMs: Math.round(trinoRun.totalMs),
    statements: statements.length,
    queuedMs: sum('queuedMs'),
    elapsedMs: sum('elapsedMs'),
    cpuMs: sum('cpuMs'),
    clientBytes: sum('clientBytes'),
  },
  cells,
  statements,
};
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/trino-dashboard.json', JSON.stringify(result, null, 2));
console.log(JSON.stringify({ ...result, statements: undefined }, null, 2));
