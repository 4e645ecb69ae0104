import type { Database } from './ports.ts';
import type { ColumnInfo, RelationKindName } from './catalog.ts';
import { quoteIdent } from '../util/sql.ts';
import { isFloatingType } from '../util/column-types.ts';
import { dialectOf, type SqlDialect } from '../util/dialect/index.ts';
import { columnDisplay, displayFormatter, floatSummaryQuery, type ColumnDisplay, type FloatSummary } from './number-display.ts';

export interface SortOrder {
  readonly column: string;
  readonly descending: boolean;
}

export interface PageRequest {
  readonly offset: number;
  readonly limit: number;
  readonly sort?: SortOrder | null;
  /** A condition the rows must meet (a grid's filter, from `filterWhere`); none when null or absent. */
  readonly where?: string | null;
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
  relation: { readonly name: string; readonly kind: RelationKindName },
  columns: readonly ColumnInfo[],
  request: PageRequest,
): Promise<DisplayValue[][]> {
  if (columns.length === 0) return [];
  const dialect = dialectOf(db);
  const select = columns.map((column, index) => `${displayText(column, dialect)} AS c${index}`).join(', ');
  const order: string[] = [];
  if (request.sort) order.push(`${quoteIdent(request.sort.column)} ${request.sort.descending ? 'DESC' : 'ASC'} NULLS LAST`);
  if (relation.kind === 'table' && order.length > 0 && dialect.rowOrder !== null) order.push(dialect.rowOrder);
  const sql =
    `SELECT ${select} FROM ${quoteIdent(relation.name)}` +
    (request.where ? ` WHERE ${request.where}` : '') +
    (order.length > 0 ? ` ORDER BY ${order.join(', ')}` : '') +
    dialect.limitOffset(Math.max(0, Math.floor(request.limit)), Math.max(0, Math.floor(request.offset)));
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
function displayText(column: ColumnInfo, dialect: SqlDialect): string {
  const name = quoteIdent(column.name);
  if (isFloatingType(column.type)) return dialect.displayFloat(name);
  return /^TIMESTAMP$/i.test(column.type) ? dialect.displayTimestamp(name) : `CAST(${name} AS VARCHAR)`;
}

/** A table read for display: pages of text with numbers formatted, one decimal count per column for all pages. */
export interface DisplayReader {
  /** How each column shows (decided once, from the whole relation, so scrolling and sorting never change it). */
  displays(): Promise<readonly ColumnDisplay[]>;
  page(request: PageRequest): Promise<DisplayValue[][]>;
}

/**
 * Pages of `relation` as the reader sees them: numbers grouped in `locale` (the runtime's when undefined) with a
 * fixed decimal count per column, everything else as DuckDB writes it. One summary query decides the decimals of
 * floating-point columns; if it fails they show DuckDB's text rather than failing the table.
 * `await displayReader(db, { name: 'monthly', kind: 'table' }, columns, 'en-US').page({ offset: 0, limit: 50 })`
 */
export function displayReader(
  db: Database,
  relation: { readonly name: string; readonly kind: RelationKindName },
  columns: readonly ColumnInfo[],
  locale?: string,
): DisplayReader {
  let decided: Promise<readonly ColumnDisplay[]> | undefined;
  const displays = () => (decided ??= decideDisplays(db, relation.name, columns));
  let formatters: Promise<((text: DisplayValue) => DisplayValue)[]> | undefined;
  return {
    displays,
    async page(request) {
      formatters ??= displays().then((all) => all.map((display) => displayFormatter(display, locale)));
      const [rows, format] = await Promise.all([fetchPage(db, relation, columns, request), formatters]);
      return rows.map((row) => row.map((value, index) => format[index]!(value)));
    },
  };
}

async function decideDisplays(db: Database, relation: string, columns: readonly ColumnInfo[]): Promise<readonly ColumnDisplay[]> {
  const sql = floatSummaryQuery(relation, columns, dialectOf(db));
  const summaries = new Map<number, FloatSummary>();
  if (sql !== null) {
    try {
      const row = (await db.query(sql)).get(0);
      columns.forEach((_, index) => {
        const maxAbs = row?.[`m${index}`] as number | null | undefined;
        const decimalsNeeded = row?.[`d${index}`] as number | null | undefined;
        if (maxAbs !== undefined) summaries.set(index, { maxAbs: maxAbs ?? 0, decimalsNeeded: Number(decimalsNeeded ?? 0) });
      });
    } catch {
      // Float columns keep DuckDB's ten significant digits: a table that shows beats one that fails.
    }
  }
  return columns.map((column, index) => columnDisplay(column, summaries.get(index)));
}
