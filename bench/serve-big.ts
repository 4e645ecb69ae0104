// Load + clean + RFM of generated Parquet through `aisle serve`, driven from Node as the served page drives it: the
// page's own remote adapter (src/db/remote.ts) over HTTP, the file sent as a Blob (as a picked file is, streamed, never
// read whole), Parquet read by the server's native DuckDB. The server runs under /usr/bin/time -v for its peak RSS.
// Prints one JSON document. Usage: npx tsx bench/serve-big.ts [--rows 10000000] [--seed 1] [--engine native|wasm] [--port 18766]
// or [--file big.parquet] (e.g. the 100,000,000 rows bench/chunked-parquet.mjs writes).
import { spawn } from 'node:child_process';
import { existsSync, openAsBlob, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { RemoteDatabase } from '../src/db/remote.ts';
import { nodeParquetCodec } from '../src/db/parquet-node.ts';
import { loadCleanRfm } from './lib/big-job.ts';
import { ensureData, root } from './lib/data.mjs';

const { values } = parseArgs({ options: { file: { type: 'string' }, rows: { type: 'string' }, seed: { type: 'string' }, engine: { type: 'string' }, port: { type: 'string' } } });
const rows = Number(values.rows ?? 10_000_000);
const engine = values.engine ?? 'native';
const port = Number(values.port ?? 18766);
if (!existsSync('/usr/bin/time')) throw new Error('/usr/bin/time is needed for the server\'s peak memory (apt-get install time)');

const data = values.file === undefined ? await ensureData(rows, 'parquet', Number(values.seed ?? 1)) : { path: path.resolve(values.file), bytes: statSync(values.file).size };
const server = spawn('/usr/bin/time', ['-v', process.execPath, 'bin/aisle.mjs', 'serve', '--port', String(port), '--engine', engine], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
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
const db = new RemoteDatabase(`${url.origin}/`, fetch, { Authorization: `Bearer ${token}` });
const label = /the app: (.+)/.exec(serverErr)?.[1]?.trim();

const file = await openAsBlob(data.path);
const started = performance.now();
const result = await loadCleanRfm(db, nodeParquetCodec, path.basename(data.path), file.size, { kind: 'handle', file }, engine === 'native' ? 'duckdb' : 'codec');
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
  ...result,
  wallMs,
  serverPeakRssMiB: Number.isFinite(rssKb) ? Math.round(rssKb / 1024) : null,
  clientPeakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
};
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
