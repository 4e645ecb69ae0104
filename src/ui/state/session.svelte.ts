import {
  DamagedRecordError,
  inputsFromQuery,
  queryWithInputs,
  notebookResults,
  readNotebook,
  retargetBindings,
  runsOnOpen,
  serializeNotebook,
  removalWarning,
  tableAndDerived,
  tableToKeep,
  type Bindings,
  type DataFile,
  type InputValue,
  type Notebook,
  type NotebookOrigin,
  type NotebookProblem,
  type Workspace,
} from '../../engine/index.ts';
import { quoteIdent } from '../../util/sql.ts';
import { relationKeyword } from '../../data/formats.ts';
import { messageOf } from '../../util/errors.ts';
import { DataState } from './data.svelte.ts';
import { NotebookState } from './notebook.svelte.ts';
import { Notices } from './notices.svelte.ts';
import { WorkspaceState, type SavedNotebook } from './workspace.svelte.ts';
import type { Services } from './services.ts';
import { throttledRefresh } from './refresh-throttle.ts';
import { DEMOS, demoBySlug } from '../demos.ts';

export type { Services } from './services.ts';

/** The notebook to open when nothing else is asked for. */
export const WELCOME_ID = 'demo:welcome';

/** What the page is doing while it restores the workspace at start; `progress` is a fraction, or null when unknown. */
export interface Restoring {
  readonly label: string;
  readonly progress: number | null;
}

/** Everything the page shows, split by concern; components read fields and call methods. Holds no DOM. */
export class Session {
  readonly notices = new Notices();
  readonly workspace: WorkspaceState;
  readonly book: NotebookState;
  readonly data: DataState;
  /** The id the open notebook is saved under: `demo:<slug>` for a demo (and the user's copy of it), else `nb-…`. */
  notebookId = $state('');
  view = $state<'notebook' | 'start'>('notebook');
  ready = $state(false);
  /** Set from the start until the saved notebook is open, so the page shows the restore, never an empty notebook. */
  restoring = $state.raw<Restoring | null>({ label: 'Opening your workspace', progress: null });
  /** Counts notebooks opened, so a slow open or run that a newer open overtook stops instead of running the newer one. */
  private opened = 0;
  /** The open notebook's bindings: which loaded table plays each table its front matter names. Saved with it. */
  bindings = $state.raw<Bindings>({});
  /** Notebooks whose "use the sample or open my file" offer was answered in this visit. */
  sampleChosen = $state.raw<ReadonlySet<string>>(new Set());
  /** App mode: outputs and inputs only, no sources or editing — for dashboards and teaching (`?mode=app`). */
  appMode = $state(typeof location === 'undefined' ? false : new URLSearchParams(location.search).get('mode') === 'app');
  /** The page's URL query at start: its input values go to the first notebook opened, then it is spent. */
  private startQuery: string | null = typeof location === 'undefined' ? null : location.search;
  private urlWrite: ReturnType<typeof setTimeout> | undefined;
  /** A notebook's data loading and first run, under way: the user is waiting for these. */
  private readonly foreground = new Set<Promise<void>>();

  constructor(
    readonly services: Services,
    workspace: Workspace | null,
  ) {
    this.workspace = new WorkspaceState(workspace, this.notices);
    const refreshSoon = throttledRefresh(() => void this.data.refresh(), () => this.book.running);
    this.book = new NotebookState(services, this.notices, { onChange: () => this.persist(), onCellSettled: refreshSoon });
    this.data = new DataState(services, this.notices, async (name, restored) => {
      this.book.setDataTables(this.data.dataNames);
      // The canonical view and the cleaned table are rebuilt with the table: what reads them must re-run too.
      const report = this.data.reports[name];
      await this.book.tableChanged([name, report?.canonicalView, report?.cleanTable].filter((table) => table !== undefined));
    }, (name) => this.book.isCellTable(name), (name, restored, settled) => {
      const encode = tableToKeep(services.db, services.parquet, name, restored ? 'restored' : 'loaded');
      // Saving starts now ("Saving data…", and leaving asks first), but its export would wait on DuckDB's one worker in
      // front of the cleaning and the cells, and its encode take a core from them: so it is done once they have run.
      if (encode) void this.workspace.saveTable(name, () => settled.then(() => this.foregroundDone()).then(encode));
    }, (name, to) => this.tableGone(name, to));
  }

  /** A loaded table was renamed or removed: its saved copy goes, and the open notebook's bindings follow it. */
  private async tableGone(name: string, to: string | undefined): Promise<void> {
    void this.workspace.deleteTable(name);
    // Cells reading a removed table by its name run again and fail naming it, rather than keep showing its rows.
    if (to === undefined) await this.book.tableChanged(tableAndDerived(name));
    const bindings = retargetBindings(this.bindings, name, to);
    if (JSON.stringify(bindings) === JSON.stringify(this.bindings)) return;
    this.bindings = bindings;
    this.persist();
    this.book.setDataTables(this.data.dataNames);
    // A name whose table was removed plays the notebook's own data again; it is loaded if nothing was set aside.
    const loaded = new Set(this.data.tables.map((table) => table.name.toLowerCase()));
    for (const [notebookName, path] of Object.entries(this.book.notebook.data)) {
      if (bindings[notebookName] === undefined && !loaded.has(notebookName.toLowerCase())) await this.data.loadUrl(path, notebookName);
    }
  }

  /**
   * Let loaded table `table` play the notebook's table `name` (null: the notebook's own data again), then re-run what
   * reads it. The choice is saved with the notebook.
   */
  async bind(name: string, table: string | null): Promise<void> {
    const bindings: Record<string, string> = { ...this.bindings };
    if (table === null) delete bindings[name];
    else bindings[name] = table;
    this.bindings = bindings;
    this.sampleChosen = new Set([...this.sampleChosen, this.notebookId]);
    this.persist();
    const unavailable = await this.data.applyBindings(bindings);
    for (const missing of unavailable) this.notices.add('error', `Table ${missing.table} is not loaded, so ${missing.name} reads the notebook's own data.`);
    const path = this.book.notebook.data[name];
    const loaded = this.data.tables.some((relation) => relation.name.toLowerCase() === name.toLowerCase());
    if (table === null && path !== undefined && !loaded) await this.data.loadUrl(path, name);
    this.book.setDataTables(this.data.dataNames);
    await this.book.tableChanged(tableAndDerived(name));
  }

  /** Load files the user picked for the notebook's table `name`, and bind `name` to the (first) table they became. */
  async openFileFor(name: string, files: readonly DataFile[]): Promise<void> {
    const before = new Set(this.data.dataTables);
    await this.data.loadFiles(files);
    const table = this.data.dataTables.find((loaded) => !before.has(loaded));
    if (table !== undefined) await this.bind(name, table);
  }

  /** What removing loaded table `table` does to the open notebook's cells, in a sentence or two (see removalWarning). */
  removalWarning(table: string): string {
    const notebook = this.book.notebook;
    const bound = Object.entries(this.data.bound).flatMap(([name, boundTo]) => {
      const source = notebook.data[name];
      return boundTo === table && source !== undefined ? [{ name, source }] : [];
    });
    return removalWarning(notebook, table, bound);
  }

  /** Save the open notebook soon (text and input values), and show its input values in the URL. */
  persist(): void {
    if (!this.notebookId) return;
    this.reflectInputsSoon();
    this.workspace.scheduleSave(this.notebookId, {
      notebook: this.book.notebook,
      inputs: this.book.savedValues(),
      trusted: this.book.trusted,
      bindings: this.bindings,
    });
  }

  /**
   * The input values the start URL carries for `notebook`, once: what its inputs' specs refuse is named in a notice
   * and left out, so those inputs keep their saved or initial values.
   */
  private takeUrlInputs(notebook: Notebook): Record<string, InputValue> {
    const query = this.startQuery;
    this.startQuery = null;
    if (query === null) return {};
    const { values, problems } = inputsFromQuery(notebook, query);
    if (problems.length > 0) {
      this.notices.add('warning', `Ignored from the link: ${problems.join('; ')}. ${problems.length === 1 ? 'That input keeps its' : 'Those inputs keep their'} own value.`);
    }
    return { ...values };
  }

  /** Replace the URL's input values with the open notebook's, a moment after the last change (a slider drag writes once). */
  private reflectInputsSoon(): void {
    if (typeof history === 'undefined' || this.startQuery !== null) return;
    clearTimeout(this.urlWrite);
    this.urlWrite = setTimeout(() => {
      const slug = this.notebookId.startsWith('demo:') ? this.notebookId.slice('demo:'.length) : null;
      const query = queryWithInputs(location.search, this.book.inputValues(), slug);
      if (query !== location.search) history.replaceState(history.state, '', `${location.pathname}${query}${location.hash}`);
      // Sooner than the autosave (300 ms): a reload once "Saved" shows carries the values just saved.
    }, 200);
  }

  /** At start: the tables the workspace kept from earlier visits, then the notebook `id`, with progress meanwhile. */
  async restore(id: string): Promise<void> {
    try {
      const catalog = this.services.server?.catalogTables;
      // A Trino engine's tables are its catalog's: the browser's saved tables are not uploaded to it (they stay saved).
      if (catalog === undefined) {
        await this.data.adoptServerTables();
        await this.restoreTables();
      } else {
        this.restoring = { label: `Preparing the server's tables (${catalog.join(', ')})`, progress: null };
        await this.data.adoptCatalogTables(catalog);
      }
      this.restoring = { label: 'Opening the notebook', progress: null };
      await this.openNotebook(id);
    } finally {
      this.restoring = null;
    }
  }

  /** Load the tables the workspace kept from earlier visits. */
  async restoreTables(): Promise<void> {
    this.restoring = { label: 'Reading saved tables', progress: null };
    const tables = [...(await this.workspace.loadTables())];
    for (const [index, [name, parquet]] of tables.entries()) {
      const of = `${index + 1} of ${tables.length}, ${megabytes(parquet.byteLength)}`;
      try {
        this.restoring = { label: `Decoding table ${name} (${of})`, progress: index / tables.length };
        const ipc = await this.services.parquet.toArrowIpc(parquet);
        this.restoring = { label: `Loading table ${name} into DuckDB (${of})`, progress: (index + 0.25) / tables.length };
        await this.data.loadIpc(name, ipc, true, () => {
          this.restoring = { label: `Preparing table ${name}: its canonical view and cleaned table (${of})`, progress: (index + 0.75) / tables.length };
        });
      } catch (error) {
        this.notices.add('error', `The saved table ${name} could not be restored: ${messageOf(error)}`);
      }
    }
  }

  /**
   * Open a notebook: the saved copy under `id` if there is one, else the demo it names (or `text`, which came
   * `from` the app itself or from outside). Then, if it may run on open (see `runsOnOpen`), loads the data its
   * front matter names that is not loaded yet and runs it; a notebook from outside waits for `runNotebook`.
   */
  async openNotebook(id: string, text?: string, from: 'app' | 'outside' = 'app'): Promise<void> {
    await this.workspace.flush();
    let saved: SavedNotebook | undefined;
    try {
      saved = await this.workspace.loadNotebook(id);
    } catch (error) {
      if (!(error instanceof DamagedRecordError)) throw error;
      // Already named in a notice with a Remove button. Opening anything under its id would save over it.
      if (id !== WELCOME_ID) return this.openNotebook(WELCOME_ID);
      this.view = 'start';
      return;
    }
    const source = saved?.text ?? text ?? demoBySlug(id.replace(/^demo:/, ''))?.text;
    const origin: NotebookOrigin = saved
      ? { kind: 'workspace', trusted: saved.trusted }
      : text !== undefined && from === 'outside'
        ? { kind: 'outside' }
        : { kind: 'bundled' };
    let notebook: Notebook;
    let problems: NotebookProblem[];
    try {
      if (source === undefined) throw new Error(`there is no notebook "${id}"`);
      ({ notebook, problems } = readNotebook(source));
    } catch (error) {
      this.notices.add('error', `Could not open the notebook: ${messageOf(error)}. Opened the welcome notebook instead.`);
      return id === WELCOME_ID ? undefined : this.openNotebook(WELCOME_ID);
    }
    this.notebookId = id;
    void this.workspace.rememberNotebook(id);
    const previous = this.book.notebook;
    const runs = runsOnOpen(origin);
    this.bindings = saved?.bindings ?? {};
    this.book.open(notebook, { ...saved?.inputs, ...this.takeUrlInputs(notebook) }, runs);
    this.reflectInputsSoon();
    this.restoring = null;
    const opened = ++this.opened;
    this.view = 'notebook';
    if (problems.length > 0) {
      const cells = new Set(problems.map((problem) => problem.cellId)).size;
      const list = problems.map((problem) => `line ${problem.line}: ${problem.message}`).join('; ');
      this.notices.add('error', `${cells === 1 ? 'One cell' : `${cells} cells`} of this notebook could not be read as written; the rest opened. ${list}.`);
    }
    if (!saved) this.persist();
    await this.dropResults(previous);
    await this.data.refresh();
    if (runs) await this.loadDataAndRun(notebook, opened, this.bindings);
  }

  /**
   * Run the open notebook from the top, first loading the data its front matter names that is not loaded yet.
   * For a notebook from outside this is the user's choice to trust it, remembered with the saved notebook.
   */
  async runNotebook(): Promise<void> {
    this.book.trust();
    await this.loadDataAndRun(this.book.notebook, this.opened, this.bindings);
  }

  /**
   * Load the data `notebook`'s front matter names that is not loaded yet, then run it if it is still the open one
   * (`opened` is the open's stamp). The data loads even when another notebook was opened meanwhile: it is what a
   * demo or the user's own notebook asked for, and the start page's sample must not vanish because a file was
   * imported while it loaded.
   */
  private async loadDataAndRun(notebook: Notebook, opened: number, bindings: Bindings): Promise<void> {
    const work = this.loadDataAndRunNow(notebook, opened, bindings);
    this.foreground.add(work);
    try {
      await work;
    } finally {
      this.foreground.delete(work);
    }
  }

  /** Resolves once no notebook is loading its data and running for the first time (what saving loaded tables waits for). */
  private async foregroundDone(): Promise<void> {
    while (this.foreground.size > 0) await Promise.allSettled([...this.foreground]);
  }

  private async loadDataAndRunNow(notebook: Notebook, opened: number, bindings: Bindings): Promise<void> {
    // Another notebook's bindings end; this one's are made (the names it binds then need no file).
    const unavailable = await this.data.applyBindings(bindings);
    for (const missing of unavailable) {
      this.notices.add('warning', `This notebook's ${missing.name} was ${missing.table}, which is no longer loaded: it reads its own data (${notebook.data[missing.name] ?? 'none'}) instead.`);
    }
    this.book.setDataTables(this.data.dataNames);
    const loaded = new Set(this.data.tables.map((table) => table.name.toLowerCase()));
    for (const [name, path] of Object.entries(notebook.data)) {
      // A damaged saved copy is not replaced by the file the notebook names unless the user asks (load or remove).
      if (!loaded.has(name.toLowerCase()) && !(await this.workspace.isDamagedTable(name))) await this.data.loadUrl(path, name, notebook.dataOptions?.[name]);
    }
    if (opened === this.opened) await this.book.runAll();
  }

  /** Drop the tables `notebook`'s cells made: results belong to their notebook, and must not linger as if they were data. */
  private async dropResults(notebook: Notebook): Promise<void> {
    await this.data.refresh();
    const tables = this.data.tables;
    for (const name of notebookResults(notebook, tables.map((table) => table.name), this.data.dataNames)) {
      const kind = relationKeyword(tables.find((table) => table.name === name)?.kind ?? 'table');
      try {
        await this.services.db.query(`DROP ${kind} IF EXISTS ${quoteIdent(name)}`);
      } catch {
        // A view another result depends on, or one already gone: it stays listed as a cell result, never as data.
      }
    }
  }

  /** A new empty notebook. */
  newNotebook(): Promise<void> {
    const text = serializeNotebook({ title: 'Untitled notebook', data: {}, cells: [], extra: {} });
    return this.openNotebook(`nb-${crypto.randomUUID()}`, text);
  }

  /** The id to open at start: asked for by the URL, else the last one open, else the welcome notebook. */
  async initialNotebookId(search: string): Promise<string> {
    const slug = new URLSearchParams(search).get('notebook');
    if (slug && DEMOS.some((demo) => demo.slug === slug)) return `demo:${slug}`;
    return (await this.workspace.rememberedNotebook()) ?? WELCOME_ID;
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toLocaleString('en', { maximumFractionDigits: 1 })} MB`;
}
