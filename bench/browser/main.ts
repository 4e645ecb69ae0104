// (b) The bench page: the app's own browser adapters (DuckDB-WASM worker, parquet-wasm worker) and `importFile`,
// driven by bench/run.mjs through Playwright.
import { openBrowserDatabase, type DuckDbBundle } from '../../src/db/duckdb-browser.ts';
import { browserParquetCodec } from '../../src/db/parquet-browser.ts';
import type { FileSource } from '../../src/engine/index.ts';
import { instrument } from '../lib/instrument.ts';
import { loadAndAggregate, type RunResult } from '../lib/wasm-job.ts';
import { loadCleanRfm, type BigRunResult } from '../lib/big-job.ts';

export interface BenchInfo {
  bundle: DuckDbBundle;
  openMs: number;
  version: string;
  userAgent: string;
}

export interface BenchRun extends RunResult {
  /** Fetching the file from the preview server into the page (not part of `loadMs`). */
  fetchMs: number;
  bytes: number;
}

export interface BenchOptions {
  /** CSV only: `handle` (default) registers a File as the app does for a picked file; `bytes` registers a buffer. */
  csvSource?: 'handle' | 'bytes';
}

declare global {
  interface Window {
    benchInfo(): Promise<BenchInfo>;
    benchLoad(kind: 'csv' | 'parquet', url: string, options?: BenchOptions): Promise<BenchRun>;
    /** bench/experiments.mjs: one timed variant of the load path (loaded on first use; see experiments.ts). */
    /** Load + clean + RFM of a Parquet file picked as a File (read by row group, never whole in the page's heap). */
    benchBig(url: string): Promise<BigRunResult & { fetchMs: number }>;
    benchExperiment(name: string, url: string): Promise<{ ms: number; rows: number; bundle: string }>;
    /** bench/model-overhead.mjs: `reps` runs of a K-Means model cell on `rows` generated customers, after one warm-up. */
    benchModelOverhead(rows: number, reps: number): Promise<import('./model-overhead.ts').OverheadRun[]>;
  }
}

const ready = (async () => {
  const start = performance.now();
  const { database, bundle } = await openBrowserDatabase();
  const openMs = performance.now() - start;
  const tools = instrument(database, browserParquetCodec());
  const version = String((await database.query('SELECT version() AS v')).toArray()[0]?.v);
  return { tools, info: { bundle, openMs: Math.round(openMs), version, userAgent: navigator.userAgent } };
})();

window.benchInfo = async () => (await ready).info;

/** The file last fetched, kept so repeated runs of one file do not fetch it again (fetchMs is the first fetch). */
let fetched: { url: string; bytes: Uint8Array; fetchMs: number } | undefined;

async function fetchBytes(url: string): Promise<{ bytes: Uint8Array; fetchMs: number }> {
  if (fetched?.url !== url) {
    fetched = undefined;
    const start = performance.now();
    const response = await fetch(url);
    if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    fetched = { url, bytes, fetchMs: performance.now() - start };
  }
  return fetched;
}

window.benchLoad = async (kind, url, options = {}) => {
  const { tools } = await ready;
  const { bytes, fetchMs } = await fetchBytes(url);
  const fileName = url.split('/').pop()!;
  // CSV: a File registered by handle, as when a user picks or drops one (the File copies the bytes).
  // Parquet (and CSV with csvSource 'bytes'): a copy of the bytes, which go to a worker by transfer.
  const source: FileSource =
    kind === 'csv' && options.csvSource !== 'bytes'
      ? { kind: 'handle', file: new File([bytes as Uint8Array<ArrayBuffer>], fileName, { type: 'text/csv' }) }
      : { kind: 'bytes', bytes: bytes.slice() };
  const run = await loadAndAggregate(tools, fileName, bytes.byteLength, source);
  return { ...run, fetchMs, bytes: bytes.byteLength };
};

window.benchBig = async (url) => {
  const { tools } = await ready;
  const start = performance.now();
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
  // A Blob from the response stays out of the JS heap, as a picked File does.
  const blob = await response.blob();
  const fetchMs = Math.round(performance.now() - start);
  const fileName = url.split('/').pop()!;
  const file = new File([blob], fileName);
  return { ...(await loadCleanRfm(tools.db, tools.codec, fileName, file.size, { kind: 'handle', file })), fetchMs };
};

window.benchExperiment = async (name, url) => {
  const { runExperiment } = await import('./experiments.ts');
  return runExperiment(name as Parameters<typeof runExperiment>[0], url);
};

window.benchModelOverhead = async (rows, reps) => {
  const { tools } = await ready;
  const { makeCustomers, runModelCell } = await import('./model-overhead.ts');
  const table = `customers_${rows}`;
  await makeCustomers(tools.db, table, rows);
  await runModelCell(tools.db, table, rows);
  const runs = [];
  for (let rep = 0; rep < reps; rep++) runs.push(await runModelCell(tools.db, table, rows));
  return runs;
};

ready.then(
  ({ info }) => (document.getElementById('status')!.textContent = `ready (${info.bundle}, ${info.version})`),
  (error: unknown) => (document.getElementById('status')!.textContent = `failed: ${String(error)}`),
);
