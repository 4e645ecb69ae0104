import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { cell, expectSameOrigin, recordRequests, runNewCell, tableItem } from './helpers.ts';

const fixture = (path: string) => readFileSync(new URL(`../fixtures/${path}`, import.meta.url));

/** Ratings without a header, fields separated by runs of spaces and tabs (the MovieLens `u.data` shape). */
const RATINGS = ['196\t242\t3\t881250949', '186  302   3\t891717742', '22 377 1 878887116', '244   51  2  880606923', '166 346 1   886397596', ''].join('\n');

let requests: string[] = [];

test.beforeEach(async ({ page }) => {
  requests = recordRequests(page);
  await page.goto('');
  await expect(cell(page, 'revenue_by_country')).toHaveAttribute('data-status', 'done', { timeout: 45_000 });
});

test.afterEach(() => {
  expectSameOrigin(requests);
});




function resultCells(added: ReturnType<typeof cell>) {
  return added.getByTestId('result-table').locator('tbody tr:not(.spacer) td:not(.index)');
}

async function pick(page: Page, name: string, buffer: Buffer) {
  await page.getByTestId('file-input').setInputFiles({ name, mimeType: 'application/octet-stream', buffer });
  const sheet = page.getByTestId('import-sheet');
  await expect(sheet).toBeVisible();
  await expect(sheet.getByTestId('sheet-preview')).toBeVisible();
  return sheet;
}

async function shoot(page: Page, name: string) {
  for (const theme of ['light', 'dark'] as const) {
    await page.evaluate((value) => document.documentElement.setAttribute('data-theme', value), theme);
    await page.getByTestId('import-sheet').screenshot({ path: `test-results/import-sheet-${name}-${theme}.png` });
  }
  await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'light'));
}

test('a headerless whitespace file: runs of whitespace, no header, columns named by hand, and SQL sums it', async ({ page }) => {
  const sheet = await pick(page, 'u.data', Buffer.from(RATINGS));
  await expect(sheet.getByTestId('sheet-delimiter').locator('option:checked')).toHaveText('runs of whitespace');
  await expect(sheet.getByTestId('sheet-header')).not.toBeChecked();
  await expect(sheet.getByTestId('sheet-preview').locator('tbody tr')).toHaveCount(5);
  const names = sheet.getByTestId('sheet-column-name');
  await expect(names).toHaveCount(4);
  await expect(names.first()).toHaveValue('column0');
  // Names that are no retail identifiers (an `item_id` would be kept as text, as ids are).
  for (const [i, name] of ['viewer', 'film', 'stars', 'rated_at'].entries()) await names.nth(i).fill(name);
  // A repeated name stops the import until it is fixed.
  await names.nth(3).fill('Stars');
  await expect(sheet.getByTestId('sheet-problems')).toContainText('Columns 3 and 4 are both named Stars');
  await expect(sheet.getByTestId('sheet-import')).toBeDisabled();
  await names.nth(3).fill('rated_at');
  // The table name follows the cell-name rule.
  await sheet.getByTestId('sheet-table-name').fill('2ratings');
  await expect(sheet.getByTestId('sheet-problems')).toContainText('cannot start with a digit');
  await sheet.getByTestId('sheet-table-name').fill('ratings');
  await expect(sheet.getByTestId('sheet-problems')).toHaveCount(0);
  const types = sheet.getByTestId('sheet-column-type-choice');
  await expect(types).toHaveCount(4);
  for (let i = 0; i < 4; i++) await expect(types.nth(i)).toHaveValue('BIGINT');
  // A type chosen by hand is what the table gets.
  await types.nth(2).selectOption('DOUBLE');
  await expect(types.nth(2)).toHaveValue('DOUBLE');
  await shoot(page, 'text');
  await sheet.getByTestId('sheet-import').click();
  await expect(sheet).toHaveCount(0);
  await expect(tableItem(page, 'ratings').getByTestId('table-rows')).toHaveText('5 rows');
  // By hand: ratings 3 + 3 + 1 + 2 + 1 = 10; items 242 + 302 + 377 + 51 + 346 = 1318.
  const sums = await runNewCell(page, 'SELECT CAST(sum(stars) AS BIGINT) AS stars, sum(film) AS films, typeof(any_value(stars)) AS stars_type, typeof(any_value(film)) AS film_type FROM ratings');
  await expect(sums).toHaveAttribute('data-status', 'done');
  await expect(resultCells(sums).nth(0)).toHaveText('10');
  await expect(resultCells(sums).nth(1)).toHaveText('1,318');
  await expect(resultCells(sums).nth(2)).toHaveText('DOUBLE');
  await expect(resultCells(sums).nth(3)).toHaveText('BIGINT');
});

test('a Latin-1 CSV previews é and ü as they are, and Cancel loads nothing', async ({ page }) => {
  const sheet = await pick(page, 'people.csv', fixture('text/latin1.csv'));
  await expect(sheet.getByTestId('sheet-encoding').locator('option:checked')).toHaveText('Latin-1 (Windows-1252)');
  const preview = sheet.getByTestId('sheet-preview');
  // By hand from the bytes: E9 is é, FC is ü, E7 is ç, E3 is ã in Windows-1252.
  await expect(preview.locator('tbody tr').first()).toContainText('André');
  await expect(preview.locator('tbody tr').first()).toContainText('München');
  await expect(preview).toContainText('São Paulo');
  // The wrong encoding shows what it does to the same bytes.
  await sheet.getByTestId('sheet-encoding').selectOption('utf-8');
  await expect(preview).toContainText('Andr�');
  await sheet.getByTestId('sheet-encoding').selectOption('windows-1252');
  await expect(preview).toContainText('André');
  // Keyboard: focus starts in the sheet and Tab never leaves it.
  const inSheet = () => page.evaluate(() => document.activeElement?.closest('[data-testid="import-sheet"]') !== null);
  expect(await inSheet()).toBe(true);
  for (const key of [...Array<string>(25).fill('Tab'), ...Array<string>(25).fill('Shift+Tab')]) {
    await page.keyboard.press(key);
    expect(await inSheet(), `focus after ${key}`).toBe(true);
  }
  await page.keyboard.press('Escape');
  await expect(sheet).toHaveCount(0);
  await expect(tableItem(page, 'people')).toHaveCount(0);
  await expect(tableItem(page, 'sales').getByTestId('table-rows')).toHaveText('50,000 rows');
});

test('a basket file: the sheet counts baskets and distinct items before import', async ({ page }) => {
  const sheet = await pick(page, 'groceries.csv', fixture('text/groceries.csv'));
  await expect(sheet.getByTestId('sheet-layout')).toHaveValue('baskets');
  // By hand: 10 lines; 22 distinct items once "cream cheese " is trimmed; 31 items in all.
  await expect(sheet.getByTestId('sheet-baskets')).toContainText('10 baskets with 22 distinct items');
  await expect(sheet.getByTestId('sheet-preview').locator('thead')).toContainText('basket_id');
  await shoot(page, 'baskets');
  await sheet.getByTestId('sheet-import').click();
  await expect(tableItem(page, 'groceries').getByTestId('table-rows')).toHaveText('31 rows');
  const counts = await runNewCell(page, 'SELECT count(DISTINCT basket_id) AS baskets, count(DISTINCT item) AS items FROM groceries');
  await expect(resultCells(counts).nth(0)).toHaveText('10');
  await expect(resultCells(counts).nth(1)).toHaveText('22');
});

test('an .xlsx workbook: the sheet picker previews each sheet and imports the one picked', async ({ page }) => {
  const sheet = await pick(page, 'Shop.xlsx', fixture('excel/basic.xlsx'));
  const picker = sheet.getByTestId('sheet-picker');
  await expect(picker.locator('option')).toHaveText(['Sales', 'Notes']);
  await expect(sheet.getByTestId('sheet-preview').locator('thead')).toContainText('InvoiceNo');
  await shoot(page, 'xlsx');
  await picker.selectOption('Notes');
  await expect(sheet.getByTestId('sheet-preview').locator('thead')).toContainText('Value');
  await expect(sheet.getByTestId('sheet-preview').locator('tbody tr')).toHaveCount(2);
  await expect(sheet.getByTestId('sheet-table-name')).toHaveValue('shop');
  await sheet.getByTestId('sheet-table-name').fill('shop_notes');
  await sheet.getByTestId('sheet-import').click();
  await expect(tableItem(page, 'shop_notes').getByTestId('table-rows')).toHaveText('2 rows');
  // By hand from scripts/make-xlsx-fixtures.py: 1.5 + 2.25.
  const total = await runNewCell(page, 'SELECT sum("Value") AS total FROM shop_notes');
  await expect(resultCells(total).first()).toHaveText('3.75');
});

test('a JSON file: nested fields flattened or kept as JSON text', async ({ page }) => {
  const json = JSON.stringify([
    { id: 1, customer: { country: 'FR', city: 'Lyon' } },
    { id: 2, customer: { country: 'DE', city: 'Köln' } },
  ]);
  const sheet = await pick(page, 'orders.json', Buffer.from(json));
  const header = sheet.getByTestId('sheet-preview').locator('thead th');
  await expect(header).toHaveText([/^id/, /^customer\.country/, /^customer\.city/]);
  await sheet.getByTestId('sheet-nested').selectOption('json');
  await expect(header).toHaveText([/^id/, /^customer/]);
  await sheet.getByTestId('sheet-import').click();
  await expect(tableItem(page, 'orders').getByTestId('table-rows')).toHaveText('2 rows');
  const city = await runNewCell(page, "SELECT customer FROM orders WHERE id = 2");
  await expect(resultCells(city).first()).toContainText('Köln');
});
