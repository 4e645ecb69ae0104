import { expect, test, type Page } from '@playwright/test';
import { expectSameOrigin, recordRequests } from './helpers.ts';

let requests: string[] = [];
test.afterEach(() => expectSameOrigin(requests));

function cell(page: Page, name: string) {
  return page.locator(`[data-testid="cell"][data-cell-name="${name}"]`);
}

test('the recommendations demo runs every cell in workers, and the pickers choose a product and a customer', async ({ page }) => {
  test.setTimeout(180_000);
  requests = recordRequests(page);
  const errors: string[] = [];
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  await page.goto('?notebook=recommendations');
  await expect(cell(page, 'svd_accuracy')).toHaveAttribute('data-status', 'done', { timeout: 150_000 });
  await expect(cell(page, 'evaluation')).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  const statuses = await page.locator('[data-testid="cell"][data-cell-name]').evaluateAll((cells) => cells.map((c) => `${(c as HTMLElement).dataset.cellName}:${(c as HTMLElement).dataset.status}`));
  expect(statuses.filter((status) => !status.endsWith(':done'))).toEqual([]);
  await expect(cell(page, 'evaluation_table').getByTestId('row-count')).toHaveText('14 rows');
  await expect(cell(page, 'for_customer').getByTestId('row-count')).toHaveText('35 rows');

  // Type part of a description into the product picker; the lookalikes and bought-with tables follow the choice.
  const product = cell(page, 'product').getByRole('combobox');
  await product.click();
  await product.fill('jewellery box ivory');
  const option = cell(page, 'product').getByRole('option').first();
  await expect(option).toContainText('IVORY SHELL JEWELLERY BOX');
  const code = (await option.locator('.value').innerText()).trim();
  await product.press('Enter');
  await expect(product).toHaveValue(`${code} · IVORY SHELL JEWELLERY BOX`);
  await expect(cell(page, 'similar_to_product')).toHaveAttribute('data-status', 'done');
  await expect(cell(page, 'similar_to_product').getByTestId('row-count')).toHaveText('10 rows');
  await expect(cell(page, 'similar_items')).toHaveAttribute('data-status', 'done');

  // A customer picked by id: the recommendations and purchases shown are that customer's.
  const customer = cell(page, 'customer').getByRole('combobox');
  await customer.click();
  await customer.fill('17477');
  await expect(cell(page, 'customer').getByRole('option').first()).toContainText('17477');
  await page.keyboard.press('Enter');
  await expect(customer).toHaveValue(/^17477 · /);
  await expect(cell(page, 'for_customer')).toHaveAttribute('data-status', 'done');
  await expect(cell(page, 'for_customer').getByText(/which you bought/).first()).toBeVisible();
  expect(errors).toEqual([]);
});

test('the forecasts and loyalty demo runs every cell with no console errors', async ({ page }) => {
  test.setTimeout(120_000);
  requests = recordRequests(page);
  const errors: string[] = [];
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  await page.goto('?notebook=forecast-and-loyalty');
  await expect(cell(page, 'cohort_retention')).toHaveAttribute('data-status', 'done', { timeout: 100_000 });
  const statuses = await page.locator('[data-testid="cell"][data-cell-name]').evaluateAll((cells) => cells.map((c) => `${(c as HTMLElement).dataset.cellName}:${(c as HTMLElement).dataset.status}`));
  expect(statuses.filter((status) => !status.endsWith(':done'))).toEqual([]);
  await expect(cell(page, 'monthly_revenue_and_forecast').getByTestId('row-count')).toHaveText('15 rows');
  await expect(cell(page, 'loyalty_models').getByTestId('row-count')).toHaveText('2 rows');
  expect(errors).toEqual([]);
});
