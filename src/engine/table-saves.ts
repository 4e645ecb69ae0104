/**
 * Saving loaded tables: a table counts as being saved from the moment it is loaded (its bytes are still to be
 * encoded) until its record has committed, so the page can say "Saving data…" and warn before it is closed.
 * A newer save of the same table supersedes an older one still encoding (a version stamp per name), so an old
 * copy never lands over a newer one. No DOM: the page shows `pending` and `failed`.
 */
import type { AutosaveState } from './autosave.ts';

export type TableSaveOutcome = 'saved' | 'superseded' | 'failed';

export interface TableSavesSnapshot {
  /** Tables whose newest version is not yet committed. */
  readonly pending: readonly string[];
  /** Tables whose newest save failed (kept until they are saved again). */
  readonly failed: readonly string[];
}

export interface TableSaves {
  /** Encode then write table `name`; resolves once the record is committed (or the save failed or was superseded). Never rejects. */
  save(name: string, encode: () => Promise<Uint8Array>): Promise<TableSaveOutcome>;
  /** Resolves when no table save is in flight. */
  idle(): Promise<void>;
  readonly snapshot: TableSavesSnapshot;
}

export interface TableSavesOptions {
  readonly onChange?: (snapshot: TableSavesSnapshot) => void;
  readonly onError?: (name: string, error: unknown) => void;
}

/** `const tables = createTableSaves((name, bytes) => session.saveTable(name, bytes), { onChange })`. */
export function createTableSaves(write: (name: string, bytes: Uint8Array) => Promise<void>, options: TableSavesOptions = {}): TableSaves {
  const versions = new Map<string, number>();
  const inFlight = new Map<string, Promise<TableSaveOutcome>>();
  let failed = new Set<string>();
  let snapshot: TableSavesSnapshot = { pending: [], failed: [] };

  const changed = (): void => {
    snapshot = { pending: [...inFlight.keys()], failed: [...failed] };
    try {
      options.onChange?.(snapshot);
    } catch (error) {
      console.error('table save callback failed', error);
    }
  };

  const run = async (name: string, version: number, encode: () => Promise<Uint8Array>, previous: Promise<unknown> | undefined): Promise<TableSaveOutcome> => {
    const current = () => versions.get(name) === version;
    try {
      const bytes = await encode();
      // Writes of one table go in order, so an older version can never commit after a newer one.
      await previous;
      if (!current()) return 'superseded';
      await write(name, bytes);
      if (current()) failed.delete(name);
      return current() ? 'saved' : 'superseded';
    } catch (error) {
      if (!current()) return 'superseded';
      failed.add(name);
      try {
        options.onError?.(name, error);
      } catch (callbackError) {
        console.error('table save callback failed', callbackError);
      }
      return 'failed';
    }
  };

  return {
    save(name, encode) {
      const version = (versions.get(name) ?? 0) + 1;
      versions.set(name, version);
      failed = new Set([...failed].filter((known) => known !== name));
      const promise = run(name, version, encode, inFlight.get(name)).finally(() => {
        if (inFlight.get(name) === promise) inFlight.delete(name);
        changed();
      });
      inFlight.set(name, promise);
      changed();
      return promise;
    },

    async idle() {
      while (inFlight.size > 0) await Promise.all(inFlight.values());
    },

    get snapshot() {
      return snapshot;
    },
  };
}

/** What the page header says about saving. `saving-data`: a loaded table is not yet kept for the next visit. */
export type SaveStatus = 'saved' | 'unsaved' | 'saving' | 'saving-data' | 'failed';

/** The one status of the notebook autosave and the table saves together: a failure first, then a table still being saved. */
export function saveStatus(notebook: AutosaveState, tables: TableSavesSnapshot): SaveStatus {
  if (notebook === 'failed' || tables.failed.length > 0) return 'failed';
  if (tables.pending.length > 0) return 'saving-data';
  switch (notebook) {
    case 'saving':
      return 'saving';
    case 'waiting':
      return 'unsaved';
    case 'idle':
      return 'saved';
  }
}
