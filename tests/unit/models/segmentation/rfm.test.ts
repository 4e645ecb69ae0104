import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeDatabase } from '../../../../src/db/duckdb-node.ts';
import { SEGMENT_RULES, rfmSql, segmentOf } from '../../../../src/models/segmentation/rfm.ts';
import type { Database } from '../../../../src/engine/ports.ts';

let db: Database;
const columns = { customer: 'customer_id', invoice: 'invoice_id', date: 'invoice_date', amount: 'amount' };

beforeAll(async () => {
  db = await openNodeDatabase();
  // Five customers, written so every quintile holds one of them (the scores below are worked out by hand).
  await db.query(`CREATE TABLE tx AS SELECT customer_id, invoice_id, CAST(invoice_date AS TIMESTAMP) AS invoice_date, amount FROM (VALUES
    ('A', 'i1', '2011-01-01 10:00', 10.0), ('A', 'i2', '2011-01-10 09:00', 20.0),
    ('B', 'i3', '2011-01-05 12:00', 60.0), ('B', 'i3', '2011-01-05 12:00', 40.0),
    ('C', 'i4', '2011-01-10 15:00', 5.0),
    ('D', 'i5', '2011-01-02 08:00', 1.0), ('D', 'i6', '2011-01-03 08:00', 1.0), ('D', 'i7', '2011-01-04 08:00', 1.0),
    ('E', 'i8', '2011-01-08 11:00', 50.0), ('E', 'i9', '2011-01-09 11:00', 50.0),
    (NULL, 'i10', '2011-01-10 16:00', 999.0)
  ) t(customer_id, invoice_id, invoice_date, amount)`);
});
afterAll(async () => {
  await db.close();
});

async function rows(sql: string) {
  return (await db.query(sql)).toArray().map((row) => {
    const plain = { ...row } as Record<string, unknown>;
    for (const [key, value] of Object.entries(plain)) if (typeof value === 'bigint') plain[key] = Number(value);
    return plain;
  });
}

describe('RFM', () => {
  it('scores recency (inverted), frequency and monetary by quintile, ties by customer id', async () => {
    const result = await rows(rfmSql('tx', { columns }));
    // Reference date = last purchase (2011-01-10) + 1 day. The guest row (no customer) is left out.
    // R order (recency desc): D 7, B 6, E 2, A 1, C 1 (A before C by id) → D1 B2 E3 A4 C5.
    // F order (frequency asc): B 1, C 1, A 2, E 2, D 3 → B1 C2 A3 E4 D5.   M order: D 3, C 5, A 30, B 100, E 100.
    expect(result.map(({ customer_id, recency_days, frequency, monetary, rfm_code, rfm_score, segment, churn_risk }) => ({
      customer_id, recency_days, frequency, monetary, rfm_code, rfm_score, segment, churn_risk,
    }))).toEqual([
      { customer_id: 'A', recency_days: 1, frequency: 2, monetary: 30, rfm_code: '433', rfm_score: 3.3, segment: 'Loyal Customers', churn_risk: 'low' },
      { customer_id: 'B', recency_days: 6, frequency: 1, monetary: 100, rfm_code: '214', rfm_score: 2.2, segment: 'Others', churn_risk: 'high' },
      { customer_id: 'C', recency_days: 1, frequency: 1, monetary: 5, rfm_code: '522', rfm_score: 2.9, segment: 'Potential Loyalist', churn_risk: 'low' },
      { customer_id: 'D', recency_days: 7, frequency: 3, monetary: 3, rfm_code: '151', rfm_score: 2.6, segment: 'Others', churn_risk: 'high' },
      { customer_id: 'E', recency_days: 2, frequency: 2, monetary: 100, rfm_code: '345', rfm_score: 4, segment: 'Loyal Customers', churn_risk: 'medium' },
    ]);
  });

  it('counts recency to a given reference date and weighs the scores as asked', async () => {
    const result = await rows(rfmSql('tx', { columns, referenceDate: '2011-02-01', weights: [1, 0, 0] }));
    // A's last purchase was 2011-01-10: 22 days before 1 February; with weights 1/0/0 the score is R alone.
    expect(result.find((row) => row.customer_id === 'A')).toMatchObject({ recency_days: 22, rfm_score: 4 });
  });

  it('a single-purchase customer has frequency 1 and its invoice total as monetary', async () => {
    const result = await rows(rfmSql('tx', { columns }));
    expect(result.find((row) => row.customer_id === 'B')).toMatchObject({ frequency: 1, monetary: 100 });
  });

  it('the SQL and the segment map agree, and every segment can occur', () => {
    const seen = new Set<string>();
    for (let r = 1; r <= 5; r += 1) for (let f = 1; f <= 5; f += 1) for (let m = 1; m <= 5; m += 1) seen.add(segmentOf(r, f, m));
    expect([...seen].sort()).toEqual([...SEGMENT_RULES.map((rule) => rule.segment), 'Others'].sort());
    expect(segmentOf(5, 5, 5)).toBe('Champions');
    expect(segmentOf(1, 5, 5)).toBe("Can't Lose Them");
    expect(segmentOf(1, 1, 1)).toBe('Lost');
  });
});
