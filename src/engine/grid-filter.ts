/** Per-column filters on a result grid, run by DuckDB as a WHERE on the cell's table and turned into a SQL cell. */
import type { Database } from './ports.ts';
import type { ColumnInfo } from './catalog.ts';
import { quoteIdent, quoteLiteral } from '../util/sql.ts';
import { isNumericType } from '../util/column-types.ts';

/** One column's filter. Text is matched on DuckDB's text of the value, so dates and codes filter as they show. */
export type ColumnFilter =
  | { readonly kind: 'contains'; readonly column: string; readonly text: string }
  /** Inclusive bounds; null leaves that side open. */
  | { readonly kind: 'range'; readonly column: string; readonly min: number | null; readonly max: number | null }
  | { readonly kind: 'pick'; readonly column: string; readonly values: readonly string[] };

/** Columns with at most this many distinct values get a value pick. */
export const PICK_LIMIT = 20;

function assertNever(value: never): never {
  throw new Error(`unknown column filter ${JSON.stringify(value)}`);
}

function numberLiteral(column: string, bound: number): string {
  if (!Number.isFinite(bound)) throw new Error(`the bound ${bound} of column "${column}" is not a finite number`);
  return String(bound);
}

/** True when the filter restricts nothing (empty text, open range, no value picked): it adds no condition. */
export function isFilterEmpty(filter: ColumnFilter): boolean {
  switch (filter.kind) {
    case 'contains':
      return filter.text === '';
    case 'range':
      return filter.min === null && filter.max === null;
    case 'pick':
      return filter.values.length === 0;
    default:
      return assertNever(filter);
  }
}

/** The condition one filter adds: `contains(lower(CAST("Country" AS VARCHAR)), 'fran')`. */
export function filterCondition(filter: ColumnFilter): string {
  const column = quoteIdent(filter.column);
  switch (filter.kind) {
    case 'contains':
      // contains() takes the text literally: no LIKE wildcards to escape. Lower-casing both sides makes it case-insensitive.
      return `contains(lower(CAST(${column} AS VARCHAR)), lower(${quoteLiteral(filter.text)}))`;
    case 'range': {
      const sides: string[] = [];
      if (filter.min !== null) sides.push(`${column} >= ${numberLiteral(filter.column, filter.min)}`);
      if (filter.max !== null) sides.push(`${column} <= ${numberLiteral(filter.column, filter.max)}`);
      return sides.join(' AND ');
    }
    case 'pick':
      return `CAST(${column} AS VARCHAR) IN (${filter.values.map(quoteLiteral).join(', ')})`;
    default:
      return assertNever(filter);
  }
}

/** The WHERE condition of all non-empty filters joined with AND, or null when none restricts anything. */
export function filterWhere(filters: readonly ColumnFilter[]): string | null {
  const conditions = filters.filter((filter) => !isFilterEmpty(filter)).map(filterCondition);
  return conditions.length === 0 ? null : conditions.map((condition) => `(${condition})`).join(' AND ');
}

/** The text of a SQL cell that computes the filtered rows: `SELECT * FROM "monthly"\nWHERE (…)`. */
export function filterCellSql(table: string, filters: readonly ColumnFilter[]): string {
  const where = filterWhere(filters);
  return `SELECT * FROM ${quoteIdent(table)}` + (where === null ? '' : `\nWHERE ${where.replaceAll(') AND (', ')\n  AND (')}`);
}

/** Rows of `table` that pass the filters, counted by DuckDB. */
export async function countFiltered(db: Database, table: string, filters: readonly ColumnFilter[], signal?: AbortSignal): Promise<number> {
  const where = filterWhere(filters);
  const result = await db.query(`SELECT count(*) AS n FROM ${quoteIdent(table)}` + (where === null ? '' : ` WHERE ${where}`), { signal });
  return Number(result.get(0)?.['n'] ?? 0);
}

/**
 * What a typed bound means: blank is an open side, a number is the bound (`1,5` and `1 000` are not guessed at).
 * `parseBound('12.5')` → `{ ok: true, value: 12.5 }`; `parseBound('abc')` → a problem naming the text.
 */
export function parseBound(text: string): { readonly ok: true; readonly value: number | null } | { readonly ok: false; readonly problem: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, value: null };
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return { ok: false, problem: `"${trimmed}" is not a number` };
  return { ok: true, value };
}

/** The kind of filter a column gets: a range for numbers, text contains otherwise. */
export function filterKindFor(column: ColumnInfo): 'range' | 'contains' {
  return isNumericType(column.type) ? 'range' : 'contains';
}

/**
 * The distinct values of a text column as DuckDB writes them, sorted, when there are at most `PICK_LIMIT`;
 * null when there are more (the column gets no value pick). Nulls are not offered.
 */
export async function pickValues(db: Database, table: string, column: string, signal?: AbortSignal): Promise<readonly string[] | null> {
  const name = quoteIdent(column);
  const result = await db.query(
    `SELECT DISTINCT CAST(${name} AS VARCHAR) AS v FROM ${quoteIdent(table)} WHERE ${name} IS NOT NULL ORDER BY v LIMIT ${PICK_LIMIT + 1}`,
    { signal },
  );
  if (result.numRows > PICK_LIMIT) return null;
  const values: string[] = [];
  for (let row = 0; row < result.numRows; row += 1) values.push(String(result.get(row)?.['v']));
  return values;
}
