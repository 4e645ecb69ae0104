import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeDatabase } from '../../../../src/db/duckdb-node.ts';
import { behaviourSql } from '../../../../src/models/segmentation/behaviour.ts';
import type { Database } from '../../../../src/engine/ports.ts';

let db: Database;
beforeAll(async () => {
  db = await openNodeDatabase();
  await db.query(`CREATE TABLE tx AS SELECT c AS customer_id, i AS invoice_id, CAST(d AS TIMESTAMP) AS invoice_date, p AS product_id, a AS amount FROM (VALUES
    ('A', 'i1', '2011-01-03 10:00', 'p1', 10.0), ('A', 'i1', '2011-01-03 10:00', 'p2', 5.0),
    ('A', 'i2', '2011-01-10 09:00', 'p1', 20.0), ('A', 'i3', '2011-01-05 12:00', 'p3', 1.0),
    ('B', 'i4', '2011-01-06 15:00', 'p1', 4.0)
  ) t(c, i, d, p, a)`);
});
afterAll(async () => {
  await db.close();
});

describe('customer features', () => {
  it('are worked out per customer as by hand', async () => {
    const columns = { customer: 'customer_id', invoice: 'invoice_id', date: 'invoice_date', amount: 'amount', product: 'product_id' };
    const rows = (await db.query(behaviourSql('tx', { columns }))).toArray().map((row) => {
      const plain = { ...row } as Record<string, unknown>;
      for (const [key, value] of Object.entries(plain)) if (typeof value === 'bigint') plain[key] = Number(value);
      return plain;
    });
    // Reference: the day after the last sale, 2011-01-11. A: 3 invoices worth 36, products p1 p2 p3, first 3 Jan, last
    // 10 Jan; two invoices fell on Mondays (3 and 10 Jan), one on a Wednesday. B: one Thursday invoice of 4.
    expect(rows).toEqual([
      { customer_id: 'A', total_spend: 36, purchase_count: 3, avg_order_value: 12, distinct_products: 3, days_since_last_purchase: 1, tenure_days: 8, preferred_weekday: 1 },
      { customer_id: 'B', total_spend: 4, purchase_count: 1, avg_order_value: 4, distinct_products: 1, days_since_last_purchase: 5, tenure_days: 5, preferred_weekday: 4 },
    ]);
  });
});
