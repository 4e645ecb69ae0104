import { expect, test, type Locator, type Page } from '@playwright/test';
import { expectSameOrigin, recordRequests } from './helpers.ts';

let requests: string[] = [];
test.afterEach(() => expectSameOrigin(requests));

function cell(page: Page, name: string) {
  return page.locator(`[data-testid="cell"][data-cell-name="${name}"]`);
}

/** Command mode on a cell: click its header label (the frame takes the focus), then press a key. */
async function press(target: Locator, key: string) {
  await target.locator('header .kind').click();
  await expect(target).toBeFocused();
  await target.page().keyboard.press(key);
}

test('each kind of cell opens its source its own way on Enter, and Escape leaves it for the cell', async ({ page }) => {
  requests = recordRequests(page);
  await page.goto('?notebook=forecast-and-loyalty');
  // The notebook shows once DuckDB has started, which takes longer than an expect's 5 s on a busy machine.
  await expect(page.getByTestId('engine-status')).toContainText('DuckDB-WASM', { timeout: 30_000 });
  const markdown = page.locator('[data-testid="cell"][data-kind="markdown"]').nth(1);
  await expect(markdown.getByTestId('markdown-view')).toContainText('weekly season');

  // Markdown: Enter opens its text, Escape renders it again; a double click opens it, Shift+Enter renders it
  // and moves to the next cell; Edit and Done do the same from the header.
  await press(markdown, 'Enter');
  await expect(markdown.getByLabel('Markdown', { exact: true })).toBeFocused();
  await expect(markdown.getByRole('button', { name: 'Done' })).toBeVisible();
  await expect(markdown.getByTestId('markdown-view')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(markdown.getByTestId('markdown-view')).toBeVisible();
  await expect(markdown).toBeFocused();
  await markdown.getByTestId('markdown-view').dblclick();
  await expect(markdown.getByLabel('Markdown', { exact: true })).toBeFocused();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.insertText('\n\nChecked **by hand**.');
  await page.keyboard.press('Shift+Enter');
  await expect(markdown.getByTestId('markdown-view').locator('strong')).toHaveText('by hand');
  await expect(cell(page, 'daily_forecast')).toBeFocused();
  await expect(cell(page, 'daily_forecast')).toHaveClass(/selected/);
  await markdown.getByRole('button', { name: 'Edit' }).click();
  await expect(markdown.getByLabel('Markdown', { exact: true })).toBeFocused();
  await markdown.getByRole('button', { name: 'Done' }).click();
  await expect(markdown.getByTestId('markdown-view')).toContainText('Checked by hand.');

  // SQL: Enter focuses its editor, which is always open.
  const sql = cell(page, 'complete_months');
  await press(sql, 'Enter');
  await expect(sql.getByLabel('SQL of cell complete_months')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(sql).toBeFocused();

  // Model: its form is always there; Enter opens and focuses the spec, which stays open after Escape.
  const model = cell(page, 'monthly_forecast');
  await expect(model.getByLabel('Spec of cell monthly_forecast')).toHaveCount(0);
  await expect(model.getByRole('button', { name: 'Edit spec' })).toBeVisible();
  await press(model, 'Enter');
  await expect(model.getByLabel('Spec of cell monthly_forecast')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(model).toBeFocused();
  await expect(model.getByRole('button', { name: 'Hide spec' })).toBeVisible();
  await model.getByRole('button', { name: 'Hide spec' }).click();
  await expect(model.getByLabel('Spec of cell monthly_forecast')).toHaveCount(0);

  // Chart: Enter opens its builder with the spec; Hide spec closes both.
  const chart = cell(page, 'monthly_forecast_chart');
  const builder = chart.getByTestId('chart-form').or(chart.getByText('This chart has several marks'));
  await expect(builder).toHaveCount(0);
  await press(chart, 'Enter');
  await expect(chart.getByLabel('Spec of cell monthly_forecast_chart')).toBeFocused();
  await expect(builder).toBeVisible();
  await chart.getByRole('button', { name: 'Hide spec' }).click();
  await expect(builder).toHaveCount(0);
  await expect(chart.getByLabel('Spec of cell monthly_forecast_chart')).toHaveCount(0);

  // Input: its control stays; Enter opens the spec below it.
  const input = cell(page, 'customer');
  await expect(input.getByLabel('Spec of cell customer')).toHaveCount(0);
  await press(input, 'Enter');
  await expect(input.getByLabel('Spec of cell customer')).toBeFocused();
  await expect(input.getByText('Customer', { exact: true })).toBeVisible();
});
