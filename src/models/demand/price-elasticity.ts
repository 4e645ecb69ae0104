/**
 * Own-price elasticity per product (or per any grouping column): the slope of the log–log regression of weekly
 * quantity on the weekly average unit price, ln Q = a + b·ln P, by ordinary least squares with a t-based interval.
 * Only groups whose price varied (enough distinct weekly prices and weeks) are fitted.
 */
import { studentTQuantile } from '../kit/special.ts';
import { quoteIdent } from '../../util/sql.ts';
import type { SqlDialect } from '../../util/dialect/index.ts';

export interface WeeklyPoint {
  /** The week's Monday, in days since 1970-01-01. */
  readonly week: number;
  readonly quantity: number;
  /** Average unit price paid that week: Σ quantity·price / Σ quantity. */
  readonly price: number;
}

/** The columns the weekly aggregate reads from the lines; `description` only when the output describes products. */
export interface WeeklyColumns {
  readonly group: string;
  readonly product: string;
  readonly date: string;
  readonly quantity: string;
  readonly price: string;
  readonly description?: string;
}

/**
 * The lines summed per group, product (and description) and week, Monday to Sunday, in the database: `group_key`,
 * `product`, [`description`], `week_day` (the Monday, days since the epoch), `quantity` (Σ), `spend` (Σ quantity·price)
 * and `lines`. Lines without a positive finite quantity and price, or without a date, are left out. Sorted by its
 * keys, so a worker reads the rows in one order on every engine.
 */
export function weeklySql(input: string, columns: WeeklyColumns, dialect: SqlDialect): string {
  const quantity = dialect.toDouble(quoteIdent(columns.quantity));
  const price = dialect.toDouble(quoteIdent(columns.price));
  const date = quoteIdent(columns.date);
  const keys = [
    `${quoteIdent(columns.group)} AS group_key`,
    `${quoteIdent(columns.product)} AS product`,
    ...(columns.description === undefined ? [] : [`${quoteIdent(columns.description)} AS description`]),
    `CAST(date_diff('day', DATE '1970-01-01', CAST(date_trunc('week', ${date}) AS DATE)) AS INTEGER) AS week_day`,
  ];
  return `SELECT ${keys.join(', ')}, sum(${quantity}) AS quantity, sum(${quantity} * ${price}) AS spend, ${dialect.toDouble('count(*)')} AS lines
FROM ${quoteIdent(input)}
WHERE ${quantity} > 0 AND ${price} > 0 AND ${dialect.isFinite(`${quantity} * ${price}`)} AND ${date} IS NOT NULL
${dialect.groupByFirst(keys.length).trim()}
ORDER BY ${keys.map((_, index) => index + 1).join(', ')}`;
}

/**
 * Weekly rows (as `weeklySql` makes them) → each group's weeks with sales, in order: quantities and spend summed where
 * a group's week comes in several rows (a category's products), and the average price. A null group is left out.
 */
export function weeklyByGroup(groups: readonly (string | null)[], weekDays: Float64Array, quantities: Float64Array, spends: Float64Array): Map<string, WeeklyPoint[]> {
  const sums = new Map<string, Map<number, { quantity: number; spend: number }>>();
  for (let row = 0; row < groups.length; row++) {
    const group = groups[row];
    if (group == null) continue;
    const week = weekDays[row] as number;
    let weeks = sums.get(group);
    if (!weeks) sums.set(group, (weeks = new Map()));
    const sum = weeks.get(week) ?? { quantity: 0, spend: 0 };
    sum.quantity += quantities[row] as number;
    sum.spend += spends[row] as number;
    weeks.set(week, sum);
  }
  const out = new Map<string, WeeklyPoint[]>();
  for (const [group, weeks] of sums) {
    out.set(group, [...weeks].sort(([a], [b]) => a - b).map(([week, { quantity, spend }]) => ({ week, quantity, price: spend / quantity })));
  }
  return out;
}

export interface LogLogFit {
  readonly elasticity: number;
  readonly intercept: number;
  readonly standardError: number;
  readonly ciLow: number;
  readonly ciHigh: number;
  readonly rSquared: number;
  readonly weeks: number;
}

/**
 * OLS of ln quantity on ln price with an intercept; the interval is b ± t(1 − (1 − confidence)/2, n − 2)·se(b).
 * Needs at least three points and two distinct prices (else there is no slope or no error left to estimate).
 */
export function fitLogLog(points: readonly WeeklyPoint[], confidence = 0.95): LogLogFit {
  const n = points.length;
  if (n < 3) throw new RangeError(`a log–log fit needs at least 3 weeks; got ${n}`);
  const x = points.map((p) => Math.log(p.price));
  const y = points.map((p) => Math.log(p.quantity));
  const meanX = x.reduce((s, v) => s + v, 0) / n;
  const meanY = y.reduce((s, v) => s + v, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - meanX;
    const dy = (y[i] as number) - meanY;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (!(sxx > 0)) throw new RangeError('the price never changed, so there is no slope to fit');
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  let rss = 0;
  for (let i = 0; i < n; i++) rss += ((y[i] as number) - intercept - slope * (x[i] as number)) ** 2;
  const standardError = Math.sqrt(rss / (n - 2) / sxx);
  const t = studentTQuantile(1 - (1 - confidence) / 2, n - 2);
  return {
    elasticity: slope,
    intercept,
    standardError,
    ciLow: slope - t * standardError,
    ciHigh: slope + t * standardError,
    // A constant quantity is explained by any slope: R² is 0 by convention there, not 0/0.
    rSquared: syy > 0 ? 1 - rss / syy : 0,
    weeks: n,
  };
}

export interface ElasticityOptions {
  /** Fewest weeks with sales a group needs; default 8. */
  readonly minWeeks: number;
  /** Fewest distinct weekly prices (to the penny) a group needs; default 3. */
  readonly minPrices: number;
  readonly confidence: number;
}

export interface GroupElasticity extends LogLogFit {
  readonly group: string;
  readonly distinctPrices: number;
  readonly meanPrice: number;
  readonly meanWeeklyQuantity: number;
}

export interface ElasticityResult {
  readonly fitted: GroupElasticity[];
  readonly groups: number;
  readonly tooFewWeeks: number;
  readonly tooFewPrices: number;
}

/** Fit every group that has enough weeks and price points, most elastic (most negative) first. */
export function priceElasticities(weekly: ReadonlyMap<string, readonly WeeklyPoint[]>, options: ElasticityOptions): ElasticityResult {
  const fitted: GroupElasticity[] = [];
  let tooFewWeeks = 0;
  let tooFewPrices = 0;
  for (const [group, points] of weekly) {
    if (points.length < Math.max(3, options.minWeeks)) {
      tooFewWeeks += 1;
      continue;
    }
    // To 12 significant digits first: a weekly average at a half penny, summed in another row order, must not round
    // to two pennies (1.2349999999999999 and 1.2350000000000001 are the same price).
    const distinctPrices = new Set(points.map((p) => Math.round(Number((p.price * 100).toPrecision(12))))).size;
    if (distinctPrices < Math.max(2, options.minPrices)) {
      tooFewPrices += 1;
      continue;
    }
    fitted.push({
      group,
      distinctPrices,
      meanPrice: points.reduce((s, p) => s + p.price, 0) / points.length,
      meanWeeklyQuantity: points.reduce((s, p) => s + p.quantity, 0) / points.length,
      ...fitLogLog(points, options.confidence),
    });
  }
  fitted.sort((a, b) => a.elasticity - b.elasticity || (a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
  return { fitted, groups: weekly.size, tooFewWeeks, tooFewPrices };
}
