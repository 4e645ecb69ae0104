import {
  createAutosaver,
  createTableSaves,
  DamagedRecordError,
  saveStatus,
  serializeChecked,
  type Autosaver,
  type AutosaveState,
  type Bindings,
  type DamagedRecord,
  type InputValue,
  type LockState,
  type Notebook,
  type SaveStatus,
  type TableSaves,
  type TableSavesSnapshot,
  type Workspace,
} from '../../engine/index.ts';
import { messageOf } from '../../util/errors.ts';
import type { Notices } from './notices.svelte.ts';
import { demoBySlug } from '../demos.ts';

/** What is saved per notebook: its text, the values its inputs were left at, and whether it runs on open. */
export interface SavedNotebook {
  readonly text: string;
  readonly inputs: Readonly<Record<string, InputValue>>;
  /** False for a notebook from outside that the user has not run yet; records saved before this field are the user's own. */
  readonly trusted: boolean;
  /** Which loaded table plays each table the notebook names (`{ sales: 'online_retail_2011' }`); none in older records. */
  readonly bindings: Bindings;
}

/** What the page asks to save: the notebook itself, serialized (and checked) only when the save runs. */
export interface NotebookToSave {
  readonly notebook: Notebook;
  readonly inputs: Readonly<Record<string, InputValue>>;
  readonly trusted: boolean;
  readonly bindings: Bindings;
}

export type SaveState = SaveStatus | 'off';

/** The browser workspace as the page sees it: autosave, saved tables, and the passphrase lock. */
export class WorkspaceState {
  lock = $state<LockState>('unprotected');
  private notebookSave = $state<AutosaveState>('idle');
  private tableSave = $state.raw<TableSavesSnapshot>({ pending: [], failed: [] });
  /** Records of a locked workspace that no longer decrypt; kept (never overwritten) until the user removes them. */
  damaged = $state.raw<readonly DamagedRecord[]>([]);
  private autosaver: Autosaver<{ id: string; toSave: NotebookToSave }> | undefined;
  /** The last save error shown, so steady typing into a notebook that cannot be saved shows it once. */
  private shownError: string | undefined;
  private tables: TableSaves | undefined;

  constructor(
    /** Null when the browser offers no storage (some private modes): the page works, nothing persists. */
    private readonly session: Workspace | null,
    private readonly notices: Notices,
  ) {
    if (!session) return;
    this.lock = session.state;
    // serializeChecked throws before anything is written when the text would not read back as this notebook,
    // so the saved copy stays the last good one.
    const save = ({ id, toSave }: { id: string; toSave: NotebookToSave }) =>
      session.saveNotebook(
        id,
        JSON.stringify({
          text: serializeChecked(toSave.notebook),
          inputs: toSave.inputs,
          trusted: toSave.trusted,
          bindings: toSave.bindings,
        } satisfies SavedNotebook),
      );
    this.autosaver = createAutosaver(save, {
      delayMs: 300,
      // At most about a second of typing is ever unsaved.
      maxWaitMs: 1000,
      onStateChange: (state) => (this.notebookSave = state),
      onSaved: () => (this.shownError = undefined),
      onError: (error) => {
        const message = `Could not save the notebook: ${messageOf(error)}. The last saved copy is kept.`;
        if (message !== this.shownError) this.notices.add('error', message);
        this.shownError = message;
      },
    });
    this.tables = createTableSaves(
      async (name, parquet) => {
        await session.saveTable(name, parquet);
        // A table loaded again by the user replaces its damaged copy (stored under the same key, even if its name was damaged).
        this.forgetDamaged({ kind: 'table', key: name });
        this.forgetDamaged({ kind: 'table', key: await session.storedKeyOf('table', name) });
      },
      {
        onChange: (snapshot) => (this.tableSave = snapshot),
        onError: (name, error) => this.notices.add('error', `Table ${name} is loaded but could not be kept for the next visit: ${messageOf(error)}`),
      },
    );
  }

  /** What the header says: "Saving data…" until every loaded table is in IndexedDB, not only the notebook. */
  get save(): SaveState {
    return this.session ? saveStatus(this.notebookSave, this.tableSave) : 'off';
  }

  get available(): boolean {
    return this.session !== null;
  }

  /** Save soon (coalesced); `flush` on leaving the page. */
  scheduleSave(id: string, toSave: NotebookToSave): void {
    this.autosaver?.schedule({ id, toSave });
  }

  flush(): Promise<boolean> {
    return this.autosaver?.flush() ?? Promise.resolve(true);
  }

  /** The saved notebook; a damaged one is reported (with a Remove button) and thrown as DamagedRecordError. */
  async loadNotebook(id: string): Promise<SavedNotebook | undefined> {
    let text: string | undefined;
    try {
      text = await this.session?.loadNotebook(id);
    } catch (error) {
      if (error instanceof DamagedRecordError) this.reportDamaged(error.record);
      throw error;
    }
    if (text === undefined) return undefined;
    try {
      const record = JSON.parse(text) as Partial<SavedNotebook>;
      if (typeof record.text === 'string') {
        return { text: record.text, inputs: record.inputs ?? {}, trusted: record.trusted !== false, bindings: bindingsOf(record.bindings) };
      }
    } catch {
      // An older record of plain notebook text.
    }
    return { text, inputs: {}, trusted: true, bindings: {} };
  }

  async listNotebooks(): Promise<{ id: string; title: string; savedAt: number; damaged?: DamagedRecord }[]> {
    if (!this.session) return [];
    const entries = await this.session.listNotebooks();
    const listed = await Promise.all(
      entries.map(async ({ id, savedAt, damaged }) => {
        if (damaged) return { id, title: damagedName(damaged), savedAt, damaged };
        let record: SavedNotebook | undefined;
        try {
          record = await this.loadNotebook(id);
        } catch (error) {
          if (!(error instanceof DamagedRecordError)) throw error;
          return { id, title: damagedName(error.record), savedAt, damaged: error.record };
        }
        const title = /^title:\s*(.+)$/m.exec(record?.text ?? '')?.[1]?.replace(/^['"]|['"]$/g, '') ?? 'Untitled';
        return { id, title, savedAt };
      }),
    );
    return listed.sort((a, b) => b.savedAt - a.savedAt);
  }

  deleteNotebook(id: string): Promise<void> {
    return this.session?.deleteNotebook(id) ?? Promise.resolve();
  }

  /**
   * Keep a loaded table (as Parquet, from `encode`) so the next visit has it without loading the file again.
   * The header says "Saving data…" from this call until the record has committed.
   */
  async saveTable(name: string, encode: () => Promise<Uint8Array>): Promise<void> {
    await this.tables?.save(name, encode);
  }

  /** Forget the saved copy of a table the user renamed or removed. */
  async deleteTable(name: string): Promise<void> {
    try {
      await this.session?.deleteTable(name);
    } catch (error) {
      this.notices.add('error', `The saved copy of table ${name} could not be deleted: ${messageOf(error)}`);
    }
  }

  /** True while a loaded table is not yet kept: leaving the page now would lose it, so the page asks first. */
  get savingData(): boolean {
    return this.tableSave.pending.length > 0;
  }

  /** The saved tables that open; damaged ones are reported and left in place. */
  async loadTables(): Promise<Map<string, Uint8Array>> {
    if (!this.session) return new Map();
    const { tables, damaged } = await this.session.loadTables();
    for (const record of damaged) this.reportDamaged(record);
    return tables;
  }

  /**
   * Whether the saved copy of table `name` is damaged (so nothing should be loaded over it unasked). A record
   * whose sealed name is damaged too is still stored under the opaque key of its name, so that key tells.
   */
  async isDamagedTable(name: string): Promise<boolean> {
    const tables = this.damaged.filter((record) => record.kind === 'table');
    if (tables.some((record) => !record.unnamed && record.key.toLowerCase() === name.toLowerCase())) return true;
    if (!this.session || !tables.some((record) => record.unnamed)) return false;
    const key = await this.session.storedKeyOf('table', name);
    return tables.some((record) => record.unnamed && record.key === key);
  }

  /** Delete a damaged record, at the user's request only; one that opens again is kept. */
  async removeDamaged(record: DamagedRecord): Promise<void> {
    try {
      await this.session?.removeDamaged(record);
      this.forgetDamaged(record);
      this.notices.add('info', `Removed the damaged ${damagedName(record)}.`);
    } catch (error) {
      this.notices.add('error', `Could not remove the damaged ${damagedName(record)}: ${messageOf(error)}`);
    }
  }

  private reportDamaged(record: DamagedRecord): void {
    if (this.damaged.some((known) => known.kind === record.kind && known.key === record.key)) return;
    this.damaged = [...this.damaged, record];
    this.notices.add(
      'error',
      `The saved ${damagedName(record)} is damaged: it was changed on disk and no longer decrypts, so it was not opened. ` +
        'Everything else opened and can be exported as usual. The damaged copy is kept until you remove it.',
      { label: 'Remove it', run: () => void this.removeDamaged(record) },
    );
  }

  private forgetDamaged(record: DamagedRecord): void {
    this.damaged = this.damaged.filter((known) => known.kind !== record.kind || known.key !== record.key);
  }

  /** Remember the open notebook for the next visit (with a passphrase, as an opaque tag). */
  rememberNotebook(id: string): Promise<void> {
    return this.session?.rememberNotebook(id) ?? Promise.resolve();
  }

  /** The notebook open at the end of the last visit, if it can be told. */
  async rememberedNotebook(): Promise<string | undefined> {
    return this.session?.rememberedNotebook();
  }

  /** Set a passphrase: everything stored is re-written encrypted, in one transaction. */
  async setPassphrase(passphrase: string): Promise<void> {
    if (!this.session) throw new Error('This browser offers no storage to lock.');
    await this.flush();
    await this.session.lock(passphrase);
    this.lock = this.session.state;
  }

  /** Check the passphrase and keep the key for this visit; throws EnvelopeError when it is wrong. */
  async unlock(passphrase: string): Promise<void> {
    await this.session?.unlock(passphrase);
    this.lock = this.session?.state ?? 'unprotected';
  }

  /** Save, then drop the key from memory: the page must be reloaded and the passphrase given again. */
  async lockNow(): Promise<void> {
    await this.flush();
    this.session?.forget();
    this.lock = this.session?.state ?? 'unprotected';
  }

  async removePassphrase(passphrase: string): Promise<void> {
    await this.flush();
    await this.session?.removeLock(passphrase);
    this.lock = this.session?.state ?? 'unprotected';
  }
}

/** Bindings as saved: name → table, both strings; anything else in a record is dropped. */
function bindingsOf(value: unknown): Bindings {
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** How a damaged record is named to a person: the demo's title, else the table name or notebook id it is stored under. */
export function damagedName(record: DamagedRecord): string {
  if (record.unnamed) return `${record.kind} (its name is damaged too, so it cannot be named)`;
  if (record.kind === 'table') return `table "${record.key}"`;
  const demo = record.key.startsWith('demo:') ? demoBySlug(record.key.slice('demo:'.length)) : undefined;
  return demo ? `notebook "${demo.title}" (your copy of the demo)` : `notebook ${record.key}`;
}
