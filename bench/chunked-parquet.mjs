// A Parquet file too big for the generator to hold (100,000,000 rows), written in chunks: generated files of
// --rows-per-chunk rows each (seeds 1…N, bench/out/data, reused when present), copied into one file by native DuckDB,
// which streams them through (the invoice numbers get the chunk's number appended, so invoices stay apart; customers
// and dates are shared: N times the volume of one shop over the same period). Prints one JSON line.
// Usage: node bench/chunked-parquet.mjs [--chunks 10] [--rows-per-chunk 10000000] [--out FILE]
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { dataDir, ensureData, root } from './lib/data.mjs';

const { values } = parseArgs({ options: { chunks: { type: 'string' }, 'rows-per-chunk': { type: 'string' }, out: { type: 'string' } } });
const chunks = Number(values.chunks ?? 10);
const perChunk = Number(values['rows-per-chunk'] ?? 10_000_000);
const out = path.resolve(values.out ?? path.join(dataDir, `retail-${chunks * perChunk}-chunked.parquet`));
if (existsSync(out)) throw new Error(`${out} exists; remove it to write it again`);

const files = [];
for (let seed = 1; seed <= chunks; seed++) files.push((await ensureData(perChunk, 'parquet', seed)).path);

const nativeApi = createRequire(path.join(root, 'native', 'package.json')).resolve('@duckdb/node-api');
const { DuckDBInstance } = await import(pathToFileURL(nativeApi).href);
const instance = await DuckDBInstance.create(':memory:', { temp_directory: path.join(dataDir, 'spill') });
const connection = await instance.connect();
const started = performance.now();
const list = files.map((file) => `'${file.replaceAll("'", "''")}'`).join(', ');
await connection.run(`
  COPY (
    SELECT * EXCLUDE (filename) REPLACE (InvoiceNo || '-' || list_position([${list}], filename) AS InvoiceNo)
    FROM read_parquet([${list}], filename = true)
  ) TO '${out.replaceAll("'", "''")}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1000000)`);
connection.closeSync();
instance.closeSync();
process.stdout.write(`${JSON.stringify({ rows: chunks * perChunk, chunks, path: out, bytes: statSync(out).size, copySeconds: Math.round((performance.now() - started) / 100) / 10 })}\n`);
