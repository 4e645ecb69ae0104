#!/usr/bin/env node
// A model cell's overhead in headless Chromium (issue 18, target 5: ≤ 50 ms + 10 ms per 100k input rows): the app's
// evaluateModel with K-Means k=4 in a warm models worker, on generated customer tables (an id, three numeric features
// and one text column the model does not read), on the bench page (bench/browser/model-overhead.ts). Overhead is the
// cell's time minus the algorithm's, split into DuckDB's export, the worker's decode and encode, the insert of the
// outputs, other queries (DESCRIBE, ENUM types, the shape query) and the rest (transfers, messages).
// Usage: npm run -s bench -- --suite overhead      or      node bench/model-overhead.mjs [--sizes 100000,500000] [--reps 5]
// One JSON document on stdout (also bench/out/overhead-results.json); progress on stderr.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBenchBrowser } from './lib/chromium.mjs';
import { log, median, ms } from './lib/common.mjs';
import { count, parseOptions, sharedOptions } from './lib/options.mjs';

const benchDir = path.dirname(fileURLToPath(import.meta.url));

export const OVERHEAD_DEFAULTS = { sizes: [100_000, 500_000], reps: 5, out: path.join(benchDir, 'out', 'overhead-results.json') };

function parseArgs(argv) {
  return parseOptions(
    argv,
    { ...OVERHEAD_DEFAULTS },
    {
      '--out': sharedOptions['--out'],
      '--sizes': (o, value) => (o.sizes = value().split(',').filter(Boolean).map((text) => count(text, 1))),
      '--reps': (o, value) => (o.reps = count(value(), 1)),
    },
    { script: import.meta.url, lines: 8 },
  );
}

export async function runOverheadSuite(partial = {}) {
  const options = { ...OVERHEAD_DEFAULTS, ...partial };
  const browser = await startBenchBrowser();
  const results = [];
  try {
    const page = await browser.openPage();
    const info = await page.evaluate(() => window.benchInfo());
    for (const rows of options.sizes) {
      log(`model cell on ${rows} rows: warm-up + ${options.reps} runs …`);
      const runs = await page.evaluate(([n, reps]) => window.benchModelOverhead(n, reps), [rows, options.reps]);
      const field = (key) => ms(median(runs.map((run) => run[key])));
      const entry = {
        rows,
        inputBytes: runs[0].inputBytes,
        overheadMs: { min: ms(Math.min(...runs.map((run) => run.overheadMs))), median: field('overheadMs'), max: ms(Math.max(...runs.map((run) => run.overheadMs))) },
        targetMs: runs[0].targetMs,
        met: field('overheadMs') <= runs[0].targetMs,
        medianMs: Object.fromEntries(['cellMs', 'algorithmMs', 'exportMs', 'decodeMs', 'encodeMs', 'insertMs', 'otherQueriesMs', 'transferAndOtherMs'].map((key) => [key, field(key)])),
        runs: runs.map((run) => Object.fromEntries(Object.entries(run).map(([key, value]) => [key, ms(value)]))),
      };
      log(`${rows} rows: overhead ${entry.overheadMs.median} ms (target ${entry.targetMs}) ${JSON.stringify(entry.medianMs)}`);
      results.push(entry);
    }
    const report = {
      benchmark: 'aisle: a model cell\'s overhead (inputs out of DuckDB, into the worker, outputs back), K-Means k=4 in headless Chromium',
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, chromium: browser.info.chromium, duckdb: info.version, bundle: info.bundle, loadavg: os.loadavg() },
      reps: options.reps,
      results,
      targets: results.map((entry) => ({ name: `model cell overhead, ${entry.rows} rows`, ms: entry.overheadMs.median, targetMs: entry.targetMs, met: entry.met })),
    };
    mkdirSync(path.dirname(options.out), { recursive: true });
    writeFileSync(options.out, JSON.stringify(report, null, 2) + '\n');
    return report;
  } finally {
    await browser.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runOverheadSuite(parseArgs(process.argv.slice(2)))
    .then((report) => process.stdout.write(JSON.stringify(report, null, 2) + '\n'))
    .catch((error) => {
      log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
      process.exit(1);
    });
}
