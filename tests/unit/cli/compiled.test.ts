import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isBuiltin } from 'node:module';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { tableFromIPC } from 'apache-arrow';
import * as Comlink from 'comlink';
import { nodeEndpoint } from '../../../src/workers/node-endpoint.ts';
import type { ModelsWorkerApi } from '../../../src/workers/models-api.ts';
import { nodeParquetCodec } from '../../../src/db/parquet-node.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BUNDLE = join(ROOT, '.cache', 'cli', 'aisle.mjs');
const run = promisify(execFile);

const NOTEBOOK = `---
aisle: 1
title: Compiled
data:
  orders: orders.csv
---

\`\`\`sql by_customer
SELECT customer, sum(amount) AS spend FROM orders GROUP BY customer ORDER BY customer
\`\`\`
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aisle-compiled-'));
  await writeFile(join(dir, 'orders.csv'), 'customer,amount\nann,10.5\nbob,2\nann,4\n');
  await writeFile(join(dir, 'book.md'), NOTEBOOK);
  const { buildCli } = (await import(join(ROOT, 'scripts', 'build-cli.mjs'))) as { buildCli(): Promise<void> };
  await buildCli();
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the compiled runner', () => {
  it('runs a notebook in plain Node, with no TypeScript loader', async () => {
    // Plain Node cannot import a .ts file: this passes only if the bundle holds every source it needs.
    const script = `const { main } = await import(${JSON.stringify(pathToFileURL(BUNDLE).href)});\nprocess.exitCode = await main(['run', 'book.md', '--out', 'out', '--quiet']);\n`;
    await writeFile(join(dir, 'start.mjs'), script);
    await run(process.execPath, [join(dir, 'start.mjs')], { cwd: dir });
    const csv = await readFile(join(dir, 'out', 'by_customer.csv'), 'utf8');
    expect(csv.trim().split('\n')).toEqual(['customer,spend', 'ann,14.5', 'bob,2.0']);
  }, 120_000);

  it('is what bin/aisle.mjs runs while no source is newer, without building it again', async () => {
    const before = (await stat(BUNDLE)).mtimeMs;
    const { stdout } = await run(process.execPath, [join(ROOT, 'bin', 'aisle.mjs'), 'run', 'book.md', '--out', 'out2'], { cwd: dir });
    expect(stdout).toMatch(/1 of 1 cell done/);
    expect((await stat(BUNDLE)).mtimeMs).toBe(before);
    const summary = JSON.parse(await readFile(join(dir, 'out2', 'summary.json'), 'utf8')) as { cells: { cell: string; rows: number }[] };
    expect(summary.cells.find((entry) => entry.cell === 'by_customer')?.rows).toBe(2);
  }, 120_000);

  it('runs model cells in worker threads it loads from beside the bundle, on the WebAssembly kernels', async () => {
    // The thread finds the kernels from its own place, as the bundle is two levels below the root like src/workers/.
    const thread = new Worker(join(ROOT, '.cache', 'cli', 'model-thread.mjs'));
    try {
      expect(await Comlink.wrap<ModelsWorkerApi>(nodeEndpoint(thread)).kernelsLoaded()).toBe(true);
    } finally {
      await thread.terminate();
    }
    await writeFile(join(dir, 'run-models.md'), `${NOTEBOOK}\n\`\`\`model segments\n{ "model": "kmeans", "input": "by_customer", "id": "customer", "features": ["spend"], "k": 2, "seed": 42 }\n\`\`\`\n`);
    const script = `const { main } = await import(${JSON.stringify(pathToFileURL(BUNDLE).href)});\nprocess.exitCode = await main(['run', 'run-models.md', '--out', 'out-models', '--quiet']);\n`;
    await writeFile(join(dir, 'start-models.mjs'), script);
    await run(process.execPath, [join(dir, 'start-models.mjs')], { cwd: dir });
    const rows = (await readFile(join(dir, 'out-models', 'segments.csv'), 'utf8')).trim().split('\n').slice(1).map((line) => line.split(','));
    // ann spends 14.5 and bob 2: two clusters of one customer each.
    expect(rows.map(([customer]) => customer)).toEqual(['ann', 'bob']);
    expect(new Set(rows.map(([, cluster]) => cluster)).size).toBe(2);
  }, 120_000);

  it('serves with model cells in worker threads it loads from beside the bundle, in plain Node', async () => {
    const book = `${NOTEBOOK}
\`\`\`model segments
{ "model": "kmeans", "input": "by_customer", "id": "customer", "features": ["spend"], "k": 2, "seed": 42 }
\`\`\`
`;
    await writeFile(join(dir, 'models.md'), book);
    const script = `const { main } = await import(${JSON.stringify(pathToFileURL(BUNDLE).href)});\nprocess.exitCode = await main(['serve', 'models.md', '--api', '--port', '18763', '--quiet']);\n`;
    await writeFile(join(dir, 'serve.mjs'), script);
    const child = spawn(process.execPath, [join(dir, 'serve.mjs')], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const token = await new Promise<string>((resolve, reject) => {
        let text = '';
        child.stdout.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          const match = /\?token=(\S+)/.exec(text);
          if (match) resolve(match[1]!);
        });
        child.stderr.on('data', (chunk: Buffer) => void (text += chunk.toString()));
        child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${text}`)));
      });
      const reply = await fetch('http://127.0.0.1:18763/api/tables/segments?limit=10', { headers: { Authorization: `Bearer ${token}` } });
      const { rows } = (await reply.json()) as { rows: { customer: string; cluster: number }[] };
      // ann spends 14.5 and bob 2: two clusters of one customer each.
      expect(rows.map((row) => row.customer).sort()).toEqual(['ann', 'bob']);
      expect(new Set(rows.map((row) => row.cluster)).size).toBe(2);
    } finally {
      child.kill('SIGINT');
    }
  }, 120_000);

  it('imports no package when it starts: pure-JavaScript ones are inside it, DuckDB-WASM and parquet-wasm load when used', async () => {
    const text = await readFile(BUNDLE, 'utf8');
    const staticImports = [...text.matchAll(/^import\s[^;]*?from\s*["']([^"']+)["']/gm)].map((match) => match[1]);
    expect(staticImports.length).toBeGreaterThan(0);
    expect(staticImports.filter((specifier) => !isBuiltin(specifier ?? ''))).toEqual([]);
  });

  it('runs on DuckDB-WASM and writes Parquet, loading both on demand', async () => {
    const script = `const { main } = await import(${JSON.stringify(pathToFileURL(BUNDLE).href)});\nprocess.exitCode = await main(['run', 'book.md', '--engine', 'wasm', '--format', 'parquet', '--out', 'out-wasm', '--quiet']);\n`;
    await writeFile(join(dir, 'start-wasm.mjs'), script);
    await run(process.execPath, [join(dir, 'start-wasm.mjs')], { cwd: dir });
    const parquet = new Uint8Array(await readFile(join(dir, 'out-wasm', 'by_customer.parquet')));
    const table = tableFromIPC(await nodeParquetCodec.toArrowIpc(parquet));
    expect(table.toArray().map((row) => [String(row.customer), Number(row.spend)])).toEqual([
      ['ann', 14.5],
      ['bob', 2],
    ]);
  }, 120_000);
});
