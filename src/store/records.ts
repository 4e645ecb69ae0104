/**
 * What the workspace store holds: its records and meta record, and the privacy invariant every write is checked
 * against (plaintext under names unlocked; envelopes under opaque keys, names sealed, locked).
 */
import { StoreError } from '../util/store-errors.ts';
import { isEnvelope, type Envelope, type KdfPolicy } from './crypto.ts';

/** A notebook as stored: its text, or an Envelope of the UTF-8 text when the workspace is locked. */
export type NotebookPayload = string | Envelope;
/** A table as stored: its Parquet bytes, or an Envelope of them when the workspace is locked. */
export type TablePayload = Uint8Array | Envelope;

export interface NotebookRecord {
  /** The key it is stored under: the notebook id, or in a locked workspace an opaque tag of it. */
  readonly id: string;
  readonly payload: NotebookPayload;
  /** Milliseconds since the epoch. */
  readonly savedAt: number;
  /** In a locked workspace only: the notebook id, sealed. */
  readonly sealedName?: Envelope;
}

export interface TableRecord {
  /** The key it is stored under: the table name, or in a locked workspace an opaque tag of it. */
  readonly name: string;
  readonly payload: TablePayload;
  readonly savedAt: number;
  /** In a locked workspace only: the table name, sealed. */
  readonly sealedName?: Envelope;
}

export interface NotebookSummary {
  readonly id: string;
  readonly savedAt: number;
  readonly sealedName?: Envelope;
}

/** How a locked workspace keys its records: HMAC-SHA-256 tags, never names. */
export const OPAQUE_KEY = /^[0-9a-f]{64}$/;

export const WORKSPACE_VERSION = 1;

/** The one meta record. `revision` counts committed writes, so a rewrite can tell that something changed under it. */
export type WorkspaceMeta =
  | { readonly version: typeof WORKSPACE_VERSION; readonly revision: number; readonly locked: false }
  | {
      readonly version: typeof WORKSPACE_VERSION;
      readonly revision: number;
      readonly locked: true;
      readonly kdf: { readonly salt: string; readonly iterations: number };
      /** A known plaintext sealed under the key: lets `unlock` check a passphrase even when no record exists yet. */
      readonly check: Envelope;
    };

/** Meta as a caller sets it; the store keeps `version` and `revision` itself. */
export type WorkspaceLockMeta =
  | { readonly locked: false }
  | { readonly locked: true; readonly kdf: { readonly salt: string; readonly iterations: number }; readonly check: Envelope };

/** Every record and the meta, read in one transaction. */
export interface WorkspaceSnapshot {
  readonly meta: WorkspaceMeta;
  readonly notebooks: readonly NotebookRecord[];
  readonly tables: readonly TableRecord[];
}

/** The store checks an envelope's shape only; whether its key derivation is strong enough is decided when it is opened. */
const SHAPE_ONLY: KdfPolicy = { minIterations: 1 };

/** The meta record for a lock meta at `revision`. */
export function withLock(lock: WorkspaceLockMeta, revision: number): WorkspaceMeta {
  return lock.locked
    ? { version: WORKSPACE_VERSION, revision, locked: true, kdf: { salt: lock.kdf.salt, iterations: lock.kdf.iterations }, check: lock.check }
    : { version: WORKSPACE_VERSION, revision, locked: false };
}

/**
 * The store's privacy invariant: a locked workspace takes only envelopes sealed under its key, stored under an
 * opaque key with the name sealed beside them; an unlocked one only plaintext under its name. Messages about a
 * locked workspace's record name no key: it is opaque, or (refused) a name that must not be echoed back.
 */
export function checkRecord(meta: WorkspaceMeta, kind: 'notebook' | 'table', record: NotebookRecord | TableRecord): void {
  const key = 'id' in record ? record.id : record.name;
  const payload = record.payload;
  const plain = kind === 'notebook' ? typeof payload === 'string' : payload instanceof Uint8Array;
  const sealedUnderMeta = (envelope: unknown): boolean =>
    meta.locked && isEnvelope(envelope, SHAPE_ONLY) && envelope.kdf.salt === meta.kdf.salt && envelope.kdf.iterations === meta.kdf.iterations;
  if (meta.locked) {
    if (plain) throw new StoreError('locked', `The workspace is locked: a ${kind} must be encrypted before it is saved.`);
    if (!sealedUnderMeta(payload) || (record.sealedName !== undefined && !sealedUnderMeta(record.sealedName))) {
      throw new StoreError('conflict', `A ${kind} was sealed under another key (was the passphrase changed in another tab?). Unlock again.`);
    }
    if (!OPAQUE_KEY.test(key) || record.sealedName === undefined) {
      throw new StoreError('locked', `The workspace is locked: a ${kind} must be stored under an opaque key with its name sealed, never under its name.`);
    }
  } else if (record.sealedName !== undefined) {
    throw new StoreError('locked', `The workspace is not locked, so ${kind} "${key}" must be saved under its name, unencrypted.`);
  } else if (!plain) {
    throw new StoreError(
      isEnvelope(payload, SHAPE_ONLY) ? 'locked' : 'invalid',
      isEnvelope(payload, SHAPE_ONLY)
        ? `The workspace is not locked, so ${kind} "${key}" must be saved unencrypted.`
        : `A ${kind} must be ${kind === 'notebook' ? 'text' : 'bytes'} (got ${typeof payload}).`,
    );
  }
}

/** A record's key must be a non-empty string. */
export function checkKey(key: string, what: string): void {
  if (typeof key !== 'string' || key.length === 0) throw new StoreError('invalid', `A ${what} must be a non-empty string.`);
}

/** Structured clone stores a view's whole buffer; keep only the bytes the view covers. */
export function exactBytes<T extends TablePayload>(payload: T): T {
  if (!(payload instanceof Uint8Array)) return payload;
  return (payload.byteOffset === 0 && payload.byteLength === payload.buffer.byteLength ? payload : payload.slice()) as T;
}
