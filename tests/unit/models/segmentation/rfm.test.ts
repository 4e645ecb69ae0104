import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeDatabase } from '../../../../src/db/duckdb-node.ts';
import { readFileSync } from 'node:fs';
import { SEGMENT_RULES, rfmOptions, rfmSql, segmentOf, type Recency } from '../../../../src/models/segmentation/rfm.ts';
import { ParamError } from '../../../../src/models/kit/params.ts';
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
  // Purchases late in the day, where whole 24-hour periods and calendar days differ (rfm_pandas_reference.py).
  await db.query(`CREATE TABLE late AS SELECT customer_id, invoice_id, CAST(invoice_date AS TIMESTAMP) AS invoice_date, amount FROM (VALUES
    ('F1', 'j1', '2011-03-01 23:30', 5.0), ('F2', 'j2', '2011-03-05 08:00', 5.0), ('F3', 'j3', '2011-03-09 18:00', 5.0),
    ('F4', 'j4', '2011-03-10 06:00', 5.0), ('F5', 'j5', '2011-03-02 12:00', 5.0), ('F5', 'j6', '2011-03-08 21:15', 5.0),
    ('F6', 'j7', '2011-03-10 17:45', 5.0)
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

  describe('recency as pandas counts it (values recorded by tests/fixtures/models/rfm_pandas_reference.py)', () => {
    type Case = { snapshot: string; reference_date?: string; elapsed_days: Record<string, number>; calendar_days: Record<string, number> };
    const pandas = JSON.parse(readFileSync(new URL('../../../fixtures/models/rfm-pandas.json', import.meta.url), 'utf8')) as Record<string, Case>;
    const cases: [string, string][] = [['tx', 'lines_default'], ['tx', 'lines_given'], ['late', 'late_default'], ['late', 'late_given']];
    for (const [table, key] of cases) {
      for (const recency of ['elapsed_days', 'calendar_days'] as const satisfies readonly Recency[]) {
        it(`${recency} on ${key} (snapshot ${pandas[key]!.snapshot})`, async () => {
          const reference = pandas[key]!.reference_date;
          const options = rfmOptions({ recency, ...(reference === undefined ? {} : { reference_date: reference }) });
          const result = await rows(rfmSql(table, options));
          expect(Object.fromEntries(result.map((row) => [row.customer_id, row.recency_days]))).toEqual(pandas[key]![recency]);
        });
      }
    }

    it('the two counts differ where a purchase was later in the day than the snapshot', () => {
      const late = pandas.late_default!;
      expect(late.elapsed_days.F1).toBe(9); // 9 days 18¼ hours before 2011-03-11 17:45
      expect(late.calendar_days.F1).toBe(10); // 1 March to 11 March
    });

    it('calendar_days stays the default, so saved notebooks keep their figures', async () => {
      const result = await rows(rfmSql('late', rfmOptions({})));
      expect(result.map((row) => row.recency_days)).toEqual([10, 6, 2, 1, 3, 1]);
    });

    it('refuses an unknown recency and a reference date that is neither a date nor a timestamp', () => {
      expect(() => rfmOptions({ recency: 'days' })).toThrow(/"recency" must be one of calendar_days, elapsed_days/);
      expect(() => rfmOptions({ reference_date: '10/12/2011' })).toThrow(ParamError);
      expect(() => rfmOptions({ reference_date: '10/12/2011' })).toThrow(/a timestamp like 2011-12-10 12:00/);
      expect(rfmOptions({ reference_date: '2011-12-10T12:00:30' }).referenceDate).toBe('2011-12-10T12:00:30');
    });
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
