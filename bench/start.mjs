#!/usr/bin/env node
// The start suite (issue 18, target 4): how long the built app takes from navigation until every cell of its welcome
// notebook (the 50,000-row sample) is done, over fresh starts in headless Chromium. Target: ≤ 3 s.
//
// The real app, built into bench/out/start-dist (the root vite.config.ts), served by `vite preview --base /aisle/` as
// tests/e2e do; each start is a new browser context (nothing cached: no HTTP cache, no IndexedDB, no workspace).
// "Ready" is what the e2e tests wait for: every `[data-testid="cell"]` of the notebook has data-status="done".
// The split, from the page (an init script that records without changing what it wraps):
//   scripts      the entry script and stylesheet fetched (resource timing) and run until the first DOM node of the app
//   duckdb       DuckDB-WASM's worker asked to instantiate → its answer (wasm fetch + compile + instantiate), then OPEN
//   wasmFetch    the DuckDB .wasm's own resource timing (start → response end) and its Content-Type
//   sample       the sample Parquet fetched (resource timing)
//   load         the sample's table listed in the data panel (decode, insert, validation and cleaning)
//   cells        first cell running → last cell done
// Usage: npm run -s bench -- --suite start      or      node bench/start.mjs [--reps 8] [--no-build] [--out FILE]
//        --against DIR: also start another build of the app (say, one made from an earlier commit with
//        `npx vite build --outDir DIR`), alternating with this one start by start, so both see the same machine.
// One JSON document on stdout (also written to --out, default bench/out/start-results.json); progress on stderr.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './lib/chromium.mjs';
import { log, median, ms } from './lib/common.mjs';
import { count, parseOptions, sharedOptions } from './lib/options.mjs';
import { quietGate } from './lib/machine.mjs';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(benchDir);
const BASE_PATH = '/aisle/';
const TARGET_MS = 3000;

export const START_DEFAULTS = {
  reps: 8,
  build: true,
  timeoutMs: 120_000,
  quietBudgetMs: 60_000,
  dist: path.join(benchDir, 'out', 'start-dist'),
  against: null,
  out: path.join(benchDir, 'out', 'start-results.json'),
};

function parseArgs(argv) {
  return parseOptions(
    argv,
    { ...START_DEFAULTS },
    {
      ...sharedOptions,
      '--reps': (o, value) => (o.reps = count(value(), 1)),
      '--no-build': (o) => (o.build = false),
      '--against': (o, value) => (o.against = path.resolve(value())),
    },
    { script: import.meta.url, lines: 18 },
  );
}

/** The welcome notebook's named cells, read from its text (```kind name), independently of the app's parser. */
function welcomeCells() {
  const text = readFileSync(path.join(root, 'notebooks', 'welcome.md'), 'utf8');
  return [...text.matchAll(/^```(sql|chart|model|input)[ \t]+([A-Za-z_]\w*)/gm)].map((match) => match[2]);
}

// ------------------------------------------------------------------------------------------------- in the page

/** Runs at the start of every document: `window.__start` records cell statuses, DuckDB's worker requests and marks. */
function probeScript() {
  const now = () => performance.now();
  const probe = { marks: {}, status: [], duckdb: [], workers: [] };
  window.__start = probe;
  const watchers = {
    appMounted: () => document.querySelector('#app > :not([data-testid="splash"])') !== null,
    engineReady: () => (document.querySelector('[data-testid="engine-status"]')?.textContent ?? '').includes('DuckDB'),
    sampleListed: () => document.querySelector('[data-testid="table-item"][data-table="sales_clean"]') !== null,
  };
  const poll = () => {
    for (const [name, test] of Object.entries(watchers)) if (probe.marks[name] === undefined && test()) probe.marks[name] = now();
    if (Object.keys(probe.marks).length < Object.keys(watchers).length) requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);

  const setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    if (name === 'data-status' && this.getAttribute('data-testid') === 'cell') {
      const cell = this.getAttribute('data-cell-name');
      if (cell !== null) probe.status.push({ cell, status: String(value), at: now() });
    }
    return setAttribute.call(this, name, value);
  };

  // DuckDB-WASM's worker: each request's type, post time and answer time (requests carry messageId, answers requestId).
  const NativeWorker = window.Worker;
  window.Worker = class extends NativeWorker {
    constructor(url, options) {
      super(url, options);
      const traffic = { name: options?.name ?? String(url).split('/').pop(), createdAt: now(), posts: [], answers: [] };
      probe.workers.push(traffic);
      super.addEventListener('message', () => traffic.answers.push(now()));
      this.__traffic = traffic;
      this.__duckdb = /duckdb/i.test(String(url)) ? new Map() : null;
      if (!this.__duckdb) return;
      super.addEventListener('message', (event) => {
        const request = this.__duckdb.get(event.data?.requestId);
        if (request) request.end = now();
      });
    }
    postMessage(message, ...rest) {
      this.__traffic?.posts.push(now());
      if (this.__duckdb && message && typeof message.messageId === 'number' && typeof message.type === 'string') {
        const sql = Array.isArray(message.data) ? message.data.find((part) => typeof part === 'string' && /\s/.test(part)) : undefined;
        const request = { type: message.type, start: now(), end: null, ...(sql ? { sql: sql.replace(/\s+/g, ' ').slice(0, 120) } : {}) };
        probe.duckdb.push(request);
        this.__duckdb.set(message.messageId, request);
      }
      return super.postMessage(message, ...rest);
    }
  };
}

// ------------------------------------------------------------------------------------------------- one start

const r1 = (value) => (value == null || !Number.isFinite(value) ? null : ms(value));

async function measureStart({ browser, baseUrl, cells, timeoutMs }) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  try {
    await context.addInitScript(probeScript);
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    const contentTypes = {};
    page.on('response', (response) => {
      if (/\.wasm$/.test(new URL(response.url()).pathname)) contentTypes[path.basename(new URL(response.url()).pathname)] = response.headers()['content-type'] ?? null;
    });
    await page.goto(baseUrl, { waitUntil: 'commit' });
    await page.waitForFunction(
      (names) => names.every((name) => document.querySelector(`[data-testid="cell"][data-cell-name="${name}"]`)?.getAttribute('data-status') === 'done'),
      cells,
      { timeout: timeoutMs, polling: 'raf' },
    );
    const readyAt = await page.evaluate(() => performance.now());
    const probe = await page.evaluate(() => {
      const p = window.__start;
      const resources = performance.getEntriesByType('resource').map((entry) => ({ name: entry.name, start: entry.startTime, end: entry.responseEnd, bytes: entry.encodedBodySize }));
      const navigation = performance.getEntriesByType('navigation')[0];
      return { marks: p.marks, status: p.status, duckdb: p.duckdb, workers: p.workers, resources, domContentLoaded: navigation?.domContentLoadedEventEnd ?? null };
    });
    // performance.now() counts from navigation start (timeOrigin) in a fresh document.
    const resource = (pattern) => probe.resources.find((entry) => pattern.test(new URL(entry.name).pathname));
    const entry = resource(/\/assets\/index-[^/]+\.js$/);
    const duckdbWasm = probe.resources.find((e) => /duckdb-(eh|mvp)-[^/]+\.wasm$/.test(e.name));
    const sample = resource(/online_retail_50k\.parquet$/);
    const instantiate = probe.duckdb.find((request) => request.type === 'INSTANTIATE');
    const open = probe.duckdb.find((request) => request.type === 'OPEN');
    const firstQuery = probe.duckdb.find((request) => request.sql);
    const running = probe.status.filter((event) => event.status === 'running').map((event) => event.at);
    const done = probe.status.filter((event) => event.status === 'done').map((event) => event.at);
    const cellMs = Object.fromEntries(
      cells.map((name) => {
        const mine = probe.status.filter((event) => event.cell === name);
        const start = mine.find((event) => event.status === 'running')?.at;
        const end = mine.findLast((event) => event.status === 'done')?.at;
        return [name, r1(end - start)];
      }),
    );
    return {
      readyMs: r1(readyAt),
      split: {
        entryScriptFetchedMs: r1(entry?.end),
        domContentLoadedMs: r1(probe.domContentLoaded),
        appMountedMs: r1(probe.marks.appMounted),
        duckdbInstantiateAskedMs: r1(instantiate?.start),
        duckdbInstantiateMs: r1(instantiate ? instantiate.end - instantiate.start : null),
        duckdbWasmFetchMs: r1(duckdbWasm ? duckdbWasm.end - duckdbWasm.start : null),
        duckdbOpenMs: r1(open ? open.end - open.start : null),
        duckdbReadyMs: r1(firstQuery?.end),
        engineShownMs: r1(probe.marks.engineReady),
        sampleFetchStartMs: r1(sample?.start),
        sampleFetchMs: r1(sample ? sample.end - sample.start : null),
        sampleListedMs: r1(probe.marks.sampleListed),
        firstCellRunningMs: r1(Math.min(...running)),
        lastCellDoneMs: r1(Math.max(...done)),
      },
      cellMs,
      wasm: { contentTypes, duckdbBytes: duckdbWasm?.bytes ?? null, bundle: duckdbWasm ? /duckdb-(eh|mvp)/.exec(duckdbWasm.name)[1] : null },
      workers: probe.workers.map((w) => ({ name: w.name, createdMs: r1(w.createdAt), firstPostMs: r1(w.posts[0]), lastAnswerMs: r1(w.answers.at(-1)), posts: w.posts.map(r1), answers: w.answers.map(r1) })),
      duckdbRequests: probe.duckdb.map((request) => ({ type: request.type, atMs: r1(request.start), ms: r1(request.end - request.start), ...(request.sql ? { sql: request.sql } : {}) })),
      errors,
    };
  } finally {
    await context.close();
  }
}

// ------------------------------------------------------------------------------------------------- the suite

function summary(values) {
  const list = values.filter((value) => value != null);
  if (list.length === 0) return null;
  return { min: ms(Math.min(...list)), median: ms(median(list)), max: ms(Math.max(...list)) };
}

export async function runStartSuite(partial = {}) {
  const options = { ...START_DEFAULTS, ...partial };
  const vite = await import('vite');
  const configFile = path.join(root, 'vite.config.ts');
  if (options.build || !existsSync(path.join(options.dist, 'index.html'))) {
    log(`building the app into ${path.relative(root, options.dist)} …`);
    await vite.build({ root, configFile, logLevel: 'error', build: { outDir: options.dist, emptyOutDir: true } });
  }
  if (options.against && !existsSync(path.join(options.against, 'index.html'))) throw new Error(`--against: ${options.against} holds no built app (index.html)`);
  const builds = [{ name: 'app', dist: options.dist }, ...(options.against ? [{ name: 'against', dist: options.against }] : [])];
  for (const build of builds) {
    const port = await freePort();
    build.server = await vite.preview({
      root,
      configFile,
      base: BASE_PATH,
      logLevel: 'warn',
      build: { outDir: build.dist },
      preview: { port, strictPort: true, host: '127.0.0.1', open: false },
    });
    build.baseUrl = `http://127.0.0.1:${port}${BASE_PATH}`;
    build.runs = [];
  }
  const { findChromium, chromiumArgs } = await import('../scripts/find-chromium.mjs');
  const { chromium } = await import('@playwright/test');
  const executablePath = await findChromium({ install: true });
  const browser = await chromium.launch({ executablePath, args: chromiumArgs, headless: true });
  const cells = welcomeCells();
  const gateState = { budgetMs: options.quietBudgetMs, waitedMs: 0 };
  try {
    // One untimed start of each first: the OS file cache and Chromium's process pool warm up, as they are for a user.
    log('warm-up start …');
    for (const build of builds) await measureStart({ browser, baseUrl: build.baseUrl, cells, timeoutMs: options.timeoutMs });
    for (let rep = 0; rep < options.reps; rep++) {
      await quietGate(gateState);
      for (let i = 0; i < builds.length; i++) {
        const build = builds[(rep + i) % builds.length];
        const run = await measureStart({ browser, baseUrl: build.baseUrl, cells, timeoutMs: options.timeoutMs });
        build.runs.push(run);
        log(`${build.name} start ${rep + 1}/${options.reps}: ready ${run.readyMs} ms ${JSON.stringify(run.split)}`);
      }
    }
  } finally {
    await browser.close();
    for (const build of builds) await new Promise((resolve) => build.server.httpServer.close(resolve));
  }
  const describe = (runs) => ({
    readyMs: summary(runs.map((run) => run.readyMs)),
    splitMedianMs: Object.fromEntries(Object.keys(runs[0].split).map((key) => [key, summary(runs.map((run) => run.split[key]))?.median ?? null])),
    cellMedianMs: Object.fromEntries(cells.map((cell) => [cell, summary(runs.map((run) => run.cellMs[cell]))?.median ?? null])),
  });
  const [app, against] = builds;
  const readyMs = summary(app.runs.map((run) => run.readyMs));
  const report = {
    benchmark: 'aisle: app start, navigation → every cell of the welcome notebook done (built app, headless Chromium, fresh context per start)',
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, chromium: browser.version(), loadavg: os.loadavg() },
    reps: options.reps,
    cells,
    dist: path.relative(root, app.dist),
    ...describe(app.runs),
    wasm: app.runs[0].wasm,
    target: { name: 'app ready with the sample notebook ≤ 3 s after navigation', targetMs: TARGET_MS, medianMs: readyMs.median, met: readyMs.median <= TARGET_MS },
    ...(against
      ? { against: { dist: against.dist, ...describe(against.runs), runs: against.runs }, readyRatioToAgainst: Math.round((readyMs.median / summary(against.runs.map((run) => run.readyMs)).median) * 1000) / 1000 }
      : {}),
    errors: [...new Set(builds.flatMap((build) => build.runs.flatMap((run) => run.errors)))],
    runs: app.runs,
  };
  mkdirSync(path.dirname(options.out), { recursive: true });
  writeFileSync(options.out, JSON.stringify(report, null, 2) + '\n');
  return report;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runStartSuite(parseArgs(process.argv.slice(2)))
    .then((report) => process.stdout.write(JSON.stringify(report, null, 2) + '\n'))
    .catch((error) => {
      log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
      process.exit(1);
    });
}
