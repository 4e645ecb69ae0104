#!/usr/bin/env node
// `npm run -s bench -- --suite excel` (or `node bench/excel-run.mjs`): import of the 541,909-row Online-Retail layout
// as .xlsx, timed in the same run, alternating per repetition:
//   node      the headless runner's path: importFile() on DuckDB-WASM's Node build (bench/excel-node.ts, a cold process)
//   chromium  the built app in headless Chromium: the workbook picked in the file input → preview shown → table listed
//   pandas    pandas.read_excel(engine="openpyxl") (bench/excel_pandas.py)
// The workbook is written once by openpyxl (write_only) from the generator's CSV and cached in bench/out/data.
// Python: $BENCH_PYTHON, else a venv at bench/out/excel-venv made with `python3 -m venv` + pip install openpyxl pandas.
// One JSON document on stdout and in bench/out/excel-results.json. Options: --reps 2  --seed 42  --regen
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { log, median } from './lib/common.mjs';
import { count, parseOptions, sharedOptions } from './lib/options.mjs';
import { freePort } from './lib/chromium.mjs';
import { dataDir, ensureData, root, tsxCli } from './lib/data.mjs';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.join(benchDir, 'out');
const ROWS = 541_909;

function parseArgs(argv) {
  return parseOptions(
    argv,
    { reps: 2, seed: 42, regen: false },
    {
      '--reps': (o, value) => (o.reps = count(value(), 1)),
      '--seed': sharedOptions['--seed'],
      '--regen': sharedOptions['--regen'],
    },
    { script: import.meta.url, lines: 9 },
  );
}

/** A Python with openpyxl and pandas: $BENCH_PYTHON, or a venv under bench/out made on first use. */
function ensurePython() {
  if (process.env.BENCH_PYTHON) return process.env.BENCH_PYTHON;
  const venv = path.join(outDir, 'excel-venv');
  const python = path.join(venv, 'bin', 'python');
  const works = () => existsSync(python) && spawnSync(python, ['-c', 'import openpyxl, pandas'], { stdio: 'ignore' }).status === 0;
  if (works()) return python;
  log(`making a venv with openpyxl and pandas in ${path.relative(root, venv)} …`);
  const steps = [
    ['python3', ['-m', 'venv', venv]],
    [python, ['-m', 'pip', 'install', '--quiet', 'openpyxl', 'pandas']],
  ];
  for (const [command, args] of steps) {
    const result = spawnSync(command, args, { stdio: ['ignore', process.stderr, process.stderr] });
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed; set BENCH_PYTHON to a python with openpyxl and pandas`);
  }
  if (!works()) throw new Error('the venv cannot import openpyxl and pandas');
  return python;
}

async function ensureWorkbook(python, seed, regen) {
  const csv = await ensureData(ROWS, 'csv', seed, undefined, regen);
  const xlsx = path.join(dataDir, `retail-${ROWS}-s${seed}.xlsx`);
  if (regen || !existsSync(xlsx) || statSync(xlsx).mtimeMs < statSync(csv.path).mtimeMs) {
    log(`writing ${path.relative(root, xlsx)} with openpyxl (write_only; a minute or two) …`);
    const result = spawnSync(python, [path.join(benchDir, 'excel_pandas.py'), 'write', csv.path, xlsx], { stdio: ['ignore', process.stderr, process.stderr] });
    if (result.status !== 0) throw new Error('writing the workbook failed');
  }
  return xlsx;
}

function runJson(command, args) {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'inherit'] });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}`);
  return JSON.parse(result.stdout.trim().split('\n').pop());
}

/** The app built (vite build, the real config) into bench/out/app-dist and served by vite preview. */
async function startApp() {
  const vite = await import('vite');
  const outDirApp = path.join(outDir, 'app-dist');
  log('building the app (vite build) …');
  await vite.build({ root, logLevel: 'warn', build: { outDir: outDirApp, emptyOutDir: true } });
  const port = await freePort();
  const server = await vite.preview({ root, logLevel: 'warn', build: { outDir: outDirApp }, preview: { port, strictPort: true, host: '127.0.0.1' } });
  const { findChromium, chromiumArgs } = await import('../scripts/find-chromium.mjs');
  const { chromium } = await import('@playwright/test');
  const browser = await chromium.launch({ executablePath: await findChromium({ install: true }), args: chromiumArgs, headless: true });
  return {
    url: `http://127.0.0.1:${port}/`,
    browser,
    close: async () => {
      await browser.close();
      await new Promise((resolve) => server.httpServer.close(resolve));
    },
  };
}

/** Pick the workbook in the app's file input; time the preview and the table's arrival in the data panel. */
async function chromiumRun(app, xlsx, screenshot) {
  const context = await app.browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(app.url);
    await page.getByTestId('engine-status').filter({ hasText: 'DuckDB-WASM' }).waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="cell"][data-cell-name="revenue_by_country"][data-status="done"]').waitFor({ timeout: 90_000 });
    const table = path.basename(xlsx).replace(/\.xlsx$/, '').replaceAll('-', '_');
    const started = await page.evaluate(() => performance.now());
    await page.getByTestId('file-input').setInputFiles(xlsx);
    // The import sheet opens on the workbook's first rows; "Import as detected" then reads the whole sheet. The time
    // the sheet waits for the click is left out: import = to the preview + from the click to the table.
    await page.getByTestId('sheet-preview').waitFor({ timeout: 120_000 });
    const previewAt = await page.evaluate(() => performance.now());
    if (screenshot) await page.screenshot({ path: screenshot });
    const clickedAt = await page.evaluate(() => performance.now());
    await page.getByTestId('sheet-import-detected').click();
    const item = page.locator(`[data-testid="table-item"][data-table="${table}"] [data-testid="table-rows"]`);
    await item.waitFor({ timeout: 600_000 });
    const loadedAt = await page.evaluate(() => performance.now());
    const rows = Number((await item.textContent()).replace(/[^\d]/g, ''));
    return { previewMs: Math.round(previewAt - started), importMs: Math.round(previewAt - started + (loadedAt - clickedAt)), rows };
  } finally {
    await context.close();
  }
}

export async function runExcelSuite(partial = {}) {
  const options = { reps: 2, seed: 42, regen: false, ...partial };
  mkdirSync(outDir, { recursive: true });
  const python = ensurePython();
  const xlsx = await ensureWorkbook(python, options.seed, options.regen);
  const app = await startApp();
  const runs = { node: [], chromium: [], pandas: [] };
  try {
    for (let rep = 0; rep < options.reps; rep++) {
      log(`rep ${rep + 1}/${options.reps}: node …`);
      runs.node.push(runJson(process.execPath, [tsxCli(), path.join(benchDir, 'excel-node.ts'), xlsx]));
      log(`rep ${rep + 1}/${options.reps}: chromium …`);
      runs.chromium.push(await chromiumRun(app, xlsx, rep === 0 ? path.join(outDir, 'excel-preview.png') : undefined));
      log(`rep ${rep + 1}/${options.reps}: pandas …`);
      runs.pandas.push(runJson(python, [path.join(benchDir, 'excel_pandas.py'), 'read', xlsx]));
      log(JSON.stringify({ node: runs.node.at(-1), chromium: runs.chromium.at(-1), pandas: runs.pandas.at(-1) }));
    }
  } finally {
    await app.close();
  }
  const med = (list, key) => median(list.map((run) => run[key]));
  const pandasMs = med(runs.pandas, 'ms');
  const report = {
    benchmark: 'aisle: import of the Online-Retail layout as .xlsx',
    rows: ROWS,
    file: { path: path.relative(root, xlsx), bytes: statSync(xlsx).size, writer: 'openpyxl write_only' },
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, pandas: runs.pandas[0]?.versions },
    reps: options.reps,
    medians: {
      nodeImportMs: med(runs.node, 'importMs'),
      nodePreviewMs: med(runs.node, 'previewMs'),
      chromiumImportMs: med(runs.chromium, 'importMs'),
      chromiumPreviewMs: med(runs.chromium, 'previewMs'),
      pandasMs,
    },
    ratios: {
      nodeVsPandas: Math.round((med(runs.node, 'importMs') / pandasMs) * 1000) / 1000,
      chromiumVsPandas: Math.round((med(runs.chromium, 'importMs') / pandasMs) * 1000) / 1000,
    },
    targets: { vsPandas: 1, previewMs: 3000 },
    check: { rowsEqual: [...runs.node, ...runs.chromium, ...runs.pandas].every((run) => run.rows === ROWS), quantitySums: { node: runs.node[0]?.quantitySum, pandas: runs.pandas[0]?.quantity_sum } },
    runs,
  };
  writeFileSync(path.join(outDir, 'excel-results.json'), JSON.stringify(report, null, 2) + '\n');
  return report;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runExcelSuite(parseArgs(process.argv.slice(2)))
    .then((report) => process.stdout.write(JSON.stringify(report, null, 2) + '\n'))
    .catch((error) => {
      log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
      process.exit(1);
    });
}
