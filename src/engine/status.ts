import type { ColumnInfo } from './catalog.ts';
import type { CellError } from './errors.ts';
import type { InputValue } from './specs.ts';
import type { ChartSpec, Row } from './chart/index.ts';
import { assertNever } from '../util/assert.ts';

export type CellStatus = 'idle' | 'queued' | 'running' | 'done' | 'error' | 'blocked' | 'stale';

/** What a cell produced: a table in DuckDB, a value (inputs), or nothing to show (a statement). */
export type CellOutput =
  | { readonly kind: 'table'; readonly table: string; readonly rowCount: number; readonly columns: readonly ColumnInfo[] }
  | { readonly kind: 'value'; readonly value: InputValue; readonly options?: readonly (string | number)[]; readonly labels?: readonly string[] }
  | { readonly kind: 'statement' }
  /** A chart's spec and, per mark, the rows DuckDB aggregated or sampled for it (`notes` say which were sampled). */
  | {
      readonly kind: 'chart';
      readonly chart: ChartSpec;
      readonly rows: readonly (readonly Row[])[];
      readonly columns: readonly ColumnInfo[];
      readonly notes: readonly string[];
      readonly rowCount: number;
    };

export interface CellState {
  readonly status: CellStatus;
  /** Bumped whenever a run is planned for the cell; events of an older version are stale and ignored. */
  readonly version: number;
  /** The last output, kept while the cell is stale or re-running so the page does not jump. */
  readonly output?: CellOutput;
  readonly error?: CellError;
  readonly durationMs?: number;
  readonly startedAt?: number;
  /** 0–1 while a long run reports progress (models). */
  readonly progress?: number;
}

export type CellEvent =
  | { readonly type: 'edited'; readonly cellId: string }
  | { readonly type: 'queued'; readonly cellId: string; readonly version: number }
  | { readonly type: 'started'; readonly cellId: string; readonly version: number; readonly at: number }
  | { readonly type: 'progress'; readonly cellId: string; readonly version: number; readonly fraction: number }
  | { readonly type: 'finished'; readonly cellId: string; readonly version: number; readonly output: CellOutput; readonly durationMs: number }
  | { readonly type: 'failed'; readonly cellId: string; readonly version: number; readonly error: CellError; readonly durationMs?: number }
  | { readonly type: 'removed'; readonly cellId: string };

export type CellStates = Readonly<Record<string, CellState>>;

const IDLE: CellState = { status: 'idle', version: 0 };

/** The state of every cell after one event — a pure function; events of a superseded version change nothing. */
export function transition(states: CellStates, event: CellEvent): CellStates {
  const current = states[event.cellId] ?? IDLE;
  const next = (state: CellState): CellStates => ({ ...states, [event.cellId]: state });
  switch (event.type) {
    case 'edited':
      return current.status === 'idle' ? states : next({ ...current, status: 'stale' });
    case 'queued':
      if (event.version < current.version) return states;
      return next({ ...current, status: 'queued', version: event.version });
    case 'started':
      if (event.version !== current.version) return states;
      return next({ ...current, status: 'running', startedAt: event.at, error: undefined, progress: undefined });
    case 'progress':
      if (event.version !== current.version || current.status !== 'running') return states;
      return next({ ...current, progress: event.fraction });
    case 'finished':
      if (event.version !== current.version) return states;
      return next({ status: 'done', version: current.version, output: event.output, durationMs: event.durationMs, startedAt: current.startedAt });
    case 'failed': {
      if (event.version !== current.version) return states;
      const status = statusForError(event.error);
      return next({ ...current, status, error: event.error, durationMs: event.durationMs });
    }
    case 'removed': {
      const { [event.cellId]: _removed, ...rest } = states;
      return rest;
    }
    default:
      return assertNever(event);
  }
}

/** Blocked cells wait on others; a cancelled cell is stale (it needs a run); everything else is an error. */
function statusForError(error: CellError): CellStatus {
  switch (error.kind) {
    case 'blocked':
      return 'blocked';
    case 'cancelled':
      return 'stale';
    default:
      return 'error';
  }
}

/** The row count of a cell's table output, if any. */
export function rowCountOf(state: CellState | undefined): number | undefined {
  return state?.output?.kind === 'table' ? state.output.rowCount : undefined;
}

/**
 * `report` called when the progress enters a new twentieth: a cell's bar moves in steps, as each change re-renders the
 * notebook and a model reports up to a hundred (the tab repainted nearly every frame while its models ran).
 */
export function steppedProgress(report: (fraction: number) => void, steps = 20): (fraction: number) => void {
  let shown = -1;
  return (fraction) => {
    const step = Math.floor(fraction * steps);
    if (step === shown) return;
    shown = step;
    report(fraction);
  };
}
