// Customer lifetime value as in lifetimes 0.11 (Python): BG/NBD for the number of future purchases, Gamma-Gamma for
// their value. Own code rather than a port of a package: none in JS works on typed arrays with progress and abort.
import { Progress, type RunControl } from '../kit/progress.ts';
import { digamma, hyp2f1Tail, logGamma } from '../kit/special.ts';
import { fitByMaximumLikelihood, penalisedObjective } from '../kit/maximum-likelihood.ts';
import { checkSummary, groupByFrequency, type CustomerSummary, type FrequencyGroups, type SpendSummary } from './clv-summary.ts';

export type { CustomerSummary, SpendSummary } from './clv-summary.ts';

/** BG/NBD: purchase rate λ ~ Gamma(shape r, rate α), α in the summary's time unit; drop-out chance after each repeat purchase p ~ Beta(a, b). */
export interface BgNbdParams {
  readonly r: number;
  readonly alpha: number;
  readonly a: number;
  readonly b: number;
}

/** Gamma-Gamma: each purchase's value ~ Gamma(shape p, rate ν) with ν ~ Gamma(shape q, rate v) per customer. */
export interface GammaGammaParams {
  readonly p: number;
  readonly q: number;
  readonly v: number;
}

export interface ModelFit {
  /** Log-likelihood summed over the customers used, without the penalty. */
  readonly logLikelihood: number;
  /** Customers the fit used (Gamma-Gamma uses only those with frequency > 0). */
  readonly customers: number;
  readonly iterations: number;
  /** False when the optimiser hit maxIterations, or stalled with the gradient still above 1e-6. */
  readonly converged: boolean;
}

/**
 * Fitted BG/NBD, with asymptotic standard errors (inverse observed information of the penalised objective, as lifetimes;
 * NaN where it is not positive definite).
 * Its log-likelihood is a density in time, so it depends on the time unit: weeks instead of days add Σx · ln 7.
 */
export interface BgNbdModel extends BgNbdParams, ModelFit {
  readonly standardErrors: BgNbdParams;
}

/** Fitted Gamma-Gamma, with standard errors as for BG/NBD. */
export interface GammaGammaModel extends GammaGammaParams, ModelFit {
  readonly standardErrors: GammaGammaParams;
}

export interface ClvFitOptions extends RunControl {
  /**
   * Adds penalizer · Σ θ² to the mean negative log-likelihood, as lifetimes' `penalizer_coef`. Default 0. As in lifetimes,
   * BG/NBD penalises α in rescaled time where the longest customer age is 10.
   */
  readonly penalizer?: number;
  /** BFGS iterations. Default 500. */
  readonly maxIterations?: number;
}

const asBgNbd = (theta: Float64Array): BgNbdParams => ({ r: theta[0] as number, alpha: theta[1] as number, a: theta[2] as number, b: theta[3] as number });
const asGammaGamma = (theta: Float64Array): GammaGammaParams => ({ p: theta[0] as number, q: theta[1] as number, v: theta[2] as number });

function checkParams(params: BgNbdParams | GammaGammaParams, what: string): void {
  const values = 'alpha' in params ? { r: params.r, alpha: params.alpha, a: params.a, b: params.b } : { p: params.p, q: params.q, v: params.v };
  for (const [name, value] of Object.entries(values)) {
    if (!(value > 0 && value < Infinity)) throw new RangeError(`${what} parameter ${name} must be a finite number > 0, got ${value}`);
  }
}

/**
 * Σ of the BG/NBD log-likelihood (Fader, Hardie & Lee 2005, eq. 6) in lifetimes' form
 * (`BetaGeoFitter._negative_log_likelihood`): A₁ + A₂ + ln(e^{A₃} + [x > 0] e^{A₄}), the sum by log-sum-exp.
 * Fills `perCustomer`, and `gradient` with ∂/∂(r, α, a, b), when given.
 */
function bgNbdEvaluate({ r, alpha, a, b }: BgNbdParams, data: CustomerSummary & FrequencyGroups, perCustomer?: Float64Array, gradient?: Float64Array): number {
  const { frequency, recency, age, distinct, slot } = data;
  const k = distinct.length;
  const shared = new Float64Array(k); // A₁ + A₂
  const leaveBase = new Float64Array(k); // ln a − ln(b + x − 1), the first part of A₄
  const dR = new Float64Array(k);
  const dA = new Float64Array(k);
  const dB = new Float64Array(k);
  const logAlpha = Math.log(alpha);
  const base = r * logAlpha - logGamma(r) + logGamma(a + b) - logGamma(b);
  for (let j = 0; j < k; j++) {
    const x = distinct[j] as number;
    shared[j] = base + logGamma(r + x) + logGamma(b + x) - logGamma(a + b + x);
    leaveBase[j] = x > 0 ? Math.log(a / (b + x - 1)) : 0;
    if (gradient !== undefined) {
      const psiABX = digamma(a + b + x);
      dR[j] = digamma(r + x) - digamma(r) + logAlpha;
      dA[j] = digamma(a + b) - psiABX;
      dB[j] = digamma(a + b) + digamma(b + x) - digamma(b) - psiABX;
    }
  }
  let total = 0;
  let gR = 0;
  let gAlpha = 0;
  let gA = 0;
  let gB = 0;
  for (let i = 0; i < frequency.length; i++) {
    const x = frequency[i] as number;
    const j = slot[i] as number;
    const logAlphaT = Math.log(alpha + (age[i] as number));
    const stay = -(r + x) * logAlphaT; // A₃: still alive at T, no purchase after t_x
    let logAlphaTx = 0;
    let wLeave = 0; // share of the likelihood from "dropped out right after the x-th purchase"
    let ll: number;
    if (x > 0) {
      logAlphaTx = Math.log(alpha + (recency[i] as number));
      const leave = (leaveBase[j] as number) - (r + x) * logAlphaTx; // A₄
      const top = Math.max(stay, leave);
      const sum = Math.exp(stay - top) + Math.exp(leave - top);
      ll = (shared[j] as number) + top + Math.log(sum);
      wLeave = Math.exp(leave - top) / sum;
    } else {
      ll = (shared[j] as number) + stay;
    }
    total += ll;
    if (perCustomer !== undefined) perCustomer[i] = ll;
    if (gradient !== undefined) {
      const wStay = 1 - wLeave;
      gR += (dR[j] as number) - wStay * logAlphaT - wLeave * logAlphaTx;
      gAlpha += r / alpha - (r + x) * (wStay / (alpha + (age[i] as number)) + (x > 0 ? wLeave / (alpha + (recency[i] as number)) : 0));
      gA += (dA[j] as number) + wLeave / a;
      gB += (dB[j] as number) - (x > 0 ? wLeave / (b + x - 1) : 0);
    }
  }
  gradient?.set([gR, gAlpha, gA, gB]);
  return total;
}

/**
 * Per-customer BG/NBD log-likelihood ln L(r, α, a, b | x, t_x, T) (Fader, Hardie & Lee 2005, eq. 6):
 * `bgNbdLogLikelihood({ r: 0.24, alpha: 4.41, a: 0.79, b: 2.43 }, cdnow)`.
 */
export function bgNbdLogLikelihood(params: BgNbdParams, customers: CustomerSummary): Float64Array {
  checkParams(params, 'BG/NBD');
  checkSummary(customers, 'BG/NBD');
  const perCustomer = new Float64Array(customers.frequency.length);
  bgNbdEvaluate(params, { ...customers, ...groupByFrequency(customers.frequency) }, perCustomer);
  return perCustomer;
}

/**
 * BG/NBD by maximum likelihood, as lifetimes' `BetaGeoFitter.fit`: BFGS on log-parameters, time rescaled so that the
 * longest age is 10 (α is reported in the summary's unit), started at r = α = a = b = 1: `fitBgNbd(summary)`.
 */
export function fitBgNbd(customers: CustomerSummary, options: ClvFitOptions = {}): BgNbdModel {
  checkSummary(customers, 'BG/NBD');
  const n = customers.frequency.length;
  if (n === 0) throw new RangeError('BG/NBD needs at least one customer');
  const progress = new Progress(options, 'BG/NBD fit');
  const maxAge = customers.age.reduce((max, T) => Math.max(max, T), 0);
  const scale = maxAge > 0 ? 10 / maxAge : 1; // lifetimes' _scale_time
  const scaled = {
    frequency: customers.frequency,
    recency: customers.recency.map((tx) => tx * scale),
    age: customers.age.map((T) => T * scale),
    ...groupByFrequency(customers.frequency),
  };
  const objective = penalisedObjective(n, (natural, gradient) => bgNbdEvaluate(asBgNbd(natural), scaled, undefined, gradient), options.penalizer);
  const fit = fitByMaximumLikelihood(objective, new Float64Array(4), n, options, progress);
  const fitted = asBgNbd(fit.params.map(Math.exp));
  const params = { ...fitted, alpha: fitted.alpha / scale };
  const standardErrors = asBgNbd(fit.standardErrors);
  const logLikelihood = bgNbdEvaluate(params, { ...customers, ...groupByFrequency(customers.frequency) });
  progress.finish();
  return { ...params, standardErrors: { ...standardErrors, alpha: standardErrors.alpha / scale }, logLikelihood, customers: n, iterations: fit.iterations, converged: fit.converged };
}

/**
 * P(alive | x, t_x, T) = 1 / (1 + [x > 0] · a/(b + x − 1) · ((α + T)/(α + t_x))^{r+x}) (Fader, Hardie & Lee 2008,
 * "Computing P(alive) using the BG/NBD model", Hardie's note 021): 1 for x = 0, as lifetimes — a BG/NBD customer can
 * only drop out right after a repeat purchase. `bgNbdProbabilityAlive(model, summary)`.
 */
export function bgNbdProbabilityAlive(params: BgNbdParams, customers: CustomerSummary): Float64Array {
  checkParams(params, 'BG/NBD');
  checkSummary(customers, 'BG/NBD');
  const { r, alpha, a, b } = params;
  return customers.frequency.map((x, i) => {
    if (x === 0) return 1;
    const logOdds = (r + x) * Math.log((alpha + (customers.age[i] as number)) / (alpha + (customers.recency[i] as number))) + Math.log(a / (b + x - 1));
    return 1 / (1 + Math.exp(logOdds));
  });
}

/**
 * E[Y(t) | x, t_x, T] (Fader, Hardie & Lee 2005, eq. 10), lifetimes' `conditional_expected_number_of_purchases_up_to_time`:
 * expected repeat purchases in the next `t` time units. `bgNbdExpectedPurchases(model, summary, 52)`.
 */
export function bgNbdExpectedPurchases(params: BgNbdParams, customers: CustomerSummary, t: number): Float64Array {
  checkParams(params, 'BG/NBD');
  checkSummary(customers, 'BG/NBD');
  if (!(t >= 0 && t < Infinity)) throw new RangeError(`horizon t must be a finite number ≥ 0, got ${t}`);
  return customers.frequency.map((x, i) => bgNbdConditionalPurchases(params, x, customers.recency[i] as number, customers.age[i] as number, t));
}

/** E[X(t)] (eq. 9), lifetimes' `expected_number_of_purchases_up_to_time`: repeat purchases in (0, t] of a brand-new customer. */
export function bgNbdExpectedPurchasesOfNewCustomer(params: BgNbdParams, t: number): number {
  checkParams(params, 'BG/NBD');
  if (!(t >= 0 && t < Infinity)) throw new RangeError(`horizon t must be a finite number ≥ 0, got ${t}`);
  return bgNbdConditionalPurchases(params, 0, 0, 0, t);
}

/**
 * Eq. 10 with z = t/(α + T + t). Euler's transformation (DLMF 15.8.1) turns (1 − z)^{r+x} ₂F₁(r+x, b+x; a+b+x−1; z) into
 * (1 − z)^{a−1} ₂F₁(a+b−1−r, a−1; a+b+x−1; z): the numerator parameters no longer grow with x, so a frequent buyer needs
 * no more terms than a new one and nothing overflows (lifetimes switches to this form only when the first overflows).
 */
export function bgNbdConditionalPurchases(params: BgNbdParams, x: number, tx: number, T: number, t: number): number {
  const { r, alpha, a, b } = params;
  // a = 1 is a removable 0/0; the expectation is smooth in a, so average a = 1 ± 1e-6 (error ~1e-10 from the cancellation).
  if (Math.abs(a - 1) < 1e-7) return (bgNbdConditionalPurchases({ ...params, a: 1 - 1e-6 }, x, tx, T, t) + bgNbdConditionalPurchases({ ...params, a: 1 + 1e-6 }, x, tx, T, t)) / 2;
  const z = t / (alpha + T + t);
  const tail = hyp2f1Tail(a + b - 1 - r, a - 1, a + b + x - 1, z);
  const logPower = (a - 1) * Math.log1p(-z);
  const notYet = tail > -1 ? -Math.expm1(logPower + Math.log1p(tail)) : 1 - Math.exp(logPower) * (1 + tail);
  const numerator = ((a + b + x - 1) / (a - 1)) * notYet;
  if (x === 0) return numerator;
  return numerator / (1 + (a / (b + x - 1)) * Math.exp((r + x) * Math.log((alpha + T) / (alpha + tx))));
}

/**
 * Σ of the Gamma-Gamma log-likelihood of m̄ given x (Fader, Hardie & Lee 2005, "RFM and CLV: using iso-value curves";
 * Fader & Hardie 2013, "The Gamma-Gamma model of monetary value", eq. 1a), as lifetimes' `GammaGammaFitter`, for x > 0.
 */
function gammaGammaEvaluate({ p, q, v }: GammaGammaParams, data: RepeatBuyers, perCustomer?: Float64Array, gradient?: Float64Array): number {
  const { frequency, monetaryValue, logValue, distinct, slot } = data;
  const k = distinct.length;
  const shared = new Float64Array(k);
  const dP = new Float64Array(k);
  const dQ = new Float64Array(k);
  const logV = Math.log(v);
  for (let j = 0; j < k; j++) {
    const x = distinct[j] as number;
    const px = p * x;
    shared[j] = logGamma(px + q) - logGamma(px) - logGamma(q) + q * logV + px * Math.log(x);
    if (gradient !== undefined) {
      dP[j] = x * (digamma(px + q) - digamma(px) + Math.log(x));
      dQ[j] = digamma(px + q) - digamma(q) + logV;
    }
  }
  let total = 0;
  let gP = 0;
  let gQ = 0;
  let gV = 0;
  for (let i = 0; i < frequency.length; i++) {
    const x = frequency[i] as number;
    const j = slot[i] as number;
    const px = p * x;
    const logDenominator = Math.log(x * (monetaryValue[i] as number) + v);
    const ll = (shared[j] as number) + (px - 1) * (logValue[i] as number) - (px + q) * logDenominator;
    total += ll;
    if (perCustomer !== undefined) perCustomer[i] = ll;
    if (gradient !== undefined) {
      gP += (dP[j] as number) + x * ((logValue[i] as number) - logDenominator);
      gQ += (dQ[j] as number) - logDenominator;
      gV += q / v - (px + q) / (x * (monetaryValue[i] as number) + v);
    }
  }
  gradient?.set([gP, gQ, gV]);
  return total;
}

interface RepeatBuyers extends SpendSummary, FrequencyGroups {
  readonly logValue: Float64Array;
}

/** The customers with x > 0, checked: Gamma-Gamma models the mean of their repeat purchases. */
function repeatBuyers({ frequency, monetaryValue }: SpendSummary): { rows: number[]; data: RepeatBuyers } {
  if (monetaryValue.length !== frequency.length) {
    throw new RangeError(`Gamma-Gamma: frequency and monetaryValue need one entry per customer, got ${frequency.length} and ${monetaryValue.length}`);
  }
  const rows: number[] = [];
  frequency.forEach((x, i) => {
    if (!(Number.isInteger(x) && x >= 0)) throw new RangeError(`Gamma-Gamma: frequency of customer ${i} must be a whole number ≥ 0, got ${x}`);
    const m = monetaryValue[i] as number;
    if (x > 0 && !(m > 0 && m < Infinity)) throw new RangeError(`Gamma-Gamma: monetary value of customer ${i} (frequency ${x}) must be a finite number > 0, got ${m}`);
    if (x > 0) rows.push(i);
  });
  const pick = (column: Float64Array) => Float64Array.from(rows, (i) => column[i] as number);
  const x = pick(frequency);
  const m = pick(monetaryValue);
  const data = { frequency: x, monetaryValue: m, logValue: m.map(Math.log), ...groupByFrequency(x) };
  return { rows, data };
}

/** Per-customer Gamma-Gamma log-likelihood of m̄; NaN for customers with no repeat purchase, whom the model does not cover: `gammaGammaLogLikelihood({ p: 6.25, q: 3.74, v: 15.44 }, summary)`. */
export function gammaGammaLogLikelihood(params: GammaGammaParams, spend: SpendSummary): Float64Array {
  checkParams(params, 'Gamma-Gamma');
  const { rows, data } = repeatBuyers(spend);
  const used = new Float64Array(rows.length);
  gammaGammaEvaluate(params, data, used);
  const perCustomer = new Float64Array(spend.frequency.length).fill(Number.NaN);
  rows.forEach((row, i) => (perCustomer[row] = used[i] as number));
  return perCustomer;
}

/**
 * Gamma-Gamma by maximum likelihood on the customers with frequency > 0 (the rest are skipped), as lifetimes'
 * `GammaGammaFitter.fit`: BFGS on log-parameters from p = q = 1, v = the mean m̄. `fitGammaGamma(summary)`.
 */
export function fitGammaGamma(spend: SpendSummary, options: ClvFitOptions = {}): GammaGammaModel {
  const { rows, data } = repeatBuyers(spend);
  const n = rows.length;
  if (n === 0) throw new RangeError('Gamma-Gamma needs at least one customer with a repeat purchase (frequency > 0)');
  const progress = new Progress(options, 'Gamma-Gamma fit');
  const objective = penalisedObjective(n, (natural, gradient) => gammaGammaEvaluate(asGammaGamma(natural), data, undefined, gradient), options.penalizer);
  const meanValue = data.monetaryValue.reduce((total, m) => total + m, 0) / n;
  const fit = fitByMaximumLikelihood(objective, Float64Array.of(0, 0, Math.log(meanValue)), n, options, progress);
  const params = asGammaGamma(fit.params.map(Math.exp));
  const logLikelihood = gammaGammaEvaluate(params, data);
  progress.finish();
  return { ...params, standardErrors: asGammaGamma(fit.standardErrors), logLikelihood, customers: n, iterations: fit.iterations, converged: fit.converged };
}

/**
 * E[Z | p, q, v, x, m̄] = p(v + x m̄)/(px + q − 1) (Fader & Hardie 2013, eq. 5), lifetimes'
 * `conditional_expected_average_profit`: a weighted mean of the customer's m̄ and the population mean pv/(q − 1),
 * which is all a customer with x = 0 gets. Needs q > 1 (else the population mean is infinite).
 */
export function gammaGammaExpectedAverageProfit(params: GammaGammaParams, spend: SpendSummary): Float64Array {
  checkParams(params, 'Gamma-Gamma');
  const { p, q, v } = params;
  if (!(q > 1)) throw new RangeError(`Gamma-Gamma q = ${q} ≤ 1: the population's mean spend is infinite, so expected profit is undefined`);
  repeatBuyers(spend);
  return spend.frequency.map((x, i) => (p * (v + (x > 0 ? x * (spend.monetaryValue[i] as number) : 0))) / (p * x + q - 1));
}
