/**
 * Autosave without races: edits are coalesced, at most one save is in flight, and the latest value is the
 * last one saved. A failed save is reported and kept; the next edit (or `flush`) saves again. No DOM: the
 * UI calls `flush()` on `pagehide` / `visibilitychange` and shows errors from `onError`.
 */

/** The timer functions the autosaver uses; tests pass fakes (or use vitest's fake timers on the defaults). */
export interface AutosaveTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** `waiting`: an edit not yet saved; `saving`: a save in flight; `failed`: the last save failed and nothing newer came. */
export type AutosaveState = 'idle' | 'waiting' | 'saving' | 'failed';

export interface AutosaveOptions<T> {
  /** Quiet time after the last edit before saving (default 300 ms). */
  readonly delayMs?: number;
  /** Longest an edit waits while edits keep coming (default 2,000 ms), so steady typing still saves. */
  readonly maxWaitMs?: number;
  /** A save failed; the value is kept and saved again on the next edit or flush. */
  readonly onError?: (error: unknown, value: T) => void;
  /** A save of `value` succeeded. */
  readonly onSaved?: (value: T) => void;
  readonly onStateChange?: (state: AutosaveState) => void;
  readonly timers?: AutosaveTimers;
}

export interface Autosaver<T> {
  /** Note a new value to save; it replaces any value still waiting. */
  schedule(value: T): void;
  /** Save what is waiting (or what last failed) now; resolves true once nothing is left unsaved. Never rejects. */
  flush(): Promise<boolean>;
  /** Drop what is waiting (a save in flight still finishes): for a notebook that was just deleted. */
  cancel(): void;
  readonly state: AutosaveState;
}

const globalTimers: AutosaveTimers = {
  // Looked up at call time so vitest's fake timers, installed after import, still apply.
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};

/** An autosaver around `save`. `const autosaver = createAutosaver((text) => session.saveNotebook(id, text), { onError: show })`. */
export function createAutosaver<T>(save: (value: T) => Promise<void>, options: AutosaveOptions<T> = {}): Autosaver<T> {
  const delayMs = options.delayMs ?? 300;
  const maxWaitMs = Math.max(options.maxWaitMs ?? 2_000, delayMs);
  const timers = options.timers ?? globalTimers;

  // Boxed so that `undefined` can be a value to save.
  let waiting: { value: T } | undefined;
  let failed: { value: T } | undefined;
  let inFlight: Promise<void> | undefined;
  let quietTimer: unknown;
  let deadlineTimer: unknown;
  let hasTimers = false;
  let reported: AutosaveState = 'idle';

  const state = (): AutosaveState => (inFlight ? 'saving' : waiting ? 'waiting' : failed ? 'failed' : 'idle');

  const emit = (): void => {
    const now = state();
    if (now === reported) return;
    reported = now;
    notify(() => options.onStateChange?.(now));
  };

  const clearTimers = (): void => {
    if (!hasTimers) return;
    timers.clearTimeout(quietTimer);
    timers.clearTimeout(deadlineTimer);
    hasTimers = false;
  };

  const start = (): void => {
    if (inFlight || !waiting) return;
    clearTimers();
    const { value } = waiting;
    waiting = undefined;
    inFlight = run(value);
    emit();
  };

  /** A timer ran out: both timers are done with, whether or not a save can start now. */
  const fire = (): void => {
    clearTimers();
    start();
  };

  const run = async (value: T): Promise<void> => {
    try {
      await save(value);
      notify(() => options.onSaved?.(value));
    } catch (error) {
      if (!waiting) failed = { value };
      notify(() => options.onError?.(error, value));
    } finally {
      inFlight = undefined;
      // A newer value whose timer already ran has been waiting on this save: start it now.
      if (!hasTimers) start();
      emit();
    }
  };

  return {
    schedule(value) {
      waiting = { value };
      failed = undefined;
      if (hasTimers) {
        timers.clearTimeout(quietTimer);
      } else {
        deadlineTimer = timers.setTimeout(fire, maxWaitMs);
        hasTimers = true;
      }
      quietTimer = timers.setTimeout(fire, delayMs);
      emit();
    },

    async flush() {
      clearTimers();
      if (!waiting && failed) {
        waiting = failed;
        failed = undefined;
      }
      while (inFlight || waiting) {
        start();
        await inFlight;
      }
      return failed === undefined;
    },

    cancel() {
      clearTimers();
      waiting = undefined;
      failed = undefined;
      emit();
    },

    get state() {
      return state();
    },
  };
}

/** A callback that throws must not break the autosaver. */
function notify(callback: () => void): void {
  try {
    callback();
  } catch (error) {
    console.error('autosave callback failed', error);
  }
}
