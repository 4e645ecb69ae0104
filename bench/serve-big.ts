// Load + clean + RFM of generated Parquet through `aisle serve`, driven from Node as the served page drives it: the
// page's own remote adapter (src/db/remote.ts) over HTTP, the file sent as a Blob (as a picked file is, streamed, never
// read whole), Parquet read by the server's native DuckDB. The server runs under /usr/bin/time -v for its peak RSS.
// With --dashboard the file is loaded as `sales` and the retail dashboard notebook then runs on it as the page runs it
// (SQL and chart aggregation on the server's DuckDB, model cells in the server's threads), with its per-cell times;
// --dashboard sql runs its SQL only (SQL, chart and SQL-model cells; the worker models and the cells reading them are
// left out): at 100M rows a worker model reading every line (price elasticity) is a different job.
// Prints one JSON document. Usage: npx tsx bench/serve-big.ts [--rows 10000000] [--seed 1] [--engine native|wasm] [--port 18766]
// [--dashboard all|sql] [--memory-limit 10GB] or [--file big.parquet] (e.g. the 100,000,000 rows bench/chunked-parquet.mjs writes).
import { spawn } from 'node:child_process';
import { existsSync, openAsBlob, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { RemoteDatabase } from '../src/db/remote.ts';
import { nodeParquetCodec } from '../src/db/parquet-node.ts';
import { loadCleanRfm } from './lib/big-job.ts';
import { remoteModelRunner } from '../src/workers/model-remote.ts';
import { Scheduler, createEvaluator, type RunLogEvent } from '../src/engine/index.ts';
import { parseNotebook } from '../src/format/notebook-text.ts';
import { listModels } from '../src/models/index.ts';
import { ensureData, root } from './lib/data.mjs';

const { values } = parseArgs({ options: { file: { type: 'string' }, rows: { type: 'string' }, seed: { type: 'string' }, engine: { type: 'string' }, port: { type: 'string' }, dashboard: { type: 'string' }, 'memory-limit': { type: 'string' } } });
const dashboard = values.dashboard;
if (dashboard !== undefined && dashboard !== 'all' && dashboard !== 'sql') throw new Error(`--dashboard all|sql, got "${dashboard}"`);
const rows = Number(values.rows ?? 10_000_000);
const engine = values.engine ?? 'native';
const port = Number(values.port ?? 18766);
if (!existsSync('/usr/bin/time')) throw new Error('/usr/bin/time is needed for the server\'s peak memory (apt-get install time)');

const data = values.file === undefined ? await ensureData(rows, 'parquet', Number(values.seed ?? 1)) : { path: path.resolve(values.file), bytes: statSync(values.file).size };
const server = spawn('/usr/bin/time', ['-v', process.execPath, 'bin/aisle.mjs', 'serve', '--port', String(port), '--engine', engine, ...(values['memory-limit'] === undefined ? [] : ['--memory-limit', values['memory-limit']])], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
let serverErr = '';
server.stderr.on('data', (chunk: Buffer) => void (serverErr += chunk.toString()));
const closed = new Promise<void>((resolve) => server.on('close', () => resolve()));
const appUrl = await new Promise<string>((resolve, reject) => {
  let out = '';
  server.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    const match = /Serving the app at (\S+)/.exec(out);
    if (match) resolve(match[1]!);
  });
  server.on('close', (code) => reject(new Error(`aisle serve exited with ${code}: ${serverErr}`)));
});
const url = new URL(appUrl);
const token = url.searchParams.get('token')!;
const headers = { Authorization: `Bearer ${token}` };
// Node's fetch gives up on a response whose headers take over 300 s (a browser's does not): a load of 100M rows
// answers later than that. Its own dispatcher class, taken from the first request, is set up again without the limit.
const DISPATCHER = Symbol.for('undici.globalDispatcher.1');
await fetch(`${url.origin}/health`, { headers }).then((response) => response.arrayBuffer());
const Dispatcher = (globalThis as Record<symbol, { constructor: new (options: object) => unknown } | undefined>)[DISPATCHER]?.constructor;
if (Dispatcher !== undefined) (globalThis as Record<symbol, unknown>)[DISPATCHER] = new Dispatcher({ headersTimeout: 0, bodyTimeout: 0 });
const db = new RemoteDatabase(`${url.origin}/`, fetch, headers, undefined, engine === 'native');
const label = /the app: (.+)/.exec(serverErr)?.[1]?.trim();

const dashboardCells: RunLogEvent[] = [];
const workerModels = new Set(listModels().filter((model) => model.kind === 'worker').map((model) => model.name));
/** A model cell whose model runs in a worker (its spec names the model). */
const isWorkerModel = (cell: { kind: string; source: string }) => cell.kind === 'model' && workerModels.has(String((JSON.parse(cell.source) as { model?: unknown }).model));
/** The cells left when worker models go, and every cell naming one of the cells gone (their readers, transitively). */
function withoutWorkerModels<T extends { kind: string; source: string; name?: string }>(cells: readonly T[]): T[] {
  const gone = new Set(cells.filter(isWorkerModel).map((cell) => cell.name!));
  const names = (cell: T) => cell.name !== undefined && [...gone].some((name) => new RegExp(`\\b${name}(__\\w+)?\\b`).test(cell.source));
  let kept = cells.filter((cell) => !gone.has(cell.name ?? ''));
  for (let reader = kept.find(names); reader !== undefined; reader = kept.find(names)) {
    gone.add(reader.name!);
    kept = kept.filter((cell) => cell !== reader);
  }
  return kept;
}

/**
 * The dashboard notebook on `sales`, its cells in the order they finished. A cell that does not finish fails the step.
 */
async function runDashboard(): Promise<void> {
  const full = parseNotebook(readFileSync(path.join(root, 'notebooks', 'retail-dashboard.md'), 'utf8'));
  const notebook = dashboard === 'sql' ? { ...full, cells: withoutWorkerModels(full.cells) } : full;
  const scheduler = new Scheduler({ evaluate: createEvaluator(db, remoteModelRunner(`${url.origin}/`, fetch, headers)), onStates: () => {}, onLog: (event) => dashboardCells.push(event) });
  scheduler.update(notebook);
  scheduler.setDataTables(['sales']);
  await scheduler.runAll();
  const failed = dashboardCells.filter((event) => event.status !== 'done');
  if (failed.length > 0) throw new Error(`dashboard cells did not finish: ${failed.map((event) => `${event.cell} (${event.error ?? event.status})`).join('; ')}`);
}

const file = await openAsBlob(data.path);
const started = performance.now();
const result = await loadCleanRfm(db, nodeParquetCodec, path.basename(data.path), file.size, { kind: 'handle', file }, {
  reader: engine === 'native' ? 'duckdb' : 'codec',
  ...(dashboard === undefined ? {} : { table: 'sales', after: runDashboard }),
});
const wallMs = Math.round(performance.now() - started);

// The server's peak RSS comes from /usr/bin/time once it stops: Ctrl-C to `aisle serve`, /usr/bin/time passes it on.
const serverPid = Number(readFileSync(`/proc/${server.pid}/task/${server.pid}/children`, 'utf8').trim().split(/\s+/)[0]);
process.kill(serverPid, 'SIGINT');
await closed;
const rssKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(serverErr)?.[1] ?? NaN);
const report = {
  benchmark: 'aisle serve: load + clean + RFM of generated Online-Retail Parquet, driven over HTTP by the page\'s remote adapter',
  date: new Date().toISOString(),
  rows: result.check?.tableRows ?? rows,
  file: path.relative(root, data.path),
  parquetMiB: Math.round(data.bytes / 1024 ** 2),
  engine: label ?? engine,
  memoryLimit: values['memory-limit'] ?? 'DuckDB default (80% of RAM)',
  ...result,
  wallMs,
  ...(dashboard === undefined ? {} : { dashboard, dashboardCells: dashboardCells.map((event) => ({ cell: event.cell, kind: event.kind, ms: Math.round(event.durationMs), status: event.status })) }),
  serverPeakRssMiB: Number.isFinite(rssKb) ? Math.round(rssKb / 1024) : null,
  clientPeakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
};
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
