import { expect, type Page } from '@playwright/test';
import { expectSameOrigin, recordRequests, test } from './helpers.ts';
import { UCI_CSV } from './fixtures.ts';

let requests: string[] = [];

test.afterEach(() => {
  expectSameOrigin(requests);
});

function cell(page: Page, name: string) {
  return page.locator(`[data-testid="cell"][data-cell-name="${name}"]`);
}

async function openDemo(page: Page, slug: string, lastCell: string) {
  requests = recordRequests(page);
  await page.goto(`?notebook=${slug}`);
  await expect(cell(page, lastCell)).toHaveAttribute('data-status', 'done', { timeout: 45_000 });
}

/** Replace a cell's SQL and run it with Ctrl+Enter. */
async function setSql(page: Page, name: string, sql: string) {
  await cell(page, name).locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(sql);
  await page.keyboard.press('ControlOrMeta+Enter');
}

/** The text of the first data cell of a cell's result table. */
function firstValue(page: Page, name: string) {
  return cell(page, name).getByTestId('result-table').locator('tbody tr:not(.spacer) td:not(.index)').first();
}

/** Run-log rows as "cell status", oldest first. */
async function runLog(page: Page): Promise<string[]> {
  if ((await page.getByTestId('run-log').count()) === 0) await page.getByTestId('toggle-log').click();
  const rows = await page.getByTestId('run-log').locator('tbody tr').all();
  const lines = await Promise.all(rows.map(async (row) => `${await row.locator('td').nth(1).innerText()} ${await row.locator('td').nth(3).innerText()}`));
  return lines.reverse();
}

test('editing an upstream SQL cell re-runs the cells downstream of it', async ({ page }) => {
  await openDemo(page, 'retail-tour', 'country_customers');
  await page.getByTestId('add-cell').click();
  const upstream = await page.locator('[data-testid="cell"]').last().getAttribute('data-cell-name');
  await setSql(page, upstream!, 'SELECT 5 AS n');
  await page.getByTestId('add-cell').click();
  const downstream = await page.locator('[data-testid="cell"]').last().getAttribute('data-cell-name');
  await setSql(page, downstream!, `SELECT n * 2 AS twice FROM ${upstream}`);
  await expect(firstValue(page, downstream!)).toHaveText('10');
  await setSql(page, upstream!, 'SELECT 21 AS n');
  // Only the edited cell was run by hand; its dependent follows by itself.
  await expect(firstValue(page, downstream!)).toHaveText('42');
});

test('moving a slider re-runs only the cells that read it', async ({ page }) => {
  await openDemo(page, 'retail-tour', 'country_customers');
  await expect(cell(page, 'top_products').getByTestId('row-count')).toHaveText('10 rows');
  const before = (await runLog(page)).length;
  const slider = cell(page, 'top_n').locator('input[type="range"]');
  await slider.fill('25');
  await expect(cell(page, 'top_products').getByTestId('row-count')).toHaveText('25 rows');
  // The slider's readers and what reads them (the chart of the top products), nothing else.
  await expect.poll(async () => (await runLog(page)).slice(before)).toEqual(['top_n done', 'top_products done', 'top_products_chart done']);
  await expect(cell(page, 'top_products_chart').locator('svg [aria-label="bar"] rect')).toHaveCount(25);
});

test('an input shows the value its readers use: after a drag, arrow keys, and a reload', async ({ page }) => {
  await openDemo(page, 'retail-tour', 'country_customers');
  const slider = cell(page, 'top_n').locator('input[type="range"]');
  const label = cell(page, 'top_n').getByTestId('input-value');
  await slider.fill('30');
  await expect(cell(page, 'top_products').getByTestId('row-count')).toHaveText('30 rows');
  await expect(label).toHaveText('30');
  await expect(slider).toHaveValue('30');
  // Step 5 (retail-tour.md): two presses right from 30 is 40.
  await slider.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(cell(page, 'top_products').getByTestId('row-count')).toHaveText('40 rows');
  await expect(label).toHaveText('40');
  await expect(slider).toHaveValue('40');
  const select = cell(page, 'country').locator('select');
  await select.selectOption('Germany');
  await expect(cell(page, 'country_customers')).toHaveAttribute('data-status', 'done');
  await expect(select).toHaveValue('Germany');
  await expect(page.getByTestId('save-state')).toHaveText('Saved');
  await page.reload();
  await expect(cell(page, 'country_customers')).toHaveAttribute('data-status', 'done', { timeout: 45_000 });
  await expect(label).toHaveText('40');
  await expect(select).toHaveValue('Germany');
});

test('a select fed by a query drives another cell', async ({ page }) => {
  await openDemo(page, 'retail-tour', 'country_customers');
  const select = cell(page, 'country').locator('select');
  await expect(select).toHaveValue('France');
  await select.selectOption('Germany');
  await expect(cell(page, 'country_customers')).toHaveAttribute('data-status', 'done');
  // Bound as a parameter: a value with quotes and SQL in it stays data.
  await page.getByTestId('add-input').click();
  const text = await page.locator('[data-testid="cell"]').last().getAttribute('data-cell-name');
  await page.locator('[data-testid="cell"]').last().getByRole('button', { name: 'Edit spec' }).click();
  await page.locator('[data-testid="cell"]').last().locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(`{ "input": "text", "value": "'; DROP TABLE sales; --" }`);
  await page.keyboard.press('ControlOrMeta+Enter');
  await page.getByTestId('add-cell').click();
  const echo = await page.locator('[data-testid="cell"]').last().getAttribute('data-cell-name');
  await setSql(page, echo!, `SELECT $${text} AS said, (SELECT count(*) FROM sales) AS rows_left`);
  await expect(firstValue(page, echo!)).toHaveText("'; DROP TABLE sales; --");
  await expect(cell(page, echo!).getByTestId('result-table').locator('tbody tr:not(.spacer) td:not(.index)').nth(1)).toHaveText('50,000');
});

test('replacing the data re-runs what reads its cleaned table, not only what reads the table itself', async ({ page }) => {
  await openDemo(page, 'welcome', 'revenue_by_country');
  const before = await cell(page, 'revenue_by_country').getByTestId('row-count').innerText();
  expect(Number(before.replace(/\D/g, ''))).toBeGreaterThan(1);
  // A new sales.csv replaces the table `sales`; the welcome notebook reads sales_clean, rebuilt from it.
  await page.getByTestId('file-input').setInputFiles({ name: 'sales.csv', mimeType: 'text/csv', buffer: Buffer.from(UCI_CSV) });
  // By hand: the file's only country is the United Kingdom.
  await expect(cell(page, 'revenue_by_country').getByTestId('row-count')).toHaveText('1 row', { timeout: 30_000 });
  await expect(firstValue(page, 'revenue_by_country')).toHaveText('United Kingdom');
});

test('a reload restores the notebook, its inputs and loaded data', async ({ page }) => {
  await openDemo(page, 'retail-tour', 'country_customers');
  await cell(page, 'top_n').locator('input[type="range"]').fill('15');
  await expect(cell(page, 'top_products').getByTestId('row-count')).toHaveText('15 rows');
  await setSql(page, 'kpis', 'SELECT 123 AS kept_after_reload');
  await page.getByTestId('file-input').setInputFiles({ name: 'extra.csv', mimeType: 'text/csv', buffer: Buffer.from('k,v\na,1\nb,2\n') });
  await expect(page.locator('[data-testid="table-item"][data-table="extra"]')).toBeVisible();
  await expect(page.getByTestId('save-state')).toHaveText('Saved');
  await page.waitForTimeout(1500); // the table is encoded to Parquet and kept in the background
  await page.reload();
  await expect(cell(page, 'country_customers')).toHaveAttribute('data-status', 'done', { timeout: 45_000 });
  await expect(firstValue(page, 'kpis')).toHaveText('123');
  await expect(cell(page, 'top_products').getByTestId('row-count')).toHaveText('15 rows');
  await expect(page.locator('[data-testid="table-item"][data-table="extra"]').getByTestId('table-rows')).toHaveText('2 rows');
});

test('a deleted cell comes back with Undo', async ({ page }) => {
  await openDemo(page, 'retail-tour', 'country_customers');
  await cell(page, 'kpis').locator('summary[aria-label="Cell actions"]').click();
  await cell(page, 'kpis').getByTestId('delete-cell').click();
  await expect(cell(page, 'kpis')).toHaveCount(0);
  await page.getByTestId('notice-action').click();
  await expect(cell(page, 'kpis')).toHaveCount(1);
});

test('a locked workspace shows nothing before its passphrase, and stores no plaintext', async ({ page }) => {
  await openDemo(page, 'retail-tour', 'country_customers');
  await setSql(page, 'kpis', "SELECT 'SECRET-MARKER-42' AS note");
  await expect(firstValue(page, 'kpis')).toHaveText('SECRET-MARKER-42');
  await page.getByTestId('lock-open').click();
  await page.getByTestId('lock-passphrase').fill('correct horse battery');
  await page.getByTestId('lock-confirm').fill('correct horse battery');
  await page.getByTestId('lock-submit').click();
  await expect(page.getByTestId('lock-state')).toBeVisible({ timeout: 20_000 });
  // The padlock is drawn, not a character: without an emoji font 🔒 shows as an empty box.
  await expect(page.getByTestId('lock-state')).toHaveText(/^\s*Encrypted$/);
  await expect(page.getByTestId('lock-state').locator('svg')).toBeVisible();
  await page.getByTestId('lock-state').screenshot({ path: 'test-results/lock-state.png' });
  await page.reload();
  await expect(page.getByTestId('unlock-screen')).toBeVisible();
  const shown = await page.locator('body').innerText();
  expect(shown).not.toContain('Retail tour');
  expect(shown).not.toContain('SECRET-MARKER-42');
  // Every record in IndexedDB, raw: no title, no SQL, no data value.
  const raw = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('aisle-workspace');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const dump: string[] = [];
    for (const store of [...db.objectStoreNames]) {
      const values = await new Promise<unknown[]>((resolve) => {
        const request = db.transaction(store).objectStore(store).getAll();
        request.onsuccess = () => resolve(request.result);
      });
      dump.push(JSON.stringify(values, (_key, value) => (value instanceof Uint8Array ? new TextDecoder().decode(value) : value)));
    }
    db.close();
    return dump.join('\n');
  });
  expect(raw.length).toBeGreaterThan(100);
  for (const secret of ['Retail tour', 'SECRET-MARKER-42', 'sales_clean', 'WHITE']) expect(raw).not.toContain(secret);
  await page.getByTestId('unlock-passphrase').fill('wrong passphrase');
  await page.getByTestId('unlock-submit').click();
  await expect(page.getByTestId('unlock-error')).toContainText('Wrong passphrase');
  await page.getByTestId('unlock-passphrase').fill('correct horse battery');
  await page.getByTestId('unlock-submit').click();
  await expect(firstValue(page, 'kpis')).toHaveText('SECRET-MARKER-42', { timeout: 45_000 });
});

test('a hostile notebook runs no script', async ({ page }) => {
  requests = recordRequests(page);
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto('');
  await expect(page.getByTestId('engine-status')).toContainText('DuckDB-WASM', { timeout: 30_000 });
  await page.evaluate(() => {
    (window as unknown as { pwned: number }).pwned = 0;
  });
  const hostile = [
    '---',
    'aisle: 1',
    'title: "<img src=x onerror=\\"window.pwned=1\\">"',
    '---',
    '',
    '# Hello <script>window.pwned=2</script>',
    '',
    '<img src="x" onerror="window.pwned=3"> [click](javascript:window.pwned=4) <svg onload="window.pwned=5"></svg>',
    '',
    '```sql evil',
    `SELECT '<img src=x onerror="window.pwned=6">' AS "<b onmouseover=window.pwned=7>col</b>"`,
    '```',
    '',
  ].join('\n');
  await page.getByTestId('open-start').click();
  await page.getByTestId('import-input').setInputFiles({ name: 'hostile.md', mimeType: 'text/markdown', buffer: Buffer.from(hostile) });
  // An imported notebook waits for the user's Run (tests/e2e/untrusted-notebook.spec.ts).
  await page.getByTestId('run-untrusted').click();
  await expect(cell(page, 'evil')).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  await expect(firstValue(page, 'evil')).toHaveText('<img src=x onerror="window.pwned=6">');
  await page.locator('[data-testid="markdown-view"] a').first().click().catch(() => undefined);
  await page.mouse.move(500, 500);
  await page.waitForTimeout(500);
  expect(await page.evaluate(() => (window as unknown as { pwned: number }).pwned)).toBe(0);
  expect(await page.locator('[data-testid="markdown-view"] script, [data-testid="markdown-view"] [onerror], [data-testid="markdown-view"] [onload]').count()).toBe(0);
  expect(dialogs).toEqual([]);
});

test('the notebook, a cell table and the run log download as files', async ({ page }) => {
  await openDemo(page, 'retail-tour', 'country_customers');
  await page.getByTestId('export-open').click();
  const [notebookFile] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-download').click()]);
  expect(notebookFile.suggestedFilename()).toBe('retail-tour.md');
  const text = await readDownload(notebookFile);
  expect(text).toContain('```sql top_products\n');
  expect(text).toContain('title: Retail tour');

  await cell(page, 'cleaning_summary').locator('summary[aria-label="Cell actions"]').click();
  const [csvFile] = await Promise.all([page.waitForEvent('download'), cell(page, 'cleaning_summary').getByTestId('download-csv').click()]);
  const csv = (await readDownload(csvFile)).trim().split('\n');
  expect(csv[0]).toBe('raw_rows,guest_rows,cancelled_rows,clean_rows');
  // The sample has 50,000 rows of which a quarter (12,500) have no customer (the generator's proportion).
  expect(csv[1]?.split(',').slice(0, 2)).toEqual(['50000', '12500']);

  await page.getByTestId('toggle-log').click();
  const [logFile] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-log').click()]);
  const events = (await readDownload(logFile)).trim().split('\n').map((line) => JSON.parse(line) as { cell: string; status: string; runId: number });
  expect(events.map((event) => event.cell)).toEqual(expect.arrayContaining(['kpis', 'top_products', 'country_customers']));
  expect(events.every((event) => event.status === 'done' && typeof event.runId === 'number')).toBe(true);
});

async function readDownload(download: import('@playwright/test').Download): Promise<string> {
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
