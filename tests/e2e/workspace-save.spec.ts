import { expect, test, type Page } from '@playwright/test';

const ROWS = 300_000;

function tableItem(page: Page, name: string) {
  return page.locator(`[data-testid="table-item"][data-table="${name}"]`);
}

interface Sample {
  readonly header: string;
  /** The data panel lists the table: to the user, it is loaded. */
  readonly listed: boolean;
  readonly stored: boolean;
  /** Still the page the test generated the table in: no reload went through. */
  readonly samePage: boolean;
  /** The error notices shown. */
  readonly errors: readonly string[];
}

/** What the page shows, then whether IndexedDB holds table `name`: read in that order, so "Saved" → stored must hold. */
function sample(page: Page, name: string): Promise<Sample> {
  return page.evaluate(async (table) => {
    const header = document.querySelector('[data-testid="save-state"]')?.textContent ?? '';
    const listed = document.querySelector(`[data-testid="table-item"][data-table="${table}"]`) !== null;
    const samePage = (window as unknown as { generatedHere?: boolean }).generatedHere === true;
    const errors = [...document.querySelectorAll('[data-testid="notice-error"]')].map((notice) => notice.textContent ?? '');
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('aisle-workspace');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const count = await new Promise<number>((resolve, reject) => {
      const request = db.transaction('tables').objectStore('tables').count(table);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    db.close();
    return { header, listed, stored: count === 1, samePage, errors };
  }, name);
}

/** Generate a UCI-layout table of `rows` rows with the data panel's generator. */
async function generate(page: Page, rows: number): Promise<void> {
  await page.getByText('Generate sample data').click();
  await page.getByTestId('gen-rows').fill(String(rows));
  await page.getByTestId('gen-submit').click();
}

test('a big table: "Saving data…" until it is in IndexedDB, a reload meanwhile is asked about, and the restore shows progress', async ({ page }) => {
  // No time is asserted (tests do not time): a save that never ends fails by this timeout.
  test.setTimeout(300_000);
  page.on('console', (message) => message.type() === 'error' && console.log(`console: ${message.text()}`));
  await page.goto('');
  await expect(page.locator('[data-testid="cell"][data-cell-name]').first()).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('save-state')).toHaveText('Saved', { timeout: 30_000 });
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.type());
    // Stay on the page: the save finishes.
    void dialog.dismiss();
  });
  const samples: Sample[] = [];
  let askedToReload = false;
  await page.evaluate(() => ((window as unknown as { generatedHere: boolean }).generatedHere = true));
  await generate(page, ROWS);
  for (;;) {
    const now = await sample(page, 'generated');
    samples.push(now);
    if (now.header === 'Saved' && now.stored) break;
    // The lie this guards against: the table is shown as loaded, the header says "Saved", and a reload would lose it.
    if (now.listed && now.header === 'Saved' && !now.stored) break;
    // Any other end is a failure named at once, not a wait for the test's timeout.
    if (now.header === 'Not saved' || now.errors.length > 0) throw new Error(`the save failed: header "${now.header}", notices ${JSON.stringify(now.errors)}`);
    if (!now.samePage) throw new Error(`the page was reloaded although the reload was refused (table stored: ${now.stored}, listed: ${now.listed})`);
    if (now.header === 'Saving data…' && !askedToReload) {
      // As Vite's reload or F5 would: the page must ask first, not drop the table. The header is read again in the same
      // task as the reload, so a save that ends meanwhile cannot make the reload go through unasked.
      askedToReload = await page.evaluate(() => {
        if (document.querySelector('[data-testid="save-state"]')?.textContent !== 'Saving data…') return false;
        location.reload();
        return true;
      });
      if (askedToReload) {
        await expect.poll(() => dialogs, { timeout: 10_000 }).toEqual(['beforeunload']);
        await page.locator('header.top').screenshot({ path: 'test-results/saving-data.png' });
      }
    }
    await page.waitForTimeout(50);
  }
  expect(samples.filter((s) => s.listed && s.header === 'Saved' && !s.stored), 'said "Saved" while the loaded table was not stored').toEqual([]);
  expect(samples.some((s) => s.header === 'Saving data…')).toBe(true);
  expect(askedToReload).toBe(true);
  // Dismissed: still the same page, the table still loaded.
  await expect(tableItem(page, 'generated').getByTestId('table-rows')).toHaveText(`${ROWS.toLocaleString('en')} rows`);
  console.log(`save-state samples: ${samples.length}, "Saving data…" for ${samples.filter((s) => s.header === 'Saving data…').length}`);

  // Every text the page shows from the first paint of the reload, until the notebook is open.
  await page.addInitScript(() => {
    const seen = new Set<string>();
    const steps: string[] = [];
    (window as unknown as { seenTexts: Set<string> }).seenTexts = seen;
    (window as unknown as { restoreSteps: string[] }).restoreSteps = steps;
    const note = () => {
      const step = document.querySelector('[data-testid="restoring-step"]')?.textContent;
      if (step && !steps.at(-1)?.endsWith(step)) steps.push(`${Math.round(performance.now())} ms ${step}`);
      const text = document.body?.innerText ?? '';
      for (const phrase of ['This notebook is empty', 'No tables yet', 'Restoring your workspace']) if (text.includes(phrase)) seen.add(phrase);
      // The empty notebook's title is an input's value, which innerText leaves out.
      if ([...document.querySelectorAll('input')].some((input) => input.value === 'Untitled')) seen.add('Untitled');
    };
    new MutationObserver(note).observe(document, { subtree: true, childList: true, characterData: true });
  });
  const reloadedAt = Date.now();
  await page.reload();
  await expect(page.getByTestId('restoring')).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: 'test-results/restoring-workspace.png' });
  await expect(page.getByTestId('restoring')).toHaveCount(0, { timeout: 90_000 });
  const restoredIn = Date.now() - reloadedAt;
  await expect(tableItem(page, 'generated').getByTestId('table-rows')).toHaveText(`${ROWS.toLocaleString('en')} rows`);
  await expect(page.locator('[data-testid="cell"][data-cell-name]').first()).toBeVisible();
  const seen = await page.evaluate(() => [...(window as unknown as { seenTexts: Set<string> }).seenTexts].sort());
  expect(seen).toEqual(['Restoring your workspace']);
  console.log(`restored in ${restoredIn} ms:\n${(await page.evaluate(() => (window as unknown as { restoreSteps: string[] }).restoreSteps)).join('\n')}`);
});
