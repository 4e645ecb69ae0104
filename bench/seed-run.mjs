#!/usr/bin/env node
// `npm run -s bench -- --suite seed` (or `node bench/seed-run.mjs`): the seeds' pipeline (load CSV, clean, KPIs, RFM,
// K-Means k=4, elbow k=2..10, item-item cosine top-5) on the 541,909-row Online-Retail layout, alternating per rep:
//   pandas-1-thread   bench/seed_pandas.py with OMP/OPENBLAS/MKL_NUM_THREADS=1 (like for like: our models use one thread)
//   pandas            the same with default threads
//   runner            Aisle's runner path (bench/seed.ts: native DuckDB as `aisle run` picks it, the app's Scheduler, a cold process)
//   chromium          the built app in headless Chromium, a fresh context per run: the file picked → every cell done
//                     (bench/seed-chromium.mjs; stage load_clean is picked → first cell running, pandas' load + clean)
// Python: $BENCH_PYTHON, else a venv at bench/out/seed-venv made with `python3 -m venv` + pip install pandas scikit-learn.
// One JSON document on stdout and in bench/out/seed-results.json: per-stage medians, ratios to pandas (1 thread and
// default), and each model cell's overhead (cell time minus the algorithm's) against 50 ms + 10 ms per 100k input rows.
// Options: --reps 3  --seed 42  --regen  --out FILE  --engines pandas-1-thread,pandas,runner,chromium  --no-build (reuse bench/out/app-dist)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { log, median } from './lib/common.mjs';
import { count, parseOptions, sharedOptions } from './lib/options.mjs';
import { ensureData, root, tsxCli } from './lib/data.mjs';
import { startSeedChromium } from './seed-chromium.mjs';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.join(benchDir, 'out');
const ROWS = 541_909;
const ONE_THREAD = { OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
const ENGINES = ['pandas-1-thread', 'pandas', 'runner', 'chromium'];

function parseArgs(argv) {
  return parseOptions(
    argv,
    { reps: 3, seed: 42, regen: false, engines: ENGINES, build: true, out: path.join(outDir, 'seed-results.json') },
    {
      '--reps': (o, value) => (o.reps = count(value(), 1)),
      '--seed': sharedOptions['--seed'],
      '--regen': sharedOptions['--regen'],
      '--out': sharedOptions['--out'],
      '--no-build': (o) => (o.build = false),
      '--engines': (o, value) => {
        o.engines = value().split(',').filter(Boolean);
        const unknown = o.engines.filter((name) => !ENGINES.includes(name));
        if (unknown.length > 0 || !o.engines.includes('pandas-1-thread')) throw new Error(`--engines: one or more of ${ENGINES.join(', ')}, pandas-1-thread among them (the reference)`);
      },
    },
    { script: import.meta.url, lines: 14 },
  );
}

/** A Python with pandas and scikit-learn: $BENCH_PYTHON, or a venv under bench/out made on first use. */
function ensurePython() {
  if (process.env.BENCH_PYTHON) return process.env.BENCH_PYTHON;
  const venv = path.join(outDir, 'seed-venv');
  const python = path.join(venv, 'bin', 'python');
  const works = () => existsSync(python) && spawnSync(python, ['-c', 'import pandas, sklearn'], { stdio: 'ignore' }).status === 0;
  if (works()) return python;
  log(`making a venv with pandas and scikit-learn in ${path.relative(root, venv)} …`);
  for (const [command, args] of [
    ['python3', ['-m', 'venv', venv]],
    [python, ['-m', 'pip', 'install', '--quiet', 'pandas', 'scikit-learn']],
  ]) {
    const result = spawnSync(command, args, { stdio: ['ignore', process.stderr, process.stderr] });
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed; set BENCH_PYTHON to a python with pandas and scikit-learn`);
  }
  if (!works()) throw new Error('the venv cannot import pandas and scikit-learn');
  return python;
}

function runJson(command, args, env = {}) {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 24, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}`);
  return JSON.parse(result.stdout.trim().split('\n').pop());
}

const round3 = (value) => (Number.isFinite(value) ? Math.round(value * 1000) / 1000 : null);

function stageMedians(runs) {
  const stages = [...new Set(runs.flatMap((run) => Object.keys(run.stagesMs)))];
  const medians = { ...Object.fromEntries(stages.map((stage) => [stage, median(runs.map((run) => run.stagesMs[stage] ?? 0))])), total: median(runs.map((run) => run.totalMs)) };
  // Chromium's load and cleaning are one stage (picked → first cell running); pandas' two, summed, compare with it.
  if (medians.load !== undefined && medians.clean !== undefined) medians.load_clean = median(runs.map((run) => (run.stagesMs.load ?? 0) + (run.stagesMs.clean ?? 0)));
  return medians;
}

export async function runSeedSuite(partial = {}) {
  const options = { reps: 3, seed: 42, regen: false, engines: ENGINES, build: true, out: path.join(outDir, 'seed-results.json'), ...partial };
  mkdirSync(outDir, { recursive: true });
  const python = ensurePython();
  const csv = await ensureData(ROWS, 'csv', options.seed, undefined, options.regen);
  const chromium = options.engines.includes('chromium') ? await startSeedChromium({ build: options.build }) : null;
  const all = {
    'pandas-1-thread': async () => runJson(python, [path.join(benchDir, 'seed_pandas.py'), csv.path], ONE_THREAD),
    pandas: async () => runJson(python, [path.join(benchDir, 'seed_pandas.py'), csv.path]),
    runner: async () => runJson(process.execPath, [tsxCli(), path.join(benchDir, 'seed.ts'), '--file', csv.path]),
    chromium: () => chromium.run(csv.path, ROWS),
  };
  const names = ENGINES.filter((name) => options.engines.includes(name));
  const runs = Object.fromEntries(names.map((name) => [name, []]));
  try {
    for (let rep = 0; rep < options.reps; rep++) {
      // Rotating order, so a busy spell on a shared machine does not always hit the same engine.
      for (let i = 0; i < names.length; i++) {
        const name = names[(rep + i) % names.length];
        log(`rep ${rep + 1}/${options.reps}: ${name} …`);
        runs[name].push(await all[name]());
        log(`${name}: ${JSON.stringify(runs[name].at(-1).stagesMs)}`);
      }
    }
  } finally {
    await chromium?.close();
  }
  const medians = Object.fromEntries(names.map((name) => [name, stageMedians(runs[name])]));
  const ratios = (engine, reference) =>
    medians[engine] && medians[reference]
      ? Object.fromEntries(Object.keys(medians[engine]).filter((stage) => medians[reference][stage] !== undefined).map((stage) => [stage, round3(medians[engine][stage] / medians[reference][stage])]))
      : null;
  const modelCells = [...new Set((runs.runner ?? []).flatMap((run) => run.cells.filter((cell) => cell.model).map((cell) => cell.cell)))];
  const overhead = modelCells.map((cell) => {
    const entries = runs.runner.map((run) => run.cells.find((entry) => entry.cell === cell)?.model).filter(Boolean);
    const field = (key) => median(entries.map((entry) => entry[key]));
    const overheadMs = field('overheadMs');
    return {
      cell,
      inputRows: entries[0].inputRows,
      inputBytes: entries[0].inputBytes,
      ...Object.fromEntries(['exportMs', 'decodeMs', 'algorithmMs', 'encodeMs', 'insertMs', 'otherQueriesMs'].map((key) => [key, field(key)])),
      overheadMs,
      targetMs: entries[0].overheadTargetMs,
      met: overheadMs <= entries[0].overheadTargetMs,
    };
  });
  const report = {
    benchmark: 'aisle: the seed pipeline (pandas + scikit-learn) beside the same steps in Aisle',
    rows: ROWS,
    file: path.relative(root, csv.path),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, loadavg: os.loadavg(), pandas: runs['pandas-1-thread'][0]?.versions },
    reps: options.reps,
    mediansMs: medians,
    ratios: {
      runnerVsPandas1Thread: ratios('runner', 'pandas-1-thread'),
      runnerVsPandas: ratios('runner', 'pandas'),
      chromiumVsPandas1Thread: ratios('chromium', 'pandas-1-thread'),
      chromiumVsPandas: ratios('chromium', 'pandas'),
    },
    modelCellOverhead: overhead,
    targets: [
      ...(medians.runner ? [{ name: 'runner ≤ 0.6× pandas (1 thread), whole pipeline', ratio: round3(medians.runner.total / medians['pandas-1-thread'].total), target: 0.6, met: medians.runner.total <= 0.6 * medians['pandas-1-thread'].total }] : []),
      ...(medians.chromium ? [{ name: 'Chromium ≤ 1.0× pandas (1 thread), file picked → all cells done', ratio: round3(medians.chromium.total / medians['pandas-1-thread'].total), target: 1, met: medians.chromium.total <= medians['pandas-1-thread'].total }] : []),
      ...overhead.map((entry) => ({ name: `model cell overhead: ${entry.cell}`, ms: entry.overheadMs, targetMs: entry.targetMs, met: entry.met })),
    ],
    check: { pandas: runs['pandas-1-thread'][0]?.check, runner: runs.runner?.[0]?.check, chromium: runs.chromium?.[0]?.check },
    runs,
  };
  writeFileSync(options.out, JSON.stringify(report, null, 2) + '\n');
  return report;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runSeedSuite(parseArgs(process.argv.slice(2)))
    .then((report) => process.stdout.write(JSON.stringify(report, null, 2) + '\n'))
    .catch((error) => {
      log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
      process.exit(1);
    });
}
