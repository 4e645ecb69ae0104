import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeDatabase } from '../../../../src/db/duckdb-node.ts';
import { repurchaseWaits } from '../../../../src/models/demand/repurchase.ts';
import { checkModelSpec } from '../../../../src/models/registry.ts';
import type { Database } from '../../../../src/engine/ports.ts';
import { evaluateModel } from '../../../../src/engine/evaluate/model.ts';
import { inProcessModelRunner } from '../../../../src/workers/node-runner.ts';

// Purchases (the data ends on 1 Feb 2011, the last day with a customer):
//   C1 UK: 1 Jan (two invoices), 11 Jan, 1 Feb → bought again after 10 days
//   C2 FR: 5 Jan only → cut off after 27 days
//   C3 UK: 20 Jan 23:00, 21 Jan 00:30 → 1 day (calendar days, not 24-hour spans)
//   C4: 15 Jan (UK), 3 Jan (FR), lines out of order → first purchase 3 Jan in FR, again after 12 days
//   C5 UK: 31 Jan only → cut off after 1 day
//   a line without a customer on 20 Feb is left out, and does not move the end of the data.
const LINES = `('C1', 'UK', '2011-01-01 09:00'), ('C1', 'UK', '2011-01-01 15:00'), ('C1', 'UK', '2011-01-11 10:00'), ('C1', 'UK', '2011-02-01 10:00'),
  ('C2', 'FR', '2011-01-05 12:00'), ('C3', 'UK', '2011-01-20 23:00'), ('C3', 'UK', '2011-01-21 00:30'),
  ('C4', 'UK', '2011-01-15 08:00'), ('C4', 'FR', '2011-01-03 08:00'), ('C5', 'UK', '2011-01-31 18:00'), (NULL, 'UK', '2011-02-20 10:00')`;

let db: Database;
beforeAll(async () => {
  db = await openNodeDatabase();
  await db.query(`CREATE TABLE sales AS SELECT c AS customer_id, k AS country, CAST(t AS TIMESTAMP) AS invoice_date FROM (VALUES ${LINES}) v(c, k, t)`);
});
afterAll(async () => {
  await db.close();
});

async function rows(sql: string) {
  return (await db.query(sql)).toArray().map((row) => ({ ...row }) as Record<string, unknown>);
}

async function runCell(name: string, spec: Record<string, unknown>) {
  const cell = { id: name, kind: 'model' as const, name, source: JSON.stringify({ model: 'time_to_repurchase', input: 'sales', ...spec }) };
  return evaluateModel(db, inProcessModelRunner, cell, { signal: new AbortController().signal, inputs: new Map(), dataNames: new Set() });
}

describe('time to repurchase', () => {
  it('waits from the first purchase day to the second, or to the end of the data for a one-day customer, as worked by hand', () => {
    const day = (iso: string) => Date.parse(`${iso}Z`);
    const lines = [
      ['C1', 'UK', '2011-01-01T09:00'], ['C1', 'UK', '2011-01-01T15:00'], ['C1', 'UK', '2011-01-11T10:00'], ['C1', 'UK', '2011-02-01T10:00'],
      ['C2', 'FR', '2011-01-05T12:00'], ['C3', 'UK', '2011-01-20T23:00'], ['C3', 'UK', '2011-01-21T00:30'],
      ['C4', 'UK', '2011-01-15T08:00'], ['C4', 'FR', '2011-01-03T08:00'], ['C5', 'UK', '2011-01-31T18:00'], [null, 'UK', '2011-02-20T10:00'],
    ] as const;
    const waits = repurchaseWaits(lines.map((l) => l[0]), Float64Array.from(lines, (l) => day(l[2])), lines.map((l) => l[1]));
    expect(waits).toEqual([
      { customer: 'C1', group: 'UK', days: 10, repurchased: true },
      { customer: 'C2', group: 'FR', days: 27, repurchased: false },
      { customer: 'C3', group: 'UK', days: 1, repurchased: true },
      { customer: 'C4', group: 'FR', days: 12, repurchased: true },
      { customer: 'C5', group: 'UK', days: 1, repurchased: false },
    ]);
  });

  it('runs as a model cell: one Kaplan–Meier curve with its median (by hand: S = 1, .8, .533, .267, .267 at 0, 1, 10, 12, 27 days)', async () => {
    expect(await runCell('repurchase', {})).toMatchObject({ kind: 'table', table: 'repurchase' });
    const curve = await rows('SELECT "group", day, at_risk, repurchased, censored, survival FROM repurchase ORDER BY day');
    expect(curve.map((r) => [r.group, r.day, r.at_risk, r.repurchased, r.censored])).toEqual([
      ['all', 0, 5, 0, 0],
      ['all', 1, 5, 1, 1],
      ['all', 10, 3, 1, 0],
      ['all', 12, 2, 1, 0],
      ['all', 27, 1, 0, 1],
    ]);
    [1, 0.8, 0.8 * (2 / 3), 0.8 * (2 / 3) * 0.5, 0.8 * (2 / 3) * 0.5].forEach((s, i) => expect(curve[i]!.survival).toBeCloseTo(s, 14));
    expect(await rows('SELECT "group", customers, repurchased, censored, median_days FROM repurchase__summary')).toEqual([{ group: 'all', customers: 5, repurchased: 3, censored: 2, median_days: 12 }]);
  });

  it('draws a curve per value of "by" (its value on the first purchase day), largest group first, with a median per group', async () => {
    await runCell('by_country', { by: 'country' });
    // UK: C1 10, C3 1, C5 1 cut off → S(1) = 2/3, S(10) = 0, median 10. FR: C4 12, C2 27 cut off → S(12) = 1/2, median 12.
    const summary = await rows('SELECT country, customers, repurchased, median_days FROM by_country__summary');
    expect(summary).toEqual([
      { country: 'UK', customers: 3, repurchased: 2, median_days: 10 },
      { country: 'FR', customers: 2, repurchased: 1, median_days: 12 },
    ]);
    const uk = await rows(`SELECT day, survival, lower, upper FROM by_country WHERE country = 'UK' ORDER BY day`);
    expect(uk.map((r) => r.day)).toEqual([0, 1, 10]);
    expect(uk[1]!.survival).toBeCloseTo(2 / 3, 14);
    expect(uk[2]!).toMatchObject({ survival: 0, lower: 0, upper: 0 });
  });

  it('leaves a median it never reaches NULL, and checks its spec', async () => {
    await runCell('late', { columns: { customer: 'customer_id', date: 'invoice_date' }, confidence: 0.9 });
    expect(checkModelSpec('time_to_repurchase', { by: 'segment', confidence: 0.9 }).kind).toBe('worker');
    expect(() => checkModelSpec('time_to_repurchase', { bye: 'segment' })).toThrow('unknown key "bye" for model time_to_repurchase (did you mean "by"?)');
    await db.query(`CREATE TABLE single AS SELECT * FROM (VALUES ('A', TIMESTAMP '2011-01-01'), ('B', TIMESTAMP '2011-01-02'), ('A', TIMESTAMP '2011-01-05'), ('C', TIMESTAMP '2011-01-01')) v(customer_id, invoice_date)`);
    const cell = { id: 's', kind: 'model' as const, name: 'single_curve', source: '{"model": "time_to_repurchase", "input": "single"}' };
    await evaluateModel(db, inProcessModelRunner, cell, { signal: new AbortController().signal, inputs: new Map(), dataNames: new Set() });
    // A bought again after 4 days, B was cut off after 3 and C after 4: S(4) = 1/2, so the median is 4. Greenwood's V = 1/(2·1),
    // so the band at day 4 is exp(−exp(log(log 2) ± 1.96·√½ / log ½)) = 0.0060 … 0.9104: the upper curve never reaches 1/2.
    expect(await rows('SELECT median_days, median_lower, median_upper FROM single_curve__summary')).toEqual([{ median_days: 4, median_lower: 4, median_upper: null }]);
    const [atFour] = await rows('SELECT lower, upper FROM single_curve WHERE day = 4');
    const z = 1.959963984540054;
    expect(atFour!.lower).toBeCloseTo(Math.exp(-Math.exp(Math.log(Math.LN2) + (z * Math.sqrt(0.5)) / Math.LN2)), 12);
    expect(atFour!.upper).toBeCloseTo(Math.exp(-Math.exp(Math.log(Math.LN2) - (z * Math.sqrt(0.5)) / Math.LN2)), 12);
  });
});
