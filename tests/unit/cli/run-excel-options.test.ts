import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunSetupError, runNotebook } from '../../../src/cli/run.ts';
import { main, parseArguments, USAGE } from '../../../src/cli/main.ts';
import { writeXlsx } from '../helpers/write-xlsx.ts';

// Two sheets; the orders are on the second, under a title row, their header on row 2.
// By hand: United Kingdom 10 + 4 = 14, France 2.5.
const WORKBOOK = writeXlsx([
  { name: 'Read me', rows: [['This workbook lists orders on its second sheet.'], ['Amounts in GBP.']] },
  {
    name: 'Orders',
    rows: [
      ['Orders, 2011', null],
      ['Country', 'Amount'],
      ['United Kingdom', 10],
      ['France', 2.5],
      ['United Kingdom', 4],
    ],
  },
]);
const BY_COUNTRY = 'Country,amount\nFrance,2.5\nUnited Kingdom,14.0\n';

const book = (data: string, sql: string) => `---\naisle: 1\ntitle: Options\ndata:\n${data}\n---\n\n\`\`\`sql result\n${sql}\n\`\`\`\n`;
const byCountry = 'SELECT Country, sum(Amount) AS amount FROM orders GROUP BY Country ORDER BY Country';

let workDir: string;
beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'aisle-cli-import-'));
  await writeFile(join(workDir, 'retail.xlsx'), WORKBOOK);
  await writeFile(join(workDir, 'customers.json'), '[{"id": 1, "address": {"country": "FR", "city": "Lyon"}}, {"id": 2, "address": {"country": "UK"}}]');
});
afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

/** Run `notebook` and read its `result` cell's CSV. */
async function result(notebook: string, options: Omit<Parameters<typeof runNotebook>[0], 'notebookPath' | 'outDir'> = {}) {
  const name = Math.random().toString(36).slice(2);
  await writeFile(join(workDir, `${name}.md`), notebook);
  const outDir = join(workDir, `out-${name}`);
  const summary = await runNotebook({ notebookPath: join(workDir, `${name}.md`), outDir, ...options });
  return { summary, csv: await readFile(join(outDir, 'result.csv'), 'utf8').catch(() => '') };
}

describe('the runner reads an Excel sheet and JSON nesting as told', () => {
  it('reads --import name:sheet=2,header_row=2 into the options of the import sheet', () => {
    const args = parseArguments(['run', 'x.md', '--import', 'orders:sheet=2,header_row=2', '--csv', 'ratings:delim=ws', '--import', 'people:nested=json']);
    if (args === 'help') throw new Error('not help');
    expect(args.dataOptions).toEqual({
      orders: { excel: { sheet: '2', headerRow: 2 } },
      ratings: { text: { delimiter: 'whitespace' } },
      people: { json: { nested: 'json' } },
    });
    expect(USAGE).toMatch(/--import name:key=value/);
    expect(USAGE).toMatch(/sheet=<name>\|<position, 1 = first>/);
  });

  it('loads the second sheet by position with its header on row 2', async () => {
    const args = parseArguments(['run', 'x.md', '--data', `orders=${join(workDir, 'retail.xlsx')}`, '--import', 'orders:sheet=2,header_row=2']);
    if (args === 'help') throw new Error('not help');
    const { summary, csv } = await result(book('  orders: other.csv', byCountry), { data: args.data, dataOptions: args.dataOptions });
    expect(summary.data.map((table) => [table.table, table.rows])).toEqual([['orders', 3]]);
    expect(csv).toBe(BY_COUNTRY);
  });

  it('takes the sheet by name and the header row from the front matter', async () => {
    const { csv } = await result(book('  orders:\n    path: retail.xlsx\n    sheet: Orders\n    header_row: 2', byCountry));
    expect(csv).toBe(BY_COUNTRY);
    // A YAML number is a position, as on the command line.
    const { csv: byPosition } = await result(book('  orders:\n    path: retail.xlsx\n    sheet: 2\n    header_row: 2', byCountry));
    expect(byPosition).toBe(BY_COUNTRY);
  });

  it('keeps nested JSON as JSON text when asked, and flattens it by default', async () => {
    const kept = await result(book('  customers:\n    path: customers.json\n    nested: json', 'SELECT id, address FROM customers ORDER BY id'));
    const first = JSON.stringify({ country: 'FR', city: 'Lyon' }).replaceAll('"', '""');
    const second = JSON.stringify({ country: 'UK' }).replaceAll('"', '""');
    expect(kept.csv).toBe(`id,address\n1,"${first}"\n2,"${second}"\n`);
    const flat = await result(book('  customers: customers.json', 'SELECT id, "address.country" AS country FROM customers ORDER BY id'));
    expect(flat.csv).toBe('id,country\n1,FR\n2,UK\n');
  });

  it('refuses options of another format, naming the file', async () => {
    const wrong = result(book('  orders: retail.xlsx', byCountry), { dataOptions: { orders: { text: { delimiter: 'whitespace' } } } });
    await expect(wrong).rejects.toThrow(RunSetupError);
    await expect(wrong).rejects.toThrow('data orders: "retail.xlsx" is an Excel workbook, not delimited text: its options are sheet, header_row (header_row=0 for no header).');
    const lines: string[] = [];
    const output = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(line) };
    expect(await main(['run', 'x.md', '--import', 'orders:header_row=two'], output)).toBe(2);
    expect(lines.join('\n')).toMatch(/--import orders: header_row must be the row holding the column names \(1, 2, …\) or 0 for none; got "two"/);
    expect(await main(['run', 'x.md', '--import', 'orders:sheet=2', '--csv', 'orders:delim=ws'], output)).toBe(2);
    expect(lines.join('\n')).toMatch(/import options for orders are given twice/);
  });

  it('says which sheets there are when the one asked for is missing', async () => {
    await expect(result(book('  orders:\n    path: retail.xlsx\n    sheet: 3', byCountry))).rejects.toThrow(
      'data orders: "retail.xlsx" has no sheet named "3" nor a sheet number 3; its sheets are "Read me", "Orders".',
    );
  });
});
