/**
 * Column profiles of a table: per column its null count, distinct count, min and max, and a small histogram
 * (numbers, dates) or its ten commonest values (text). DuckDB computes all of it in three queries at most — one
 * aggregate pass for the counts and bounds, one for every histogram, one for every top-ten — so no row reaches the
 * page. (Not the retail profile of profile.ts, which maps a file's columns onto the retail vocabulary.)
 */
import type { Table } from 'apache-arrow';
import type { Database } from './ports.ts';
import type { ColumnInfo } from './catalog.ts';
import { quoteIdent } from '../util/sql.ts';
import { isBooleanType, isEnumType, isIntegerType, isNumericType, isTemporalType, isTextType } from '../util/column-types.ts';

/** Above this many rows distinct counts are HyperLogLog estimates (`approx_count_distinct`), not exact. */
export const EXACT_DISTINCT_LIMIT = 1_000_000;
/** Bars in a histogram; an integer column spanning fewer values gets one bar per value. */
export const HISTOGRAM_BINS = 20;
/** Values in a text column's top list. */
export const TOP_VALUES = 10;

/** How a column is drawn: a histogram (number, date), a top-ten bar (text), or counts only (lists, structs…). */
export type ProfileKind = 'number' | 'date' | 'text' | 'other';

/** One bar of a histogram: values in [from, to) (the last bar of a continuous range includes `to`); dates as epoch seconds. */
export interface HistogramBin {
  readonly from: number;
  readonly to: number;
  readonly count: number;
}

export interface TopValue {
  readonly value: string;
  readonly count: number;
}

export interface ColumnProfile {
  readonly name: string;
  readonly type: string;
  readonly kind: ProfileKind;
  readonly nulls: number;
  readonly distinct: number;
  /** True when `distinct` is an estimate (the table has more than EXACT_DISTINCT_LIMIT rows). */
  readonly distinctApproximate: boolean;
  /** As DuckDB writes them (`2011-12-09`, `3.75`); null for an empty column or one of kind `other`. */
  readonly min: string | null;
  readonly max: string | null;
  /** Number and date columns with a value; every bar, empty ones too. */
  readonly histogram?: readonly HistogramBin[];
  /** Text columns: the commonest values, most frequent first, ties in value order; nulls are counted in `nulls`. */
  readonly topValues?: readonly TopValue[];
}

export interface TableProfile {
  readonly table: string;
  readonly rowCount: number;
  readonly columns: readonly ColumnProfile[];
}

/** How a column of DuckDB type `type` is profiled: `profileKind('DECIMAL(10,2)')` → `'number'`. */
export function profileKind(type: string): ProfileKind {
  if (isNumericType(type)) return 'number';
  if (isTemporalType(type)) return 'date';
  if (isTextType(type) || isBooleanType(type) || isEnumType(type) || type.trim().toUpperCase() === 'UUID') return 'text';
  return 'other';
}

/** The column as a DOUBLE the histogram bins: dates and timestamps as epoch seconds. */
function numericOf(column: ColumnInfo): string {
  const name = quoteIdent(column.name);
  return profileKind(column.type) === 'date' ? `epoch(${name})` : `CAST(${name} AS DOUBLE)`;
}

/**
 * The one aggregate query for every column's counts and bounds: `present_i`, `distinct_i`, `min_i`, `max_i` (text),
 * and for numbers and dates `lo_i`/`hi_i` (finite DOUBLEs the histogram bins between).
 */
export function statsSql(table: string, columns: readonly ColumnInfo[], rowCount: number): string {
  const distinct = rowCount > EXACT_DISTINCT_LIMIT ? (e: string) => `approx_count_distinct(${e})` : (e: string) => `count(DISTINCT ${e})`;
  const parts = ['count(*) AS row_count'];
  columns.forEach((column, i) => {
    const name = quoteIdent(column.name);
    const kind = profileKind(column.type);
    parts.push(`count(${name}) AS present_${i}`);
    if (kind === 'other') {
      parts.push(`${distinct(`CAST(${name} AS VARCHAR)`)} AS distinct_${i}`);
      return;
    }
    parts.push(`${distinct(name)} AS distinct_${i}`, `CAST(min(${name}) AS VARCHAR) AS min_${i}`, `CAST(max(${name}) AS VARCHAR) AS max_${i}`);
    if (kind === 'number' || kind === 'date') {
      const value = numericOf(column);
      parts.push(`min(${value}) FILTER (WHERE isfinite(${value})) AS lo_${i}`, `max(${value}) FILTER (WHERE isfinite(${value})) AS hi_${i}`);
    }
  });
  return `SELECT ${parts.join(', ')} FROM ${quoteIdent(table)}`;
}

/** How a histogram cuts [lo, hi]: `bins` bars of `width`; integers spanning fewer than HISTOGRAM_BINS values get one each. */
export interface Binning {
  readonly lo: number;
  readonly hi: number;
  readonly bins: number;
  readonly width: number;
  /** One bar per integer value: bar i holds exactly lo + i. */
  readonly perValue: boolean;
}

/** The bars for a column whose finite values run from `lo` to `hi`: `binning('INTEGER', 1, 5)` → 5 bars of width 1. */
export function binning(type: string, lo: number, hi: number): Binning {
  if (isIntegerType(type) && hi - lo + 1 <= HISTOGRAM_BINS) return { lo, hi, bins: hi - lo + 1, width: 1, perValue: true };
  if (hi === lo) return { lo, hi, bins: 1, width: 1, perValue: false };
  return { lo, hi, bins: HISTOGRAM_BINS, width: (hi - lo) / HISTOGRAM_BINS, perValue: false };
}

/** One pass for every histogram: `bins_i` lists {key: bar index, value: count} (DuckDB's `histogram`, which skips nulls). */
export function histogramSql(table: string, columns: readonly { index: number; column: ColumnInfo; binning: Binning }[]): string {
  const parts = columns.map(({ index, column, binning: { lo, bins, width } }) => {
    const value = numericOf(column);
    const bar = `least(CAST(floor((${value} - ${lo}) / ${width}) AS INTEGER), ${bins - 1})`;
    return `map_entries(histogram(${bar}) FILTER (WHERE isfinite(${value}))) AS bins_${index}`;
  });
  return `SELECT ${parts.join(', ')} FROM ${quoteIdent(table)}`;
}

/** One query for every top-ten: rows of (column index, value, count), most frequent first, ties by value. */
export function topValuesSql(table: string, columns: readonly { index: number; column: ColumnInfo }[]): string {
  return columns
    .map(({ index, column }) => {
      const name = quoteIdent(column.name);
      return `SELECT * FROM (SELECT ${index} AS column_index, CAST(${name} AS VARCHAR) AS value, count(*) AS n FROM ${quoteIdent(table)} WHERE ${name} IS NOT NULL GROUP BY ALL ORDER BY n DESC, value LIMIT ${TOP_VALUES})`;
    })
    .join('\nUNION ALL\n');
}

function numberOf(value: unknown): number {
  if (typeof value === 'bigint' || typeof value === 'number') return Number(value);
  throw new Error(`expected a number, got ${String(value)}`);
}

function textOf(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

function firstRow(result: Table): Record<string, unknown> {
  const row = result.get(0) as { toJSON(): Record<string, unknown> } | null;
  if (row === null) throw new Error('the profile query returned no row');
  return row.toJSON();
}

/** Every bar of `binning`, counts from DuckDB's `map_entries(histogram(…))` (bars absent there are empty). */
export function histogramBins(binning: Binning, entries: readonly { key: unknown; value: unknown }[]): HistogramBin[] {
  const counts = new Map(entries.map((entry) => [numberOf(entry.key), numberOf(entry.value)]));
  return Array.from({ length: binning.bins }, (_, bar) => ({
    from: binning.lo + bar * binning.width,
    // The last bar of a continuous range ends at the maximum itself, not at a sum that drifted past it.
    to: bar === binning.bins - 1 && !binning.perValue ? binning.hi : binning.lo + (bar + 1) * binning.width,
    count: counts.get(bar) ?? 0,
  }));
}

/** Arrow list-of-struct values as plain objects. */
function entriesOf(value: unknown): { key: unknown; value: unknown }[] {
  if (value === null || value === undefined) return [];
  const list = (value as { toArray(): unknown[] }).toArray();
  return list.map((entry) => {
    const plain = (entry as { toJSON?: () => unknown }).toJSON?.() ?? entry;
    return plain as { key: unknown; value: unknown };
  });
}

/**
 * Profile `table` (whose `columns` and `rowCount` the caller knows from listing it or running its cell).
 * `profileTable(db, 'sales', columns, 541909)` → per column nulls, distinct (approximate here), min/max, bars.
 */
export async function profileTable(
  db: Database,
  table: string,
  columns: readonly ColumnInfo[],
  rowCount: number,
  options: { readonly signal?: AbortSignal } = {},
): Promise<TableProfile> {
  const { signal } = options;
  const stats = firstRow(await db.query(statsSql(table, columns, rowCount), { signal }));
  const rows = numberOf(stats.row_count);
  const binnings = new Map<number, Binning>();
  columns.forEach((column, i) => {
    const lo = stats[`lo_${i}`];
    const hi = stats[`hi_${i}`];
    if (typeof lo === 'number' && typeof hi === 'number') binnings.set(i, binning(column.type, lo, hi));
  });
  const histograms = new Map<number, HistogramBin[]>();
  if (binnings.size > 0) {
    const binned = [...binnings].map(([index, cut]) => ({ index, column: columns[index]!, binning: cut }));
    const row = firstRow(await db.query(histogramSql(table, binned), { signal }));
    for (const { index, binning: cut } of binned) histograms.set(index, histogramBins(cut, entriesOf(row[`bins_${index}`])));
  }
  const texts = columns.flatMap((column, index) => (profileKind(column.type) === 'text' ? [{ index, column }] : []));
  const tops = new Map<number, TopValue[]>(texts.map(({ index }) => [index, []]));
  if (texts.length > 0) {
    for (const row of (await db.query(topValuesSql(table, texts), { signal })).toArray() as { column_index: unknown; value: unknown; n: unknown }[]) {
      tops.get(numberOf(row.column_index))?.push({ value: String(row.value), count: numberOf(row.n) });
    }
  }
  const profiles = columns.map((column, i): ColumnProfile => {
    const kind = profileKind(column.type);
    const profile: ColumnProfile = {
      name: column.name,
      type: column.type,
      kind,
      nulls: rows - numberOf(stats[`present_${i}`]),
      distinct: numberOf(stats[`distinct_${i}`]),
      distinctApproximate: rowCount > EXACT_DISTINCT_LIMIT,
      min: textOf(stats[`min_${i}`]),
      max: textOf(stats[`max_${i}`]),
    };
    const histogram = histograms.get(i);
    if (histogram !== undefined) return { ...profile, histogram };
    const topValues = tops.get(i);
    return topValues === undefined ? profile : { ...profile, topValues };
  });
  return { table, rowCount: rows, columns: profiles };
}
