import { expect, test as base, type Locator, type Page } from '@playwright/test';

/**
 * Playwright's `test` for specs that load files as they are detected: every pick, drop or fetch of a file opens the
 * import sheet, which this confirms with "Import as detected" whenever it appears. tests/e2e/import-sheet.spec.ts
 * drives the sheet itself and uses Playwright's own `test`.
 */
export const test = base.extend({
  page: async ({ page }, use) => {
    await page.addLocatorHandler(page.getByTestId('import-sheet'), async (sheet) => {
      await sheet.getByTestId('sheet-import-detected').click();
    });
    await use(page);
  },
});

/** The only origin the app may talk to: the local preview server (no CDNs, no telemetry). */
export const APP_ORIGIN = `http://127.0.0.1:${process.env.AISLE_E2E_PORT ?? 4173}`;

/**
 * Record the URL of every request the page makes from now on. Call before `page.goto`.
 * Returns a live array that keeps growing as the page makes requests.
 */
export function recordRequests(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (request) => {
    urls.push(request.url());
  });
  return urls;
}

/**
 * Assert every URL is served from `origin`. `data:` and `blob:` URLs are in-page (no network) and
 * are skipped; a `blob:` URL minted by the app carries the app's origin anyway.
 */
export function expectSameOrigin(urls: readonly string[], origin: string = APP_ORIGIN): void {
  const foreign = urls.filter((url) => {
    if (url.startsWith('data:')) return false;
    if (url.startsWith('blob:')) return new URL(url.slice('blob:'.length)).origin !== origin;
    return new URL(url).origin !== origin;
  });
  expect(foreign, `requests to origins other than ${origin}`).toEqual([]);
}

/** A cell of the open notebook, by its name. */
export function cell(page: Page, name: string): Locator {
  return page.locator(`[data-testid="cell"][data-cell-name="${name}"]`);
}

/**
 * The open notebook's named cells as `name:status`, once none is queued or running: cells run side by side, so the
 * last cell of a notebook is not always the last to finish.
 */
export async function settledCells(page: Page, timeout = 60_000): Promise<string[]> {
  const read = () =>
    page.locator('[data-testid="cell"][data-cell-name]').evaluateAll((cells) => cells.map((c) => `${(c as HTMLElement).dataset.cellName}:${(c as HTMLElement).dataset.status}`));
  await expect.poll(async () => (await read()).filter((status) => /:(queued|running)$/.test(status)), { timeout }).toEqual([]);
  return read();
}

/** A table in the data panel, by its name. */
export function tableItem(page: Page, name: string): Locator {
  return page.locator(`[data-testid="table-item"][data-table="${name}"]`);
}

/** Add a SQL cell at the end, type the query and run it with Shift+Enter; returns the cell. */
export async function runNewCell(page: Page, sql: string): Promise<Locator> {
  await page.getByTestId('add-cell').click();
  // Shift+Enter on the last cell adds a new one below (as in Jupyter), so find this cell by its name.
  const name = await page.locator('[data-testid="cell"]').last().getAttribute('data-cell-name');
  const added = cell(page, name!);
  await added.locator('.cm-content').click();
  await page.keyboard.insertText(sql);
  await page.keyboard.press('Shift+Enter');
  return added;
}

/** Add a model cell at the end with this spec (typed into its spec editor, not run); returns its name. */
export async function addModel(page: Page, spec: object): Promise<string> {
  await page.getByTestId('add-model').click();
  const added = page.locator('[data-testid="cell"]').last();
  const name = (await added.getAttribute('data-cell-name'))!;
  await added.getByRole('button', { name: 'Edit spec' }).click();
  await added.locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(JSON.stringify(spec));
  return name;
}

/**
 * The value cells of a cell's result grid once every row in view has been fetched. A cell reports "done" before
 * its grid has paged in the rows (they show "…" meanwhile), so read values through this, not right after "done".
 */
export async function resultCells(scope: Locator): Promise<Locator> {
  const table = scope.getByTestId('result-table');
  await expect(table).toHaveAttribute('aria-busy', 'false');
  return table.locator('tbody tr:not(.spacer) td:not(.index)');
}

/** A cell's result grid as text, row by row, once every row in view has been fetched. */
export async function resultRows(scope: Locator): Promise<string[][]> {
  await resultCells(scope);
  const rows = await scope.getByTestId('result-table').locator('tbody tr:not(.spacer)').all();
  return Promise.all(rows.map(async (row) => (await row.locator('td:not(.index)').allInnerTexts()).map((text) => text.trim())));
}
