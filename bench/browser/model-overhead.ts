// A model cell's overhead in the page (issue 18, target 5): the app's evaluateModel on a generated table of `rows`
// customers (an id, three numeric features, and a text column the model does not read), K-Means k=4 in a warm models
// worker (the app's workerModelRunner over the app's worker API, with its steps timed). Overhead is the cell's time
// minus the algorithm's: the input out of DuckDB (DESCRIBE, ENUM codes, Arrow export), into the worker and decoded,
// the outputs encoded, back, and inserted, and the cell's shape query.
import * as Comlink from 'comlink';
import { evaluateModel } from '../../src/engine/evaluate/model.ts';
import { workerModelRunner } from '../../src/workers/model-client.ts';
import type { Database, NamedCell, RunContext } from '../../src/engine/index.ts';
import type { WorkerTimings } from './models-timed.worker.ts';

export interface OverheadRun {
  rows: number;
  cellMs: number;
  algorithmMs: number;
  overheadMs: number;
  targetMs: number;
  /** Where the overhead went: DuckDB calls by kind, and the worker's decode and encode. */
  exportMs: number;
  insertMs: number;
  otherQueriesMs: number;
  decodeMs: number;
  encodeMs: number;
  /** The rest: messages to and from the worker (transfers), Comlink, scheduling. */
  transferAndOtherMs: number;
  inputBytes: number;
}

let timings: Comlink.Remote<{ lastTimings(): WorkerTimings | undefined }> | undefined;
const runner = workerModelRunner(() => {
  const worker = new Worker(new URL('./models-timed.worker.ts', import.meta.url), { type: 'module', name: 'models' });
  timings = Comlink.wrap(worker);
  return worker;
});

/** The database with its calls timed by kind, for the current cell. */
function timedDatabase(db: Database, spent: Record<'exportMs' | 'insertMs' | 'otherQueriesMs', number>, sizes: number[]): Database {
  const wrap = <A extends unknown[], R>(key: keyof typeof spent, call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const started = performance.now();
      try {
        return await call(...args);
      } finally {
        spent[key] += performance.now() - started;
      }
    };
  return {
    query: wrap('otherQueriesMs', db.query.bind(db)),
    registerFile: db.registerFile.bind(db),
    dropFile: db.dropFile.bind(db),
    insertArrowIpc: wrap('insertMs', db.insertArrowIpc.bind(db)),
    exportCsv: db.exportCsv.bind(db),
    exportArrowIpc: wrap('exportMs', async (table: string) => {
      const bytes = await db.exportArrowIpc(table);
      sizes.push(bytes.byteLength);
      return bytes;
    }),
    close: db.close.bind(db),
  };
}

export async function makeCustomers(db: Database, table: string, rows: number): Promise<void> {
  await db.query(`CREATE OR REPLACE TABLE "${table}" AS
    SELECT 'C' || lpad(i::VARCHAR, 7, '0') AS customer_id,
           (hash(i) % 365)::DOUBLE AS recency_days,
           1 + (hash(i * 7) % 40)::DOUBLE AS frequency,
           10 + (hash(i * 13) % 500000)::DOUBLE / 100 AS monetary,
           ['United Kingdom', 'France', 'Germany', 'Spain'][1 + (i % 4)::INTEGER] AS country
    FROM range(${rows}) t(i)`);
}

/** One model cell run on `table` (already made), timed. */
export async function runModelCell(db: Database, table: string, rows: number): Promise<OverheadRun> {
  const spent = { exportMs: 0, insertMs: 0, otherQueriesMs: 0 };
  const sizes: number[] = [];
  const cell: NamedCell = {
    id: 'segments',
    kind: 'model',
    name: `segments_${rows}`,
    source: JSON.stringify({ model: 'kmeans', input: table, features: ['recency_days', 'frequency', 'monetary'], k: 4, n_init: 1, max_iter: 20, seed: 1 }),
  };
  const context: RunContext = { signal: new AbortController().signal, inputs: new Map(), dataNames: new Set([table.toLowerCase()]) };
  const started = performance.now();
  await evaluateModel(timedDatabase(db, spent, sizes), runner, cell, context);
  const cellMs = performance.now() - started;
  const worker = (await timings!.lastTimings())!;
  const overheadMs = cellMs - worker.algorithmMs;
  const accounted = spent.exportMs + spent.insertMs + spent.otherQueriesMs + worker.decodeMs + worker.encodeMs;
  return {
    rows,
    cellMs,
    algorithmMs: worker.algorithmMs,
    overheadMs,
    targetMs: 50 + (10 * rows) / 100_000,
    ...spent,
    decodeMs: worker.decodeMs,
    encodeMs: worker.encodeMs,
    transferAndOtherMs: overheadMs - accounted,
    inputBytes: sizes.reduce((sum, size) => sum + size, 0),
  };
}
