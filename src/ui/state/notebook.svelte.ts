import {
  Scheduler,
  addCell,
  cellsAtOnce,
  changeKind,
  createEvaluator,
  duplicateCell,
  editSource,
  insertAt,
  isNamed,
  isSelectionValue,
  moveCell,
  removeCell,
  renameCell,
  type CellKind,
  type CellStates,
  type InputValue,
  type Notebook,
  type RunLogEvent,
} from '../../engine/index.ts';
import type { Notices } from './notices.svelte.ts';
import type { Services } from './services.ts';

const LOG_LIMIT = 5000;

const CELLS_AT_ONCE = cellsAtOnce(globalThis.navigator?.hardwareConcurrency);

/** How long a builder waits after a change before it runs the cell: a burst of changes runs once. */
export const BUILDER_RUN_DELAY_MS = 300;

/** The open notebook, its cells' run states and run log, and every edit a user makes to it. */
export class NotebookState {
  notebook = $state.raw<Notebook>({ title: 'Untitled', data: {}, cells: [], extra: {} });
  states = $state.raw<CellStates>({});
  log = $state.raw<RunLogEvent[]>([]);
  /** The cell with the keyboard's attention in command mode. */
  selected = $state<string | null>(null);
  collapsed = $state.raw<ReadonlySet<string>>(new Set());
  /**
   * False for a notebook from outside (a file, a URL, an import) until the user presses Run notebook: until then
   * nothing runs by itself, only cells the user runs by hand.
   */
  trusted = $state(true);
  /** Bumped when an input changes without a run, so controls read the new value. */
  private inputRevision = $state(0);
  private scheduler: Scheduler;
  private dataTables: readonly string[] = [];
  private readonly evaluate: ReturnType<typeof createEvaluator>;
  private readonly warmModels: () => void;
  /** Runs a builder asked for and that have not started yet, by cell. */
  private pendingRuns = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    services: Services,
    private readonly notices: Notices,
    private readonly hooks: {
      /** After every edit or input change: the notebook should be saved. */
      readonly onChange: () => void;
      /** After a cell ran or failed: its table may be new or changed, or its SQL may have changed others. */
      readonly onCellSettled: () => void;
    },
  ) {
    this.evaluate = createEvaluator(services.db, services.models);
    this.warmModels = () => services.models.warm?.();
    this.scheduler = this.newScheduler();
  }

  /** A scheduler per opened notebook, so a late result of the last one can never land in this one. */
  private newScheduler(): Scheduler {
    const scheduler: Scheduler = new Scheduler({
      evaluate: this.evaluate,
      concurrency: CELLS_AT_ONCE,
      onStates: (states) => {
        if (this.scheduler === scheduler) this.states = states;
      },
      onLog: (event) => {
        if (this.scheduler !== scheduler) return;
        // The newest events are what a person reads; a long session keeps the last LOG_LIMIT.
        this.log = this.log.length >= LOG_LIMIT ? [...this.log.slice(-LOG_LIMIT + 1), event] : [...this.log, event];
        if (event.status === 'done' || event.status === 'error') this.hooks.onCellSettled();
      },
    });
    scheduler.setDataTables(this.dataTables);
    return scheduler;
  }

  /** Open a notebook with its inputs at saved values (by input name); nothing runs until asked. */
  open(notebook: Notebook, inputs: Readonly<Record<string, InputValue>> = {}, trusted = true): void {
    this.notebook = notebook;
    this.trusted = trusted;
    for (const timer of this.pendingRuns.values()) clearTimeout(timer);
    this.pendingRuns.clear();
    this.scheduler = this.newScheduler();
    this.states = {};
    this.log = [];
    this.scheduler.update(notebook);
    // Its models' workers start (and load the registry and kernels) while the cells above them run, not after.
    if (notebook.cells.some((cell) => cell.kind === 'model')) this.warmModels();
    for (const cell of notebook.cells) {
      if (cell.kind === 'input' && Object.hasOwn(inputs, cell.name)) this.scheduler.presetInput(cell.id, inputs[cell.name]!);
      const selects = cell.kind === 'chart' ? this.scheduler.analysis(cell.id)?.selects : undefined;
      const saved = selects === undefined ? undefined : inputs[selects.as];
      if (selects !== undefined && isSelectionValue(selects, saved)) this.scheduler.presetSelection(cell.id, saved);
    }
    this.selected = null;
  }

  /** Input values by input name, for saving. */
  inputValues(): Record<string, InputValue> {
    const values: Record<string, InputValue> = {};
    for (const cell of this.notebook.cells) {
      const value = cell.kind === 'input' ? this.scheduler.inputValue(cell.id) : undefined;
      if (isNamed(cell) && value !== undefined) values[cell.name] = value;
    }
    return values;
  }

  /** Input values and the charts' selections (those not cleared) by name, for saving. */
  savedValues(): Record<string, InputValue> {
    const values = this.inputValues();
    for (const cell of this.notebook.cells) {
      const selects = cell.kind === 'chart' ? this.scheduler.analysis(cell.id)?.selects : undefined;
      const value = this.scheduler.selection(cell.id);
      if (selects !== undefined && value !== undefined && value !== null) values[selects.as] = value;
    }
    return values;
  }

  private change(notebook: Notebook): void {
    this.notebook = notebook;
    this.scheduler.update(notebook);
    this.hooks.onChange();
  }

  edit(cellId: string, source: string): void {
    this.change(editSource(this.notebook, cellId, source));
  }

  rename(cellId: string, name: string): void {
    this.change(renameCell(this.notebook, cellId, name));
  }

  setTitle(title: string): void {
    this.change({ ...this.notebook, title });
  }

  add(kind: CellKind, afterId?: string, source = ''): string {
    const { notebook, cell } = addCell(this.notebook, kind, afterId, source);
    this.change(notebook);
    this.selected = cell.id;
    return cell.id;
  }

  /** A new cell above `cellId`. */
  addAbove(kind: CellKind, cellId: string): string {
    const index = this.notebook.cells.findIndex((cell) => cell.id === cellId);
    const { notebook, cell } = addCell(this.notebook, kind, undefined);
    const withoutNew = notebook.cells.filter((c) => c.id !== cell.id);
    this.change(insertAt({ ...notebook, cells: withoutNew }, cell, Math.max(0, index)));
    this.selected = cell.id;
    return cell.id;
  }

  duplicate(cellId: string): void {
    const result = duplicateCell(this.notebook, cellId);
    if (!result) return;
    this.change(result.notebook);
    this.selected = result.cell.id;
  }

  move(cellId: string, by: -1 | 1): void {
    this.change(moveCell(this.notebook, cellId, by));
  }

  toKind(cellId: string, kind: 'markdown' | 'sql'): void {
    this.change(changeKind(this.notebook, cellId, kind));
  }

  /** Delete a cell, with an Undo on the notice. */
  remove(cellId: string): void {
    this.scheduler.cancel(cellId);
    const { notebook, removed } = removeCell(this.notebook, cellId);
    if (!removed) return;
    this.change(notebook);
    const label = isNamed(removed.cell) ? `cell ${removed.cell.name}` : 'a markdown cell';
    this.notices.add('info', `Deleted ${label}.`, {
      label: 'Undo',
      run: () => this.change(insertAt(this.notebook, removed.cell, removed.index)),
    });
  }

  toggleCollapsed(cellId: string): void {
    const next = new Set(this.collapsed);
    if (next.has(cellId)) next.delete(cellId);
    else next.add(cellId);
    this.collapsed = next;
  }

  run(cellId: string): Promise<void> {
    return this.scheduler.run([cellId]);
  }

  /**
   * Run a cell once its builder has been still for `BUILDER_RUN_DELAY_MS`; a newer call restarts the wait, and the
   * scheduler supersedes a run already going.
   */
  runSoon(cellId: string): void {
    clearTimeout(this.pendingRuns.get(cellId));
    this.pendingRuns.set(
      cellId,
      setTimeout(() => {
        this.pendingRuns.delete(cellId);
        if (this.notebook.cells.some((cell) => cell.id === cellId)) void this.run(cellId);
      }, BUILDER_RUN_DELAY_MS),
    );
  }

  /** A builder's change: kept at once, drawn after a short pause. */
  editAndRun(cellId: string, source: string): void {
    this.edit(cellId, source);
    this.runSoon(cellId);
  }

  runAll(): Promise<void> {
    return this.scheduler.runAll();
  }

  /** The user chose to run a notebook from outside: it is theirs now, saved as such, and runs on open from now on. */
  trust(): void {
    if (this.trusted) return;
    this.trusted = true;
    this.hooks.onChange();
  }

  runFrom(cellId: string): Promise<void> {
    return this.scheduler.runFrom(cellId);
  }

  cancel(cellId: string): void {
    this.scheduler.cancel(cellId);
  }

  inputValue(cellId: string): InputValue | undefined {
    void this.inputRevision;
    return this.scheduler.inputValue(cellId);
  }

  /** Set an input and re-run its readers; before a notebook from outside is trusted, only keep the value. */
  setInput(cellId: string, value: InputValue): Promise<void> {
    if (!this.trusted) {
      this.scheduler.presetInput(cellId, value);
      this.inputRevision += 1;
      this.hooks.onChange();
      return Promise.resolve();
    }
    const run = this.scheduler.setInput(cellId, value);
    this.hooks.onChange();
    return run;
  }

  /** What a chart's selection holds (null when cleared), undefined for a chart that selects nothing. */
  selection(cellId: string): InputValue | undefined {
    void this.inputRevision;
    return this.scheduler.selection(cellId);
  }

  /** Set a chart's selection (null clears it) and re-run its readers; before the notebook is trusted, only keep it. */
  setSelection(cellId: string, value: InputValue): Promise<void> {
    this.inputRevision += 1;
    if (!this.trusted) {
      this.scheduler.presetSelection(cellId, value);
      this.hooks.onChange();
      return Promise.resolve();
    }
    const run = this.scheduler.setSelection(cellId, value);
    this.hooks.onChange();
    return run;
  }

  /** The loaded data tables: cells may read them, never write them or take their names. */
  setDataTables(tables: readonly string[]): void {
    this.dataTables = tables;
    this.scheduler.setDataTables(tables);
  }

  /** Tables were (re)loaded: re-run the cells that read any of them and have run before. */
  tableChanged(names: readonly string[]): Promise<void> {
    const lower = new Set(names.map((name) => name.toLowerCase()));
    const readers = this.notebook.cells.filter((cell) => {
      const status = this.states[cell.id]?.status;
      return status !== undefined && status !== 'idle' && this.scheduler.analysis(cell.id)?.readsTables.some((table) => lower.has(table));
    });
    return readers.length > 0 ? this.scheduler.run(readers.map((cell) => cell.id)) : Promise.resolve();
  }

  /** Whether any cell is queued or running. */
  get running(): boolean {
    return Object.values(this.states).some((state) => state.status === 'queued' || state.status === 'running');
  }

  /** Names of cells whose output is a DuckDB table. */
  get cellTables(): Set<string> {
    return new Set(this.notebook.cells.flatMap((cell) => (isNamed(cell) && cell.kind !== 'input' ? [cell.name] : [])));
  }

  /** True for a cell's table and the extra tables a model cell makes (`segments__centroids`). */
  isCellTable(table: string): boolean {
    const names = this.cellTables;
    return names.has(table) || names.has(table.split('__')[0]!);
  }

  /** The run log as JSON lines, one event a line. */
  logAsJsonLines(): string {
    return this.log.map((event) => JSON.stringify(event)).join('\n') + (this.log.length > 0 ? '\n' : '');
  }
}
