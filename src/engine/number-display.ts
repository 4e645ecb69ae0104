/**
 * How numbers are shown in result tables and reports: grouped in the reader's locale (`8,887,208.89`,
 * `8.887.208,89`) with one decimal count per column, so digits line up. Display only: CSV and Parquet exports
 * write the stored values.
 */
import type { ColumnInfo } from './catalog.ts';
import type { DisplayValue } from './result-page.ts';
import { quoteIdent } from '../util/sql.ts';
import { duckdbDialect, type SqlDialect } from '../util/dialect/index.ts';
import { decimalScale, isFloatingType, isIntegerType } from '../util/column-types.ts';

/** How a column's values are shown: as DuckDB writes them, or as numbers with `decimals` after the point. */
export type ColumnDisplay =
  | { readonly kind: 'text' }
  | { readonly kind: 'number'; readonly decimals: number; readonly grouped: boolean };

/** What a floating-point column holds, as far as its decimal count goes (see `floatSummaryQuery`). */
export interface FloatSummary {
  /** The largest absolute finite value; 0 when there is none. */
  readonly maxAbs: number;
  /** The fewest decimals that show every finite value to its meaningful precision, up to MAX_DECIMALS. */
  readonly decimalsNeeded: number;
}

/** Never more decimals than this, whatever a column holds. */
export const MAX_DECIMALS = 10;

/** Whether values of this type are shown as numbers. */
export { isNumericType } from '../util/column-types.ts';

/**
 * Columns that hold labels written with digits: ids, codes, numbers of invoices, years. `12,346` reads as a
 * quantity and `2,011` as a misprint, so these are never grouped. Matched on the name, whole word at the end:
 * `customer_id`, `CustomerID`, `InvoiceNo`, `StockCode`, `year`, `order_year` — not `paid` or `yearly_revenue`.
 */
export function isIdentifierName(name: string): boolean {
  return /(^|[_\s.-])(id|key|code|no|nr|number|year)$/i.test(name) || /[a-z0-9](Id|ID|Key|Code|No|Nr|Number|Year)$/.test(name);
}

/**
 * The decimal count of a floating-point column: enough to show its largest value to four significant digits,
 * at least 2 (cents), fewer when no value needs them — `[0.9345, 0.5]` → 4, `[8887208.89, 12.5]` → 2,
 * `[3, 4]` → 0. A column's values share one count so they line up; the rest of a double's digits (sums of
 * prices carry noise like `570422.7300000167`) are not information a reader can use.
 */
export function floatDecimals(summary: FloatSummary): number {
  const { maxAbs, decimalsNeeded } = summary;
  if (!(maxAbs > 0) || !Number.isFinite(maxAbs)) return Math.min(decimalsNeeded, 2);
  const cap = Math.max(2, 3 - Math.floor(Math.log10(maxAbs)));
  return Math.min(decimalsNeeded, cap, MAX_DECIMALS);
}

/** How `column` is shown; floating-point columns need their summary, else they keep DuckDB's text. */
export function columnDisplay(column: ColumnInfo, summary?: FloatSummary): ColumnDisplay {
  const grouped = !isIdentifierName(column.name);
  if (isIntegerType(column.type)) return { kind: 'number', decimals: 0, grouped };
  const scale = decimalScale(column.type);
  if (scale !== undefined) return { kind: 'number', decimals: scale, grouped };
  if (isFloatingType(column.type) && summary) return { kind: 'number', decimals: floatDecimals(summary), grouped };
  return { kind: 'text' };
}

/** A plain decimal number as DuckDB writes it (`-12.50`, `1.5e-07`); `inf`, `nan` and other text are not. */
const DECIMAL_TEXT = /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * A function from DuckDB's text of a value to the text shown, in `locale` (the runtime's when undefined).
 * The text is formatted as an exact decimal string, so BIGINT and DECIMAL values beyond 2^53 keep every digit.
 * `displayFormatter({ kind: 'number', decimals: 2, grouped: true }, 'en-US')('8887208.89')` → `'8,887,208.89'`
 */
export function displayFormatter(display: ColumnDisplay, locale?: string): (text: DisplayValue) => DisplayValue {
  if (display.kind === 'text') return (text) => text;
  const format = new Intl.NumberFormat(locale, {
    minimumFractionDigits: display.decimals,
    maximumFractionDigits: display.decimals,
    useGrouping: display.grouped ? 'auto' : false,
    // `-0.004` at two decimals is 0.00, not -0.00.
    signDisplay: 'negative',
  });
  // Intl formats a numeric string exactly (ECMA-402 "Intl.NumberFormat v3"); the DOM lib types still say number.
  const formatText = format.format as (value: number | string) => string;
  return (text) => (text !== null && DECIMAL_TEXT.test(text) ? formatText(text) : text);
}

/**
 * One query over `relation` that summarises each floating-point column for `floatDecimals`: `m<i>` the largest
 * absolute finite value, `d<i>` the decimals needed. A value needs `d` decimals when rounding it to `d` changes it
 * by less than its precision (10 significant digits for DOUBLE, 6 for FLOAT, whose values carry binary noise
 * like 0.10000000149 from the seventh digit on). Null when there are no float columns.
 */
export function floatSummaryQuery(relation: string, columns: readonly ColumnInfo[], dialect: SqlDialect = duckdbDialect): string | null {
  const parts = columns.flatMap((column, index) => {
    if (!isFloatingType(column.type)) return [];
    const value = dialect.toDouble(quoteIdent(column.name));
    const tolerance = /^DOUBLE$/i.test(column.type) ? '1e-10' : '1e-6';
    const steps = Array.from({ length: MAX_DECIMALS }, (_, d) => `WHEN abs(${value} - round(${value}, ${d})) <= abs(${value}) * ${tolerance} THEN ${d}`);
    const finite = `FILTER (WHERE ${dialect.isFinite(value)})`;
    return [`max(abs(${value})) ${finite} AS m${index}`, `max(CASE ${steps.join(' ')} ELSE ${MAX_DECIMALS} END) ${finite} AS d${index}`];
  });
  return parts.length === 0 ? null : `SELECT ${parts.join(', ')} FROM ${quoteIdent(relation)}`;
}
