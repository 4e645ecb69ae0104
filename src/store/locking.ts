/**
 * A workspace as the app uses it: plain text and bytes in and out, encrypted at rest once a passphrase is set.
 *
 * States: `unprotected` (no passphrase; records are plaintext), `locked` (passphrase set, key not in memory;
 * nothing can be read or saved), `unlocked` (passphrase set, key in memory; every save is sealed with it, and
 * storage still holds only envelopes). Setting, changing and removing the passphrase re-write every record in
 * one transaction, so a failure half way leaves the workspace as it was. The key is derived once per unlock;
 * autosaves reuse it (`sealWithKey`, fresh IV each time) instead of re-running 600,000 PBKDF2 iterations.
 *
 * Names are secret too (table names come from file names, often a client's): with a passphrase, a record is
 * stored under `HMAC-SHA-256(names key, "<kind>:<name>")` and its name is sealed inside it, so the session can
 * still find a record by name while storage lists none. The pointer to the open notebook (localStorage) is such
 * a tag too. Each record carries its own sealed name, so one damaged record never hides the others' names.
 */
import type { LoadedTables, LockState, NotebookEntry, Workspace } from '../engine/ports.ts';
import { DamagedRecordError, StoreError, type DamagedRecord, type RecordKind } from '../util/store-errors.ts';
import { EnvelopeError, newWorkspaceKey, openWithKey, bytesToBase64, workspaceKeyFor, type Envelope, type SealOptions, type WorkspaceKey } from './crypto.ts';
import { readPointer, writePointer, type PointerStorage } from './pointer.ts';
import { CHECK_TEXT, decoder, encoder, recordTag, sealRecord } from './record-seal.ts';
import { OPAQUE_KEY, type NotebookRecord, type TableRecord, type WorkspaceMeta } from './records.ts';
import { hideNames, rekeyRecords } from './rekey.ts';
import type { WorkspaceStore } from './workspace.ts';

export interface SessionOptions extends SealOptions {
  /** Remembers the open notebook: its id, or with a passphrase an opaque tag of it. */
  readonly pointer?: PointerStorage;
}

/** Notebooks and tables over a WorkspaceStore, encrypting transparently when locked. `await WorkspaceSession.start(store)`. */
export class WorkspaceSession implements Workspace {
  readonly #store: WorkspaceStore;
  readonly #options: SealOptions;
  readonly #pointer: PointerStorage | undefined;
  #protected: boolean;
  #key: WorkspaceKey | undefined;
  /** Every operation runs after the previous one settles, so a re-encryption never interleaves with a save. */
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(store: WorkspaceStore, meta: WorkspaceMeta, options: SessionOptions) {
    const { pointer, ...sealOptions } = options;
    this.#store = store;
    this.#options = sealOptions;
    this.#pointer = pointer;
    this.#protected = meta.locked;
  }

  /** A session over `store`, locked if the workspace has a passphrase. `options` lower iterations in tests only. */
  static async start(store: WorkspaceStore, options: SessionOptions = {}): Promise<WorkspaceSession> {
    return new WorkspaceSession(store, await store.getMeta(), options);
  }

  /** Whether the workspace has a passphrase, and whether its key is in memory. */
  get state(): LockState {
    return !this.#protected ? 'unprotected' : this.#key ? 'unlocked' : 'locked';
  }

  /** Save a notebook's text (sealed, and stored under an opaque key, if the workspace has a passphrase). */
  saveNotebook(id: string, text: string): Promise<void> {
    return this.#exclusive(async () => {
      if (!this.#protected) return this.#store.saveNotebook(id, text);
      const key = this.#requireKey();
      const [storedKey, payload, sealedName] = await sealRecord(key, 'notebook', id, encoder.encode(text));
      await this.#store.saveNotebook(storedKey, payload, sealedName);
    });
  }

  /** A notebook's text, or undefined if there is none. */
  loadNotebook(id: string): Promise<string | undefined> {
    return this.#exclusive(async () => {
      const payload = await this.#store.loadNotebook(await this.#storedKey('notebook', id));
      if (payload === undefined) return this.#nothingStored();
      if (typeof payload === 'string') return payload;
      return decoder.decode(await this.#openRecord(payload, { kind: 'notebook', key: id }));
    });
  }

  /** Every notebook's id and save time. With a passphrase the ids are sealed, so this needs the key. */
  listNotebooks(): Promise<NotebookEntry[]> {
    return this.#exclusive(async () => {
      const entries = await this.#store.listNotebooks();
      return Promise.all(
        entries.map(async ({ id, savedAt, sealedName }): Promise<NotebookEntry> => {
          if (sealedName === undefined) return { id, savedAt };
          const name = await this.#openName(this.#requireKey(), 'notebook', id, sealedName);
          return name === undefined ? { id, savedAt, damaged: { kind: 'notebook', key: id, unnamed: true } } : { id: name, savedAt };
        }),
      );
    });
  }

  /** Delete a notebook. */
  deleteNotebook(id: string): Promise<void> {
    return this.#exclusive(async () => this.#store.deleteNotebook(await this.#storedKey('notebook', id)));
  }

  /** Save a table's Parquet bytes (sealed, and stored under an opaque key, if the workspace has a passphrase). */
  saveTable(name: string, bytes: Uint8Array): Promise<void> {
    return this.#exclusive(async () => {
      if (!this.#protected) return this.#store.saveTable(name, bytes);
      const [storedKey, payload, sealedName] = await sealRecord(this.#requireKey(), 'table', name, bytes);
      await this.#store.saveTable(storedKey, payload, sealedName);
    });
  }

  /** Every stored table's bytes by name, in name order; a damaged one is reported, not thrown, so the others still open. */
  loadTables(): Promise<LoadedTables> {
    return this.#exclusive(async () => {
      const opened: [string, Uint8Array][] = [];
      const damaged: DamagedRecord[] = [];
      for (const record of await this.#store.loadTables()) {
        if (record.payload instanceof Uint8Array) {
          opened.push([record.name, record.payload]);
          continue;
        }
        let name = record.name;
        if (record.sealedName !== undefined) {
          const unsealed = await this.#openName(this.#requireKey(), 'table', record.name, record.sealedName);
          if (unsealed === undefined) {
            damaged.push({ kind: 'table', key: record.name, unnamed: true });
            continue;
          }
          name = unsealed;
        }
        try {
          opened.push([name, await this.#openRecord(record.payload, { kind: 'table', key: name })]);
        } catch (error) {
          if (!(error instanceof DamagedRecordError)) throw error;
          damaged.push(error.record);
        }
      }
      // Opaque keys come back in no useful order; restore in name order as an unprotected workspace does.
      opened.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return { tables: new Map(opened), damaged };
    });
  }

  /**
   * Delete a damaged record, and only while it is still damaged: a record that opens (saved again since, by
   * this tab or another) is kept and this refuses with 'conflict'.
   */
  removeDamaged(record: DamagedRecord): Promise<void> {
    return this.#exclusive(async () => {
      const storedKey = record.unnamed ? record.key : await this.#storedKey(record.kind, record.key);
      const stored = record.kind === 'notebook' ? await this.#store.getNotebook(storedKey) : await this.#store.getTable(storedKey);
      if (stored === undefined) return this.#nothingStored();
      if (await this.#readable(record, stored)) {
        throw new StoreError('conflict', record.unnamed ? `That ${record.kind} opens again, so it was kept.` : `The ${record.kind} "${record.key}" opens again, so it was kept.`);
      }
      await (record.kind === 'notebook' ? this.#store.deleteNotebook(storedKey) : this.#store.deleteTable(storedKey));
    });
  }

  /** The key a record named `name` is stored under: the name, or with a passphrase its opaque tag (which names a damaged-name record). */
  storedKeyOf(kind: RecordKind, name: string): Promise<string> {
    return this.#exclusive(() => this.#storedKey(kind, name));
  }

  /** Delete a table. */
  deleteTable(name: string): Promise<void> {
    return this.#exclusive(async () => this.#store.deleteTable(await this.#storedKey('table', name)));
  }

  /** Remember `id` as the open notebook (with a passphrase, as an opaque tag). Best effort: a storage failure is ignored. */
  rememberNotebook(id: string): Promise<void> {
    return this.#exclusive(async () => {
      if (!this.#protected) return writePointer(this.#pointer, id);
      if (this.#key) writePointer(this.#pointer, await recordTag(this.#key, 'notebook', id));
    });
  }

  /** The notebook last remembered as open, if it can be told (a tag needs the key and the notebook's record). */
  rememberedNotebook(): Promise<string | undefined> {
    return this.#exclusive(async () => {
      const value = readPointer(this.#pointer);
      if (value === undefined) return undefined;
      if (!this.#protected) return OPAQUE_KEY.test(value) ? undefined : value;
      const key = this.#key;
      if (!key) return undefined;
      if (!OPAQUE_KEY.test(value)) {
        // A clear id left from before the passphrase (a tab closed half way): hide it now.
        writePointer(this.#pointer, await recordTag(key, 'notebook', value));
        return value;
      }
      const record = await this.#store.getNotebook(value);
      return record?.sealedName === undefined ? undefined : this.#openName(key, 'notebook', value, record.sealedName);
    });
  }

  /** Set a passphrase: every record is re-written sealed under an opaque key, in one transaction. The session stays unlocked. */
  lock(passphrase: string): Promise<void> {
    return this.#exclusive(async () => {
      const snapshot = await this.#store.snapshot();
      if (snapshot.meta.locked) {
        this.#protected = true;
        throw new StoreError('locked', 'The workspace already has a passphrase: change it instead.');
      }
      const key = await newWorkspaceKey(passphrase, this.#options);
      await this.#rewrite(snapshot.meta.revision, snapshot.notebooks, snapshot.tables, undefined, key);
      this.#protected = true;
      this.#key = key;
    });
  }

  /**
   * Check `passphrase` against the workspace and keep its key in memory. Writes nothing, except once for a
   * workspace locked before names were hidden: its records are moved to opaque keys (one transaction).
   */
  unlock(passphrase: string): Promise<void> {
    return this.#exclusive(async () => {
      const meta = await this.#store.getMeta();
      this.#protected = meta.locked;
      if (!meta.locked) return;
      const key = await this.#verify(meta, passphrase);
      await this.#hideLegacyNames(key);
      this.#key = key;
    });
  }

  /** Drop the key from memory ("Lock now"); storage already holds only envelopes and opaque keys. */
  forget(): void {
    this.#key = undefined;
  }

  /** Re-seal every record under a new passphrase (new salt, new opaque keys) in one transaction; checks the current one first. */
  changePassphrase(current: string, next: string): Promise<void> {
    return this.#exclusive(async () => {
      const snapshot = await this.#store.snapshot();
      const meta = this.#requireProtected(snapshot.meta);
      const oldKey = await this.#verify(meta, current);
      const newKey = await newWorkspaceKey(next, this.#options);
      await this.#rewrite(snapshot.meta.revision, snapshot.notebooks, snapshot.tables, oldKey, newKey);
      this.#key = newKey;
    });
  }

  /** Remove the passphrase: every record is decrypted and re-written as plaintext under its name, in one transaction. */
  removeLock(passphrase: string): Promise<void> {
    return this.#exclusive(async () => {
      const snapshot = await this.#store.snapshot();
      const meta = this.#requireProtected(snapshot.meta);
      const key = await this.#verify(meta, passphrase);
      await this.#rewrite(snapshot.meta.revision, snapshot.notebooks, snapshot.tables, key, undefined);
      this.#protected = false;
      this.#key = undefined;
    });
  }

  /**
   * Re-key every record for `newKey` (see `rekeyRecords`) and write them all with the new lock meta in one
   * transaction. The pointer to the open notebook moves with it: before the commit when names are being hidden,
   * after it when they are shown, so a crash in between never leaves a clear id beside a locked workspace.
   */
  async #rewrite(
    revision: number,
    notebooks: readonly NotebookRecord[],
    tables: readonly TableRecord[],
    oldKey: WorkspaceKey | undefined,
    newKey: WorkspaceKey | undefined,
  ): Promise<void> {
    const openName = (key: WorkspaceKey, kind: RecordKind, storedKey: string, sealedName: Envelope) => this.#openName(key, kind, storedKey, sealedName);
    const { lock, notebooks: nextNotebooks, tables: nextTables, ids } = await rekeyRecords({ notebooks, tables }, oldKey, newKey, openName, this.#options);

    const pointer = readPointer(this.#pointer);
    let pointerId = pointer === undefined ? undefined : ids.get(pointer);
    // Unprotected, the pointer may name a notebook not saved yet: it is its own id.
    if (pointer !== undefined && pointerId === undefined && !oldKey && !OPAQUE_KEY.test(pointer)) pointerId = pointer;
    const nextPointer = pointerId === undefined ? undefined : newKey ? await recordTag(newKey, 'notebook', pointerId) : pointerId;
    if (newKey) writePointer(this.#pointer, nextPointer);
    try {
      await this.#store.rewriteAll(revision, { lock, notebooks: nextNotebooks, tables: nextTables });
    } catch (error) {
      if (newKey) writePointer(this.#pointer, pointer);
      throw error;
    }
    if (!newKey) writePointer(this.#pointer, nextPointer);
  }

  /** Move records of a workspace locked before names were hidden (stored under their names) to opaque keys. */
  async #hideLegacyNames(key: WorkspaceKey): Promise<void> {
    const { meta, notebooks, tables } = await this.#store.snapshot();
    if (!meta.locked || meta.kdf.salt !== bytesToBase64(key.salt)) return;
    if ([...notebooks, ...tables].every((record) => record.sealedName !== undefined)) return;
    const { notebooks: nextNotebooks, tables: nextTables } = await hideNames(key, { notebooks, tables });
    const pointer = readPointer(this.#pointer);
    if (pointer !== undefined && !OPAQUE_KEY.test(pointer)) writePointer(this.#pointer, await recordTag(key, 'notebook', pointer));
    await this.#store.rewriteAll(meta.revision, {
      lock: { locked: true, kdf: meta.kdf, check: meta.check },
      notebooks: nextNotebooks,
      tables: nextTables,
    });
  }

  /** The passphrase's keys, proven by opening the meta record's check envelope. */
  async #verify(meta: Extract<WorkspaceMeta, { locked: true }>, passphrase: string): Promise<WorkspaceKey> {
    const key = await workspaceKeyFor(meta.check, passphrase, this.#options);
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

  /** The key a record is stored under: its name, or with a passphrase its tag (which needs the key). */
  async #storedKey(kind: RecordKind, name: string): Promise<string> {
    return this.#protected ? recordTag(this.#requireKey(), kind, name) : name;
  }

  /**
   * A record's sealed name, or undefined when it is damaged: it does not open, or it is not the name its
   * opaque key was made from (a name moved from another record). A stale key is a conflict, as in `#openRecord`.
   */
  async #openName(key: WorkspaceKey, kind: RecordKind, storedKey: string, sealedName: Envelope): Promise<string | undefined> {
    let name: string;
    try {
      name = decoder.decode(await this.#openWith(key, sealedName));
    } catch (error) {
      if (error instanceof EnvelopeError || error instanceof TypeError) return undefined;
      throw error;
    }
    return (await recordTag(key, kind, name)) === storedKey ? name : undefined;
  }

  /** Whether a stored record opens whole (its name and its content). */
  async #readable(record: DamagedRecord, stored: NotebookRecord | TableRecord): Promise<boolean> {
    const storedKey = 'id' in stored ? stored.id : stored.name;
    if (stored.sealedName !== undefined && (await this.#openName(this.#requireKey(), record.kind, storedKey, stored.sealedName)) === undefined) {
      return false;
    }
    if (typeof stored.payload === 'string' || stored.payload instanceof Uint8Array) return true;
    return this.#openRecord(stored.payload, record).then(
      () => true,
      (error: unknown) => {
        if (error instanceof DamagedRecordError) return false;
        throw error;
      },
    );
  }

  /** Open one record under the verified key; any failure then means the record, not the passphrase, is wrong. */
  async #openRecord(envelope: Envelope, record: DamagedRecord): Promise<Uint8Array> {
    try {
      return await this.#openWith(this.#requireKey(), envelope);
    } catch (error) {
      if (!(error instanceof EnvelopeError)) throw error;
      throw new DamagedRecordError(record, undefined, { cause: error });
    }
  }

  /**
   * `openWithKey`, except that when it fails because another tab changed the passphrase (then the record is
   * fine and this tab's key is stale) it throws a 'conflict' StoreError instead of an EnvelopeError.
   */
  async #openWith(key: WorkspaceKey, envelope: Envelope): Promise<Uint8Array> {
    try {
      return await openWithKey(envelope, key, this.#options);
    } catch (error) {
      if (!(error instanceof EnvelopeError)) throw error;
      await this.#refuseStaleKey(key, error);
      throw error;
    }
  }

  /**
   * Nothing is stored under a name. With a passphrase that may only mean another tab changed it (then every
   * opaque key this tab computes is stale), which must not pass for "no such record".
   */
  async #nothingStored(): Promise<undefined> {
    if (this.#protected && this.#key) await this.#refuseStaleKey(this.#key);
    return undefined;
  }

  /** Throw 'conflict' if the workspace is no longer locked under `key` (another tab changed or removed the passphrase). */
  async #refuseStaleKey(key: WorkspaceKey, cause?: unknown): Promise<void> {
    const meta = await this.#store.getMeta();
    if (!meta.locked || meta.kdf.salt !== bytesToBase64(key.salt) || meta.kdf.iterations !== key.iterations) {
      throw new StoreError('conflict', 'The passphrase was changed or removed in another tab: reload the page and unlock again.', { cause });
    }
  }

  #requireKey(): WorkspaceKey {
    if (!this.#key) throw new StoreError('locked', 'The workspace is locked: unlock it with its passphrase first.');
    return this.#key;
  }

  #exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(operation);
    this.#queue = result.catch(() => {});
    return result;
  }
}
