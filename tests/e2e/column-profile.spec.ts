import { mkdirSync } from 'node:fs';
import { expect, type Locator, type Page } from '@playwright/test';
import { expectSameOrigin, recordRequests, test } from './helpers.ts';

let requests: string[] = [];
test.afterEach(() => expectSameOrigin(requests));

/** Six rows with a null in every column and ties (UK ×2, France ×2, qty 2 ×2, price 2.5 ×2, two dates ×2). */
const SHOP_CSV = ['qty,price,country,day', '1,2.5,UK,2011-01-01', '2,,France,2011-01-11', '2,7.5,UK,', ',2.5,France,2011-01-21', '5,10,,2011-01-01', '3,0,Spain,2011-01-21', ''].join('\n');

/** Counted by hand from SHOP_CSV: nulls, distinct, min, max. */
const EXPECTED = {
  qty: ['1', '4', '1', '5'],
  price: ['1', '4', '0.0', '10.0'],
  country: ['1', '3', 'France', 'UK'],
  day: ['1', '3', '2011-01-01', '2011-01-21'],
};

async function profileValues(profile: Locator): Promise<Record<string, string[]>> {
  const values: Record<string, string[]> = {};
  for (const column of Object.keys(EXPECTED)) {
    const item = profile.locator(`[data-testid="profile-column"][data-column="${column}"]`);
    values[column] = await Promise.all(
      ['profile-nulls', 'profile-distinct', 'profile-min', 'profile-max'].map(async (testid, i) =>
        i < 2 ? ((await item.getByTestId(testid).getAttribute('data-value')) ?? '') : (await item.getByTestId(testid).innerText()).trim(),
      ),
    );
  }
  return values;
}

function cell(page: Page, name: string): Locator {
  return page.locator(`[data-testid="cell"][data-cell-name="${name}"]`);
}

test('a table and a result profile to the null, distinct, min and max counted by hand, light and dark', async ({ page }) => {
  test.setTimeout(120_000);
  requests = recordRequests(page);
  mkdirSync('test-results/screenshots', { recursive: true });
  await page.goto('?theme=light');
  await page.getByTestId('file-input').setInputFiles({ name: 'shop.csv', mimeType: 'text/csv', buffer: Buffer.from(SHOP_CSV) });
  const item = page.locator('[data-testid="table-item"][data-table="shop"]');
  await expect(item.getByTestId('table-rows')).toHaveText('6 rows', { timeout: 30_000 });

  // Notices would cover the screenshots: wait for the sample's, then hide them.
  await expect(page.locator('[data-testid="table-item"][data-table="sales"]').getByTestId('table-rows')).toHaveText('50,000 rows', { timeout: 30_000 });
  await page.addStyleTag({ content: '.notices { display: none !important; }' });

  // In the data panel.
  await item.getByTestId('profile-table').click();
  const panelProfile = item.getByTestId('table-profile');
  await expect(panelProfile.getByTestId('profile-column')).toHaveCount(4);
  expect(await profileValues(panelProfile)).toEqual(EXPECTED);
  // Country's commonest values: France and UK tie (2 of 5 present each), then Spain.
  await expect(panelProfile.locator('[data-column="country"] .top-list li')).toHaveText([/France\s+40%/, /UK\s+40%/, /Spain\s+20%/]);
  await expect(panelProfile.locator('[data-column="qty"] [data-testid="profile-histogram"] rect')).toHaveCount(5);
  await item.screenshot({ path: 'test-results/screenshots/profile-panel-light.png' });

  // In a result grid.
  await page.getByTestId('add-cell').click();
  const name = await page.locator('[data-testid="cell"]').last().getAttribute('data-cell-name');
  const added = cell(page, name!);
  await added.locator('.cm-content').click();
  await page.keyboard.insertText('SELECT * FROM shop');
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(added).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  await added.getByTestId('profile-toggle').click();
  const resultProfile = added.getByTestId('table-profile');
  await expect(resultProfile.getByTestId('profile-column')).toHaveCount(4);
  expect(await profileValues(resultProfile)).toEqual(EXPECTED);
  await resultProfile.screenshot({ path: 'test-results/screenshots/profile-result-light.png' });

  await page.getByTestId('theme').selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await resultProfile.screenshot({ path: 'test-results/screenshots/profile-result-dark.png' });
  await item.screenshot({ path: 'test-results/screenshots/profile-panel-dark.png' });
  // Back to the rows.
  await added.getByTestId('profile-toggle').click();
  await expect(added.getByTestId('result-table')).toBeVisible();
});
