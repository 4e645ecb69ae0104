import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableFromIPC } from 'apache-arrow';
import { openNodeDatabase } from '../../../../src/db/duckdb-node.ts';
import { evaluateModel } from '../../../../src/engine/evaluate/model.ts';
import type { Database, ModelRequest, ModelRunner } from '../../../../src/engine/ports.ts';
import type { RunContext } from '../../../../src/engine/scheduler.ts';
import { frameToIpc } from '../../../../src/models/kit/frame.ts';
import { CancelledError } from '../../../../src/util/errors.ts';

// evaluate_recommenders declares one part per split: the engine runs the parts side by side and joins their tables.
let db: Database;
beforeAll(async () => {
  db = await openNodeDatabase();
  await db.query(`CREATE TABLE sales_clean AS SELECT 'C' || (i % 7) AS customer_id, 'P' || (i % 5) AS product_id, 'I' || (i // 2) AS invoice_id,
    TIMESTAMP '2011-01-01' + INTERVAL (i) DAY AS invoice_date, 1.5 * i AS amount, 'product' AS description FROM range(40) t(i)`);
});
afterAll(async () => db?.close());

const cell = { id: 'c1', kind: 'model' as const, name: 'evaluation', source: JSON.stringify({ model: 'evaluate_recommenders', input: 'sales_clean', methods: ['popularity'], k: 3 }) };
const context = (signal = new AbortController().signal, onProgress?: (fraction: number) => void): RunContext => ({ signal, inputs: new Map(), dataNames: new Set(['sales_clean']), ...(onProgress ? { onProgress } : {}) });

/** A runner whose runs wait to be answered one by one, recording what each was given. */
function heldRunner() {
  const runs: { request: ModelRequest; inputs: Uint8Array[]; answer: (rows: number) => void; fail: (error: Error) => void; progress: (fraction: number) => void; signal: AbortSignal }[] = [];
  const runner: ModelRunner = {
    run(request, onProgress, signal) {
      return new Promise((resolve, reject) => {
        const split = (request.params.splits as string[])[0]!;
        const inputs = Object.values(request.inputs);
        // As a worker takes them: the buffers are gone from the caller.
        const copies = inputs.map((bytes) => bytes.slice());
        for (const bytes of inputs) structuredClone(bytes.buffer, { transfer: [bytes.buffer as ArrayBuffer] });
        signal.addEventListener('abort', () => reject(new CancelledError('Model run cancelled')), { once: true });
        runs.push({
          request,
          inputs: copies,
          progress: onProgress,
          signal,
          answer: (rows) => resolve({ '': frameToIpc({ rowCount: rows, columns: { split: Array.from({ length: rows }, () => split), k: Int32Array.from({ length: rows }, () => 3) } }) }),
          fail: reject,
        });
      });
    },
  };
  return { runner, runs };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('a model that declares parts runs them side by side', () => {
  it('starts every part before any answers, each with its own copy of the input, and joins the tables in part order', async () => {
    const { runner, runs } = heldRunner();
    const progress: number[] = [];
    const running = evaluateModel(db, runner, cell, context(undefined, (fraction) => progress.push(fraction)));
    while (runs.length < 2) await settle();
    expect(runs.map((run) => run.request.params.splits)).toEqual([['time'], ['last_basket']]);
    const rowsOf = (bytes: Uint8Array) => tableFromIPC(bytes).numRows;
    expect(runs.map((run) => rowsOf(run.inputs[0]!))).toEqual([40, 40]);
    runs[1]!.progress(1);
    runs[0]!.progress(0.5);
    // The last part answers first: the table is still in part order.
    runs[1]!.answer(1);
    runs[0]!.answer(2);
    const output = await running;
    expect(output).toMatchObject({ kind: 'table', table: 'evaluation', rowCount: 3 });
    expect(progress).toEqual([0.5, 0.75]);
    const table = await db.query('SELECT split, k FROM evaluation');
    expect(table.toArray().map((row) => [row.split, row.k])).toEqual([['time', 3], ['time', 3], ['last_basket', 3]]);
  });

  it('a part that fails cancels the others, and its error is the run\'s', async () => {
    const { runner, runs } = heldRunner();
    const running = evaluateModel(db, runner, cell, context());
    while (runs.length < 2) await settle();
    runs[0]!.fail(new Error('the model thread stopped (exit code 1)'));
    await expect(running).rejects.toThrow('the model thread stopped (exit code 1)');
    expect(runs[1]!.signal.aborted).toBe(true);
  });

  it('cancelling the cell cancels every part', async () => {
    const { runner, runs } = heldRunner();
    const controller = new AbortController();
    const running = evaluateModel(db, runner, cell, context(controller.signal));
    while (runs.length < 2) await settle();
    controller.abort();
    await expect(running).rejects.toBeInstanceOf(CancelledError);
    expect(runs.map((run) => run.signal.aborted)).toEqual([true, true]);
  });
});
