import { describe, expect, it } from 'vitest';
import { Scheduler, type Evaluate, type RunLogEvent } from '../../../src/engine/scheduler.ts';
import type { CellOutput, CellStates } from '../../../src/engine/status.ts';
import type { Cell, Notebook } from '../../../src/engine/notebook.ts';

function notebook(...cells: Cell[]): Notebook {
  return { title: 't', data: {}, cells, extra: {} };
}
const sql = (name: string, source: string): Cell => ({ id: name, kind: 'sql', name, source });
const input = (name: string, spec: object): Cell => ({ id: name, kind: 'input', name, source: JSON.stringify(spec) });

/** A scheduler over a fake evaluator that records what ran; `delays` holds per-call delays in ms. */
function harness(nb: Notebook, options: { fail?: Set<string>; delays?: Record<string, number[]>; concurrency?: number } = {}) {
  const ran: string[] = [];
  const snapshots: CellStates[] = [];
  const log: RunLogEvent[] = [];
  let call = 0;
  const evaluate: Evaluate = async (cell, _analysis, context) => {
    call += 1;
    const mine = call;
    ran.push(cell.name);
    const delay = options.delays?.[cell.name]?.shift() ?? 0;
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    if (options.fail?.has(cell.name)) throw new Error(`boom in ${cell.name}`);
    if (cell.kind === 'input') return { kind: 'value', value: context.value ?? null };
    const params = [...context.inputs.entries()].map(([k, v]) => `${k}=${String(v)}`).join(',');
    // rowCount records which call produced the output, so a stale one can be told apart.
    return { kind: 'table', table: `${cell.name}|${params}`, rowCount: mine, columns: [] } satisfies CellOutput;
  };
  const scheduler = new Scheduler({ evaluate, onStates: (states) => snapshots.push(states), onLog: (event) => log.push(event), concurrency: options.concurrency });
  scheduler.update(nb);
  return { scheduler, ran, snapshots, log };
}

describe('Scheduler', () => {
  it('runs cells after the cells they read, ties in notebook order', async () => {
    // Notebook order: report, total, base, other; report reads total, total reads base.
    const { scheduler, ran } = harness(
      notebook(sql('report', 'SELECT * FROM total'), sql('total', 'SELECT sum(x) FROM base'), sql('base', 'SELECT 1 AS x'), sql('other', 'SELECT 2')),
    );
    await scheduler.runAll();
    // base and other are ready first (base is higher in the notebook); total then report become ready in turn
    // and each ranks above other.
    expect(ran).toEqual(['base', 'total', 'report', 'other']);
    expect(Object.values(scheduler.cellStates).every((state) => state.status === 'done')).toBe(true);
  });

  it('re-runs only the edited cell and its descendants', async () => {
    const { scheduler, ran } = harness(notebook(sql('a', 'SELECT 1'), sql('b', 'SELECT * FROM a'), sql('c', 'SELECT * FROM b'), sql('d', 'SELECT 2')));
    await scheduler.runAll();
    ran.length = 0;
    await scheduler.run(['b']);
    expect(ran).toEqual(['b', 'c']);
  });

  it('runs upstream cells that never ran before a cell that needs them', async () => {
    const { scheduler, ran } = harness(notebook(sql('a', 'SELECT 1'), sql('b', 'SELECT * FROM a'), sql('c', 'SELECT * FROM b')));
    await scheduler.run(['c']);
    expect(ran).toEqual(['a', 'b', 'c']);
  });

  it('an error marks the cell error and its descendants blocked, naming the upstream cell', async () => {
    const { scheduler, ran } = harness(notebook(sql('a', 'SELECT 1'), sql('b', 'SELECT * FROM a'), sql('c', 'SELECT * FROM b'), sql('d', 'SELECT 2')), {
      fail: new Set(['b']),
    });
    await scheduler.runAll();
    expect(ran).toEqual(['a', 'b', 'd']);
    const states = scheduler.cellStates;
    expect(states.a?.status).toBe('done');
    expect(states.b).toMatchObject({ status: 'error', error: { kind: 'runtime', message: 'boom in b' } });
    expect(states.c).toMatchObject({ status: 'blocked', error: { kind: 'blocked', upstream: 'b' } });
    expect(states.d?.status).toBe('done');
  });

  it('a slow older run finishing after a newer one never wins', async () => {
    // First run of a takes 60 ms, the second 0 ms: the first result arrives last and must be dropped.
    const { scheduler, snapshots } = harness(notebook(sql('a', 'SELECT 1'), sql('b', 'SELECT * FROM a')), { delays: { a: [60, 0] } });
    const older = scheduler.run(['a']);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const newer = scheduler.run(['a']);
    await Promise.all([older, newer]);
    await new Promise((resolve) => setTimeout(resolve, 80));
    const final = scheduler.cellStates;
    expect(final.a?.status).toBe('done');
    // Call 1 was the slow first run of a; the shown output must come from a later call.
    expect(final.a?.output).toMatchObject({ rowCount: 2 });
    expect(snapshots.some((states) => states.a?.output?.kind === 'table' && states.a.output.rowCount === 1)).toBe(false);
    expect(final.b?.status).toBe('done');
  });

  it('cycles and duplicate names are errors on the cells, which do not run', async () => {
    const { scheduler, ran } = harness(
      notebook(sql('a', 'SELECT * FROM b'), sql('b', 'SELECT * FROM a'), sql('self', 'SELECT * FROM self'), sql('twin', 'SELECT 1'), { id: 'twin2', kind: 'sql', name: 'TWIN', source: 'SELECT 2' }, sql('ok', 'SELECT 3')),
    );
    await scheduler.runAll();
    expect(ran).toEqual(['ok']);
    expect(scheduler.cellStates.a?.error).toEqual({ kind: 'cycle', names: ['a', 'b'] });
    expect(scheduler.cellStates.self?.error).toEqual({ kind: 'cycle', names: ['self'] });
    expect(scheduler.cellStates.twin?.error).toEqual({ kind: 'duplicate-name', name: 'twin' });
    expect(scheduler.cellStates.twin2?.error).toEqual({ kind: 'duplicate-name', name: 'twin' });
  });

  it('an unknown $input is an error with a suggestion', async () => {
    const { scheduler } = harness(notebook(input('min_spend', { input: 'slider', min: 0, max: 10 }), sql('q', 'SELECT * FROM t WHERE spend > $min_spnd')));
    await scheduler.runAll();
    expect(scheduler.cellStates.q?.error).toEqual({ kind: 'unknown-name', name: '$min_spnd', suggestion: 'min_spend' });
  });

  it('moving an input re-runs only the cells that read it, with the new value', async () => {
    const { scheduler, ran } = harness(
      notebook(input('n', { input: 'slider', min: 0, max: 10, value: 3 }), sql('uses', 'SELECT * FROM range(10) WHERE range < $n'), sql('later', 'SELECT * FROM uses'), sql('free', 'SELECT 1')),
    );
    await scheduler.runAll();
    expect(scheduler.cellStates.uses?.output).toMatchObject({ table: 'uses|n=3' });
    ran.length = 0;
    await scheduler.setInput('n', 7);
    expect(ran).toEqual(['n', 'uses', 'later']);
    expect(scheduler.cellStates.uses?.output).toMatchObject({ table: 'uses|n=7' });
  });

  it('cancelling a running cell leaves it stale and blocks its dependents', async () => {
    const evaluate: Evaluate = (cell, _analysis, context) =>
      new Promise((resolve, reject) => {
        if (cell.name !== 'slow') return resolve({ kind: 'statement' });
        context.signal.addEventListener('abort', () => reject(new DOMException('stop', 'AbortError')));
      });
    const scheduler = new Scheduler({ evaluate, onStates: () => {} });
    scheduler.update(notebook(sql('slow', 'SELECT 1'), sql('after', 'SELECT * FROM slow')));
    const run = scheduler.runAll();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(scheduler.cellStates.slow?.status).toBe('running');
    scheduler.cancel('slow');
    await run;
    expect(scheduler.cellStates.slow).toMatchObject({ status: 'stale', error: { kind: 'cancelled' } });
    expect(scheduler.cellStates.after).toMatchObject({ status: 'blocked', error: { upstream: 'slow' } });
  });

  it('an edit makes the cell stale and keeps its last output', async () => {
    const { scheduler } = harness(notebook(sql('a', 'SELECT 1')));
    await scheduler.runAll();
    scheduler.update(notebook(sql('a', 'SELECT 2')));
    expect(scheduler.cellStates.a).toMatchObject({ status: 'stale', output: { kind: 'table' } });
  });

  it('writes a run log with a run id, cell, kind, status, duration and rows', async () => {
    const { scheduler, log } = harness(notebook(sql('a', 'SELECT 1'), sql('b', 'SELECT * FROM a')), { fail: new Set(['b']) });
    await scheduler.runAll();
    expect(log.map(({ runId, cell, kind, status, rows }) => ({ runId, cell, kind, status, rows }))).toEqual([
      { runId: 1, cell: 'a', kind: 'sql', status: 'done', rows: 1 },
      { runId: 1, cell: 'b', kind: 'sql', status: 'error', rows: undefined },
    ]);
    expect(log[1]?.error).toBe('boom in b');
    expect(Date.parse(log[0]!.start)).not.toBeNaN();
  });
});

/** Evaluations that wait until released by hand, recording starts and ends in one sequence of events. */
function gated(nb: Notebook, concurrency: number) {
  const events: string[] = [];
  const gates = new Map<string, (failed: boolean) => void>();
  const evaluate: Evaluate = (cell, _analysis, context) =>
    new Promise((resolve, reject) => {
      events.push(`start ${cell.name}`);
      context.signal.addEventListener('abort', () => reject(new DOMException('stop', 'AbortError')));
      gates.set(cell.name, (failed) => {
        events.push(`end ${cell.name}`);
        if (failed) reject(new Error(`${cell.name} failed`));
        else resolve({ kind: 'statement' });
      });
    });
  const scheduler = new Scheduler({ evaluate, onStates: () => {}, concurrency });
  scheduler.update(nb);
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  /** Let the cell's evaluation finish (or fail), then let the scheduler react. */
  const release = async (name: string, failed = false) => {
    const open = gates.get(name);
    if (open === undefined) throw new Error(`${name} is not running (events: ${events.join(', ')})`);
    gates.delete(name);
    open(failed);
    await settle();
  };
  const running = () => [...gates.keys()].sort();
  return { scheduler, events, release, running, settle };
}

describe('Scheduler with cells running at once', () => {
  // a and b are independent; c reads a; d reads b and c; e reads nothing.
  const diamond = () =>
    notebook(sql('a', 'SELECT 1'), sql('b', 'SELECT 2'), sql('c', 'SELECT * FROM a'), sql('d', 'SELECT * FROM b, c'), sql('e', 'SELECT 3'));

  it('runs independent cells side by side, never more than the limit, each after its inputs', async () => {
    const { scheduler, events, release, running, settle } = gated(diamond(), 2);
    const run = scheduler.runAll();
    await settle();
    expect(running()).toEqual(['a', 'b']); // e waits for a turn; c and d for their inputs
    await release('a');
    expect(running()).toEqual(['b', 'e']); // the freed turn goes to e, which was waiting for one; c waits for the next
    await release('b');
    expect(running()).toEqual(['c', 'e']); // d still waits for c
    await release('e');
    expect(running()).toEqual(['c']);
    await release('c');
    expect(running()).toEqual(['d']);
    await release('d');
    await run;
    expect(events).toEqual(['start a', 'start b', 'end a', 'start e', 'end b', 'start c', 'end e', 'end c', 'start d', 'end d']);
    expect(Object.values(scheduler.cellStates).map((state) => state.status)).toEqual(['done', 'done', 'done', 'done', 'done']);
  });

  it('with a limit of one runs one cell at a time, in the order it always has', async () => {
    const { scheduler, events, release, running, settle } = gated(diamond(), 1);
    const run = scheduler.runAll();
    for (const name of ['a', 'b', 'c', 'd', 'e']) {
      await settle();
      expect(running()).toEqual([name]);
      await release(name);
    }
    await run;
    expect(events.filter((event) => event.startsWith('start'))).toEqual(['start a', 'start b', 'start c', 'start d', 'start e']);
  });

  it('a failed cell blocks what reads it while the others run; the states equal a run one at a time', async () => {
    const nb = diamond();
    const together = harness(nb, { fail: new Set(['c']), delays: { a: [20], b: [5], e: [1] }, concurrency: 3 });
    const alone = harness(nb, { fail: new Set(['c']), delays: { a: [20], b: [5], e: [1] } });
    await Promise.all([together.scheduler.runAll(), alone.scheduler.runAll()]);
    const summary = (states: CellStates) =>
      Object.fromEntries(Object.entries(states).map(([id, state]) => [id, { status: state.status, error: state.error, table: state.output?.kind === 'table' ? state.output.table : undefined }]));
    expect(summary(together.scheduler.cellStates)).toEqual(summary(alone.scheduler.cellStates));
    expect(together.scheduler.cellStates.d).toMatchObject({ status: 'blocked', error: { upstream: 'c' } });
    expect(together.scheduler.cellStates.e?.status).toBe('done');
    expect(together.ran.sort()).toEqual(['a', 'b', 'c', 'e']);
  });

  it('a cell cancelled while it waits for a turn never runs, and what reads it is blocked', async () => {
    const { scheduler, events, release, running, settle } = gated(notebook(sql('a', 'SELECT 1'), sql('b', 'SELECT 2'), sql('c', 'SELECT 3'), sql('d', 'SELECT * FROM c')), 2);
    const run = scheduler.runAll();
    await settle();
    expect(running()).toEqual(['a', 'b']);
    expect(scheduler.cellStates.c?.status).toBe('queued');
    scheduler.cancel('c');
    await release('a');
    await release('b');
    await run;
    expect(events).toEqual(['start a', 'start b', 'end a', 'end b']);
    expect(scheduler.cellStates.c).toMatchObject({ status: 'stale', error: { kind: 'cancelled' } });
    expect(scheduler.cellStates.d).toMatchObject({ status: 'blocked', error: { upstream: 'c' } });
  });

  it.each([
    [1, false],
    [2, false],
    [1, true],
    [2, true],
  ])('a cell cancelled while it waits for its input stays cancelled, and never runs (%i at once, input failing: %s)', async (concurrency, failing) => {
    const { scheduler, events, release, running, settle } = gated(notebook(sql('a', 'SELECT 1'), sql('b', 'SELECT * FROM a'), sql('c', 'SELECT * FROM b')), concurrency);
    const run = scheduler.runAll();
    await settle();
    expect(running()).toEqual(['a']);
    scheduler.cancel('b');
    await release('a', failing);
    await run;
    expect(events).toEqual(['start a', 'end a']);
    expect(scheduler.cellStates.a?.status).toBe(failing ? 'error' : 'done');
    expect(scheduler.cellStates.b).toMatchObject({ status: 'stale', error: { kind: 'cancelled' } });
    expect(scheduler.cellStates.c).toMatchObject({ status: 'blocked', error: { upstream: 'b' } });
  });

  it('a newer run of a cell replaces the older one, whose late result is dropped', async () => {
    const { scheduler, snapshots } = harness(notebook(sql('a', 'SELECT 1'), sql('b', 'SELECT * FROM a'), sql('c', 'SELECT 2')), {
      delays: { a: [60, 0] },
      concurrency: 2,
    });
    const older = scheduler.run(['a']);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const newer = scheduler.run(['a']);
    await Promise.all([older, newer]);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(scheduler.cellStates.a).toMatchObject({ status: 'done', output: { rowCount: 2 } });
    expect(snapshots.some((states) => states.a?.output?.kind === 'table' && states.a.output.rowCount === 1)).toBe(false);
    expect(scheduler.cellStates.b?.status).toBe('done');
  });
});

describe('Scheduler progress', () => {
  it('shows a running cell\'s progress in steps of a twentieth: a model reporting every percent re-renders 21 times, not 101', async () => {
    const snapshots: CellStates[] = [];
    const evaluate: Evaluate = async (_cell, _analysis, context) => {
      for (let percent = 0; percent <= 100; percent++) context.onProgress?.(percent / 100);
      return { kind: 'table', table: 't', rowCount: 1, columns: [] };
    };
    const scheduler = new Scheduler({ evaluate, onStates: (states) => snapshots.push(states) });
    scheduler.update(notebook(sql('model', 'SELECT 1')));
    await scheduler.runAll();
    const shown = snapshots.map((states) => states.model).filter((state) => state?.status === 'running' && state.progress !== undefined).map((state) => state!.progress);
    expect(shown).toEqual(Array.from({ length: 21 }, (_, step) => step / 20));
    expect(scheduler.cellStates.model?.status).toBe('done');
  });
});
