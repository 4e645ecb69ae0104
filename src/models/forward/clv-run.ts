/** The clv model cell's work: invoice lines → purchase model (BG/NBD or Pareto/NBD) + Gamma-Gamma → output tables. */
import type { Frame } from '../kit/frame.ts';
import { ParamError } from '../kit/params.ts';
import { Progress, type RunControl } from '../kit/progress.ts';
import { purchaseDays, summariseDays, type CustomerSummaryTable } from './clv-summary.ts';
import { bgNbdProbabilityAlive, fitBgNbd, fitGammaGamma, gammaGammaExpectedAverageProfit, type ModelFit } from './clv.ts';
import { paretoNbdProbabilityAlive, fitParetoNbd } from './pareto-nbd.ts';
import { conditionalPurchases, customerLifetimeValue, type PurchaseModel } from './clv-value.ts';
import { calibrationAndHoldout, holdoutByFrequency } from './clv-holdout.ts';

export const PURCHASE_MODELS = ['bgnbd', 'paretonbd', 'auto'] as const;
export type PurchaseModelChoice = (typeof PURCHASE_MODELS)[number];

export interface ClvRunOptions extends RunControl {
  readonly months: number;
  readonly monthlyDiscountRate: number;
  readonly penalizer: number;
  readonly model: PurchaseModelChoice;
  /** Epoch ms of the last calibration day: fit on the days up to it, check against the days after. */
  readonly calibrationEnd?: number;
}

interface Fitted {
  readonly name: 'BG/NBD' | 'Pareto/NBD';
  readonly model: PurchaseModel & ModelFit;
  /** [parameter, estimate, standard error] */
  readonly estimates: readonly (readonly [string, number, number])[];
}

const expected = (model: PurchaseModel, summary: CustomerSummaryTable, t: number) =>
  summary.frequency.map((x, i) => conditionalPurchases(model, x, summary.recency[i] as number, summary.age[i] as number, t));

/** Fits the purchase models asked for and picks one: by log-likelihood under 'auto' (both have four parameters). */
function fitPurchases(summary: CustomerSummaryTable, choice: PurchaseModelChoice, penalizer: number, progress: Progress, data: string) {
  const fits: Fitted[] = [];
  if (choice !== 'paretonbd') {
    const fit = fitBgNbd(summary, { penalizer, ...progress.slice(0, choice === 'auto' ? 0.15 : 0.5) });
    fits.push({ name: 'BG/NBD', model: fit, estimates: (['r', 'alpha', 'a', 'b'] as const).map((name) => [name, fit[name], fit.standardErrors[name]]) });
  }
  if (choice !== 'bgnbd') {
    const fit = fitParetoNbd(summary, { penalizer, ...progress.slice(choice === 'auto' ? 0.15 : 0, 0.5) });
    fits.push({ name: 'Pareto/NBD', model: fit, estimates: (['r', 'alpha', 's', 'beta'] as const).map((name) => [name, fit[name], fit.standardErrors[name]]) });
  }
  const converged = fits.filter((fit) => fit.model.converged);
  const [first] = converged;
  if (first === undefined) throw new ParamError(`the ${fits.map((fit) => fit.name).join(' and the ')} fit did not converge; try a small "penalizer" such as 0.001`);
  const chosen = converged.reduce((best, fit) => (fit.model.logLikelihood > best.model.logLikelihood ? fit : best), first);
  const other = fits.find((fit) => fit !== chosen);
  const reason =
    other === undefined ? `asked for ${chosen.name}`
    : !other.model.converged ? `the ${other.name} fit did not converge (log-likelihood ${other.model.logLikelihood.toFixed(2)} where it stopped)`
    : `higher log-likelihood on ${data} (${chosen.model.logLikelihood.toFixed(2)} vs ${other.model.logLikelihood.toFixed(2)} for ${other.name})`;
  return { fits, chosen, reason };
}

/**
 * Runs the clv cell over invoice lines: a per-customer table ('') of the summary, P(alive), expected purchases and
 * value; `parameters` of every model fitted; `summary`, one row per purchase model fitted, saying which was used and
 * why; with a calibration end, `calibration`: actual against expected holdout purchases by calibration frequency.
 */
export function lifetimeValueTables(customers: readonly (string | null)[], times: ArrayLike<number>, amounts: ArrayLike<number>, options: ClvRunOptions): Record<string, Frame> {
  const progress = new Progress(options, 'Lifetime value');
  const days = purchaseDays(customers, times, amounts);
  const split = options.calibrationEnd === undefined ? undefined : calibrationAndHoldout(days, options.calibrationEnd);
  const summary = split?.calibration ?? summariseDays(days);
  if (summary.ids.length === 0) throw new ParamError('no customer has a purchase day (a day whose amounts sum to 0 or more)');
  const { fits, chosen, reason } = fitPurchases(summary, options.model, options.penalizer, progress, split === undefined ? 'the data' : 'the calibration data');
  const purchases = chosen.model;
  const spend = fitGammaGamma(summary.spend, { penalizer: options.penalizer, ...progress.slice(0.5, 0.7) });
  if (!spend.converged) throw new ParamError('the Gamma-Gamma fit did not converge; try a small "penalizer" such as 0.001');
  const alive = 'beta' in purchases ? paretoNbdProbabilityAlive(purchases, summary) : bgNbdProbabilityAlive(purchases, summary);
  const value = customerLifetimeValue(purchases, spend, summary, summary.spend, { months: options.months, monthlyDiscountRate: options.monthlyDiscountRate, timeUnit: 'day', ...progress.slice(0.7, 1) });
  const holdout = split === undefined ? undefined : { actual: split.holdoutPurchases, expected: expected(purchases, summary, split.holdoutDays) };
  progress.finish();

  const parameters = [
    ...fits.flatMap((fit) => fit.estimates.map(([name, estimate, se]) => [fit.name, name, estimate, se, fit.model.logLikelihood, fit.model.customers] as const)),
    ...(['p', 'q', 'v'] as const).map((name) => ['Gamma-Gamma', name, spend[name], spend.standardErrors[name], spend.logLikelihood, spend.customers] as const),
  ];
  const buckets = holdout === undefined ? [] : holdoutByFrequency(summary.frequency, holdout.actual, holdout.expected);
  return {
    '': {
      rowCount: summary.ids.length,
      columns: {
        customer_id: summary.ids,
        frequency: summary.frequency,
        recency_days: summary.recency,
        age_days: summary.age,
        monetary_value: summary.spend.monetaryValue,
        probability_alive: alive,
        expected_purchases: expected(purchases, summary, options.months * 30),
        expected_average_value: gammaGammaExpectedAverageProfit(spend, summary.spend),
        clv: value,
        ...(holdout === undefined ? {} : { holdout_purchases: holdout.actual, expected_holdout_purchases: holdout.expected }),
      },
    },
    parameters: {
      rowCount: parameters.length,
      columns: {
        model: parameters.map((row) => row[0]),
        parameter: parameters.map((row) => row[1]),
        estimate: Float64Array.from(parameters, (row) => row[2]),
        standard_error: Float64Array.from(parameters, (row) => row[3]),
        log_likelihood: Float64Array.from(parameters, (row) => row[4]),
        customers: Int32Array.from(parameters, (row) => row[5]),
      },
    },
    summary: {
      rowCount: fits.length,
      columns: {
        model: fits.map((fit) => fit.name),
        selected: fits.map((fit) => (fit === chosen ? 'yes' : 'no')),
        log_likelihood: Float64Array.from(fits, (fit) => fit.model.logLikelihood),
        converged: fits.map((fit) => (fit.model.converged ? 'yes' : 'no')),
        customers: Int32Array.from(fits, (fit) => fit.model.customers),
        reason: fits.map((fit) => (fit === chosen ? reason : '')),
      },
    },
    ...(split === undefined
      ? {}
      : {
          calibration: {
            rowCount: buckets.length,
            columns: {
              frequency: buckets.map((bucket) => bucket.frequency),
              customers: Int32Array.from(buckets, (bucket) => bucket.customers),
              actual_purchases: Float64Array.from(buckets, (bucket) => bucket.actual),
              expected_purchases: Float64Array.from(buckets, (bucket) => bucket.expected),
              holdout_days: Int32Array.from(buckets, () => split.holdoutDays),
            },
          },
        }),
  };
}
