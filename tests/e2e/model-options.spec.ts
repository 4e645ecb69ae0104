import { expect, test, type Page } from '@playwright/test';
import { addModel, cell, expectSameOrigin, recordRequests } from './helpers.ts';

let requests: string[] = [];
test.afterEach(() => expectSameOrigin(requests));

test('rfm counts recency in whole 24-hour periods when the form asks, to a snapshot timestamp typed in', async ({ page }) => {
  requests = recordRequests(page);
  await page.goto('?notebook=segmentation');
  await expect(cell(page, 'at_risk')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  const rfm = await addModel(page, { model: 'rfm', input: 'sales_clean' });
  const form = cell(page, rfm).getByTestId('model-form');
  await expect(form.locator('[data-field="recency"]')).toHaveValue('calendar_days');
  await form.locator('[data-field="recency"]').selectOption('elapsed_days');
  await form.locator('[data-field="reference_date"]').fill('2011-12-10 12:00');
  await form.locator('[data-field="reference_date"]').press('Enter');
  await expect(cell(page, rfm).locator('.cm-content')).toContainText('"recency":"elapsed_days","reference_date":"2011-12-10 12:00"');
  await cell(page, rfm).getByTestId('run-cell').click();
  await expect(cell(page, rfm)).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  await cell(page, rfm).screenshot({ path: 'test-results/model-form-rfm-recency.png' });

  const rules = await addModel(page, { model: 'association_rules', input: 'sales_clean', min_support: 0.05 });
  const rulesForm = cell(page, rules).getByTestId('model-form');
  await expect(rulesForm.locator('[data-field="consequent"]')).toHaveValue('single');
  await expect(rulesForm.getByText('Right-hand side')).toBeVisible();
  await cell(page, rules).getByTestId('run-cell').click();
  await expect(cell(page, rules)).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  await cell(page, rules).screenshot({ path: 'test-results/model-form-rules-consequent.png' });
});

test('the forecast demo skips closed days and shows each candidate\'s interval coverage', async ({ page }) => {
  requests = recordRequests(page);
  await page.goto('?notebook=forecast-and-loyalty');
  await expect(cell(page, 'daily_backtest')).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
  const table = cell(page, 'daily_backtest');
  await expect(table.getByText('coverage_80', { exact: true })).toBeVisible();
  await expect(table.getByText('coverage_95', { exact: true })).toBeVisible();
  await table.scrollIntoViewIfNeeded();
  await table.screenshot({ path: 'test-results/forecast-backtest-coverage.png' });
});
