import { expect, test, type Page } from '@playwright/test';
import { cell, expectSameOrigin, recordRequests, resultCells } from './helpers.ts';

let requests: string[] = [];
test.afterEach(() => expectSameOrigin(requests));

const SHOTS = 'test-results/screenshots';

/** A number as a tile shows it in en-US: `1,234,567.89` → 1234567.89. */
const shownNumber = (text: string) => Number(text.replace(/,/g, ''));

test('the dashboard in app mode: KPI tiles equal to SQL, charts two to a row, edit mode unchanged', async ({ page }) => {
  test.setTimeout(150_000);
  requests = recordRequests(page);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto('?notebook=retail-dashboard');
  await expect(cell(page, 'kpis')).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
  // Edit mode is as it was: the one-row result is a table.
  await expect(cell(page, 'kpis').getByTestId('result-table')).toBeVisible();
  await expect(page.getByTestId('value-tiles')).toHaveCount(0);

  // The KPIs computed here, apart from the notebook's cell, as text so the result table does not format them.
  await page.getByTestId('add-cell').click();
  const checkName = (await page.locator('[data-testid="cell"]').last().getAttribute('data-cell-name'))!;
  const check = cell(page, checkName);
  await check.locator('.cm-content').click();
  await page.keyboard.insertText(
    `SELECT sum(amount)::VARCHAR AS revenue, count(DISTINCT invoice_id)::VARCHAR AS orders, count(DISTINCT customer_id)::VARCHAR AS customers,
       (sum(amount) / count(DISTINCT invoice_id))::VARCHAR AS aov, (sum(amount) / count(DISTINCT customer_id))::VARCHAR AS spend FROM sales_clean`,
  );
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(check).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  const expected = (await (await resultCells(check)).allTextContents()).map(Number);
  expect(expected).toHaveLength(5);
  expect(expected.every((value) => Number.isFinite(value) && value > 0)).toBe(true);

  await check.getByLabel('Cell actions').click();
  await check.getByTestId('delete-cell').click();
  await expect(check).toHaveCount(0);

  await page.getByTestId('toggle-app').click();
  await expect(cell(page, 'cohort_heatmap')).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
  await expect(cell(page, 'top_products_by_revenue')).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
  const tiles = cell(page, 'kpis').getByTestId('value-tile');
  await expect(tiles).toHaveCount(5);
  await expect(tiles.locator('.label')).toHaveText(['Revenue', 'Orders', 'Customers', 'Avg order value', 'Avg spend per customer']);
  await expect(tiles.getByTestId('tile-value').first()).not.toHaveText('…');
  const shown = (await tiles.getByTestId('tile-value').allTextContents()).map(shownNumber);
  // The notebook rounds revenue to a whole number and the averages to cents.
  expect(shown[0]).toBe(Math.round(expected[0]!));
  expect(shown[1]).toBe(expected[1]);
  expect(shown[2]).toBe(expected[2]);
  expect(shown[3]).toBeCloseTo(expected[3]!, 2);
  expect(shown[4]).toBeCloseTo(expected[4]!, 2);
  await expect(cell(page, 'kpis').getByTestId('result-table')).toHaveCount(0);

  // Two charts of a section share a row, each half of it; the tiles span the row above.
  const country = (await cell(page, 'revenue_by_country').boundingBox())!;
  const products = (await cell(page, 'top_products_by_revenue').boundingBox())!;
  const kpis = (await cell(page, 'kpis').boundingBox())!;
  expect(products.y).toBeCloseTo(country.y, 0);
  expect(products.x).toBeGreaterThan(country.x + country.width);
  expect(country.width).toBeCloseTo(products.width, 0);
  expect(country.width + products.width).toBeGreaterThan(0.9 * kpis.width);
  expect(country.y).toBeGreaterThan(kpis.y + kpis.height);
  // Asked for full width: the third chart of the section takes the whole row below.
  const quantity = (await cell(page, 'top_products_by_quantity').boundingBox())!;
  expect(quantity.y).toBeGreaterThan(country.y + country.height);
  expect(quantity.width).toBeCloseTo(kpis.width, 0);

  const top = page.getByRole('heading', { name: 'Retail dashboard', level: 1 });
  await page.getByRole('button', { name: 'Undo' }).waitFor({ state: 'detached', timeout: 15_000 }).catch(() => undefined);
  await top.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/dashboard-grid-light.png` });
  await cell(page, 'revenue_by_country').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/dashboard-grid-charts-light.png` });
  await page.emulateMedia({ colorScheme: 'dark' });
  await top.scrollIntoViewIfNeeded();
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${SHOTS}/dashboard-grid-dark.png` });
  await cell(page, 'revenue_by_country').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/dashboard-grid-charts-dark.png` });

  // Back to edit mode: a table again, cells one under the other.
  await page.getByTestId('toggle-app').click();
  await expect(cell(page, 'kpis').getByTestId('result-table')).toBeVisible();
  await expect(page.getByTestId('value-tiles')).toHaveCount(0);
  await expect(page.getByTestId('grid-slot')).toHaveCount(0);
});
