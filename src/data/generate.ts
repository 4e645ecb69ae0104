/**
 * Deterministic, seeded sample data for Aisle: the UCI Online Retail layout (541,909 rows by default) or the
 * simple purchases layout, with latent customer segments and product bundles for models to find.
 * Pure TypeScript — runs in Node and in a web worker.
 */
import type { Table } from 'apache-arrow';
import { columnarToArrow, columnarToCsv, type ColumnData } from './synthetic/columns.ts';
import type { GroundTruth } from './synthetic/common.ts';
import { ONLINE_RETAIL_DEFAULT_ROWS, generateOnlineRetail } from './synthetic/online-retail.ts';
import { SIMPLE_DEFAULT_ROWS, generateSimple } from './synthetic/simple.ts';

export type { ColumnData, Float64Column, Int32Column, TextColumn } from './synthetic/columns.ts';
export { NULL_CODE, valueAt } from './synthetic/columns.ts';
export type { CustomerSegment, GroundTruth } from './synthetic/common.ts';

/** `online-retail`: InvoiceNo, StockCode, Description, Quantity, InvoiceDate, UnitPrice, CustomerID, Country. `simple`: CustomerID, ProductID, Category, PurchaseAmount, PurchaseDate. */
export type Layout = 'online-retail' | 'simple';

export const LAYOUTS: readonly Layout[] = ['online-retail', 'simple'];

export interface GenerateOptions {
  /** Default `online-retail`. */
  layout?: Layout;
  /** Exact number of rows; default 541,909 (online-retail) or 5,000 (simple). */
  rows?: number;
  /** Any safe integer; the same seed gives the same table, bit for bit. Default 42. */
  seed?: number;
  /** Called with 0.01, 0.02, … and finally 1 (at most 100 calls). */
  onProgress?: (fraction: number) => void;
  /** Generation stops with an `AbortError` DOMException once aborted. */
  signal?: AbortSignal;
}

/** A generated table, column by column (typed arrays, dictionary-encoded text), plus the truth behind it. */
export interface GeneratedTable {
  layout: Layout;
  columns: Record<string, ColumnData>;
  rowCount: number;
  /** Latent segments and product themes — not part of the table, for scoring models against. */
  truth: GroundTruth;
}

export const DEFAULT_SEED = 42;

/** Largest `rows` accepted: well past the browser's comfort, and under typed-array limits. */
export const MAX_ROWS = 50_000_000;

/**
 * Generates a sample table.
 * @example
 * const table = generate({ rows: 50_000, seed: 7 });
 * table.columns.Quantity; // { kind: 'int32', values: Int32Array(50000) }
 */
export function generate(options: GenerateOptions = {}): GeneratedTable {
  const layout = options.layout ?? 'online-retail';
  if (!LAYOUTS.includes(layout)) throw new RangeError(`unknown layout "${String(layout)}" (expected ${LAYOUTS.join(' or ')})`);
  const rows = options.rows ?? (layout === 'simple' ? SIMPLE_DEFAULT_ROWS : ONLINE_RETAIL_DEFAULT_ROWS);
  if (!Number.isInteger(rows) || rows < 0 || rows > MAX_ROWS) {
    throw new RangeError(`rows must be a whole number from 0 to ${MAX_ROWS}, got ${rows}`);
  }
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a whole number, got ${seed}`);
  const control = { onProgress: options.onProgress, signal: options.signal };
  const { columns, truth } = layout === 'simple' ? generateSimple(rows, seed, control) : generateOnlineRetail(rows, seed, control);
  options.onProgress?.(1);
  return { layout, columns, rowCount: rows, truth };
}

/**
 * The table as CSV: a header, then one line per row, CRLF line ends, RFC 4180 quoting, empty fields for nulls.
 * @example toCsv(generate({ layout: 'simple', rows: 2 })).split('\r\n')[0] // 'CustomerID,ProductID,Category,PurchaseAmount,PurchaseDate'
 */
export function toCsv(table: GeneratedTable): string {
  return columnarToCsv(table);
}

/**
 * The table as an apache-arrow Table (Int32, Float64 and nullable Utf8 columns), e.g. for `tableToIPC`.
 * @example toArrowTable(generate({ rows: 1000 })).numRows // 1000
 */
export function toArrowTable(table: GeneratedTable): Table {
  return columnarToArrow(table);
}
