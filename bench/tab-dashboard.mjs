#!/usr/bin/env node
// The retail dashboard in the tab: the built app in headless Chromium (DuckDB-WASM in the page), driven through its
// UI as the render suite does (bench/render.mjs's measureNotebook: open the app, pick the generated file as `sales`,
// open the demo's card, time every cell until done and every chart drawn), on the generated rows the Trino bench
// reads from the warehouse (same generator, same seed). Prints one JSON document: load time, render time, per cell.
// Usage: node bench/tab-dashboard.mjs [--rows 2000000] [--seed 42] [--no-build] [--timeout 900]
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './lib/chromium.mjs';
import { log } from './lib/common.mjs';
import { ensureData } from './lib/data.mjs';
import { count, parseOptions } from './lib/options.mjs';
import { measureNotebook } from './render.mjs';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(benchDir);
const appDist = path.join(benchDir, 'out', 'app-dist');
const workDir = path.join(benchDir, 'out', 'tab');
const BASE_PATH = '/aisle/';

const options = parseOptions(
  process.argv.slice(2),
  { rows: 2_000_000, seed: 42, build: true, timeoutMs: 900_000 },
  {
    '--rows': (o, value) => (o.rows = count(value(), 1)),
    '--seed': (o, value) => (o.seed = Number.parseInt(value(), 10)),
    '--no-build': (o) => (o.build = false),
    '--timeout': (o, value) => (o.timeoutMs = Math.max(10, Number(value())) * 1000),
  },
  { script: import.meta.url, lines: 6 },
);

const file = await ensureData(options.rows, 'parquet', options.seed);
mkdirSync(workDir, { recursive: true });
// The app names a table after its file: a copy called sales.parquet becomes `sales`, which the notebook reads.
const dataFile = path.join(workDir, 'sales.parquet');
if (!existsSync(dataFile) || statSync(dataFile).size !== file.bytes || statSync(dataFile).mtimeMs < statSync(file.path).mtimeMs) copyFileSync(file.path, dataFile);

const vite = await import('vite');
const configFile = path.join(root, 'vite.config.ts');
if (options.build || !existsSync(path.join(appDist, 'index.html'))) {
  log(`building the app into ${path.relative(root, appDist)} …`);
  await vite.build({ root, configFile, logLevel: 'error', build: { outDir: appDist, emptyOutDir: true } });
}
const port = await freePort();
const server = await vite.preview({ root, configFile, base: BASE_PATH, logLevel: 'warn', build: { outDir: appDist }, preview: { port, strictPort: true, host: '127.0.0.1', open: false } });
const { findChromium, chromiumArgs } = await import('../scripts/find-chromium.mjs');
const { chromium } = await import('@playwright/test');
const browser = await chromium.launch({ executablePath: await findChromium({ install: true }), args: chromiumArgs, headless: true });
try {
  log(`tab: the dashboard on ${options.rows} rows in Chromium …`);
  const result = await measureNotebook({ browser, baseUrl: `http://127.0.0.1:${port}${BASE_PATH}`, slug: 'retail-dashboard', dataFile, timeoutMs: options.timeoutMs, rows: options.rows });
  const { notebook, complete, loadMs, renderMs, cellsSumMs, perCell, failedCells, engine } = result;
  console.log(JSON.stringify({ notebook, rows: options.rows, file: path.relative(root, file.path), chromium: browser.version(), engine, complete, loadMs, renderMs, cellsSumMs, perCell, failedCells }));
} finally {
  await browser.close().catch(() => undefined);
  await new Promise((resolve) => server.httpServer.close(resolve));
}
