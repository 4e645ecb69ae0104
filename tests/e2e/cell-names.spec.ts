import { expect, test, type Page } from '@playwright/test';
import { expectSameOrigin, recordRequests } from './helpers.ts';

let requests: string[] = [];

test.afterEach(() => {
  expectSameOrigin(requests);
});

function cell(page: Page, name: string) {
  return page.locator(`[data-testid="cell"][data-cell-name="${name}"]`);
}

test('a name the rule refuses is explained as it is typed, never applied, and the notebook still opens after a reload', async ({ page }) => {
  requests = recordRequests(page);
  await page.goto('?notebook=welcome');
  await expect(cell(page, 'revenue_by_country')).toHaveAttribute('data-status', 'done', { timeout: 45_000 });
  const field = cell(page, 'top_customers').getByLabel('Cell name');

  await field.fill('1st-query');
  await expect(cell(page, 'top_customers').getByTestId('name-problem')).toHaveText('a name cannot start with a digit ("1")');
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await field.press('Enter');
  await expect(cell(page, 'top_customers').getByTestId('name-problem')).toHaveText('"1st-query" was not applied: a name cannot start with a digit ("1")');
  await expect(field).toHaveValue('top_customers');
  await cell(page, 'top_customers').screenshot({ path: 'test-results/cell-names-refused.png' });

  await field.fill('my query');
  await field.press('Tab');
  await expect(cell(page, 'top_customers').getByTestId('name-problem')).toContainText('not a space');
  await field.fill('monthly_revenue');
  await expect(cell(page, 'top_customers').getByTestId('name-problem')).toHaveText('another cell is already named "monthly_revenue"');
  await field.press('Escape');
  await expect(cell(page, 'top_customers').getByTestId('name-problem')).toHaveCount(0);

  await field.fill('1st-query');
  await field.press('Enter');
  await page.waitForTimeout(1500);
  await page.reload();
  await expect(cell(page, 'top_customers')).toHaveAttribute('data-status', 'done', { timeout: 45_000 });
  await expect(page.getByTestId('notice-error')).toHaveCount(0);
  await expect(page.locator('[data-testid="cell"][data-cell-name="1st-query"]')).toHaveCount(0);

  // A valid name is applied, and kept across a reload.
  await field.fill('best_customers');
  await field.press('Enter');
  await expect(cell(page, 'best_customers')).toBeVisible();
  await page.waitForTimeout(1500);
  await page.reload();
  await expect(cell(page, 'best_customers')).toHaveAttribute('data-status', 'done', { timeout: 45_000 });
});

test('a notebook file with a bad cell name opens with that cell marked, the rest runs, and it opens again after a reload', async ({ page }) => {
  requests = recordRequests(page);
  await page.goto('');
  await expect(page.getByTestId('engine-status')).toContainText('DuckDB-WASM', { timeout: 30_000 });
  const damaged = [
    '---',
    'aisle: 1',
    'title: Damaged names',
    '---',
    '',
    '```sql first_query',
    'SELECT 21 AS n',
    '```',
    '',
    '```sql 1st-query',
    'SELECT n FROM first_query',
    '```',
    '',
    '```sql doubled',
    'SELECT n * 2 AS twice FROM first_query',
    '```',
    '',
  ].join('\n');
  await page.getByTestId('open-start').click();
  await page.getByTestId('import-input').setInputFiles({ name: 'damaged.md', mimeType: 'text/markdown', buffer: Buffer.from(damaged) });
  // A notebook from a file waits for the user's Run (tests/e2e/untrusted-notebook.spec.ts); after that it runs on open.
  await page.getByTestId('run-untrusted').click();

  const check = async () => {
    await expect(cell(page, 'doubled')).toHaveAttribute('data-status', 'done', { timeout: 45_000 });
    await expect(cell(page, 'doubled').getByTestId('result-table').locator('tbody tr:not(.spacer) td:not(.index)').first()).toHaveText('42');
    const bad = cell(page, '1st-query');
    await expect(bad).toHaveAttribute('data-status', 'error');
    await expect(bad.getByTestId('cell-error')).toContainText(`this cell's name "1st-query" is not valid: a name cannot start with a digit ("1"); rename it`);
    await expect(bad.locator('.cm-content')).toHaveText('SELECT n FROM first_query');
  };
  await check();
  await expect(page.getByTestId('notice-error')).toContainText('line 10');
  await page.screenshot({ path: 'test-results/cell-names-damaged.png' });

  // The autosaved copy keeps the damaged cell as it was; after a reload it opens the same way.
  await page.waitForTimeout(1500);
  await page.reload();
  await check();

  // Renaming the marked cell to a valid name clears the mark.
  await cell(page, '1st-query').getByLabel('Cell name').fill('first_copy');
  await cell(page, '1st-query').getByLabel('Cell name').press('Enter');
  await cell(page, 'first_copy').getByTestId('run-cell').click();
  await expect(cell(page, 'first_copy')).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
});
