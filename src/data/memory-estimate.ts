/**
 * Whether a table will fit in DuckDB-WASM's memory, judged before it is loaded. WebAssembly's 32-bit memory gives
 * DuckDB at most 4 GiB, of which about 3.1 GiB can hold data; past that a query fails with "Out of Memory" after
 * minutes of work. A Parquet file says how many rows it has in its footer; one decoded row group gives the width of
 * a row in memory. Loading keeps the table; cleaning it then holds the rows being de-duplicated and writes the
 * clean table beside it, so the peak is a multiple of the table.
 */

/** What DuckDB-WASM can hold before it runs out of memory. */
export const WASM_MEMORY_LIMIT_BYTES = 3.1 * 1024 ** 3;

/** Peak memory of loading and cleaning a table, as a multiple of its Arrow size: 10M generated rows (~1 GB of Arrow) peaked at 2.9–3.2 GB (`npm run bench -- --suite big`). */
export const LOAD_AND_CLEAN_FACTOR = 2.5;

export interface MemoryEstimate {
  readonly rows: number;
  /** Bytes one row takes decoded, from the sampled row group. */
  readonly bytesPerRow: number;
  /** Peak bytes the load and its cleaning are expected to take. */
  readonly peakBytes: number;
  readonly limitBytes: number;
  readonly fits: boolean;
}

/**
 * `rows` in all, judged by a sample of `sampleRows` that took `sampleBytes` decoded.
 * `parquetMemoryEstimate(10_000_000, 131_072, 13_426_632)` → about 102 bytes a row, 2.6 GB peak: fits.
 */
export function parquetMemoryEstimate(rows: number, sampleRows: number, sampleBytes: number, limitBytes = WASM_MEMORY_LIMIT_BYTES): MemoryEstimate {
  const bytesPerRow = sampleRows > 0 ? sampleBytes / sampleRows : 0;
  const peakBytes = rows * bytesPerRow * LOAD_AND_CLEAN_FACTOR;
  return { rows, bytesPerRow, peakBytes, limitBytes, fits: peakBytes <= limitBytes };
}

const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1)} GiB`;

/** The sentence shown when a file will not fit: what it needs, the limit, and the way out. */
export function tooLargeMessage(fileName: string, estimate: MemoryEstimate): string {
  const rows = estimate.rows.toLocaleString('en-US');
  return (
    `"${fileName}" has ${rows} rows, which need about ${gib(estimate.peakBytes)} to load and clean; ` +
    `the in-page database can use about ${gib(estimate.limitBytes)}. ` +
    'Open it with `aisle serve`, which runs the notebook on native DuckDB on this computer, or load a subset of the rows.'
  );
}
