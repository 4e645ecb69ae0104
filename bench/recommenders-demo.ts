// The recommendations demo's model cells, timed on the generated UCI-layout file (`npx tsx bench/recommenders-demo.ts`):
// the `recommend`, `evaluate_recommenders` and `svd_cross_validation` cells of notebooks/recommendations.md, with the
// notebook's own specs, on the sales_clean Arrow bytes a model cell's worker receives; then ALS 64 × 15 (the issue's
// size) on the JavaScript loops and on the WebAssembly SIMD kernel, alternating, with each one's multiply-adds per
// second and their ratio (the demo cells run on the kernel, as the app does), and each recommender's fit and scoring time for every customer. One JSON
// document on stdout (also written to --out); a table on stderr, with before/after ratios when --baseline names an
// earlier output.
//
// Options: --rows 541909  --seed 42  --reps 1  --parts demo,als,methods  --baseline FILE  --out FILE  --regen
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openNodeDatabase } from '../src/db/duckdb-node.ts';
import { nodeParquetCodec } from '../src/db/parquet-node.ts';
import { importFile, prepareRetailTable } from '../src/engine/index.ts';
import {
  binary,
  buildInteractions,
  excludedProducts,
  productCatalogue,
  frameFromIpc,
  recommenderFactories,
  runModel,
  trainAls,
  loadAlsKernel,
  RECOMMENDER_METHODS,
  type Interactions,
} from '../src/models/index.ts';
import { buildWasm } from '../scripts/build-wasm.mjs';
import { ensureData } from './lib/data.mjs';
import { count, parseOptions, sharedOptions } from './lib/options.mjs';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(benchDir);
const now = () => performance.now();
const round = (value: number) => Math.round(value);

interface Options {
  rows: number;
  seed: number;
  reps: number;
  parts: string[];
  baseline: string | null;
  out: string;
  regen: boolean;
}

const options = parseOptions(
  process.argv.slice(2),
  { rows: 541_909, seed: 42, reps: 1, parts: ['demo', 'als', 'methods'], baseline: null, out: path.join(benchDir, 'out', 'recommenders-results.json'), regen: false } as Options,
  {
    ...sharedOptions,
    '--rows': (o: Options, value: () => string) => (o.rows = count(value(), 1)),
    '--reps': (o: Options, value: () => string) => (o.reps = count(value(), 1)),
    '--parts': (o: Options, value: () => string) => (o.parts = value().split(',')),
    '--baseline': (o: Options, value: () => string) => (o.baseline = value()),
  },
  { script: import.meta.url, lines: 8 },
) as Options;

/** sales_clean of the generated file as Arrow IPC, made once with the app's load and clean (DuckDB-WASM, Node) and kept beside the data. */
async function salesClean(): Promise<Uint8Array> {
  const data = await ensureData(options.rows, 'parquet', options.seed, undefined, options.regen);
  const cached = data.path.replace(/\.parquet$/, '.sales_clean.arrow');
  if (!options.regen && existsSync(cached)) return new Uint8Array(readFileSync(cached));
  const db = await openNodeDatabase();
  const { size } = await stat(data.path);
  const bytes = new Uint8Array(readFileSync(data.path));
  const table = await importFile(db, nodeParquetCodec, { fileName: path.basename(data.path), size, source: { kind: 'bytes', bytes } }, { tableName: 'sales' });
  const report = await prepareRetailTable(db, table.name, table.columns);
  if (!report?.cleanTable) throw new Error(`${data.path} was not recognised as a retail layout`);
  const ipc = await db.exportArrowIpc('sales_clean');
  writeFileSync(cached, ipc);
  await db.close?.();
  return ipc;
}

/** The demo notebook's model cells by name: the JSON inside each ```model fence. */
function demoSpecs(): Record<string, { model: string; params: Record<string, unknown> }> {
  const text = readFileSync(path.join(root, 'notebooks', 'recommendations.md'), 'utf8');
  const specs: Record<string, { model: string; params: Record<string, unknown> }> = {};
  for (const match of text.matchAll(/```model (\w+)\n([\s\S]*?)```/g)) {
    const { model, input: _input, ...params } = JSON.parse(match[2]!) as { model: string; input: string };
    specs[match[1]!] = { model, params };
  }
  return specs;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
/** Wall time, and this process's CPU time: on a shared 2-core machine the CPU time is the steadier number to compare. */
function timed<T>(run: () => T): { ms: number; cpuMs: number; value: T } {
  const start = now();
  const cpu = process.cpuUsage();
  const value = run();
  const used = process.cpuUsage(cpu);
  return { ms: now() - start, cpuMs: (used.user + used.system) / 1000, value };
}

/** Multiply-adds of `trainAls` with the CG solver: per row (1 + steps)·(f² + 2·n·f), the grams rows·f·(f+1)/2, the loss nnz·f. */
function alsMultiplyAdds(interactions: Interactions, f: number, iterations: number, steps = 3): number {
  const { byUser, byItem } = interactions;
  const nonEmpty = (m: Interactions['byUser']) => Array.from({ length: m.rows }, (_, r) => (m.indptr[r + 1]! > m.indptr[r]! ? 1 : 0) as number).reduce((a, b) => a + b, 0);
  const nnz = byUser.data.length;
  const halfSteps = (1 + steps) * ((nonEmpty(byUser) + nonEmpty(byItem)) * f * f + 2 * 2 * nnz * f);
  const grams = (byUser.rows + byItem.rows) * f * ((f + 1) / 2);
  return iterations * (halfSteps + grams + nnz * f);
}

async function main() {
  await buildWasm();
  if (!loadAlsKernel(readFileSync(path.join(root, '.cache', 'wasm', 'als.wasm')))) throw new Error('.cache/wasm/als.wasm did not compile in this Node');
  const ipc = await salesClean();
  const frame = frameFromIpc(ipc);
  const results: Record<string, { ms: number; cpuMs: number; runs: number[]; check?: unknown }> = {};
  const record = (name: string, run: () => unknown) => {
    const runs: number[] = [];
    const cpuRuns: number[] = [];
    let check: unknown;
    for (let rep = 0; rep < options.reps; rep++) {
      const result = timed(run);
      runs.push(round(result.ms));
      cpuRuns.push(round(result.cpuMs));
      check = result.value;
    }
    results[name] = { ms: median(runs), cpuMs: median(cpuRuns), runs, check };
    process.stderr.write(`${name.padEnd(28)} ${String(median(runs)).padStart(7)} ms (cpu ${median(cpuRuns)} ms)\n`);
  };

  if (options.parts.includes('demo')) {
    const specs = demoSpecs();
    for (const cell of ['recommendations', 'evaluation', 'svd_accuracy']) {
      const { model, params } = specs[cell]!;
      record(`demo:${cell}`, () => {
        const outputs = runModel(model, params, [ipc], {});
        const table = frameFromIpc(outputs['']!);
        if (cell === 'evaluation') return Array.from({ length: table.rowCount }, (_, row) => `${table.columns.recommender![row]} ${String(table.columns.split![row]).slice(0, 4)} ${(table.columns.map![row] as number).toFixed(4)}`);
        if (cell === 'svd_accuracy') return { rmse: (table.columns.rmse![table.rowCount - 1] as number).toFixed(5) };
        return { rows: table.rowCount };
      });
    }
  }

  const excluded = excludedProducts({});
  const products = (frame.columns.product_id as (string | null)[]).map((product) => (excluded(product) ? null : product));
  const purchases = buildInteractions({ customers: frame.columns.customer_id as (string | null)[], products, values: frame.columns.amount as Float64Array }, 'amount');
  const bought = binary(purchases);

  if (options.parts.includes('als')) {
    const multiplyAdds = alsMultiplyAdds(bought, 64, 15);
    const kernels = ['js', 'wasm'] as const;
    const runs = Object.fromEntries(kernels.map((kernel) => [kernel, { ms: [] as number[], cpuMs: [] as number[], loss: 0 }]));
    for (let rep = 0; rep < options.reps; rep++) {
      for (const kernel of rep % 2 === 0 ? kernels : [...kernels].reverse()) {
        const result = timed(() => trainAls(bought, { factors: 64, iterations: 15, seed: 42, kernel }).loss.at(-1)!);
        runs[kernel]!.ms.push(round(result.ms));
        runs[kernel]!.cpuMs.push(round(result.cpuMs));
        runs[kernel]!.loss = result.value;
      }
    }
    const best = (kernel: 'js' | 'wasm') => Math.min(median(runs[kernel]!.ms), median(runs[kernel]!.cpuMs));
    for (const kernel of kernels) {
      const { ms, cpuMs, loss } = runs[kernel]!;
      const rate = Math.round((multiplyAdds / best(kernel) / 1e6) * 100) / 100;
      results[`als-64x15:${kernel}`] = { ms: median(ms), cpuMs: median(cpuMs), runs: ms, check: { loss: Math.round(loss), customers: bought.users.length, products: bought.items.length, pairs: bought.byUser.data.length, gigaMultiplyAddsPerSecond: rate } };
      process.stderr.write(`${`als-64x15:${kernel}`.padEnd(28)} ${String(median(ms)).padStart(7)} ms (cpu ${median(cpuMs)} ms)  ${(multiplyAdds / 1e9).toFixed(2)} G multiply-adds → ${rate.toFixed(2)} G/s\n`);
    }
    const speedup = Math.round((best('js') / best('wasm')) * 100) / 100;
    results['als-64x15:wasm']!.check = { ...(results['als-64x15:wasm']!.check as object), speedupOverJs: speedup, sameLoss: runs.js!.loss === runs.wasm!.loss };
    process.stderr.write(`  WebAssembly ${speedup}× the JavaScript loops; same final loss: ${runs.js!.loss === runs.wasm!.loss}\n`);
  }

  if (options.parts.includes('methods')) {
    // Each recommender alone (fresh factories, so the hybrid trains its parts): fit, then score every customer.
    const catalogue = productCatalogue(frame, {});
    const scores = new Float64Array(purchases.items.length);
    for (const method of RECOMMENDER_METHODS) {
      const [factory] = recommenderFactories([method], catalogue);
      const fit = timed(() => factory!.fit(purchases, {}));
      const score = timed(() => {
        for (let user = 0; user < purchases.users.length; user++) fit.value.score(user, scores);
      });
      results[`fit:${method}`] = { ms: round(fit.ms), cpuMs: round(fit.cpuMs), runs: [round(fit.ms)] };
      results[`score-all:${method}`] = { ms: round(score.ms), cpuMs: round(score.cpuMs), runs: [round(score.ms)] };
      process.stderr.write(`${method.padEnd(12)} fit ${String(round(fit.ms)).padStart(6)} ms (cpu ${round(fit.cpuMs)}), score all ${String(round(score.ms)).padStart(6)} ms (cpu ${round(score.cpuMs)})\n`);
    }
  }

  const baseline = options.baseline ? (JSON.parse(readFileSync(options.baseline, 'utf8')) as { results: typeof results }).results : null;
  if (baseline) {
    process.stderr.write('\nbefore → after (CPU ms; wall ms in brackets)\n');
    for (const [name, result] of Object.entries(results)) {
      const before = baseline[name];
      if (before) process.stderr.write(`${name.padEnd(28)} ${String(before.cpuMs).padStart(7)} → ${String(result.cpuMs).padStart(7)}  (${(before.cpuMs / result.cpuMs).toFixed(2)}× faster)  [${before.ms} → ${result.ms}]\n`);
    }
  }
  const report = {
    benchmark: 'recommendations demo model cells on the generated UCI-layout file (sales_clean Arrow bytes, Node, one thread)',
    rows: options.rows,
    seed: options.seed,
    salesCleanRows: frame.rowCount,
    results,
    ...(baseline ? { before: Object.fromEntries(Object.keys(results).filter((name) => baseline[name]).map((name) => [name, { ms: baseline[name]!.ms, cpuMs: baseline[name]!.cpuMs }])) } : {}),
  };
  writeFileSync(options.out, JSON.stringify(report, null, 2) + '\n');
  process.stdout.write(JSON.stringify(report, null, 2) + '\n');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
