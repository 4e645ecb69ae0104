import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runNotebook } from '../../../src/cli/run.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/excel/', import.meta.url));

let workDir: string;
beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'aisle-cli-excel-'));
  await copyFile(join(FIXTURES, 'shared-strings.xlsx'), join(workDir, 'orders.xlsx'));
  await writeFile(join(workDir, 'lines.ndjson'), '{"sku": "a", "qty": 2}\n{"sku": "b", "qty": 5}\n');
  const notebook = [
    '---\naisle: 1\ntitle: Excel\ndata:\n  orders: orders.csv\n---\n',
    '```sql by_country\nSELECT Country, sum(Amount) AS amount FROM orders GROUP BY Country ORDER BY Country\n```\n',
    '```sql stock\nSELECT sum(qty) AS qty FROM lines\n```\n',
  ].join('\n');
  await writeFile(join(workDir, 'book.md'), notebook);
});
afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

describe('aisle run --data name=file.xlsx / .ndjson', () => {
  it('loads the workbook’s first sheet and JSON lines as the named tables', async () => {
    const summary = await runNotebook({
      notebookPath: join(workDir, 'book.md'),
      data: { orders: join(workDir, 'orders.xlsx'), lines: join(workDir, 'lines.ndjson') },
      outDir: join(workDir, 'out'),
    });
    expect(summary.ok).toBe(true);
    expect(summary.data.map((table) => [table.table, table.rows])).toEqual([
      ['orders', 4],
      ['lines', 2],
    ]);
    // The fixture as pandas reads it: France 120; Germany 3.25; United Kingdom 15.3 + 7.
    expect(await readFile(join(workDir, 'out', 'by_country.csv'), 'utf8')).toBe('Country,amount\nFrance,120.0\nGermany,3.25\nUnited Kingdom,22.3\n');
    expect(await readFile(join(workDir, 'out', 'stock.csv'), 'utf8')).toBe('qty\n7\n');
  });
});
