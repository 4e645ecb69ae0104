import { mkdirSync } from 'node:fs';
import { expect, type Page } from '@playwright/test';
import { cell, expectSameOrigin, recordRequests, resultRows, tableItem, test } from './helpers.ts';

let requests: string[] = [];
test.afterEach(() => expectSameOrigin(requests));

const COUNTRIES = ['United Kingdom', 'France', 'Germany'];

/** 120 UCI-layout lines (3 per invoice), a guest line and a cancelled one, written here apart from the app. */
function onlineRetail2011(): { csv: string; byCountry: { country: string; revenue: number; customers: number }[] } {
  const lines = ['InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country'];
  const totals = new Map<string, { revenue: number; customers: Set<string> }>();
  for (let i = 0; i < 120; i++) {
    const quantity = (i % 5) + 1;
    const price = ((i % 4) + 1) * 1.25;
    const customer = String(12000 + (i % 11));
    const country = COUNTRIES[i % 3]!;
    const day = String((i % 27) + 1).padStart(2, '0');
    lines.push(`${536000 + Math.floor(i / 3)},S${i % 7},ITEM ${i % 7},${quantity},2011-0${(i % 6) + 1}-${day} 10:00:00,${price},${customer},${country}`);
    const total = totals.get(country) ?? { revenue: 0, customers: new Set() };
    total.revenue += quantity * price;
    total.customers.add(customer);
    totals.set(country, total);
  }
  // Dropped by cleaning: a guest (no customer) and a cancelled invoice.
  lines.push('536999,S1,ITEM 1,2,2011-02-01 10:00:00,5,,France');
  lines.push('C537000,S2,ITEM 2,-1,2011-02-02 10:00:00,5,12001,France');
  const byCountry = [...totals]
    .map(([country, total]) => ({ country, revenue: Math.round(total.revenue * 100) / 100, customers: total.customers.size }))
    .sort((a, b) => b.revenue - a.revenue);
  return { csv: `${lines.join('\n')}\n`, byCountry };
}

const number = (text: string) => Number(text.replace(/,/g, ''));

test('a demo bound to a table of another name re-runs on it, keeps the choice over a reload, and follows a rename and a removal', async ({ page }) => {
  test.setTimeout(180_000);
  requests = recordRequests(page);
  mkdirSync('test-results/screenshots', { recursive: true });
  await page.goto('?notebook=welcome');
  await expect(cell(page, 'revenue_by_country')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  const sampleCountries = await cell(page, 'revenue_by_country').getByTestId('row-count').innerText();

  // On the sample, with nothing of the user's loaded: the bar says so and offers their own file.
  const bar = page.getByTestId('data-bar');
  const select = bar.locator('[data-testid="binding"][data-name="sales"]').getByTestId('binding-select');
  await expect(select).toHaveValue('');
  await expect(select.locator('option:checked')).toHaveText('the bundled sample (online_retail_50k.parquet)');
  await expect(page.getByTestId('sample-offer')).toBeVisible();
  await bar.screenshot({ path: 'test-results/screenshots/data-bar-sample.png' });

  // A file under another name: the demo stays on the sample until the user picks it.
  const { csv, byCountry } = onlineRetail2011();
  await page.getByTestId('file-input').setInputFiles({ name: 'online_retail_2011.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await expect(tableItem(page, 'online_retail_2011').getByTestId('table-rows')).toHaveText('122 rows');
  await expect(page.getByTestId('sample-offer')).toHaveCount(0);
  await expect(cell(page, 'revenue_by_country').getByTestId('row-count')).toHaveText(sampleCountries);

  await select.selectOption('online_retail_2011');
  const byCountryCell = cell(page, 'revenue_by_country');
  await expect(byCountryCell.getByTestId('row-count')).toHaveText('3 rows', { timeout: 30_000 });
  await expect(byCountryCell).toHaveAttribute('data-status', 'done');
  await expect(cell(page, 'monthly_revenue').getByTestId('row-count')).toHaveText('6 rows');
  const shown = await resultRows(byCountryCell);
  // The figures equal those computed here from the file's lines…
  expect(shown.map(([country, revenue, customers]) => ({ country, revenue: number(revenue!), customers: number(customers!) }))).toEqual(byCountry);

  // …and those SQL computes directly on the loaded table, in the same page.
  await page.getByTestId('add-cell').click();
  const direct = await page.locator('[data-testid="cell"]').last().getAttribute('data-cell-name');
  await cell(page, direct!).locator('.cm-content').click();
  await page.keyboard.insertText(
    `SELECT Country AS country, round(sum(Quantity * UnitPrice), 2) AS revenue, count(DISTINCT CustomerID) AS customers
FROM online_retail_2011 WHERE CustomerID IS NOT NULL AND NOT starts_with(InvoiceNo, 'C') GROUP BY 1 ORDER BY revenue DESC`,
  );
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(cell(page, direct!)).toHaveAttribute('data-status', 'done');
  expect(await resultRows(cell(page, direct!))).toEqual(shown);

  await expect(bar.getByTestId('binding-unprofiled')).toHaveCount(0);
  await expect(tableItem(page, 'online_retail_2011').getByTestId('plays')).toHaveText('plays sales in this notebook');
  await bar.screenshot({ path: 'test-results/screenshots/data-bar-bound.png' });
  await page.getByTestId('data-panel').screenshot({ path: 'test-results/screenshots/data-panel-bound.png' });

  // The choice is saved with the notebook, and the table with the workspace.
  await expect(page.getByTestId('save-state')).toHaveText('Saved', { timeout: 30_000 });
  await page.reload();
  await expect(cell(page, 'revenue_by_country')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await expect(select).toHaveValue('online_retail_2011');
  await expect(cell(page, 'revenue_by_country').getByTestId('row-count')).toHaveText('3 rows');
  expect(await resultRows(cell(page, 'revenue_by_country'))).toEqual(shown);

  // Renamed in the data panel: the binding follows, the notebook still reads it.
  await tableItem(page, 'online_retail_2011').getByTestId('rename-table').click();
  const rename = tableItem(page, 'online_retail_2011').getByTestId('rename-input');
  await rename.fill('sales_clean');
  await expect(tableItem(page, 'online_retail_2011').getByTestId('rename-problem')).toContainText('already a table or view named "sales_clean"');
  await rename.fill('shop_2011');
  await tableItem(page, 'online_retail_2011').getByTestId('rename-submit').click();
  await expect(tableItem(page, 'shop_2011').getByTestId('table-rows')).toHaveText('122 rows');
  await expect(tableItem(page, 'online_retail_2011')).toHaveCount(0);
  await expect(select).toHaveValue('shop_2011');
  await expect(cell(page, 'revenue_by_country')).toHaveAttribute('data-status', 'done');
  expect(await resultRows(cell(page, 'revenue_by_country'))).toEqual(shown);

  // The cell that read the table by its old name reads it by the new one.
  await cell(page, direct!).locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText('SELECT count(*) AS n FROM shop_2011');
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(cell(page, direct!)).toHaveAttribute('data-status', 'done');

  // Removing it says first what happens to each cell: the one reading it by name fails, the notebook's goes back to
  // the sample. Then both happen.
  await tableItem(page, 'shop_2011').getByTestId('remove-table').click();
  await expect(tableItem(page, 'shop_2011').getByTestId('remove-readers')).toHaveText(
    `These cells read shop_2011 and will fail: ${direct}. sales goes back to the bundled sample (online_retail_50k.parquet), and these cells re-run on it: monthly_revenue, top_customers, revenue_by_country.`,
  );
  await page.getByTestId('data-panel').screenshot({ path: 'test-results/screenshots/data-panel-remove.png' });
  await tableItem(page, 'shop_2011').getByTestId('remove-yes').click();
  await expect(tableItem(page, 'shop_2011')).toHaveCount(0);
  await expect(select).toHaveValue('');
  await expect(cell(page, 'revenue_by_country').getByTestId('row-count')).toHaveText(sampleCountries, { timeout: 30_000 });
  await expect(tableItem(page, 'sales').getByTestId('table-rows')).toHaveText('50,000 rows');
  await expect(cell(page, direct!)).toHaveAttribute('data-status', 'error');
});

test('a demo with none of the user’s data offers the sample or their file: the sample runs it, the button opens a file chooser', async ({ page }) => {
  test.setTimeout(120_000);
  requests = recordRequests(page);
  mkdirSync('test-results/screenshots', { recursive: true });
  await page.goto('?notebook=welcome');
  const byCountry = cell(page, 'revenue_by_country');
  await expect(byCountry).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  const offer = page.getByTestId('sample-offer');
  await expect(offer).toBeVisible();

  // "Open my file…" opens the system's file chooser, for the file that will play sales.
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), offer.getByTestId('offer-open').click()]);
  expect(await chooser.element().getAttribute('data-testid')).toBe('binding-file-input');

  // "Use the sample" settles it: the offer goes, sales stays the sample, and the figures are SQL's on the sample.
  await offer.getByTestId('use-sample').click();
  await expect(offer).toHaveCount(0);
  const select = page.getByTestId('data-bar').locator('[data-testid="binding"][data-name="sales"]').getByTestId('binding-select');
  await expect(select).toHaveValue('');
  await expect(tableItem(page, 'sales').getByTestId('table-rows')).toHaveText('50,000 rows');
  await page.getByTestId('data-bar').screenshot({ path: 'test-results/screenshots/data-bar-sample-chosen.png' });
  await page.getByTestId('add-cell').click();
  const direct = await page.locator('[data-testid="cell"]').last().getAttribute('data-cell-name');
  await cell(page, direct!).locator('.cm-content').click();
  // The welcome notebook's cleaning, written out on the raw sample: no guests, cancellations, returns, free items or duplicates.
  await page.keyboard.insertText(
    `SELECT Country AS country, round(sum(Quantity * UnitPrice), 2) AS revenue, count(DISTINCT CustomerID) AS customers
FROM (SELECT DISTINCT * FROM sales WHERE CustomerID IS NOT NULL AND NOT starts_with(InvoiceNo, 'C') AND Quantity > 0 AND UnitPrice > 0)
GROUP BY 1 ORDER BY revenue DESC`,
  );
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(cell(page, direct!)).toHaveAttribute('data-status', 'done');
  await expect(cell(page, direct!).getByTestId('row-count')).toHaveText(await byCountry.getByTestId('row-count').innerText());
  const shown = await resultRows(byCountry);
  expect(shown.length).toBeGreaterThan(0);
  expect(await resultRows(cell(page, direct!))).toEqual(shown);

  // The data bar's own "Open my file…" opens the chooser too, and the file picked there plays sales.
  const { csv, byCountry: expected } = onlineRetail2011();
  const [again] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('binding-open').click()]);
  await again.setFiles({ name: 'online_retail_2011.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await expect(select).toHaveValue('online_retail_2011', { timeout: 30_000 });
  await expect(byCountry.getByTestId('row-count')).toHaveText('3 rows', { timeout: 30_000 });
  const bound = await resultRows(byCountry);
  expect(bound.map(([country, revenue, customers]) => ({ country, revenue: number(revenue!), customers: number(customers!) }))).toEqual(expected);
});

