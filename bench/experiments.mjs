#!/usr/bin/env node
// Where does the browser spend its load time, and what would make it faster? Times variants of the app's load
// path side by side in one Chromium page (bench/browser/experiments.ts), interleaved, after one warm-up round.
// Prints one JSON document (also bench/out/experiments.json); progress on stderr.
//
// Usage: node bench/experiments.mjs [--rows 541909] [--reps 5] [--formats csv,parquet] [--only name,name]

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { log, median, ms } from './lib/common.mjs';
import { parseOptions } from './lib/options.mjs';
import { dataUrl, startBenchBrowser } from './lib/chromium.mjs';
import { ensureData } from './lib/data.mjs';

const benchDir = path.dirname(fileURLToPath(import.meta.url));

// Mirrors EXPERIMENTS in bench/browser/experiments.ts.
const EXPERIMENTS = [
  ['csv:app-handle', 'importFile() as the app does it: a File by handle, DESCRIBE sniff, CREATE TABLE AS read_csv, tableInfo'],
  ['csv:app-bytes', 'importFile() with the CSV registered as a buffer (registerFileBuffer) instead of a File handle'],
  ['csv:one-pass-handle', 'importFile() minus its DESCRIBE sniff: header line read in JS, one CREATE TABLE (DuckDB sniffs once); File handle'],
  ['csv:one-pass-bytes', 'same, CSV registered as a buffer'],
  ['csv:create-only-bytes', 'only CREATE TABLE AS read_csv on a buffer: the work native does (no sniff query, no tableInfo)'],
  ['parquet:app', 'importFile() as the app does it: parquet-wasm (default 1,024-row batches) → IPC in a worker, insertArrowFromIPCStream, rename, tableInfo'],
  ['parquet:app-batch64k', 'importFile() with parquet-wasm decoding into 65,536-row batches (readParquet(bytes, { batchSize }))'],
  ['parquet:decode', 'decode only: parquet-wasm → Arrow IPC in the worker, default batches'],
  ['parquet:decode-batch64k', 'decode only, 65,536-row batches'],
  ['parquet:insert', 'insert only: insertArrowIpc of the app’s IPC (1,024-row batches), decoded beforehand'],
  ['parquet:insert-batch64k', 'insert only: insertArrowIpc of 65,536-row-batch IPC'],
  ['parquet:pipelined-row-groups', 'decode row group i+1 in the parquet worker while DuckDB appends row group i (65,536-row batches), then tableInfo'],
];

function parseArgs(argv) {
  return parseOptions(
    argv,
    { rows: 541_909, reps: 5, formats: ['csv', 'parquet'], only: null, seed: 42 },
    {
      '--rows': (o, value) => (o.rows = Number.parseInt(value().replaceAll('_', ''), 10)),
      '--reps': (o, value) => (o.reps = Math.max(1, Number.parseInt(value(), 10))),
      '--formats': (o, value) => (o.formats = value().split(',')),
      '--only': (o, value) => (o.only = value().split(',')),
      '--seed': (o, value) => (o.seed = Number.parseInt(value(), 10)),
    },
    { script: import.meta.url, lines: 6 },
  );
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const browser = await startBenchBrowser();
  const report = { rows: options.rows, reps: options.reps, chromium: browser.info.chromium, date: new Date().toISOString(), formats: [] };
  try {
    for (const format of options.formats) {
      const file = await ensureData(options.rows, format, options.seed);
      const names = EXPERIMENTS.filter(([name]) => name.startsWith(`${format}:`) && (!options.only || options.only.includes(name)));
      const page = await browser.openPage(); // fresh page per format
      const run = (name) => page.evaluate(([n, url]) => window.benchExperiment(n, url), [name, dataUrl(file.path)]);
      log(`${format}: warm-up round`);
      for (const [name] of names) await run(name);
      const runs = new Map(names.map(([name]) => [name, []]));
      let bundle;
      for (let rep = 0; rep < options.reps; rep++) {
        for (let i = 0; i < names.length; i++) {
          const [name] = names[(i + rep) % names.length];
          const result = await run(name);
          bundle = result.bundle;
          runs.get(name).push(result.ms);
        }
      }
      const rows = names.map(([name, description]) => {
        const values = runs.get(name);
        const entry = { name, description, medianMs: ms(median(values)), minMs: ms(Math.min(...values)), runs: values.map(ms) };
        log(`${name.padEnd(30)} median ${String(entry.medianMs).padStart(8)} ms   min ${String(entry.minMs).padStart(8)} ms`);
        return entry;
      });
      report.formats.push({ format, file: path.basename(file.path), bytes: file.bytes, bundle, experiments: rows });
    }
  } finally {
    await browser.close();
  }
  const json = JSON.stringify(report, null, 2);
  mkdirSync(path.join(benchDir, 'out'), { recursive: true });
  writeFileSync(path.join(benchDir, 'out', 'experiments.json'), json + '\n');
  process.stdout.write(json + '\n');
}

main().catch((error) => {
  log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
  process.exit(1);
});
