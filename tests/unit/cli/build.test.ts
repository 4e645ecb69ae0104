import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { readParquet } from 'parquet-wasm';
import { main, type Output } from '../../../src/cli/main.ts';
import { parseNotebook } from '../../../src/format/notebook-text.ts';
import { readImported } from '../../../src/format/bundle.ts';
import { passphraseFileSealer } from '../../../src/store/file-sealer.ts';

// Semicolons and decimal commas: read right only with the --csv options given, as `aisle run` reads them.
const ORDERS_CSV = `order_id;region;amount
1;north;10,5
2;south;20
3;north;7,25
`;

const NOTEBOOK = `---
aisle: 1
title: Orders by region
data:
  orders: orders.csv
---

\`\`\`sql by_region
SELECT region, sum(amount) AS revenue FROM orders GROUP BY region
\`\`\`
`;

let work: string;
let appDir: string;
let notebookPath: string;
let csvPath: string;

function captured(): Output & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (line) => void lines.push(line), err: (line) => void lines.push(line) };
}

/** The rows of a Parquet file as plain objects. */
function parquetRows(bytes: Uint8Array): Record<string, unknown>[] {
  return tableFromIPC(readParquet(bytes).intoIPCStream())
    .toArray()
    .map((row) => ({ ...(row as { toJSON(): Record<string, unknown> }).toJSON() }));
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'aisle-build-'));
  appDir = join(work, 'app');
  await mkdir(join(appDir, 'assets'), { recursive: true });
  await writeFile(join(appDir, 'index.html'), '<!doctype html><html><head><title>Aisle</title></head><body></body></html>');
  await writeFile(join(appDir, 'assets', 'index-1.js'), 'console.log("app")');
  await writeFile(join(appDir, 'aisle-files.json'), JSON.stringify({ files: ['index.html', 'assets/index-1.js'] }));
  notebookPath = join(work, 'orders.md');
  csvPath = join(work, 'orders-semicolon.csv');
  await writeFile(notebookPath, NOTEBOOK);
  await writeFile(csvPath, ORDERS_CSV);
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const build = (out: string, ...extra: string[]) =>
  main(['build', notebookPath, '--data', `orders=${csvPath}`, '--csv', 'orders:delim=semicolon,decimal=comma', '--out', out, '--app', appDir, ...extra], captured());

/** Each build loads DuckDB and the data; on a busy machine one takes ~20 s, and one test builds twice. */
const BUILD_TIMEOUT = 120_000;

describe('aisle build', () => {
  it('writes the app, the notebook reading its data from the site, and the data as Parquet read with the --csv options', async () => {
    const out = join(work, 'site');
    const output = captured();
    const status = await main(['build', notebookPath, '--data', `orders=${csvPath}`, '--csv', 'orders:delim=semicolon,decimal=comma', '--out', out, '--app', appDir], output);
    expect(status, output.lines.join('\n')).toBe(0);
    expect((await readdir(out, { recursive: true })).sort()).toEqual(['aisle-files.json', 'assets', 'assets/index-1.js', 'data', 'data/orders.parquet', 'index.html', 'notebook.md']);
    expect(await readFile(join(out, 'assets', 'index-1.js'), 'utf8')).toBe('console.log("app")');
    expect(parseNotebook(await readFile(join(out, 'notebook.md'), 'utf8')).data).toEqual({ orders: 'data/orders.parquet' });
    const rows = parquetRows(await readFile(join(out, 'data', 'orders.parquet')));
    expect(rows.map((row) => [Number(row.order_id), row.region, row.amount])).toEqual([
      [1, 'north', 10.5],
      [2, 'south', 20],
      [3, 'north', 7.25],
    ]);
    expect(await readFile(join(out, 'index.html'), 'utf8')).toContain('<meta name="aisle-site" content="{&quot;kind&quot;:&quot;open&quot;,&quot;notebook&quot;:&quot;notebook.md&quot;}" />');
    expect(output.lines.at(-1)).toMatch(/^wrote .*site: 5 files, app 0 MB, notebook and data 0 MB in /);
  }, BUILD_TIMEOUT);

  it('with --passphrase-file, seals notebook and data in one envelope that the passphrase on its first line opens', async () => {
    const out = join(work, 'sealed');
    const passphraseFile = join(work, 'passphrase.txt');
    await writeFile(passphraseFile, 'correct horse battery\n');
    expect(await build(out, '--passphrase-file', passphraseFile)).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['aisle-files.json', 'assets', 'index.html', 'notebook.aisle-locked']);
    const envelope = await readFile(join(out, 'notebook.aisle-locked'), 'utf8');
    expect(envelope).not.toContain('by_region');
    const opened = readImported(await passphraseFileSealer().open(envelope, 'correct horse battery'));
    if (opened.kind !== 'bundle') throw new Error(`expected a bundle, got ${opened.kind}`);
    expect(parseNotebook(opened.bundle.text).data).toEqual({ orders: 'data/orders.parquet' });
    expect(parquetRows(opened.bundle.tables.orders!).map((row) => row.amount)).toEqual([10.5, 20, 7.25]);
    await expect(passphraseFileSealer().open(envelope, 'correct horse battery\n')).rejects.toThrow(/Wrong passphrase/);
  }, BUILD_TIMEOUT);

  it('replaces an earlier site, but refuses a folder holding anything else and leaves it as it was', async () => {
    const out = join(work, 'again');
    expect(await build(out)).toBe(0);
    await writeFile(join(out, 'stale.txt'), 'from before');
    expect(await build(out)).toBe(0);
    expect(await readdir(out)).not.toContain('stale.txt');

    const mine = join(work, 'mine');
    await mkdir(mine);
    await writeFile(join(mine, 'thesis.tex'), 'keep me');
    const output = captured();
    expect(await main(['build', notebookPath, '--data', `orders=${csvPath}`, '--out', mine, '--app', appDir], output)).toBe(2);
    expect(output.lines.join('\n')).toMatch(/holds other files \(thesis\.tex\); give a new or empty folder/);
    expect(await readdir(mine)).toEqual(['thesis.tex']);
  }, BUILD_TIMEOUT);

  it('names what is wrong: no --out, a short passphrase, an app without its file list', async () => {
    const noOut = captured();
    expect(await main(['build', notebookPath], noOut)).toBe(2);
    expect(noOut.lines.join('\n')).toMatch(/needs --out/);

    const shortFile = join(work, 'short.txt');
    await writeFile(shortFile, 'abc\n');
    const short = captured();
    expect(await main(['build', notebookPath, '--data', `orders=${csvPath}`, '--out', join(work, 'x'), '--app', appDir, '--passphrase-file', shortFile], short)).toBe(2);
    expect(short.lines.join('\n')).toMatch(/has 3 characters; use at least 8/);

    const noApp = captured();
    expect(await main(['build', notebookPath, '--data', `orders=${csvPath}`, '--out', join(work, 'y'), '--app', work], noApp)).toBe(2);
    expect(noApp.lines.join('\n')).toMatch(/holds no built app \(aisle-files\.json is missing\); run npm run build/);
  });
});
