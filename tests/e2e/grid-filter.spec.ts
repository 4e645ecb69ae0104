import { expect, test, type Page } from '@playwright/test';
import { expectSameOrigin, recordRequests, resultRows } from './helpers.ts';

let requests: string[] = [];

test.afterEach(() => {
  expectSameOrigin(requests);
});

function cell(page: Page, name: string) {
  return page.locator(`[data-testid="cell"][data-cell-name="${name}"]`);
}

async function cellNames(page: Page): Promise<string[]> {
  return (await page.locator('[data-testid="cell"]').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-cell-name') ?? ''))).filter(Boolean);
}

/** Add a SQL cell at the end, run `sql` in it, and return the text of its first value. */
async function firstValueOf(page: Page, sql: string): Promise<string> {
  await page.getByTestId('add-cell').click();
  const name = await page.locator('[data-testid="cell"]').last().getAttribute('data-cell-name');
  await cell(page, name!).locator('.cm-content').click();
  await page.keyboard.insertText(sql);
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(cell(page, name!)).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  const first = cell(page, name!).getByTestId('result-table').locator('tbody tr:not(.spacer) td:not(.index)').first();
  // Rows are fetched after the cell is done: wait for the value, not the placeholder.
  await expect(first).toHaveText(/\d/);
  return (await first.textContent()) ?? '';
}

test('a result grid filtered by text and a numeric range counts what SQL counts, pages and sorts within it, and becomes a SQL cell', async ({ page }) => {
  requests = recordRequests(page);
  await page.goto('?notebook=welcome');
  const countries = cell(page, 'revenue_by_country');
  await expect(countries).toHaveAttribute('data-status', 'done', { timeout: 45_000 });
  const allRows = Number((await countries.getByTestId('row-count').textContent())!.replace(/\D/g, ''));

  // The expected count, written independently: ILIKE and BETWEEN rather than the filter's contains() and >=/<=.
  const expected = Number(
    await firstValueOf(page, `SELECT count(*) AS matching FROM revenue_by_country WHERE country ILIKE '%AN%' AND revenue BETWEEN 1000 AND 50000`),
  );
  expect(expected).toBeGreaterThan(0);
  expect(expected).toBeLessThan(allRows);

  await countries.getByTestId('grid-filter-toggle').click();
  await countries.getByLabel('country contains').fill('AN');
  await countries.getByLabel('revenue at least').fill('1000');
  await countries.getByLabel('revenue at most').fill('50000');
  await expect(countries.getByTestId('row-count')).toHaveText(`${expected} ${expected === 1 ? 'row' : 'rows'}`);
  await expect(countries.getByTestId('filtered-of')).toHaveText(`of ${allRows}`);
  const grid = countries.getByTestId('result-table');
  await expect(grid.locator('tbody tr:not(.spacer)')).toHaveCount(expected);
  // Read once every row in view is fetched (a row still being fetched shows "…").
  const rows = await resultRows(countries);
  expect(rows).toHaveLength(expected);
  for (const [name] of rows) expect(name!.toLowerCase()).toContain('an');

  // Sorting keeps the filter: ascending revenue starts at the smallest revenue that passes it.
  const smallest = Number(
    (await firstValueOf(page, `SELECT min(revenue) AS smallest FROM revenue_by_country WHERE country ILIKE '%an%' AND revenue BETWEEN 1000 AND 50000`)).replace(/,/g, ''),
  );
  await grid.getByTitle('Sort by revenue').click();
  const firstRevenue = grid.locator('tbody tr:not(.spacer)').first().locator('td').nth(2);
  // Polled: right after the click the first row can still show the unsorted value, or "…" while it is fetched.
  await expect.poll(async () => Number((await firstRevenue.textContent())!.replace(/,/g, ''))).toBe(smallest);
  await expect(countries.getByTestId('row-count')).toHaveText(`${expected} ${expected === 1 ? 'row' : 'rows'}`);

  await countries.screenshot({ path: 'test-results/grid-filter-light.png' });
  await page.getByTestId('theme').selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await countries.screenshot({ path: 'test-results/grid-filter-dark.png' });
  await page.getByTestId('theme').selectOption('light');

  // One click: a SQL cell below with the same rows.
  const before = await cellNames(page);
  await countries.getByTestId('filter-to-cell').click();
  await expect.poll(async () => (await cellNames(page)).length).toBe(before.length + 1);
  const after = await cellNames(page);
  const added = after[after.indexOf('revenue_by_country') + 1]!;
  expect(before).not.toContain(added);
  await expect(cell(page, added)).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  await expect(cell(page, added).getByTestId('row-count')).toHaveText(`${expected} ${expected === 1 ? 'row' : 'rows'}`);
  await expect(cell(page, added).locator('.cm-content')).toContainText('FROM "revenue_by_country"');

  // A quote in the text is a value, not SQL: no error, and the count is SQL's.
  await countries.getByLabel('country contains').fill("d'i");
  const quoted = Number(await firstValueOf(page, `SELECT count(*) AS matching FROM revenue_by_country WHERE country ILIKE '%d''i%' AND revenue BETWEEN 1000 AND 50000`));
  await expect(countries.getByTestId('row-count')).toHaveText(`${quoted} ${quoted === 1 ? 'row' : 'rows'}`);
  await expect(countries.getByTestId('filter-problem')).toHaveCount(0);
  await expect(page.getByTestId('notice-error')).toHaveCount(0);

  // A bound that is not a number is named, and the grid keeps the last filter that was valid.
  await countries.getByLabel('revenue at most').fill('lots');
  await expect(countries.getByTestId('filter-problem')).toHaveText('revenue max: "lots" is not a number');
});
