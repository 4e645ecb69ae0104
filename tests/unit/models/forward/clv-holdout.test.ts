import { describe, expect, it } from 'vitest';
import { calibrationAndHoldout, holdoutByFrequency } from '../../../../src/models/forward/clv-holdout.ts';
import { purchaseDays } from '../../../../src/models/forward/clv-summary.ts';
import { fitBgNbd } from '../../../../src/models/forward/clv.ts';
import { fitParetoNbd } from '../../../../src/models/forward/pareto-nbd.ts';
import { conditionalPurchases } from '../../../../src/models/forward/clv-value.ts';
import { lifetimeValueTables } from '../../../../src/models/forward/clv-run.ts';
import { FORWARD_MODELS } from '../../../../src/models/forward/cells.ts';
import lifetimes from '../../../fixtures/models/clv-lifetimes.json';

// lifetimes 0.11.3 on the CDNOW sample's transactions (tests/fixtures/models/clv_reference.py): calibration_and_holdout_data
// to 1997-09-30 / 1998-06-30 with freq 'D', BG/NBD and Pareto/NBD fitted on the calibration days, and the means that
// plot_calibration_purchases_vs_holdout_purchases draws (frequencies 7 and over pooled).
const daily = lifetimes.daily;
const DAY = 86_400_000;
const start = Date.parse('1997-01-01T00:00:00Z');
const tx = lifetimes.transactions;
const customers = tx.customer.map(String);
const times = tx.day.map((day) => start + day * DAY + 10 * 3_600_000); // mid-morning: the day is what counts
const calibrationEnd = Date.parse('1997-09-30T00:00:00Z');
const split = calibrationAndHoldout(purchaseDays(customers, times, tx.amount), calibrationEnd);
const relative = (actual: number, expected: number) => Math.abs(actual - expected) / Math.abs(expected);

describe('calibrationAndHoldout', () => {
  it('gives lifetimes’ calibration summary and holdout counts on CDNOW', () => {
    expect(split.calibration.ids.length).toBe(daily.customers);
    expect(split.holdoutDays).toBe(daily.duration_holdout);
    for (const reference of daily.first_customers) {
      const i = split.calibration.ids.indexOf(String(reference.customer));
      expect([split.calibration.frequency[i], split.calibration.recency[i], split.calibration.age[i], split.holdoutPurchases[i]]).toEqual([
        reference.frequency_cal, reference.recency_cal, reference.T_cal, reference.frequency_holdout,
      ]);
    }
    // every bucket's customer count and mean holdout purchases, exactly
    const buckets = holdoutByFrequency(split.calibration.frequency, split.holdoutPurchases, new Float64Array(split.holdoutPurchases.length));
    expect(buckets.map((bucket) => [bucket.customers, bucket.actual])).toEqual(daily.holdout_by_frequency.map((row) => [row.customers, row.actual]));
    expect(buckets.map((bucket) => bucket.frequency)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7+']);
  });

  it('by hand: the calibration day is whole, a first purchase in the holdout is left out, a free day counts, a return does not', () => {
    const t = (iso: string) => Date.parse(`${iso}Z`);
    const lines = [
      ['A', '2011-01-01T09:00:00', 10], ['A', '2011-01-10T23:00:00', 5], // both calibration: the 10th is the calibration end
      ['A', '2011-01-12T09:00:00', 0], ['A', '2011-01-15T09:00:00', 7], ['A', '2011-01-18T09:00:00', -4], // free, paid, return
      ['B', '2011-01-05T09:00:00', 3],
      ['C', '2011-01-11T09:00:00', 9], ['C', '2011-01-20T09:00:00', 9], // first bought in the holdout
    ] as const;
    const { calibration, holdoutPurchases, holdoutDays } = calibrationAndHoldout(
      purchaseDays(lines.map((line) => line[0]), lines.map((line) => t(line[1])), lines.map((line) => line[2])),
      t('2011-01-10T00:00:00'),
    );
    expect(calibration.ids).toEqual(['A', 'B']);
    expect(Array.from(calibration.frequency)).toEqual([1, 0]);
    expect(Array.from(calibration.recency)).toEqual([9, 0]);
    expect(Array.from(calibration.age)).toEqual([9, 5]);
    expect(Array.from(holdoutPurchases)).toEqual([2, 0]);
    expect(holdoutDays).toBe(10); // 10 Jan → 20 Jan, the last day in the data
  });

  it('refuses a calibration end that leaves no holdout, or no customer, naming the dates', () => {
    const days = purchaseDays(['A', 'A'], [Date.parse('2011-01-01T09:00:00Z'), Date.parse('2011-01-05T09:00:00Z')], [1, 2]);
    expect(() => calibrationAndHoldout(days, Date.parse('2011-01-05T00:00:00Z'))).toThrow(/calibration end 2011-01-05 leaves no holdout: the data ends on 2011-01-05/);
    expect(() => calibrationAndHoldout(days, Date.parse('2010-12-01T00:00:00Z'))).toThrow(/no customer bought by the calibration end 2010-12-01/);
  });
});

describe('fits on the calibration days', () => {
  const bgNbd = fitBgNbd(split.calibration);
  const paretoNbd = fitParetoNbd(split.calibration);

  it('find lifetimes’ BG/NBD and Pareto/NBD parameters and log-likelihoods', () => {
    for (const name of ['r', 'alpha', 'a', 'b'] as const) expect(relative(bgNbd[name], daily.bgnbd[name])).toBeLessThan(1e-4);
    expect(relative(bgNbd.logLikelihood, daily.bgnbd.log_likelihood)).toBeLessThan(1e-9);
    for (const name of ['r', 'alpha', 's', 'beta'] as const) {
      expect(relative(paretoNbd[name], daily.paretonbd_lifetimes[name])).toBeLessThan(1e-3);
      expect(relative(paretoNbd[name], daily.paretonbd_refined[name])).toBeLessThan(1e-5);
    }
    expect(relative(paretoNbd.logLikelihood, daily.paretonbd_refined.log_likelihood)).toBeLessThan(1e-10);
  });

  it('expect lifetimes’ holdout purchases, customer by customer and by calibration frequency', () => {
    const { calibration } = split;
    const expectedUnder = (model: Parameters<typeof conditionalPurchases>[0]) =>
      calibration.frequency.map((x, i) => conditionalPurchases(model, x, calibration.recency[i] as number, calibration.age[i] as number, split.holdoutDays));
    // at lifetimes' own parameters, the formulas agree to rounding
    const atTheirs = {
      bgnbd: holdoutByFrequency(calibration.frequency, split.holdoutPurchases, expectedUnder(daily.bgnbd)),
      paretonbd: holdoutByFrequency(calibration.frequency, split.holdoutPurchases, expectedUnder(daily.paretonbd_refined)),
    };
    daily.holdout_by_frequency.forEach((row, k) => {
      expect(relative(atTheirs.bgnbd[k]!.expected, row.bgnbd)).toBeLessThan(1e-10);
      expect(relative(atTheirs.paretonbd[k]!.expected, row.paretonbd)).toBeLessThan(1e-10);
    });
    // at our fitted parameters, within the fits' agreement
    const ours = holdoutByFrequency(calibration.frequency, split.holdoutPurchases, expectedUnder(bgNbd));
    daily.holdout_by_frequency.forEach((row, k) => expect(relative(ours[k]!.expected, row.bgnbd)).toBeLessThan(1e-4));
    for (const reference of daily.first_customers) {
      const i = calibration.ids.indexOf(String(reference.customer));
      expect(relative(expectedUnder(daily.paretonbd_refined)[i] as number, reference.paretonbd)).toBeLessThan(1e-10);
    }
  });
});

describe('lifetimeValueTables with a calibration end and purchase model "auto"', () => {
  const tables = lifetimeValueTables(customers, times, tx.amount, { months: 12, monthlyDiscountRate: 0.01, penalizer: 0, model: 'auto', calibrationEnd });

  it('fits both purchase models, names the one with the higher log-likelihood (BG/NBD on CDNOW) and gives both', () => {
    const summary = tables.summary!.columns;
    expect(summary.model).toEqual(['BG/NBD', 'Pareto/NBD']);
    expect(summary.selected).toEqual(['yes', 'no']);
    const ll = summary.log_likelihood as Float64Array;
    expect(relative(ll[0] as number, daily.bgnbd.log_likelihood)).toBeLessThan(1e-9);
    expect(relative(ll[1] as number, daily.paretonbd_refined.log_likelihood)).toBeLessThan(1e-10);
    expect((summary.reason as string[])[0]).toBe('higher log-likelihood on the calibration data (-14363.53 vs -14376.08 for Pareto/NBD)');
    const parameters = tables.parameters!.columns;
    expect((parameters.model as string[]).filter((model) => model === 'Pareto/NBD').length).toBe(4);
  });

  it('outputs the calibration-vs-holdout table and each customer’s holdout purchases', () => {
    const calibration = tables.calibration!.columns;
    expect(calibration.frequency).toEqual(['0', '1', '2', '3', '4', '5', '6', '7+']);
    expect(Array.from(calibration.customers as Int32Array)).toEqual(daily.holdout_by_frequency.map((row) => row.customers));
    daily.holdout_by_frequency.forEach((row, k) => {
      expect((calibration.actual_purchases as Float64Array)[k]).toBeCloseTo(row.actual, 12);
      expect(relative((calibration.expected_purchases as Float64Array)[k] as number, row.bgnbd)).toBeLessThan(1e-4);
    });
    expect(Array.from(calibration.holdout_days as Int32Array).every((days) => days === 273)).toBe(true);
    const main = tables['']!.columns;
    expect(tables['']!.rowCount).toBe(2357);
    const holdout = main.holdout_purchases as Float64Array;
    expect(holdout.reduce((total, x) => total + x, 0)).toBe(daily.holdout_by_frequency.reduce((total, row) => total + row.actual * row.customers, 0));
  });
});

describe('the clv cell', () => {
  const clv = FORWARD_MODELS.find((model) => model.name === 'clv');
  if (clv?.kind !== 'worker') throw new Error('clv is a worker model');
  const input = { rowCount: customers.length, columns: { customer_id: customers, invoice_date: Float64Array.from(times), amount: Float64Array.from(tx.amount) } };

  it('reads calibration_end and purchase_model from the spec, and names a bad value', () => {
    const tables = clv.run([input], { model: 'clv', calibration_end: '1997-09-30', purchase_model: 'paretonbd' }, {});
    expect(tables.summary!.columns.model).toEqual(['Pareto/NBD']);
    expect(tables.calibration!.rowCount).toBe(8);
    expect(() => clv.run([input], { calibration_end: '30/09/1997' }, {})).toThrow(/"calibration_end" must be a date like 2011-09-30; got "30\/09\/1997"/);
    expect(() => clv.run([input], { calibration_end: '1998-06-30' }, {})).toThrow(/"calibration_end": the calibration end 1998-06-30 leaves no holdout: the data ends on 1998-06-30/);
    expect(() => clv.run([input], { model: 'clv', purchase_model: 'pareto' }, {})).toThrow(/"purchase_model" must be one of bgnbd, paretonbd, auto; got "pareto"/);
  });

  it('holdout_days counts back from the last day of the data: 273 days before 1998-06-30 is 1997-09-30 (by hand)', () => {
    const byDate = clv.run([input], { model: 'clv', calibration_end: '1997-09-30' }, {});
    const byDays = clv.run([input], { model: 'clv', holdout_days: 273 }, {});
    expect(byDays.calibration!.columns).toEqual(byDate.calibration!.columns);
    expect(() => clv.run([input], { calibration_end: '1997-09-30', holdout_days: 273 }, {})).toThrow(/give "calibration_end" or "holdout_days", not both/);
    expect(() => clv.run([input], { holdout_days: 0 }, {})).toThrow(/"holdout_days" must be a whole number from 1 to 3650; got 0/);
  });

  it('without a calibration end fits on every day, BG/NBD by default, and makes no calibration table', () => {
    const tables = clv.run([input], { model: 'clv' }, {});
    expect(tables.summary!.columns.model).toEqual(['BG/NBD']);
    expect(tables.summary!.columns.reason).toEqual(['asked for BG/NBD']);
    expect(tables.calibration).toBeUndefined();
    expect(Object.keys(tables['']!.columns)).not.toContain('holdout_purchases');
  });
});
