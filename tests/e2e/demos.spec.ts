import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { expectSameOrigin, recordRequests, settledCells } from './helpers.ts';

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
  const statuses = await settledCells(page);
  expect(statuses.filter((status) => !status.endsWith(':done'))).toEqual([]);
  await expect(cell(page, 'evaluation_table').getByTestId('row-count')).toHaveText('14 rows');
  await expect(cell(page, 'for_customer').getByTestId('row-count')).toHaveText('35 rows');
  // The rule network: a dot per product the layout placed, a label per hub network_labels chose.
  const count = async (name: string) => Number((await cell(page, name).locator('[data-testid="row-count"]').first().innerText()).replace(/\D/g, ''));
  await expect(cell(page, 'rules_network_chart').locator('svg [aria-label="dot"] circle')).toHaveCount(await count('rules_network'));
  const labels = cell(page, 'rules_network_chart').locator('svg [aria-label="text"] text');
  await expect(labels).toHaveCount(await count('network_labels'));
  // No two labels overlap on the page (boxes as drawn, in pixels).
  const boxes = await labels.evaluateAll((texts) => texts.map((text) => text.getBoundingClientRect().toJSON() as DOMRect));
  const overlapping = boxes.flatMap((a, i) => boxes.slice(i + 1).filter((b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom).map(() => i));
  await cell(page, 'rules_network_chart').screenshot({ path: 'test-results/screenshots/rules-network.png' });
  expect(overlapping).toEqual([]);
  // The recommendation grid: a cell per (recommender, product) of the 35 recommendations.
  await expect(cell(page, 'recommendations_chart').locator('svg [aria-label="cell"] rect')).toHaveCount(35);
  // ALS ran on the WebAssembly SIMD kernel: the models worker fetched it from the page's origin, and this Chromium compiles it.
  const kernel = requests.find((url) => /\/assets\/als-[\w-]+\.wasm$/.test(url));
  expect(kernel, 'the models worker fetches the ALS kernel').toBeDefined();
  expect(await page.evaluate(async (url) => WebAssembly.validate(new Uint8Array(await (await fetch(url)).arrayBuffer())), kernel!)).toBe(true);

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
  const statuses = await settledCells(page);
  expect(statuses.filter((status) => !status.endsWith(':done'))).toEqual([]);
  await expect(cell(page, 'monthly_revenue_and_forecast').getByTestId('row-count')).toHaveText('15 rows');
  await expect(cell(page, 'loyalty_models').getByTestId('row-count')).toHaveText('2 rows');
  // Time to repurchase: a median per market, and per market a band and a step line.
  await expect(cell(page, 'repurchase_medians').getByTestId('row-count')).toHaveText('2 rows');
  await expect(cell(page, 'repurchase_chart').locator('svg [aria-label="area"] path')).toHaveCount(2);
  await expect(cell(page, 'repurchase_chart').locator('svg [aria-label="line"] path')).toHaveCount(2);
  await cell(page, 'repurchase_chart').screenshot({ path: 'test-results/screenshots/time-to-repurchase.png' });
  // The calibration check: actual and expected holdout purchases for 8 frequency buckets, two lines of 8 dots.
  await expect(cell(page, 'calibration_vs_holdout').getByTestId('row-count')).toHaveText('16 rows');
  const calibrationChart = cell(page, 'calibration_vs_holdout_chart');
  await expect(calibrationChart.locator('svg [aria-label="line"] path')).toHaveCount(2);
  await expect(calibrationChart.locator('svg [aria-label="dot"] circle')).toHaveCount(16);
  await calibrationChart.scrollIntoViewIfNeeded();
  await calibrationChart.screenshot({ path: 'test-results/clv-calibration-vs-holdout.png' });
  expect(errors).toEqual([]);
});

test('the dashboard draws the ABC–XYZ grid and the most and least price-elastic products with their intervals', async ({ page }) => {
  requests = recordRequests(page);
  await page.goto('?notebook=retail-dashboard');
  await expect(cell(page, 'elasticity_chart')).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
  await expect(cell(page, 'abc_xyz_chart')).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  // One square and one count per (ABC, XYZ) pair the products fall in.
  const pairs = Number((await cell(page, 'abc_xyz_matrix').getByTestId('row-count').innerText()).replace(/\D/g, ''));
  expect(pairs).toBeGreaterThan(3);
  await expect(cell(page, 'abc_xyz_chart').locator('svg [aria-label="cell"] rect')).toHaveCount(pairs);
  await expect(cell(page, 'abc_xyz_chart').locator('svg [aria-label="text"] text')).toHaveCount(pairs);
  // Eight most and eight least elastic: a dot and an interval each.
  await expect(cell(page, 'elasticity_extremes').getByTestId('row-count')).toHaveText('16 rows');
  await expect(cell(page, 'elasticity_chart').locator('svg [aria-label="dot"] circle')).toHaveCount(16);
  await expect(cell(page, 'elasticity_chart').locator('svg [aria-label="rule"] line')).toHaveCount(16);
  await cell(page, 'abc_xyz_chart').screenshot({ path: 'test-results/screenshots/abc-xyz.png' });
  await cell(page, 'elasticity_chart').screenshot({ path: 'test-results/screenshots/price-elasticity.png' });
});

test('a chart cell draws one bar per group DuckDB summed, with heights as computed by hand', async ({ page }) => {
  requests = recordRequests(page);
  await page.goto('?notebook=retail-tour');
  await expect(cell(page, 'top_products_chart')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  // The demo's charts are drawn: 10 top products → 10 bars.
  await expect(cell(page, 'top_products_chart').locator('svg [aria-label="bar"] rect')).toHaveCount(10);

  // A small known table: three categories; the chart sums 5 rows into 3 bars (a 6, b 4, c 9).
  await page.getByTestId('add-cell').click();
  const sql = page.locator('[data-testid="cell"]').last();
  const table = (await sql.getAttribute('data-cell-name'))!;
  await sql.locator('.cm-content').click();
  await page.keyboard.insertText("SELECT * FROM (VALUES ('a', 1), ('a', 5), ('b', 4), ('c', 2), ('c', 7)) t(category, amount)");
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(sql).toHaveAttribute('data-status', 'done');
  // The chart builder writes the spec: data, mark, x, y and a sum — no spec typed by hand.
  await page.getByTestId('add-chart').click();
  const chart = page.locator('[data-testid="cell"]').last();
  // A new chart opens its builder.
  const form = chart.getByTestId('chart-form');
  await form.locator('[data-field="data"]').selectOption(table);
  await form.locator('[data-field="mark"]').selectOption('barY');
  await form.locator('[data-field="x"]').selectOption('category');
  await form.locator('[data-field="y"]').selectOption('amount');
  await form.locator('[data-field="aggregate"]').selectOption('sum');
  await chart.getByTestId('run-cell').click();
  await expect(chart).toHaveAttribute('data-status', 'done');
  const bars = chart.locator('svg [aria-label="bar"] rect');
  await expect(bars).toHaveCount(3);
  // Bar heights are proportional to the sums 6, 4, 9 (by hand).
  const heights = await bars.evaluateAll((rects) => rects.map((rect) => Number(rect.getAttribute('height'))));
  expect(heights[0]! / heights[2]!).toBeCloseTo(6 / 9, 2);
  expect(heights[1]! / heights[2]!).toBeCloseTo(4 / 9, 2);
  await expect(chart.getByTestId('download-svg')).toBeVisible();
});

test('the theme switch turns the page, the editors and the charts dark, is remembered, and turns them back', async ({ page }) => {
  requests = recordRequests(page);
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('?notebook=retail-tour');
  const chart = cell(page, 'top_products_chart');
  await expect(chart).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  // Relative luminance (0 black … 1 white) of what the reader sees: the page, an editor, the chart's axis text.
  const luminance = () =>
    page.evaluate(() => {
      const of = (css: string) => {
        const [r, g, b] = css.match(/[\d.]+/g)!.map(Number).map((v) => v / 255);
        return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
      };
      const chartSvg = document.querySelector('[data-cell-name="top_products_chart"] svg[class^="plot"]') ?? document.querySelector('[data-cell-name="top_products_chart"] svg')!;
      return {
        page: of(getComputedStyle(document.documentElement).backgroundColor),
        editor: of(getComputedStyle(document.querySelector('.cm-editor')!).backgroundColor),
        chartText: of(getComputedStyle(chartSvg).color),
      };
    });
  const light = await luminance();
  expect(light.page).toBeGreaterThan(0.8);
  expect(light.editor).toBeGreaterThan(0.8);
  expect(light.chartText).toBeLessThan(0.2);

  await page.getByTestId('theme').selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  const dark = await luminance();
  expect(dark.page).toBeLessThan(0.15);
  expect(dark.editor).toBeLessThan(0.15);
  expect(dark.chartText).toBeGreaterThan(0.7);
  await expect(chart.locator('svg [aria-label="bar"] rect')).toHaveCount(10);

  // A reader's choice, kept in this browser: still dark after a reload, although the system is light.
  await page.reload();
  await expect(cell(page, 'top_products_chart')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.getByTestId('theme')).toHaveValue('dark');

  // "System" follows the system's scheme as it changes.
  await page.getByTestId('theme').selectOption('system');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.getByTestId('theme').selectOption('light');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  expect((await luminance()).chartText).toBeLessThan(0.2);
});

test('app mode from the URL shows outputs and inputs only; Edit brings the sources back', async ({ page }) => {
  requests = recordRequests(page);
  await page.goto('?notebook=retail-tour&mode=app');
  await expect(cell(page, 'top_products_chart')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await expect(cell(page, 'top_products_chart').locator('svg').first()).toBeVisible();
  await expect(page.locator('.cm-editor')).toHaveCount(0);
  await expect(page.getByTestId('add-cell')).toHaveCount(0);
  await expect(page.locator('[data-testid="cell"] header')).toHaveCount(0);
  // Inputs stay usable: the slider re-runs what reads it.
  await expect(cell(page, 'top_n').getByRole('slider')).toBeVisible();
  await expect(cell(page, 'top_products').getByTestId('row-count')).toHaveText('10 rows');
  await page.getByTestId('toggle-app').click();
  await expect(page.locator('.cm-editor').first()).toBeVisible();
  await expect(page.getByTestId('add-cell')).toBeVisible();
});

test('the HTML report holds every chart as SVG, refers to nothing outside itself, and opens offline from a file', async ({ page, browser }, testInfo) => {
  requests = recordRequests(page);
  await page.goto('?notebook=retail-tour');
  await expect(cell(page, 'country_customers')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await expect(cell(page, 'top_products_chart').locator('svg').first()).toBeVisible();
  await page.getByTestId('export-open').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-report').click()]);
  expect(download.suggestedFilename()).toBe('retail-tour-report.html');
  const file = testInfo.outputPath('report.html');
  await download.saveAs(file);
  const html = readFileSync(file, 'utf8');
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:|\/\/)/i);
  expect(html).toContain('<title>Retail tour</title>');

  // Offline, from file://: both charts are there as SVG with their bars, and the tables with their rows.
  const offline = await browser.newContext({ offline: true });
  const reader = await offline.newPage();
  const outside: string[] = [];
  reader.on('request', (request) => !request.url().startsWith('file:') && outside.push(request.url()));
  await reader.goto(pathToFileURL(file).href);
  await expect(reader.locator('.chart svg [aria-label="bar"]')).toHaveCount(2);
  await expect(reader.locator('.chart').nth(1).locator('svg [aria-label="bar"] rect')).toHaveCount(10);
  await expect(reader.getByRole('heading', { name: 'top_products', exact: true })).toBeVisible();
  await reader.screenshot({ path: testInfo.outputPath('report.png'), fullPage: true });
  expect(outside).toEqual([]);
  await offline.close();
});

for (const [slug, last] of [['welcome', 'revenue_by_country'], ['retail-tour', 'country_customers'], ['retail-dashboard', 'cohort_heatmap']] as const) {
  test(`the ${slug} demo runs every cell with no console errors, and draws its charts`, async ({ page }) => {
    requests = recordRequests(page);
    const errors: string[] = [];
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`?notebook=${slug}`);
    await expect(cell(page, last)).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
    const statuses = await settledCells(page);
    expect(statuses.filter((status) => !status.endsWith(':done'))).toEqual([]);
    // Every chart cell drew an SVG and reported no problem.
    const charts = page.locator('[data-testid="chart"]');
    for (let i = 0; i < (await charts.count()); i++) await expect(charts.nth(i).locator('svg').first()).toBeVisible();
    await expect(page.getByTestId('chart-error')).toHaveCount(0);
    expect(errors).toEqual([]);
  });
}
