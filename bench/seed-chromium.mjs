// The Chromium side of the seed suite (bench/seed-run.mjs): the same pipeline in the real built app, driven like a
// person in headless Chromium. Per run, in a fresh browser context: open the app (its welcome notebook loads the
// sample as `sales`), import the seed notebook (bench/seed.ts's SEED_NOTEBOOK) from the start page and run it (on the
// sample, untimed), then pick the 541,909-row UCI-layout CSV (a copy named sales.csv, so it loads as `sales`) in the
// data panel, confirm the import sheet as detected, and time file picked → every cell of the notebook done again.
// Stages: load (picked → `sales` listed with its rows, validation and cleaning done), then each cell's running → done.
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './lib/chromium.mjs';
import { log } from './lib/common.mjs';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(benchDir);
const appDist = path.join(benchDir, 'out', 'app-dist');
const workDir = path.join(benchDir, 'out', 'seed');
const BASE_PATH = '/aisle/';

/** SEED_NOTEBOOK's text, read from bench/seed.ts (importing it would run the Node pipeline). */
function seedNotebook() {
  const source = readFileSync(path.join(benchDir, 'seed.ts'), 'utf8');
  const match = /export const SEED_NOTEBOOK = `([\s\S]*?)`;/.exec(source);
  if (!match) throw new Error('bench/seed.ts has no SEED_NOTEBOOK');
  return match[1].replaceAll('\\`', '`');
}

/** Cell → stage, as bench/seed.ts's STAGE_OF_CELL says. */
function stageOfCell() {
  const source = readFileSync(path.join(benchDir, 'seed.ts'), 'utf8');
  const match = /STAGE_OF_CELL: Record<string, string> = (\{[^}]*\})/.exec(source);
  if (!match) throw new Error('bench/seed.ts has no STAGE_OF_CELL');
  return JSON.parse(match[1].replace(/(\w+):/g, '"$1":').replaceAll("'", '"'));
}

/** Records every cell's data-status change with its time (performance.now()). */
function probeScript() {
  const probe = { status: [] };
  window.__seed = probe;
  const setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    if (name === 'data-status' && this.getAttribute('data-testid') === 'cell') {
      const cell = this.getAttribute('data-cell-name');
      if (cell !== null) probe.status.push({ cell, status: String(value), at: performance.now() });
    }
    return setAttribute.call(this, name, value);
  };
}

const round1 = (value) => Math.round(value * 10) / 10;

export async function startSeedChromium({ build = true, timeoutMs = 600_000 } = {}) {
  const vite = await import('vite');
  const configFile = path.join(root, 'vite.config.ts');
  if (build || !existsSync(path.join(appDist, 'index.html'))) {
    log(`building the app into ${path.relative(root, appDist)} …`);
    await vite.build({ root, configFile, logLevel: 'error', build: { outDir: appDist, emptyOutDir: true } });
  }
  const port = await freePort();
  const server = await vite.preview({ root, configFile, base: BASE_PATH, logLevel: 'warn', build: { outDir: appDist }, preview: { port, strictPort: true, host: '127.0.0.1', open: false } });
  const baseUrl = `http://127.0.0.1:${port}${BASE_PATH}`;
  const { findChromium, chromiumArgs } = await import('../scripts/find-chromium.mjs');
  const { chromium } = await import('@playwright/test');
  const browser = await chromium.launch({ executablePath: await findChromium({ install: true }), args: chromiumArgs, headless: true });
  const notebook = seedNotebook();
  const cells = [...notebook.matchAll(/^```(?:sql|model)[ \t]+(\w+)/gm)].map((match) => match[1]);
  const stages = stageOfCell();
  mkdirSync(workDir, { recursive: true });

  const allDone = (names) => names.every((name) => document.querySelector(`[data-testid="cell"][data-cell-name="${name}"]`)?.getAttribute('data-status') === 'done');

  /** One timed run on `csvPath` with `rows` rows (the count the data panel must show). */
  async function run(csvPath, rows) {
    const dataFile = path.join(workDir, 'sales.csv');
    if (!existsSync(dataFile) || statSync(dataFile).size !== statSync(csvPath).size || statSync(dataFile).mtimeMs < statSync(csvPath).mtimeMs) copyFileSync(csvPath, dataFile);
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    try {
      await context.addInitScript(probeScript);
      const page = await context.newPage();
      page.setDefaultTimeout(timeoutMs);
      const errors = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(baseUrl);
      await page.waitForFunction(allDone, ['monthly_revenue', 'top_customers', 'revenue_by_country'], { timeout: timeoutMs });
      // The seed notebook, imported from a file and run on the sample (a notebook from a file waits for Run).
      await page.getByTestId('open-start').click();
      await page.getByTestId('import-input').setInputFiles({ name: 'seed.md', mimeType: 'text/markdown', buffer: Buffer.from(notebook) });
      await page.getByTestId('run-untrusted').click();
      await page.waitForFunction(allDone, cells, { timeout: timeoutMs, polling: 100 });
      await page.waitForFunction(() => document.querySelector('[data-testid="task"]') === null);
      // The data panel lists every table's shape 100 ms after a run ends; a person picks a file later than that.
      await page.waitForTimeout(1000);

      const pickedAt = await page.evaluate(() => performance.now());
      await page.setInputFiles('[data-testid="file-input"]', dataFile);
      await page.getByTestId('sheet-import-detected').click();
      const rowsText = `${rows.toLocaleString('en')} rows`;
      await page.waitForFunction(
        ([names, expected, since]) =>
          document.querySelector('[data-testid="table-item"][data-table="sales"] [data-testid="table-rows"]')?.textContent?.trim() === expected &&
          names.every((name) => {
            const cell = document.querySelector(`[data-testid="cell"][data-cell-name="${name}"]`);
            return cell?.getAttribute('data-status') === 'done' && window.__seed.status.some((event) => event.cell === name && event.status === 'running' && event.at >= since);
          }),
        [cells, rowsText, pickedAt],
        { timeout: timeoutMs, polling: 20 },
      );
      const doneAt = await page.evaluate(() => performance.now());
      const status = (await page.evaluate(() => window.__seed.status)).filter((event) => event.at >= pickedAt);
      const cellTimes = cells.map((cell) => {
        const mine = status.filter((event) => event.cell === cell);
        const start = mine.find((event) => event.status === 'running')?.at;
        const end = mine.findLast((event) => event.status === 'done')?.at;
        return { cell, startMs: round1(start - pickedAt), ms: round1(end - start) };
      });
      const firstCell = Math.min(...cellTimes.map((entry) => entry.startMs));
      const stagesMs = { load_clean: round1(firstCell) };
      for (const entry of cellTimes) stagesMs[stages[entry.cell] ?? entry.cell] = round1((stagesMs[stages[entry.cell] ?? entry.cell] ?? 0) + entry.ms);
      const shown = await page.evaluate(() => document.querySelector('[data-testid="cell"][data-cell-name="rfm"] [data-testid="row-count"]')?.textContent?.trim() ?? null);
      return { stagesMs, totalMs: round1(doneAt - pickedAt), cells: cellTimes, check: { rfmRows: shown }, errors };
    } finally {
      await context.close();
    }
  }

  return {
    run,
    close: async () => {
      await browser.close();
      await new Promise((resolve) => server.httpServer.close(resolve));
    },
  };
}
