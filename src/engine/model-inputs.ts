/**
 * A model cell's input table as its worker receives it: only the columns the model reads, numbers in Arrow's own
 * buffers, and text as dictionary codes (a DuckDB ENUM: each distinct value once, a small integer per row), so
 * neither DuckDB's export nor the worker makes a string per row.
 */
import { tableToIPC } from 'apache-arrow';
import type { Database } from './ports.ts';
import { quoteIdent } from '../util/sql.ts';
import { dialectOf } from '../util/dialect/index.ts';
import { carriedColumns, tableRowsSql } from './model-carried.ts';

/** Export names are unique per call: two cells exporting at once must not drop each other's view. */
let exportCount = 0;

/** A model's input as its worker receives it, and the columns the engine keeps back to carry (see model-carried.ts). */
export interface ModelInput {
  readonly bytes: Uint8Array;
  readonly carried: readonly string[];
}

/**
 * The Arrow IPC bytes of `table` for a model: `reads` (the model's columns, in the table's order) or every column
 * when it is undefined or names a column the table lacks (the model's own error then names what is missing and
 * what there is). VARCHAR columns arrive as Arrow dictionaries; `frameFromIpc` reads them back as the same text.
 */
export async function exportModelInput(db: Database, table: string, reads: readonly string[] | undefined, signal?: AbortSignal): Promise<Uint8Array> {
  return (await modelInput(db, table, reads, [], signal)).bytes;
}

/** The same, leaving out the columns of `carries` the engine can carry instead (`carriedColumns`): they are `carried`. */
export async function modelInput(db: Database, table: string, reads: readonly string[] | undefined, carries: readonly string[], signal?: AbortSignal): Promise<ModelInput> {
  if (dialectOf(db).name !== 'duckdb') return { bytes: await exportOrdered(db, quoteIdent(table), reads, signal), carried: [] };
  // Whether the input is a table, and how big, asked only of a model that carries columns, in the same query.
  const tableRows = carries.length > 0 ? `, ${tableRowsSql(table)} AS table_rows` : '';
  const described = await db.query(`SELECT column_name, column_type${tableRows} FROM (DESCRIBE ${quoteIdent(table)})`, { signal });
  const rows = described.toArray();
  const columns = rows.map((row) => ({ name: String(row.column_name), type: String(row.column_type) }));
  const present = new Set(columns.map((column) => column.name));
  const carried = carriedColumns(carries, columns.map((column) => column.name), reads, rows[0]?.table_rows as number | null | undefined);
  const wanted = reads?.filter((name) => !carried.includes(name)) ?? (carried.length > 0 ? [...present].filter((name) => !carried.includes(name)) : undefined);
  const chosen = wanted !== undefined && wanted.every((name) => present.has(name)) ? columns.filter((column) => wanted.includes(column.name)) : columns;
  const view = `__aisle_model_input_${++exportCount}`;
  const repetitive = await repetitiveText(db, table, chosen, signal);
  const types = chosen.map((column, index) => (repetitive.has(column.name) ? `${view}_${index}` : undefined));
  const select = (encoded: boolean) =>
    chosen.map((column, index) => {
      const type = types[index];
      return encoded && type !== undefined ? `${quoteIdent(column.name)}::${quoteIdent(type)} AS ${quoteIdent(column.name)}` : quoteIdent(column.name);
    });
  const cleanup = [`DROP VIEW IF EXISTS ${quoteIdent(view)}`, ...types.flatMap((type) => (type === undefined ? [] : [`DROP TYPE IF EXISTS ${quoteIdent(type)}`]))];
  try {
    const createTypes = chosen.flatMap((column, index) => {
      const type = types[index];
      return type === undefined ? [] : [`CREATE TYPE ${quoteIdent(type)} AS ENUM (SELECT DISTINCT ${quoteIdent(column.name)} FROM ${quoteIdent(table)} WHERE ${quoteIdent(column.name)} IS NOT NULL)`];
    });
    try {
      await db.query([...createTypes, `CREATE VIEW ${quoteIdent(view)} AS SELECT ${select(true).join(', ')} FROM ${quoteIdent(table)}`].join(';\n'), { signal });
    } catch (error) {
      // Codes are an optimisation: where DuckDB refuses them (an all-NULL column makes an empty ENUM), send plain text.
      if (signal?.aborted) throw error;
      await db.query(cleanup.join(';\n'));
      await db.query(`CREATE VIEW ${quoteIdent(view)} AS SELECT ${select(false).join(', ')} FROM ${quoteIdent(table)}`, { signal });
    }
    return { bytes: await db.exportArrowIpc(view), carried };
  } finally {
    await db.query(cleanup.join(';\n')).catch(() => undefined);
  }
}

/**
 * The rows of a model's `prepare` query as its worker receives them. DuckDB keeps them first in a table of its own
 * (dropped after), so the codes and the export read the aggregate once, not once per text column; Trino reads the
 * query sorted, as it reads a table.
 */
export async function exportPreparedInput(db: Database, query: string, signal?: AbortSignal): Promise<Uint8Array> {
  const dialect = dialectOf(db);
  if (dialect.name !== 'duckdb') return exportOrdered(db, `(${query}) AS prepared`, undefined, signal);
  const table = `__aisle_model_prepared_${++exportCount}`;
  try {
    await db.query(dialect.createTableAs(table, query), { signal });
    return await exportModelInput(db, table, undefined, signal);
  } finally {
    await db.query(`DROP TABLE IF EXISTS ${quoteIdent(table)}`).catch(() => undefined);
  }
}

/**
 * A table of an engine that keeps no row order (Trino): read sorted by all its columns, left to right, so a model
 * seeded by row position (k-means) sees the same rows in the same order on every run, and in DuckDB's order when that
 * table was made sorted (rfm, by customer_id). Only the columns the model reads leave the cluster (all of them when
 * one is missing, as on DuckDB); rows that tie on every column are alike, so the order of what is sent is fixed.
 * ENUM codes and DESCRIBE of a relation are DuckDB's: the columns go as they are.
 */
async function exportOrdered(db: Database, relation: string, reads: readonly string[] | undefined, signal?: AbortSignal): Promise<Uint8Array> {
  const probe = await db.query(`SELECT * FROM ${relation} LIMIT 0`, { signal });
  const names = probe.schema.fields.map((field) => field.name);
  if (names.length === 0) return tableToIPC(probe, 'stream');
  const chosen = reads !== undefined && reads.every((name) => names.includes(name)) ? names.filter((name) => reads.includes(name)) : names;
  const sql = `SELECT ${chosen.map(quoteIdent).join(', ')} FROM ${relation} ORDER BY ${names.map(quoteIdent).join(', ')}`;
  return tableToIPC(await db.query(sql, { signal }), 'stream');
}

/** Inputs larger than this are exported afresh each run rather than held in memory. */
const MAX_CACHED_INPUT_BYTES = 16 * 1024 * 1024;

/**
 * Model inputs kept between runs, by table and columns read, while `stampOf(table)` stays the same: a server that
 * re-runs a prediction cell with new inputs does not export its unchanged model table again each time. A table
 * `stampOf` cannot vouch for (undefined) is always exported.
 */
export class ModelInputCache {
  private readonly entries = new Map<string, { readonly stamp: string; readonly input: ModelInput }>();

  constructor(private readonly stampOf: (table: string) => string | undefined) {}

  async export(db: Database, table: string, reads: readonly string[] | undefined, carries: readonly string[], signal?: AbortSignal): Promise<ModelInput> {
    const key = JSON.stringify([table.toLowerCase(), reads ?? null, carries]);
    const stamp = this.stampOf(table);
    const held = this.entries.get(key);
    // Copies in and out: a runner may transfer the buffer it is given to a worker, which empties it here.
    if (stamp !== undefined && held?.stamp === stamp) return { ...held.input, bytes: held.input.bytes.slice() };
    this.entries.delete(key);
    const input = await modelInput(db, table, reads, carries, signal);
    if (stamp !== undefined && this.stampOf(table) === stamp && input.bytes.byteLength <= MAX_CACHED_INPUT_BYTES) this.entries.set(key, { stamp, input: { ...input, bytes: input.bytes.slice() } });
    return input;
  }
}

/**
 * The text columns worth sending as codes: those whose values repeat (at most one distinct value per two rows, by
 * DuckDB's estimate). A column of unique ids would make an ENUM as long as the table, slower to build and to send
 * than the text itself.
 */
async function repetitiveText(db: Database, table: string, columns: readonly { name: string; type: string }[], signal?: AbortSignal): Promise<Set<string>> {
  const text = columns.filter((column) => column.type === 'VARCHAR');
  if (text.length === 0) return new Set();
  const counts = text.map((column, index) => `count(${quoteIdent(column.name)})::DOUBLE AS n${index}, approx_count_distinct(${quoteIdent(column.name)})::DOUBLE AS d${index}`);
  const row = (await db.query(`SELECT ${counts.join(', ')} FROM ${quoteIdent(table)}`, { signal })).toArray()[0] as Record<string, number> | undefined;
  return new Set(text.filter((_, index) => row !== undefined && 2 * Number(row[`d${index}`]) <= Number(row[`n${index}`])).map((column) => column.name));
}
