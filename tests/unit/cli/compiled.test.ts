import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

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
});
