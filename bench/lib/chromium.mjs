// Build the bench page, serve it with `vite preview` on a free 127.0.0.1 port, and open it in headless Chromium.
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { log } from './common.mjs';

const benchDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** A port nobody listens on at 127.0.0.1 right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * @returns {Promise<{ info: {chromium: string, executablePath: string}, openPage(): Promise<import('@playwright/test').Page>, close(): Promise<void> }>}
 * `openPage()` closes the previous page's context and opens the bench page in a fresh one.
 */
export async function startBenchBrowser() {
  const vite = await import('vite');
  const configFile = path.join(benchDir, 'vite.config.ts');
  log('building the bench page (vite build --config bench/vite.config.ts) …');
  await vite.build({ configFile, logLevel: 'warn' });
  const port = await freePort();
  const server = await vite.preview({ configFile, logLevel: 'warn', preview: { port, strictPort: true, host: '127.0.0.1' } });
  const baseUrl = `http://127.0.0.1:${port}/`;
  const { findChromium, chromiumArgs } = await import('../../scripts/find-chromium.mjs');
  const { chromium } = await import('@playwright/test');
  const executablePath = await findChromium({ install: true });
  const browser = await chromium.launch({ executablePath, args: chromiumArgs, headless: true });
  let context;

  const openPage = async () => {
    await context?.close();
    context = await browser.newContext();
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) log(`chromium console: ${message.text()}`);
    });
    page.on('pageerror', (error) => log(`chromium page error: ${error.message}`));
    page.on('response', (response) => {
      if (response.status() >= 400) log(`chromium: ${response.status()} ${response.url()}`);
    });
    await page.goto(baseUrl);
    return page;
  };
  const close = async () => {
    await browser.close();
    await new Promise((resolve) => server.httpServer.close(resolve));
  };
  return { info: { chromium: browser.version(), executablePath }, openPage, close };
}

/** The URL, relative to the bench page, of a data file in bench/out/data. */
export const dataUrl = (file) => `./data/${path.basename(file)}`;
