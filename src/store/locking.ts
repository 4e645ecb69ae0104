/**
 * A workspace as the app uses it: plain text and bytes in and out, encrypted at rest once a passphrase is set.
 *
 * States: `unprotected` (no passphrase; records are plaintext), `locked` (passphrase set, key not in memory;
 * nothing can be read or saved), `unlocked` (passphrase set, key in memory; every save is sealed with it, and
 * storage still holds only envelopes). Setting, changing and removing the passphrase re-write every record in
 * one transaction, so a failure half way leaves the workspace as it was. The key is derived once per unlock;
 * autosaves reuse it (`sealWithKey`, fresh IV each time) instead of re-running 600,000 PBKDF2 iterations.
 */
import {
  deriveKeyFor,
  EnvelopeError,
  newDerivedKey,
  openWithKey,
  sealWithKey,
  bytesToBase64,
  type DerivedKey,
  type Envelope,
  type SealOptions,
} from './crypto.ts';
import { StoreError, type NotebookRecord, type TableRecord, type WorkspaceMeta, type WorkspaceStore } from './workspace.ts';

export type LockState = 'unprotected' | 'locked' | 'unlocked';

/** A stored record that the workspace's verified key cannot open: some of its bytes were changed on disk. */
export interface DamagedRecord {
  readonly kind: 'notebook' | 'table';
  /** The notebook id or the table name it is stored under. */
  readonly key: string;
}

/**
 * One record is damaged; the passphrase was right and every other record still opens. Told apart from a wrong
 * passphrase because `unlock` proved the key on the meta record's check envelope first.
 */
export class DamagedRecordError extends StoreError {
  constructor(
    readonly record: DamagedRecord,
    message = `The saved ${record.kind} "${record.key}" is damaged: it was changed on disk and no longer decrypts.`,
    options?: { cause?: unknown },
  ) {
    super('damaged', message, options);
  }
}

/** The tables that opened, and the ones that are damaged (by name). */
export interface LoadedTables {
  readonly tables: Map<string, Uint8Array>;
  readonly damaged: readonly DamagedRecord[];
}

/** The known plaintext of the meta record's check envelope. */
const CHECK_TEXT = 'aisle-workspace-check-v1';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Notebooks and tables over a WorkspaceStore, encrypting transparently when locked. `await WorkspaceSession.start(store)`. */
export class WorkspaceSession {
  readonly #store: WorkspaceStore;
  readonly #options: SealOptions;
  #protected: boolean;
  #key: DerivedKey | undefined;
  /** Every operation runs after the previous one settles, so a re-encryption never interleaves with a save. */
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(store: WorkspaceStore, meta: WorkspaceMeta, options: SealOptions) {
    this.#store = store;
    this.#options = options;
    this.#protected = meta.locked;
  }

  /** A session over `store`, locked if the workspace has a passphrase. `options` lower iterations in tests only. */
  static async start(store: WorkspaceStore, options: SealOptions = {}): Promise<WorkspaceSession> {
    return new WorkspaceSession(store, await store.getMeta(), options);
  }

  /** Whether the workspace has a passphrase, and whether its key is in memory. */
  get state(): LockState {
    return !this.#protected ? 'unprotected' : this.#key ? 'unlocked' : 'locked';
  }

  /** Save a notebook's text (sealed if the workspace has a passphrase). */
  saveNotebook(id: string, text: string): Promise<void> {
    return this.#exclusive(async () => this.#store.saveNotebook(id, await this.#sealIfProtected(text, () => encoder.encode(text))));
  }

  /** A notebook's text, or undefined if there is none. */
  loadNotebook(id: string): Promise<string | undefined> {
    return this.#exclusive(async () => {
      const payload = await this.#store.loadNotebook(id);
      if (payload === undefined || typeof payload === 'string') return payload;
      return decoder.decode(await this.#openRecord(payload, { kind: 'notebook', key: id }));
    });
  }

  /** Every notebook's id and save time (readable while locked: ids and times are not content). */
  listNotebooks(): Promise<{ id: string; savedAt: number }[]> {
    return this.#exclusive(() => this.#store.listNotebooks());
  }

  /** Delete a notebook. */
  deleteNotebook(id: string): Promise<void> {
    return this.#exclusive(() => this.#store.deleteNotebook(id));
  }

  /** Save a table's Parquet bytes (sealed if the workspace has a passphrase). */
  saveTable(name: string, bytes: Uint8Array): Promise<void> {
    return this.#exclusive(async () => this.#store.saveTable(name, await this.#sealIfProtected(bytes, () => bytes)));
  }

  /** Every stored table's bytes by name; a damaged one is reported, not thrown, so the others still open. */
  loadTables(): Promise<LoadedTables> {
    return this.#exclusive(async () => {
      const tables = new Map<string, Uint8Array>();
      const damaged: DamagedRecord[] = [];
      for (const record of await this.#store.loadTables()) {
        if (record.payload instanceof Uint8Array) {
          tables.set(record.name, record.payload);
          continue;
        }
        try {
          tables.set(record.name, await this.#openRecord(record.payload, { kind: 'table', key: record.name }));
        } catch (error) {
          if (!(error instanceof DamagedRecordError)) throw error;
          damaged.push(error.record);
        }
      }
      return { tables, damaged };
    });
  }

  /**
   * Delete a damaged record, and only while it is still damaged: a record that opens (saved again since, by
   * this tab or another) is kept and this refuses with 'conflict'.
   */
  removeDamaged(record: DamagedRecord): Promise<void> {
    return this.#exclusive(async () => {
      const payload = record.kind === 'notebook' ? await this.#store.loadNotebook(record.key) : await this.#store.loadTable(record.key);
      if (payload === undefined) return;
      let readable = typeof payload === 'string' || payload instanceof Uint8Array;
      if (!readable) {
        readable = await this.#openRecord(payload as Envelope, record).then(
          () => true,
          (error: unknown) => {
            if (error instanceof DamagedRecordError) return false;
            throw error;
          },
        );
      }
      if (readable) throw new StoreError('conflict', `The ${record.kind} "${record.key}" opens again, so it was kept.`);
      await (record.kind === 'notebook' ? this.#store.deleteNotebook(record.key) : this.#store.deleteTable(record.key));
    });
  }

  /** Delete a table. */
  deleteTable(name: string): Promise<void> {
    return this.#exclusive(() => this.#store.deleteTable(name));
  }

  /** Set a passphrase: every record is re-written as an envelope in one transaction. The session stays unlocked. */
  lock(passphrase: string): Promise<void> {
    return this.#exclusive(async () => {
      const snapshot = await this.#store.snapshot();
      if (snapshot.meta.locked) {
        this.#protected = true;
        throw new StoreError('locked', 'The workspace already has a passphrase: change it instead.');
      }
      const key = await newDerivedKey(passphrase, this.#options);
      await this.#rewrite(snapshot.meta.revision, snapshot.notebooks, snapshot.tables, async (bytes) => sealWithKey(bytes, key), key);
      this.#protected = true;
      this.#key = key;
    });
  }

  /** Check `passphrase` against the workspace and keep its key in memory; writes nothing. Wrong → EnvelopeError. */
  unlock(passphrase: string): Promise<void> {
    return this.#exclusive(async () => {
      const meta = await this.#store.getMeta();
      this.#protected = meta.locked;
      if (!meta.locked) return;
      this.#key = await this.#verify(meta, passphrase);
    });
  }

  /** Drop the key from memory ("Lock now"); storage already holds only envelopes. */
  forget(): void {
    this.#key = undefined;
  }

  /** Re-seal every record under a new passphrase (new salt) in one transaction; checks the current one first. */
  changePassphrase(current: string, next: string): Promise<void> {
    return this.#exclusive(async () => {
      const snapshot = await this.#store.snapshot();
      const meta = this.#requireProtected(snapshot.meta);
      const oldKey = await this.#verify(meta, current);
      const newKey = await newDerivedKey(next, this.#options);
      await this.#rewrite(
        snapshot.meta.revision,
        snapshot.notebooks,
        snapshot.tables,
        async (bytes) => sealWithKey(bytes, newKey),
        newKey,
        oldKey,
      );
      this.#key = newKey;
    });
  }

  /** Remove the passphrase: every record is decrypted and re-written as plaintext in one transaction. */
  removeLock(passphrase: string): Promise<void> {
    return this.#exclusive(async () => {
      const snapshot = await this.#store.snapshot();
      const meta = this.#requireProtected(snapshot.meta);
      const key = await this.#verify(meta, passphrase);
      await this.#rewrite(snapshot.meta.revision, snapshot.notebooks, snapshot.tables, async (bytes) => bytes, undefined, key);
      this.#protected = false;
      this.#key = undefined;
    });
  }

  /**
   * Decrypt (with `oldKey`, when records are sealed), transform every record, and write them all with the new
   * lock meta in one transaction. Any record that fails to open stops everything before a byte is written.
   */
  async #rewrite(
    revision: number,
    notebooks: readonly NotebookRecord[],
    tables: readonly TableRecord[],
    transform: (plaintext: Uint8Array) => Promise<Uint8Array | Envelope>,
    newKey: DerivedKey | undefined,
    oldKey?: DerivedKey,
  ): Promise<void> {
    const plaintextOf = async (payload: string | Uint8Array | Envelope, record: DamagedRecord): Promise<Uint8Array> => {
      if (typeof payload === 'string') return encoder.encode(payload);
      if (payload instanceof Uint8Array) return payload;
      if (!oldKey) throw new StoreError('conflict', 'A record is encrypted but the workspace has no passphrase; nothing was changed.');
      try {
        return await openWithKey(payload, oldKey, this.#options);
      } catch (error) {
        const message = `The saved ${record.kind} "${record.key}" is damaged and cannot be re-encrypted; nothing was changed. Remove it first.`;
        throw new DamagedRecordError(record, message, { cause: error });
      }
    };
    const nextNotebooks: NotebookRecord[] = [];
    for (const record of notebooks) {
      const sealed = await transform(await plaintextOf(record.payload, { kind: 'notebook', key: record.id }));
      nextNotebooks.push({ ...record, payload: sealed instanceof Uint8Array ? decoder.decode(sealed) : sealed });
    }
    const nextTables: TableRecord[] = [];
    for (const record of tables) {
      nextTables.push({ ...record, payload: await transform(await plaintextOf(record.payload, { kind: 'table', key: record.name })) });
    }
    const lock = newKey
      ? ({
          locked: true,
          kdf: { salt: bytesToBase64(newKey.salt), iterations: newKey.iterations },
          check: await sealWithKey(encoder.encode(CHECK_TEXT), newKey),
        } as const)
      : ({ locked: false } as const);
    await this.#store.rewriteAll(revision, { lock, notebooks: nextNotebooks, tables: nextTables });
  }

  /** The passphrase's key, proven by opening the meta record's check envelope. */
  async #verify(meta: Extract<WorkspaceMeta, { locked: true }>, passphrase: string): Promise<DerivedKey> {
    const key = await deriveKeyFor(meta.check, passphrase, this.#options);
    const check = decoder.decode(await openWithKey(meta.check, key, this.#options));
    if (check !== CHECK_TEXT || bytesToBase64(key.salt) !== meta.kdf.salt || key.iterations !== meta.kdf.iterations) {
      throw new EnvelopeError('wrong-passphrase-or-tampered', 'Wrong passphrase, or the file was altered.');
    }
    return key;
  }

  #requireProtected(meta: WorkspaceMeta): Extract<WorkspaceMeta, { locked: true }> {
    this.#protected = meta.locked;
    if (!meta.locked) throw new StoreError('invalid', 'The workspace has no passphrase.');
    return meta;
  }

  async #sealIfProtected<T extends string | Uint8Array>(plain: T, bytes: () => Uint8Array): Promise<T | Envelope> {
    if (!this.#protected) return plain;
    return sealWithKey(bytes(), this.#requireKey());
  }

  /** Open one record under the verified key; any failure then means the record, not the passphrase, is wrong. */
  async #openRecord(envelope: Envelope, record: DamagedRecord): Promise<Uint8Array> {
    const key = this.#requireKey();
    try {
      return await openWithKey(envelope, key, this.#options);
    } catch (error) {
      if (!(error instanceof EnvelopeError)) throw error;
      // Another tab may have changed the passphrase: then the record is fine and this tab's key is stale.
      const meta = await this.#store.getMeta();
      if (!meta.locked || meta.kdf.salt !== bytesToBase64(key.salt) || meta.kdf.iterations !== key.iterations) {
        throw new StoreError('conflict', 'The passphrase was changed or removed in another tab: reload the page and unlock again.', { cause: error });
      }
      throw new DamagedRecordError(record, undefined, { cause: error });
    }
  }

  #requireKey(): DerivedKey {
    if (!this.#key) throw new StoreError('locked', 'The workspace is locked: unlock it with its passphrase first.');
    return this.#key;
  }

  #exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(operation);
    this.#queue = result.catch(() => {});
    return result;
  }
}
