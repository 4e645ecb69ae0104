import { readFileSync } from 'node:fs';
import { expect, type Page } from '@playwright/test';
import { expectSameOrigin, recordRequests, test } from './helpers.ts';

let requests: string[] = [];

test.beforeEach(async ({ page }) => {
  requests = recordRequests(page);
  await page.goto('');
  await expect(page.getByTestId('engine-status')).toContainText('DuckDB-WASM', { timeout: 30_000 });
  await expect(page.locator('[data-testid="cell"][data-cell-name="revenue_by_country"]')).toHaveAttribute('data-status', 'done', { timeout: 45_000 });
});

test.afterEach(() => {
  expectSameOrigin(requests);
});

const tableItem = (page: Page, name: string) => page.locator(`[data-testid="table-item"][data-table="${name}"]`);

async function runNewCell(page: Page, sql: string) {
  await page.getByTestId('add-cell').click();
  const name = await page.locator('[data-testid="cell"]').last().getAttribute('data-cell-name');
  const added = page.locator(`[data-testid="cell"][data-cell-name="${name}"]`);
  await added.locator('.cm-content').click();
  await page.keyboard.insertText(sql);
  await page.keyboard.press('Shift+Enter');
  return added;
}

test('an .xlsx picked in the file input becomes a table whose sums match the workbook', async ({ page }) => {
  // Written by XlsxWriter (scripts/make-xlsx-fixtures.py); pandas reads 4 rows, Amount 15.3 + 120 + 7 + 3.25 = 145.55.
  const buffer = readFileSync(new URL('../fixtures/excel/shared-strings.xlsx', import.meta.url));
  await page.getByTestId('file-input').setInputFiles({ name: 'orders.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer });
  await expect(tableItem(page, 'orders').getByTestId('table-rows')).toHaveText('4 rows');
  const result = await runNewCell(page, "SELECT sum(Amount) AS total, count(OrderDate) AS dated, max(OrderDate)::DATE::VARCHAR AS last FROM orders");
  await expect(result).toHaveAttribute('data-status', 'done');
  const cells = result.getByTestId('result-table').locator('tbody tr:not(.spacer) td:not(.index)');
  await expect(cells).toHaveText(['145.55', '3', '2011-02-01']);
});

test('a JSON value that is not a record is named with its place, and the app keeps working', async ({ page }) => {
  await page.getByTestId('file-input').setInputFiles({ name: 'lines.ndjson', mimeType: 'application/x-ndjson', buffer: Buffer.from('{"a": 1}\n[1, 2]\n') });
  await expect(page.getByTestId('notice-error').locator('span').first()).toHaveText('"lines.ndjson": line 2 is an array of 2 items, not a record ({…}).');
  await page.getByTestId('file-input').setInputFiles({ name: 'lines.ndjson', mimeType: 'application/x-ndjson', buffer: Buffer.from('{"a": 1, "b": {"c": "x"}}\n{"a": 2}\n') });
  await expect(tableItem(page, 'lines').getByTestId('table-rows')).toHaveText('2 rows');
});
