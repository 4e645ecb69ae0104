import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IDBFactory, IDBObjectStore, IDBTransaction } from 'fake-indexeddb';
import { EnvelopeError, isEnvelope, newDerivedKey, sealWithKey } from '../../../src/store/crypto.ts';
import { WorkspaceSession } from '../../../src/store/locking.ts';
import { toStoreError, WorkspaceStore } from '../../../src/store/workspace.ts';
import { StoreError } from '../../../src/util/store-errors.ts';
import { failNthPut, haystack, rawDump as rawDumpOf, rejection } from './idb-helpers.ts';

/** Few PBKDF2 iterations: these tests are about storage, not the key derivation's cost. */
const FAST = { iterations: 1_000, minIterations: 1_000 } as const;
const DB_NAME = 'aisle-test';

const TITLE = 'Christmas gift baskets';
const SQL = "SELECT description, sum(quantity) AS units FROM sales WHERE country = 'United Kingdom' GROUP BY 1";
const NOTEBOOK = `---\naisle: 1\ntitle: ${TITLE}\n---\n# Best sellers\n\n\`\`\`sql top_products\n${SQL}\n\`\`\`\n`;
const DATA_VALUE = 'WHITE HANGING HEART';
/** Stand-in for Parquet bytes: whatever the encoding, a stored data value must not be findable in the clear. */
const TABLE_BYTES = new TextEncoder().encode(`PAR1\u0000invoice_id,description\n536365,${DATA_VALUE} T-LIGHT HOLDER\nPAR1`);
const SECRETS = [TITLE, SQL, DATA_VALUE];

let factory: IDBFactory;
/** This test's database, read raw (see idb-helpers.ts). */
const rawDump = () => rawDumpOf(factory, DB_NAME);
let store: WorkspaceStore;

beforeEach(async () => {
  factory = new IDBFactory();
  store = await WorkspaceStore.open(factory, { name: DB_NAME, now: () => 1_700_000_000_000 });
});

afterEach(() => {
  vi.restoreAllMocks();
  store.close();
});





async function plaintextFound(): Promise<string[]> {
  const text = haystack(await rawDump());
  return SECRETS.filter((secret) => text.includes(secret));
}



/**
 * Make the `n`th record write fail inside IndexedDB, after `put` returned: the request errors and IndexedDB
 * aborts the transaction itself with a QuotaExceededError, as a browser does when the disk fills up.
 * Reaches into fake-indexeddb's internals (`_execRequestAsync`, bound `storeRecord`): no public hook exists.
 */
function failNthWriteInsideIndexedDb(n: number): void {
  type Internal = { _execRequestAsync(request: { operation: () => unknown }): unknown };
  const prototype = IDBTransaction.prototype as unknown as Internal;
  const exec = prototype._execRequestAsync;
  let writes = 0;
  vi.spyOn(prototype, '_execRequestAsync').mockImplementation(function (this: Internal, request) {
    if (request.operation.name === 'bound storeRecord' && ++writes === n) {
      const failing = () => {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      };
      return exec.call(this, { ...request, operation: failing });
    }
    return exec.call(this, request);
  });
}

async function seededSession(): Promise<WorkspaceSession> {
  const session = await WorkspaceSession.start(store, FAST);
  await session.saveNotebook('nb-1', NOTEBOOK);
  await session.saveNotebook('nb-2', '# Notes\n');
  await session.saveTable('sales', TABLE_BYTES);
  return session;
}

describe('WorkspaceStore', () => {
  it('saves, loads, lists and deletes notebooks', async () => {
    await store.saveNotebook('b', 'second');
    await store.saveNotebook('a', 'first');
    await store.saveNotebook('a', 'first, edited');
    expect(await store.loadNotebook('a')).toBe('first, edited');
    expect(await store.loadNotebook('missing')).toBeUndefined();
    expect(await store.listNotebooks()).toEqual([
      { id: 'a', savedAt: 1_700_000_000_000 },
      { id: 'b', savedAt: 1_700_000_000_000 },
    ]);
    await store.deleteNotebook('a');
    await store.deleteNotebook('never existed');
    expect((await store.listNotebooks()).map((notebook) => notebook.id)).toEqual(['b']);
  });

  it('saves, loads and deletes tables, storing only the bytes a view covers', async () => {
    const backing = new Uint8Array(1_000).fill(7);
    backing.set([1, 2, 3], 500);
    await store.saveTable('sales', backing.subarray(500, 503));
    await store.saveTable('customers', new Uint8Array([9]));
    const tables = await store.loadTables();
    expect(tables.map((table) => [table.name, Array.from(table.payload as Uint8Array)])).toEqual([
      ['customers', [9]],
      ['sales', [1, 2, 3]],
    ]);
    expect((tables[1]!.payload as Uint8Array).buffer.byteLength).toBe(3);
    await store.deleteTable('customers');
    expect((await store.loadTables()).map((table) => table.name)).toEqual(['sales']);
  });

  it('starts unlocked at revision 0 and counts every committed write', async () => {
    expect(await store.getMeta()).toEqual({ version: 1, revision: 0, locked: false });
    await store.saveNotebook('a', 'x');
    await store.saveTable('t', new Uint8Array([1]));
    await store.deleteNotebook('a');
    expect((await store.getMeta()).revision).toBe(3);
  });

  it('keeps the previous notebook when the save fails part way through its transaction', async () => {
    await store.saveNotebook('nb', 'version 1');
    const before = await rawDump();
    failNthPut(2); // the notebook's put is queued, then the meta put fails: the whole transaction must roll back
    const error = await rejection(store.saveNotebook('nb', 'version 2'), StoreError);
    expect(error.reason).toBe('quota');
    expect(error.message).toMatch(/^Browser storage is full/);
    expect(error.cause).toBeInstanceOf(DOMException);
    vi.restoreAllMocks();
    expect(await rawDump()).toEqual(before);
    expect(await store.loadNotebook('nb')).toBe('version 1');
    await store.saveNotebook('nb', 'version 3'); // and the store still works
    expect(await store.loadNotebook('nb')).toBe('version 3');
  });

  it('keeps the previous notebook when IndexedDB itself fails the write and aborts', async () => {
    await store.saveNotebook('nb', 'version 1');
    const before = await rawDump();
    failNthWriteInsideIndexedDb(2); // the notebook is written, then the meta write fails inside IndexedDB
    const error = await rejection(store.saveNotebook('nb', 'version 2'), StoreError);
    expect(error.reason).toBe('quota');
    vi.restoreAllMocks();
    expect(await rawDump()).toEqual(before);
  });

  it('maps what IndexedDB throws to plain messages', () => {
    expect(toStoreError(new DOMException('x', 'QuotaExceededError')).message).toMatch(/^Browser storage is full/);
    expect(toStoreError(new DOMException('x', 'InvalidStateError')).reason).toBe('unavailable');
    expect(toStoreError(new DOMException('x', 'DataCloneError')).reason).toBe('invalid');
    expect(toStoreError(new Error('disk on fire')).message).toBe('Browser storage failed (disk on fire); nothing was changed.');
  });

  it('keeps the previous table when its own put fails', async () => {
    await store.saveTable('sales', new Uint8Array([1, 2, 3]));
    failNthPut(1);
    expect((await rejection(store.saveTable('sales', new Uint8Array([4, 5])), StoreError)).reason).toBe('quota');
    vi.restoreAllMocks();
    expect((await store.loadTables())[0]!.payload).toEqual(new Uint8Array([1, 2, 3]));
  });

  it('rewrites every record all or nothing: a failure on the last put leaves all as it was', async () => {
    await store.saveNotebook('a', 'one');
    await store.saveNotebook('b', 'two');
    await store.saveTable('t', new Uint8Array([1]));
    const before = await rawDump();
    const { revision } = await store.getMeta();
    failNthPut(3); // notebooks a, b are queued; table t fails
    const next = { lock: { locked: false } as const, notebooks: [], tables: [{ name: 't', payload: new Uint8Array([2]), savedAt: 0 }] };
    await rejection(store.rewriteAll(revision, { ...next, notebooks: [{ id: 'a', payload: 'ONE', savedAt: 0 }, { id: 'b', payload: 'TWO', savedAt: 0 }] }), StoreError);
    vi.restoreAllMocks();
    expect(await rawDump()).toEqual(before);
  });

  it('refuses a rewrite computed from an outdated snapshot', async () => {
    await store.saveNotebook('a', 'one');
    const { revision } = await store.getMeta();
    await store.saveNotebook('a', 'one, edited meanwhile');
    const error = await rejection(store.rewriteAll(revision, { lock: { locked: false }, notebooks: [], tables: [] }), StoreError);
    expect(error.reason).toBe('conflict');
    expect(await store.loadNotebook('a')).toBe('one, edited meanwhile');
  });

  it('refuses meta that does not match the stored records', async () => {
    await store.saveNotebook('a', 'plain text');
    const key = await newDerivedKey('pass', FAST);
    const check = await sealWithKey(new Uint8Array(1), key);
    const error = await rejection(store.setMeta({ locked: true, kdf: { salt: check.kdf.salt, iterations: check.kdf.iterations }, check }), StoreError);
    expect(error.reason).toBe('locked');
    expect((await store.getMeta()).locked).toBe(false);
  });

  it('clearAll empties the workspace and forgets its lock', async () => {
    const session = await seededSession();
    await session.lock('pass');
    await store.clearAll();
    expect(await store.listNotebooks()).toEqual([]);
    expect(await store.loadTables()).toEqual([]);
    expect((await store.getMeta()).locked).toBe(false);
  });

  it('a second connection asking for a newer schema closes this one instead of being blocked', async () => {
    const upgraded = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = factory.open(DB_NAME, 2);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
      request.onblocked = () => reject(new Error('blocked'));
    });
    upgraded.close();
    expect((await rejection(store.loadNotebook('a'), StoreError)).reason).toBe('unavailable');
  });

  it('saves and loads a 3 MB table in reasonable time', async () => {
    const bytes = new Uint8Array(3 << 20).map((_, i) => (i * 31) & 255);
    const started = performance.now();
    await store.saveTable('sales', bytes);
    const savedAt = performance.now();
    const [table] = await store.loadTables();
    const loadedAt = performance.now();
    console.info(`3 MB through fake-indexeddb: save ${(savedAt - started).toFixed(0)} ms, load ${(loadedAt - savedAt).toFixed(0)} ms`);
    expect(Buffer.from(table!.payload as Uint8Array).equals(Buffer.from(bytes))).toBe(true);
  });
});

describe('WorkspaceSession locking', () => {
  it('before locking, the raw storage holds the plaintext (so the scan below can see it)', async () => {
    await seededSession();
    expect(await plaintextFound()).toEqual(SECRETS);
  });

  it('after locking, no record holds a plaintext title, SQL or data value — and saves stay encrypted', async () => {
    const session = await seededSession();
    await session.lock('correct horse');
    expect(session.state).toBe('unlocked');
    expect(await plaintextFound()).toEqual([]);

    const dump = await rawDump();
    for (const [, record] of [...dump.notebooks!, ...dump.tables!]) {
      expect(isEnvelope((record as { payload: unknown }).payload, FAST)).toBe(true);
    }
    expect(dump.meta![0]![1]).toMatchObject({ version: 1, locked: true, kdf: { iterations: 1_000 } });

    await session.saveNotebook('nb-3', `${NOTEBOOK}\n-- another ${DATA_VALUE}`); // an autosave while unlocked
    await session.saveTable('sales', TABLE_BYTES);
    expect(await plaintextFound()).toEqual([]);
    expect(await session.loadNotebook('nb-3')).toBe(`${NOTEBOOK}\n-- another ${DATA_VALUE}`);
  });

  it('the store itself refuses plaintext while locked (a stale tab cannot leak)', async () => {
    const session = await seededSession();
    await session.lock('pass');
    const error = await rejection(store.saveNotebook('nb-1', NOTEBOOK), StoreError);
    expect(error.reason).toBe('locked');
    expect(await plaintextFound()).toEqual([]);
  });

  it('forgetting the key locks the session: nothing can be read or saved until unlocked', async () => {
    const session = await seededSession();
    await session.lock('pass');
    session.forget();
    expect(session.state).toBe('locked');
    expect((await rejection(session.loadNotebook('nb-1'), StoreError)).reason).toBe('locked');
    expect((await rejection(session.saveNotebook('nb-1', 'x'), StoreError)).reason).toBe('locked');
    // Even the ids are sealed: listing needs the key.
    expect((await rejection(session.listNotebooks(), StoreError)).reason).toBe('locked');
  });

  it('unlocking with the wrong passphrase changes nothing', async () => {
    await (await seededSession()).lock('right passphrase');
    const before = await rawDump();
    const reopened = await WorkspaceSession.start(store, FAST);
    expect(reopened.state).toBe('locked');
    const error = await rejection(reopened.unlock('wrong passphrase'), EnvelopeError);
    expect(error.reason).toBe('wrong-passphrase-or-tampered');
    expect(reopened.state).toBe('locked');
    await rejection(reopened.removeLock('wrong passphrase'), EnvelopeError);
    await rejection(reopened.changePassphrase('wrong passphrase', 'new'), EnvelopeError);
    expect(await rawDump()).toEqual(before);
  });

  it('unlocking with the right passphrase restores every record exactly, writing nothing', async () => {
    await (await seededSession()).lock('right passphrase');
    const before = await rawDump();
    const reopened = await WorkspaceSession.start(store, FAST);
    await reopened.unlock('right passphrase');
    expect(reopened.state).toBe('unlocked');
    expect(await reopened.loadNotebook('nb-1')).toBe(NOTEBOOK);
    expect(await reopened.loadNotebook('nb-2')).toBe('# Notes\n');
    expect(await reopened.loadTables()).toEqual({ tables: new Map([['sales', TABLE_BYTES]]), damaged: [] });
    expect(await rawDump()).toEqual(before);
  });

  it('removing the lock writes the exact plaintext back in one go', async () => {
    const session = await seededSession();
    await session.lock('pass');
    await session.removeLock('pass');
    expect(session.state).toBe('unprotected');
    expect(await store.getMeta()).toMatchObject({ locked: false });
    expect(await store.loadNotebook('nb-1')).toBe(NOTEBOOK);
    expect((await store.loadTables())[0]!.payload).toEqual(TABLE_BYTES);
  });

  it('changing the passphrase re-seals everything under a new salt', async () => {
    const session = await seededSession();
    await session.lock('old');
    const oldMeta = await store.getMeta();
    await session.changePassphrase('old', 'new');
    const newMeta = await store.getMeta();
    expect(newMeta.locked && oldMeta.locked && newMeta.kdf.salt !== oldMeta.kdf.salt).toBe(true);
    expect(await plaintextFound()).toEqual([]);

    const reopened = await WorkspaceSession.start(store, FAST);
    await rejection(reopened.unlock('old'), EnvelopeError);
    await reopened.unlock('new');
    expect(await reopened.loadNotebook('nb-1')).toBe(NOTEBOOK);
    expect(await reopened.loadTables()).toEqual({ tables: new Map([['sales', TABLE_BYTES]]), damaged: [] });
  });

  it('a lock that fails part way leaves the workspace unlocked and as it was', async () => {
    const session = await seededSession();
    const before = await rawDump();
    failNthPut(3); // nb-1 and nb-2 sealed and queued, the table's put fails
    const error = await rejection(session.lock('pass'), StoreError);
    expect(error.reason).toBe('quota');
    vi.restoreAllMocks();
    expect(session.state).toBe('unprotected');
    expect(await rawDump()).toEqual(before);
    expect(await session.loadNotebook('nb-1')).toBe(NOTEBOOK);
  });

  it('a lock whose transaction IndexedDB aborts leaves the workspace as it was', async () => {
    const session = await seededSession();
    const before = await rawDump();
    failNthWriteInsideIndexedDb(2);
    expect((await rejection(session.lock('pass'), StoreError)).reason).toBe('quota');
    vi.restoreAllMocks();
    expect(session.state).toBe('unprotected');
    expect(await rawDump()).toEqual(before);
  });

  it('a save queued during locking is sealed, never written in the clear', async () => {
    const session = await seededSession();
    const locking = session.lock('pass');
    const saving = session.saveNotebook('nb-1', `${NOTEBOOK}\nedited while locking`);
    await Promise.all([locking, saving]);
    expect(await plaintextFound()).toEqual([]);
    expect(await session.loadNotebook('nb-1')).toBe(`${NOTEBOOK}\nedited while locking`);
  });
});
