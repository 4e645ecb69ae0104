/**
 * Sealing one record of a locked workspace: the opaque key it is stored under (an HMAC of `<kind>:<name>` under
 * the names key), its sealed content and its sealed name, and the meta record's check envelope.
 */
import type { RecordKind } from '../util/store-errors.ts';
import { bytesToBase64, nameTag, sealWithKey, type Envelope, type WorkspaceKey } from './crypto.ts';
import type { WorkspaceLockMeta } from './records.ts';

/** The known plaintext of the meta record's check envelope. */
export const CHECK_TEXT = 'aisle-workspace-check-v1';

export const encoder = new TextEncoder();
export const decoder = new TextDecoder('utf-8', { fatal: true });

/** The opaque key a record named `name` is stored under in a workspace locked with `key`. */
export function recordTag(key: WorkspaceKey, kind: RecordKind, name: string): Promise<string> {
  return nameTag(key.names, `${kind}:${name}`);
}

/** A record sealed for a locked workspace: its opaque key, its sealed content and its sealed name. */
export function sealRecord(key: WorkspaceKey, kind: RecordKind, name: string, plaintext: Uint8Array): Promise<[string, Envelope, Envelope]> {
  return Promise.all([recordTag(key, kind, name), sealWithKey(plaintext, key), sealWithKey(encoder.encode(name), key)]);
}

/** The lock meta of a workspace locked with `key` (its check envelope lets `unlock` prove a passphrase), or of none. */
export async function lockMetaFor(key: WorkspaceKey | undefined): Promise<WorkspaceLockMeta> {
  if (!key) return { locked: false };
  return {
    locked: true,
    kdf: { salt: bytesToBase64(key.salt), iterations: key.iterations },
    check: await sealWithKey(encoder.encode(CHECK_TEXT), key),
  };
}
