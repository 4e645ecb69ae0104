import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeDatabase } from '../../../../src/db/duckdb-node.ts';
import { loyaltyFeaturesSql } from '../../../../src/models/forward/loyalty-features.ts';
import type { Database } from '../../../../src/engine/ports.ts';

let db: Database;
const columns = { customer: 'customer_id', invoice: 'invoice_id', date: 'invoice_date', amount: 'amount', product: 'product_id' };
const plain = (rows: Record<string, unknown>[]) =>
  rows.map((row) => Object.fromEntries(Object.entries({ ...row }).map(([key, value]) => [key, typeof value === 'bigint' ? Number(value) : key === 'cutoff' ? new Date(value as number).toISOString().slice(0, 10) : value])));
const features = async (table: string, cutoff?: string) => plain((await db.query(loyaltyFeaturesSql(table, { columns, cutoff, horizonDays: 60 }))).toArray());

beforeAll(async () => {
  db = await openNodeDatabase();
  // Cutoff 2011-06-01. A: invoices 1 Jan (10 + 5), 1 Apr (20), 21 May (6) → back on 10 Jun (in the window).
  // B: one invoice 1 May (4), back only on 15 Aug (outside the 60 days). C buys only after the cutoff: not a row.
  await db.query(`CREATE TABLE tx AS SELECT c AS customer_id, i AS invoice_id, CAST(d AS TIMESTAMP) AS invoice_date, p AS product_id, a AS amount FROM (VALUES
    ('A', 'i1', '2011-01-01 10:00', 'p1', 10.0), ('A', 'i1', '2011-01-01 10:00', 'p2', 5.0), ('A', 'i2', '2011-04-01 09:00', 'p1', 20.0),
    ('A', 'i3', '2011-05-21 12:00', 'p3', 6.0), ('A', 'i4', '2011-06-10 12:00', 'p1', 99.0),
    ('B', 'i5', '2011-05-01 15:00', 'p1', 4.0), ('B', 'i6', '2011-08-15 15:00', 'p2', 50.0),
    ('C', 'i7', '2011-06-02 15:00', 'p2', 7.0)
  ) t(c, i, d, p, a)`);
});
afterAll(async () => {
  await db.close();
});

describe('loyalty features', () => {
  it('are computed from purchases before the cutoff, the label from the 60 days after, as by hand', async () => {
    // A: last purchase 21 May → 11 days; 3 invoices, 41 spent, AOV 41/3; products p1 p2 p3; tenure 1 Jan → 1 Jun = 151 days;
    // gaps 90 (1 Jan → 1 Apr) and 50 (→ 21 May), mean 70; last 90 days (from 3 Mar): 20 + 6; the 90 before (2 Dec–2 Mar): 15.
    // B: one invoice 31 days before; mean gap falls back to the tenure (31); recent 4, earlier 0; back after 106 days → 0.
    expect(await features('tx', '2011-06-01')).toEqual([
      { customer_id: 'A', recency_days: 11, frequency: 3, monetary: 41, avg_order_value: 41 / 3, distinct_products: 3, tenure_days: 151, mean_days_between: 70, spend_last_90_days: 26, spend_trend: 11, loyal: 1, cutoff: '2011-06-01' },
      { customer_id: 'B', recency_days: 31, frequency: 1, monetary: 4, avg_order_value: 4, distinct_products: 1, tenure_days: 31, mean_days_between: 31, spend_last_90_days: 4, spend_trend: 4, loyal: 0, cutoff: '2011-06-01' },
    ]);
  });

  it('leak nothing: changing, shuffling or adding purchases after the cutoff leaves every feature as it was', async () => {
    await db.query(`CREATE TABLE tx_changed AS SELECT * FROM (
      SELECT * FROM tx WHERE invoice_date < TIMESTAMP '2011-06-01'
      UNION ALL SELECT customer_id, invoice_id, invoice_date + INTERVAL 3 DAY, product_id, amount * 7 FROM tx WHERE invoice_date >= TIMESTAMP '2011-06-01'
      UNION ALL SELECT 'B', 'i9', TIMESTAMP '2011-06-05 10:00', 'p9', 1000.0
    ) ORDER BY random()`);
    const strip = (rows: Record<string, unknown>[]) => rows.map(({ loyal: _label, ...rest }) => rest);
    expect(strip(await features('tx_changed', '2011-06-01'))).toEqual(strip(await features('tx', '2011-06-01')));
  });

  it('puts the default cutoff one horizon before the last day, so the label window fits in the data', async () => {
    // Last day 15 Aug → cutoff 15 Aug − 60 + 1 = 17 Jun; A (back 10 Jun) and C are before it, B bought on 15 Aug.
    const rows = await features('tx');
    expect(rows.map((row) => [row.customer_id, row.cutoff, row.loyal])).toEqual([
      ['A', '2011-06-17', 0],
      ['B', '2011-06-17', 1],
      ['C', '2011-06-17', 0],
    ]);
  });
});
