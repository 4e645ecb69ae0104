/** Discounted customer lifetime value from a purchase model (BG/NBD or Pareto/NBD) and Gamma-Gamma's expected spend. */
import { Progress, type RunControl } from '../kit/progress.ts';
import { checkSummary, type CustomerSummary, type SpendSummary } from './clv-summary.ts';
import { bgNbdConditionalPurchases, gammaGammaExpectedAverageProfit, type BgNbdParams, type GammaGammaParams } from './clv.ts';
import { paretoNbdConditionalPurchases, type ParetoNbdParams } from './pareto-nbd.ts';

/** The summary's time unit; a month is 30 days, 4.345 weeks or 1 month, as lifetimes' `freq` 'D', 'W', 'M'. */
export type ClvTimeUnit = 'day' | 'week' | 'month';

export interface ClvOptions extends RunControl {
  /** Horizon in months. Default 12. */
  readonly months?: number;
  /** Month k's expected profit is divided by (1 + rate)^k. Default 0.01, about 12.7% a year. */
  readonly monthlyDiscountRate?: number;
  /** Default 'day', as lifetimes. */
  readonly timeUnit?: ClvTimeUnit;
}

/** A fitted purchase model, told apart by its parameters: BG/NBD has a and b, Pareto/NBD s and β. */
export type PurchaseModel = BgNbdParams | ParetoNbdParams;

/** E[Y(t) | x, t_x, T] under either purchase model. */
export function conditionalPurchases(model: PurchaseModel, x: number, tx: number, T: number, t: number): number {
  return 'beta' in model ? paretoNbdConditionalPurchases(model, x, tx, T, t) : bgNbdConditionalPurchases(model, x, tx, T, t);
}

function checkPurchaseModel(model: PurchaseModel): void {
  const [name, values] = 'beta' in model ? ['Pareto/NBD', { r: model.r, alpha: model.alpha, s: model.s, beta: model.beta }] : ['BG/NBD', { r: model.r, alpha: model.alpha, a: model.a, b: model.b }];
  for (const [key, value] of Object.entries(values)) {
    if (!(value > 0 && value < Infinity)) throw new RangeError(`${name} parameter ${key} must be a finite number > 0, got ${value}`);
  }
}

const UNITS_PER_MONTH: Record<ClvTimeUnit, number> = { day: 30, week: 4.345, month: 1 };

/**
 * Discounted customer lifetime value over `months`, as lifetimes' `GammaGammaFitter.customer_lifetime_value`: for month
 * k = 1…months, (E[Y(k·u)] − E[Y((k−1)·u)]) · expected average profit / (1 + monthlyDiscountRate)^k, with u time units
 * per month (30 days, 4.345 weeks) — each month's purchases are discounted as if made at its end. `customers` feeds the
 * purchase model, `spending` Gamma-Gamma (the same customers; its frequency may count fewer days, e.g. only paid ones).
 * `customerLifetimeValue(bgNbd, gammaGamma, summary, summary, { months: 12, timeUnit: 'week' })`.
 */
export function customerLifetimeValue(purchases: PurchaseModel, spend: GammaGammaParams, customers: CustomerSummary, spending: SpendSummary, options: ClvOptions = {}): Float64Array {
  const { months = 12, monthlyDiscountRate = 0.01, timeUnit = 'day' } = options;
  if (!(Number.isInteger(months) && months >= 1)) throw new RangeError(`months must be a whole number ≥ 1, got ${months}`);
  if (!(monthlyDiscountRate > -1 && monthlyDiscountRate < Infinity)) throw new RangeError(`monthlyDiscountRate must be a finite number > −1, got ${monthlyDiscountRate}`);
  const unitsPerMonth = UNITS_PER_MONTH[timeUnit];
  if (unitsPerMonth === undefined) throw new RangeError(`timeUnit must be 'day', 'week' or 'month', got ${String(timeUnit)}`);
  checkPurchaseModel(purchases);
  checkSummary(customers, 'CLV');
  if (spending.frequency.length !== customers.frequency.length) throw new RangeError(`CLV: the spend summary has ${spending.frequency.length} customers, the purchase summary ${customers.frequency.length}`);
  const profit = gammaGammaExpectedAverageProfit(spend, spending);
  const progress = new Progress(options, 'Customer lifetime value');
  const value = new Float64Array(customers.frequency.length);
  for (let i = 0; i < value.length; i++) {
    if (i % 256 === 0) progress.checkpoint(i / value.length);
    const [x, tx, T] = [customers.frequency[i] as number, customers.recency[i] as number, customers.age[i] as number];
    let before = 0;
    let total = 0;
    for (let month = 1; month <= months; month++) {
      const upTo = conditionalPurchases(purchases, x, tx, T, month * unitsPerMonth);
      total += (upTo - before) / (1 + monthlyDiscountRate) ** month;
      before = upTo;
    }
    value[i] = total * (profit[i] as number);
  }
  progress.finish();
  return value;
}
