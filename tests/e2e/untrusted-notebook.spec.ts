import { expect, test, type Page } from '@playwright/test';
import { cell, expectSameOrigin, recordRequests, resultCells, tableItem } from './helpers.ts';
import { readSample } from './fixtures.ts';

let requests: string[] = [];

test.afterEach(() => {
  expectSameOrigin(requests);
});

function firstValue(page: Page, name: string) {
  return cell(page, name).getByTestId('result-table').locator('tbody tr:not(.spacer) td:not(.index)');
}

const SAMPLE = 'sample/online_retail_50k.parquet';

/** A shared notebook: its data comes from the front matter, one cell makes a table after dropping any of that name. */
const SHARED = [
  '---',
  'aisle: 1',
  'title: From a colleague',
  'data:',
  `  shared_orders: ${SAMPLE}`,
  '---',
  '',
  '# Orders by country',
  '',
  '```sql by_country',
  'SELECT Country AS country, count(*) AS n FROM shared_orders GROUP BY 1 ORDER BY n DESC, country',
  '```',
  '',
  '```sql make_summary',
  'DROP TABLE IF EXISTS shared_summary;',
  'CREATE TABLE shared_summary AS SELECT count(*) AS row_count FROM shared_orders',
  '```',
  '',
  '```sql peek',
  'SELECT 42 AS answer',
  '```',
  '',
].join('\n');

/** The most frequent country of the sample and its row count, counted here from the Parquet file apart from the app. */
function topCountry(): { country: string; rows: number } {
  const column = readSample().getChild('Country')!;
  const counts = new Map<string, number>();
  for (let i = 0; i < column.length; i++) counts.set(String(column.get(i)), (counts.get(String(column.get(i))) ?? 0) + 1);
  const [country, rows] = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]!;
  return { country, rows };
}

test('an imported notebook opens without running, says what its SQL would do, runs on Run notebook and on open after that', async ({ page }) => {
  requests = recordRequests(page);
  await page.goto('');
  // The welcome demo still runs on open.
  await expect(cell(page, 'monthly_revenue')).toHaveAttribute('data-status', 'done', { timeout: 45_000 });
  const sampleFetches = () => requests.filter((url) => url.endsWith(SAMPLE)).length;
  const fetchedBefore = sampleFetches();

  await page.getByTestId('open-start').click();
  await page.getByTestId('import-input').setInputFiles({ name: 'shared.md', mimeType: 'text/markdown', buffer: Buffer.from(SHARED) });

  const banner = page.getByTestId('untrusted-banner');
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('has not run');
  const effects = banner.getByTestId('untrusted-effects');
  await expect(effects.locator('tr[data-cell-name="by_country"] [data-testid="effect-reads"]')).toHaveText('shared_orders');
  await expect(effects.locator('tr[data-cell-name="by_country"] [data-testid="effect-writes"]')).toContainText('its result as table by_country');
  await expect(effects.locator('tr[data-cell-name="make_summary"] [data-testid="effect-reads"]')).toHaveText('shared_orders');
  await expect(effects.locator('tr[data-cell-name="make_summary"] [data-testid="effect-writes"]')).toHaveText(
    'drops table shared_summary, creates table shared_summary',
  );
  await expect(banner.getByTestId('untrusted-flagged')).toContainText('1 statement does more than read tables');
  await expect(banner.getByTestId('untrusted-flagged')).toContainText('make_summary drops table shared_summary: DROP TABLE IF EXISTS shared_summary');
  await expect(banner.getByTestId('untrusted-data')).toHaveText(`Loads on run: shared_orders from ${SAMPLE}`);

  // Nothing ran and nothing was fetched: every cell idle, no table made, the front matter's data not loaded.
  for (const name of ['by_country', 'make_summary', 'peek']) await expect(cell(page, name)).toHaveAttribute('data-status', 'idle');
  await page.waitForTimeout(1000);
  await expect(tableItem(page, 'shared_summary')).toHaveCount(0);
  await expect(tableItem(page, 'shared_orders')).toHaveCount(0);
  expect(sampleFetches()).toBe(fetchedBefore);

  // One cell run by hand runs that cell only; the notebook stays untrusted.
  await cell(page, 'peek').getByTestId('run-cell').click();
  await expect(firstValue(page, 'peek').first()).toHaveText('42');
  await expect(cell(page, 'by_country')).toHaveAttribute('data-status', 'idle');
  await expect(banner).toBeVisible();

  await banner.getByTestId('run-untrusted').click();
  await expect(banner).toHaveCount(0);
  const expected = topCountry();
  await expect(cell(page, 'by_country')).toHaveAttribute('data-status', 'done', { timeout: 45_000 });
  await expect(firstValue(page, 'by_country').nth(0)).toHaveText(expected.country);
  // However the count is formatted for display, its digits are the count.
  expect((await (await resultCells(cell(page, 'by_country'))).nth(1).innerText()).replace(/\D/g, '')).toBe(String(expected.rows));
  await expect(cell(page, 'make_summary')).toHaveAttribute('data-status', 'done');
  await expect(tableItem(page, 'shared_summary').getByTestId('table-rows')).toHaveText('1 row');
  await expect(tableItem(page, 'shared_orders').getByTestId('table-rows')).toHaveText(`${readSample().numRows.toLocaleString('en')} rows`);
  expect(sampleFetches()).toBe(fetchedBefore + 1);

  // Trusted now, and remembered: after a reload the user's copy runs on open.
  await expect(page.getByTestId('save-state')).toHaveText('Saved');
  await page.waitForTimeout(1500); // the loaded table is encoded to Parquet and kept in the background
  await page.reload();
  await expect(cell(page, 'by_country')).toHaveAttribute('data-status', 'done', { timeout: 45_000 });
  await expect(firstValue(page, 'by_country').nth(0)).toHaveText(expected.country);
  await expect(cell(page, 'make_summary')).toHaveAttribute('data-status', 'done');
  await expect(page.getByTestId('untrusted-banner')).toHaveCount(0);
});

test('an imported notebook not yet run stays unrun after a reload', async ({ page }) => {
  requests = recordRequests(page);
  await page.goto('');
  await expect(cell(page, 'monthly_revenue')).toHaveAttribute('data-status', 'done', { timeout: 45_000 });
  await page.getByTestId('open-start').click();
  await page.getByTestId('import-input').setInputFiles({ name: 'shared.md', mimeType: 'text/markdown', buffer: Buffer.from(SHARED) });
  await expect(page.getByTestId('untrusted-banner')).toBeVisible();
  await expect(page.getByTestId('save-state')).toHaveText('Saved');
  await page.reload();
  await expect(page.getByTestId('untrusted-banner')).toBeVisible({ timeout: 45_000 });
  await page.waitForTimeout(1000);
  for (const name of ['by_country', 'make_summary', 'peek']) await expect(cell(page, name)).toHaveAttribute('data-status', 'idle');
  await expect(tableItem(page, 'shared_summary')).toHaveCount(0);
});

test('a notebook imported while the start notebook is still opening is not run by that open', async ({ page }) => {
  requests = recordRequests(page);
  await page.goto('');
  // Import as soon as the page answers, while the welcome notebook still loads its data before it runs.
  await expect(page.getByTestId('engine-status')).toContainText('DuckDB-WASM', { timeout: 30_000 });
  await page.getByTestId('open-start').click();
  await page.getByTestId('import-input').setInputFiles({ name: 'shared.md', mimeType: 'text/markdown', buffer: Buffer.from(SHARED) });
  await expect(page.getByTestId('untrusted-banner')).toBeVisible();
  await expect(tableItem(page, 'sales').getByTestId('table-rows')).toHaveText(`${readSample().numRows.toLocaleString('en')} rows`, { timeout: 30_000 });
  await page.waitForTimeout(1500);
  await expect(page.getByTestId('untrusted-banner')).toBeVisible();
  for (const name of ['by_country', 'make_summary', 'peek']) await expect(cell(page, name)).toHaveAttribute('data-status', 'idle');
});

test('a bundled demo still runs on open', async ({ page }) => {
  requests = recordRequests(page);
  await page.goto('?notebook=retail-tour');
  await expect(cell(page, 'country_customers')).toHaveAttribute('data-status', 'done', { timeout: 45_000 });
  await expect(page.getByTestId('untrusted-banner')).toHaveCount(0);
});

test('a notebook with model cells starts its models workers when it opens, before any cell runs', async ({ page }) => {
  requests = recordRequests(page);
  await page.goto('');
  await expect(cell(page, 'monthly_revenue')).toHaveAttribute('data-status', 'done', { timeout: 45_000 });
  const modelsWorkers = () => page.workers().filter((worker) => /models\.worker/.test(worker.url())).length;
  // The welcome notebook has no model cell: no models worker yet.
  expect(modelsWorkers()).toBe(0);

  const book = ['---', 'aisle: 1', 'title: Segments to be', '---', '', '```model segments', '{ "model": "kmeans", "input": "sales_clean", "features": ["quantity", "amount"], "k": 3 }', '```', ''].join('\n');
  await page.getByTestId('open-start').click();
  await page.getByTestId('import-input').setInputFiles({ name: 'segments.md', mimeType: 'text/markdown', buffer: Buffer.from(book) });
  await expect(page.getByTestId('untrusted-banner')).toBeVisible();
  // Two warm workers, and the cell still waits to be run.
  await expect.poll(modelsWorkers, { timeout: 15_000 }).toBe(2);
  await expect(cell(page, 'segments')).toHaveAttribute('data-status', 'idle');
});
