import type { ColumnInfo } from '../catalog.ts';
import { isDecimalType, isEnumType, isFloatingType, isIntegerType, isTextType } from '../../util/column-types.ts';
import { closestName } from '../../util/names.ts';
import { quoteIdent } from '../../util/sql.ts';
import { ApiError } from './errors.ts';
import type { LookupCondition } from './lookup-index.ts';

/** Query-string keys that are not column filters. */
export const RESERVED_PARAMETERS = ['limit', 'token'] as const;
export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 10_000;

/** A row lookup as DuckDB runs it: the values are bound parameters, never part of the text. */
export interface LookupQuery {
  readonly sql: string;
  readonly params: readonly string[];
  readonly limit: number;
}

/** How a column's values are compared with the text of a query-string value. */
type ColumnMatch = 'text' | 'integer' | 'number' | 'cast' | 'nested';

/**
 * The query for `GET /api/tables/<cell>?<column>=<value>&limit=`: every column given must equal its value (AND).
 * Throws an ApiError 400 naming an unknown column, a column given twice, a value its column cannot hold or a bad limit.
 * `lookupQuery('recommend', 'recommend', columns, new URLSearchParams('customer=12347&limit=5'))`
 * → `{ sql: 'SELECT * FROM "recommend" WHERE "customer" = ? LIMIT 5', params: ['12347'], limit: 5 }`.
 */
export function lookupQuery(cell: string, table: string, columns: readonly ColumnInfo[], query: URLSearchParams): LookupQuery {
  return lookupPlan(cell, table, columns, query).query;
}

/** The checked conditions of a lookup (for an in-memory index) beside the same lookup as SQL (for the database). */
export function lookupPlan(
  cell: string,
  table: string,
  columns: readonly ColumnInfo[],
  query: URLSearchParams,
): { readonly query: LookupQuery; readonly conditions: readonly LookupCondition[] } {
  const limit = limitOf(query);
  const conditions: LookupCondition[] = [];
  const clauses: string[] = [];
  for (const [key, value] of query) {
    if ((RESERVED_PARAMETERS as readonly string[]).includes(key)) continue;
    const column = columnNamed(cell, columns, key);
    if (conditions.some((given) => given.column.name === column.name)) {
      throw new ApiError(400, `column ${JSON.stringify(column.name)} is given twice; a lookup takes one value per column`);
    }
    clauses.push(condition(cell, column, value));
    conditions.push({ column, value });
  }
  const where = clauses.length === 0 ? '' : ` WHERE ${clauses.join(' AND ')}`;
  const sql = `SELECT * FROM ${quoteIdent(table)}${where} LIMIT ${limit}`;
  return { query: { sql, params: conditions.map((given) => given.value), limit }, conditions };
}

/** `?limit=` as a whole number from 1 to MAX_LIMIT; DEFAULT_LIMIT when absent. */
export function limitOf(query: URLSearchParams): number {
  const values = query.getAll('limit');
  if (values.length === 0) return DEFAULT_LIMIT;
  const text = values[0] ?? '';
  const limit = Number(text);
  if (values.length > 1 || !/^\d+$/.test(text) || limit < 1 || limit > MAX_LIMIT) {
    throw new ApiError(400, `limit must be one whole number from 1 to ${MAX_LIMIT.toLocaleString('en-US')}; got ${JSON.stringify(values.join(','))}`);
  }
  return limit;
}

/** The column `key` names, exactly or else ignoring case (as DuckDB does); an ApiError 400 suggesting the closest. */
function columnNamed(cell: string, columns: readonly ColumnInfo[], key: string): ColumnInfo {
  const found = columns.find((column) => column.name === key) ?? columns.find((column) => column.name.toLowerCase() === key.toLowerCase());
  if (found !== undefined) return found;
  const names = columns.map((column) => column.name);
  const closest = closestName(key, names);
  const hint = closest === undefined ? '' : ` (did you mean ${JSON.stringify(closest)}?)`;
  throw new ApiError(400, `unknown column ${JSON.stringify(key)} in cell ${cell}${hint}; its columns are ${names.join(', ')}`);
}

function condition(cell: string, column: ColumnInfo, value: string): string {
  const name = quoteIdent(column.name);
  const match = matchOf(column.type);
  switch (match) {
    case 'text':
      return `${name} = ?`;
    case 'integer':
      if (!/^[+-]?\d+$/.test(value.trim())) throw new ApiError(400, `column ${column.name} of ${cell} holds whole numbers (${column.type}); ${JSON.stringify(value)} is not one`);
      return `${name} = TRY_CAST(? AS ${column.type})`;
    case 'number':
      if (value.trim() === '' || !Number.isFinite(Number(value))) throw new ApiError(400, `column ${column.name} of ${cell} holds numbers (${column.type}); ${JSON.stringify(value)} is not one`);
      return `${name} = TRY_CAST(? AS ${column.type})`;
    case 'cast':
      // The type comes from DuckDB's DESCRIBE of the cell's table, never from the request; a value it cannot hold matches nothing.
      return `${name} = TRY_CAST(? AS ${column.type})`;
    case 'nested':
      throw new ApiError(400, `column ${column.name} of ${cell} holds ${column.type} values; a lookup compares single values only`);
  }
}

function matchOf(type: string): ColumnMatch {
  const upper = type.toUpperCase();
  if (/\[\d*\]$/.test(upper) || /^(STRUCT|MAP|UNION|LIST)\b/.test(upper)) return 'nested';
  if (isTextType(type) || isEnumType(type)) return 'text';
  if (isIntegerType(type)) return 'integer';
  if (isFloatingType(type) || isDecimalType(type)) return 'number';
  return 'cast';
}
