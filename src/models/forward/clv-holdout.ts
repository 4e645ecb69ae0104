/**
 * A calibration / holdout split of the purchase days, as lifetimes' `calibration_and_holdout_data(freq='D')`, and the
 * check lifetimes draws with `plot_calibration_purchases_vs_holdout_purchases`: by calibration frequency, the mean
 * purchases customers made in the holdout against the mean the model expected.
 */
import { isPurchase, startOfDay, summariseDays, type CustomerSummaryTable, type PurchaseDays } from './clv-summary.ts';

const DAY = 86_400_000;

export interface CalibrationHoldout {
  /** The summary up to the calibration end: the customers who had bought by then, T counted to it. */
  readonly calibration: CustomerSummaryTable;
  /** Per calibration customer, purchase days after the calibration end up to the observation end. */
  readonly holdoutPurchases: Float64Array;
  /** Days from the calibration end to the observation end: the horizon the model predicts. */
  readonly holdoutDays: number;
}

/**
 * Splits at `calibrationEnd` (the whole of that UTC day is calibration) and ends the holdout at `observationEnd`
 * (default: the last day in the data). A purchase day is one whose lines sum to ≥ 0, in both periods. Customers whose
 * first purchase is in the holdout are left out, as lifetimes does: the model has nothing to go on for them.
 */
export function calibrationAndHoldout(purchases: PurchaseDays, calibrationEnd: number, observationEnd?: number): CalibrationHoldout {
  const calibrationDay = startOfDay(calibrationEnd);
  const lastDay = observationEnd === undefined ? purchases.lastDay : startOfDay(observationEnd);
  const iso = (day: number) => new Date(day).toISOString().slice(0, 10);
  if (!(calibrationDay < lastDay)) throw new RangeError(`the calibration end ${iso(calibrationDay)} leaves no holdout: the data ends on ${iso(lastDay)}`);
  const calibration = summariseDays(purchases, calibrationDay);
  if (calibration.ids.length === 0) throw new RangeError(`no customer bought by the calibration end ${iso(calibrationDay)}`);
  const holdoutPurchases = Float64Array.from(calibration.ids, (id) => {
    let count = 0;
    for (const [day, total] of purchases.days.get(id) ?? []) if (day > calibrationDay && day <= lastDay && isPurchase(total)) count++;
    return count;
  });
  return { calibration, holdoutPurchases, holdoutDays: (lastDay - calibrationDay) / DAY };
}

export interface HoldoutBucket {
  /** The calibration frequency, "0", "1", …, and the last bucket "7+". */
  readonly frequency: string;
  readonly customers: number;
  /** Mean purchase days in the holdout. */
  readonly actual: number;
  /** Mean expected purchases over the holdout, from the model fitted on the calibration period. */
  readonly expected: number;
}

/**
 * Customers grouped by calibration frequency 0 … top − 1 and top or more, with the mean actual and expected holdout
 * purchases of each group (lifetimes plots the first seven frequencies; the pooled top bucket keeps every customer).
 */
export function holdoutByFrequency(frequency: Float64Array, actual: Float64Array, expected: Float64Array, top = 7): HoldoutBucket[] {
  if (actual.length !== frequency.length || expected.length !== frequency.length) throw new RangeError(`holdout: need one entry per customer, got ${frequency.length}, ${actual.length} and ${expected.length}`);
  const count = new Float64Array(top + 1);
  const actualSum = new Float64Array(top + 1);
  const expectedSum = new Float64Array(top + 1);
  frequency.forEach((x, i) => {
    const bucket = Math.min(x, top);
    count[bucket] = (count[bucket] as number) + 1;
    actualSum[bucket] = (actualSum[bucket] as number) + (actual[i] as number);
    expectedSum[bucket] = (expectedSum[bucket] as number) + (expected[i] as number);
  });
  const buckets: HoldoutBucket[] = [];
  count.forEach((n, bucket) => {
    if (n > 0) buckets.push({ frequency: bucket === top ? `${top}+` : String(bucket), customers: n, actual: (actualSum[bucket] as number) / n, expected: (expectedSum[bucket] as number) / n });
  });
  return buckets;
}
