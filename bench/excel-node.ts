// The Excel benchmark's Node side (bench/excel-run.mjs runs it with tsx, once per repetition, cold):
// the headless runner's path, `importFile` on DuckDB-WASM's Node build with the workbook as bytes.
// Prints one JSON line: {previewMs, importMs, rows, quantitySum}; times from the bytes in memory.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { openNodeDatabase } from '../src/db/duckdb-node.ts';
import { nodeParquetCodec } from '../src/db/parquet-node.ts';
import { importFile } from '../src/engine/datasets.ts';

const file = process.argv[2];
if (!file) throw new Error('usage: tsx bench/excel-node.ts <file.xlsx>');
const bytes = new Uint8Array(await readFile(file));
const database = await openNodeDatabase();
let previewMs: number | null = null;
const started = performance.now();
const info = await importFile(
  database,
  nodeParquetCodec,
  { fileName: path.basename(file), size: bytes.byteLength, source: { kind: 'bytes', bytes } },
  { tableName: 'retail', onPreview: () => void (previewMs ??= performance.now() - started) },
);
const importMs = performance.now() - started;
const sum = await database.query('SELECT sum(Quantity)::DOUBLE AS q FROM retail');
process.stdout.write(
  JSON.stringify({ previewMs: Math.round(previewMs ?? NaN), importMs: Math.round(importMs), rows: info.rowCount, quantitySum: sum.getChild('q')?.get(0) }) + '\n',
);
await database.close();
