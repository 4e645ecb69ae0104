/**
 * The errors of the workspace store, thrown by the storage adapter and caught by the page: they cross the engine's
 * Workspace port, so they live below both (as QueryError and ModelRunError do in `errors.ts`).
 */

/** `damaged`: a stored record no longer opens under the workspace's verified key (changed on disk). */
export type StoreErrorReason = 'quota' | 'unavailable' | 'blocked' | 'locked' | 'conflict' | 'invalid' | 'damaged' | 'failed';

/** A store operation that did not happen; `message` is fit to show a person, `cause` keeps the browser's error. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly reason: StoreErrorReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export type RecordKind = 'notebook' | 'table';

/** A stored record that the workspace's verified key cannot open: some of its bytes were changed on disk. */
export interface DamagedRecord {
  readonly kind: RecordKind;
  /** The notebook id or the table name; when the sealed name itself is damaged, the opaque key it is stored under. */
  readonly key: string;
  /** Set when the record's sealed name no longer opens either, so it cannot be named. */
  readonly unnamed?: true;
}

/**
 * One record is damaged; the passphrase was right and every other record still opens. Told apart from a wrong
 * passphrase because `unlock` proved the key on the meta record's check envelope first.
 */
export class DamagedRecordError extends StoreError {
  constructor(
    readonly record: DamagedRecord,
    message = record.unnamed
      ? `A saved ${record.kind} is damaged, its name too: it was changed on disk and no longer decrypts.`
      : `The saved ${record.kind} "${record.key}" is damaged: it was changed on disk and no longer decrypts.`,
    options?: { cause?: unknown },
  ) {
    super('damaged', message, options);
  }
}
