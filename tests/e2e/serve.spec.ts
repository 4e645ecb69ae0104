import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, type Browser, type Page } from '@playwright/test';
import { cell, resultRows, runNewCell, tableItem, test } from './helpers';

/** `aisle serve` (the app, its engine on the server) on a port of its own beside the preview server. */
const SERVE_PORT = Number(process.env.AISLE_SERVE_PORT ?? 18765);

/** The named cells of a demo notebook, read from its file: every one must finish without an error. */
function namedCells(slug: string): string[] {
  const text = readFileSync(`notebooks/${slug}.md`, 'utf8');
  return [...text.matchAll(/^```(?:sql|chart|model|input|markdown)\s+([a-z_][a-z0-9_]*)/gm)].map((match) => match[1]!);
}

/**
 * The demos, and the table cells compared row by row between the server and the tab: those whose SQL fixes the
 * order of every row (native DuckDB runs on every core, so rows a query leaves unordered come in any order).
 */
const DEMOS = {
  'retail-tour': ['cleaning_summary', 'kpis', 'monthly_revenue', 'top_products', 'countries', 'country_customers'],
  'retail-dashboard': ['kpis', 'monthly', 'category_revenue', 'order_values', 'customer_spend', 'concentration_headline', 'abc_xyz_matrix', 'elasticity_extremes'],
} as const;
/** Cells ordered with ties (countries by their line count): compared as the same rows in any order. */
const TIES: readonly string[] = ['countries'];
type Demo = keyof typeof DEMOS;

let server: ChildProcess | undefined;
let appUrl = '';
/** What the server printed (its engine, interrupted queries). */
let serverLog = '';

test.beforeAll(async () => {
  test.setTimeout(120_000);
  const child = spawn(process.execPath, ['bin/aisle.mjs', 'serve', '--port', String(SERVE_PORT), '--engine', 'native'], { stdio: ['ignore', 'pipe', 'pipe'] });
  server = child;
  appUrl = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      serverLog += chunk.toString();
      const match = /Serving the app at (\S+)/.exec(serverLog);
      if (match) resolve(match[1]!);
    });
    child.stderr!.on('data', (chunk: Buffer) => void (serverLog += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`aisle serve exited with ${code}: ${serverLog}`)));
  });
});

test.afterAll(async () => {
  const child = server;
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  // Ctrl-C, as a user stops it; a server still up after 15 s is killed, so no run leaves one holding the port.
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGINT');
  const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(killer);
});

/** Open the app as `aisle serve` serves it, on a demo notebook; page errors are collected into `errors`. */
async function openServed(page: Page, slug: string, errors: string[]): Promise<void> {
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  const served = new URL(appUrl);
  served.searchParams.set('notebook', slug);
  await page.goto(served.href);
  // The token went into a cookie and out of the address bar.
  expect(new URL(page.url()).searchParams.get('token')).toBeNull();
}

/** Every named cell of the demo done (none in error), and the compared tables' rows as shown. */
async function demoResults(page: Page, demo: Demo): Promise<Record<string, string[][]>> {
  for (const name of namedCells(demo)) await expect(cell(page, name), `cell ${name}`).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  await expect(page.locator('[data-testid="cell"][data-status="error"]')).toHaveCount(0);
  const results: Record<string, string[][]> = {};
  for (const name of DEMOS[demo]) {
    const rows = await resultRows(cell(page, name));
    results[name] = TIES.includes(name) ? rows.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))) : rows;
  }
  return results;
}

/** The same demo run in a plain tab (DuckDB-WASM in the page): what the server's results must equal. */
async function inTab(browser: Browser, demo: Demo): Promise<Record<string, string[][]>> {
  const tab = await browser.newPage();
  try {
    await tab.goto(`?notebook=${demo}`);
    // DuckDB-WASM starting in a fresh page on a busy machine can take longer than the default 5 s.
    await expect(tab.getByTestId('engine-status')).toContainText('DuckDB-WASM (', { timeout: 30_000 });
    const results = await demoResults(tab, demo);
    await tab.screenshot({ path: `test-results/screenshots/tab-${demo}.png` });
    return results;
  } finally {
    await tab.close();
  }
}

const NATIVE_LABEL = /^DuckDB \d+\.\d+\.\d+ native, \d+ threads? on the server$/;

test('the app served by aisle serve runs the retail tour on native DuckDB, with the same results as in the tab', async ({ page, browser }) => {
  test.setTimeout(300_000);
  const errors: string[] = [];
  await openServed(page, 'retail-tour', errors);
  await expect(page.getByTestId('engine-status')).toHaveText(NATIVE_LABEL, { timeout: 60_000 });
  await expect(page.getByTestId('data-where')).toHaveText('Files go to the aisle serve process that opened this page: its DuckDB reads them there.');
  await expect(page.getByTestId('tagline')).toHaveText('retail analytics notebook · private, on your own server (aisle serve)');
  const onServer = await demoResults(page, 'retail-tour');
  await page.screenshot({ path: 'test-results/screenshots/serve-retail-tour.png' });
  await page.getByTestId('data-panel').screenshot({ path: 'test-results/screenshots/serve-data-panel.png' });
  expect(errors).toEqual([]);
  expect(serverLog).toMatch(/the app: DuckDB \d+\.\d+\.\d+ native/);

  const tab = await inTab(browser, 'retail-tour');
  expect(onServer).toEqual(tab);
  expect(onServer.kpis?.length).toBeGreaterThan(0);
  expect(onServer.top_products?.length).toBe(10);
});

test('the app served by aisle serve runs the retail dashboard (its models in threads on the server) as the tab does', async ({ page, browser }) => {
  test.setTimeout(400_000);
  const errors: string[] = [];
  await openServed(page, 'retail-dashboard', errors);
  await expect(page.getByTestId('engine-status')).toHaveText(NATIVE_LABEL, { timeout: 60_000 });
  const onServer = await demoResults(page, 'retail-dashboard');
  await page.screenshot({ path: 'test-results/screenshots/serve-retail-dashboard.png' });
  expect(errors).toEqual([]);

  const tab = await inTab(browser, 'retail-dashboard');
  for (const name of DEMOS['retail-dashboard']) expect(onServer[name], name).toEqual(tab[name]);
  expect(onServer.elasticity_extremes?.length).toBe(16);
  expect(onServer.abc_xyz_matrix?.length).toBeGreaterThan(3);
});

/** Resolves once the server's log has not grown for a second. */
async function logQuiet(): Promise<void> {
  for (let length = -1; length !== serverLog.length; ) {
    length = serverLog.length;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

test('cancelling a cell in the served app stops its query on the server', async ({ page }) => {
  test.setTimeout(120_000);
  const errors: string[] = [];
  await openServed(page, 'welcome', errors);
  await expect(page.getByTestId('engine-status')).toHaveText(NATIVE_LABEL, { timeout: 60_000 });
  const slow = await runNewCell(page, 'SELECT count(*) FROM range(20000000000) a, range(10) b WHERE a.range % 7 = b.range');
  await expect(slow).toHaveAttribute('data-status', 'running');
  // A request of an earlier test's page, closed with it, may still be logged as interrupted: count from a quiet log.
  await logQuiet();
  const before = serverLog.split('interrupted /db/query').length;
  await slow.getByTestId('cancel-cell').click();
  await expect(slow).toHaveAttribute('data-status', 'stale');
  await expect(slow.getByTestId('cell-error')).toContainText('Cancelled');
  // The server interrupted the query when the page closed its request.
  await expect.poll(() => serverLog.split('interrupted /db/query').length, { timeout: 15_000 }).toBe(before + 1);
  await slow.locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText('SELECT 1 AS one');
  await page.keyboard.press('Shift+Enter');
  await expect(slow).toHaveAttribute('data-status', 'done');
});

test('a page opened on a server that has tables lists them as the server\'s data', async ({ browser }) => {
  test.setTimeout(240_000);
  // Two browser profiles: nothing shared but the server (no saved tables, no cookie).
  const [first, second] = [await browser.newContext(), await browser.newContext()];
  try {
    const loader = await first.newPage();
    const errors: string[] = [];
    await openServed(loader, 'welcome', errors);
    await expect(loader.getByTestId('engine-status')).toHaveText(NATIVE_LABEL, { timeout: 60_000 });
    await expect(loader.getByTestId('table-list').locator(tableItem(loader, 'sales'))).toBeVisible({ timeout: 120_000 });

    const page = await second.newPage();
    await openServed(page, 'welcome', errors);
    await expect(page.getByTestId('engine-status')).toHaveText(NATIVE_LABEL, { timeout: 60_000 });
    const tables = page.getByTestId('table-list');
    await expect(tables.locator(tableItem(page, 'sales'))).toBeVisible({ timeout: 120_000 });
    await expect(tables.locator(tableItem(page, 'sales_clean'))).toBeVisible();
    await expect(tables).not.toContainText('No tables yet');
    // Validated as on the page that loaded it: its layout recognised, not offered for mapping by hand.
    await expect(tableItem(page, 'sales').getByTestId('retail-report')).toContainText('UCI Online Retail layout');
    // Parquet is read in place on the server (a view over its own copy of the file): listed as a file, kept as data
    // (rename and remove offered), and its rows shown in the file's order.
    await expect(tableItem(page, 'sales').locator('.kind')).toHaveText('file');
    await expect(tableItem(page, 'sales').getByTestId('remove-table')).toBeVisible();
    await tableItem(page, 'sales').locator('.table-name').click();
    await expect(tableItem(page, 'sales').getByTestId('preview-table')).toContainText('FLOWER FAIRY SEED TIN', { timeout: 30_000 });
    // The welcome notebook reads sales: it runs on the server's table, which this page did not load again.
    for (const name of namedCells('welcome')) await expect(cell(page, name), `cell ${name}`).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
    await page.getByTestId('data-panel').screenshot({ path: 'test-results/screenshots/serve-second-page-tables.png' });
    await page.screenshot({ path: 'test-results/screenshots/serve-second-page.png' });
    expect(errors).toEqual([]);
  } finally {
    await Promise.all([first.close(), second.close()]);
  }
});
