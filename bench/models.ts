// The models suite's engine side (run with tsx as a long-lived child of bench/models-run.mjs; protocol:
// lib/protocol.mjs, one JSON command per stdin line, one JSON reply per stdout line):
//
//   {op:'setup', file, arraysDir, seed, native}  loads the generated retail file as the app does (importFile +
//        prepareRetailTable → sales_clean) into DuckDB-WASM's Node build, builds the RFM table with the app's SQL,
//        turns it into the K-Means features the app clusters (recency_days, frequency, monetary; log1p + standard
//        scaling by prepareFeatures, as `"log1p": true` in a model cell), makes a seeded synthetic 100,000×6 matrix,
//        and writes both (Float64, little-endian) with the labels silhouette scores to `arraysDir` for
//        bench/models_sklearn.py → info. With `native`, also opens native DuckDB (@duckdb/node-api, default threads
//        and SET threads = 1) over the very same sales_clean rows (exported from DuckDB-WASM as Parquet).
//   {op:'rfm', engine: 'wasm'|'native'|'native-1-thread'}  → {ms, check}: one CREATE OR REPLACE TABLE rfm AS <rfmSql>
//   {op:'run', algorithm}                        → {ms, check}: one timed run of an algorithm (names: ALGORITHMS)
//   {op:'sqlReads', warmup, reps}                → {ms: {median, min, …}, queryChars, check}
//
// Timing is done here (performance.now around the call), so nothing of the protocol is in a time.
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { openNodeDatabase } from '../src/db/duckdb-node.ts';
import { nodeParquetCodec } from '../src/db/parquet-node.ts';
import { importFile, prepareRetailTable, sqlReads } from '../src/engine/index.ts';
import { Rng, elbow, fromColumns, fromRows, hierarchical, kmeans, prepareFeatures, rfmSql, silhouette, silhouetteByK, type Matrix } from '../src/models/index.ts';
import { serve } from './lib/protocol.mjs';
import { prepareLines, recommenderAlgorithms, type LinesState } from './recommenders.ts';
import { forwardAlgorithms } from './forward.ts';
import { importNative } from './lib/native-dependency.mjs';

const now = () => performance.now();
const round1 = (value: number) => Math.round(value * 10) / 10;

/** The RFM model cell of the app's segmentation notebook (`{ "model": "rfm", "input": "sales_clean" }`) as one statement. */
const RFM_STATEMENT = `CREATE OR REPLACE TABLE "rfm" AS ${rfmSql('sales_clean', {
  columns: { customer: 'customer_id', invoice: 'invoice_id', date: 'invoice_date', amount: 'amount' },
})}`;
/** Not timed: proves every engine built the same RFM table. */
const RFM_CHECK = `SELECT count(*)::DOUBLE AS customers, round(sum(monetary), 2)::DOUBLE AS monetary, sum(frequency)::DOUBLE AS invoices,
  sum(recency_days)::DOUBLE AS recency_days, sum(r_score * 100 + f_score * 10 + m_score)::DOUBLE AS scores,
  count(DISTINCT segment)::DOUBLE AS segments FROM rfm`;

/** The features the app's K-Means, choose_k and hierarchical cells read from the RFM table. */
const RFM_FEATURES = ['recency_days', 'frequency', 'monetary'];
const SYNTHETIC_FEATURES = ['recency', 'frequency', 'monetary', 'basket', 'categories', 'returns'];
/** As the model cells: k 4, n_init 10, seed 42 (the segmentation notebook's). */
const K = 4;
const SEED = 42;

/**
 * Customers from 4 latent segments: recency days, orders, spend, and 3 more behaviour columns (average basket,
 * categories bought, returns). Seeded: the same matrix every run.
 */
function syntheticCustomers(count: number, seed: number): number[][] {
  const rng = new Rng(seed, 'bench customers');
  const segments = [
    { share: 0.1, recency: 10, orders: 20, basket: 60 },
    { share: 0.3, recency: 40, orders: 6, basket: 35 },
    { share: 0.4, recency: 120, orders: 2, basket: 25 },
    { share: 0.2, recency: 300, orders: 1.5, basket: 20 },
  ];
  const rows: number[][] = [];
  for (let i = 0; i < count; i++) {
    let pick = rng.float();
    const segment = segments.find((s) => (pick -= s.share) < 0) ?? segments[3]!;
    const orders = 1 + rng.poisson(segment.orders);
    const spend = orders * rng.logNormal(segment.basket, 0.6) * (1 + rng.poisson(8));
    rows.push([Math.round(rng.logNormal(segment.recency, 0.5)), orders, spend, rng.logNormal(segment.basket, 0.4), 1 + rng.poisson(3), rng.float() * segment.orders]);
  }
  return rows;
}

interface NativeConnection {
  run(sql: string): Promise<unknown>;
  runAndReadAll(sql: string): Promise<{ getRows(): unknown[][] }>;
}

async function openNative(parquetFile: string) {
  // The root install's (native/node_modules): see bench/lib/native-dependency.mjs.
  const { DuckDBInstance } = await importNative();
  const open = async (threads: number | null) => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = (await instance.connect()) as unknown as NativeConnection;
    if (threads) await connection.run(`SET threads = ${threads}`);
    await connection.run(`CREATE TABLE sales_clean AS SELECT * FROM read_parquet('${parquetFile.replaceAll("'", "''")}')`);
    return connection;
  };
  const connections = { native: await open(null), 'native-1-thread': await open(1) };
  const [version, threads] = (await connections.native.runAndReadAll("SELECT version(), current_setting('threads')")).getRows()[0]!;
  const pkg = JSON.parse(await readFile(new URL('./node_modules/@duckdb/node-api/package.json', import.meta.url), 'utf8')) as { version: string };
  const types = (await connections.native.runAndReadAll('DESCRIBE sales_clean')).getRows().map((row) => `${row[0]} ${row[1]}`);
  return { connections, version: String(version), defaultThreads: Number(threads), packageVersion: pkg.version, types };
}

type Check = Record<string, unknown>;
type State = {
  db: Awaited<ReturnType<typeof openNodeDatabase>>;
  native: Awaited<ReturnType<typeof openNative>> | null;
  rfm: Matrix;
  labels: Int32Array;
  synthetic: Matrix;
  lines: LinesState;
};
let state: State | undefined;
const ready = (): State => {
  if (!state) throw new Error('setup has not run');
  return state;
};

/** Every algorithm the suite times, on which matrix, and what each returns to compare with scikit-learn. */
const ALGORITHMS: Record<string, () => Check | Promise<Check>> = {
  ...recommenderAlgorithms(() => ready().lines),
  ...forwardAlgorithms(() => ({ db: ready().db, ipc: ready().lines.ipc })),
  'kmeans-rfm': () => {
    const result = kmeans(ready().rfm, K, { nInit: 10, seed: SEED });
    return { inertia: result.inertia, iterations: result.iterations, sizes: [...result.sizes].sort((a, b) => b - a) };
  },
  'kmeans-100000x6': () => {
    const result = kmeans(ready().synthetic, K, { nInit: 10, seed: SEED });
    return { inertia: result.inertia, iterations: result.iterations, sizes: [...result.sizes].sort((a, b) => b - a) };
  },
  'elbow-rfm': () => {
    const result = elbow(ready().rfm, { kMin: 2, kMax: 10, kmeans: { nInit: 10, seed: SEED } });
    return { inertias: result.inertias, knee: result.knee };
  },
  'silhouette-rfm': () => ({ mean: silhouette(ready().rfm, ready().labels).mean }),
  'ward-rfm': () => {
    const result = hierarchical(ready().rfm, K, { linkage: 'ward' });
    return { sizes: [...result.sizes].sort((a, b) => b - a), topHeight: result.tree.heights[result.tree.heights.length - 1] };
  },
  'silhouette-by-k-rfm': () => {
    const result = silhouetteByK(ready().rfm, { kMin: 2, kMax: 10, kmeans: { nInit: 10, seed: SEED } });
    return { silhouettes: result.silhouettes, suggestedK: result.suggestedK };
  },
};

/** The "long query" of tests/unit/engine/sql/references.test.ts: a UNION ALL of per-table aggregates, ≥ 5,000 characters. */
function longQuery(): { sql: string; tables: number } {
  const parts: string[] = [];
  for (let k = 0; parts.join(' UNION ALL ').length < 5_000; k++) {
    parts.push(
      `SELECT c.customer_id, sum(s.amount) AS total_${k} FROM sales_${k} s JOIN customers c USING (customer_id) ` +
        `WHERE s.invoice_date >= $since AND c.country IN (SELECT country FROM markets WHERE active) /* note ${k} */ GROUP BY ALL`,
    );
  }
  return { sql: `WITH m AS (SELECT * FROM markets) ${parts.join(' UNION ALL ')}`, tables: parts.length + 2 };
}

async function writeMatrix(file: string, m: Matrix) {
  const bytes = new Uint8Array(m.values.buffer, m.values.byteOffset, m.values.byteLength);
  await writeFile(file, bytes); // x86/ARM are little-endian; python reads '<f8'
}

const asNumbers = (values: unknown[]) => values.map((value) => Number(value));

serve({
  async setup({ file, arraysDir, seed, native: withNative }: { file: string; arraysDir: string; seed: number; native: boolean }) {
    const info: Record<string, unknown> = {};
    let t = now();
    const db = await openNodeDatabase();
    info.wasmOpenMs = round1(now() - t);
    info.duckdbWasm = String((await db.query('SELECT version() AS v')).toArray()[0]?.v);

    const { size } = await stat(file);
    const fileName = path.basename(file);
    t = now();
    const bytes = new Uint8Array(await readFile(file));
    const table = await importFile(db, nodeParquetCodec, { fileName, size, source: { kind: 'bytes', bytes } }, { tableName: 'sales' });
    const importMs = now() - t;
    t = now();
    const report = await prepareRetailTable(db, table.name, table.columns);
    if (!report?.cleanTable) throw new Error(`${fileName} was not recognised as a retail layout (no sales_clean)`);
    info.data = {
      file: path.relative(process.cwd(), file),
      fileBytes: size,
      salesRows: table.rowCount,
      salesCleanRows: report.cleaning?.rowsOut ?? null,
      importFileMs: round1(importMs),
      prepareRetailTableMs: round1(now() - t),
    };

    // -- the features the app clusters: the RFM table's recency, frequency, monetary; log1p and z-scores
    await db.query(RFM_STATEMENT);
    const rfmRows = (await db.query(`SELECT ${RFM_FEATURES.join(', ')} FROM rfm ORDER BY customer_id`)).toArray();
    const columns = RFM_FEATURES.map((name) => Float64Array.from(rfmRows, (row) => Number(row[name])));
    const rfm = prepareFeatures(fromColumns(columns), { columns: RFM_FEATURES, log1p: RFM_FEATURES }).matrix;
    const labels = kmeans(rfm, K, { nInit: 10, seed: SEED }).labels;
    const synthetic = prepareFeatures(fromRows(syntheticCustomers(100_000, seed)), { columns: SYNTHETIC_FEATURES, log1p: SYNTHETIC_FEATURES }).matrix;

    await writeMatrix(path.join(arraysDir, 'rfm.f64'), rfm);
    await writeMatrix(path.join(arraysDir, 'synthetic.f64'), synthetic);
    await writeFile(path.join(arraysDir, 'rfm-labels.i32'), new Uint8Array(labels.buffer, labels.byteOffset, labels.byteLength));
    const arrays = {
      rfm: { file: 'rfm.f64', dtype: '<f8', rows: rfm.rows, cols: rfm.cols, columns: RFM_FEATURES },
      synthetic: { file: 'synthetic.f64', dtype: '<f8', rows: synthetic.rows, cols: synthetic.cols, columns: SYNTHETIC_FEATURES },
      rfmLabels: { file: 'rfm-labels.i32', dtype: '<i4', rows: labels.length },
      k: K,
      nInit: 10,
      seed: SEED,
    };
    // -- the basket and recommender benchmarks: sales_clean as the Arrow bytes a model cell's worker receives
    const lines = await prepareLines(await db.exportArrowIpc('sales_clean'), seed, arraysDir);
    Object.assign(arrays, lines.arrays);
    await writeFile(path.join(arraysDir, 'arrays.json'), JSON.stringify(arrays, null, 2) + '\n');
    info.arrays = {
      rfm: {
        shape: [rfm.rows, rfm.cols],
        columns: RFM_FEATURES,
        from: 'the RFM table (rfmSql over sales_clean) of the generated file; log1p of every column, then standard scaling (prepareFeatures), as a model cell with "log1p": true',
      },
      synthetic: {
        shape: [synthetic.rows, synthetic.cols],
        columns: SYNTHETIC_FEATURES,
        from: `seeded synthetic customers from 4 latent segments (Rng seed ${seed}); log1p of every column, then standard scaling`,
      },
      lines: lines.info,
      silhouetteLabels: `K-Means k=${K}, n_init=10, seed ${SEED} on the RFM features (ours; scikit-learn scores the same labels)`,
      dir: arraysDir,
    };

    // -- native DuckDB over the very same sales_clean rows
    let native: State['native'] = null;
    if (withNative) {
      try {
        const parquetFile = path.join(path.dirname(file), 'models-sales_clean.parquet');
        await writeFile(parquetFile, await nodeParquetCodec.fromArrowIpc(await db.exportArrowIpc('sales_clean')));
        native = await openNative(parquetFile);
        const wasmTypes = (await db.query('DESCRIBE sales_clean')).toArray().map((row) => `${row.column_name} ${row.column_type}`);
        info.native = {
          duckdb: `${native.version} (@duckdb/node-api ${native.packageVersion})`,
          defaultThreads: native.defaultThreads,
          salesCleanParquet: path.relative(process.cwd(), parquetFile),
          salesCleanTypesMatch: JSON.stringify(wasmTypes) === JSON.stringify(native.types),
        };
      } catch (error) {
        info.native = { error: error instanceof Error ? error.message : String(error) };
        native = null;
      }
    }
    state = { db, native, rfm, labels, synthetic, lines: lines.state };
    return info;
  },

  async rfm({ engine }: { engine: 'wasm' | 'native' | 'native-1-thread' }) {
    const { db, native } = ready();
    if (engine === 'wasm') {
      await db.query('DROP TABLE IF EXISTS rfm');
      const start = now();
      await db.query(RFM_STATEMENT);
      const ms = now() - start;
      const check = (await db.query(RFM_CHECK)).toArray()[0] as Record<string, unknown>;
      return { ms, check: Object.fromEntries(Object.entries(check).map(([key, value]) => [key, Number(value)])) };
    }
    if (!native) throw new Error('native DuckDB is not open');
    const connection = native.connections[engine];
    await connection.run('DROP TABLE IF EXISTS rfm');
    const start = now();
    await connection.run(RFM_STATEMENT);
    const ms = now() - start;
    const row = asNumbers((await connection.runAndReadAll(RFM_CHECK)).getRows()[0]!);
    const names = ['customers', 'monetary', 'invoices', 'recency_days', 'scores', 'segments'];
    return { ms, check: Object.fromEntries(names.map((name, i) => [name, row[i]])) };
  },

  async run({ algorithm }: { algorithm: string }) {
    const run = ALGORITHMS[algorithm];
    if (!run) throw new Error(`unknown algorithm "${algorithm}" (${Object.keys(ALGORITHMS).join(', ')})`);
    const start = now();
    const check = await run();
    return { ms: now() - start, check };
  },

  sqlReads({ warmup, reps }: { warmup: number; reps: number }) {
    const { sql, tables } = longQuery();
    for (let i = 0; i < warmup; i++) sqlReads(sql);
    const runs: number[] = [];
    let reads = sqlReads(sql);
    for (let i = 0; i < reps; i++) {
      const start = now();
      reads = sqlReads(sql);
      runs.push(now() - start);
    }
    const distinct = new Set(reads.tables.map((t) => t.name)).size;
    return { runs, queryChars: sql.length, check: { distinctTables: distinct, expectedTables: tables, parameters: reads.parameters } };
  },
});
