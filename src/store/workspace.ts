/**
 * The workspace store: notebooks, the bytes of loaded tables and one meta record, in IndexedDB.
 *
 * Every write is one readwrite transaction, which IndexedDB commits whole or not at all, so a failed save
 * (quota, a crash, a closed tab) leaves the previous record as it was. Each write also reads the meta record
 * in the same transaction and refuses a payload that does not match it: plaintext while the workspace is
 * locked, or an envelope sealed under another key — so no tab, however stale, can write plaintext into a
 * locked workspace. Unprotected, records are keyed by their names (notebook ids, table names); locked, by
 * opaque tags of them (64 hex digits), with each name sealed inside its record, so no name is readable either.
 * Encryption and the tags themselves are made above this layer, by the session in `locking.ts`; the record shapes
 * and the invariant every write is checked against are in `records.ts`.
 */
import { messageOf } from '../util/errors.ts';
import { StoreError } from '../util/store-errors.ts';
import type { Envelope } from './crypto.ts';
import {
  checkKey,
  checkRecord,
  exactBytes,
  withLock,
  WORKSPACE_VERSION,
  type NotebookPayload,
  type NotebookRecord,
  type NotebookSummary,
  type TablePayload,
  type TableRecord,
  type WorkspaceLockMeta,
  type WorkspaceMeta,
  type WorkspaceSnapshot,
} from './records.ts';

export interface WorkspaceStoreOptions {
  /** IndexedDB database name (default "aisle-workspace"). */
  readonly name?: string;
  /** Clock for `savedAt` (default Date.now). */
  readonly now?: () => number;
}

const NOTEBOOKS = 'notebooks';
const TABLES = 'tables';
const META = 'meta';
const META_KEY = 'workspace';
const ALL_STORES = [NOTEBOOKS, TABLES, META];
const EMPTY_META: WorkspaceMeta = { version: WORKSPACE_VERSION, revision: 0, locked: false };

/** Named records in IndexedDB. `const store = await WorkspaceStore.open(indexedDB)`. */
export class WorkspaceStore {
  readonly #db: IDBDatabase;
  readonly #now: () => number;

  private constructor(db: IDBDatabase, options: WorkspaceStoreOptions) {
    this.#db = db;
    this.#now = options.now ?? Date.now;
    // Let another tab upgrade the schema rather than block it; later calls here then fail as 'unavailable'.
    db.onversionchange = () => db.close();
  }

  /** Open (creating if needed) the workspace database through the given factory: `indexedDB` in the browser. */
  static async open(factory: IDBFactory, options: WorkspaceStoreOptions = {}): Promise<WorkspaceStore> {
    const name = options.name ?? 'aisle-workspace';
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      let request: IDBOpenDBRequest;
      try {
        request = factory.open(name, WORKSPACE_VERSION);
      } catch (error) {
        reject(unavailable(error));
        return;
      }
      request.onupgradeneeded = () => {
        const db = request.result;
        for (const store of ALL_STORES) if (!db.objectStoreNames.contains(store)) db.createObjectStore(store);
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(unavailable(request.error));
      request.onblocked = () =>
        reject(new StoreError('blocked', 'Another Aisle tab is holding the workspace open: close other Aisle tabs and reload.'));
    });
    return new WorkspaceStore(db, options);
  }

  /** Save a notebook, replacing the previous version only if the whole write commits. `sealedName`: locked workspaces only. */
  async saveNotebook(id: string, payload: NotebookPayload, sealedName?: Envelope): Promise<void> {
    checkKey(id, 'notebook id');
    await this.#write([NOTEBOOKS], (tx, meta) => {
      const record: NotebookRecord = { id, payload, savedAt: this.#now(), ...(sealedName && { sealedName }) };
      checkRecord(meta, 'notebook', record);
      tx.objectStore(NOTEBOOKS).put(record, id);
    });
  }

  /** The stored notebook, or undefined. */
  async loadNotebook(id: string): Promise<NotebookPayload | undefined> {
    return (await this.getNotebook(id))?.payload;
  }

  /** The whole stored notebook record under `id` (a name, or an opaque key), or undefined. */
  async getNotebook(id: string): Promise<NotebookRecord | undefined> {
    return this.#read([NOTEBOOKS], (tx) => request<NotebookRecord | undefined>(tx.objectStore(NOTEBOOKS).get(id)));
  }

  /** Every notebook's key, save time and (locked) sealed name, in key order. */
  async listNotebooks(): Promise<NotebookSummary[]> {
    const records = await this.#read([NOTEBOOKS], (tx) => request<NotebookRecord[]>(tx.objectStore(NOTEBOOKS).getAll()));
    return records.map(({ id, savedAt, sealedName }) => ({ id, savedAt, ...(sealedName && { sealedName }) }));
  }

  /** Delete a notebook (no error if there is none). */
  async deleteNotebook(id: string): Promise<void> {
    await this.#write([NOTEBOOKS], (tx) => {
      tx.objectStore(NOTEBOOKS).delete(id);
    });
  }

  /** Save a table's bytes (or their envelope) under its name (or, locked, its opaque key and `sealedName`). */
  async saveTable(name: string, payload: TablePayload, sealedName?: Envelope): Promise<void> {
    checkKey(name, 'table name');
    await this.#write([TABLES], (tx, meta) => {
      const record: TableRecord = { name, payload: exactBytes(payload), savedAt: this.#now(), ...(sealedName && { sealedName }) };
      checkRecord(meta, 'table', record);
      tx.objectStore(TABLES).put(record, name);
    });
  }

  /** Every stored table, in name order. */
  async loadTables(): Promise<TableRecord[]> {
    return this.#read([TABLES], (tx) => request<TableRecord[]>(tx.objectStore(TABLES).getAll()));
  }

  /** One stored table, or undefined. */
  async loadTable(name: string): Promise<TablePayload | undefined> {
    return (await this.getTable(name))?.payload;
  }

  /** The whole stored table record under `name` (a name, or an opaque key), or undefined. */
  async getTable(name: string): Promise<TableRecord | undefined> {
    return this.#read([TABLES], (tx) => request<TableRecord | undefined>(tx.objectStore(TABLES).get(name)));
  }

  /** Delete a table (no error if there is none). */
  async deleteTable(name: string): Promise<void> {
    await this.#write([TABLES], (tx) => {
      tx.objectStore(TABLES).delete(name);
    });
  }

  /** The meta record; an empty workspace is unlocked at revision 0. */
  async getMeta(): Promise<WorkspaceMeta> {
    return this.#read([META], (tx) => readMeta(tx));
  }

  /** Set the lock meta; refused unless every stored record already matches it (use `rewriteAll` to change both at once). */
  async setMeta(lock: WorkspaceLockMeta): Promise<void> {
    await this.#write([NOTEBOOKS, TABLES], async (tx) => {
      const meta = withLock(lock, 0);
      const [notebooks, tables] = await Promise.all([
        request<NotebookRecord[]>(tx.objectStore(NOTEBOOKS).getAll()),
        request<TableRecord[]>(tx.objectStore(TABLES).getAll()),
      ]);
      for (const record of notebooks) checkRecord(meta, 'notebook', record);
      for (const record of tables) checkRecord(meta, 'table', record);
      return lock;
    });
  }

  /** Every record and the meta, consistent with each other (one read transaction). */
  async snapshot(): Promise<WorkspaceSnapshot> {
    return this.#read(ALL_STORES, async (tx) => {
      const [meta, notebooks, tables] = await Promise.all([
        readMeta(tx),
        request<NotebookRecord[]>(tx.objectStore(NOTEBOOKS).getAll()),
        request<TableRecord[]>(tx.objectStore(TABLES).getAll()),
      ]);
      return { meta, notebooks, tables };
    });
  }

  /**
   * Replace every record and the lock meta in one transaction: all or nothing. Records may change keys (names
   * to opaque keys and back): every old one is deleted. Refused with 'conflict' if anything was written since
   * `expectedRevision` (the snapshot this rewrite was computed from).
   */
  async rewriteAll(
    expectedRevision: number,
    next: { lock: WorkspaceLockMeta; notebooks: readonly NotebookRecord[]; tables: readonly TableRecord[] },
  ): Promise<void> {
    const meta = withLock(next.lock, 0);
    for (const record of next.notebooks) checkRecord(meta, 'notebook', record);
    for (const record of next.tables) checkRecord(meta, 'table', record);
    await this.#write([NOTEBOOKS, TABLES], (tx, current) => {
      if (current.revision !== expectedRevision) {
        throw new StoreError('conflict', 'The workspace changed while it was being re-encrypted (another tab?); nothing was changed. Try again.');
      }
      const notebooks = tx.objectStore(NOTEBOOKS);
      const tables = tx.objectStore(TABLES);
      notebooks.clear();
      tables.clear();
      for (const record of next.notebooks) notebooks.put(record, record.id);
      for (const record of next.tables) tables.put({ ...record, payload: exactBytes(record.payload) }, record.name);
      return next.lock;
    });
  }

  /** Delete every notebook, table and the lock: an empty, unlocked workspace. */
  async clearAll(): Promise<void> {
    await this.#write([NOTEBOOKS, TABLES], (tx) => {
      tx.objectStore(NOTEBOOKS).clear();
      tx.objectStore(TABLES).clear();
      return { locked: false };
    });
  }

  /** Close the database connection. */
  close(): void {
    this.#db.close();
  }

  /**
   * One readwrite transaction over `stores` and the meta record: `body` sees the current meta, queues its
   * requests, and may return a new lock meta. The meta's revision is bumped in the same transaction.
   */
  async #write(
    stores: readonly string[],
    body: (tx: IDBTransaction, meta: WorkspaceMeta) => void | WorkspaceLockMeta | Promise<void | WorkspaceLockMeta>,
  ): Promise<void> {
    await this.#transact([...stores, META], 'readwrite', async (tx) => {
      const meta = await readMeta(tx);
      const lock = (await body(tx, meta)) ?? meta;
      tx.objectStore(META).put(withLock(lock, meta.revision + 1), META_KEY);
    });
  }

  async #read<T>(stores: readonly string[], body: (tx: IDBTransaction) => Promise<T>): Promise<T> {
    return this.#transact(stores, 'readonly', body);
  }

  /**
   * Run `body` in a transaction and resolve once it has committed. Any throw in `body` aborts the transaction,
   * so nothing it queued is written; IndexedDB's own failures (quota at commit) arrive through `abort`.
   */
  async #transact<T>(stores: readonly string[], mode: IDBTransactionMode, body: (tx: IDBTransaction) => Promise<T>): Promise<T> {
    let tx: IDBTransaction;
    try {
      tx = this.#db.transaction([...stores], mode);
    } catch (error) {
      throw unavailable(error);
    }
    const settled = new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onabort = () => reject(tx.error ?? new StoreError('failed', 'The save was cancelled; the previous version is kept.'));
    });
    settled.catch(() => {}); // observed below; this stops an early abort counting as an unhandled rejection
    let result: T;
    try {
      result = await body(tx);
    } catch (error) {
      try {
        tx.abort();
      } catch {
        // Already aborted by IndexedDB itself (a failed request); `tx.error` then says why.
      }
      await settled.catch(() => {});
      throw toStoreError(tx.error ?? error);
    }
    try {
      await settled;
    } catch (error) {
      throw toStoreError(error);
    }
    return result;
  }
}

function readMeta(tx: IDBTransaction): Promise<WorkspaceMeta> {
  return request<WorkspaceMeta | undefined>(tx.objectStore(META).get(META_KEY)).then((meta) => meta ?? EMPTY_META);
}

function request<T>(req: IDBRequest): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    req.onsuccess = () => resolve(req.result as T);
    req.onerror = () => reject(req.error);
  });
}

function unavailable(error: unknown): StoreError {
  return new StoreError(
    'unavailable',
    'Browser storage is unavailable (a private window, or storage switched off for this site): the workspace cannot be saved.',
    { cause: error },
  );
}

/** Map what IndexedDB throws to a StoreError with a message for a person. */
export function toStoreError(error: unknown): StoreError {
  if (error instanceof StoreError) return error;
  const name = error instanceof Error || (typeof error === 'object' && error !== null && 'name' in error) ? (error as { name: unknown }).name : undefined;
  switch (name) {
    case 'QuotaExceededError':
      return new StoreError(
        'quota',
        'Browser storage is full: this save did not happen and the previous version is kept. Delete tables you no longer need, or export the notebook.',
        { cause: error },
      );
    case 'InvalidStateError':
    case 'UnknownError':
    case 'VersionError':
      return unavailable(error);
    case 'DataCloneError':
      return new StoreError('invalid', 'This value cannot be stored in the browser.', { cause: error });
    default:
      return new StoreError('failed', `Browser storage failed (${messageOf(error)}); nothing was changed.`, { cause: error });
  }
}
