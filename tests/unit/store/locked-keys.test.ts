import { createHmac, hkdfSync, pbkdf2Sync } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IDBFactory, IDBObjectStore } from 'fake-indexeddb';
import {
  base64ToBytes,
  deriveKey,
  deriveWorkspaceKey,
  isEnvelope,
  nameTag,
  newDerivedKey,
  open,
  openWithKey,
  sealWithKey,
  type Envelope,
} from '../../../src/store/crypto.ts';
import { WorkspaceSession } from '../../../src/store/locking.ts';
import { CURRENT_NOTEBOOK_KEY, type PointerStorage } from '../../../src/store/pointer.ts';
import { WorkspaceStore } from '../../../src/store/workspace.ts';
import { DamagedRecordError, StoreError } from '../../../src/util/store-errors.ts';
import { failNthPut, haystack, promised, rawDump as rawDumpOf, rejection } from './idb-helpers.ts';

/** Few PBKDF2 iterations: these tests are about names in storage, not the key derivation's cost. */
const FAST = { iterations: 1_000, minIterations: 1_000 } as const;
const DB_NAME = 'aisle-names-test';
const PASSPHRASE = 'correct horse';

const DEMO_ID = 'demo:retail-tour';
const OWN_ID = 'nb-5f0c2a9e-1d7b-4c43-9a53-2f1e6c0d8b71';
const DEMO_TEXT = '---\naisle: 1\ntitle: Retail tour\n---\n```sql top\nSELECT 1\n```\n';
const OWN_TEXT = '---\naisle: 1\ntitle: Christmas baskets\n---\n# Notes\n';
const SALES = new TextEncoder().encode('PAR1 sales bytes PAR1');
const CLIENT = new TextEncoder().encode('PAR1 client bytes PAR1');
/** A table named after a client's file: exactly what must not be readable while locked. */
const CLIENT_TABLE = 'acme_foods_q3_invoices';
/** Every name that must not be found in storage while locked, in any form. */
const NAMES = [DEMO_ID, 'retail-tour', 'Retail tour', OWN_ID, 'Christmas baskets', 'sales', CLIENT_TABLE, 'welcome'];

/** localStorage as the page has it: string keys and values. */
class MemoryStorage implements PointerStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, String(value));
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

let factory: IDBFactory;
/** This test's database, read raw (see idb-helpers.ts). */
const rawDump = () => rawDumpOf(factory, DB_NAME);
let store: WorkspaceStore;
let pointer: MemoryStorage;

beforeEach(async () => {
  factory = new IDBFactory();
  store = await WorkspaceStore.open(factory, { name: DB_NAME });
  pointer = new MemoryStorage();
});

afterEach(() => {
  vi.restoreAllMocks();
  store.close();
});

function session(): Promise<WorkspaceSession> {
  return WorkspaceSession.start(store, { ...FAST, pointer });
}

/** Two notebooks (the open one a demo copy), two tables, as the app leaves them; then a passphrase is set. */
async function seeded(): Promise<WorkspaceSession> {
  const workspace = await session();
  await workspace.saveNotebook(DEMO_ID, DEMO_TEXT);
  await workspace.saveNotebook(OWN_ID, OWN_TEXT);
  await workspace.saveTable('sales', SALES);
  await workspace.saveTable(CLIENT_TABLE, CLIENT);
  await workspace.rememberNotebook(DEMO_ID);
  return workspace;
}





/** The names findable anywhere in IndexedDB (keys and values of every object store) or localStorage. */
async function namesFound(): Promise<string[]> {
  const text = haystack(await rawDump()) + '\n' + haystack([...pointer.items]);
  return NAMES.filter((name) => text.includes(name));
}



/** The opaque key of the record whose sealed name opens (with the envelope's own `open`) to `name`. */
async function storedKeyOf(objectStore: 'notebooks' | 'tables', name: string): Promise<string> {
  for (const [key, record] of (await rawDump())[objectStore]!) {
    const sealed = (record as { sealedName: unknown }).sealedName;
    if (new TextDecoder().decode(await open(sealed, PASSPHRASE, FAST)) === name) return key;
  }
  throw new Error(`no ${objectStore} record is named ${name}`);
}

/** Rewrite one raw record behind the app's back. */
async function alterRaw(objectStore: 'notebooks' | 'tables', key: string, alter: (record: Record<string, unknown>) => void): Promise<void> {
  const db = await promised(factory.open(DB_NAME));
  const tx = db.transaction(objectStore, 'readwrite');
  const record = (await promised(tx.objectStore(objectStore).get(key))) as Record<string, unknown>;
  alter(record);
  await promised(tx.objectStore(objectStore).put(record, key));
  db.close();
}

function flipChar(text: string, at: number): string {
  return text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
}

describe('names while locked', () => {
  it('before the passphrase, storage holds every name in the clear (so the scan below can see them)', async () => {
    await seeded();
    expect(await namesFound()).toEqual(NAMES.filter((name) => name !== 'welcome'));
  });

  it('after locking, no key or value in IndexedDB or localStorage holds a notebook id, slug, title or table name', async () => {
    const workspace = await seeded();
    await workspace.lock(PASSPHRASE);
    expect(await namesFound()).toEqual([]);

    const dump = await rawDump();
    expect(Object.keys(dump).sort()).toEqual(['meta', 'notebooks', 'tables']);
    for (const objectStore of ['notebooks', 'tables'] as const) {
      expect(dump[objectStore]).toHaveLength(2);
      for (const [key, record] of dump[objectStore]!) {
        expect(key).toMatch(/^[0-9a-f]{64}$/);
        // Nothing but the key it is stored under, envelopes and a save time.
        const { payload, sealedName, savedAt, ...rest } = record as Record<string, unknown>;
        expect(isEnvelope(payload, FAST) && isEnvelope(sealedName, FAST)).toBe(true);
        expect(typeof savedAt).toBe('number');
        expect(rest).toEqual({ [objectStore === 'notebooks' ? 'id' : 'name']: key });
      }
    }
    expect(dump.meta!.map(([key]) => key)).toEqual(['workspace']);
    expect([...pointer.items.keys()]).toEqual([CURRENT_NOTEBOOK_KEY]);
    expect(pointer.getItem(CURRENT_NOTEBOOK_KEY)).toMatch(/^[0-9a-f]{64}$/);
    // The pointer is the open notebook's record key, so it gives away no more than the record list does.
    expect(pointer.getItem(CURRENT_NOTEBOOK_KEY)).toBe(await storedKeyOf('notebooks', DEMO_ID));

    // Saves while unlocked (autosave, a table loaded again, a new notebook opened) stay opaque too.
    await workspace.saveNotebook(DEMO_ID, `${DEMO_TEXT}\nedited`);
    await workspace.saveTable('sales', SALES);
    await workspace.saveNotebook('demo:welcome', '---\ntitle: Welcome to Aisle\n---\n');
    await workspace.rememberNotebook('demo:welcome');
    expect(await namesFound()).toEqual([]);
    expect((await rawDump()).notebooks).toHaveLength(3);
    expect((await rawDump()).tables).toHaveLength(2);
  });

  it('after a reload, the passphrase brings back every notebook, table and the open notebook, by name', async () => {
    await (await seeded()).lock(PASSPHRASE);
    const before = await rawDump();
    const reopened = await session();
    expect(reopened.state).toBe('locked');
    expect(await reopened.rememberedNotebook()).toBeUndefined();
    await reopened.unlock(PASSPHRASE);
    expect(await reopened.rememberedNotebook()).toBe(DEMO_ID);
    expect(await reopened.loadNotebook(DEMO_ID)).toBe(DEMO_TEXT);
    expect(await reopened.loadNotebook(OWN_ID)).toBe(OWN_TEXT);
    expect(await reopened.loadNotebook('demo:segmentation')).toBeUndefined();
    expect((await reopened.listNotebooks()).map((entry) => entry.id).sort()).toEqual([DEMO_ID, OWN_ID].sort());
    const { tables, damaged } = await reopened.loadTables();
    expect([...tables]).toEqual([
      [CLIENT_TABLE, CLIENT],
      ['sales', SALES],
    ]);
    expect(damaged).toEqual([]);
    expect(await rawDump()).toEqual(before); // unlocking writes nothing

    await reopened.deleteTable(CLIENT_TABLE);
    await reopened.deleteNotebook(OWN_ID);
    expect((await rawDump()).tables!.map(([key]) => key)).toEqual([await storedKeyOf('tables', 'sales')]);
    expect((await reopened.listNotebooks()).map((entry) => entry.id)).toEqual([DEMO_ID]);
  });

  it('removing the passphrase turns every key back into its name, and the pointer into the id', async () => {
    const workspace = await seeded();
    const clear = await rawDump();
    await workspace.lock(PASSPHRASE);
    await workspace.removeLock(PASSPHRASE);
    const dump = await rawDump();
    expect(dump.notebooks!.map(([key]) => key)).toEqual([DEMO_ID, OWN_ID]);
    expect(dump.tables!.map(([key]) => key)).toEqual([CLIENT_TABLE, 'sales']);
    // The very records of before the lock, save times included (only the meta's revision moved on).
    expect(dump.notebooks).toEqual(clear.notebooks);
    expect(dump.tables).toEqual(clear.tables);
    expect(pointer.getItem(CURRENT_NOTEBOOK_KEY)).toBe(DEMO_ID);
    expect(await workspace.loadNotebook(OWN_ID)).toBe(OWN_TEXT);
  });

  it('changing the passphrase gives every record a new opaque key (the old keys say nothing about the new)', async () => {
    const workspace = await seeded();
    await workspace.lock(PASSPHRASE);
    const oldKeys = Object.values(await rawDump()).flatMap((records) => records.map(([key]) => key));
    const oldPointer = pointer.getItem(CURRENT_NOTEBOOK_KEY);
    await workspace.changePassphrase(PASSPHRASE, 'battery staple');
    const dump = await rawDump();
    const newKeys = [...dump.notebooks!, ...dump.tables!].map(([key]) => key);
    expect(newKeys).toHaveLength(4);
    for (const key of newKeys) {
      expect(key).toMatch(/^[0-9a-f]{64}$/);
      expect(oldKeys).not.toContain(key);
    }
    expect(pointer.getItem(CURRENT_NOTEBOOK_KEY)).not.toBe(oldPointer);
    expect(await namesFound()).toEqual([]);
    const reopened = await session();
    await reopened.unlock('battery staple');
    expect(await reopened.rememberedNotebook()).toBe(DEMO_ID);
    expect([...(await reopened.loadTables()).tables.keys()]).toEqual([CLIENT_TABLE, 'sales']);
  });

  for (const [operation, failAt] of [
    ['locking', 3],
    ['locking', 5],
    ['changing the passphrase', 2],
    ['removing the passphrase', 4],
  ] as const) {
    it(`a re-key that fails midway (${operation}, put ${failAt}) leaves every key, record and the pointer as they were`, async () => {
      const workspace = await seeded();
      if (operation !== 'locking') await workspace.lock(PASSPHRASE);
      const before = await rawDump();
      const pointerBefore = pointer.getItem(CURRENT_NOTEBOOK_KEY);
      failNthPut(failAt);
      const run =
        operation === 'locking'
          ? workspace.lock(PASSPHRASE)
          : operation === 'changing the passphrase'
            ? workspace.changePassphrase(PASSPHRASE, 'battery staple')
            : workspace.removeLock(PASSPHRASE);
      expect((await rejection(run, StoreError)).reason).toBe('quota');
      vi.restoreAllMocks();
      expect(await rawDump()).toEqual(before);
      expect(pointer.getItem(CURRENT_NOTEBOOK_KEY)).toBe(pointerBefore);
      expect(workspace.state).toBe(operation === 'locking' ? 'unprotected' : 'unlocked');
      // And the workspace still works in the state it was left in.
      expect(await workspace.loadNotebook(DEMO_ID)).toBe(DEMO_TEXT);
      expect(await workspace.rememberedNotebook()).toBe(DEMO_ID);
    });
  }

  it('the store refuses a record of a locked workspace stored under its name, or without its sealed name', async () => {
    const workspace = await seeded();
    await workspace.lock(PASSPHRASE);
    const meta = await store.getMeta();
    if (!meta.locked) throw new Error('expected a locked workspace');
    const key = await deriveWorkspaceKey(PASSPHRASE, base64ToBytes(meta.kdf.salt), meta.kdf.iterations);
    const sealed = await sealWithKey(new TextEncoder().encode('x'), key);
    const tag = await nameTag(key.names, 'table:sales');
    const before = await rawDump();
    for (const save of [
      store.saveTable('sales', sealed, sealed),
      store.saveTable(tag, sealed),
      store.saveNotebook(DEMO_ID, sealed, sealed),
    ]) {
      const error = await rejection(save, StoreError);
      expect(error.reason).toBe('locked');
      expect(error.message).not.toContain('sales');
      expect(error.message).not.toContain(DEMO_ID);
    }
    expect(await rawDump()).toEqual(before);
  });
});

describe('damaged names', () => {
  it('a table whose sealed name is damaged is reported plainly (it cannot be named); the rest opens; Remove deletes only it', async () => {
    await (await seeded()).lock(PASSPHRASE);
    const clientKey = await storedKeyOf('tables', CLIENT_TABLE);
    await alterRaw('tables', clientKey, (record) => {
      const name = record.sealedName as Envelope;
      name.ciphertext = flipChar(name.ciphertext, 2);
    });
    const workspace = await session();
    await workspace.unlock(PASSPHRASE);
    const { tables, damaged } = await workspace.loadTables();
    expect([...tables.keys()]).toEqual(['sales']);
    expect(damaged).toEqual([{ kind: 'table', key: clientKey, unnamed: true }]);
    // Asked about a name, the session can still tell that this is the record it would be stored under.
    expect(await workspace.storedKeyOf('table', CLIENT_TABLE)).toBe(clientKey);
    expect(await workspace.storedKeyOf('table', 'sales')).not.toBe(clientKey);
    expect(new DamagedRecordError(damaged[0]!).message).toBe('A saved table is damaged, its name too: it was changed on disk and no longer decrypts.');
    expect(await workspace.loadNotebook(DEMO_ID)).toBe(DEMO_TEXT);

    // Re-keying cannot carry a record it cannot name: it says so and changes nothing.
    const before = await rawDump();
    const refused = await rejection(workspace.removeLock(PASSPHRASE), DamagedRecordError);
    expect(refused.message).toMatch(/^A saved table is damaged, its name too, so it cannot be re-encrypted; nothing was changed/);
    expect(await rawDump()).toEqual(before);

    await workspace.removeDamaged(damaged[0]!);
    expect((await rawDump()).tables!.map(([key]) => key)).toEqual([await storedKeyOf('tables', 'sales')]);
    await workspace.removeLock(PASSPHRASE);
    expect((await rawDump()).tables!.map(([key]) => key)).toEqual(['sales']);
  });

  it('a table whose content is damaged is still named after unlock (its name opens on its own)', async () => {
    await (await seeded()).lock(PASSPHRASE);
    await alterRaw('tables', await storedKeyOf('tables', CLIENT_TABLE), (record) => {
      const payload = record.payload as Envelope;
      payload.ciphertext = flipChar(payload.ciphertext, 5);
    });
    const workspace = await session();
    await workspace.unlock(PASSPHRASE);
    expect((await workspace.loadTables()).damaged).toEqual([{ kind: 'table', key: CLIENT_TABLE }]);
  });

  it('sealed names swapped between two records are caught: neither passes for the other', async () => {
    await (await seeded()).lock(PASSPHRASE);
    const [salesKey, clientKey] = [await storedKeyOf('tables', 'sales'), await storedKeyOf('tables', CLIENT_TABLE)];
    const dump = await rawDump();
    const sealedOf = (key: string) => (dump.tables!.find(([stored]) => stored === key)![1] as { sealedName: Envelope }).sealedName;
    const [salesName, clientName] = [sealedOf(salesKey), sealedOf(clientKey)];
    await alterRaw('tables', salesKey, (record) => (record.sealedName = clientName));
    await alterRaw('tables', clientKey, (record) => (record.sealedName = salesName));
    const workspace = await session();
    await workspace.unlock(PASSPHRASE);
    const { tables, damaged } = await workspace.loadTables();
    expect(tables.size).toBe(0);
    expect(damaged.map((record) => record.key).sort()).toEqual([salesKey, clientKey].sort());
  });

  it('a notebook whose sealed name is damaged is listed as such, not as a notebook to open', async () => {
    await (await seeded()).lock(PASSPHRASE);
    const ownKey = await storedKeyOf('notebooks', OWN_ID);
    await alterRaw('notebooks', ownKey, (record) => {
      const name = record.sealedName as Envelope;
      name.cipher.iv = flipChar(name.cipher.iv, 1);
    });
    const workspace = await session();
    await workspace.unlock(PASSPHRASE);
    const listed = await workspace.listNotebooks();
    expect(listed.find((entry) => entry.id === DEMO_ID)?.damaged).toBeUndefined();
    expect(listed.find((entry) => entry.id === ownKey)?.damaged).toEqual({ kind: 'notebook', key: ownKey, unnamed: true });
    expect(listed).toHaveLength(2);
  });
});

describe('keys from one PBKDF2 run', () => {
  it('the workspace AES key is the one deriveKey gives, so every existing envelope still opens', async () => {
    const legacy = await newDerivedKey(PASSPHRASE, FAST);
    const envelope = await sealWithKey(new TextEncoder().encode('SELECT 1'), legacy);
    const workspace = await deriveWorkspaceKey(PASSPHRASE, legacy.salt, legacy.iterations);
    expect(new TextDecoder().decode(await openWithKey(envelope, workspace, FAST))).toBe('SELECT 1');
    const back = await sealWithKey(new TextEncoder().encode('SELECT 2'), workspace);
    const key = { key: await deriveKey(PASSPHRASE, legacy.salt, legacy.iterations), salt: legacy.salt, iterations: legacy.iterations };
    expect(new TextDecoder().decode(await openWithKey(back, key, FAST))).toBe('SELECT 2');
  });

  it('a name tag is HMAC-SHA-256 under HKDF-SHA-256 of the PBKDF2 output (checked with Node\'s own crypto)', async () => {
    const salt = new Uint8Array(16).map((_, i) => i * 7);
    const workspace = await deriveWorkspaceKey(PASSPHRASE, salt, 1_000);
    const bits = pbkdf2Sync(PASSPHRASE, salt, 1_000, 32, 'sha256');
    const namesKey = Buffer.from(hkdfSync('sha256', bits, Buffer.alloc(0), 'aisle-workspace-record-names-v1', 32));
    const expected = createHmac('sha256', namesKey).update('table:sales').digest('hex');
    expect(await nameTag(workspace.names, 'table:sales')).toBe(expected);
    const otherSalt = await deriveWorkspaceKey(PASSPHRASE, salt.map((byte) => byte ^ 1), 1_000);
    expect(await nameTag(otherSalt.names, 'table:sales')).not.toBe(expected);
  });
});

describe('a workspace locked before names were hidden', () => {
  it('is moved to opaque keys at unlock, in one transaction, and everything opens by name', async () => {
    // The earlier format, written raw: sealed payloads under clear keys, no sealed names, a clear pointer.
    const key = await newDerivedKey(PASSPHRASE, FAST);
    const seal = (text: string | Uint8Array) => sealWithKey(typeof text === 'string' ? new TextEncoder().encode(text) : text, key);
    const check = await seal('aisle-workspace-check-v1');
    const [notebook, table] = [await seal(DEMO_TEXT), await seal(SALES)];
    const db = await promised(factory.open(DB_NAME));
    const tx = db.transaction(['notebooks', 'tables', 'meta'], 'readwrite');
    tx.objectStore('notebooks').put({ id: DEMO_ID, payload: notebook, savedAt: 1 }, DEMO_ID);
    tx.objectStore('tables').put({ name: 'sales', payload: table, savedAt: 2 }, 'sales');
    tx.objectStore('meta').put(
      { version: 1, revision: 7, locked: true, kdf: { salt: check.kdf.salt, iterations: check.kdf.iterations }, check },
      'workspace',
    );
    await new Promise((resolve) => (tx.oncomplete = resolve));
    db.close();
    pointer.setItem(CURRENT_NOTEBOOK_KEY, DEMO_ID);

    const workspace = await session();
    await workspace.unlock(PASSPHRASE);
    expect(await namesFound()).toEqual([]);
    expect(await workspace.loadNotebook(DEMO_ID)).toBe(DEMO_TEXT);
    expect(await workspace.loadTables()).toEqual({ tables: new Map([['sales', SALES]]), damaged: [] });
    expect(await workspace.rememberedNotebook()).toBe(DEMO_ID);
    const dump = await rawDump();
    expect(dump.notebooks!.map(([, record]) => (record as { savedAt: number }).savedAt)).toEqual([1]);
  });
});
