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

export interface CustomerSummaryTable extends CustomerSummary, SpendSummary {
  /** Customer ids, sorted (code-unit order). */
  readonly ids: string[];
  /** The last day observed (epoch ms at UTC midnight): T is counted to it. */
  readonly end: number;
}

/**
 * Per customer: frequency = days with a purchase − 1, recency = days from the first to the last purchase day, age (T) =
 * days from the first purchase day to `end` (default: the last day in the lines), monetary value = the mean spend of
 * the repeat purchase days (0 without any). Lines without a customer or a finite time and amount are skipped; a day
 * whose lines sum to ≤ 0 (returns) is not a purchase.
 */
export function customerSummary(customers: readonly (string | null)[], times: ArrayLike<number>, amounts: ArrayLike<number>, end?: number): CustomerSummaryTable {
  const days = new Map<string, Map<number, number>>();
  let last = Number.NEGATIVE_INFINITY;
  customers.forEach((customer, row) => {
    const time = times[row] as number;
    const amount = amounts[row] as number;
    if (customer == null || !Number.isFinite(time) || !Number.isFinite(amount)) return;
    const day = Math.floor(time / DAY) * DAY;
    last = Math.max(last, day);
    let perDay = days.get(customer);
    if (!perDay) days.set(customer, (perDay = new Map()));
    perDay.set(day, (perDay.get(day) ?? 0) + amount);
  });
  const until = end === undefined ? last : Math.floor(end / DAY) * DAY;
  const ids = [...days.keys()].filter((id) => [...days.get(id)!.values()].some((total) => total > 0)).sort(compareText);
  const frequency = new Float64Array(ids.length);
  const recency = new Float64Array(ids.length);
  const age = new Float64Array(ids.length);
  const monetaryValue = new Float64Array(ids.length);
  ids.forEach((id, i) => {
    const purchases = [...days.get(id)!].filter(([day, total]) => total > 0 && day <= until).sort((a, b) => a[0] - b[0]);
    const first = purchases[0]?.[0] ?? until;
    const lastDay = purchases.at(-1)?.[0] ?? until;
    frequency[i] = Math.max(0, purchases.length - 1);
    recency[i] = (lastDay - first) / DAY;
    age[i] = (until - first) / DAY;
    const repeats = purchases.slice(1);
    monetaryValue[i] = repeats.length === 0 ? 0 : repeats.reduce((sum, [, total]) => sum + total, 0) / repeats.length;
  });
  return { ids, frequency, recency, age, monetaryValue, end: until };
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
