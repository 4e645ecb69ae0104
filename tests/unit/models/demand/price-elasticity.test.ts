import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitLogLog, priceElasticities, weeklyByGroup } from '../../../../src/models/demand/price-elasticity.ts';
import { runModel } from '../../../../src/models/registry.ts';
import { frameFromIpc, frameToIpc, type Frame } from '../../../../src/models/kit/frame.ts';
import { openNodeDatabase } from '../../../../src/db/duckdb-node.ts';
import type { Database } from '../../../../src/engine/ports.ts';
import { evaluateModel } from '../../../../src/engine/evaluate/model.ts';
import { inProcessModelRunner } from '../../../../src/workers/node-runner.ts';

interface StatsmodelsOls {
  prices: number[];
  quantities: number[];
  params: [number, number];
  bse: [number, number];
  conf_int_05: [[number, number], [number, number]];
  conf_int_10: [[number, number], [number, number]];
  rsquared: number;
}
const ols = (JSON.parse(readFileSync(new URL('../../../fixtures/models/demand-reference.json', import.meta.url), 'utf8')) as { elasticity: StatsmodelsOls }).elasticity;

const DAY = 86_400_000;
/** Monday 2011-01-03, in epoch milliseconds. */
const MONDAY = Date.UTC(2011, 0, 3);

/** Seeded uniform numbers in [0, 1) (mulberry32), for planted data independent of the code under test. */
function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function run(frame: Frame, params: Record<string, unknown>): Record<string, Frame> {
  const out = runModel('price_elasticity', { model: 'price_elasticity', ...params }, [frameToIpc(frame)], {});
  return Object.fromEntries(Object.entries(out).map(([suffix, ipc]) => [suffix, frameFromIpc(ipc)]));
}

describe('price elasticity', () => {
  it('fits ln Q on ln P as statsmodels OLS does: slope, standard error, t interval at 95% and 90%, R²', () => {
    const points = ols.prices.map((price, week) => ({ week, price, quantity: ols.quantities[week]! }));
    const fit = fitLogLog(points);
    expect(fit.intercept).toBeCloseTo(ols.params[0], 10);
    expect(fit.elasticity).toBeCloseTo(ols.params[1], 10);
    expect(fit.standardError).toBeCloseTo(ols.bse[1], 10);
    expect(fit.ciLow).toBeCloseTo(ols.conf_int_05[1][0], 9);
    expect(fit.ciHigh).toBeCloseTo(ols.conf_int_05[1][1], 9);
    expect(fit.rSquared).toBeCloseTo(ols.rsquared, 10);
    const ninety = fitLogLog(points, 0.9);
    expect(ninety.ciLow).toBeCloseTo(ols.conf_int_10[1][0], 9);
    expect(ninety.ciHigh).toBeCloseTo(ols.conf_int_10[1][1], 9);
  });

  it('a model cell over lines: weeks summed (Monday to Sunday), the price the quantity-weighted average, the same fit as statsmodels', () => {
    // Each recorded week split into two lines on Monday and Sunday at the same price: the week's quantity is their sum.
    const rows = ols.prices.flatMap((price, week) => {
      const quantity = ols.quantities[week]!;
      const first = Math.floor(quantity / 2);
      return [
        { date: MONDAY + week * 7 * DAY, quantity: first, price },
        { date: MONDAY + (week * 7 + 6) * DAY + 3_600_000, quantity: quantity - first, price },
      ];
    });
    const frame: Frame = {
      rowCount: rows.length,
      columns: {
        product_id: rows.map(() => 'P1'),
        invoice_date: Float64Array.from(rows, (row) => row.date),
        quantity: Float64Array.from(rows, (row) => row.quantity),
        unit_price: Float64Array.from(rows, (row) => row.price),
      },
    };
    const out = run(frame, {});
    expect(out['']!.rowCount).toBe(1);
    expect(out['']!.columns.weeks).toEqual(Float64Array.of(20));
    expect((out['']!.columns.elasticity as Float64Array)[0]).toBeCloseTo(ols.params[1], 10);
    expect((out['']!.columns.ci_low as Float64Array)[0]).toBeCloseTo(ols.conf_int_05[1][0], 9);
    expect((out['']!.columns.r_squared as Float64Array)[0]).toBeCloseTo(ols.rsquared, 10);
  });

  it('recovers planted elasticities (−0.5, −1.2, −2.5) within their intervals, most elastic first, and skips products whose price did not vary', () => {
    const random = uniform(7);
    const planted: Record<string, number> = { STEADY: -0.5, MIDDLE: -1.2, ELASTIC: -2.5 };
    const rows: { product: string; date: number; quantity: number; price: number }[] = [];
    for (let week = 0; week < 52; week++) {
      for (const [product, elasticity] of Object.entries(planted)) {
        const price = Math.round((1 + 2 * random()) * 100) / 100;
        // ln Q = 5 + e ln P + noise (uniform, sd ≈ 0.06), split over three lines of one price in the week.
        const quantity = Math.exp(5 + elasticity * Math.log(price) + 0.2 * (random() - 0.5));
        for (let line = 0; line < 3; line++) rows.push({ product, date: MONDAY + (week * 7 + line * 2) * DAY, quantity: quantity / 3, price });
      }
      rows.push({ product: 'FIXED', date: MONDAY + week * 7 * DAY, quantity: 10 + (week % 5), price: 2.5 });
      if (week % 10 === 0) rows.push({ product: 'RARE', date: MONDAY + week * 7 * DAY, quantity: 3, price: 1 + week / 10 });
    }
    const weekly = weeklyByGroup(rows.map((r) => r.product), Float64Array.from(rows, (r) => r.date), Float64Array.from(rows, (r) => r.quantity), Float64Array.from(rows, (r) => r.price));
    const result = priceElasticities(weekly, { minWeeks: 8, minPrices: 3, confidence: 0.95 });
    expect(result.fitted.map((fit) => fit.group)).toEqual(['ELASTIC', 'MIDDLE', 'STEADY']);
    for (const fit of result.fitted) {
      const truth = planted[fit.group]!;
      expect(fit.ciLow, fit.group).toBeLessThan(truth);
      expect(fit.ciHigh, fit.group).toBeGreaterThan(truth);
      expect(Math.abs(fit.elasticity - truth), fit.group).toBeLessThan(0.05);
      expect(fit.weeks).toBe(52);
    }
    expect(result).toMatchObject({ groups: 5, tooFewWeeks: 1, tooFewPrices: 1 });
  });

  it('counts a weekly average at a half penny as one price, whichever way its last bit fell', () => {
    // 1.235 summed in two row orders: 1.2349999999999999 and 1.2350000000000001 (one ulp apart), both 123.5 pennies.
    const below = 1.2349999999999999;
    const above = 1.2350000000000001;
    expect(Math.round(below * 100)).not.toBe(Math.round(above * 100));
    const points = [below, above, 2, 2].map((price, week) => ({ week, quantity: 10 + week, price }));
    const result = priceElasticities(new Map([['P', points]]), { minWeeks: 3, minPrices: 3, confidence: 0.95 });
    expect(result).toMatchObject({ groups: 1, tooFewPrices: 1 });
    expect(result.fitted).toEqual([]);
  });

  it('fits per category with "by", and lists the most and least elastic in __extremes', () => {
    const random = uniform(11);
    const rows: { product: string; category: string; date: number; quantity: number; price: number }[] = [];
    const products = [['A1', 'candles', -2], ['A2', 'candles', -2], ['B1', 'cards', -0.4], ['C1', 'bags', -1]] as const;
    for (let week = 0; week < 30; week++) {
      // One price per category and week, so the category's average price is that price.
      const prices = new Map(['candles', 'cards', 'bags'].map((category) => [category, 1 + random() * 3]));
      for (const [product, category, elasticity] of products) {
        const price = prices.get(category)!;
        rows.push({ product, category, date: MONDAY + week * 7 * DAY, quantity: Math.exp(4 + elasticity * Math.log(price)), price });
      }
    }
    const frame: Frame = {
      rowCount: rows.length,
      columns: {
        product_id: rows.map((r) => r.product),
        category: rows.map((r) => r.category),
        invoice_date: Float64Array.from(rows, (r) => r.date),
        quantity: Float64Array.from(rows, (r) => r.quantity),
        unit_price: Float64Array.from(rows, (r) => r.price),
      },
    };
    const out = run(frame, { by: 'category', top: 1 });
    expect(out['']!.columns.category).toEqual(['candles', 'bags', 'cards']);
    const elasticities = out['']!.columns.elasticity as Float64Array;
    [-2, -1, -0.4].forEach((truth, i) => expect(elasticities[i]).toBeCloseTo(truth, 10));
    expect(out.extremes!.columns.end).toEqual(['most elastic', 'least elastic']);
    expect(out.extremes!.columns.category).toEqual(['candles', 'cards']);
    expect(out.summary!.columns.fitted).toEqual(Float64Array.of(3));
  });

  it('leaves out service codes (postage) by default, and keeps them with "exclude_products": []', () => {
    const rows = Array.from({ length: 10 }, (_, week) => ({ date: MONDAY + week * 7 * DAY, quantity: 20 - week, price: 1 + week / 4 }));
    const frame: Frame = {
      rowCount: rows.length,
      columns: {
        product_id: rows.map(() => 'POST'),
        invoice_date: Float64Array.from(rows, (r) => r.date),
        quantity: Float64Array.from(rows, (r) => r.quantity),
        unit_price: Float64Array.from(rows, (r) => r.price),
      },
    };
    expect(run(frame, {})['']!.rowCount).toBe(0);
    expect(run(frame, { exclude_products: [] })['']!.columns.product_id).toEqual(['POST']);
  });

  it('refuses a confidence outside [0.5, 1) and too few weeks, naming the key', () => {
    const frame: Frame = { rowCount: 0, columns: { product_id: [], invoice_date: new Float64Array(), quantity: new Float64Array(), unit_price: new Float64Array() } };
    expect(() => run(frame, { confidence: 95 })).toThrow('"confidence" must be a level from 0.5 to below 1, e.g. 0.95; got 95');
    expect(() => run(frame, { min_weeks: 1 })).toThrow('"min_weeks" must be a whole number from 3 to 10000; got 1');
  });
});

describe('price elasticity as a model cell', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openNodeDatabase();
    // Q = 100 · P^-1.5 exactly, one line a week for 10 weeks on a mapped table.
    await db.query(`CREATE TABLE lines AS SELECT 'X' AS code, TIMESTAMP '2011-01-03 10:00' + INTERVAL (w * 7) DAY AS sold,
      1 + w * 0.25 AS price, 100 * pow(1 + w * 0.25, -1.5) AS units FROM range(10) t(w)`);
  });
  afterAll(async () => {
    await db.close();
  });

  it('runs from a DuckDB table with mapped columns and gives back the planted −1.5 with R² 1', async () => {
    const cell = { id: 'c1', kind: 'model' as const, name: 'elasticity', source: JSON.stringify({ model: 'price_elasticity', input: 'lines', columns: { product: 'code', date: 'sold', quantity: 'units', price: 'price' } }) };
    const output = await evaluateModel(db, inProcessModelRunner, cell, { signal: new AbortController().signal, inputs: new Map(), dataNames: new Set() });
    expect(output).toMatchObject({ kind: 'table', table: 'elasticity' });
    const [row] = (await db.query('SELECT product_id, elasticity, r_squared, weeks, distinct_prices FROM elasticity')).toArray().map((r) => ({ ...r }) as Record<string, unknown>);
    expect(row!.product_id).toBe('X');
    expect(row!.elasticity as number).toBeCloseTo(-1.5, 12);
    expect(row!.r_squared as number).toBeCloseTo(1, 12);
    expect([row!.weeks, row!.distinct_prices]).toEqual([10, 10]);
  });
});
