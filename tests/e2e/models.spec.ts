import { expect, test, type Page } from '@playwright/test';
import { expectSameOrigin, recordRequests } from './helpers.ts';

let requests: string[] = [];
test.afterEach(() => expectSameOrigin(requests));

function cell(page: Page, name: string) {
  return page.locator(`[data-testid="cell"][data-cell-name="${name}"]`);
}

/** Add a model cell at the end with this spec; returns its name. */
async function addModel(page: Page, spec: object): Promise<string> {
  await page.getByTestId('add-model').click();
  const added = page.locator('[data-testid="cell"]').last();
  const name = (await added.getAttribute('data-cell-name'))!;
  await added.getByRole('button', { name: 'Edit spec' }).click();
  await added.locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(JSON.stringify(spec));
  return name;
}

test('the segmentation demo runs every cell, with no console errors', async ({ page }) => {
  requests = recordRequests(page);
  const errors: string[] = [];
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  await page.goto('?notebook=segmentation');
  await expect(cell(page, 'at_risk')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  const statuses = await page.locator('[data-testid="cell"][data-cell-name]').evaluateAll((cells) => cells.map((c) => (c as HTMLElement).dataset.status));
  expect(statuses.every((status) => status === 'done')).toBe(true);
  await expect(cell(page, 'segment_profiles').getByTestId('row-count')).toHaveText('4 rows');
  expect(errors).toEqual([]);
});

test('K-Means and the elbow on the 541,909-row sample never block the page for over 100 ms', async ({ page }) => {
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
  expect(longTasks.filter((duration) => duration > 100)).toEqual([]);
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
