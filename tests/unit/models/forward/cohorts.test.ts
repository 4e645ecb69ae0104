import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeDatabase } from '../../../../src/db/duckdb-node.ts';
import { cohortSql } from '../../../../src/models/forward/cohorts.ts';
import type { Database } from '../../../../src/engine/ports.ts';

let db: Database;
beforeAll(async () => {
  db = await openNodeDatabase();
  // A and B first buy in January, C in February; A comes back in February and March, B only in March.
  await db.query(`CREATE TABLE tx AS SELECT c AS customer_id, CAST(d AS TIMESTAMP) AS invoice_date, a AS amount FROM (VALUES
    ('A', '2011-01-03 10:00', 10.0), ('B', '2011-01-20 09:00', 30.0), ('A', '2011-01-25 12:00', 20.0),
    ('A', '2011-02-07 15:00', 6.0), ('C', '2011-02-10 11:00', 8.0),
    ('A', '2011-03-01 10:00', 4.0), ('B', '2011-03-15 10:00', 16.0), (NULL, '2011-03-16 10:00', 99.0)
  ) t(c, d, a)`);
});
afterAll(async () => {
  await db.close();
});

describe('cohort retention', () => {
  it('follows each first-purchase month, as counted by hand', async () => {
    const sql = cohortSql('tx', { customer: 'customer_id', date: 'invoice_date', amount: 'amount' });
    const rows = (await db.query(sql)).toArray().map((row) => {
      const plain = { ...row } as Record<string, unknown>;
      for (const [key, value] of Object.entries(plain)) if (typeof value === 'bigint') plain[key] = Number(value);
      plain.cohort_month = new Date(plain.cohort_month as number).toISOString().slice(0, 7);
      return plain;
    });
    // January cohort {A, B}: month 0 both (revenue 60), month 1 A (6), month 2 A and B (20).
    // February cohort {C}: month 0 C (8), month 1 nobody (the data ends in March). The row without a customer is left out.
    expect(rows).toEqual([
      { cohort_month: '2011-01', months_since: 0, cohort_size: 2, customers: 2, retention: 1, revenue: 60, revenue_retention: 1 },
      { cohort_month: '2011-01', months_since: 1, cohort_size: 2, customers: 1, retention: 0.5, revenue: 6, revenue_retention: 0.1 },
      { cohort_month: '2011-01', months_since: 2, cohort_size: 2, customers: 2, retention: 1, revenue: 20, revenue_retention: 20 / 60 },
      { cohort_month: '2011-02', months_since: 0, cohort_size: 1, customers: 1, retention: 1, revenue: 8, revenue_retention: 1 },
      { cohort_month: '2011-02', months_since: 1, cohort_size: 1, customers: 0, retention: 0, revenue: 0, revenue_retention: 0 },
    ]);
  });
});
