import { readFileSync } from 'node:fs';
import type { Table } from 'apache-arrow';
import { openNodeDatabase } from '../../src/db/duckdb-node.ts';
import { nodeParquetCodec } from '../../src/db/parquet-node.ts';
import { TrinoDatabase } from '../../src/db/trino.ts';
import { inProcessModelRunner } from '../../src/workers/node-runner.ts';
import { createEvaluator } from '../../src/engine/evaluate/index.ts';
import { Scheduler, type RunLogEvent } from '../../src/engine/scheduler.ts';
import { importFile } from '../../src/engine/datasets.ts';
import { prepareRetailTable } from '../../src/engine/retail-table.ts';
import { describe as describeColumns } from '../../src/engine/catalog.ts';
import type { CellStatus } from '../../src/engine/status.ts';
import { describeCellError } from '../../src/engine/errors.ts';
import type { Notebook } from '../../src/engine/notebook.ts';
import type { Database } from '../../src/engine/ports.ts';
import { quoteIdent } from '../../src/util/sql.ts';

/** The cluster the suite runs on; the suite fails (never skips) when it is not given. */
export function trinoServer(): string {
  const url = process.env.AISLE_TRINO_URL;
  if (url === undefined || url === '') {
    throw new Error('AISLE_TRINO_URL is not set: start the cluster with scripts/trino.sh start and eval "$(scripts/trino.sh env)"');
  }
  return url.replace(/^https?:\/\//, '');
}

/** The sample's source columns, as the warehouse table holds them (its `month` partition column left out). */
export const SAMPLE_COLUMNS = ['InvoiceNo', 'StockCode', 'Description', 'Quantity', 'InvoiceDate', 'UnitPrice', 'CustomerID', 'Country'];

export interface EngineRun {
  readonly db: Database;
  /** Cell name → its state after the run, and its error when it failed. */
  readonly cells: ReadonlyMap<string, { state: CellStatus; error?: string }>;
  readonly log: readonly RunLogEvent[];
  readonly ms: number;
}

async function runNotebook(db: Database, notebook: Notebook): Promise<EngineRun> {
  const started = performance.now();
  const log: RunLogEvent[] = [];
  const scheduler = new Scheduler({ evaluate: createEvaluator(db, inProcessModelRunner), onStates: () => {}, onLog: (event) => log.push(event) });
  scheduler.update(notebook);
  await scheduler.runAll();
  const cells = new Map<string, { state: CellStatus; error?: string }>();
  for (const cell of notebook.cells) {
    if (cell.kind === 'markdown') continue;
    const state = scheduler.cellStates[cell.id];
    cells.set(cell.name, { state: state?.status ?? 'idle', ...(state?.error ? { error: describeCellError(state.error) } : {}) });
  }
  return { db, cells, log, ms: performance.now() - started };
}

/** DuckDB-WASM in Node with the sample file loaded as the app loads it: `sales`, `sales_canonical`, `sales_clean`. */
export async function openDuckDbSales(parquetPath: string): Promise<Database> {
  const db = await openNodeDatabase();
  const bytes = new Uint8Array(readFileSync(parquetPath));
  const info = await importFile(db, nodeParquetCodec, { fileName: 'sales.parquet', size: bytes.length, source: { kind: 'bytes', bytes } }, { tableName: 'sales' });
  await prepareRetailTable(db, 'sales', info.columns);
  return db;
}

/** Trino in a fresh schema of the Hive catalog, with `sales` a view over a warehouse table, canonical and cleaned. */
export async function openTrinoSales(warehouseTable: string, schema: string): Promise<Database> {
  const db = await TrinoDatabase.open(`trino://aisle@${trinoServer()}/hive/${schema}`);
  await db.query(`CREATE OR REPLACE VIEW sales AS SELECT ${SAMPLE_COLUMNS.map(quoteIdent).join(', ')} FROM ${warehouseTable}`);
  await prepareRetailTable(db, 'sales', await describeColumns(db, quoteIdent('sales')));
  return db;
}

/** The notebook on DuckDB-WASM in Node, over the sample file loaded as the app loads it. */
export async function runOnDuckDb(notebook: Notebook, parquetPath: string): Promise<EngineRun> {
  return runNotebook(await openDuckDbSales(parquetPath), notebook);
}

/** The notebook on Trino, in a fresh schema of the Hive catalog, with `sales` a view over a warehouse table. */
export async function runOnTrino(notebook: Notebook, warehouseTable: string, schema: string): Promise<EngineRun> {
  return runNotebook(await openTrinoSales(warehouseTable, schema), notebook);
}

/** Drop a schema the suite made, with everything in it. */
export async function dropSchema(db: Database, schema: string): Promise<void> {
  const tables = await db.query(`SELECT table_name, table_type FROM hive.information_schema.tables WHERE table_schema = '${schema}'`);
  for (const row of tables.toArray()) {
    const kind = row.table_type === 'VIEW' ? 'VIEW' : 'TABLE';
    await db.query(`DROP ${kind} IF EXISTS ${quoteIdent(String(row.table_name))}`).catch(() => undefined);
  }
  await db.query(`DROP SCHEMA IF EXISTS hive.${quoteIdent(schema)}`).catch(() => undefined);
}

type Plain = string | number | boolean | null | Plain[];

/** A cell value as plain data both engines agree on: numbers for every integer and float, epoch ms for dates and times. */
function plain(value: unknown): Plain {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'object' && Symbol.iterator in value) return [...(value as Iterable<unknown>)].map(plain);
  return JSON.stringify(value);
}

export function rowsOf(table: Table): Plain[][] {
  const names = table.schema.fields.map((field) => field.name);
  return table.toArray().map((row) => names.map((name) => plain((row as Record<string, unknown>)[name])));
}

/** Close enough: equal, or doubles within `relative` (1e-9 unless told; both NaN counts as equal). */
function same(a: Plain, b: Plain, relative: number): boolean {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
    return a === b || Math.abs(a - b) <= relative * Math.max(Math.abs(a), Math.abs(b));
  }
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => same(item, b[i] ?? null, relative));
  return a === b;
}

/** A sort key that puts rows equal to 1e-9 next to each other: numbers rounded to 9 significant digits. */
function key(row: Plain[]): string {
  return JSON.stringify(row.map((value) => (typeof value === 'number' && Number.isFinite(value) ? Number(value.toPrecision(9)) : value)));
}

/** The first difference between two tables, order-insensitive; undefined when they hold the same rows. */
export function tableDifference(expected: Table, actual: Table, relative = 1e-9): string | undefined {
  const names = (table: Table) => table.schema.fields.map((field) => field.name);
  if (JSON.stringify(names(expected)) !== JSON.stringify(names(actual))) {
    return `columns differ: ${names(expected).join(', ')} vs ${names(actual).join(', ')}`;
  }
  if (expected.numRows !== actual.numRows) return `${expected.numRows} rows vs ${actual.numRows}`;
  const left = rowsOf(expected).sort((a, b) => key(a).localeCompare(key(b)));
  const right = rowsOf(actual).sort((a, b) => key(a).localeCompare(key(b)));
  for (let i = 0; i < left.length; i++) {
    const a = left[i]!;
    const b = right[i]!;
    if (!a.every((value, j) => same(value, b[j] ?? null, relative))) return `row ${i} (sorted) differs: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
  }
  return undefined;
}
