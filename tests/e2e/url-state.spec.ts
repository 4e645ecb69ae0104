import { expect, test, type Page } from '@playwright/test';
import { cell, expectSameOrigin, recordRequests, resultRows } from './helpers.ts';

let requests: string[] = [];
test.afterEach(() => expectSameOrigin(requests));

/** Run-log rows as "cell status", oldest first. */
async function runLog(page: Page): Promise<string[]> {
  if ((await page.getByTestId('run-log').count()) === 0) await page.getByTestId('toggle-log').click();
  const rows = await page.getByTestId('run-log').locator('tbody tr').all();
  const lines = await Promise.all(rows.map(async (row) => `${await row.locator('td').nth(1).innerText()} ${await row.locator('td').nth(3).innerText()}`));
  return lines.reverse();
}

test('a link with input values reproduces the view set by hand, and runs with them from the start', async ({ page, browser }) => {
  test.setTimeout(150_000);
  requests = recordRequests(page);
  await page.goto('?notebook=retail-tour&theme=dark');
  await expect(cell(page, 'country_customers')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await cell(page, 'top_n').locator('input[type="range"]').fill('25');
  await cell(page, 'country').locator('select').selectOption('Germany');
  await expect(cell(page, 'top_products').getByTestId('row-count')).toContainText('25');
  await expect(cell(page, 'country_customers')).toHaveAttribute('data-status', 'done');
  // The URL follows the inputs, keeping the page's own parameters.
  await expect.poll(() => new URL(page.url()).searchParams.get('country')).toBe('Germany');
  const link = new URL(page.url());
  expect(link.searchParams.get('top_n')).toBe('25');
  expect(link.searchParams.get('notebook')).toBe('retail-tour');
  expect(link.searchParams.get('theme')).toBe('dark');
  const byHandProducts = await resultRows(cell(page, 'top_products'));
  const byHandCustomers = await resultRows(cell(page, 'country_customers'));
  expect(byHandProducts.length).toBeGreaterThan(5);
  const byHandCounts = [await cell(page, 'top_products').getByTestId('row-count').innerText(), await cell(page, 'country_customers').getByTestId('row-count').innerText()];

  // A fresh browser (no saved workspace) opening the link shows the same rows.
  const context = await browser.newContext({ locale: 'en-US' });
  const visitor = await context.newPage();
  const visitorRequests = recordRequests(visitor);
  await visitor.goto(link.href);
  await expect(cell(visitor, 'country_customers')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await expect(cell(visitor, 'top_n').getByTestId('input-value')).toHaveText('25');
  await expect(cell(visitor, 'country').locator('select')).toHaveValue('Germany');
  expect([await cell(visitor, 'top_products').getByTestId('row-count').innerText(), await cell(visitor, 'country_customers').getByTestId('row-count').innerText()]).toEqual(byHandCounts);
  expect(await resultRows(cell(visitor, 'top_products'))).toEqual(byHandProducts);
  expect(await resultRows(cell(visitor, 'country_customers'))).toEqual(byHandCustomers);
  // Set before the first run: each reader ran once, with the link's values.
  expect((await runLog(visitor)).filter((line) => line === 'top_products done')).toHaveLength(1);
  expect((await runLog(visitor)).filter((line) => line === 'country_customers done')).toHaveLength(1);
  expectSameOrigin(visitorRequests);
  await context.close();
});

test('values a link gets wrong are named in a notice and the inputs keep their own', async ({ page }) => {
  test.setTimeout(120_000);
  requests = recordRequests(page);
  await page.goto(`?notebook=retail-tour&top_n=500&nope=1&country=${encodeURIComponent("x' OR 1=1 --")}`);
  await expect(cell(page, 'country_customers')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  const notice = page.getByTestId('notice-warning').filter({ hasText: 'Ignored from the link' });
  await expect(notice).toContainText('top_n: 500 is above the maximum 50');
  await expect(notice).toContainText('nope: no input has this name');
  await notice.screenshot({ path: 'test-results/screenshots/url-refused-notice.png' });
  // The default (10) is used.
  await expect(cell(page, 'top_n').getByTestId('input-value')).toHaveText('10');
  await expect(cell(page, 'top_products').getByTestId('row-count')).toContainText('10');
  // A country that is no option (its options come from a table) is a bound value that matches nothing: the
  // select falls back to its first option, and no SQL text ever held it.
  await expect(cell(page, 'country').locator('select')).not.toHaveValue("x' OR 1=1 --");
  await expect(cell(page, 'country_customers')).toHaveAttribute('data-status', 'done');
});
