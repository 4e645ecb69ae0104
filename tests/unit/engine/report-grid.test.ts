import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeDatabase } from '../../../src/db/duckdb-node.ts';
import { describe as describeRelation } from '../../../src/engine/catalog.ts';
import type { Database } from '../../../src/engine/ports.ts';
import { buildReport } from '../../../src/engine/report.ts';
import type { Notebook } from '../../../src/engine/notebook.ts';
import type { CellOutput, CellStates } from '../../../src/engine/status.ts';
import { chartSpec } from '../../../src/engine/chart/spec.ts';
import { reportHtml } from '../../../src/format/report.ts';

describe('the report of a `layout: grid` notebook', () => {
  let db: Database;
  let states: CellStates;
  const cells: Notebook['cells'] = [
    { id: 'p', kind: 'markdown', source: '# Shop' },
    { id: 'k', kind: 'sql', name: 'kpis', source: 'SELECT …' },
    { id: 'a', kind: 'chart', name: 'by_country', source: '{}' },
    { id: 'b', kind: 'chart', name: 'by_product', source: '{}' },
  ];
  beforeAll(async () => {
    db = await openNodeDatabase();
    await db.query(`CREATE TABLE orders AS SELECT * FROM (VALUES (1, 120.5::DOUBLE), (2, 99.25::DOUBLE), (3, 1000000::DOUBLE)) t(invoice_id, amount)`);
    await db.query('CREATE TABLE kpis AS SELECT sum(amount) AS revenue, count(*) AS orders FROM orders');
    const columns = await describeRelation(db, 'kpis');
    const chart: CellOutput = {
      kind: 'chart',
      chart: chartSpec({ data: 'orders', marks: [{ mark: 'barY', x: 'invoice_id', y: 'amount' }] }),
      rows: [],
      columns: [],
      notes: [],
      rowCount: 0,
    };
    states = {
      k: { status: 'done', version: 1, output: { kind: 'table', table: 'kpis', rowCount: 1, columns } },
      a: { status: 'done', version: 1, output: chart },
      b: { status: 'done', version: 1, output: chart },
    };
  });
  afterAll(async () => {
    await db.close();
  });

  const report = (extra: Record<string, unknown>) =>
    buildReport({
      notebook: { title: 'Shop', data: {}, extra, cells },
      states,
      tables: [],
      dataTables: [],
      db,
      drawChart: () => '<svg></svg>',
      renderMarkdown: (source) => `<h1>${source.slice(2)}</h1>`,
      madeAt: new Date(2026, 0, 1),
      locale: 'en-US',
    });

  it('shows a one-row result as value boxes and spans each block over its columns', async () => {
    const built = await report({ layout: 'grid', cells: { by_product: { width: 4 } } });
    // 120.5 + 99.25 + 1,000,000 = 1,000,219.75 over 3 orders.
    expect(built.blocks.map((block) => [block.kind, block.width])).toEqual([
      ['markdown', 12],
      ['tiles', 12],
      ['chart', 6],
      ['chart', 4],
    ]);
    expect(built.blocks[1]).toMatchObject({ tiles: [{ label: 'Revenue', value: '1,000,219.75' }, { label: 'Orders', value: '3' }] });
    const html = reportHtml(built);
    expect(html).toContain('<main class="grid">');
    expect(html).toContain('<section class="w12 block"><h3>kpis</h3><div class="tiles"><div class="tile"><span class="value">1,000,219.75</span><span class="label">Revenue</span></div>');
    expect(html).toContain('<section class="w4 block chart"><h3>by_product</h3>');
  });

  it('a notebook without `layout` reports as before: a table, no grid', async () => {
    const built = await report({});
    expect(built.blocks.map((block) => [block.kind, block.width])).toEqual([
      ['markdown', undefined],
      ['table', undefined],
      ['chart', undefined],
      ['chart', undefined],
    ]);
    expect(reportHtml(built)).toContain('<main>\n');
  });
});
