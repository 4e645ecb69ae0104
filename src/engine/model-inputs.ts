/**
 * A model cell's input table as its worker receives it: only the columns the model reads, numbers in Arrow's own
 * buffers, and text as dictionary codes (a DuckDB ENUM: each distinct value once, a small integer per row), so
 * neither DuckDB's export nor the worker makes a string per row.
 */
import { tableToIPC } from 'apache-arrow';
import type { Database } from './ports.ts';
import { quoteIdent } from '../util/sql.ts';
import { dialectOf } from '../util/dialect/index.ts';

/** Export names are unique per call: two cells exporting at once must not drop each other's view. */
let exportCount = 0;

/**
 * The Arrow IPC bytes of `table` for a model: `reads` (the model's columns, in the table's order) or every column
 * when it is undefined or names a column the table lacks (the model's own error then names what is missing and
 * what there is). VARCHAR columns arrive as Arrow dictionaries; `frameFromIpc` reads them back as the same text.
 */
export async function exportModelInput(db: Database, table: string, reads: readonly string[] | undefined, signal?: AbortSignal): Promise<Uint8Array> {
  if (dialectOf(db).name !== 'duckdb') return exportOrdered(db, table, signal);
  const described = await db.query(`SELECT column_name, column_type FROM (DESCRIBE ${quoteIdent(table)})`, { signal });
  const columns = described.toArray().map((row) => ({ name: String(row.column_name), type: String(row.column_type) }));
  const present = new Set(columns.map((column) => column.name));
  const chosen = reads !== undefined && reads.every((name) => present.has(name)) ? columns.filter((column) => reads.includes(column.name)) : columns;
  const view = `__aisle_model_input_${++exportCount}`;
  const types = chosen.map((column, index) => (column.type === 'VARCHAR' ? `${view}_${index}` : undefined));
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
    return await db.exportArrowIpc(view);
  } finally {
    await db.query(cleanup.join(';\n')).catch(() => undefined);
  }
}

/**
 * A table of an engine that keeps no row order (Trino): read sorted by its columns, left to right, so a model seeded by
 * row position (k-means) sees the same rows in the same order on every run, and in DuckDB's order when that table was
 * made sorted (rfm, by customer_id). ENUM codes and DESCRIBE of a relation are DuckDB's: the columns go as they are.
 */
async function exportOrdered(db: Database, table: string, signal?: AbortSignal): Promise<Uint8Array> {
  const probe = await db.query(`SELECT * FROM ${quoteIdent(table)} LIMIT 0`, { signal });
  const positions = probe.schema.fields.map((_, index) => index + 1).join(', ');
  if (positions === '') return db.exportArrowIpc(table);
  return tableToIPC(await db.query(`SELECT * FROM ${quoteIdent(table)} ORDER BY ${positions}`, { signal }), 'stream');
}
