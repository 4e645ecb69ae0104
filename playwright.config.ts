import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';
import { chromiumArgs } from './scripts/find-chromium.mjs';

// The built app is served under a sub-path to prove it works when hosted below the domain root.
// AISLE_E2E_PORT lets two checkouts run their e2e suites side by side.
const PORT = Number(process.env.AISLE_E2E_PORT ?? 4173);
const BASE_PATH = '/aisle/';
const BASE_URL = `http://127.0.0.1:${PORT}${BASE_PATH}`;

// scripts/test.mjs finds (or installs) Chromium and sets AISLE_CHROMIUM. Playwright cannot
// download its own browsers here, so fall back to Debian's package when run directly.
const executablePath =
  process.env.AISLE_CHROMIUM ||
  process.env.CHROMIUM_PATH ||
  ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));


export default defineConfig({
  testDir: 'tests/e2e',
  // Playwright wipes outputDir at start; keep it apart from test-results/unit.json and e2e.json.
  outputDir: 'test-results/playwright',
  workers: 1,
  fullyParallel: false,
  timeout: 60_000,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  use: {
    baseURL: BASE_URL,
    browserName: 'chromium',
    // Numbers in tables are shown in the browser's locale; tests read them as en-US writes them.
    locale: 'en-US',
    headless: true,
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath,
      args: [...chromiumArgs],
    },
  },
  webServer: {
    command: `npx vite preview --port ${PORT} --strictPort --host 127.0.0.1 --base ${BASE_PATH}`,
    url: BASE_URL,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
