import { expect, test, type Page } from '@playwright/test';
import { expectSameOrigin, recordRequests } from './helpers.ts';

let requests: string[] = [];

test.afterEach(() => {
  expectSameOrigin(requests);
});

function cell(page: Page, name: string) {
  return page.locator(`[data-testid="cell"][data-cell-name="${name}"]`);
}

/** The row count the data panel shows for a table. */
function panelRows(page: Page, table: string) {
  return page.getByTestId('table-list').locator(`[data-testid="table-item"][data-table="${table}"]`).getByTestId('table-rows');
}

/** Add a SQL cell at the end with `sql` in it and run it; its name. */
async function addSqlCell(page: Page, sql: string): Promise<string> {
  await page.getByTestId('add-cell').click();
  const last = page.locator('[data-testid="cell"]').last();
  const name = (await last.getAttribute('data-cell-name'))!;
  await last.locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(sql);
  await page.keyboard.press('ControlOrMeta+Enter');
  return name;
}

test('a cell cannot drop or take the name of loaded data; the panel keeps the true row count', async ({ page }) => {
  requests = recordRequests(page);
  await page.goto('?notebook=welcome');
  await expect(cell(page, 'revenue_by_country')).toHaveAttribute('data-status', 'done', { timeout: 45_000 });
  await expect(panelRows(page, 'sales')).toHaveText('50,000 rows');

  const wipe = await addSqlCell(page, 'DROP TABLE IF EXISTS sales CASCADE');
  await expect(cell(page, wipe)).toHaveAttribute('data-status', 'error');
  await expect(cell(page, wipe).getByTestId('cell-error')).toContainText(
    '"sales" is loaded data and cannot be changed by a cell (DROP TABLE); write the result to a new table instead',
  );
  const total = await addSqlCell(page, 'SELECT count(*) AS n FROM sales');
  await expect(cell(page, total)).toHaveAttribute('data-status', 'done');
  await expect(cell(page, total).getByTestId('result-table').locator('tbody tr:not(.spacer) td:not(.index)').first()).toHaveText(/^50,?000$/);
  await expect(panelRows(page, 'sales')).toHaveText('50,000 rows');

  const impostor = await addSqlCell(page, 'SELECT 1 AS one');
  await expect(cell(page, impostor)).toHaveAttribute('data-status', 'done');
  await cell(page, impostor).getByLabel('Cell name').fill('sales');
  await cell(page, impostor).getByLabel('Cell name').press('Enter');
  await cell(page, 'sales').getByTestId('run-cell').click();
  await expect(cell(page, 'sales')).toHaveAttribute('data-status', 'error');
  await expect(cell(page, 'sales').getByTestId('cell-error')).toHaveText(/"sales" is the name of loaded data; give this cell another name/);
  await expect(panelRows(page, 'sales')).toHaveText('50,000 rows');
  // The other cells still read the data, not the impostor.
  await cell(page, total).getByTestId('run-cell').click();
  await expect(cell(page, total).getByTestId('result-table').locator('tbody tr:not(.spacer) td:not(.index)').first()).toHaveText(/^50,?000$/);
  await page.screenshot({ path: 'test-results/data-protection.png', fullPage: false });
});

test('another notebook’s results are not listed as data, and leave with their notebook', async ({ page }) => {
  requests = recordRequests(page);
  await page.goto('?notebook=welcome');
  await expect(cell(page, 'top_customers')).toHaveAttribute('data-status', 'done', { timeout: 45_000 });
  await expect(page.getByTestId('result-list').locator('[data-table="top_customers"]')).toHaveCount(1);
  await page.getByTestId('open-start').click();
  await page.getByTestId('demo-retail-tour').click();
  await expect(cell(page, 'country_customers')).toHaveAttribute('data-status', 'done', { timeout: 45_000 });
  await expect(page.getByTestId('table-list').locator('[data-testid="table-item"]')).not.toHaveCount(0);
  const listed = await page.locator('[data-testid="table-item"]').evaluateAll((items) => items.map((item) => item.getAttribute('data-table')));
  expect(listed).not.toContain('top_customers');
  const data = await page.getByTestId('table-list').locator('[data-testid="table-item"]').evaluateAll((items) => items.map((item) => item.getAttribute('data-table')));
  expect(data.sort()).toEqual(['sales', 'sales_canonical', 'sales_clean']);
  await expect(page.getByTestId('result-list').locator('[data-table="kpis"]')).toHaveCount(1);
  await page.screenshot({ path: 'test-results/data-panel-after-switch.png', fullPage: false });
});
