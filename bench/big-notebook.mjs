// Open a notebook of many cells in the built app and measure how the page copes: time until its first cell is
// visible, until its last cell exists, the longest main-thread task, and the slowest answer to a ping while it opens.
// Usage: serve the built app (`npx vite preview --port 4204 --base /aisle/`), then
//   node bench/big-notebook.mjs http://127.0.0.1:4204/aisle/ [cells=5000]
import { chromium } from '@playwright/test';
import { chromiumArgs, findChromium } from '../scripts/find-chromium.mjs';
import { parseOptions } from './lib/options.mjs';

const { baseUrl, cellCount } = parseOptions(
  process.argv.slice(2),
  { baseUrl: 'http://127.0.0.1:4204/aisle/', cellCount: 5000 },
  {},
  { script: import.meta.url, lines: 4 },
  (options, text, index) => {
    if (index === 0) options.baseUrl = text;
    else if (index === 1) options.cellCount = Number(text);
    else throw new Error(`unexpected argument ${text}: the usage is node bench/big-notebook.mjs [URL] [cells]`);
  },
);
const limitMs = 120_000;

function bigNotebook(count) {
  const blocks = ['---', 'aisle: 1', `title: ${count} cells`, '---', ''];
  for (let i = 0; i < count; i += 1) {
    if (i % 5 === 0) blocks.push(`## Part ${i / 5}`, '');
    blocks.push(`\`\`\`sql q${i}`, i === 0 ? 'SELECT 1 AS n' : `SELECT n + 1 AS n FROM q${i - 1}`, '```', '');
  }
  return blocks.join('\n');
}

const browser = await chromium.launch({ executablePath: await findChromium({ install: false }), args: chromiumArgs, headless: true });
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
await page.addInitScript(() => {
  const tasks = [];
  window.__longTasks = tasks;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) tasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
});
await page.goto(baseUrl);
await page.getByTestId('engine-status').filter({ hasText: 'DuckDB-WASM' }).waitFor({ timeout: 60_000 });
await page.locator('[data-testid="cell"]').first().waitFor({ timeout: 60_000 });
await page.waitForTimeout(3000);

const text = bigNotebook(cellCount);
await page.getByTestId('open-start').click();
const startedAt = await page.evaluate(() => performance.now());
const t0 = Date.now();
await page.getByTestId('import-input').setInputFiles({ name: 'big.md', mimeType: 'text/markdown', buffer: Buffer.from(text) });

// Pings from Node: how long the page takes to answer while it opens the notebook (a frozen tab answers late).
let slowestPingMs = 0;
let pingError;
let lastPingAt = Date.now();
let crashed = false;
page.on('crash', () => (crashed = true));
let pinging = true;
const pings = (async () => {
  while (pinging) {
    const sent = Date.now();
    try {
      await page.evaluate(() => 1);
    } catch (error) {
      pingError = error.message.split('\n')[0];
      break;
    }
    slowestPingMs = Math.max(slowestPingMs, Date.now() - sent);
    lastPingAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
})();

const result = { cells: cellCount, textBytes: text.length };
try {
  await page.locator('[data-testid="cell"][data-cell-name="q0"]').waitFor({ state: 'visible', timeout: limitMs });
  result.firstCellVisibleMs = Date.now() - t0;
  await page.locator(`[data-cell-name="q${cellCount - 1}"]`).waitFor({ state: 'attached', timeout: limitMs });
  result.lastCellInPageMs = Date.now() - t0;
} catch (error) {
  result.error = `not open after ${limitMs / 1000} s: ${error.message.split('\n')[0]}`;
}
await page.waitForTimeout(5000);
pinging = false;
await pings;
const longTasks = await page.evaluate((since) => window.__longTasks.filter((task) => task.start >= since - 50), startedAt).catch(() => []);
result.longestTaskMs = Math.round(Math.max(0, ...longTasks.map((task) => task.duration)));
result.longTasksOver200Ms = longTasks.filter((task) => task.duration > 200).length;
result.slowestPingMs = slowestPingMs;
result.lastAnsweredPingAtMs = lastPingAt - t0;
if (pingError) result.pingError = pingError;
result.crashed = crashed;
result.sizeShown = await page.getByTestId('notebook-size').innerText().catch(() => null);
result.cellsInDom = await page.locator('[data-testid="cell"]').count().catch(() => null);
result.cellsDone = await page.locator('[data-testid="cell"][data-status="done"]').count().catch(() => null);
result.cellsMountedInFull = await page.locator('[data-testid="cell"]:not([data-placeholder])').count().catch(() => null);
if (process.env.SCREENSHOT) await page.screenshot({ path: process.env.SCREENSHOT }).catch(() => undefined);
console.log(JSON.stringify(result, null, 2));
await browser.close();
