import { expect, test, type Page } from '@playwright/test';
import { expectSameOrigin, recordRequests } from './helpers.ts';

let requests: string[] = [];

test.afterEach(() => {
  expectSameOrigin(requests);
});

const PASSPHRASE = 'correct horse battery';

function cell(page: Page, name: string) {
  return page.locator(`[data-testid="cell"][data-cell-name="${name}"]`);
}

/** Open a demo, let it save (notebook and its table), and set a passphrase. */
async function lockedDemo(page: Page, slug: string, lastCell: string): Promise<void> {
  requests = recordRequests(page);
  await page.goto(`?notebook=${slug}`);
  await expect(cell(page, lastCell)).toHaveAttribute('data-status', 'done', { timeout: 45_000 });
  await expect(page.getByTestId('save-state')).toHaveText('Saved');
  await expect.poll(() => storedKeys(page, 'tables'), { timeout: 15_000 }).toContain('sales'); // kept as Parquet in the background
  await page.getByTestId('lock-open').click();
  await page.getByTestId('lock-passphrase').fill(PASSPHRASE);
  await page.getByTestId('lock-confirm').fill(PASSPHRASE);
  await page.getByTestId('lock-submit').click();
  await expect(page.getByTestId('lock-state')).toBeVisible({ timeout: 20_000 });
}

function storedKeys(page: Page, objectStore: 'notebooks' | 'tables'): Promise<string[]> {
  return page.evaluate(async (name) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('aisle-workspace');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const keys = await new Promise<IDBValidKey[]>((resolve, reject) => {
      const request = db.transaction(name).objectStore(name).getAllKeys();
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    db.close();
    return keys.map(String);
  }, objectStore);
}

/**
 * Change one character in the middle of the ciphertext of the one record in `objectStore`, straight in
 * IndexedDB; returns the (opaque) key it is stored under. Locked, keys name nothing, so the store must hold one record.
 */
async function alterOneCharacter(page: Page, objectStore: 'notebooks' | 'tables'): Promise<string> {
  const keys = await storedKeys(page, objectStore);
  expect(keys).toHaveLength(1);
  const key = keys[0]!;
  expect(key).toMatch(/^[0-9a-f]{64}$/);
  const changed = await page.evaluate(
    async ([name, recordKey]) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('aisle-workspace');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const tx = db.transaction(name, 'readwrite');
      const store = tx.objectStore(name);
      const record = await new Promise<{ payload: { ciphertext: string } }>((resolve, reject) => {
        const request = store.get(recordKey);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const text = record.payload.ciphertext;
      const at = Math.floor(text.length / 2);
      record.payload.ciphertext = text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
      store.put(record, recordKey);
      await new Promise((resolve) => (tx.oncomplete = resolve));
      db.close();
      return text !== record.payload.ciphertext;
    },
    [objectStore, key] as const,
  );
  expect(changed).toBe(true);
  return key;
}

async function unlock(page: Page): Promise<void> {
  await page.reload();
  await expect(page.getByTestId('unlock-screen')).toBeVisible();
  await page.getByTestId('unlock-passphrase').fill(PASSPHRASE);
  await page.getByTestId('unlock-submit').click();
}

test('a damaged table of a locked workspace is named; the notebook opens and the table can be removed', async ({ page }) => {
  await lockedDemo(page, 'retail-tour', 'country_customers');
  const salesKey = await alterOneCharacter(page, 'tables');
  await unlock(page);
  const notice = page.getByTestId('notice-error').filter({ hasText: 'damaged' });
  await expect(notice).toContainText('The saved table "sales" is damaged', { timeout: 45_000 });
  await expect(page.locator('body')).not.toContainText('could not start');
  await expect(page.getByLabel('Notebook title')).toHaveValue('Retail tour');
  await page.screenshot({ path: 'test-results/locked-damage-table.png' });
  // Kept until the user asks: the damaged record is still stored.
  expect(await storedKeys(page, 'tables')).toEqual([salesKey]);
  const notebookKeys = await storedKeys(page, 'notebooks');
  await notice.getByTestId('notice-action').click();
  await expect(page.getByTestId('notice-info').filter({ hasText: 'Removed the damaged table "sales"' })).toBeVisible();
  expect(await storedKeys(page, 'tables')).toEqual([]);
  expect(await storedKeys(page, 'notebooks')).toEqual(notebookKeys);
});

test('a damaged notebook of a locked workspace is named and kept; the app opens the welcome notebook', async ({ page }) => {
  await lockedDemo(page, 'retail-tour', 'country_customers');
  const notebookKey = await alterOneCharacter(page, 'notebooks');
  await unlock(page);
  await expect(page.getByTestId('notice-error').filter({ hasText: 'damaged' })).toContainText(
    'The saved notebook "Retail tour" (your copy of the demo) is damaged',
    { timeout: 45_000 },
  );
  await expect(page.getByLabel('Notebook title')).toHaveValue('Welcome to Aisle');
  await expect(cell(page, 'revenue_by_country')).toHaveAttribute('data-status', 'done', { timeout: 45_000 });
  await page.getByTestId('open-start').click();
  await expect(page.getByTestId('damaged-notebook')).toContainText('Retail tour');
  await page.screenshot({ path: 'test-results/locked-damage-notebook.png' });
  expect(await storedKeys(page, 'notebooks')).toContain(notebookKey);
});

test('a locked notebook file whose JSON is broken is refused as damaged, and nothing is saved', async ({ page }) => {
  requests = recordRequests(page);
  await page.goto('');
  await expect(page.getByTestId('engine-status')).toContainText('DuckDB-WASM', { timeout: 30_000 });
  // The welcome notebook is saved a moment after it opens; "Saved" may show before that first save is scheduled.
  await expect.poll(() => storedKeys(page, 'notebooks'), { timeout: 15_000 }).toContain('demo:welcome');
  await expect(page.getByTestId('save-state')).toHaveText('Saved');
  await page.getByTestId('open-start').click();
  const before = await storedKeys(page, 'notebooks');
  const envelope = JSON.stringify(
    {
      format: 'aisle-envelope',
      v: 1,
      kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations: 600000, salt: 'AAAAAAAAAAAAAAAAAAAAAA==' },
      cipher: { name: 'AES-GCM', iv: 'AAAAAAAAAAAAAAAA' },
      ciphertext: 'QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB',
    },
    null,
    2,
  );
  const tampered = [`[${envelope.slice(1)}`, envelope.slice(0, -40)];
  for (const [i, text] of tampered.entries()) {
    await page.getByTestId('import-input').setInputFiles({ name: `q3-${i}.aisle-locked`, mimeType: 'application/json', buffer: Buffer.from(text) });
    await expect(page.getByTestId('notice-error').last()).toContainText('This file looks like a locked Aisle notebook but it is damaged');
  }
  await expect(page.getByTestId('import-passphrase')).toHaveCount(0);
  await expect(page.getByTestId('start-page')).not.toContainText('Untitled');
  await page.screenshot({ path: 'test-results/locked-damage-import.png' });
  expect(await storedKeys(page, 'notebooks')).toEqual(before);
});
