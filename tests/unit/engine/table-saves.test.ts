import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IDBFactory, IDBTransaction } from 'fake-indexeddb';
import { WorkspaceSession } from '../../../src/store/locking.ts';
import { createTableSaves, saveStatus, type SaveStatus, type TableSavesSnapshot } from '../../../src/engine/table-saves.ts';
import { StoreError } from '../../../src/util/store-errors.ts';
import { WorkspaceStore } from '../../../src/store/workspace.ts';

let factory: IDBFactory;
let store: WorkspaceStore;
let session: WorkspaceSession;

beforeEach(async () => {
  factory = new IDBFactory();
  store = await WorkspaceStore.open(factory, { name: 'aisle-table-saves' });
  session = await WorkspaceSession.start(store, { iterations: 1_000, minIterations: 1_000 });
});

afterEach(() => {
  vi.restoreAllMocks();
  store.close();
});

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Let every queued microtask and IndexedDB callback run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

/** The table's bytes as a connection of its own reads them from IndexedDB. */
async function storedBytes(name: string): Promise<number[] | undefined> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = factory.open('aisle-table-saves');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const record = await new Promise<{ payload: Uint8Array } | undefined>((resolve, reject) => {
    const request = db.transaction('tables', 'readonly').objectStore('tables').get(name);
    request.onsuccess = () => resolve(request.result as { payload: Uint8Array } | undefined);
    request.onerror = () => reject(request.error);
  });
  db.close();
  return record && [...record.payload];
}

describe('saving loaded tables', () => {
  it('says "saving data" from the load until the record is in IndexedDB, then "saved"', async () => {
    const statuses: SaveStatus[] = [];
    let snapshot: TableSavesSnapshot = { pending: [], failed: [] };
    const commitGate = deferred<void>();
    const tables = createTableSaves(
      async (name, bytes) => {
        await commitGate.promise;
        await session.saveTable(name, bytes);
      },
      { onChange: (next) => void statuses.push(saveStatus('idle', (snapshot = next))) },
    );
    const encoded = deferred<Uint8Array>();
    const saved = tables.save('sales', () => encoded.promise);
    expect(saveStatus('idle', snapshot)).toBe('saving-data');
    encoded.resolve(new Uint8Array([5, 4, 1, 9, 0, 9]));
    await settle();
    // Encoded, not yet written: still "saving data", and nothing is in IndexedDB.
    expect(saveStatus('idle', tables.snapshot)).toBe('saving-data');
    expect(await storedBytes('sales')).toBeUndefined();
    commitGate.resolve();
    expect(await saved).toBe('saved');
    expect(statuses).toEqual(['saving-data', 'saved']);
    expect(await storedBytes('sales')).toEqual([5, 4, 1, 9, 0, 9]);
  });

  it('a table save outranks a notebook saved meanwhile; a failure outranks both', () => {
    const none = { pending: [], failed: [] };
    expect(saveStatus('idle', none)).toBe('saved');
    expect(saveStatus('waiting', none)).toBe('unsaved');
    expect(saveStatus('saving', none)).toBe('saving');
    expect(saveStatus('idle', { pending: ['sales'], failed: [] })).toBe('saving-data');
    expect(saveStatus('saving', { pending: ['sales'], failed: [] })).toBe('saving-data');
    expect(saveStatus('idle', { pending: ['sales'], failed: ['returns'] })).toBe('failed');
    expect(saveStatus('failed', none)).toBe('failed');
  });

  it('a failed save says "failed", reports why, and keeps the previous copy', async () => {
    await session.saveTable('sales', new Uint8Array([1, 2, 3]));
    const errors: string[] = [];
    const tables = createTableSaves((name, bytes) => session.saveTable(name, bytes), {
      onError: (name, error) => errors.push(`${name}: ${(error as Error).message}`),
    });
    expect(await tables.save('sales', () => Promise.reject(new Error('the encoder ran out of memory')))).toBe('failed');
    expect(tables.snapshot).toEqual({ pending: [], failed: ['sales'] });
    expect(saveStatus('idle', tables.snapshot)).toBe('failed');
    expect(errors).toEqual(['sales: the encoder ran out of memory']);
    expect(await storedBytes('sales')).toEqual([1, 2, 3]);
    // Saved again: the failure is over.
    expect(await tables.save('sales', async () => new Uint8Array([7]))).toBe('saved');
    expect(saveStatus('idle', tables.snapshot)).toBe('saved');
  });

  it('a newer load of a table wins over an older one still encoding', async () => {
    const tables = createTableSaves((name, bytes) => session.saveTable(name, bytes));
    const slow = deferred<Uint8Array>();
    const older = tables.save('sales', () => slow.promise);
    const newer = tables.save('sales', async () => new Uint8Array([2, 2]));
    slow.resolve(new Uint8Array([1, 1]));
    expect(await Promise.all([older, newer])).toEqual(['superseded', 'saved']);
    await tables.idle();
    expect(await storedBytes('sales')).toEqual([2, 2]);
    expect(tables.snapshot.pending).toEqual([]);
  });
});

describe('a page closed during a save (the browser aborts the open transaction)', () => {
  /** Abort the transaction right after its `n`th record write ran inside IndexedDB, before it commits. */
  function abortAfterNthWrite(n: number): void {
    type Internal = { _execRequestAsync(request: { operation: () => unknown }): unknown; abort(): void };
    const prototype = IDBTransaction.prototype as unknown as Internal;
    const exec = prototype._execRequestAsync;
    let writes = 0;
    vi.spyOn(prototype, '_execRequestAsync').mockImplementation(function (this: Internal, request) {
      if (request.operation.name !== 'bound storeRecord' || ++writes !== n) return exec.call(this, request);
      const operation = request.operation;
      return exec.call(this, {
        ...request,
        operation: () => {
          const result = operation();
          queueMicrotask(() => this.abort());
          return result;
        },
      });
    });
  }

  it('keeps the previous table and revision when the table record was written but not committed', async () => {
    await session.saveTable('sales', new Uint8Array([1, 2, 3]));
    const { revision } = await store.getMeta();
    abortAfterNthWrite(1); // the new table record is written inside the transaction, then the page goes away
    await expect(session.saveTable('sales', new Uint8Array([9, 9, 9, 9]))).rejects.toBeInstanceOf(StoreError);
    vi.restoreAllMocks();
    expect(await storedBytes('sales')).toEqual([1, 2, 3]);
    expect((await store.getMeta()).revision).toBe(revision);
  });

  it('keeps every previous record when a rewrite of the whole workspace is cut off half way', async () => {
    await session.saveNotebook('nb-1', 'one');
    await session.saveTable('sales', new Uint8Array([1]));
    await session.saveTable('returns', new Uint8Array([2]));
    const before = await store.snapshot();
    abortAfterNthWrite(2); // the notebook and one table are re-written, the other table is not
    await expect(session.lock('correct horse battery staple')).rejects.toBeInstanceOf(StoreError);
    vi.restoreAllMocks();
    expect(await store.snapshot()).toEqual(before);
    expect(session.state).toBe('unprotected');
  });
});
