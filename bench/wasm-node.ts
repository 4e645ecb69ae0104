// (a) DuckDB-WASM's Node build through the app's own load path (`importFile`); run with tsx as a long-lived child
// of bench/run.mjs. Protocol (lib/protocol.mjs): {op:'info'} → {version, bundle, openMs};
// {op:'run', format, path} → {loadMs, aggregateMs, phases, check};
// {op:'big', path} → load + clean + RFM of a Parquet file (lib/big-job.ts) and the process's peak RSS.
import { openAsBlob } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { openNodeDatabase } from '../src/db/duckdb-node.ts';
import { nodeParquetCodec } from '../src/db/parquet-node.ts';
import { instrument } from './lib/instrument.ts';
import { loadAndAggregate } from './lib/wasm-job.ts';
import { serve } from './lib/protocol.mjs';
import { loadCleanRfm } from './lib/big-job.ts';

const start = performance.now();
const database = await openNodeDatabase();
const openMs = Math.round(performance.now() - start);
const tools = instrument(database, nodeParquetCodec);

/** The file last read (runs of one file come together): read once, copied per run. */
let cached: { path: string; bytes: Uint8Array } | undefined;

serve({
  async info() {
    const version = String((await database.query('SELECT version() AS v')).toArray()[0]?.v);
    return { version, bundle: 'eh', openMs };
  },
  /** Load + clean + RFM of a Parquet file read as a Blob (by row group), and this process's peak memory. */
  async big({ path: file }: { path: string }) {
    const blob = await openAsBlob(file);
    const result = await loadCleanRfm(tools.db, tools.codec, path.basename(file), blob.size, { kind: 'handle', file: blob });
    return { ...result, peakRssBytes: process.resourceUsage().maxRSS * 1024 };
  },
  async run({ path: file }: { format: 'csv' | 'parquet'; path: string }) {
    if (cached?.path !== file) {
      cached = undefined; // let the previous file go before reading the next
      cached = { path: file, bytes: new Uint8Array(await readFile(file)) };
    }
    // DuckDB takes a registered buffer by transfer: each run gets its own copy (untimed).
    const copy = cached.bytes.slice();
    return loadAndAggregate(tools, path.basename(file), copy.byteLength, { kind: 'bytes', bytes: copy });
  },
});
