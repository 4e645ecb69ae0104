import { createAutosaver, type Autosaver } from '../../store/autosave.ts';
import type { LockState, WorkspaceSession } from '../../store/locking.ts';
import { serializeChecked, type InputValue, type Notebook } from '../../engine/index.ts';
import { messageOf } from '../../util/errors.ts';
import type { Notices } from './notices.svelte.ts';

/** What is saved per notebook: its text and the values its inputs were left at. */
export interface SavedNotebook {
  readonly text: string;
  readonly inputs: Readonly<Record<string, InputValue>>;
}

/** What the page asks to save: the notebook itself, serialized (and checked) only when the save runs. */
export interface NotebookToSave {
  readonly notebook: Notebook;
  readonly inputs: Readonly<Record<string, InputValue>>;
}

export type SaveState = 'saved' | 'saving' | 'unsaved' | 'failed' | 'off';

/** The browser workspace as the page sees it: autosave, saved tables, and the passphrase lock. */
export class WorkspaceState {
  lock = $state<LockState>('unprotected');
  save = $state<SaveState>('saved');
  private autosaver: Autosaver<{ id: string; toSave: NotebookToSave }> | undefined;
  /** The last save error shown, so steady typing into a notebook that cannot be saved shows it once. */
  private shownError: string | undefined;

  constructor(
    /** Null when the browser offers no storage (some private modes): the page works, nothing persists. */
    private readonly session: WorkspaceSession | null,
    private readonly notices: Notices,
  ) {
    if (!session) {
      this.save = 'off';
      return;
    }
    this.lock = session.state;
    // serializeChecked throws before anything is written when the text would not read back as this notebook,
    // so the saved copy stays the last good one.
    const save = ({ id, toSave }: { id: string; toSave: NotebookToSave }) =>
      session.saveNotebook(id, JSON.stringify({ text: serializeChecked(toSave.notebook), inputs: toSave.inputs } satisfies SavedNotebook));
    this.autosaver = createAutosaver(save, {
      delayMs: 300,
      // At most about a second of typing is ever unsaved.
      maxWaitMs: 1000,
      onStateChange: (state) => (this.save = state === 'idle' ? 'saved' : state === 'waiting' ? 'unsaved' : state),
      onSaved: () => (this.shownError = undefined),
      onError: (error) => {
        const message = `Could not save the notebook: ${messageOf(error)}. The last saved copy is kept.`;
        if (message !== this.shownError) this.notices.add('error', message);
        this.shownError = message;
      },
    });
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

  async loadNotebook(id: string): Promise<SavedNotebook | undefined> {
    const text = await this.session?.loadNotebook(id);
    if (text === undefined) return undefined;
    try {
      const record = JSON.parse(text) as SavedNotebook;
      if (typeof record.text === 'string') return { text: record.text, inputs: record.inputs ?? {} };
    } catch {
      // An older record of plain notebook text.
    }
    return { text, inputs: {} };
  }

  async listNotebooks(): Promise<{ id: string; title: string; savedAt: number }[]> {
    if (!this.session) return [];
    const entries = await this.session.listNotebooks();
    const listed = await Promise.all(
      entries.map(async ({ id, savedAt }) => {
        const record = await this.loadNotebook(id);
        const title = /^title:\s*(.+)$/m.exec(record?.text ?? '')?.[1]?.replace(/^['"]|['"]$/g, '') ?? 'Untitled';
        return { id, title, savedAt };
      }),
    );
    return listed.sort((a, b) => b.savedAt - a.savedAt);
  }

  deleteNotebook(id: string): Promise<void> {
    return this.session?.deleteNotebook(id) ?? Promise.resolve();
  }

  /** Keep a loaded table (as Parquet) so the next visit has it without loading the file again. */
  async saveTable(name: string, parquet: Uint8Array): Promise<void> {
    try {
      await this.session?.saveTable(name, parquet);
    } catch (error) {
      this.notices.add('error', `Table ${name} is loaded but could not be kept for the next visit: ${messageOf(error)}`);
    }
  }

  loadTables(): Promise<Map<string, Uint8Array>> {
    return this.session?.loadTables() ?? Promise.resolve(new Map());
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
