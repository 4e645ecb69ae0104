import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { promisify } from 'node:util';
import { expect, type Page } from '@playwright/test';
import { strFromU8, unzipSync } from 'fflate';
import { cell, expectSameOrigin, recordRequests, test } from './helpers.ts';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const NOTEBOOK = join(ROOT, 'notebooks', 'retail-tour.md');
const SAMPLE = join(ROOT, 'public', 'sample', 'online_retail_50k.parquet');
const PASSPHRASE = 'teaching demo 2024';

/** The named cells of the notebook, read from its text here rather than from the app. */
async function cellNames(): Promise<string[]> {
  return [...(await readFile(NOTEBOOK, 'utf8')).matchAll(/^```(?:sql|chart|input|model) (\w+)$/gm)].map((match) => match[1]!);
}

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.md': 'text/markdown',
};

/** A plain static file server on 127.0.0.1: each site of `sites` under its own sub-path, nothing else. */
async function serve(sites: Record<string, string>): Promise<{ server: Server; origin: string }> {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const prefix = Object.keys(sites).find((sub) => path.startsWith(sub));
    if (prefix === undefined) return void response.writeHead(404).end();
    const rest = path.slice(prefix.length) || 'index.html';
    const file = normalize(join(sites[prefix]!, rest));
    if (!file.startsWith(sites[prefix]! + sep)) return void response.writeHead(403).end();
    readFile(file).then(
      (bytes) => response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(bytes),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the server has no port');
  return { server, origin: `http://127.0.0.1:${address.port}` };
}

async function expectNotebookRan(page: Page): Promise<void> {
  const names = await cellNames();
  const last = names.at(-1)!;
  await expect(cell(page, last)).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
  for (const name of names) await expect(cell(page, name), name).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  // App mode: outputs and inputs, no editors.
  await expect(page.locator('.cm-editor')).toHaveCount(0);
  await expect(cell(page, 'top_products').getByTestId('row-count')).toHaveText('10 rows');
}

test.describe('a notebook published by aisle build', () => {
  test.describe.configure({ timeout: 240_000 });
  let work: string;
  let server: Server;
  let origin: string;

  test.beforeAll(async () => {
    test.setTimeout(240_000);
    work = await mkdtemp(join(tmpdir(), 'aisle-site-'));
    const passphraseFile = join(work, 'passphrase.txt');
    await writeFile(passphraseFile, `${PASSPHRASE}\n`);
    const build = (out: string, ...extra: string[]) =>
      run('node', [join(ROOT, 'bin', 'aisle.mjs'), 'build', NOTEBOOK, '--data', `sales=${SAMPLE}`, '--out', join(work, out), '--quiet', ...extra], { cwd: ROOT });
    await Promise.all([build('open'), build('sealed', '--passphrase-file', passphraseFile)]);
    ({ server, origin } = await serve({ '/teach/site/': join(work, 'open'), '/teach/locked/': join(work, 'sealed') }));
  });

  test.afterAll(async () => {
    server?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  test('runs in app mode under a sub-path of a plain static server, every cell done, nothing requested off the origin', async ({ page }) => {
    const requests = recordRequests(page);
    await page.goto(`${origin}/teach/site/`);
    await expect(page).toHaveTitle('Retail tour — Aisle');
    await expectNotebookRan(page);
    await page.screenshot({ path: 'test-results/publish-site.png', fullPage: false });
    expect(requests.some((url) => url === `${origin}/teach/site/data/sales.parquet`)).toBe(true);
    expectSameOrigin(requests, origin);
  });

  test('sealed, refuses a wrong passphrase and opens with the right one', async ({ page }) => {
    const requests = recordRequests(page);
    await page.goto(`${origin}/teach/locked/`);
    await expect(page.getByTestId('unlock-screen')).toContainText('This notebook is encrypted');
    await page.getByTestId('unlock-passphrase').fill('not the passphrase');
    await page.getByTestId('unlock-submit').click();
    await expect(page.getByTestId('unlock-error')).toHaveText('Wrong passphrase, or the file was altered.', { timeout: 30_000 });
    await expect(page.locator('[data-testid="cell"]')).toHaveCount(0);
    await page.getByTestId('unlock-passphrase').fill(PASSPHRASE);
    await page.getByTestId('unlock-submit').click();
    await expectNotebookRan(page);
    // The data came out of the envelope: no Parquet file was fetched.
    expect(requests.filter((url) => url.endsWith('.parquet'))).toEqual([]);
    expectSameOrigin(requests, origin);
  });
});

test('Export → Web app… downloads a zip of the site: the app, the notebook and its data', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('?notebook=retail-tour');
  await expect(cell(page, 'country_customers')).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
  await page.getByTestId('export-open').click();
  await page.getByTestId('export-site-open').click();
  await expect(page.getByTestId('export-site')).toBeVisible();
  await page.screenshot({ path: 'test-results/publish-export-dialog.png' });
  const downloading = page.waitForEvent('download', { timeout: 120_000 });
  await page.getByTestId('export-site-download').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('retail-tour-web-app.zip');
  const files = unzipSync(new Uint8Array(await readFile((await download.path())!)));
  const appList = JSON.parse(strFromU8(files['aisle-files.json']!)) as { files: string[] };
  expect(Object.keys(files).sort()).toEqual([...appList.files, 'aisle-files.json', 'notebook.md', 'data/sales.parquet'].sort());
  expect(appList.files.filter((path) => path.endsWith('.wasm')).length).toBeGreaterThanOrEqual(3);
  expect(strFromU8(files['notebook.md']!)).toContain('sales: data/sales.parquet');
  expect(strFromU8(files['index.html']!)).toContain('<meta name="aisle-site"');
  // The data is the table the tab loaded: Parquet's magic bytes at both ends.
  const parquet = files['data/sales.parquet']!;
  expect(strFromU8(parquet.slice(0, 4))).toBe('PAR1');
  expect(strFromU8(parquet.slice(-4))).toBe('PAR1');
});
