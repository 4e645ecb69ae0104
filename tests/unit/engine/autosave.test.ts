import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAutosaver, type AutosaveState, type AutosaveTimers } from '../../../src/engine/autosave.ts';

/** A fake save whose calls resolve or reject when the test says, recording how many ran at once. */
function controlledSave() {
  const calls: { value: string; resolve: () => void; reject: (error: Error) => void }[] = [];
  let running = 0;
  let maxRunning = 0;
  const save = vi.fn(
    (value: string) =>
      new Promise<void>((resolve, reject) => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        const settle = (finish: () => void) => () => {
          running--;
          finish();
        };
        calls.push({ value, resolve: settle(resolve), reject: (error) => settle(() => reject(error))() });
      }),
  );
  return { save, calls, saved: () => calls.map((call) => call.value), maxRunning: () => maxRunning };
}

const instantSave = () => vi.fn(async (_value: string) => {});

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('createAutosaver', () => {
  it('coalesces rapid edits into one save of the last value', async () => {
    const save = instantSave();
    const autosaver = createAutosaver(save, { delayMs: 300 });
    autosaver.schedule('S');
    await vi.advanceTimersByTimeAsync(100);
    autosaver.schedule('SE');
    await vi.advanceTimersByTimeAsync(100);
    autosaver.schedule('SEL');
    await vi.advanceTimersByTimeAsync(299);
    expect(save).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(save.mock.calls).toEqual([['SEL']]);
    expect(autosaver.state).toBe('idle');
  });

  it('still saves every maxWaitMs while edits never pause', async () => {
    const save = instantSave();
    const autosaver = createAutosaver(save, { delayMs: 300, maxWaitMs: 2_000 });
    for (let keystroke = 1; keystroke <= 50; keystroke++) {
      autosaver.schedule(`text ${keystroke}`);
      await vi.advanceTimersByTimeAsync(100);
    }
    // Edits at 0, 100, … 4,900 ms: deadlines at 2,000 and 4,000 ms, then the quiet timer after the last edit.
    expect(save.mock.calls.map(([value]) => value)).toEqual(['text 20', 'text 40']);
    await vi.advanceTimersByTimeAsync(300);
    expect(save.mock.calls.map(([value]) => value)).toEqual(['text 20', 'text 40', 'text 50']);
  });

  it('keeps at most one save in flight, and the latest value wins', async () => {
    const { save, calls, saved, maxRunning } = controlledSave();
    const autosaver = createAutosaver(save, { delayMs: 300 });
    autosaver.schedule('v1');
    await vi.advanceTimersByTimeAsync(300);
    expect(saved()).toEqual(['v1']);
    expect(autosaver.state).toBe('saving');

    autosaver.schedule('v2');
    await vi.advanceTimersByTimeAsync(300);
    autosaver.schedule('v3');
    await vi.advanceTimersByTimeAsync(300);
    expect(saved()).toEqual(['v1']); // v1 is still being written

    calls[0]!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(saved()).toEqual(['v1', 'v3']); // v2 was superseded before it could start
    calls[1]!.resolve();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(saved()).toEqual(['v1', 'v3']);
    expect(maxRunning()).toBe(1);
    expect(autosaver.state).toBe('idle');
  });

  it('an edit made during a save waits for its own quiet time', async () => {
    const { save, calls, saved } = controlledSave();
    const autosaver = createAutosaver(save, { delayMs: 300 });
    autosaver.schedule('v1');
    await vi.advanceTimersByTimeAsync(300);
    autosaver.schedule('v2');
    calls[0]!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(saved()).toEqual(['v1']);
    expect(autosaver.state).toBe('waiting');
    await vi.advanceTimersByTimeAsync(300);
    expect(saved()).toEqual(['v1', 'v2']);
  });

  it('flush saves the waiting value at once and resolves when it is written', async () => {
    const { save, calls, saved } = controlledSave();
    const autosaver = createAutosaver(save, { delayMs: 300 });
    autosaver.schedule('v1');
    await vi.advanceTimersByTimeAsync(300);
    autosaver.schedule('v2'); // v1 in flight, v2 waiting: a pagehide now must write both, in order
    let flushed: boolean | undefined;
    void autosaver.flush().then((result) => (flushed = result));
    calls[0]!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(saved()).toEqual(['v1', 'v2']);
    expect(flushed).toBeUndefined();
    calls[1]!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(flushed).toBe(true);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(saved()).toEqual(['v1', 'v2']); // the cleared timers do not save again
  });

  it('flush with nothing to save resolves true at once', async () => {
    const save = instantSave();
    await expect(createAutosaver(save).flush()).resolves.toBe(true);
    expect(save).not.toHaveBeenCalled();
  });

  it('reports a failed save, does not hammer storage, and retries on the next edit', async () => {
    const failure = new Error('Browser storage is full');
    const save = vi.fn(async (value: string) => {
      if (value === 'v1') throw failure;
    });
    const onError = vi.fn();
    const autosaver = createAutosaver(save, { delayMs: 300, onError });
    autosaver.schedule('v1');
    await vi.advanceTimersByTimeAsync(300);
    expect(onError).toHaveBeenCalledWith(failure, 'v1');
    expect(autosaver.state).toBe('failed');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(save).toHaveBeenCalledTimes(1);

    autosaver.schedule('v2');
    await vi.advanceTimersByTimeAsync(300);
    expect(save.mock.calls.map(([value]) => value)).toEqual(['v1', 'v2']);
    expect(autosaver.state).toBe('idle');
  });

  it('flush retries the value whose save failed and says whether it succeeded', async () => {
    let full = true;
    const save = vi.fn(async (_value: string) => {
      if (full) throw new Error('full');
    });
    const autosaver = createAutosaver(save, { onError: () => {} });
    autosaver.schedule('draft');
    await vi.advanceTimersByTimeAsync(300);
    await expect(autosaver.flush()).resolves.toBe(false);
    full = false;
    await expect(autosaver.flush()).resolves.toBe(true);
    expect(save.mock.calls.map(([value]) => value)).toEqual(['draft', 'draft', 'draft']);
    expect(autosaver.state).toBe('idle');
  });

  it('a failed older save does not shadow a newer value already waiting', async () => {
    const { save, calls, saved } = controlledSave();
    const onError = vi.fn();
    const autosaver = createAutosaver(save, { delayMs: 300, onError });
    autosaver.schedule('v1');
    await vi.advanceTimersByTimeAsync(300);
    autosaver.schedule('v2');
    await vi.advanceTimersByTimeAsync(300);
    calls[0]!.reject(new Error('aborted'));
    await vi.advanceTimersByTimeAsync(0);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(saved()).toEqual(['v1', 'v2']);
    calls[1]!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(autosaver.state).toBe('idle');
    await expect(autosaver.flush()).resolves.toBe(true);
  });

  it('cancel drops the waiting value', async () => {
    const save = instantSave();
    const autosaver = createAutosaver(save);
    autosaver.schedule('about to be deleted');
    autosaver.cancel();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(save).not.toHaveBeenCalled();
    expect(autosaver.state).toBe('idle');
  });

  it('reports its state changes for a "Saving… / Saved" indicator', async () => {
    const states: AutosaveState[] = [];
    const { save, calls } = controlledSave();
    const autosaver = createAutosaver(save, { onStateChange: (state) => states.push(state) });
    autosaver.schedule('a');
    autosaver.schedule('ab');
    await vi.advanceTimersByTimeAsync(300);
    calls[0]!.reject(new Error('full'));
    await vi.advanceTimersByTimeAsync(0);
    autosaver.schedule('abc');
    await vi.advanceTimersByTimeAsync(300);
    calls[1]!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(states).toEqual(['waiting', 'saving', 'failed', 'waiting', 'saving', 'idle']);
  });

  it('a throwing callback does not break it', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const save = instantSave();
    const autosaver = createAutosaver(save, {
      onSaved: () => {
        throw new Error('UI bug');
      },
    });
    autosaver.schedule('a');
    await vi.advanceTimersByTimeAsync(300);
    autosaver.schedule('b');
    await vi.advanceTimersByTimeAsync(300);
    expect(save).toHaveBeenCalledTimes(2);
  });

  it('runs on injected timers', async () => {
    vi.useRealTimers();
    const pending = new Map<number, () => void>();
    let next = 0;
    const timers: AutosaveTimers = {
      setTimeout: (callback) => {
        pending.set(++next, callback);
        return next;
      },
      clearTimeout: (handle) => pending.delete(handle as number),
    };
    const save = instantSave();
    const autosaver = createAutosaver(save, { timers });
    autosaver.schedule('a');
    autosaver.schedule('ab');
    expect(pending.size).toBe(2); // one quiet timer (restarted) and one deadline
    const [fire] = pending.values();
    fire!();
    await Promise.resolve();
    expect(save.mock.calls).toEqual([['ab']]);
    expect(pending.size).toBe(0);
  });
});
