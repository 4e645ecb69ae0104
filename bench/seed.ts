// The seed pipeline in Aisle's runner (bench/seed-run.mjs runs it with tsx, one cold process per run, alternating
// with pandas): the runner's engine (native DuckDB, reading the file by path, as `aisle run` does by default; `--engine
// wasm` for DuckDB-WASM's Node build, given the file's bytes), the file loaded as the app does (importFile + prepareRetailTable: validation
// and cleaning), then a notebook (SEED_NOTEBOOK) run once with the app's Scheduler and evaluators: KPIs (SQL), RFM
// (SQL model), K-Means k=4 on log1p + standard-scaled RFM, elbow k=2..10 (choose_k), item-item cosine top-5.
// Cells run side by side and models in worker threads started before the load, as `aisle run` runs them; each thread
// times its run's steps (decode the Arrow inputs, run the model, encode the outputs) and the database calls are timed
// by cell, so each model cell's overhead (cell start → the model has its data, and its outputs back in DuckDB) is
// reported beside the algorithm's time.
// Usage: tsx bench/seed.ts --file <online_retail.csv> [--engine native|wasm]. Prints one JSON line.
import { readFile, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { openNodeDatabase } from '../src/db/duckdb-node.ts';
import { openNativeDatabase } from '../src/db/duckdb-native.ts';
import { nodeParquetCodec } from '../src/db/parquet-node.ts';
import { Scheduler, cellsAtOnce, createEvaluator, importFile, parseNotebook, prepareRetailTable, type Database, type FileSource, type ModelRunner, type RunLogEvent } from '../src/engine/index.ts';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { threadModelRunner } from '../src/workers/model-threads.ts';
import { compileEntry } from '../scripts/build-cli.mjs';
import { TIMINGS, type WorkerTimings } from './lib/timed-run.ts';
import { parseOptions } from './lib/options.mjs';

export const SEED_NOTEBOOK = `---
aisle: 1
title: Seed pipeline
---

\`\`\`sql kpis
SELECT sum(amount) AS revenue, count(DISTINCT invoice_id) AS orders, count(DISTINCT customer_id) AS customers,
       count(DISTINCT product_id) AS products, sum(amount) / count(DISTINCT invoice_id) AS average_order_value
FROM sales_clean
\`\`\`

\`\`\`sql monthly
SELECT date_trunc('month', invoice_date) AS month, sum(amount) AS revenue FROM sales_clean GROUP BY 1 ORDER BY 1
\`\`\`

\`\`\`model rfm
{ "model": "rfm", "input": "sales_clean" }
\`\`\`

\`\`\`model segments
{ "model": "kmeans", "input": "rfm", "features": ["recency_days", "frequency", "monetary"], "log1p": true, "scaling": "standard", "k": 4, "n_init": 10, "seed": 42 }
\`\`\`

\`\`\`model elbow
{ "model": "choose_k", "input": "rfm", "features": ["recency_days", "frequency", "monetary"], "log1p": true, "k_min": 2, "k_max": 10, "seed": 42 }
\`\`\`

\`\`\`model similar
{ "model": "similar_products", "input": "sales_clean", "n": 5, "weighting": "none", "value": "binary" }
\`\`\`
`;

/** Notebook cell → the pipeline stage it stands for (the keys of the pandas script's stagesMs). */
export const STAGE_OF_CELL: Record<string, string> = { kpis: 'kpis', monthly: 'kpis', rfm: 'rfm', segments: 'kmeans', elbow: 'elbow', similar: 'item_cosine' };

const { file, engine } = parseOptions(
  process.argv.slice(2),
  { file: '', engine: 'native' },
  { '--file': (o, value) => (o.file = value()), '--engine': (o, value) => (o.engine = value()) },
  { script: import.meta.url, lines: 9 },
);
if (!file || (engine !== 'native' && engine !== 'wasm')) throw new Error('usage: tsx bench/seed.ts --file <online_retail.csv> [--engine native|wasm]');

const round1 = (value: number) => Math.round(value * 10) / 10;
const now = () => performance.now();

const dbMs = new Map<string, { exportMs: number; insertMs: number; queryMs: number }>();
const modelTimings = new Map<string, WorkerTimings>();

/** `inner` with its calls timed, as the calls of `cell` (cells run side by side, each through its own). */
function timed(inner: Database, cell: string): Database {
  const add = (key: 'exportMs' | 'insertMs' | 'queryMs', ms: number) => {
    const entry = dbMs.get(cell) ?? { exportMs: 0, insertMs: 0, queryMs: 0 };
    entry[key] += ms;
    dbMs.set(cell, entry);
  };
  const wrap = <A extends unknown[], R>(key: 'exportMs' | 'insertMs' | 'queryMs', call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const started = now();
      try {
        return await call(...args);
      } finally {
        add(key, now() - started);
      }
    };
  return {
    query: wrap('queryMs', inner.query.bind(inner)),
    registerFile: inner.registerFile.bind(inner),
    dropFile: inner.dropFile.bind(inner),
    insertArrowIpc: wrap('insertMs', inner.insertArrowIpc.bind(inner)),
    exportCsv: inner.exportCsv.bind(inner),
    exportArrowIpc: wrap('exportMs', inner.exportArrowIpc.bind(inner)),
    close: inner.close.bind(inner),
  };
}

/**
 * Models as `aisle run` runs them: in worker threads kept warm, started before the load, on the WebAssembly kernels,
 * compiled to one JavaScript file as the runner's thread is (tsx compiling the registry in each thread took a core
 * from the load for a second); each thread times its run's steps (bench/lib/models-timed.thread.ts) and sends the
 * times back with the outputs.
 */
const THREAD_BUNDLE = fileURLToPath(new URL('./out/models-timed.thread.mjs', import.meta.url));
await compileEntry('bench/lib/models-timed.thread.ts', THREAD_BUNDLE);
const threads = threadModelRunner(() => new Worker(THREAD_BUNDLE, { name: 'models' }));
threads.warm();
const timedRunner = (cell: string): ModelRunner => ({
  async run(request, onProgress, signal) {
    const { [TIMINGS]: times, ...outputs } = await threads.run(request, onProgress, signal);
    if (times !== undefined) modelTimings.set(cell, JSON.parse(new TextDecoder().decode(times)) as WorkerTimings);
    return outputs;
  },
});

const started = now();
// As `aisle run` picks: native DuckDB when it is installed, else DuckDB-WASM.
const native = engine === 'native' ? await openNativeDatabase({ parquet: nodeParquetCodec }) : null;
const base = native ?? (await openNodeDatabase());
const db = timed(base, '(load)');
const engineUsed = native === null ? 'wasm' : 'native';
const openMs = now() - started;
const { size } = await stat(file);
let t = now();
const source: FileSource = native === null ? { kind: 'bytes', bytes: new Uint8Array(await readFile(file)) } : await native.fileSource(file);
const info = await importFile(db, nodeParquetCodec, { fileName: path.basename(file), size, source }, { tableName: 'sales', parquetReader: native === null ? 'codec' : 'duckdb' });
const importMs = now() - t;
t = now();
const report = await prepareRetailTable(db, info.name, info.columns);
const cleanMs = now() - t;

const events: RunLogEvent[] = [];
const scheduler = new Scheduler({
  evaluate: (cell, analysis, context) => createEvaluator(timed(base, cell.name), timedRunner(cell.name))(cell, analysis, context),
  concurrency: cellsAtOnce(availableParallelism()),
  onStates: () => {},
  onLog: (event) => events.push(event),
});
scheduler.update(parseNotebook(SEED_NOTEBOOK));
t = now();
await scheduler.runAll();
const runAllMs = now() - t;

const stagesMs: Record<string, number> = { load: round1(importMs), clean: round1(cleanMs) };
const cells = events.map((event) => {
  const stage = STAGE_OF_CELL[event.cell] ?? event.cell;
  stagesMs[stage] = round1((stagesMs[stage] ?? 0) + event.durationMs);
  const model = modelTimings.get(event.cell);
  const database = dbMs.get(event.cell);
  return {
    cell: event.cell,
    status: event.status,
    ms: round1(event.durationMs),
    rows: event.rows ?? null,
    ...(event.error ? { error: event.error } : {}),
    ...(model
      ? {
          model: {
            inputRows: model.inputRows,
            inputBytes: model.inputBytes,
            exportMs: round1(database?.exportMs ?? 0),
            decodeMs: round1(model.decodeMs),
            algorithmMs: round1(model.algorithmMs),
            encodeMs: round1(model.encodeMs),
            insertMs: round1(database?.insertMs ?? 0),
            otherQueriesMs: round1(database?.queryMs ?? 0),
            // Everything but the algorithm: inputs out of DuckDB and into the model, outputs back.
            overheadMs: round1(event.durationMs - model.algorithmMs),
            overheadTargetMs: round1(50 + (10 * model.inputRows) / 100_000),
          },
        }
      : {}),
  };
});
const check = (await db.query(`SELECT (SELECT count(*) FROM sales_clean)::INTEGER AS clean, (SELECT count(*) FROM rfm)::INTEGER AS customers,
  (SELECT round(sum(amount), 2) FROM sales_clean)::DOUBLE AS revenue, (SELECT inertia FROM segments__summary)::DOUBLE AS inertia`)).toArray()[0] as Record<string, number>;
process.stdout.write(
  JSON.stringify({
    engine: engineUsed,
    openMs: round1(openMs),
    stagesMs,
    totalMs: round1(importMs + cleanMs + runAllMs),
    cells,
    check: { rowsRead: info.rowCount, rowsClean: Number(check.clean), cleanedBy: report?.cleaning?.rowsOut ?? null, customers: Number(check.customers), revenue: Number(check.revenue), kmeansInertia: Number(check.inertia) },
  }) + '\n',
);
threads.close();
await db.close();
