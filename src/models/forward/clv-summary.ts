/**
 * Invoice lines → the per-customer summary BG/NBD and Gamma-Gamma read, as lifetimes'
 * `summary_data_from_transaction_data(freq='D')`: purchases are counted by day, in days.
 */
import { compareText } from '../baskets/basket.ts';

const DAY = 86_400_000;

/** A customer base as lifetimes summarises it: parallel arrays, one entry per customer, times in one unit (days, weeks). */
export interface CustomerSummary {
  /** x: repeat purchases, the purchase occasions after the first one (a whole number ≥ 0). */
  readonly frequency: Float64Array;
  /** t_x: time from the first to the last purchase; 0 when frequency is 0. */
  readonly recency: Float64Array;
  /** T: time from the first purchase to the end of the observation period. */
  readonly age: Float64Array;
}

/** Frequency with m̄, the mean value of the repeat purchases (> 0 where frequency > 0; ignored where it is 0). */
export interface SpendSummary {
  readonly frequency: Float64Array;
  readonly monetaryValue: Float64Array;
}

export interface CustomerSummaryTable extends CustomerSummary {
  /** Customer ids, sorted (code-unit order). */
  readonly ids: string[];
  /** The last day observed (epoch ms at UTC midnight): T is counted to it. */
  readonly end: number;
  /** What Gamma-Gamma reads: the repeat purchase days with a positive value, their count and mean value (0 without any). */
  readonly spend: SpendSummary;
}

/** Each customer's net amount per UTC day (epoch ms at midnight), and the last day with a line. */
export interface PurchaseDays {
  readonly days: ReadonlyMap<string, ReadonlyMap<number, number>>;
  readonly lastDay: number;
}

/** Sums lines by customer and UTC day; lines without a customer or a finite time and amount are skipped. */
export function purchaseDays(customers: readonly (string | null)[], times: ArrayLike<number>, amounts: ArrayLike<number>): PurchaseDays {
  const days = new Map<string, Map<number, number>>();
  let lastDay = Number.NEGATIVE_INFINITY;
  customers.forEach((customer, row) => {
    const time = times[row] as number;
    const amount = amounts[row] as number;
    if (customer == null || !Number.isFinite(time) || !Number.isFinite(amount)) return;
    const day = startOfDay(time);
    lastDay = Math.max(lastDay, day);
    let perDay = days.get(customer);
    if (!perDay) days.set(customer, (perDay = new Map()));
    perDay.set(day, (perDay.get(day) ?? 0) + amount);
  });
  return { days, lastDay };
}

export const startOfDay = (time: number): number => Math.floor(time / DAY) * DAY;

/**
 * A day is a purchase when its lines sum to ≥ 0: a free day (a sample, a voucher) counts, as in lifetimes, which counts
 * every day with a transaction; a day that nets out negative is a return, not a purchase.
 */
export const isPurchase = (netAmount: number): boolean => netAmount >= 0;

/**
 * Per customer: frequency = purchase days − 1, recency = days from the first to the last purchase day, age (T) = days
 * from the first purchase day to `end` (default: the last day in the lines). Only days up to `end` count, and only
 * customers with a purchase day by then are listed. `spend` is what Gamma-Gamma reads: the repeat purchase days worth
 * more than 0 and their mean value (lifetimes averages every repeat day; its users drop the zero ones before Gamma-Gamma).
 */
export function customerSummary(customers: readonly (string | null)[], times: ArrayLike<number>, amounts: ArrayLike<number>, end?: number): CustomerSummaryTable {
  return summariseDays(purchaseDays(customers, times, amounts), end);
}

/** `customerSummary` over days already summed by `purchaseDays`. */
export function summariseDays({ days, lastDay }: PurchaseDays, end?: number): CustomerSummaryTable {
  const until = end === undefined ? lastDay : startOfDay(end);
  const purchasesOf = (id: string) => [...days.get(id)!].filter(([day, total]) => isPurchase(total) && day <= until).sort((a, b) => a[0] - b[0]);
  const ids = [...days.keys()].filter((id) => purchasesOf(id).length > 0).sort(compareText);
  const frequency = new Float64Array(ids.length);
  const recency = new Float64Array(ids.length);
  const age = new Float64Array(ids.length);
  const spendFrequency = new Float64Array(ids.length);
  const monetaryValue = new Float64Array(ids.length);
  ids.forEach((id, i) => {
    const purchases = purchasesOf(id);
    const first = purchases[0]![0];
    frequency[i] = purchases.length - 1;
    recency[i] = (purchases.at(-1)![0] - first) / DAY;
    age[i] = (until - first) / DAY;
    const valued = purchases.slice(1).filter(([, total]) => total > 0);
    spendFrequency[i] = valued.length;
    monetaryValue[i] = valued.length === 0 ? 0 : valued.reduce((sum, [, total]) => sum + total, 0) / valued.length;
  });
  return { ids, frequency, recency, age, end: until, spend: { frequency: spendFrequency, monetaryValue } };
}

/** Checks a summary's shape and values, naming the customer: `what` names the model in the message. */
export function checkSummary({ frequency, recency, age }: CustomerSummary, what: string): void {
  if (recency.length !== frequency.length || age.length !== frequency.length) {
    throw new RangeError(`${what}: frequency, recency and age need one entry per customer, got ${frequency.length}, ${recency.length} and ${age.length}`);
  }
  for (let i = 0; i < frequency.length; i++) {
    const x = frequency[i] as number;
    const tx = recency[i] as number;
    const T = age[i] as number;
    if (!(Number.isInteger(x) && x >= 0)) throw new RangeError(`${what}: frequency of customer ${i} must be a whole number ≥ 0, got ${x}`);
    if (!(T >= 0 && T < Infinity)) throw new RangeError(`${what}: age of customer ${i} must be a finite number ≥ 0, got ${T}`);
    if (!(tx >= 0 && tx <= T)) throw new RangeError(`${what}: recency of customer ${i} must be between 0 and its age ${T}, got ${tx}`);
    if (x === 0 && tx !== 0) throw new RangeError(`${what}: customer ${i} has no repeat purchase, so its recency must be 0, got ${tx}`);
  }
}

/** Customers grouped by frequency: terms that depend only on x (log-gammas, digammas) are computed once per distinct x. */
export interface FrequencyGroups {
  readonly distinct: Float64Array;
  /** Index into `distinct` of each customer's frequency. */
  readonly slot: Int32Array;
}

export function groupByFrequency(frequency: Float64Array): FrequencyGroups {
  const index = new Map<number, number>();
  const slot = new Int32Array(frequency.length);
  frequency.forEach((x, i) => {
    if (!index.has(x)) index.set(x, index.size);
    slot[i] = index.get(x) as number;
  });
  return { distinct: Float64Array.from(index.keys()), slot };
}
