import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tableFromIPC } from 'apache-arrow';
import { readParquet } from 'parquet-wasm';
import { JSDOM } from 'jsdom';
import { RunSetupError, inputFromText, runNotebook, type RunSummary } from '../../../src/cli/run.ts';
import { main, parseArguments, type Output } from '../../../src/cli/main.ts';
import { inputSpec } from '../../../src/engine/specs.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const ORDERS_CSV = `order_id,customer,region,amount
1,ann,north,10.5
2,bob,south,20
3,ann,north,7.25
4,cid,east,3
5,bob,south,1.5
6,ann,west,4
`;

const cell = (kind: string, name: string, source: string) => `\`\`\`${kind} ${name}\n${source}\n\`\`\``;

const GOOD_CELLS = [
  cell('input', 'min_amount', '{ "input": "number", "value": 5 }'),
  cell('sql', 'by_customer', 'SELECT customer, sum(amount) AS spend, count(*) AS orders FROM orders\nWHERE amount >= $min_amount GROUP BY customer ORDER BY customer'),
  cell('sql', 'top_customer', 'SELECT customer FROM by_customer ORDER BY spend DESC LIMIT 1'),
  cell('sql', 'regions', 'SELECT region, count(*) AS n FROM orders GROUP BY region ORDER BY region'),
];
const BROKEN_CELLS = [cell('sql', 'broken', 'SELECT no_such_column FROM orders'), cell('sql', 'after_broken', 'SELECT * FROM broken')];

const notebookText = (title: string, cells: readonly string[]) =>
  `---\naisle: 1\ntitle: ${title}\ndata:\n  orders: orders.csv\n---\n\n# ${title}\n\n${cells.join('\n\n')}\n`;

let workDir: string;
let startDir: string;
let brokenBook: string;
let goodBook: string;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'aisle-cli-'));
  // The notebook's own `orders.csv` sits beside it, not in the working directory: it must be found from there.
  await mkdir(join(workDir, 'book'));
  await writeFile(join(workDir, 'book', 'orders.csv'), ORDERS_CSV);
  brokenBook = join(workDir, 'book', 'broken.md');
  goodBook = join(workDir, 'book', 'good.md');
  await writeFile(brokenBook, notebookText('Broken book', [...GOOD_CELLS, ...BROKEN_CELLS]));
  await writeFile(goodBook, notebookText('Good book', GOOD_CELLS));
  // `--data name=relative/path` is relative to the working directory.
  startDir = process.cwd();
  process.chdir(workDir);
});

afterAll(async () => {
  process.chdir(startDir);
  await rm(workDir, { recursive: true, force: true });
});

/** A CSV without quoted fields as rows of cells. */
function csvRows(text: string): string[][] {
  return text.trimEnd().split('\n').map((line) => line.split(','));
}

function capture(): Output & { outLines: string[]; errLines: string[] } {
  const outLines: string[] = [];
  const errLines: string[] = [];
  return { outLines, errLines, out: (line) => outLines.push(line), err: (line) => errLines.push(line) };
}

describe('aisle run', () => {
  it('runs every cell, writes each table and a summary, and exits 1 when a cell failed or was blocked', async () => {
    const outDir = join(workDir, 'out-broken');
    await mkdir(outDir);
    await writeFile(join(outDir, 'broken.csv'), 'left over from an earlier run\n');
    const output = capture();

    const status = await main(['run', brokenBook, '--out', outDir], output);

    expect(status).toBe(1);
    // min_amount = 5 keeps orders 1, 2, 3: ann 10.5 + 7.25, bob 20.
    expect(csvRows(await readFile(join(outDir, 'by_customer.csv'), 'utf8')).map(([c, spend, n]) => [c, Number(spend), Number(n)])).toEqual([
      ['customer', NaN, NaN],
      ['ann', 17.75, 2],
      ['bob', 20, 1],
    ]);
    expect(await readFile(join(outDir, 'top_customer.csv'), 'utf8')).toBe('customer\nbob\n');
    expect(await readFile(join(outDir, 'regions.csv'), 'utf8')).toBe('region,n\neast,1\nnorth,2\nsouth,2\nwest,1\n');
    const files = await readdir(outDir);
    expect(files.sort()).toEqual(['by_customer.csv', 'regions.csv', 'run-log.jsonl', 'summary.json', 'top_customer.csv']);

    const summary = JSON.parse(await readFile(join(outDir, 'summary.json'), 'utf8')) as Omit<RunSummary, 'log'>;
    expect(summary).toMatchObject({ notebook: 'Broken book', ok: false, data: [{ table: 'orders', rows: 6, path: join(workDir, 'book', 'orders.csv') }] });
    expect(summary.cells.map(({ cell: name, state, rows, output: file }) => ({ name, state, rows, file }))).toEqual([
      { name: 'min_amount', state: 'done', rows: undefined, file: undefined },
      { name: 'by_customer', state: 'done', rows: 2, file: 'by_customer.csv' },
      { name: 'top_customer', state: 'done', rows: 1, file: 'top_customer.csv' },
      { name: 'regions', state: 'done', rows: 4, file: 'regions.csv' },
      { name: 'broken', state: 'error', rows: undefined, file: undefined },
      { name: 'after_broken', state: 'blocked', rows: undefined, file: undefined },
    ]);
    expect(summary.cells.find((c) => c.cell === 'min_amount')?.value).toBe(5);
    expect(summary.cells.find((c) => c.cell === 'broken')?.error).toMatch(/no_such_column/);
    expect(summary.cells.find((c) => c.cell === 'after_broken')?.error).toBe('waiting on broken, which did not run');

    const log = (await readFile(join(outDir, 'run-log.jsonl'), 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line) as { cell: string; status: string });
    expect(log.map((event) => `${event.cell}:${event.status}`).sort()).toEqual(
      ['after_broken:blocked', 'broken:error', 'by_customer:done', 'min_amount:done', 'regions:done', 'top_customer:done'],
    );
    expect(output.outLines).toEqual([expect.stringMatching(/^Broken book: 4 of 6 cells done; error: broken; blocked: after_broken in /)]);
    expect(output.errLines.some((line) => /^error\s+broken\s+.*no_such_column/.test(line))).toBe(true);
  });

  it('sets an input, reads --data relative to the working directory, writes Parquet that reads back, and exits 0', async () => {
    const output = capture();
    await writeFile(join(workDir, 'other.csv'), 'order_id,customer,region,amount\n1,dee,north,8.5\n2,dee,north,9\n3,eve,south,30.25\n4,eve,south,12\n');
    const argv = ['run', goodBook, '--data', 'orders=other.csv', '--input', 'min_amount=9', '--format', 'parquet', '--out', 'out-parquet', '--quiet'];

    const status = await main(argv, output);

    expect(status).toBe(0);
    expect(output.errLines).toEqual([]);
    expect(output.outLines).toEqual([expect.stringMatching(/^Good book: 4 of 4 cells done in .*; wrote out-parquet$/)]);
    const bytes = await readFile(join(workDir, 'out-parquet', 'by_customer.parquet'));
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('PAR1');
    const rows = tableFromIPC(readParquet(bytes).intoIPCStream())
      .toArray()
      .map((row) => {
        const { customer, spend, orders } = (row as { toJSON(): { customer: string; spend: number; orders: bigint | number } }).toJSON();
        return [customer, spend, Number(orders)];
      });
    // min_amount = 9 (not the notebook's 5) keeps orders 2, 3 and 4: dee 9, eve 30.25 + 12.
    expect(rows).toEqual([
      ['dee', 9, 1],
      ['eve', 42.25, 2],
    ]);
    expect((await readdir(join(workDir, 'out-parquet'))).filter((file) => file.endsWith('.csv'))).toEqual([]);
    const summary = JSON.parse(await readFile(join(workDir, 'out-parquet', 'summary.json'), 'utf8')) as Omit<RunSummary, 'log'>;
    expect(summary.cells.find((c) => c.cell === 'min_amount')?.value).toBe(9);
    expect(summary.data[0]?.path).toBe(join(workDir, 'other.csv'));
    // Each cell ran once, with the value set: no run at the notebook's 5 first.
    const log = (await readFile(join(workDir, 'out-parquet', 'run-log.jsonl'), 'utf8')).trimEnd().split('\n');
    expect(log).toHaveLength(4);
  });

  it('runs model cells in threads of their own, a failing one named with its reason, the others done', async () => {
    const book = join(workDir, 'book', 'models.md');
    const model = (name: string, spec: object) => cell('model', name, JSON.stringify({ input: 'spend', id: 'customer', features: ['spend'], scaling: 'none', seed: 1, ...spec }));
    await writeFile(
      book,
      notebookText('Models', [
        cell('sql', 'spend', 'SELECT customer, sum(amount) AS spend FROM orders GROUP BY customer ORDER BY customer'),
        model('two', { model: 'kmeans', k: 2 }),
        model('three', { model: 'kmeans', k: 3 }),
        model('five', { model: 'kmeans', k: 5 }),
      ]),
    );
    const outDir = join(workDir, 'out-models');
    const summary = await runNotebook({ notebookPath: book, outDir });

    expect(summary.cells.map(({ cell: name, state }) => `${name}:${state}`)).toEqual(['spend:done', 'two:done', 'three:done', 'five:error']);
    expect(summary.cells.find((c) => c.cell === 'five')?.error).toMatch(/k = 5 clusters need at least 5 rows, got 3/);
    const clusters = async (name: string) =>
      new Map(csvRows(await readFile(join(outDir, `${name}.csv`), 'utf8')).slice(1).map(([customer, cluster]) => [customer, Number(cluster)]));
    // Spend: ann 10.5 + 7.25 + 4 = 21.75, bob 20 + 1.5 = 21.5, cid 3. Two clusters put ann with bob, apart from cid.
    const two = await clusters('two');
    expect(two.get('ann')).toBe(two.get('bob'));
    expect(two.get('cid')).not.toBe(two.get('ann'));
    expect(new Set((await clusters('three')).values()).size).toBe(3);
  });

  it('refuses to start on a bad argument, naming it, with exit status 2', async () => {
    const cases: [string[], RegExp][] = [
      [['run'], /needs a notebook file/],
      [['publish', 'x.md'], /unknown command "publish"/],
      [['run', goodBook, '--format', 'xlsx'], /--format must be csv or parquet, got "xlsx"/],
      [['run', goodBook, '--data', 'orders'], /--data expects name=path, got "orders"/],
      [['run', goodBook, '--bogus'], /--bogus/],
      [['run', goodBook, '--data', 'orders=missing.csv'], /--data orders=missing.csv: no such file/],
      [['run', goodBook, '--input', 'min_amont=2'], /--input min_amont: no cell has that name; its inputs are min_amount/],
      [['run', goodBook, '--input', 'by_customer=2'], /by_customer is a sql cell, not an input/],
      [['run', goodBook, '--input', 'min_amount=lots'], /--input min_amount expects a number .*"lots"/],
      [['run', join(workDir, 'nope.md')], /cannot read notebook/],
    ];
    for (const [argv, message] of cases) {
      const output = capture();
      expect(await main(argv, output), argv.join(' ')).toBe(2);
      expect(output.errLines.join('\n'), argv.join(' ')).toMatch(message);
    }
    await writeFile(join(workDir, 'elsewhere.md'), notebookText('Lost', GOOD_CELLS));
    await expect(runNotebook({ notebookPath: join(workDir, 'elsewhere.md') })).rejects.toThrow(RunSetupError);
    await expect(runNotebook({ notebookPath: join(workDir, 'elsewhere.md') })).rejects.toThrow(/data orders: orders.csv is in neither .* nor .*; pass --data orders=file/);
    expect(parseArguments(['--help'])).toBe('help');
  });

  it('reads an input value as the control expects it', () => {
    const slider = inputSpec({ input: 'slider', min: 0, max: 50, value: 10 });
    const select = inputSpec({ input: 'select', options: ['2010', '2011'] });
    expect(inputFromText('20', slider, 'top_n')).toBe(20);
    expect(inputFromText('2011', select, 'year')).toBe('2011');
    expect(inputFromText('France', inputSpec({ input: 'select', options: { from: 'countries', column: 'country' } }), 'country')).toBe('France');
    expect(inputFromText('42', inputSpec({ input: 'text' }), 'code')).toBe('42');
    expect(inputFromText('["France","Spain"]', inputSpec({ input: 'multi-select', options: ['France', 'Spain'] }), 'countries')).toEqual(['France', 'Spain']);
    expect(inputFromText('France', inputSpec({ input: 'multi-select', options: ['France'] }), 'countries')).toEqual(['France']);
    expect(() => inputFromText('2011-01-01', inputSpec({ input: 'date-range' }), 'period')).toThrow(/two dates/);
  });
});

/** The report notebook: prose (with markup that must not survive), a three-row table and a bar chart of it. */
const REPORT_BOOK = `---
aisle: 1
title: Shelf report
---

# Shelf report

Units sold are **up** this week.<script>alert(1)</script><img src="x.png" onerror="alert(2)"> [Shelf plan](javascript:alert(3))

${cell('sql', 'shelf', "SELECT * FROM (VALUES ('tea', 6), ('mugs', 4), ('jam', 9)) AS t(product, units)")}

${cell('chart', 'units_chart', '{ "data": "shelf", "mark": "barY", "x": "product", "y": "units", "sort": "x" }')}
`;

/**
 * What makes a report self-contained (as tests/unit/format/report.test.ts checks reportHtml): nothing runs, nothing
 * is fetched. The only URL allowed is the SVG namespace, which names and fetches nothing.
 */
function expectSelfContained(html: string): void {
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/\son[a-z]+\s*=/i);
  expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:|\/\/|javascript:)/i);
  expect(html).not.toMatch(/@import|url\(/i);
  expect(html.match(/https?:\/\/[^\s"'<>)]*/g)?.filter((url) => url !== 'http://www.w3.org/2000/svg') ?? []).toEqual([]);
}

describe('aisle run --report', () => {
  it('writes the report the app exports: title, prose, each table and each chart as SVG, beside the --out tables', async () => {
    const book = join(workDir, 'shelf.md');
    await writeFile(book, REPORT_BOOK);
    await writeFile(join(workDir, 'stock.csv'), 'product,on_hand\ntea,12\njam,0\n');
    const output = capture();

    const status = await main(['run', book, '--data', 'stock=stock.csv', '--out', 'out-shelf', '--report', 'shelf.html'], output);

    expect(status).toBe(0);
    expect(output.outLines).toEqual([expect.stringMatching(/^Shelf report: 2 of 2 cells done in .*; wrote out-shelf, shelf\.html$/)]);
    expect(output.errLines.some((line) => /^wrote report shelf\.html: \d+ KB/.test(line))).toBe(true);
    expect(await readFile(join(workDir, 'out-shelf', 'shelf.csv'), 'utf8')).toBe('product,units\ntea,6\nmugs,4\njam,9\n');
    const summary = JSON.parse(await readFile(join(workDir, 'out-shelf', 'summary.json'), 'utf8')) as Omit<RunSummary, 'log'>;
    expect(summary.report).toBe('shelf.html');

    const html = await readFile(join(workDir, 'shelf.html'), 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expectSelfContained(html);
    const page = new JSDOM(html).window.document;
    expect(page.title).toBe('Shelf report');
    expect(page.querySelector('header h1')?.textContent).toBe('Shelf report');
    // The data read, not the cells' own tables.
    expect([...page.querySelectorAll('header .data li')].map((item) => item.textContent)).toEqual(['stock — 2 rows, 2 columns']);
    const prose = page.querySelector('main .prose');
    expect(prose?.querySelector('h1')?.textContent).toBe('Shelf report');
    expect(prose?.querySelector('p')?.innerHTML).toMatch(/^Units sold are <strong>up<\/strong> this week\.<img src="x\.png"> <a>Shelf plan<\/a>$/);

    const sections = [...page.querySelectorAll('main section')];
    const named = (name: string) => sections.find((section) => section.querySelector('h3')?.textContent === name);
    const rows = [...(named('shelf')?.querySelectorAll('tbody tr') ?? [])].map((row) => [...row.querySelectorAll('td')].map((td) => td.textContent));
    expect(rows).toEqual([['tea', '6'], ['mugs', '4'], ['jam', '9']]);
    expect(named('shelf')?.querySelector('.meta')?.textContent).toBe('3 rows');

    const chart = named('units_chart');
    expect(chart?.classList.contains('chart')).toBe(true);
    const bars = [...(chart?.querySelectorAll('svg g[aria-label="bar"] > rect') ?? [])];
    expect(bars).toHaveLength(3);
    expect(chart?.querySelectorAll('rect')).toHaveLength(3);
    // Bars start at zero, so their heights keep the ratios of the units: 6 : 4 : 9, in the order of the x labels.
    const labels = [...(chart?.querySelectorAll('g[aria-label="x-axis tick label"] text') ?? [])].map((text) => text.textContent);
    expect(labels).toEqual(['jam', 'mugs', 'tea']);
    const heights = bars.sort((a, b) => Number(a.getAttribute('x')) - Number(b.getAttribute('x'))).map((bar) => Number(bar.getAttribute('height')));
    const units = [9, 4, 6];
    for (const [i, height] of heights.entries()) expect(height / heights[0]!).toBeCloseTo(units[i]! / units[0]!, 9);
  });

  it('makes the folders of a report path that are missing, and writes the report there', async () => {
    const output = capture();
    const status = await main(['run', goodBook, '--report', join('new-reports', 'june', 'good.html'), '--quiet'], output);
    expect(status).toBe(0);
    const html = await readFile(join(workDir, 'new-reports', 'june', 'good.html'), 'utf8');
    expect(new JSDOM(html).window.document.querySelector('header h1')?.textContent).toBe('Good book');
  });

  it('names a report path that cannot be written, before running anything, with exit status 2', async () => {
    await writeFile(join(workDir, 'a-file'), 'not a folder');
    const cases: [string[], RegExp][] = [
      [['run', goodBook, '--report', join('a-file', 'r.html')], /^aisle: --report a-file\/r\.html: cannot make the folder .*a-file: /],
      [['run', goodBook, '--report', 'book'], /--report book: .*book is a folder; give a file name like report\.html/],
      [['run', goodBook, '--report', ''], /--report needs a file name/],
    ];
    for (const [argv, message] of cases) {
      const output = capture();
      expect(await main(argv, output), argv.join(' ')).toBe(2);
      expect(output.errLines.join('\n'), argv.join(' ')).toMatch(message);
      expect(output.errLines.some((line) => line.startsWith('loaded ')), argv.join(' ')).toBe(false);
    }
  });
});

describe('aisle run notebooks/retail-tour.md', () => {
  it('runs every cell on the shipped sample, and counts the orders the cleaning rules leave', async () => {
    const summary = await runNotebook({ notebookPath: join(ROOT, 'notebooks', 'retail-tour.md'), outDir: 'out-tour', format: 'csv' });

    expect(summary.cells.filter((c) => c.state !== 'done')).toEqual([]);
    expect(summary.ok).toBe(true);
    const [header, values] = csvRows(await readFile(join(workDir, 'out-tour', 'kpis.csv'), 'utf8'));
    const orders = Number(values?.[header?.indexOf('orders') ?? -1]);
    const customers = Number(values?.[header?.indexOf('customers') ?? -1]);
    const expected = await cleanCounts(join(ROOT, 'public', 'sample', 'online_retail_50k.parquet'));
    expect({ orders, customers }).toEqual(expected);
  });
});

/**
 * Distinct invoices and customers after the cleaning rules, computed from the Parquet file without DuckDB:
 * drop rows without a customer, cancelled invoices (C…), and non-positive quantities or prices. The
 * generator's dates all parse, and dropping exact duplicates cannot change a count of distinct values.
 */
async function cleanCounts(path: string): Promise<{ orders: number; customers: number }> {
  const table = tableFromIPC(readParquet(await readFile(path)).intoIPCStream());
  const column = (name: string) => {
    const vector = table.getChild(name);
    if (!vector) throw new Error(`the sample has no ${name} column`);
    return vector;
  };
  const [invoices, customerIds, quantities, prices] = ['InvoiceNo', 'CustomerID', 'Quantity', 'UnitPrice'].map(column) as [
    ReturnType<typeof column>,
    ReturnType<typeof column>,
    ReturnType<typeof column>,
    ReturnType<typeof column>,
  ];
  const orders = new Set<string>();
  const customers = new Set<string>();
  for (let row = 0; row < table.numRows; row += 1) {
    const invoice = String(invoices.get(row) ?? '').trim();
    const customer = String(customerIds.get(row) ?? '').trim().replace(/\.0+$/, '');
    if (customer === '' || invoice.startsWith('C')) continue;
    if (!(Number(quantities.get(row)) > 0 && Number(prices.get(row)) > 0)) continue;
    orders.add(invoice);
    customers.add(customer);
  }
  return { orders: orders.size, customers: customers.size };
}
