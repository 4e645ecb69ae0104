import { expect, test } from '@playwright/test';
import { expectSameOrigin, recordRequests } from './helpers.ts';

test('app loads under /aisle/ and only talks to its own origin', async ({ page }) => {
  const urls = recordRequests(page);

  // '' resolves against baseURL (http://127.0.0.1:4173/aisle/), keeping the sub-path.
  const response = await page.goto('', { waitUntil: 'load' });
  expect(response, 'navigation response').not.toBeNull();
  expect(response!.status()).toBe(200);
  expect(new URL(response!.url()).pathname).toBe('/aisle/');

  await expect(page).toHaveTitle(/Aisle/);

  // Let late requests (lazy chunks, workers, wasm) show up before checking them.
  await page.waitForLoadState('networkidle');

  expect(urls.length).toBeGreaterThan(0);
  expectSameOrigin(urls);
});
