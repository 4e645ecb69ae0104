import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataType, type Table } from 'apache-arrow';
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

/**
 * The notebook on DuckDB-WASM in Node over the warehouse's Parquet files themselves (`<warehouse>/retail/<table>/
 * month=…/`): the very rows Trino reads, each file decoded as the app decodes a loaded one, then prepared as the app
 * prepares a loaded table. (Native DuckDB's in-process results are converted row by row in JS; on 2M rows its model
 * inputs ran the test worker out of heap.)
 */
export async function runOnDuckDbWarehouse(notebook: Notebook, warehouseTable: string): Promise<EngineRun> {
  const warehouse = process.env.AISLE_TRINO_WAREHOUSE;
  if (warehouse === undefined || warehouse === '') throw new Error('AISLE_TRINO_WAREHOUSE is not set (eval "$(scripts/trino.sh env)")');
  const location = join(warehouse, 'retail', warehouseTable);
  const files = readdirSync(location).filter((name) => name.startsWith('month=')).sort().map((name) => join(location, name, 'part-0.parquet'));
  if (files.length === 0) throw new Error(`${location} holds no month partitions: write it with scripts/trino-warehouse.ts`);
  const db = await openNodeDatabase();
  try {
    const parts: string[] = [];
    for (const [index, file] of files.entries()) {
      parts.push(`part_${index}`);
      await db.insertArrowIpc(`part_${index}`, await nodeParquetCodec.toArrowIpc(new Uint8Array(readFileSync(file))));
    }
    const columns = SAMPLE_COLUMNS.map(quoteIdent).join(', ');
    await db.query(`CREATE TABLE sales AS ${parts.map((part) => `SELECT ${columns} FROM ${part}`).join(' UNION ALL ')}`);
    for (const part of parts) await db.query(`DROP TABLE ${part}`);
    await prepareRetailTable(db, 'sales', await describeColumns(db, quoteIdent('sales')));
    return await runNotebook(db, notebook);
  } catch (error) {
    await db.close();
    throw error;
  }
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

/**
 * An order-insensitive summary of a relation, by country, in SQL both engines read: per column its count of distinct
 * values, least and greatest, and for numbers the sum. For the inputs too large to move to the client row by row.
 */
export async function summarySql(db: Database, relation: string): Promise<string> {
  const fields = (await db.query(`SELECT * FROM ${quoteIdent(relation)} LIMIT 0`)).schema.fields;
  if (!fields.some((field) => field.name === 'country')) throw new Error(`${relation} has no country column to summarise by`);
  const parts = fields.flatMap((field) => {
    const column = quoteIdent(field.name);
    const numeric = DataType.isInt(field.type) || DataType.isFloat(field.type) || DataType.isDecimal(field.type);
    return [
      `count(DISTINCT ${column}) AS ${quoteIdent(`${field.name}_distinct`)}`,
      `min(${column}) AS ${quoteIdent(`${field.name}_min`)}`,
      `max(${column}) AS ${quoteIdent(`${field.name}_max`)}`,
      ...(numeric ? [`CAST(sum(${column}) AS DOUBLE) AS ${quoteIdent(`${field.name}_sum`)}`] : []),
    ];
  });
  return `SELECT country, count(*) AS row_count, ${parts.join(', ')} FROM ${quoteIdent(relation)} GROUP BY country`;
}
