import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeDatabase } from '../../../../src/db/duckdb-node.ts';
import { abcXyzSql } from '../../../../src/models/demand/abc-xyz.ts';
import { checkModelSpec } from '../../../../src/models/registry.ts';
import type { Database } from '../../../../src/engine/ports.ts';
import { evaluateModel } from '../../../../src/engine/evaluate/model.ts';
import { inProcessModelRunner } from '../../../../src/workers/node-runner.ts';

let db: Database;
beforeAll(async () => {
  db = await openNodeDatabase();
  // Four weeks, Monday 3 Jan to Sunday 30 Jan 2011. Weekly quantities (weeks without a line are 0):
  //   P1 10 10 10 10 (revenue 200)   P2 4 8 4 8 (80)   P3 12 0 0 0 (15; two lines, Monday and Sunday of week 1)   P4 2 0 2 0 (5)
  // and a line without a product, left out.
  await db.query(`CREATE TABLE sales AS SELECT p AS product_id, d AS description, CAST(t AS TIMESTAMP) AS invoice_date, q AS quantity, a AS amount FROM (VALUES
    ('P1', 'Heart', '2011-01-03 09:00', 10, 50.0), ('P1', 'Heart', '2011-01-11 09:00', 10, 50.0), ('P1', 'Heart', '2011-01-19 09:00', 10, 50.0), ('P1', 'Heart', '2011-01-28 09:00', 10, 50.0),
    ('P2', 'Lantern', '2011-01-04 09:00', 4, 16.0), ('P2', 'Lantern', '2011-01-10 09:00', 8, 24.0), ('P2', 'Lantern', '2011-01-17 09:00', 4, 16.0), ('P2', 'Lantern', '2011-01-30 20:00', 8, 24.0),
    ('P3', 'Mug', '2011-01-03 10:00', 5, 6.0), ('P3', 'Mug', '2011-01-09 23:00', 7, 9.0),
    ('P4', 'Pin', '2011-01-05 10:00', 2, 2.5), ('P4', 'Pin', '2011-01-20 10:00', 2, 2.5),
    (NULL, 'Postage', '2011-01-06 10:00', 1, 40.0)
  ) t(p, d, t, q, a)`);
});
afterAll(async () => {
  await db.close();
});

const columns = { product: 'product_id', description: 'description', amount: 'amount', quantity: 'quantity', date: 'invoice_date' };

async function rows(sql: string) {
  return (await db.query(sql)).toArray().map((row) => ({ ...row }) as Record<string, unknown>);
}

describe('ABC–XYZ', () => {
  it('classes products by revenue share and by the coefficient of variation of weekly quantity, as worked by hand', async () => {
    const result = await rows(abcXyzSql('sales', { columns }));
    // Revenue 200, 80, 15, 5 of 300: shares above each product 0, .667, .933, .983 → A, A, B, C.
    // Weekly means 10, 6, 3, 1; population sd (÷ 4 weeks) 0, 2, √27, 1 → cv 0, 1/3, √3, 1 → X, X, Z, Y (1.0 is still Y).
    expect(result.map((row) => [row.product_id, row.abc_class, row.weeks, row.xyz_class, row.class])).toEqual([
      ['P1', 'A', 4, 'X', 'AX'],
      ['P2', 'A', 4, 'X', 'AX'],
      ['P3', 'B', 4, 'Z', 'BZ'],
      ['P4', 'C', 4, 'Y', 'CY'],
    ]);
    const expected = [
      [10, 0, 0],
      [6, 2, 1 / 3],
      [3, Math.sqrt(27), Math.sqrt(27) / 3],
      [1, 1, 1],
    ];
    result.forEach((row, i) => {
      expect(row.mean_weekly_quantity).toBeCloseTo(expected[i]![0]!, 12);
      expect(row.sd_weekly_quantity).toBeCloseTo(expected[i]![1]!, 12);
      expect(row.cv).toBeCloseTo(expected[i]![2]!, 12);
    });
    expect(result.map((row) => row.revenue)).toEqual([200, 80, 15, 5]);
  });

  it('takes the sample standard deviation (÷ weeks − 1) and other thresholds', async () => {
    // Sample sd: 0, √(16/3), 6, √(4/3) → cv 0, .385, 2, 1.155: P4 becomes Z.
    const sample = await rows(abcXyzSql('sales', { columns, deviation: 'sample' }));
    expect(sample.map((row) => row.class)).toEqual(['AX', 'AX', 'BZ', 'CZ']);
    expect(sample[3]!.cv).toBeCloseTo(Math.sqrt(4 / 3), 12);
    // X up to 0.3, Y up to 1.5 (population): P2 (1/3) is Y, P3 (√3 ≈ 1.73) Z, P4 (1) Y.
    const moved = await rows(abcXyzSql('sales', { columns, xMax: 0.3, yMax: 1.5 }));
    expect(moved.map((row) => row.xyz_class)).toEqual(['X', 'Y', 'Z', 'Y']);
  });

  it('refuses thresholds that are not coefficients of variation in order', () => {
    expect(() => abcXyzSql('sales', { columns, xMax: 0 })).toThrow('"x_max" must be a positive coefficient of variation, e.g. 0.5; got 0');
    expect(() => abcXyzSql('sales', { columns, xMax: 0.8, yMax: 0.5 })).toThrow('"y_max" must be at least "x_max" (0.8), e.g. 1.0; got 0.5');
  });

  it('is a SQL model cell: its spec is checked, and it runs with the abc_analysis thresholds', async () => {
    expect(checkModelSpec('abc_xyz', { model: 'abc_xyz', input: 'sales', x_max: 0.4 }).kind).toBe('sql');
    expect(() => checkModelSpec('abc_xyz', { x_mx: 0.4 })).toThrow('unknown key "x_mx" for model abc_xyz (did you mean "x_max"?)');
    expect(() => checkModelSpec('abc_xyz', { deviation: 'sample', columns: { quantity: 'Qty' } })).not.toThrow();
    const cell = { id: 'c1', kind: 'model' as const, name: 'abcxyz', source: '{"model": "abc_xyz", "input": "sales", "a_share": 0.5, "b_share": 0.4, "deviation": "sample"}' };
    const output = await evaluateModel(db, inProcessModelRunner, cell, { signal: new AbortController().signal, inputs: new Map(), dataNames: new Set() });
    expect(output).toMatchObject({ kind: 'table', table: 'abcxyz' });
    // 50/40/10: above P1 0 → A; P2 (.667 ≥ .5, < .9) B; P3 (.933) C; P4 C.
    expect((await rows('SELECT class FROM abcxyz ORDER BY revenue DESC')).map((row) => row.class)).toEqual(['AX', 'BX', 'CZ', 'CZ']);
  });

  it('refuses an unknown deviation, naming the choices', async () => {
    const cell = { id: 'c2', kind: 'model' as const, name: 'bad', source: '{"model": "abc_xyz", "input": "sales", "deviation": "unbiased"}' };
    await expect(evaluateModel(db, inProcessModelRunner, cell, { signal: new AbortController().signal, inputs: new Map(), dataNames: new Set() })).rejects.toThrow('"deviation" must be one of population, sample; got "unbiased"');
  });
});
