import { describe, expect, it } from 'vitest';
import { Scheduler } from '../../../src/engine/scheduler.ts';
import type { CellStates } from '../../../src/engine/status.ts';
import type { Cell } from '../../../src/engine/notebook.ts';

describe('running a notebook of many cells', () => {
  it.each([1, 3])('queues every cell in one change of state, then reports each cell starting and finishing (%i at once)', async (concurrency) => {
    const count = 1200;
    // A chain: each cell reads the one before, the worst case for walking upstream.
    const cells: Cell[] = Array.from({ length: count }, (_, i) => ({
      id: `q${i}`,
      kind: 'sql',
      name: `q${i}`,
      source: i === 0 ? 'SELECT 1 AS n' : `SELECT n + 1 AS n FROM q${i - 1}`,
    }));
    const published: CellStates[] = [];
    const scheduler = new Scheduler({
      evaluate: async (cell) => ({ kind: 'table', table: cell.name, rowCount: 1, columns: [] }) as never,
      onStates: (states) => published.push(states),
      concurrency,
    });
    scheduler.update({ title: 'big', data: {}, extra: {}, cells });
    await scheduler.runAll();
    // One publication with all 1,200 queued, then started and finished per cell: 1 + 2 × 1,200.
    expect(published).toHaveLength(1 + 2 * count);
    expect(Object.values(published[0]!).filter((state) => state.status === 'queued')).toHaveLength(count);
    const last = published.at(-1)!;
    expect(Object.values(last).filter((state) => state.status === 'done')).toHaveLength(count);
    expect(last.q1199?.version).toBe(1);
  });

  it('runs 1,000 independent cells two at a time, each once', async () => {
    const count = 1000;
    const cells: Cell[] = Array.from({ length: count }, (_, i) => ({ id: `q${i}`, kind: 'sql', name: `q${i}`, source: `SELECT ${i} AS n` }));
    let running = 0;
    let most = 0;
    const ran: string[] = [];
    const scheduler = new Scheduler({
      evaluate: async (cell) => {
        running += 1;
        most = Math.max(most, running);
        ran.push(cell.name);
        await new Promise((resolve) => setTimeout(resolve, 0));
        running -= 1;
        return { kind: 'table', table: cell.name, rowCount: 1, columns: [] } as never;
      },
      onStates: () => {},
      concurrency: 2,
    });
    scheduler.update({ title: 'wide', data: {}, extra: {}, cells });
    await scheduler.runAll();
    expect(most).toBe(2);
    // Waiting cells take turns in notebook order.
    expect(ran).toEqual(cells.map((cell) => cell.id));
    expect(Object.values(scheduler.cellStates).filter((state) => state.status === 'done')).toHaveLength(count);
  });
});
