// Customer lifetime value as in lifetimes 0.11 (Python): BG/NBD for the number of future purchases, Gamma-Gamma for
// their value. Own code rather than a port of a package: none in JS works on typed arrays with progress and abort.
import { Progress, type RunControl } from '../kit/progress.ts';

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

// Lanczos (1964) with Paul Godfrey's coefficients for g = 7, n = 9.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** ln Γ(x) for x > 0 (Lanczos approximation, about 15 significant digits; NaN otherwise): `logGamma(5)` = ln 24. */
export function logGamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x); // reflection
  const shifted = x - 1;
  let series = LANCZOS[0] as number;
  for (let i = 1; i < LANCZOS.length; i++) series += (LANCZOS[i] as number) / (shifted + i);
  const base = shifted + 7.5;
  return HALF_LOG_TWO_PI + (shifted + 0.5) * Math.log(base) - base + Math.log(series);
}

/** ψ(x) = d ln Γ / dx for x > 0: recurrence up to 10, then the asymptotic series (error < 1e-13). */
function digamma(x: number): number {
  let result = 0;
  for (; x < 10; x++) result -= 1 / x;
  const inv2 = 1 / (x * x);
  return result + Math.log(x) - 0.5 / x - inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 / 132))));
}

const SERIES_LIMIT = 100_000;

/**
 * Gauss hypergeometric ₂F₁(a, b; c; z) for |z| < 1 by its power series (DLMF 15.2.1): `hyp2f1(1, 1, 2, 0.5)` = 2 ln 2.
 * Convergence: the ratio of consecutive terms, (a+n)(b+n)z / ((c+n)(n+1)), tends to z, so once past the largest term
 * the rest is bounded by a geometric series; summing stops when that bound is below 1e-16 of the sum — about 50 terms
 * at z = 0.5, 300 at 0.9, 3,200 at 0.99, 32,000 at 0.999. Throws past 100,000 terms (|z| ≳ 0.9997), for |z| ≥ 1 and at
 * the poles c = 0, −1, …. (BG/NBD's z = t/(α + T + t) reaches 0.999 only for a horizon 1,000 times the customer's age.)
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  return 1 + hyp2f1Tail(a, b, c, z);
}

/** ₂F₁ − 1, so that log1p keeps its precision near z = 0. */
function hyp2f1Tail(a: number, b: number, c: number, z: number): number {
  if (!(Math.abs(z) < 1)) throw new RangeError(`the 2F1 series needs |z| < 1, got z = ${z}`);
  if (c <= 0 && Number.isInteger(c)) throw new RangeError(`2F1 has a pole at c = ${c}`);
  let term = 1;
  let sum = 0;
  for (let n = 0; n < SERIES_LIMIT; n++) {
    term *= ((a + n) * (b + n) * z) / ((c + n) * (n + 1));
    sum += term;
    const bound = Math.max(Math.abs(((a + n + 1) * (b + n + 1) * z) / ((c + n + 1) * (n + 2))), Math.abs(z));
    if (term === 0 || (bound < 1 && (Math.abs(term) * bound) / (1 - bound) <= 1e-16 * Math.abs(sum))) return sum;
  }
  throw new RangeError(`2F1(${a}, ${b}; ${c}; ${z}) did not converge in ${SERIES_LIMIT} terms`);
}

/** Customers grouped by frequency: terms that depend only on x (log-gammas, digammas) are computed once per distinct x. */
interface FrequencyGroups {
  readonly distinct: Float64Array;
  /** Index into `distinct` of each customer's frequency. */
  readonly slot: Int32Array;
}

function groupByFrequency(frequency: Float64Array): FrequencyGroups {
  const index = new Map<number, number>();
  const slot = new Int32Array(frequency.length);
  frequency.forEach((x, i) => {
    if (!index.has(x)) index.set(x, index.size);
    slot[i] = index.get(x) as number;
  });
  return { distinct: Float64Array.from(index.keys()), slot };
}

const asBgNbd = (theta: Float64Array): BgNbdParams => ({ r: theta[0] as number, alpha: theta[1] as number, a: theta[2] as number, b: theta[3] as number });
const asGammaGamma = (theta: Float64Array): GammaGammaParams => ({ p: theta[0] as number, q: theta[1] as number, v: theta[2] as number });

function checkSummary({ frequency, recency, age }: CustomerSummary, what: string): void {
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
  return customers.frequency.map((x, i) => conditionalPurchases(params, x, customers.recency[i] as number, customers.age[i] as number, t));
}

/** E[X(t)] (eq. 9), lifetimes' `expected_number_of_purchases_up_to_time`: repeat purchases in (0, t] of a brand-new customer. */
export function bgNbdExpectedPurchasesOfNewCustomer(params: BgNbdParams, t: number): number {
  checkParams(params, 'BG/NBD');
  if (!(t >= 0 && t < Infinity)) throw new RangeError(`horizon t must be a finite number ≥ 0, got ${t}`);
  return conditionalPurchases(params, 0, 0, 0, t);
}

/**
 * Eq. 10 with z = t/(α + T + t). Euler's transformation (DLMF 15.8.1) turns (1 − z)^{r+x} ₂F₁(r+x, b+x; a+b+x−1; z) into
 * (1 − z)^{a−1} ₂F₁(a+b−1−r, a−1; a+b+x−1; z): the numerator parameters no longer grow with x, so a frequent buyer needs
 * no more terms than a new one and nothing overflows (lifetimes switches to this form only when the first overflows).
 */
function conditionalPurchases(params: BgNbdParams, x: number, tx: number, T: number, t: number): number {
  const { r, alpha, a, b } = params;
  // a = 1 is a removable 0/0; the expectation is smooth in a, so average a = 1 ± 1e-6 (error ~1e-10 from the cancellation).
  if (Math.abs(a - 1) < 1e-7) return (conditionalPurchases({ ...params, a: 1 - 1e-6 }, x, tx, T, t) + conditionalPurchases({ ...params, a: 1 + 1e-6 }, x, tx, T, t)) / 2;
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

const UNITS_PER_MONTH: Record<ClvTimeUnit, number> = { day: 30, week: 4.345, month: 1 };

/**
 * Discounted customer lifetime value over `months`, as lifetimes' `GammaGammaFitter.customer_lifetime_value`: for month
 * k = 1…months, (E[Y(k·u)] − E[Y((k−1)·u)]) · expected average profit / (1 + monthlyDiscountRate)^k, with u time units
 * per month (30 days, 4.345 weeks) — each month's purchases are discounted as if made at its end.
 * `customerLifetimeValue(bgNbd, gammaGamma, summary, { months: 12, timeUnit: 'week' })`.
 */
export function customerLifetimeValue(purchases: BgNbdParams, spend: GammaGammaParams, customers: CustomerSummary & SpendSummary, options: ClvOptions = {}): Float64Array {
  const { months = 12, monthlyDiscountRate = 0.01, timeUnit = 'day' } = options;
  if (!(Number.isInteger(months) && months >= 1)) throw new RangeError(`months must be a whole number ≥ 1, got ${months}`);
  if (!(monthlyDiscountRate > -1 && monthlyDiscountRate < Infinity)) throw new RangeError(`monthlyDiscountRate must be a finite number > −1, got ${monthlyDiscountRate}`);
  const unitsPerMonth = UNITS_PER_MONTH[timeUnit];
  if (unitsPerMonth === undefined) throw new RangeError(`timeUnit must be 'day', 'week' or 'month', got ${String(timeUnit)}`);
  checkParams(purchases, 'BG/NBD');
  checkSummary(customers, 'CLV');
  const profit = gammaGammaExpectedAverageProfit(spend, customers);
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

type Objective = (logParams: Float64Array, gradient: Float64Array) => number;

/** Mean negative log-likelihood plus penalizer · Σ θ², over log-parameters, with its gradient (chain rule: ∂/∂ln θ = θ ∂/∂θ). */
function penalisedObjective(n: number, logLikelihood: (natural: Float64Array, gradient: Float64Array) => number, penalizer = 0): Objective {
  if (!(penalizer >= 0 && penalizer < Infinity)) throw new RangeError(`penalizer must be a finite number ≥ 0, got ${penalizer}`);
  return (logParams, gradient) => {
    const natural = logParams.map(Math.exp);
    const value = -logLikelihood(natural, gradient) / n;
    let penalty = 0;
    natural.forEach((theta, i) => {
      penalty += theta * theta;
      gradient[i] = (-(gradient[i] as number) * theta) / n + 2 * penalizer * theta * theta;
    });
    return value + penalizer * penalty;
  };
}

/** Minimises the objective; standard errors from the central-difference Hessian of n · objective at the optimum. */
function fitByMaximumLikelihood(objective: Objective, start: Float64Array, n: number, options: ClvFitOptions, progress: Progress) {
  const { maxIterations = 500 } = options;
  if (!(Number.isInteger(maxIterations) && maxIterations >= 1)) throw new RangeError(`maxIterations must be a whole number ≥ 1, got ${maxIterations}`);
  const fit = minimiseBfgs(objective, start, maxIterations, (iteration) => progress.checkpoint(iteration / maxIterations));
  const k = start.length;
  const step = 1e-5;
  const hessian = new Float64Array(k * k);
  const plus = new Float64Array(k);
  const minus = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const shifted = fit.params.slice();
    shifted[j] = (fit.params[j] as number) + step;
    objective(shifted, plus);
    shifted[j] = (fit.params[j] as number) - step;
    objective(shifted, minus);
    for (let i = 0; i < k; i++) hessian[i * k + j] = (n * ((plus[i] as number) - (minus[i] as number))) / (2 * step);
  }
  // Variance of ln θ is the inverse Hessian's diagonal; at the optimum Var θ ≈ θ² Var ln θ (delta method).
  const variances = inverseDiagonal(hessian, k);
  const standardErrors = fit.params.map((logTheta, i) => Math.exp(logTheta) * Math.sqrt(variances[i] as number));
  return { ...fit, standardErrors };
}

/** Diagonal of the inverse of a symmetric k × k matrix by Cholesky; NaN throughout when it is not positive definite. */
function inverseDiagonal(matrix: Float64Array, k: number): Float64Array {
  const lower = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = ((matrix[i * k + j] as number) + (matrix[j * k + i] as number)) / 2;
      for (let m = 0; m < j; m++) sum -= (lower[i * k + m] as number) * (lower[j * k + m] as number);
      if (i === j && !(sum > 0)) return new Float64Array(k).fill(Number.NaN);
      lower[i * k + j] = i === j ? Math.sqrt(sum) : sum / (lower[j * k + j] as number);
    }
  }
  const diagonal = new Float64Array(k);
  for (let column = 0; column < k; column++) {
    const solved = new Float64Array(k); // this column of L⁻¹, by forward substitution
    for (let i = column; i < k; i++) {
      let sum = i === column ? 1 : 0;
      for (let m = column; m < i; m++) sum -= (lower[i * k + m] as number) * (solved[m] as number);
      solved[i] = sum / (lower[i * k + i] as number);
      diagonal[column] = (diagonal[column] as number) + (solved[i] as number) ** 2; // (L⁻ᵀL⁻¹)_cc = Σᵢ (L⁻¹)ᵢ꜀²
    }
  }
  return diagonal;
}

// On the mean negative log-likelihood per customer, in log-parameters. Below about 1e-7 a step's gain, |g|²/2, is lost in
// the rounding of the sum, so a fit that can no longer descend counts as converged when the gradient is under 1e-6.
const GRADIENT_TOLERANCE = 1e-8;
const STALLED_TOLERANCE = 1e-6;

/**
 * BFGS (Nocedal & Wright 2006, algorithm 6.1) with a backtracking Armijo line search; a non-finite value counts as a
 * step too far. Steps are capped at 2 in log-parameter space (a factor e² per iteration), so exp never overflows.
 */
function minimiseBfgs(objective: Objective, start: Float64Array, maxIterations: number, onIteration: (iteration: number) => void) {
  const k = start.length;
  const params = Float64Array.from(start);
  const gradient = new Float64Array(k);
  let value = objective(params, gradient);
  if (!Number.isFinite(value)) throw new RangeError(`the log-likelihood is not finite at the starting point (${Array.from(start, Math.exp).join(', ')})`);
  const inverse = new Float64Array(k * k);
  const reset = (): void => {
    inverse.fill(0);
    for (let i = 0; i < k; i++) inverse[i * k + i] = 1;
  };
  reset();
  let fresh = true; // the inverse Hessian is the identity
  const direction = new Float64Array(k);
  const trial = new Float64Array(k);
  const trialGradient = new Float64Array(k);
  const largest = (vector: Float64Array) => vector.reduce((max, entry) => Math.max(max, Math.abs(entry)), 0);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    onIteration(iteration);
    if (largest(gradient) < GRADIENT_TOLERANCE) return { params, value, iterations: iteration, converged: true };
    let slope = 0;
    for (let i = 0; i < k; i++) {
      let entry = 0;
      for (let j = 0; j < k; j++) entry -= (inverse[i * k + j] as number) * (gradient[j] as number);
      direction[i] = entry;
      slope += entry * (gradient[i] as number);
    }
    if (!(slope < 0)) {
      reset();
      fresh = true;
      direction.set(gradient.map((g) => -g));
      slope = -gradient.reduce((sum, g) => sum + g * g, 0);
    }
    let step = Math.min(1, 2 / largest(direction));
    let accepted = false;
    let trialValue = Number.NaN;
    for (let halvings = 0; halvings < 60 && !accepted; halvings++) {
      for (let i = 0; i < k; i++) trial[i] = (params[i] as number) + step * (direction[i] as number);
      trialValue = objective(trial, trialGradient);
      accepted = trialValue < value && trialValue <= value + 1e-4 * step * slope; // strict: rounding must not pass for progress
      if (!accepted) step /= 2;
    }
    if (!accepted) {
      if (fresh) return { params, value, iterations: iteration, converged: largest(gradient) < STALLED_TOLERANCE };
      reset();
      fresh = true;
      continue;
    }
    const s = trial.map((entry, i) => entry - (params[i] as number));
    const y = trialGradient.map((entry, i) => entry - (gradient[i] as number));
    const sy = s.reduce((sum, entry, i) => sum + entry * (y[i] as number), 0);
    if (sy > 1e-14) {
      if (fresh) {
        const scale = sy / y.reduce((sum, entry) => sum + entry * entry, 0); // Nocedal & Wright eq. 6.20
        for (let i = 0; i < k; i++) inverse[i * k + i] = scale;
        fresh = false;
      }
      // H ← H − ρ(H y sᵀ + s yᵀH) + (ρ² yᵀHy + ρ) s sᵀ, with ρ = 1/(sᵀy)
      const rho = 1 / sy;
      const hy = new Float64Array(k);
      for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) hy[i] = (hy[i] as number) + (inverse[i * k + j] as number) * (y[j] as number);
      const yhy = y.reduce((sum, entry, i) => sum + entry * (hy[i] as number), 0);
      for (let i = 0; i < k; i++) {
        for (let j = 0; j < k; j++) {
          const si = s[i] as number;
          const sj = s[j] as number;
          inverse[i * k + j] = (inverse[i * k + j] as number) - rho * ((hy[i] as number) * sj + si * (hy[j] as number)) + (rho * rho * yhy + rho) * si * sj;
        }
      }
    }
    params.set(trial);
    gradient.set(trialGradient);
    value = trialValue;
  }
  return { params, value, iterations: maxIterations, converged: largest(gradient) < GRADIENT_TOLERANCE };
}
