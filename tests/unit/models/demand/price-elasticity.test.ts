import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitLogLog, priceElasticities } from '../../../../src/models/demand/price-elasticity.ts';
import { frameFromIpc, frameToIpc, type Frame } from '../../../../src/models/kit/frame.ts';
import { openNodeDatabase } from '../../../../src/db/duckdb-node.ts';
import type { Database, ModelRunner } from '../../../../src/engine/ports.ts';
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

let lineDb: Database;
let cells = 0;
beforeAll(async () => {
  lineDb = await openNodeDatabase();
});
afterAll(async () => {
  await lineDb.close();
});

/** A model cell over `frame` as a DuckDB table, as the app runs it: the weekly aggregate in SQL, the fit in the runner. */
async function run(frame: Frame, params: Record<string, unknown>): Promise<Record<string, Frame>> {
  const id = ++cells;
  // The frame's dates are epoch milliseconds; the table holds them as the TIMESTAMPs a loaded file has.
  await lineDb.insertArrowIpc(`raw_${id}`, frameToIpc(frame));
  await lineDb.query(`CREATE TABLE lines_${id} AS SELECT * REPLACE (epoch_ms(CAST(invoice_date AS BIGINT)) AS invoice_date) FROM raw_${id}`);
  const cell = { id: `c${id}`, kind: 'model' as const, name: `elasticity_${id}`, source: JSON.stringify({ model: 'price_elasticity', input: `lines_${id}`, ...params }) };
  const output = await evaluateModel(lineDb, inProcessModelRunner, cell, { signal: new AbortController().signal, inputs: new Map(), dataNames: new Set() });
  if (output.kind !== 'table') throw new Error(`expected a table, got ${output.kind}`);
  const out: Record<string, Frame> = {};
  for (const suffix of ['', 'extremes', 'summary']) out[suffix] = frameFromIpc(await lineDb.exportArrowIpc(suffix === '' ? cell.name : `${cell.name}__${suffix}`));
  return out;
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

  it('a model cell over lines: weeks summed (Monday to Sunday), the price the quantity-weighted average, the same fit as statsmodels', async () => {
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
    const out = await run(frame, {});
    expect(out['']!.rowCount).toBe(1);
    expect(out['']!.columns.weeks).toEqual(Float64Array.of(20));
    expect((out['']!.columns.elasticity as Float64Array)[0]).toBeCloseTo(ols.params[1], 10);
    expect((out['']!.columns.ci_low as Float64Array)[0]).toBeCloseTo(ols.conf_int_05[1][0], 9);
    expect((out['']!.columns.r_squared as Float64Array)[0]).toBeCloseTo(ols.rsquared, 10);
  });

  it('recovers planted elasticities (−0.5, −1.2, −2.5) within their intervals, most elastic first, and skips products whose price did not vary', async () => {
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
    const frame: Frame = {
      rowCount: rows.length,
      columns: {
        product_id: rows.map((r) => r.product),
        invoice_date: Float64Array.from(rows, (r) => r.date),
        quantity: Float64Array.from(rows, (r) => r.quantity),
        unit_price: Float64Array.from(rows, (r) => r.price),
      },
    };
    const out = await run(frame, {});
    const fitted = out['']!.columns;
    expect(fitted.product_id).toEqual(['ELASTIC', 'MIDDLE', 'STEADY']);
    (fitted.product_id as string[]).forEach((product, row) => {
      const truth = planted[product]!;
      expect((fitted.ci_low as Float64Array)[row], product).toBeLessThan(truth);
      expect((fitted.ci_high as Float64Array)[row], product).toBeGreaterThan(truth);
      expect(Math.abs((fitted.elasticity as Float64Array)[row]! - truth), product).toBeLessThan(0.05);
      expect((fitted.weeks as Float64Array)[row]).toBe(52);
    });
    const summary = out.summary!.columns;
    expect([summary.groups, summary.too_few_weeks, summary.too_few_prices]).toEqual([Float64Array.of(5), Float64Array.of(1), Float64Array.of(1)]);
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

  it('fits per category with "by", and lists the most and least elastic in __extremes', async () => {
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
    const out = await run(frame, { by: 'category', top: 1 });
    expect(out['']!.columns.category).toEqual(['candles', 'bags', 'cards']);
    const elasticities = out['']!.columns.elasticity as Float64Array;
    [-2, -1, -0.4].forEach((truth, i) => expect(elasticities[i]).toBeCloseTo(truth, 10));
    expect(out.extremes!.columns.end).toEqual(['most elastic', 'least elastic']);
    expect(out.extremes!.columns.category).toEqual(['candles', 'cards']);
    expect(out.summary!.columns.fitted).toEqual(Float64Array.of(3));
  });

  it('leaves out service codes (postage) by default, and keeps them with "exclude_products": []', async () => {
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
    expect((await run(frame, {}))['']!.rowCount).toBe(0);
    expect((await run(frame, { exclude_products: [] }))['']!.columns.product_id).toEqual(['POST']);
  });

  it('refuses a confidence outside [0.5, 1) and too few weeks, naming the key', async () => {
    const frame: Frame = { rowCount: 0, columns: { product_id: [], invoice_date: new Float64Array(), quantity: new Float64Array(), unit_price: new Float64Array() } };
    await expect(run(frame, { confidence: 95 })).rejects.toThrow('"confidence" must be a level from 0.5 to below 1, e.g. 0.95; got 95');
    await expect(run(frame, { min_weeks: 1 })).rejects.toThrow('"min_weeks" must be a whole number from 3 to 10000; got 1');
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

  it('sends the runner one row per product, description and week, not the lines, and describes a product by its most common description', async () => {
    // 10 weeks × 30 lines of one product: 3 lines a week say "RED MUG", none say "Red mug" but week 0's 5 lines do.
    await db.query(`CREATE TABLE mugs AS SELECT 'M1' AS product_id, TIMESTAMP '2011-01-03 09:00' + INTERVAL (w * 7) DAY + INTERVAL (l) HOUR AS invoice_date,
      1.0 + l AS quantity, 1 + w * 0.1 AS unit_price, CASE WHEN w = 0 AND l < 5 THEN 'Red mug' WHEN l < 3 THEN 'RED MUG' ELSE NULL END AS description
      FROM range(10) a(w), range(30) b(l)`);
    const received: number[] = [];
    const counting: ModelRunner = {
      run(request, onProgress, signal) {
        received.push(...Object.values(request.inputs).map((ipc) => frameFromIpc(ipc).rowCount));
        return inProcessModelRunner.run(request, onProgress, signal);
      },
    };
    const cell = { id: 'c2', kind: 'model' as const, name: 'mug_elasticity', source: JSON.stringify({ model: 'price_elasticity', input: 'mugs' }) };
    await evaluateModel(db, counting, cell, { signal: new AbortController().signal, inputs: new Map(), dataNames: new Set() });
    // Week 0: "Red mug" (5 lines: hours 0–4) and null (25); weeks 1–9: "RED MUG" (3) and null (27): 2 + 9 × 2 rows.
    expect(received).toEqual([20]);
    const [row] = (await db.query('SELECT description, weeks FROM mug_elasticity')).toArray().map((r) => ({ ...r }) as Record<string, unknown>);
    // 27 lines say "RED MUG", 5 say "Red mug".
    expect(row).toEqual({ description: 'RED MUG', weeks: 10 });
  });

  it('names a mapped column the table lacks, and what it has, before any data moves', async () => {
    const cell = { id: 'c3', kind: 'model' as const, name: 'no_price', source: JSON.stringify({ model: 'price_elasticity', input: 'lines', columns: { product: 'code', date: 'sold', quantity: 'units' } }) };
    await expect(evaluateModel(db, inProcessModelRunner, cell, { signal: new AbortController().signal, inputs: new Map(), dataNames: new Set() })).rejects.toThrow(
      'the input has no column "unit_price" (it has code, sold, price, units)',
    );
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
