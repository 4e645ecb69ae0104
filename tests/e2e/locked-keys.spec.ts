import { expect, test, type Page } from '@playwright/test';
import { expectSameOrigin, recordRequests } from './helpers.ts';

let requests: string[] = [];

test.afterEach(() => {
  expectSameOrigin(requests);
});

// Two notebooks run, a lock, and a restore after the unlock (DuckDB started three times): more than the default minute.
test.setTimeout(150_000);

const PASSPHRASE = 'correct horse battery';
/** Names the app gave to what the user kept: no form of them may be readable in storage while locked. */
const NAMES = ['sales', 'retail-tour', 'retail tour', 'welcome'];

function cell(page: Page, name: string) {
  return page.locator(`[data-testid="cell"][data-cell-name="${name}"]`);
}

function tableRows(page: Page, name: string) {
  return page.locator(`[data-testid="table-item"][data-table="${name}"]`).getByTestId('table-rows');
}

/** Every key of every IndexedDB database and object store, and every localStorage key and value, as the page can read them. */
interface StorageDump {
  databases: string[];
  keys: string[];
  /** Each record's value with its ciphertexts left out (they are random bytes), as JSON. */
  clearParts: string[];
  /** Whether each record of the workspace's notebooks and tables is only envelopes (payload and sealed name). */
  onlyEnvelopes: boolean[];
  localStorage: [string, string][];
}

function dumpStorage(page: Page): Promise<StorageDump> {
  return page.evaluate(async () => {
    const request = <T,>(req: IDBRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
    const isEnvelope = (value: unknown) =>
      typeof value === 'object' && value !== null && (value as { format?: unknown }).format === 'aisle-envelope' && typeof (value as { ciphertext?: unknown }).ciphertext === 'string';
    const dump: StorageDump = { databases: [], keys: [], clearParts: [], onlyEnvelopes: [], localStorage: [] };
    for (const info of await indexedDB.databases()) {
      if (!info.name) continue;
      dump.databases.push(info.name);
      const db = await request(indexedDB.open(info.name));
      for (const storeName of [...db.objectStoreNames]) {
        const store = db.transaction(storeName).objectStore(storeName);
        const [keys, values] = await Promise.all([request(store.getAllKeys()), request(store.getAll())]);
        dump.keys.push(...keys.map((key) => `${info.name}/${storeName}/${String(key)}`));
        for (const value of values) {
          dump.clearParts.push(
            JSON.stringify(value, (field, inner: unknown) =>
              field === 'ciphertext' ? '…' : inner instanceof Uint8Array ? new TextDecoder('latin1').decode(inner) : inner,
            ),
          );
          if (info.name === 'aisle-workspace' && storeName !== 'meta') {
            const record = value as { payload?: unknown; sealedName?: unknown };
            dump.onlyEnvelopes.push(isEnvelope(record.payload) && isEnvelope(record.sealedName));
          }
        }
      }
      db.close();
    }
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i)!;
      dump.localStorage.push([key, localStorage.getItem(key) ?? '']);
    }
    return dump;
  });
}

/** The names findable in what a dump holds in the clear (keys, record fields, localStorage), case-insensitively. */
function namesIn(dump: StorageDump): string[] {
  const text = [...dump.keys, ...dump.clearParts, ...dump.localStorage.flat()].join('\n').toLowerCase();
  return NAMES.filter((name) => text.includes(name));
}

async function keepSalesOpenRetailTourAndLock(page: Page): Promise<void> {
  requests = recordRequests(page);
  await page.goto('');
  await expect(cell(page, 'revenue_by_country')).toHaveAttribute('data-status', 'done', { timeout: 45_000 });
  await page.goto('?notebook=retail-tour');
  await expect(cell(page, 'country_customers')).toHaveAttribute('data-status', 'done', { timeout: 45_000 });
  await expect(page.getByTestId('save-state')).toHaveText('Saved');
  // Kept as Parquet in the background: wait until the workspace holds both notebooks and the table.
  await expect
    .poll(async () => (await dumpStorage(page)).keys.filter((key) => key.startsWith('aisle-workspace/') && !key.includes('/meta/')).sort(), { timeout: 15_000 })
    .toEqual(['aisle-workspace/notebooks/demo:retail-tour', 'aisle-workspace/notebooks/demo:welcome', 'aisle-workspace/tables/sales']);
  // Before the passphrase every name is there to find, so the scan after it means something.
  expect(namesIn(await dumpStorage(page))).toEqual(NAMES);
  await page.getByTestId('lock-open').click();
  await page.getByTestId('lock-passphrase').fill(PASSPHRASE);
  await page.getByTestId('lock-confirm').fill(PASSPHRASE);
  await page.getByTestId('lock-submit').click();
  await expect(page.getByTestId('lock-state')).toBeVisible({ timeout: 20_000 });
}

async function unlock(page: Page): Promise<void> {
  await page.reload();
  await expect(page.getByTestId('unlock-screen')).toBeVisible();
  await page.getByTestId('unlock-passphrase').fill(PASSPHRASE);
  await page.getByTestId('unlock-submit').click();
}

test('while locked, no IndexedDB key and no localStorage entry names a notebook or a table; unlocking brings them back', async ({ page }) => {
  await keepSalesOpenRetailTourAndLock(page);
  const locked = await dumpStorage(page);
  expect(locked.databases).toContain('aisle-workspace');
  expect(namesIn(locked)).toEqual([]);
  expect(locked.onlyEnvelopes).toEqual([true, true, true]);
  const recordKeys = locked.keys.filter((key) => /^aisle-workspace\/(notebooks|tables)\//.test(key));
  expect(recordKeys).toHaveLength(3);
  for (const key of recordKeys) expect(key).toMatch(/\/[0-9a-f]{64}$/);
  expect(Object.fromEntries(locked.localStorage)['aisle.current-notebook']).toMatch(/^[0-9a-f]{64}$/);

  // A fresh page, before the passphrase: still nothing to read.
  await page.reload();
  await expect(page.getByTestId('unlock-screen')).toBeVisible();
  expect(namesIn(await dumpStorage(page))).toEqual([]);

  await unlock(page);
  await expect(page.getByLabel('Notebook title')).toHaveValue('Retail tour', { timeout: 45_000 });
  await expect(tableRows(page, 'sales')).toHaveText('50,000 rows', { timeout: 45_000 });
  await expect(cell(page, 'country_customers')).toHaveAttribute('data-status', 'done', { timeout: 45_000 });
  await page.getByTestId('open-start').click();
  await page.screenshot({ path: 'test-results/locked-keys-unlocked.png' });
  // Saves after the unlock stay opaque as well.
  await expect(page.getByTestId('save-state')).toHaveText('Saved');
  expect(namesIn(await dumpStorage(page))).toEqual([]);
});

/** The sealed name's ciphertext of the one kept table. */
function sealedTableName(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('aisle-workspace');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const records = await new Promise<{ sealedName: { ciphertext: string } }[]>((resolve) => {
      const request = db.transaction('tables').objectStore('tables').getAll();
      request.onsuccess = () => resolve(request.result);
    });
    db.close();
    return records.length === 1 ? records[0]!.sealedName.ciphertext : `${records.length} records`;
  });
}

test('a kept table whose sealed name was damaged is reported as such, kept (not reloaded over), and can be removed', async ({ page }) => {
  await keepSalesOpenRetailTourAndLock(page);
  const tableKey = await page.evaluate(async () => {
    const request = <T,>(req: IDBRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
    const db = await request(indexedDB.open('aisle-workspace'));
    const store = db.transaction('tables', 'readwrite').objectStore('tables');
    const [key] = await request(store.getAllKeys());
    const record = (await request(store.get(key!))) as { sealedName: { ciphertext: string } };
    const text = record.sealedName.ciphertext;
    record.sealedName.ciphertext = (text[0] === 'A' ? 'B' : 'A') + text.slice(1);
    await request(store.put(record, key!));
    db.close();
    return String(key);
  });
  const damagedName = await sealedTableName(page);
  await unlock(page);
  const notice = page.getByTestId('notice-error').filter({ hasText: 'damaged' });
  await expect(notice).toContainText('The saved table (its name is damaged too, so it cannot be named) is damaged', { timeout: 45_000 });
  await expect(page.getByLabel('Notebook title')).toHaveValue('Retail tour');
  await expect(page.locator('body')).not.toContainText('could not start');
  await page.screenshot({ path: 'test-results/locked-keys-damaged-name.png' });
  // The notebook names `sales` as its data, but the damaged copy is stored under its key: it is not loaded over.
  await expect(cell(page, 'kpis')).toHaveAttribute('data-status', 'error', { timeout: 45_000 });
  expect(await sealedTableName(page)).toBe(damagedName);
  await notice.getByTestId('notice-action').click();
  await expect(page.getByTestId('notice-info').filter({ hasText: 'Removed the damaged table (its name is damaged too' })).toBeVisible();
  const after = await dumpStorage(page);
  expect(after.keys).not.toContain(`aisle-workspace/tables/${tableKey}`);
  expect(after.keys.filter((key) => key.startsWith('aisle-workspace/notebooks/'))).toHaveLength(2);
});
