/**
 * Input columns a model cell's own table repeats row for row (`WorkerModel.carries`: K-Means' customer ids), kept in
 * the database instead of going to the worker and back: half a million unique ids were most of a K-Means cell's
 * overhead (exported, decoded into strings, encoded again and inserted). The engine sends the input without them and
 * joins the input's own columns back to the model's table by row position (`POSITIONAL JOIN`). Only for a table of
 * DuckDB, whose scans give its rows in the same order each time (a view's query need not), and only for a big one:
 * the join copies every row once more, which costs more than it saves below about 100,000 rows.
 */
import type { Database } from './ports.ts';
import { quoteIdent, quoteLiteral } from '../util/sql.ts';

/** Tables from this many rows have their carried columns kept back. */
export const CARRY_FROM_ROWS = 100_000;

/**
 * A scalar subquery for the rows of the one table `table` names (DuckDB's estimate, exact for a table as written), or
 * NULL when the name holds a view, nothing, or a temporary and a schema table both. Matched as DuckDB resolves names.
 */
export function tableRowsSql(table: string): string {
  const name = quoteLiteral(table);
  return `(SELECT CASE WHEN count(*) = 1 AND NOT EXISTS (SELECT 1 FROM duckdb_views() AS v WHERE NOT v.internal AND lower(v.view_name) = lower(${name})) THEN max(t.estimated_size) END
    FROM duckdb_tables() AS t WHERE lower(t.table_name) = lower(${name}) AND (t.temporary OR t.schema_name = current_schema()))::DOUBLE`;
}

/**
 * The columns of `carries` to keep back: all of them when the input is a table (`tableRows`, from `tableRowsSql`) of
 * CARRY_FROM_ROWS rows or more holding each of them, and the model reads something else too; else none.
 */
export function carriedColumns(carries: readonly string[], columns: readonly string[], reads: readonly string[] | undefined, tableRows: number | null | undefined): readonly string[] {
  if (carries.length === 0 || tableRows === null || tableRows === undefined || Number(tableRows) < CARRY_FROM_ROWS) return [];
  if (!carries.every((column) => columns.includes(column))) return [];
  return (reads ?? columns).some((column) => !carries.includes(column)) ? carries : [];
}

/**
 * The model's own table, just inserted as `cell`, with the `carried` columns of `input` put back in front, row by row,
 * in one round trip. Fails, leaving the table as the model gave it, when the two no longer have as many rows (the
 * input changed while the model ran).
 */
export async function joinCarried(db: Database, cell: string, input: string, carried: readonly string[], signal?: AbortSignal): Promise<void> {
  const changed = quoteLiteral(`${input} changed while the model ran: it no longer has a row for each of the model's`);
  const columns = carried.map((column) => `i.${quoteIdent(column)}`).join(', ');
  await db.query(
    [
      `SELECT CASE WHEN (SELECT count(*) FROM ${quoteIdent(input)}) <> (SELECT count(*) FROM ${quoteIdent(cell)}) THEN error(${changed}) END`,
      `CREATE OR REPLACE TABLE ${quoteIdent(cell)} AS SELECT ${columns}, o.* FROM ${quoteIdent(input)} AS i POSITIONAL JOIN ${quoteIdent(cell)} AS o`,
    ].join(';\n'),
    { signal },
  );
}
