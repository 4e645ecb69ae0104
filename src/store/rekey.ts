/**
 * Re-keying every record of a workspace at once, for setting, changing and removing its passphrase and for moving
 * records of a workspace locked before names were hidden to opaque keys. Computes the records only; the session
 * writes them (with the pointer to the open notebook) in one transaction.
 */
import { DamagedRecordError, StoreError, type RecordKind } from '../util/store-errors.ts';
import { openWithKey, sealWithKey, type Envelope, type KdfPolicy, type WorkspaceKey } from './crypto.ts';
import { decoder, encoder, lockMetaFor, recordTag, sealRecord } from './record-seal.ts';
import type { NotebookRecord, TableRecord, WorkspaceLockMeta } from './records.ts';

/** A record's sealed name under `key`, or undefined when it is damaged (the session's check, which also refuses a stale key). */
export type NameOpener = (key: WorkspaceKey, kind: RecordKind, storedKey: string, sealedName: Envelope) => Promise<string | undefined>;

export interface Rekeyed {
  readonly lock: WorkspaceLockMeta;
  readonly notebooks: readonly NotebookRecord[];
  readonly tables: readonly TableRecord[];
  /** Notebook ids by the key they were stored under, to move the pointer. */
  readonly ids: ReadonlyMap<string, string>;
}

/**
 * Open every record (names and payloads, with `oldKey` when they are sealed), re-key and re-seal it for
 * `newKey` (or plain under its name without one). Any record that fails to open stops everything: a
 * DamagedRecordError naming it, before a byte is written.
 */
export async function rekeyRecords(
  records: { readonly notebooks: readonly NotebookRecord[]; readonly tables: readonly TableRecord[] },
  oldKey: WorkspaceKey | undefined,
  newKey: WorkspaceKey | undefined,
  openName: NameOpener,
  policy: KdfPolicy,
): Promise<Rekeyed> {
  const unseal = async (kind: RecordKind, record: NotebookRecord | TableRecord): Promise<[string, Uint8Array]> => {
    const storedKey = 'id' in record ? record.id : record.name;
    const { payload, sealedName } = record;
    if ((sealedName !== undefined || !(typeof payload === 'string' || payload instanceof Uint8Array)) && !oldKey) {
      throw new StoreError('conflict', 'A record is encrypted but the workspace has no passphrase; nothing was changed.');
    }
    let name = storedKey;
    if (sealedName !== undefined && oldKey) {
      const unsealed = await openName(oldKey, kind, storedKey, sealedName);
      if (unsealed === undefined) {
        const message = `A saved ${kind} is damaged, its name too, so it cannot be re-encrypted; nothing was changed. Remove it first.`;
        throw new DamagedRecordError({ kind, key: storedKey, unnamed: true }, message);
      }
      name = unsealed;
    }
    if (typeof payload === 'string') return [name, encoder.encode(payload)];
    if (payload instanceof Uint8Array) return [name, payload];
    try {
      return [name, await openWithKey(payload, oldKey!, policy)];
    } catch (error) {
      const message = `The saved ${kind} "${name}" is damaged and cannot be re-encrypted; nothing was changed. Remove it first.`;
      throw new DamagedRecordError({ kind, key: name }, message, { cause: error });
    }
  };
  const ids = new Map<string, string>();
  const notebooks: NotebookRecord[] = [];
  for (const record of records.notebooks) {
    const [id, plaintext] = await unseal('notebook', record);
    ids.set(record.id, id);
    if (!newKey) {
      notebooks.push({ id, payload: decoder.decode(plaintext), savedAt: record.savedAt });
      continue;
    }
    const [storedKey, payload, sealedName] = await sealRecord(newKey, 'notebook', id, plaintext);
    notebooks.push({ id: storedKey, payload, savedAt: record.savedAt, sealedName });
  }
  const tables: TableRecord[] = [];
  for (const record of records.tables) {
    const [name, plaintext] = await unseal('table', record);
    if (!newKey) {
      tables.push({ name, payload: plaintext, savedAt: record.savedAt });
      continue;
    }
    const [storedKey, payload, sealedName] = await sealRecord(newKey, 'table', name, plaintext);
    tables.push({ name: storedKey, payload, savedAt: record.savedAt, sealedName });
  }
  return { lock: await lockMetaFor(newKey), notebooks, tables, ids };
}

/** Records stored under their names in a locked workspace (from before names were hidden), moved to opaque keys with their names sealed. */
export async function hideNames(
  key: WorkspaceKey,
  records: { readonly notebooks: readonly NotebookRecord[]; readonly tables: readonly TableRecord[] },
): Promise<{ notebooks: NotebookRecord[]; tables: TableRecord[] }> {
  const notebooks = await Promise.all(
    records.notebooks.map(async (record) =>
      record.sealedName !== undefined
        ? record
        : { ...record, id: await recordTag(key, 'notebook', record.id), sealedName: await sealWithKey(encoder.encode(record.id), key) },
    ),
  );
  const tables = await Promise.all(
    records.tables.map(async (record) =>
      record.sealedName !== undefined
        ? record
        : { ...record, name: await recordTag(key, 'table', record.name), sealedName: await sealWithKey(encoder.encode(record.name), key) },
    ),
  );
  return { notebooks, tables };
}
