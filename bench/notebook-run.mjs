#!/usr/bin/env node
// `npm run bench:notebook`: the reactive notebook and the workspace.
//   node  — re-run latency of a 10-cell notebook on 541,909 rows in DuckDB-WASM's Node build, against native
//           DuckDB with 1 thread (bench/notebook.ts, run with tsx);
//   browser — workspace save/restore, unlocked and locked, in headless Chromium on the built app (bench/workspace.mjs).
// One JSON document on stdout, also written to bench/out/notebook-results.json; progress on stderr. Also run by
// `npm run bench` (bench/run.mjs --suite all|notebook). See bench/README.md.
//
// Options: --parts node,browser   --rows 541909   --format csv|parquet   --reps 20   --upstream-reps 10   --warmup 2
//          --workspace-reps 3   --no-native   --no-build   --seed 42   --regen   --quiet-budget 60   --out FILE

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { log, runJsonChild } from './lib/common.mjs';
import { count, parseOptions, sharedOptions } from './lib/options.mjs';
import { ensureData, tsxCli } from './lib/data.mjs';
import { ensureNativeDependency } from './lib/native-dependency.mjs';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(benchDir);
const TARGET_MS = 150;

export const NOTEBOOK_DEFAULTS = {
  parts: ['node', 'browser'],
  rows: 541_909,
  format: 'csv',
  reps: 20,
  upstreamReps: 10,
  warmup: 2,
  workspaceReps: 3,
  native: true,
  build: true,
  seed: 42,
  regen: false,
  quietBudgetMs: 60_000,
  out: path.join(benchDir, 'out', 'notebook-results.json'),
};

function parseArgs(argv) {
  return parseOptions(
    argv,
    { ...NOTEBOOK_DEFAULTS },
    {
      ...sharedOptions,
      '--parts': (o, value) => (o.parts = value().split(',').filter((part) => part === 'node' || part === 'browser')),
      '--rows': (o, value) => (o.rows = count(value())),
      '--format': (o, value) => (o.format = value() === 'parquet' ? 'parquet' : 'csv'),
      '--reps': (o, value) => (o.reps = count(value(), 1)),
      '--upstream-reps': (o, value) => (o.upstreamReps = count(value(), 1)),
      '--warmup': (o, value) => (o.warmup = count(value())),
      '--workspace-reps': (o, value) => (o.workspaceReps = count(value(), 1)),
      '--no-native': (o) => (o.native = false),
      '--no-build': (o) => (o.build = false),
    },
    { script: import.meta.url, lines: 11 },
  );
}


/** A short table on stderr (stdout stays JSON). */
function printSummary(report) {
  const lines = [];
  const nb = report.notebook;
  if (nb && !nb.error) {
    const n = nb.native ?? {};
    lines.push(
      ['notebook (541,909 rows)', 'median ms', 'p95 ms', 'min ms', 'cells re-run', 'native 1-thr ms', 'wasm/native'],
      [
        'input change (setInput)',
        nb.inputRerun.latencyMs.median,
        nb.inputRerun.latencyMs.p95,
        nb.inputRerun.latencyMs.min,
        `${nb.inputRerun.cellsRerun}/${nb.inputRerun.cellsTotal}`,
        n.inputRerun?.latencyMs.median,
        nb.ratios.inputRerunWasmToNative1Thread,
      ],
      [
        'upstream edit (update+run)',
        nb.upstreamEdit.latencyMs.median,
        nb.upstreamEdit.latencyMs.p95,
        nb.upstreamEdit.latencyMs.min,
        `${nb.upstreamEdit.cellsRerun}/${nb.upstreamEdit.cellsTotal}`,
        n.upstreamEdit?.latencyMs.median,
        nb.ratios.upstreamEditWasmToNative1Thread,
      ],
    );
  }
  const ws = report.workspace;
  if (ws && !ws.error) {
    if (lines.length) lines.push([]);
    lines.push(
      ['workspace (Chromium)', 'ms', '', '', '', '', ''],
      ['generate → listed', ws.generate.listedMs],
      ['generate → kept in IndexedDB', ws.generate.persistedMs],
      ['reload → restored (unlocked)', ws.restoreUnlocked.fromNavigationMs?.median],
      ['set passphrase (re-encrypt)', ws.lock.lockMs],
      ['unlock → restored (locked)', ws.restoreLocked.fromUnlockClickMs?.median],
    );
  }
  if (!lines.length) return;
  const cells = lines.map((row) => row.map((value) => String(value ?? '–')));
  const widths = cells.reduce((w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, cell.length)), []);
  const text = cells.map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[0]) : cell.padStart(widths[i]))).join('  ')).join('\n');
  process.stderr.write(`\n${text}\n\n`);
}

/** Run the suite; returns the report (also written to `options.out`). */
export async function runNotebookSuite(partial = {}) {
  const options = { ...NOTEBOOK_DEFAULTS, ...partial };
  const started = performance.now();
  const report = {
    benchmark: 'aisle: reactive notebook re-run latency and workspace save/restore',
    date: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
      node: process.version,
      loadAverageAtStart: os.loadavg().map((value) => Math.round(value * 100) / 100),
    },
    options: { ...options, out: path.relative(root, options.out) },
    notes: [
      'Times in milliseconds; medians unless stated. Benchmarks, not tests: nothing here throws on a missed target, it reports it (targets[].met, inputRerun.onlyDependentsRerun).',
      'notebook: DuckDB-WASM Node build (eh bundle), the app\'s importFile + prepareRetailTable, parseNotebook, Scheduler + createEvaluator. latencyMs is wall time until the promise of setInput (or update + run) resolves. ' +
        'breakdownMedianMs splits it: CREATE TABLE AS per SQL cell, the DESCRIBE + count(*) pair runSql sends after each (wall time of the pair), and outsideQueries (scheduler, evaluators, bookkeeping).',
      'native: DuckDB via @duckdb/node-api with SET threads = 1 (DuckDB-WASM is single-threaded) running, per SQL cell, the statements runSql sends (value spliced in) over the same sales_clean rows, interleaved rep by rep with the WASM runs.',
      'floorMs: a trivial query and the smallest SQL cell (runSql of SELECT 1) — the fixed cost every cell pays whatever its data.',
      'workspace: the built app in headless Chromium with an on-disk profile, driven through its UI; times measured in the page. workerBusy* are approximate (from worker message traffic).',
      'machineBusyCoresDuringRuns / othersBusyCoresBeforeRuns: load on a shared machine; if high, rerun. Compare ratios within one run.',
    ],
  };

  const file = await ensureData(options.rows, options.format, options.seed, undefined, options.regen);
  report.data = { rows: file.rows, format: file.format, file: path.relative(root, file.path), bytes: file.bytes };

  if (options.parts.includes('node')) {
    log(`notebook re-run latency (DuckDB-WASM in Node${options.native ? ' vs native DuckDB, 1 thread' : ''}) …`);
    if (options.native) ensureNativeDependency();
    const args = [
      tsxCli(),
      path.join(benchDir, 'notebook.ts'),
      '--file',
      file.path,
      '--reps',
      String(options.reps),
      '--upstream-reps',
      String(options.upstreamReps),
      '--warmup',
      String(options.warmup),
      '--quiet-budget',
      String(options.quietBudgetMs / 1000),
      ...(options.native ? [] : ['--no-native']),
    ];
    report.notebook = await runJsonChild(root, 'bench/notebook.ts', process.execPath, args).catch((error) => ({ error: error.message }));
  }
  if (options.parts.includes('browser')) {
    log('workspace save/restore (headless Chromium, built app) …');
    const args = [path.join(benchDir, 'workspace.mjs'), '--rows', String(options.rows), '--reps', String(options.workspaceReps)];
    if (!options.build) args.push('--no-build');
    report.workspace = await runJsonChild(root, 'bench/workspace.mjs', process.execPath, args).catch((error) => ({ error: error.message }));
  }

  const nb = report.notebook;
  report.targets = [
    nb && !nb.error
      ? { ...nb.target, whatDominates: nb.inputRerun.breakdownMedianMs }
      : { name: 'input-rerun-541909', targetMs: TARGET_MS, met: null, note: nb?.error ?? 'not measured (--parts)' },
  ];
  report.machine.loadAverageAtEnd = os.loadavg().map((value) => Math.round(value * 100) / 100);
  report.totalSeconds = Math.round((performance.now() - started) / 100) / 10;

  mkdirSync(path.dirname(options.out), { recursive: true });
  writeFileSync(options.out, JSON.stringify(report, null, 2) + '\n');
  log(`notebook suite done in ${report.totalSeconds} s; written to ${path.relative(process.cwd(), options.out)}`);
  printSummary(report);
  for (const target of report.targets) {
    const verdict = target.met === null ? 'not measured' : target.met ? 'met' : 'MISSED';
    log(`target ${target.name}: median ${target.valueMs ?? '–'} ms, p95 ${target.p95Ms ?? '–'} ms (≤ ${target.targetMs}) → ${verdict}`);
  }
  if (nb?.error) log(`notebook part failed: ${nb.error}`);
  if (report.workspace?.error) log(`workspace part failed: ${report.workspace.error}`);
  return report;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runNotebookSuite(parseArgs(process.argv.slice(2)))
    .then((report) => new Promise((resolve) => process.stdout.write(JSON.stringify(report, null, 2) + '\n', resolve)))
    .then(
      () => process.exit(0),
      (error) => {
        log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
        process.exit(1);
      },
    );
}
