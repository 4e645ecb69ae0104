// A Parquet file too big for the generator to hold (100,000,000 rows), written in chunks: generated files of
// --rows-per-chunk rows each (seeds 1…N, bench/out/data, reused when present), copied into one file by native DuckDB,
// which streams them through (the invoice numbers get the chunk's number appended, so invoices stay apart; customers
// and dates are shared: N times the volume of one shop over the same period). --seeds K generates only K distinct
// chunks and repeats them in turn (--seeds 1: one generated file, ten times, each copy its own invoices), which
// saves most of the generating time and gives the engine the same work. Prints one JSON line.
// Usage: node bench/chunked-parquet.mjs [--chunks 10] [--seeds 10] [--rows-per-chunk 10000000] [--out FILE]
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { dataDir, ensureData, root } from './lib/data.mjs';

const { values } = parseArgs({ options: { chunks: { type: 'string' }, seeds: { type: 'string' }, 'rows-per-chunk': { type: 'string' }, out: { type: 'string' } } });
const chunks = Number(values.chunks ?? 10);
const seeds = Math.min(chunks, Number(values.seeds ?? chunks));
const perChunk = Number(values['rows-per-chunk'] ?? 10_000_000);
const out = path.resolve(values.out ?? path.join(dataDir, `retail-${chunks * perChunk}-chunked${seeds < chunks ? `-${seeds}seeds` : ''}.parquet`));
if (existsSync(out)) throw new Error(`${out} exists; remove it to write it again`);

const files = [];
for (let seed = 1; seed <= seeds; seed++) files.push((await ensureData(perChunk, 'parquet', seed)).path);

const nativeApi = createRequire(path.join(root, 'native', 'package.json')).resolve('@duckdb/node-api');
const { DuckDBInstance } = await import(pathToFileURL(nativeApi).href);
// Streamed: no need to keep the chunks' order (which makes DuckDB buffer the union), and a bounded memory (the default,
// 80% of the machine, once took the whole machine with it).
const instance = await DuckDBInstance.create(':memory:', { temp_directory: path.join(dataDir, 'spill'), preserve_insertion_order: 'false', memory_limit: '3GB' });
const connection = await instance.connect();
const started = performance.now();
const literal = (file) => `'${file.replaceAll("'", "''")}'`;
// Chunk i (1…N) reads generated file ((i - 1) mod K) + 1; its invoices get "-i".
const copies = Array.from({ length: chunks }, (_, index) =>
  `SELECT * REPLACE (InvoiceNo || '-${index + 1}' AS InvoiceNo) FROM read_parquet(${literal(files[index % seeds])})`);
await connection.run(`
  COPY (${copies.join('\n    UNION ALL ')})
  TO ${literal(out)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1000000)`);
connection.closeSync();
instance.closeSync();
process.stdout.write(`${JSON.stringify({ rows: chunks * perChunk, chunks, seeds, path: out, bytes: statSync(out).size, copySeconds: Math.round((performance.now() - started) / 100) / 10 })}\n`);
