import { analyzeCell, type CellAnalysis } from './analyze.ts';
import { ancestorsOfAll, buildGraph, runOrder, type Graph } from './graph.ts';
import { steppedProgress, transition, type CellEvent, type CellOutput, type CellStates } from './status.ts';
import { describeCellError, type CellError } from './errors.ts';
import { isNamed, type NamedCell, type NamedCellKind, type Notebook } from './notebook.ts';
import { SpecError, type InputValue } from './specs.ts';
import { assertNever } from '../util/assert.ts';
import { ModelRunError, QueryError, isCancelled, messageOf } from '../util/errors.ts';
import { DataProtectionError, protectedNames } from './data-tables.ts';
import { Turns, type Turn } from './turns.ts';

/** What an evaluation sees besides the cell: a signal that aborts when the run is superseded, and input values. */
export interface RunContext {
  readonly signal: AbortSignal;
  /** Input values by lower-cased input name. */
  readonly inputs: ReadonlyMap<string, InputValue>;
  /** The lower-cased names loaded data occupies (see data-tables.ts): cells may read them, never write them. */
  readonly dataNames: ReadonlySet<string>;
  /** The lower-cased names of the inputs that are charts' selections (they bind as `selectionSql` says). */
  readonly selections?: ReadonlySet<string>;
  /** For an input cell: its current value. */
  readonly value?: InputValue;
  /** Report how far a long run has come (0–1). */
  readonly onProgress?: (fraction: number) => void;
}

/** Runs one cell; one per kind lives in `evaluate/`. Rejects with an AbortError when cancelled. */
export type Evaluate = (cell: NamedCell, analysis: CellAnalysis, context: RunContext) => Promise<CellOutput>;

/** One line of the run log. */
export interface RunLogEvent {
  readonly runId: number;
  readonly cell: string;
  readonly kind: NamedCellKind;
  readonly status: 'done' | 'error' | 'blocked' | 'cancelled';
  /** ISO time the cell started (or was found unable to start). */
  readonly start: string;
  readonly durationMs: number;
  readonly rows?: number;
  readonly error?: string;
}

export interface SchedulerHost {
  readonly evaluate: Evaluate;
  readonly onStates: (states: CellStates) => void;
  readonly onLog?: (event: RunLogEvent) => void;
  readonly now?: () => number;
  /**
   * How many cells may run at once; default 1, one after another in dependency order. With more, a cell starts once
   * its inputs have settled and a turn is free (earlier runs and cells higher in the notebook first among the cells
   * waiting for one): a model in its worker no longer holds up the cells that do not read it (the recommendations
   * demo's big models on two cores).
   */
  readonly concurrency?: number;
}

/**
 * Runs a notebook's cells in dependency order. Every planned cell gets a new version; a newer run aborts
 * the older one's work on that cell and its late results are dropped by version, never shown. A cell
 * whose input failed is blocked, not run.
 */
export class Scheduler {
  private notebook: Notebook = { title: '', data: {}, cells: [], extra: {} };
  /** Named cells by id: looked up for every cell of every run, so a notebook of thousands of cells must not scan. */
  private namedCells = new Map<string, NamedCell>();
  private analyses = new Map<string, CellAnalysis>();
  private currentGraph: Graph = buildGraph([], () => false);
  private states: CellStates = {};
  private readonly inputValues = new Map<string, InputValue>();
  private readonly controllers = new Map<string, AbortController>();
  /** The evaluation in flight per cell; a new run of the cell waits for it to wind down first. */
  private readonly executing = new Map<string, Promise<unknown>>();
  private readonly waiters = new Map<string, (() => void)[]>();
  private runCounter = 0;
  private dataNames: ReadonlySet<string> = new Set();
  private readonly turns: Turns | null;

  constructor(private readonly host: SchedulerHost) {
    const concurrency = Math.floor(host.concurrency ?? 1);
    this.turns = concurrency > 1 ? new Turns(concurrency) : null;
  }

  /**
   * The loaded data tables (their canonical views and clean tables are implied). Cells may not write them or be
   * named like them; a cell that is becomes an error when it next runs.
   */
  setDataTables(tables: Iterable<string>): void {
    this.dataNames = protectedNames(tables);
    this.currentGraph = this.buildGraph();
  }

  private buildGraph(): Graph {
    return buildGraph([...this.analyses.values()], (id) => this.cell(id)?.kind === 'input', this.dataNames);
  }

  get graph(): Graph {
    return this.currentGraph;
  }

  get cellStates(): CellStates {
    return this.states;
  }

  analysis(cellId: string): CellAnalysis | undefined {
    return this.analyses.get(cellId);
  }

  /**
   * Take a new version of the notebook. Cells whose source or name changed become stale (their output
   * stays until they run again); removed cells are forgotten. Returns the ids of the changed cells.
   */
  update(notebook: Notebook): string[] {
    const before = new Map(this.notebook.cells.map((cell) => [cell.id, cell]));
    this.notebook = notebook;
    this.namedCells = new Map(notebook.cells.filter(isNamed).map((cell) => [cell.id, cell]));
    const changed: string[] = [];
    const analyses = new Map<string, CellAnalysis>();
    for (const cell of notebook.cells) {
      const old = before.get(cell.id);
      const same = old !== undefined && old.source === cell.source && old.kind === cell.kind && (!isNamed(cell) || (isNamed(old) && old.name === cell.name));
      analyses.set(cell.id, same ? (this.analyses.get(cell.id) ?? analyzeCell(cell)) : analyzeCell(cell));
      if (!same && old !== undefined) changed.push(cell.id);
      before.delete(cell.id);
    }
    // A chart's selection survives an edit of its title or marks, not a change of what it selects.
    for (const id of changed) {
      const was = this.analyses.get(id)?.selects;
      const now = analyses.get(id)?.selects;
      if (was !== undefined && JSON.stringify(was) !== JSON.stringify(now)) this.inputValues.delete(id);
    }
    this.analyses = analyses;
    this.currentGraph = this.buildGraph();
    for (const removed of before.keys()) {
      this.controllers.get(removed)?.abort();
      this.inputValues.delete(removed);
      this.apply({ type: 'removed', cellId: removed });
    }
    for (const id of changed) {
      const analysis = analyses.get(id);
      if (analysis?.input && this.cell(id)?.kind === 'input') this.inputValues.delete(id);
      this.apply({ type: 'edited', cellId: id });
    }
    return changed;
  }

  /** The current value of an input cell: what the user set, else its spec's initial value. */
  inputValue(cellId: string): InputValue | undefined {
    return this.inputValues.get(cellId) ?? this.analyses.get(cellId)?.input?.initial;
  }

  /** Set an input's value without running anything (restoring a saved notebook before its first run). */
  presetInput(cellId: string, value: InputValue): void {
    this.inputValues.set(cellId, value);
  }

  /** What a chart's selection holds: null when nothing is selected, undefined for a chart that selects nothing. */
  selection(cellId: string): InputValue | undefined {
    if (this.analyses.get(cellId)?.selects === undefined) return undefined;
    return this.inputValues.get(cellId) ?? null;
  }

  /** Set a chart's selection without running anything (restoring a saved notebook). */
  presetSelection(cellId: string, value: InputValue): void {
    if (this.analyses.get(cellId)?.selects !== undefined) this.inputValues.set(cellId, value);
  }

  /** Set a chart's selection (null clears it) and re-run the cells that read it; the chart itself is not redrawn. */
  setSelection(cellId: string, value: InputValue): Promise<void> {
    if (this.analyses.get(cellId)?.selects === undefined) return Promise.resolve();
    this.inputValues.set(cellId, value);
    return this.run(this.currentGraph.children.get(cellId) ?? []);
  }

  /** Set an input's value and re-run what depends on it. */
  setInput(cellId: string, value: InputValue): Promise<void> {
    this.inputValues.set(cellId, value);
    return this.run([cellId]);
  }

  /** Every named cell, in dependency order. */
  runAll(): Promise<void> {
    return this.run(this.currentGraph.order);
  }

  /** The cell and every named cell below it in the notebook (and their dependents). */
  runFrom(cellId: string): Promise<void> {
    const index = this.currentGraph.order.indexOf(cellId);
    return this.run(index === -1 ? [] : this.currentGraph.order.slice(index));
  }

  /**
   * Run `roots`, everything downstream of them, and any upstream cell that has not run successfully.
   * Resolves when this run's cells have settled (run, failed, been blocked, or been superseded).
   */
  async run(roots: readonly string[]): Promise<void> {
    const runId = (this.runCounter += 1);
    const graph = this.currentGraph;
    const planned = new Set(roots.filter((id) => graph.parents.has(id)));
    // One walk up from all roots together: a walk per root is quadratic on a long chain of cells.
    for (const upstream of ancestorsOfAll(graph, [...planned])) {
      const status = this.states[upstream]?.status;
      if (status !== 'done' && status !== 'queued' && status !== 'running') planned.add(upstream);
    }
    const plan = runOrder(graph, planned);
    const versions = new Map<string, number>();
    for (const id of plan) {
      versions.set(id, (this.states[id]?.version ?? 0) + 1);
      this.controllers.get(id)?.abort();
    }
    this.queueAll(versions);
    // A newer run owns the cell now, or it was cancelled while it waited.
    const stillQueued = (id: string, version: number) => this.states[id]?.version === version && this.states[id]?.status === 'queued';
    if (this.turns === null) {
      for (const id of plan) {
        const version = versions.get(id)!;
        if (stillQueued(id, version)) await this.execute(id, version, runId, graph);
      }
      return;
    }
    // Every cell waits for its inputs in `execute`, then for a turn: [this run, its place in the plan] orders the turns.
    await Promise.all(
      plan.map((id, place) => {
        const version = versions.get(id)!;
        return stillQueued(id, version) ? this.execute(id, version, runId, graph, [runId, place]) : undefined;
      }),
    );
  }

  /** Cancel a queued or running cell; it becomes stale and its dependents are blocked. */
  cancel(cellId: string): void {
    const state = this.states[cellId];
    if (state?.status !== 'queued' && state?.status !== 'running') return;
    this.controllers.get(cellId)?.abort();
    if (state.status === 'queued') this.fail(cellId, state.version, { kind: 'cancelled' }, 0, 0);
  }

  private async execute(id: string, version: number, runId: number, graph: Graph, turn?: Turn): Promise<void> {
    const cell = this.cell(id);
    const analysis = this.analyses.get(id);
    if (!cell || !analysis) return;
    const staticError = graph.errors.get(id);
    if (staticError) return this.fail(id, version, staticError, 0, runId);
    for (const parent of graph.parents.get(id) ?? []) await this.settled(parent);
    // Superseded, or cancelled while it waited (it stays cancelled, not blocked by a failed input).
    if (this.states[id]?.version !== version || this.states[id]?.status !== 'queued') return;
    const notReady = (graph.parents.get(id) ?? []).find((parent) => this.states[parent]?.status !== 'done');
    if (notReady !== undefined) {
      return this.fail(id, version, { kind: 'blocked', upstream: this.nameOf(notReady) }, 0, runId);
    }
    await this.executing.get(id)?.catch(() => undefined);
    if (this.states[id]?.version !== version) return;
    if (turn === undefined || this.turns === null) return this.evaluateCell(cell, analysis, id, version, runId);
    await this.turns.take(turn);
    try {
      // Cancelled or superseded while it waited for its turn.
      if (this.states[id]?.version !== version || this.states[id]?.status !== 'queued') return;
      await this.evaluateCell(cell, analysis, id, version, runId);
    } finally {
      this.turns.give();
    }
  }

  private async evaluateCell(cell: NamedCell, analysis: CellAnalysis, id: string, version: number, runId: number): Promise<void> {
    const controller = new AbortController();
    this.controllers.set(id, controller);
    const now = this.host.now ?? (() => performance.now());
    const started = now();
    const startedIso = new Date().toISOString();
    this.apply({ type: 'started', cellId: id, version, at: Date.now() });
    const evaluation = this.host.evaluate(cell, analysis, {
      signal: controller.signal,
      inputs: this.inputsByName(),
      dataNames: this.dataNames,
      selections: this.selectionNames(),
      value: cell.kind === 'input' ? this.inputValue(id) : undefined,
      onProgress: steppedProgress((fraction) => this.apply({ type: 'progress', cellId: id, version, fraction })),
    });
    this.executing.set(id, evaluation);
    try {
      const output = await evaluation;
      const durationMs = now() - started;
      if (controller.signal.aborted) throw new DOMException('Superseded', 'AbortError');
      // An input may correct its value (a select whose options changed); dependents must see the same.
      if (cell.kind === 'input' && output.kind === 'value') this.inputValues.set(id, output.value);
      this.apply({ type: 'finished', cellId: id, version, output, durationMs });
      this.log({ runId, cell: cell.name, kind: cell.kind, status: 'done', start: startedIso, durationMs, rows: output.kind === 'table' ? output.rowCount : undefined }, version, id);
    } catch (error) {
      const cellError = toCellError(error, controller.signal.aborted);
      this.fail(id, version, cellError, now() - started, runId, startedIso);
    } finally {
      if (this.controllers.get(id) === controller) this.controllers.delete(id);
      if (this.executing.get(id) === evaluation) this.executing.delete(id);
    }
  }

  private fail(id: string, version: number, error: CellError, durationMs: number, runId: number, start = new Date().toISOString()) {
    const cell = this.cell(id);
    this.apply({ type: 'failed', cellId: id, version, error, durationMs });
    if (cell && runId > 0) {
      const status = error.kind === 'blocked' ? 'blocked' : error.kind === 'cancelled' ? 'cancelled' : 'error';
      this.log({ runId, cell: cell.name, kind: cell.kind, status, start, durationMs, error: describeCellError(error) }, version, id);
    }
  }

  /** Log only what the current version did: a superseded run's late events are not part of the story. */
  private log(event: RunLogEvent, version: number, id: string) {
    if (this.states[id]?.version === version) this.host.onLog?.(event);
  }

  /** Resolves once the cell is neither queued nor running. */
  private settled(cellId: string): Promise<void> {
    const status = this.states[cellId]?.status;
    if (status !== 'queued' && status !== 'running') return Promise.resolve();
    return new Promise((resolve) => this.waiters.set(cellId, [...(this.waiters.get(cellId) ?? []), resolve]));
  }

  /**
   * Queue many cells as one change of state: one copy of the states and one `onStates`, where a transition per
   * cell would copy every cell's state once per cell (a 5,000-cell notebook froze the page for seconds here).
   */
  private queueAll(versions: ReadonlyMap<string, number>) {
    if (versions.size === 0) return;
    const states = { ...this.states };
    for (const [cellId, version] of versions) {
      const current = this.states[cellId];
      const next = transition(current === undefined ? {} : { [cellId]: current }, { type: 'queued', cellId, version })[cellId];
      if (next !== undefined) states[cellId] = next;
    }
    this.states = states;
    this.host.onStates(this.states);
  }

  private apply(event: CellEvent) {
    this.states = transition(this.states, event);
    const status = this.states[event.cellId]?.status;
    if (status !== 'queued' && status !== 'running') {
      const waiting = this.waiters.get(event.cellId);
      this.waiters.delete(event.cellId);
      waiting?.forEach((resolve) => resolve());
    }
    this.host.onStates(this.states);
  }

  private inputsByName(): Map<string, InputValue> {
    const values = new Map<string, InputValue>();
    for (const cell of this.notebook.cells) {
      const selects = cell.kind === 'chart' ? this.analyses.get(cell.id)?.selects : undefined;
      if (selects !== undefined) values.set(selects.as.toLowerCase(), this.inputValues.get(cell.id) ?? null);
      if (cell.kind !== 'input') continue;
      const value = this.inputValue(cell.id);
      if (value !== undefined) values.set(cell.name.toLowerCase(), value);
    }
    return values;
  }

  private selectionNames(): Set<string> {
    const names = new Set<string>();
    for (const analysis of this.analyses.values()) if (analysis.selects !== undefined) names.add(analysis.selects.as.toLowerCase());
    return names;
  }

  private cell(id: string): NamedCell | undefined {
    return this.namedCells.get(id);
  }

  private nameOf(id: string): string {
    return this.cell(id)?.name ?? id;
  }
}

/** A thrown value as a tagged cell error. */
export function toCellError(error: unknown, aborted: boolean): CellError {
  if (aborted || isCancelled(error)) return { kind: 'cancelled' };
  if (error instanceof DataProtectionError) return error.cellError;
  if (error instanceof QueryError) return { kind: 'sql', message: error.message, sql: error.sql };
  if (error instanceof SpecError) return { kind: 'invalid', message: error.message };
  if (error instanceof ModelRunError) {
    const { failure } = error;
    switch (failure.kind) {
      case 'invalid-spec':
        return { kind: 'invalid', message: failure.message };
      case 'model-failed':
        return { kind: 'runtime', message: failure.message };
      case 'cancelled':
        return { kind: 'cancelled' };
      default:
        return assertNever(failure);
    }
  }
  return { kind: 'runtime', message: messageOf(error) };
}
