import type { Database } from './ports.ts';
import type { ColumnInfo } from './catalog.ts';
import { quoteIdent } from '../util/sql.ts';

export interface SortOrder {
  readonly column: string;
  readonly descending: boolean;
}

export interface PageRequest {
  readonly offset: number;
  readonly limit: number;
  readonly sort?: SortOrder | null;
  readonly signal?: AbortSignal;
}

/** One cell as shown: DuckDB's own text for the value (exact decimals, timestamps, lists), or null. */
export type DisplayValue = string | null;

/**
 * A page of rows of a table or view as text, sorted in DuckDB — the page never holds more than it shows,
 * so a result of millions of rows stays fast. Ties keep table order (by rowid) so pages never overlap.
 */
export async function fetchPage(
  db: Database,
  relation: { readonly name: string; readonly kind: 'table' | 'view' },
  columns: readonly ColumnInfo[],
  request: PageRequest,
): Promise<DisplayValue[][]> {
  if (columns.length === 0) return [];
  const select = columns.map((column, index) => `${displayText(column)} AS c${index}`).join(', ');
  const order: string[] = [];
  if (request.sort) order.push(`${quoteIdent(request.sort.column)} ${request.sort.descending ? 'DESC' : 'ASC'} NULLS LAST`);
  if (relation.kind === 'table' && order.length > 0) order.push('rowid');
  const sql =
    `SELECT ${select} FROM ${quoteIdent(relation.name)}` +
    (order.length > 0 ? ` ORDER BY ${order.join(', ')}` : '') +
    ` LIMIT ${Math.max(0, Math.floor(request.limit))} OFFSET ${Math.max(0, Math.floor(request.offset))}`;
  const table = await db.query(sql, { signal: request.signal });
  const vectors = columns.map((_, index) => table.getChild(`c${index}`));
  const rows: DisplayValue[][] = [];
  for (let row = 0; row < table.numRows; row += 1) {
    rows.push(vectors.map((vector) => (vector?.get(row) as string | null | undefined) ?? null));
  }
  return rows;
}

/**
 * How a column is shown: DuckDB's own text, except binary floats, which print every digit of their binary
 * value (`212.22000000000006`); ten significant digits show what was meant and keep cents on millions.
 */
function displayText(column: ColumnInfo): string {
  const name = quoteIdent(column.name);
  return /^(DOUBLE|FLOAT|REAL)$/i.test(column.type) ? `printf('%.10g', ${name})` : `CAST(${name} AS VARCHAR)`;
}
