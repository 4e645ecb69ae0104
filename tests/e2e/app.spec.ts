import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { expect, type Page } from '@playwright/test';
import { cell, expectSameOrigin, recordRequests, resultCells, runNewCell, tableItem, test } from './helpers.ts';
import { MALFORMED_CSV, UCI_CSV, readSample } from './fixtures.ts';

let requests: string[] = [];
let consoleErrors: string[] = [];

test.beforeEach(async ({ page }) => {
  requests = recordRequests(page);
  consoleErrors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  await page.goto('');
  await expect(page.getByTestId('engine-status')).toContainText('DuckDB-WASM', { timeout: 30_000 });
  await expect(cell(page, 'revenue_by_country')).toHaveAttribute('data-status', 'done', { timeout: 45_000 });
});

test.afterEach(() => {
  // Privacy: nothing in any test may leave the page's origin.
  expectSameOrigin(requests);
});

test('the sample loads, is recognised and cleaned, and the first notebook runs', async ({ page }) => {
  await expect(tableItem(page, 'sales').getByTestId('table-rows')).toHaveText('50,000 rows');
  await expect(tableItem(page, 'sales').getByTestId('retail-report')).toContainText('UCI Online Retail layout');
  await expect(tableItem(page, 'sales_canonical')).toBeVisible();
  await expect(tableItem(page, 'sales_clean')).toBeVisible();
  for (const name of ['monthly_revenue', 'top_customers', 'revenue_by_country']) {
    await expect(cell(page, name)).toHaveAttribute('data-status', 'done');
  }
  // Chromium supports wasm exceptions, so the faster `eh` bundle is chosen.
  await expect(page.getByTestId('engine-status')).toHaveText('DuckDB-WASM (eh)');
  // Dec 2010 through Dec 2011: thirteen months.
  await expect(cell(page, 'monthly_revenue').getByTestId('row-count')).toHaveText('13 rows');
  expect(consoleErrors).toEqual([]);
});

test('a SQL cell shows the value computed independently from the same file', async ({ page }) => {
  // Brute force over the Parquet file in Node: invoices and revenue of rows from France.
  const sample = readSample();
  const country = sample.getChild('Country')!;
  const invoice = sample.getChild('InvoiceNo')!;
  const quantity = sample.getChild('Quantity')!;
  const price = sample.getChild('UnitPrice')!;
  const invoices = new Set<string>();
  let revenue = 0;
  for (let row = 0; row < sample.numRows; row += 1) {
    if (country.get(row) !== 'France') continue;
    invoices.add(String(invoice.get(row)));
    revenue += Number(quantity.get(row)) * Number(price.get(row));
  }
  expect(invoices.size).toBeGreaterThan(0);

  const result = await runNewCell(
    page,
    "SELECT count(DISTINCT InvoiceNo) AS invoices, round(sum(Quantity * UnitPrice), 2) AS revenue FROM sales WHERE Country = 'France'",
  );
  await expect(result).toHaveAttribute('data-status', 'done');
  const cells = await resultCells(result);
  await expect(cells).toHaveCount(2);
  // Shown grouped in the browser's locale (en-US here) with the column's two decimals; the value is the same.
  const shownRevenue = (await cells.nth(1).textContent()) ?? '';
  expect(shownRevenue).toMatch(/^\d{1,3}(,\d{3})*\.\d{2}$/);
  expect(Number((await cells.nth(0).textContent())?.replaceAll(',', ''))).toBe(invoices.size);
  expect(Number(shownRevenue.replaceAll(',', ''))).toBeCloseTo(revenue, 1);
  await result.getByTestId('result-table').screenshot({ path: 'test-results/grouped-numbers.png' });
});

test('sorting a result column orders it in DuckDB', async ({ page }) => {
  const revenue = cell(page, 'revenue_by_country');
  await revenue.getByRole('button', { name: /^country/ }).click();
  const firstCountry = revenue.getByTestId('result-table').locator('tbody tr:not(.spacer)').first().locator('td').nth(1);
  await expect(firstCountry).toHaveText('Australia');
  const header = revenue.locator('th', { hasText: 'country' });
  await expect(header).toHaveAttribute('aria-sort', 'ascending');
});

test('a dropped CSV becomes a table, recognised and validated', async ({ page }) => {
  const dataTransfer = await page.evaluateHandle((csv) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([csv], 'dropped orders.csv', { type: 'text/csv' }));
    return transfer;
  }, UCI_CSV);
  await page.dispatchEvent('body', 'dragenter', { dataTransfer });
  await expect(page.getByTestId('drop-overlay')).toBeVisible();
  await page.dispatchEvent('body', 'drop', { dataTransfer });
  const item = tableItem(page, 'dropped_orders');
  await expect(item.getByTestId('table-rows')).toHaveText('4 rows', { timeout: 15_000 });
  await expect(item.locator('[data-testid="validation-issue"][data-kind="unparsable-date"]')).toContainText('1 row');
  // The clean table drops the cancelled invoice and the unreadable date: 2 of 4 rows remain.
  await expect(item.getByTestId('cleaning-report')).toContainText('2 of 4 rows kept');
});

test('a malformed CSV gives a clear error and the app keeps working', async ({ page }) => {
  await page.getByTestId('file-input').setInputFiles({ name: 'broken.csv', mimeType: 'text/csv', buffer: Buffer.from(MALFORMED_CSV) });
  const error = page.getByTestId('notice-error');
  // By hand: MALFORMED_CSV's header has 2 fields and its line 3 has 4.
  await expect(error.locator('span').first()).toHaveText('Line 3 of "broken.csv" has 4 fields; the header has 2.');
  // DuckDB's own message is kept, folded away, without the internal file name.
  await error.getByTestId('notice-details').locator('summary').click();
  await expect(error.getByTestId('notice-details')).toContainText('broken.csv');
  await expect(error.getByTestId('notice-details')).not.toContainText('aisle-files');
  await error.screenshot({ path: 'test-results/bad-file-notice.png' });
  await expect(tableItem(page, 'broken')).toHaveCount(0);
  const after = await runNewCell(page, 'SELECT 6 * 7 AS answer');
  await expect(after).toHaveAttribute('data-status', 'done');
  await expect(after.getByTestId('result-table').locator('tbody td:not(.index)').first()).toHaveText('42');
});

test('a PNG renamed .csv, and a file with an unclosed quote, are named for what they are', async ({ page }) => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(64).fill(0)]);
  await page.getByTestId('file-input').setInputFiles({ name: 'photo.csv', mimeType: 'text/csv', buffer: png });
  await expect(page.getByTestId('notice-error').locator('span').first()).toHaveText('"photo.csv" is a PNG image, not a CSV file.');
  await page.getByTestId('file-input').setInputFiles({ name: 'quotes.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b\n1,"two\n3,4\n') });
  await expect(page.getByTestId('notice-warning')).toContainText('Line 2 of "quotes.csv" opens a quote (") that is never closed');
  await expect(tableItem(page, 'quotes')).toHaveCount(1);
});

test('a headerless whitespace .data file, a Latin-1 CSV and a gzip CSV picked by the file input load as detected', async ({ page }) => {
  const fixture = (name: string) => readFileSync(new URL(`../fixtures/text/${name}`, import.meta.url));
  await page.getByTestId('file-input').setInputFiles({ name: 'ratings.data', mimeType: 'application/octet-stream', buffer: fixture('ratings.data') });
  await expect(tableItem(page, 'ratings_data').getByTestId('table-rows')).toHaveText('8 rows');
  await expect(page.getByTestId('notice-info').filter({ hasText: 'Loaded ratings.data' })).toContainText(
    'Read with fields separated by runs of spaces or tabs, without a header row (columns column0, column1, …).',
  );
  await page.getByTestId('notice-info').filter({ hasText: 'Loaded ratings.data' }).screenshot({ path: 'test-results/text-import-notice.png' });
  // By hand from the fixture: the ratings are 3+3+1+2+1+4+2+5 = 21; user 22's line starts with a space.
  const ratings = await runNewCell(page, 'SELECT sum(column2)::INTEGER AS total, max(column1) FILTER (WHERE column0 = 22) AS item FROM ratings_data');
  await expect(ratings.getByTestId('result-table').locator('tbody td:not(.index)')).toHaveText(['21', '377']);

  // Latin-1 bytes (é = E9, ü = FC): transcoded in a worker; semicolons and decimal commas detected.
  await page.getByTestId('file-input').setInputFiles({ name: 'latin1.csv', mimeType: 'text/csv', buffer: fixture('latin1.csv') });
  await expect(tableItem(page, 'latin1').getByTestId('table-rows')).toHaveText('4 rows');
  const latin = await runNewCell(page, "SELECT name || ' ' || city AS who, (SELECT sum(amount) FROM latin1) AS total FROM latin1 WHERE amount = 12.5");
  // By hand: 12.5 + 3 + 7.25 + 1 = 23.75.
  await expect(latin.getByTestId('result-table').locator('tbody td:not(.index)')).toHaveText(['André München', '23.75']);

  await page.getByTestId('file-input').setInputFiles({ name: 'small.csv.gz', mimeType: 'application/gzip', buffer: gzipSync(Buffer.from('a,b\n1,x\n2,y\n')) });
  await expect(tableItem(page, 'small').getByTestId('table-rows')).toHaveText('2 rows');
  await page.getByTestId('data-panel').screenshot({ path: 'test-results/text-import-panel.png' });
});

test('a running query can be cancelled, and the next one runs', async ({ page }) => {
  const slow = await runNewCell(page, 'SELECT count(*) FROM range(200000) a, range(200000) b WHERE (a.range * b.range) % 7 = 3');
  await expect(slow).toHaveAttribute('data-status', 'running');
  await slow.getByTestId('cancel-cell').click();
  await expect(slow).toHaveAttribute('data-status', 'stale');
  await expect(slow.getByTestId('cell-error')).toContainText('Cancelled');
  await slow.locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText('SELECT 1 AS one');
  await page.keyboard.press('Shift+Enter');
  await expect(slow).toHaveAttribute('data-status', 'done');
});

test('a DuckDB error appears on the cell in plain words', async ({ page }) => {
  const broken = await runNewCell(page, 'SELECT no_such_column FROM sales');
  await expect(broken).toHaveAttribute('data-status', 'error');
  await expect(broken.getByTestId('cell-error')).toContainText('no_such_column');
  await expect(broken.getByTestId('cell-error').locator('strong')).toHaveText('DuckDB could not run this query');
  // The statement DuckDB was sent is there, folded, for a message that points into it.
  const statement = broken.getByTestId('cell-error-sql');
  await statement.locator('summary').click();
  await expect(statement.locator('pre')).toContainText('SELECT no_such_column FROM sales');
  await broken.screenshot({ path: 'test-results/screenshots/sql-error.png' });
});

test('data loads by URL from the same site; other sites are refused without a request', async ({ page }) => {
  await page.getByTestId('url-input').fill('sample/online_retail_50k.parquet');
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(tableItem(page, 'online_retail_50k').getByTestId('table-rows')).toHaveText('50,000 rows');

  await page.getByTestId('url-input').fill('https://example.com/sales.csv');
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByTestId('notice-error')).toContainText('loads URLs from its own site only');
});

test('sample data is generated in a worker with progress', async ({ page }) => {
  await page.getByText('Generate sample data').click();
  await page.getByTestId('gen-rows').fill('20000');
  await page.getByTestId('gen-submit').click();
  await expect(tableItem(page, 'generated').getByTestId('table-rows')).toHaveText('20,000 rows', { timeout: 30_000 });
  await expect(tableItem(page, 'generated').getByTestId('retail-report')).toContainText('UCI Online Retail layout');
});

test('a generation can be cancelled and leaves no table behind', async ({ page }) => {
  await page.getByText('Generate sample data').click();
  await page.getByTestId('gen-rows').fill('5000000');
  await page.getByTestId('gen-submit').click();
  await expect(page.getByTestId('task')).toContainText('Generating 5,000,000 rows');
  await page.getByTestId('cancel-task').click();
  await expect(page.getByTestId('task')).toHaveCount(0);
  await expect(page.getByTestId('notice-info').last()).toContainText('cancelled');
  await expect(tableItem(page, 'generated')).toHaveCount(0);
});

test('a file of an unknown layout can be mapped by hand to the retail columns', async ({ page }) => {
  const csv = 'client,day,total\nk1,2011-03-01,20\nk1,2011-03-05,5\n,2011-03-06,7.5\n';
  await page.getByTestId('file-input').setInputFiles({ name: 'orders.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  const item = tableItem(page, 'orders');
  await expect(item.getByTestId('table-rows')).toHaveText('3 rows');
  await item.getByText('Map to retail columns…').click();
  await item.locator('select[data-canonical="customer_id"]').selectOption('client');
  await item.locator('select[data-canonical="invoice_date"]').selectOption('day');
  await item.locator('select[data-canonical="amount"]').selectOption('total');
  await item.getByRole('button', { name: 'Apply mapping' }).click();
  await expect(item.getByTestId('retail-report')).toContainText('custom mapping');
  // By hand: the row without a client is dropped; 2 of 3 remain.
  await expect(item.getByTestId('cleaning-report')).toContainText('2 of 3 rows kept');
});

test('a result of millions of rows scrolls to its last row', async ({ page }) => {
  const big = await runNewCell(page, 'SELECT range AS n, range * 2 AS twice FROM range(3000000)');
  await expect(big).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  await expect(big.getByTestId('row-count')).toHaveText('3,000,000 rows');
  const scroller = big.getByTestId('result-table').locator('.scroller');
  await scroller.evaluate((element) => element.scrollTo(0, element.scrollHeight));
  // Only the rows in view are fetched; the last one is n = 2,999,999 (row 3,000,000).
  const lastRow = big.getByTestId('result-table').locator('tbody tr:not(.spacer)').last();
  await expect(lastRow.locator('td').nth(0)).toHaveText('3000000');
  await expect(lastRow.locator('td').nth(1)).toHaveText('2,999,999');
  await expect(lastRow.locator('td').nth(2)).toHaveText('5,999,998');
});

test('a query that matches nothing says so above its empty table', async ({ page }) => {
  const none = await runNewCell(page, "SELECT country, count(*) AS n FROM sales WHERE country = 'Atlantis' GROUP BY 1");
  await expect(none).toHaveAttribute('data-status', 'done');
  await expect(none.getByTestId('row-count')).toHaveText('0 rows');
  await expect(none.getByTestId('empty-result')).toHaveText('No rows: nothing matched this query. The table is empty, not failed.');
  await none.screenshot({ path: 'test-results/empty-result.png' });
  const some = await runNewCell(page, 'SELECT 1 AS n');
  await expect(some.getByTestId('row-count')).toHaveText('1 row');
  await expect(some.getByTestId('empty-result')).toHaveCount(0);
});
