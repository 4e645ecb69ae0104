import { expect, test, type Page } from '@playwright/test';
import { addModel, cell, expectSameOrigin, recordRequests, settledCells } from './helpers.ts';

let requests: string[] = [];
test.afterEach(() => expectSameOrigin(requests));

test('the segmentation demo runs every cell, with no console errors', async ({ page }) => {
  requests = recordRequests(page);
  const errors: string[] = [];
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  await page.goto('?notebook=segmentation');
  await expect(cell(page, 'at_risk')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  const statuses = await settledCells(page);
  expect(statuses.filter((status) => !status.endsWith(':done'))).toEqual([]);
  await expect(cell(page, 'segment_profiles').getByTestId('row-count')).toHaveText('4 rows');
  // Profile comparison: 4 segments × 3 measures, one bar each.
  await expect(cell(page, 'segment_comparison_chart').locator('svg [aria-label="bar"] rect')).toHaveCount(12);

  // The 3-D view: one dot per customer, three axes; dragging turns it, and the dots move with it.
  const space = cell(page, 'segment_space_3d').getByTestId('chart');
  const customers = Number((await cell(page, 'segment_space').getByTestId('row-count').innerText()).replace(/\D/g, ''));
  await expect(space.locator('svg [aria-label="dot"] circle')).toHaveCount(customers);
  await expect(space.locator('svg [aria-label="link"] path')).toHaveCount(3);
  const positions = () => space.locator('svg [aria-label="dot"] circle').evaluateAll((dots) => dots.map((dot) => `${dot.getAttribute('cx')},${dot.getAttribute('cy')}`).sort().join(' '));
  const before = await positions();
  const viewBefore = await space.getAttribute('data-view');
  await space.scrollIntoViewIfNeeded();
  const box = (await space.boundingBox())!;
  // A point of the chart in view and below the notebook's sticky toolbar.
  const y = Math.min(Math.max(box.y + box.height / 2, 250), 500);
  await page.mouse.move(box.x + box.width / 2, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 120, y + 30, { steps: 6 });
  await page.mouse.up();
  await expect(space).not.toHaveAttribute('data-view', viewBefore!);
  expect(await positions()).not.toEqual(before);
  // By hand: 120 px right turns the yaw by 1.2 rad from the default -0.6; 30 px down tilts the pitch 0.3 from 0.35.
  await expect(space).toHaveAttribute('data-view', '0.60,0.65');
  await space.focus();
  await page.keyboard.press('ArrowLeft');
  await expect(space).toHaveAttribute('data-view', '0.45,0.65');
  await cell(page, 'segment_space_3d').getByTestId('reset-view').click();
  await expect(space).toHaveAttribute('data-view', viewBefore!);
  expect(await positions()).toEqual(before);
  expect(errors).toEqual([]);
});

test('K-Means and the elbow on the 541,909-row sample run off the main thread: no task blocks the page for 250 ms', async ({ page }) => {
  test.setTimeout(180_000);
  requests = recordRequests(page);
  await page.goto('');
  await expect(cell(page, 'revenue_by_country')).toHaveAttribute('data-status', 'done', { timeout: 45_000 });
  await page.getByText('Generate sample data').click();
  await page.getByTestId('gen-rows').fill('541909');
  await page.getByTestId('gen-submit').click();
  await expect(page.locator('[data-testid="table-item"][data-table="generated_clean"]')).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId('task')).toHaveCount(0, { timeout: 30_000 });

  const rfm = await addModel(page, { model: 'rfm', input: 'generated_clean' });
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(cell(page, rfm)).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  const rfmRows = await cell(page, rfm).getByTestId('row-count').innerText();
  expect(Number(rfmRows.replace(/\D/g, ''))).toBeGreaterThan(3000);

  // From here on, every long task on the main thread is recorded.
  await page.evaluate(() => {
    const target = window as unknown as { longTasks: number[] };
    target.longTasks = [];
    new PerformanceObserver((list) => list.getEntries().forEach((entry) => target.longTasks.push(entry.duration))).observe({ type: 'longtask' });
  });
  const features = ['recency_days', 'frequency', 'monetary'];
  const chooseK = await addModel(page, { model: 'choose_k', input: rfm, features, log1p: true, k_min: 2, k_max: 10 });
  await page.keyboard.press('ControlOrMeta+Enter');
  const segments = await addModel(page, { model: 'kmeans', input: rfm, features, log1p: true, k: 4, n_init: 10 });
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(cell(page, chooseK)).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
  await expect(cell(page, segments)).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
  await expect(cell(page, chooseK).getByTestId('row-count')).toHaveText('9 rows');
  const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
  // Run on the page, a model would block it for its whole run (choose_k fits K-Means ten times over). The bar is 250 ms, not 100: on a
  // 2-core machine, layout and garbage collection alone make 100–120 ms tasks about one run in four (measured here
  // with the models in their worker, on this code and on the code before this test's last change).
  expect(longTasks.filter((duration) => duration > 250)).toEqual([]);
});

test('a model cell can be cancelled while it runs', async ({ page }) => {
  requests = recordRequests(page);
  await page.goto('?notebook=segmentation');
  await expect(cell(page, 'at_risk')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  // Silhouette for every k on 50 restarts each takes seconds: long enough to cancel.
  const slow = await addModel(page, { model: 'choose_k', input: 'rfm', features: ['recency_days', 'frequency', 'monetary'], k_min: 2, k_max: 40, n_init: 50 });
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(cell(page, slow)).toHaveAttribute('data-status', 'running');
  await cell(page, slow).getByTestId('cancel-cell').click();
  await expect(cell(page, slow)).toHaveAttribute('data-status', 'stale');
  await expect(cell(page, slow).getByTestId('cell-error')).toHaveAttribute('data-kind', 'cancelled');
});

test('a misspelt spec key is refused before the model runs, and the form offers abc_analysis from the registry', async ({ page }) => {
  requests = recordRequests(page);
  await page.goto('?notebook=segmentation');
  await expect(cell(page, 'at_risk')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  const misspelt = await addModel(page, { model: 'pareto', input: 'rfm', top_shar: 0.2 });
  await page.keyboard.press('ControlOrMeta+Enter');
  const error = cell(page, misspelt).getByTestId('cell-error');
  await expect(error).toHaveAttribute('data-kind', 'invalid');
  await expect(error).toContainText('unknown key "top_shar" for model pareto (did you mean "top_share"?)');
  await cell(page, misspelt).screenshot({ path: 'test-results/model-spec-unknown-key.png' });

  const abc = await addModel(page, { model: 'abc_analysis', input: 'sales_clean' });
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(cell(page, abc)).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  const form = cell(page, abc).getByTestId('model-form');
  await expect(form.locator('[data-field="model"]')).toHaveValue('abc_analysis');
  await expect(form.locator('[data-field="a_share"]')).toBeVisible();
  await expect(form.getByText('A: share of revenue')).toBeVisible();
  await cell(page, abc).screenshot({ path: 'test-results/model-form-abc.png' });
});

test('the model form offers numeric feature columns only, and shows a clv spec saved with top-level columns in today\'s fields', async ({ page }) => {
  requests = recordRequests(page);
  await page.goto('');
  await expect(cell(page, 'revenue_by_country')).toHaveAttribute('data-status', 'done', { timeout: 45_000 });
  await page.getByTestId('add-cell').click();
  const sql = page.locator('[data-testid="cell"]').last();
  const mixed = (await sql.getAttribute('data-cell-name'))!;
  await sql.locator('.cm-content').click();
  await page.keyboard.insertText("SELECT 3::BIGINT AS orders, 2.5::DOUBLE AS share, INTERVAL 3 DAY AS gap, [1, 2] AS basket, 'x' AS label, 1.25::DECIMAL(6,2) AS spend");
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(cell(page, mixed)).toHaveAttribute('data-status', 'done');

  const kmeans = await addModel(page, { model: 'kmeans', input: mixed });
  const features = cell(page, kmeans).getByTestId('model-form').locator('[data-field="features"] option');
  await expect(features).toHaveText(['orders', 'share', 'spend']);

  const clv = await addModel(page, { model: 'clv', input: 'sales_clean', customer: 'customer_id', date: 'invoice_date', amount: 'amount', months: 6 });
  const form = cell(page, clv).getByTestId('model-form');
  await expect(form.locator('[data-field="columns.customer"]')).toHaveValue('customer_id');
  await expect(form.locator('[data-field="columns.date"]')).toHaveValue('invoice_date');
  await expect(form.locator('[data-field="columns.amount"]')).toHaveValue('amount');
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(cell(page, clv)).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  // Editing it in the form writes the spec in today's shape.
  await form.locator('[data-field="months"]').fill('12');
  await form.locator('[data-field="months"]').press('Enter');
  await expect(cell(page, clv).locator('.cm-content')).toContainText('"columns":{"customer":"customer_id","date":"invoice_date","amount":"amount"}');
  await cell(page, clv).screenshot({ path: 'test-results/model-form-clv-columns.png' });
});
