import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { createLogger, createServer, type ViteDevServer } from 'vite';

// `npm start` on a fresh clone: Vite pre-bundles the dependencies it finds at start. A dependency it meets only
// later (inside a worker) is bundled then, and Vite reloads the page, dropping whatever the user had loaded.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WORKERS = readdirSync(join(ROOT, 'workers')).filter((file) => file.endsWith('.worker.ts'));

let server: ViteDevServer;
let cacheDir: string;
const log: string[] = [];
let lastTransformAt = Date.now();

test.beforeAll(async () => {
  // A cache of its own, so this is a first start whatever node_modules/.vite holds.
  cacheDir = mkdtempSync(join(tmpdir(), 'aisle-vite-cache-'));
  const logger = createLogger('info');
  for (const level of ['info', 'warn', 'error'] as const) {
    logger[level] = (message: string) => void log.push(`${level}: ${message}`);
  }
  server = await createServer({
    root: ROOT,
    cacheDir,
    customLogger: logger,
    server: { host: '127.0.0.1', port: 0, strictPort: false },
    plugins: [{ name: 'note-transforms', transform: () => void (lastTransformAt = Date.now()) }],
  });
  await server.listen();
});

test.afterAll(async () => {
  await server?.close();
  if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
});

test('the first start of the dev server never reloads the page to bundle a late dependency', async ({ page }) => {
  test.setTimeout(180_000);
  const url = server.resolvedUrls?.local[0];
  expect(url, 'the dev server listens').toBeTruthy();
  let loads = 0;
  page.on('load', () => void (loads += 1));
  await page.goto(url!);
  await expect(page.getByTestId('engine-status')).toContainText('DuckDB-WASM', { timeout: 120_000 });
  // Start every worker the app has, as the app does on first use (a model cell, Generate, a Parquet file).
  await page.evaluate((files) => {
    for (const file of files) new Worker(`/workers/${file}`, { type: 'module', name: file });
  }, WORKERS);
  // Vite transforms the workers' module graphs and bundles any dependency it had not seen; wait until it is quiet.
  await expect.poll(() => Date.now() - lastTransformAt, { timeout: 120_000, intervals: [1000] }).toBeGreaterThan(5000);
  await page.waitForTimeout(2000);
  expect(log.filter((line) => /optimized dependencies changed|new dependencies optimized|dependency optimized/i.test(line))).toEqual([]);
  expect(loads, 'page loads').toBe(1);
});
