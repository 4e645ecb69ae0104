import { spawn, type ChildProcess } from 'node:child_process';
import { expect, type Page } from '@playwright/test';
import { cell, resultRows, test } from './helpers';

/** `aisle serve` (the app, its engine on the server) on a port of its own beside the preview server. */
const SERVE_PORT = 18745;
const CELLS = ['cleaning_summary', 'kpis', 'monthly_revenue', 'monthly_revenue_chart', 'top_n', 'top_products', 'top_products_chart', 'country', 'countries', 'country_customers'];
const TABLES = ['cleaning_summary', 'kpis', 'monthly_revenue', 'top_products', 'countries', 'country_customers'];

let server: ChildProcess | undefined;
let appUrl = '';

test.beforeAll(async () => {
  test.setTimeout(120_000);
  const child = spawn(process.execPath, ['bin/aisle.mjs', 'serve', '--port', String(SERVE_PORT)], { stdio: ['ignore', 'pipe', 'pipe'] });
  server = child;
  appUrl = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /Serving the app at (\S+)/.exec(text);
      if (match) resolve(match[1]!);
    });
    child.stderr!.on('data', (chunk: Buffer) => void (text += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`aisle serve exited with ${code}: ${text}`)));
  });
});

test.afterAll(() => {
  server?.kill('SIGINT');
});

/** Every named cell of the retail tour done, and each table cell's rows as shown. */
async function tourResults(page: Page): Promise<Record<string, string[][]>> {
  for (const name of CELLS) await expect(cell(page, name)).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
  const results: Record<string, string[][]> = {};
  for (const name of TABLES) results[name] = await resultRows(cell(page, name));
  return results;
}

test('the app served by aisle serve runs the retail tour on the server, with the same results as in the tab', async ({ page, browser }) => {
  test.setTimeout(240_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  const served = new URL(appUrl);
  served.searchParams.set('notebook', 'retail-tour');
  await page.goto(served.href);
  // The token went into a cookie and out of the address bar.
  expect(new URL(page.url()).searchParams.get('token')).toBeNull();
  await expect(page.getByTestId('engine-status')).toHaveText('DuckDB-WASM (Node), 1 thread on the server', { timeout: 60_000 });
  const onServer = await tourResults(page);
  await page.screenshot({ path: 'test-results/screenshots/serve-retail-tour.png' });
  expect(errors).toEqual([]);

  const tab = await browser.newPage();
  await tab.goto('?notebook=retail-tour');
  await expect(tab.getByTestId('engine-status')).toContainText('DuckDB-WASM (');
  const inTab = await tourResults(tab);
  expect(onServer).toEqual(inTab);
  expect(onServer.kpis?.length).toBeGreaterThan(0);
  expect(onServer.top_products?.length).toBe(10);
  await tab.close();
});
