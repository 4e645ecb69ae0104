// Take a screenshot of the built app as a user sees it: `node scripts/screenshot.mjs [out.png] [query]`.
// Serves dist/ with `vite preview` under /aisle/, waits for the notebook to finish its first run.
import { spawn } from 'node:child_process';
import { chromium } from '@playwright/test';
import { findChromium, chromiumArgs } from './find-chromium.mjs';

const out = process.argv[2] ?? 'test-results/screenshot.png';
const query = process.argv[3] ?? '';
const port = 4181;
const server = spawn('npx', ['vite', 'preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1', '--base', '/aisle/'], {
  stdio: 'ignore',
  // Its own process group, so the preview server npx starts ends with it.
  detached: true,
});
try {
  const base = `http://127.0.0.1:${port}/aisle/`;
  for (let i = 0; i < 50; i += 1) {
    if (await fetch(base).then((r) => r.ok, () => false)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const browser = await chromium.launch({ executablePath: await findChromium(), args: chromiumArgs });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('console', (m) => m.type() === 'error' && console.error('console:', m.text()));
  await page.goto(base + query);
  await page.waitForSelector('[data-testid="cell"][data-status="done"]', { timeout: 60_000 }).catch(() => {});
  await page.waitForTimeout(1500);
  await page.screenshot({ path: out, fullPage: false });
  console.log(out);
  await browser.close();
} finally {
  process.kill(-server.pid);
}
