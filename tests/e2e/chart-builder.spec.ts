import { expect, test, type Locator, type Page } from '@playwright/test';
import { expectSameOrigin, recordRequests } from './helpers.ts';

let requests: string[] = [];
test.afterEach(() => expectSameOrigin(requests));

const SHOTS = 'test-results/screenshots';

function cell(page: Page, name: string) {
  return page.locator(`[data-testid="cell"][data-cell-name="${name}"]`);
}

async function openDemo(page: Page, slug: string, lastCell: string) {
  requests = recordRequests(page);
  await page.goto(`?notebook=${slug}`);
  await expect(cell(page, lastCell)).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
}

/** A new SQL cell at the end, renamed to `name` when given, running `sql`; returns its name. */
async function addSql(page: Page, sql: string, name?: string): Promise<string> {
  await page.getByTestId('add-cell').click();
  const added = page.locator('[data-testid="cell"]').last();
  if (name !== undefined) {
    await added.getByLabel('Cell name').fill(name);
    await added.getByLabel('Cell name').press('Enter');
    await expect(added).toHaveAttribute('data-cell-name', name);
  }
  const cellName = (await added.getAttribute('data-cell-name'))!;
  await added.locator('.cm-content').click();
  await page.keyboard.insertText(sql);
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(cell(page, cellName)).toHaveAttribute('data-status', 'done');
  return cellName;
}

/** Bar heights from left to right, as a multiple of `unit` times the first bar's height over `first`. */
async function heights(bars: Locator): Promise<number[]> {
  const placed = await bars.evaluateAll((rects) => rects.map((rect) => ({ x: Number(rect.getAttribute('x')), height: Number(rect.getAttribute('height')) })));
  return placed.sort((a, b) => a.x - b.x).map((bar) => bar.height);
}

/** Heights scaled so the first is `first`, to two decimals: comparable with sums worked out by hand. */
function scaled(values: readonly number[], first: number): number[] {
  return values.map((value) => Math.round((value / values[0]!) * first * 100) / 100);
}

test('+ Chart opens its builder on the last table made, draws it without Run, and redraws as fields change', async ({ page }) => {
  await openDemo(page, 'retail-tour', 'country_customers');
  // Seven rows by hand. Sums by region: North 1+5+7+2 = 15, South 4+2+3 = 9. By category: a 1+4+2 = 7, b 5,
  // c 2+7 = 9, d 3; rows by category: a 3, b 1, c 2, d 1.
  const table = await addSql(page, "SELECT * FROM (VALUES ('North', 'a', 1), ('North', 'b', 5), ('South', 'a', 4), ('South', 'c', 2), ('North', 'c', 7), ('South', 'd', 3), ('North', 'a', 2)) t(region, category, amount)");

  await page.getByTestId('add-chart').click();
  const chart = page.locator('[data-testid="cell"]').last();
  const form = chart.getByTestId('chart-form');
  await expect(form).toBeVisible();
  // Preselected: the table just made, its first text column, its measure summed.
  await expect(form.locator('[data-field="data"]')).toHaveValue(table);
  await expect(form.locator('[data-field="x"]')).toHaveValue('region');
  await expect(form.locator('[data-field="y"]')).toHaveValue('amount');
  await expect(form.locator('[data-field="aggregate"]')).toHaveValue('sum');
  // Drawn with no press of Run: one bar per region, North 15 against South 9.
  const bars = chart.locator('svg [aria-label="bar"] rect');
  await expect(bars).toHaveCount(2);
  const [north, south] = await heights(bars);
  expect(south! / north!).toBeCloseTo(9 / 15, 2);
  // In the theme's accent, not black.
  const colours = await chart.locator('svg [aria-label="bar"] rect').first().evaluate((rect) => {
    const probe = document.createElement('span');
    probe.style.color = 'var(--accent)';
    document.body.append(probe);
    const accent = getComputedStyle(probe).color;
    probe.remove();
    return { fill: getComputedStyle(rect).fill, accent };
  });
  expect(colours.fill).toBe(colours.accent);
  expect(colours.fill).not.toBe('rgb(0, 0, 0)');
  await chart.screenshot({ path: `${SHOTS}/chart-builder-new.png` });

  // Another x: four categories, the largest first: 9, 7, 5, 3.
  await form.locator('[data-field="x"]').selectOption('category');
  await expect(bars).toHaveCount(4);
  await expect.poll(async () => scaled(await heights(bars), 9)).toEqual([9, 7, 5, 3]);

  // Count rows instead: 3, 2, 1, 1 — and the count axis is ticked at whole numbers only.
  await form.locator('[data-field="aggregate"]').selectOption('count');
  await expect.poll(async () => scaled(await heights(bars), 3)).toEqual([3, 2, 1, 1]);
  const ticks = await chart.locator('svg [aria-label="y-axis tick label"] text').allTextContents();
  expect(ticks).toEqual(['0', '1', '2', '3']);

  // Another mark: a dot per category, drawn again without Run.
  await form.locator('[data-field="mark"]').selectOption('dot');
  await expect(chart.locator('svg [aria-label="dot"] circle')).toHaveCount(4);
  await expect(bars).toHaveCount(0);
  await chart.screenshot({ path: `${SHOTS}/chart-builder-dots.png` });
});

test('changes in quick succession run the chart once, on the last of them', async ({ page }) => {
  await openDemo(page, 'retail-tour', 'country_customers');
  await addSql(page, "SELECT * FROM (VALUES ('x', 'p', 1), ('y', 'q', 2), ('y', 'r', 3)) t(first, second, amount)");
  await page.getByTestId('add-chart').click();
  const chart = page.locator('[data-testid="cell"]').last();
  const name = (await chart.getAttribute('data-cell-name'))!;
  await expect(chart.locator('svg [aria-label="bar"] rect')).toHaveCount(2);
  await page.getByTestId('toggle-log').click();
  const runsOfChart = page.getByTestId('run-log').locator('tbody tr').filter({ has: page.locator('td:nth-child(2)', { hasText: new RegExp(`^${name}$`) }) });
  await expect(runsOfChart).toHaveCount(1);
  // Three changes in one go, well inside the pause: second, first, second.
  await chart.getByTestId('chart-form').locator('[data-field="x"]').evaluate((select: HTMLSelectElement) => {
    for (const column of ['second', 'first', 'second']) {
      select.value = column;
      select.dispatchEvent(new Event('change', { bubbles: true }));
    }
  });
  // One more run, of the last change: three groups of `second`.
  await expect(chart.locator('svg [aria-label="bar"] rect')).toHaveCount(3);
  await expect(chart).toHaveAttribute('data-status', 'done');
  await page.waitForTimeout(600);
  await expect(runsOfChart).toHaveCount(2);
});

test('a long table name is cut with an ellipsis in the data panel, and its row count stays whole', async ({ page }) => {
  await openDemo(page, 'retail-tour', 'country_customers');
  const name = 'monthly_revenue_by_country_and_product_category_2011';
  await addSql(page, 'SELECT range AS n FROM range(392690)', name);
  const item = page.locator(`[data-testid="table-item"][data-table="${name}"]`);
  const count = item.getByTestId('table-rows');
  await expect(count).toHaveText('392,690 rows');
  const boxes = await item.evaluate((li) => {
    const rect = (element: Element) => element.getBoundingClientRect();
    const count = li.querySelector('[data-testid="table-rows"]')!;
    const code = li.querySelector('code')!;
    return {
      item: rect(li).toJSON(),
      count: rect(count).toJSON(),
      countClipped: count.scrollWidth > count.clientWidth,
      code: rect(code).toJSON(),
      title: code.getAttribute('title'),
      nameCut: code.scrollWidth > code.clientWidth,
    };
  });
  // The count lies wholly inside the item, right of the name; the name is the one cut, and says itself on hover.
  expect(boxes.count.right).toBeLessThanOrEqual(boxes.item.right);
  expect(boxes.count.left).toBeGreaterThanOrEqual(boxes.code.right);
  expect(boxes.countClipped).toBe(false);
  expect(boxes.nameCut).toBe(true);
  expect(boxes.title).toBe(name);
  await item.scrollIntoViewIfNeeded();
  await page.getByTestId('data-panel').screenshot({ path: `${SHOTS}/data-panel-long-name.png` });
});

test("a cell's header shows its whole name, and a name too long for it is cut with the whole in a tooltip", async ({ page }) => {
  await openDemo(page, 'retail-tour', 'country_customers');
  const shown = async (cellName: string) =>
    cell(page, cellName).getByLabel('Cell name').evaluate((input: HTMLInputElement) => ({ whole: input.scrollWidth <= input.clientWidth, title: input.title }));
  // The demo's own names are shown whole (top_products_chart was cut at 16 characters).
  expect(await shown('top_products_chart')).toEqual({ whole: true, title: 'top_products_chart' });
  const long = 'revenue_by_country_and_month_for_returning_customers';
  await addSql(page, 'SELECT 1 AS n', long);
  expect(await shown(long)).toEqual({ whole: true, title: long });
  // The longest name a cell may have (64 characters, src/util/names.ts), in a window too narrow for it.
  const huge = `${'very_'.repeat(11)}long_name`;
  await page.setViewportSize({ width: 900, height: 800 });
  await addSql(page, 'SELECT 2 AS n', huge);
  // Too long for any header: cut, its tooltip whole, and Run still in the cell.
  expect(await shown(huge)).toEqual({ whole: false, title: huge });
  const frame = (await cell(page, huge).boundingBox())!;
  const run = (await cell(page, huge).getByTestId('run-cell').boundingBox())!;
  expect(run.x + run.width).toBeLessThanOrEqual(frame.x + frame.width);
  // Close the editor's completions, which would hide the header.
  await page.keyboard.press('Escape');
  await cell(page, huge).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/cell-names.png` });
});

test('app view spreads the dashboard over the page: the notebook takes the width, charts side by side', async ({ page }) => {
  test.setTimeout(120_000);
  requests = recordRequests(page);
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.goto('?notebook=retail-dashboard&mode=app');
  await expect(cell(page, 'top_products_by_revenue')).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
  const notebook = (await page.getByTestId('notebook').boundingBox())!;
  expect(notebook.width).toBeGreaterThanOrEqual(0.95 * 1600);
  // Two charts of one section share a row.
  const country = (await cell(page, 'revenue_by_country').boundingBox())!;
  const products = (await cell(page, 'top_products_by_revenue').boundingBox())!;
  expect(products.y).toBeCloseTo(country.y, 0);
  expect(products.x).toBeGreaterThan(country.x + country.width);
  await page.screenshot({ path: `${SHOTS}/app-view.png` });
});
