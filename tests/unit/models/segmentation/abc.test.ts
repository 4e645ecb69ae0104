import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeDatabase } from '../../../../src/db/duckdb-node.ts';
import { abcSql } from '../../../../src/models/segmentation/abc.ts';
import { checkModelSpec } from '../../../../src/models/registry.ts';
import type { Database } from '../../../../src/engine/ports.ts';
import { evaluateModel } from '../../../../src/engine/evaluate/model.ts';
import { inProcessModelRunner } from '../../../../src/workers/node-runner.ts';

let db: Database;
beforeAll(async () => {
  db = await openNodeDatabase();
  // Revenue by product: P1 50 (two lines), P2 30, P3 10, P4 6, P5 3, P6 1 — 100 in all. P7 nets -5 (a return) and a
  // line without a product are left out. P1 is described twice as "Heart" and once as "heart".
  await db.query(`CREATE TABLE sales AS SELECT p AS product_id, d AS description, a AS amount FROM (VALUES
    ('P1', 'Heart', 30.0), ('P1', 'Heart', 15.0), ('P1', 'heart', 5.0), ('P2', 'Lantern', 30.0), ('P3', 'Mug', 10.0),
    ('P4', 'Bag', 6.0), ('P5', 'Card', 3.0), ('P6', 'Pin', 1.0), ('P7', 'Returned', -5.0), (NULL, 'Postage', 40.0)
  ) t(p, d, a)`);
});
afterAll(async () => {
  await db.close();
});

const columns = { product: 'product_id', description: 'description', amount: 'amount' };

async function classes(sql: string) {
  return (await db.query(sql)).toArray().map((row) => ({ ...row }) as Record<string, unknown>);
}

describe('ABC analysis', () => {
  it('ranks products by revenue and classes them 80/15/5 by the share of the products above them, as worked by hand', async () => {
    const rows = await classes(abcSql('sales', { columns }));
    // Shares .5 .3 .1 .06 .03 .01; cumulative .5 .8 .9 .96 .99 1. Share above each: 0 .5 .8 .9 .96 .99, so
    // P1, P2 are A (exactly 80%), P3 (above it 80%, A is full) and P4 (90% < 95%) are B, P5 and P6 are C.
    expect(rows.map((row) => [row.product_id, row.description, row.revenue, row.class])).toEqual([
      ['P1', 'Heart', 50, 'A'],
      ['P2', 'Lantern', 30, 'A'],
      ['P3', 'Mug', 10, 'B'],
      ['P4', 'Bag', 6, 'B'],
      ['P5', 'Card', 3, 'C'],
      ['P6', 'Pin', 1, 'C'],
    ]);
    const expectedShares = [0.5, 0.3, 0.1, 0.06, 0.03, 0.01];
    const expectedCumulative = [0.5, 0.8, 0.9, 0.96, 0.99, 1];
    rows.forEach((row, i) => {
      expect(row.share).toBeCloseTo(expectedShares[i]!, 12);
      expect(row.cumulative_share).toBeCloseTo(expectedCumulative[i]!, 12);
    });
  });

  it('takes other thresholds: 50/40/10 makes only the top product A', async () => {
    const rows = await classes(abcSql('sales', { columns, aShare: 0.5, bShare: 0.4 }));
    // Share above: 0 → A; .5 (A full) and .8 (< .9) → B; .9, .96, .99 → C.
    expect(rows.map((row) => row.class)).toEqual(['A', 'B', 'B', 'C', 'C', 'C']);
  });

  it('refuses thresholds that are not shares or add up to more than everything', () => {
    expect(() => abcSql('sales', { columns, aShare: 80 })).toThrow('"a_share" must be a share of revenue in (0, 1], e.g. 0.8; got 80');
    expect(() => abcSql('sales', { columns, aShare: 0.9, bShare: 0.2 })).toThrow('"b_share" must be a share of revenue from 0 to 0.1 (1 - a_share), e.g. 0.15; got 0.2');
  });

  it('is a SQL model cell of the registry, with its thresholds and column mapping checked like any spec', () => {
    const model = checkModelSpec('abc_analysis', { model: 'abc_analysis', input: 'sales', a_share: 0.7, columns: { product: 'StockCode' } });
    expect(model.kind).toBe('sql');
    expect(() => checkModelSpec('abc_analysis', { a_shar: 0.7 })).toThrow('unknown key "a_shar" for model abc_analysis (did you mean "a_share"?)');
  });

  it('runs as a model cell whose table holds the classes', async () => {
    const cell = { id: 'c1', kind: 'model' as const, name: 'abc', source: '{"model": "abc_analysis", "input": "sales", "a_share": 0.5, "b_share": 0.4}' };
    const output = await evaluateModel(db, inProcessModelRunner, cell, { signal: new AbortController().signal, inputs: new Map(), dataNames: new Set() });
    expect(output).toMatchObject({ kind: 'table', table: 'abc' });
    const rows = await classes('SELECT class, count(*)::INTEGER AS products FROM abc GROUP BY class ORDER BY class');
    expect(rows).toEqual([{ class: 'A', products: 1 }, { class: 'B', products: 2 }, { class: 'C', products: 3 }]);
  });
});
