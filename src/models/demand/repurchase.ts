/**
 * Time to repurchase: for every customer, the days from their first purchase day to their second, or — for a
 * customer who bought on one day only — the days from it to the end of the data, counted as cut off (censored).
 * Kaplan–Meier curves of it, overall or by a column (a segment, a country), and their medians.
 */
import type { Frame } from '../kit/frame.ts';
import { kaplanMeier, type SurvivalCurve } from './kaplan-meier.ts';

const DAY_MS = 86_400_000;

export interface RepurchaseWait {
  readonly customer: string;
  /** The group the customer is counted in: the `by` value on their first purchase day ('all' without `by`). */
  readonly group: string;
  readonly days: number;
  readonly repurchased: boolean;
}

/**
 * One wait per customer from purchase lines (dates in epoch milliseconds). Purchases are calendar days (UTC), so two
 * invoices on one day are one purchase. The end of the data is the last day in the lines, for every customer.
 */
export function repurchaseWaits(customers: readonly (string | null)[], dates: Float64Array, groups?: readonly (string | null)[]): RepurchaseWait[] {
  const byCustomer = new Map<string, { first: number; second: number; group: string | null }>();
  let lastDay = Number.NEGATIVE_INFINITY;
  for (let row = 0; row < customers.length; row++) {
    const customer = customers[row];
    const time = dates[row] as number;
    if (customer == null || !Number.isFinite(time)) continue;
    const day = Math.floor(time / DAY_MS);
    if (day > lastDay) lastDay = day;
    const group = groups ? (groups[row] ?? null) : 'all';
    const seen = byCustomer.get(customer);
    if (!seen) byCustomer.set(customer, { first: day, second: Number.POSITIVE_INFINITY, group });
    else if (day < seen.first) byCustomer.set(customer, { first: day, second: seen.first, group });
    else if (day > seen.first && day < seen.second) seen.second = day;
    else if (day === seen.first && seen.group === null) seen.group = group;
  }
  return [...byCustomer].map(([customer, { first, second, group }]) => ({
    customer,
    group: group ?? '(none)',
    days: Number.isFinite(second) ? second - first : lastDay - first,
    repurchased: Number.isFinite(second),
  }));
}

export interface GroupCurve {
  readonly group: string;
  readonly customers: number;
  readonly curve: SurvivalCurve;
}

/** A Kaplan–Meier curve per group, groups in order of size (largest first; ties by name). */
export function repurchaseCurves(waits: readonly RepurchaseWait[], confidence: number): GroupCurve[] {
  const groups = new Map<string, RepurchaseWait[]>();
  for (const wait of waits) {
    let members = groups.get(wait.group);
    if (!members) groups.set(wait.group, (members = []));
    members.push(wait);
  }
  return [...groups]
    .sort(([a, x], [b, y]) => y.length - x.length || (a < b ? -1 : a > b ? 1 : 0))
    .map(([group, members]) => ({
      group,
      customers: members.length,
      curve: kaplanMeier(members.map((wait) => wait.days), members.map((wait) => wait.repurchased), confidence),
    }));
}

const finiteOrNaN = (value: number) => (Number.isFinite(value) ? value : Number.NaN);

/** The curves as one long table (a row per group and day) and a summary row per group (medians NULL when not reached). */
export function repurchaseFrames(curves: readonly GroupCurve[], groupColumn: string): { curve: Frame; summary: Frame } {
  const rows = curves.reduce((sum, { curve }) => sum + curve.times.length, 0);
  const group: string[] = [];
  const day = new Float64Array(rows);
  const atRisk = new Int32Array(rows);
  const repurchased = new Int32Array(rows);
  const censored = new Int32Array(rows);
  const survival = new Float64Array(rows);
  const lower = new Float64Array(rows);
  const upper = new Float64Array(rows);
  let row = 0;
  for (const { group: name, curve } of curves) {
    for (let t = 0; t < curve.times.length; t++, row++) {
      group.push(name);
      day[row] = curve.times[t] as number;
      atRisk[row] = curve.atRisk[t] as number;
      repurchased[row] = curve.events[t] as number;
      censored[row] = curve.censored[t] as number;
      survival[row] = curve.survival[t] as number;
      lower[row] = curve.lower[t] as number;
      upper[row] = curve.upper[t] as number;
    }
  }
  const repurchasedShare = Float64Array.from(survival, (s) => 1 - s);
  return {
    curve: {
      rowCount: rows,
      columns: { [groupColumn]: group, day, at_risk: atRisk, repurchased, censored, survival, lower, upper, repurchased_share: repurchasedShare },
    },
    summary: {
      rowCount: curves.length,
      columns: {
        [groupColumn]: curves.map((c) => c.group),
        customers: Int32Array.from(curves, (c) => c.customers),
        repurchased: Int32Array.from(curves, (c) => c.curve.events.reduce((sum, e) => sum + e, 0)),
        censored: Int32Array.from(curves, (c) => c.curve.censored.reduce((sum, e) => sum + e, 0)),
        median_days: Float64Array.from(curves, (c) => finiteOrNaN(c.curve.median)),
        median_lower: Float64Array.from(curves, (c) => finiteOrNaN(c.curve.medianLower)),
        median_upper: Float64Array.from(curves, (c) => finiteOrNaN(c.curve.medianUpper)),
      },
    },
  };
}
