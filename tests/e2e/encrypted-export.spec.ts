import { expect, test, type Page } from '@playwright/test';
import { expectSameOrigin, recordRequests } from './helpers.ts';

let requests: string[] = [];

test.afterEach(() => {
  expectSameOrigin(requests);
});

function cell(page: Page, name: string) {
  return page.locator(`[data-testid="cell"][data-cell-name="${name}"]`);
}

test('a notebook exported with a passphrase holds no readable text, and opens again only with that passphrase', async ({ page }) => {
  requests = recordRequests(page);
  await page.goto('');
  await expect(cell(page, 'monthly_revenue')).toHaveAttribute('data-status', 'done', { timeout: 45_000 });

  await page.getByTestId('export-open').click();
  await page.getByTestId('export-encrypt').check();
  await page.getByTestId('export-passphrase').fill('correct horse battery staple');
  await page.screenshot({ path: 'test-results/encrypted-export-menu.png' });
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-download').click()]);
  expect(download.suggestedFilename()).toBe('welcome-to-aisle.aisle-locked');
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
  const sealed = Buffer.concat(chunks).toString('utf8');
  const envelope = JSON.parse(sealed) as { format: string; kdf: { iterations: number }; ciphertext: string };
  expect(envelope.format).toBe('aisle-envelope');
  expect(envelope.kdf.iterations).toBeGreaterThanOrEqual(600_000);
  expect(sealed).not.toContain('Welcome');
  expect(sealed).not.toContain('monthly_revenue');

  await page.getByTestId('open-start').click();
  await page.getByTestId('import-input').setInputFiles({ name: 'welcome.aisle-locked', mimeType: 'application/json', buffer: Buffer.from(sealed) });
  await page.getByTestId('import-passphrase').fill('wrong horse');
  await page.getByTestId('import-passphrase').press('Enter');
  await expect(page.getByTestId('notice-error').last()).toContainText('Wrong passphrase, or the file was altered.');
  await expect(page.getByTestId('start-page')).toBeVisible();

  await page.getByTestId('import-passphrase').fill('correct horse battery staple');
  await page.getByTestId('import-passphrase').press('Enter');
  // Opened from outside: shown, not run.
  await expect(page.getByTestId('untrusted-banner')).toBeVisible();
  await expect(cell(page, 'monthly_revenue')).toHaveAttribute('data-status', 'idle');

  await expect(page.getByTestId('save-state')).toHaveText('Saved');
  await page.getByTestId('open-start').click();
  const yours = page.getByTestId('start-page').locator('section').last();
  await expect(yours.getByRole('listitem')).toHaveCount(1);
  await expect(yours.getByRole('listitem')).toContainText('Welcome to Aisle');
  await yours.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/encrypted-export-start.png' });
});
