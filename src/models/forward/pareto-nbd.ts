/**
 * The Pareto/NBD model (Schmittlein, Morrison & Colombo 1987) as lifetimes' `ParetoNBDFitter`: purchases at rate
 * λ ~ Gamma(r, α) while alive, a lifetime exponential with rate μ ~ Gamma(s, β) — a customer can leave at any time, not
 * only right after a purchase as in BG/NBD. Formulas from Fader & Hardie (2005), "A note on deriving the Pareto/NBD model
 * and related expressions" (Hardie's note 009).
 */
import { Progress } from '../kit/progress.ts';
import { hyp2f1Tail, logGamma } from '../kit/special.ts';
import { fitByMaximumLikelihood, penalisedObjective } from '../kit/maximum-likelihood.ts';
import { checkSummary, type CustomerSummary } from './clv-summary.ts';
import type { ClvFitOptions, ModelFit } from './clv.ts';

/** Pareto/NBD: purchase rate λ ~ Gamma(shape r, rate α), drop-out rate μ ~ Gamma(shape s, rate β), α and β in the summary's time unit. */
export interface ParetoNbdParams {
  readonly r: number;
  readonly alpha: number;
  readonly s: number;
  readonly beta: number;
}

/** Fitted Pareto/NBD with standard errors as for BG/NBD (inverse observed information; NaN where not positive definite). */
export interface ParetoNbdModel extends ParetoNbdParams, ModelFit {
  readonly standardErrors: ParetoNbdParams;
}

const asParetoNbd = (theta: Float64Array): ParetoNbdParams => ({ r: theta[0] as number, alpha: theta[1] as number, s: theta[2] as number, beta: theta[3] as number });

function checkParetoNbd(params: ParetoNbdParams): void {
  for (const [name, value] of Object.entries({ r: params.r, alpha: params.alpha, s: params.s, beta: params.beta })) {
    if (!(value > 0 && value < Infinity)) throw new RangeError(`Pareto/NBD parameter ${name} must be a finite number > 0, got ${value}`);
  }
}

/**
 * ln of J = ∫_{from}^{to} (α + τ)^{−(r+x)} (β + τ)^{−(s+1)} dτ, the chance-weighted time of dying in (t_x, T] (note 009,
 * eq. 18's A₀ is J's closed form). With p ≥ q the larger and smaller of α, β and P, Q their exponents, v = (q+τ)/(p+τ)
 * turns J into (p − q)^{−a} ∫ v^{−Q}(1 − v)^{a−1} dv with a = r + s + x; J's tail from t to ∞ is
 * ₂F₁(a, Q; a+1; z)/(a (p+t)^a) with z = 1 − v (lifetimes' form). That series needs ~300 terms at z = 0.9 and stops
 * converging usefully as z → 1 (one rate far larger than the other), so below v = min(0.1, 4/a) the integral is summed
 * termwise in v instead: Σₖ C(a−1, k)(−1)^k ∫ v^{k−Q} dv, which needs no special case where Q is a whole number (the
 * (1 − z) transformation of ₂F₁ has poles there), and whose alternating terms stay below e^{a·v} ≤ e⁴ times the sum.
 */
function logDyingIntegral(params: ParetoNbdParams, x: number, from: number, to: number): number {
  if (!(to > from)) return Number.NEGATIVE_INFINITY;
  const { r, alpha, s, beta } = params;
  const [p, P, q, Q] = alpha >= beta ? [alpha, r + x, beta, s + 1] : [beta, s + 1, alpha, r + x];
  const a = P + Q - 1;
  const nearZero = Math.min(0.1, 4 / a);
  const v = (tau: number) => (q + tau) / (p + tau);
  // ln of the tail ∫_t^∞ (p+τ)^{−P}(q+τ)^{−Q} dτ, used where v ≥ nearZero
  const logTail = (t: number) => Math.log1p(hyp2f1Tail(a, Q, a + 1, (p - q) / (p + t))) - Math.log(a) - a * Math.log(p + t);
  const vFrom = v(from);
  const vTo = v(to);
  let logNear = Number.NEGATIVE_INFINITY;
  if (vFrom < nearZero) logNear = logSeriesInV(vFrom, Math.min(vTo, nearZero), a, Q) - a * Math.log(p - q);
  let logFar = Number.NEGATIVE_INFINITY;
  if (vTo > nearZero) {
    // the far part starts where v = nearZero, i.e. τ = (nearZero · p − q)/(1 − nearZero), or at `from` if that is later
    const start = vFrom >= nearZero ? from : (nearZero * p - q) / (1 - nearZero);
    const upper = logTail(start);
    logFar = upper + Math.log(-Math.expm1(logTail(to) - upper));
  }
  const top = Math.max(logNear, logFar);
  return top + Math.log(Math.exp(logNear - top) + Math.exp(logFar - top));
}

/**
 * ln ∫_{v0}^{v1} v^{−Q}(1 − v)^{a−1} dv for 0 < v0 < v1, a·v1 ≤ 4: with (1 − v)^{a−1} = Σ cₖ v^k, c₀ = 1,
 * c_{k+1} = cₖ (k + 1 − a)/(k + 1), each term is cₖ v1^k · v1^{1−Q} · (1 − ρ^e)/e with ρ = v0/v1, e = k + 1 − Q
 * ((1 − ρ^e)/e → ln(1/ρ) as e → 0). Terms are kept as logs, so a tiny v0 with a large Q overflows nothing.
 */
function logSeriesInV(v0: number, v1: number, a: number, Q: number): number {
  const span = Math.log(v1 / v0);
  const logs: number[] = [];
  const signs: number[] = [];
  let logWeight = 0; // ln |cₖ v1^k|
  let sign = 1;
  let largest = Number.NEGATIVE_INFINITY;
  const total = () => largest + Math.log(logs.reduce((sum, value, i) => sum + (signs[i] as number) * Math.exp(value - largest), 0)) + (1 - Q) * Math.log(v1);
  for (let k = 0; k < 10_000; k++) {
    const e = k + 1 - Q;
    // ln((1 − ρ^e)/e), positive for either sign of e
    const logPart = e > 0 ? Math.log(-Math.expm1(-e * span)) - Math.log(e) : e < 0 ? -e * span + Math.log(-Math.expm1(e * span)) - Math.log(-e) : Math.log(span);
    const logTerm = logWeight + logPart;
    logs.push(logTerm);
    signs.push(sign);
    largest = Math.max(largest, logTerm);
    if (k > Q && k > a * v1 && logTerm < largest - 45) return total();
    const factor = ((k + 1 - a) / (k + 1)) * v1;
    if (factor === 0) return total(); // a is a whole number: (1 − v)^{a−1} is a polynomial, the sum is exact
    logWeight += Math.log(Math.abs(factor));
    if (factor < 0) sign = -sign;
  }
  throw new RangeError(`Pareto/NBD: the likelihood series did not converge (a = ${a}, Q = ${Q}, v = ${v0}…${v1})`);
}

/** ln of the bracket in eq. 18 after A₁: (α+T)^{−(r+x)}(β+T)^{−s} (alive at T) and s·J (died in (t_x, T]), with both logs. */
function logParts(params: ParetoNbdParams, x: number, tx: number, T: number) {
  const { r, alpha, s, beta } = params;
  const logAlive = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
  const logDied = Math.log(s) + logDyingIntegral(params, x, tx, T);
  const top = Math.max(logAlive, logDied);
  return { logAlive, logDied, logBracket: top + Math.log(Math.exp(logAlive - top) + Math.exp(logDied - top)) };
}

function paretoNbdSum(params: ParetoNbdParams, { frequency, recency, age }: CustomerSummary, perCustomer?: Float64Array, weight?: Float64Array): number {
  const { r, alpha, s, beta } = params;
  const base = -logGamma(r) + r * Math.log(alpha) + s * Math.log(beta);
  const logGammaOf = new Map<number, number>();
  let total = 0;
  for (let i = 0; i < frequency.length; i++) {
    const x = frequency[i] as number;
    let lg = logGammaOf.get(x);
    if (lg === undefined) logGammaOf.set(x, (lg = logGamma(r + x)));
    const ll = base + lg + logParts(params, x, recency[i] as number, age[i] as number).logBracket;
    total += weight === undefined ? ll : (weight[i] as number) * ll;
    if (perCustomer !== undefined) perCustomer[i] = ll;
  }
  return total;
}

/** The distinct (x, t_x, T) with how many customers share each: customers without a repeat purchase mostly share a few ages. */
function distinctCustomers({ frequency, recency, age }: CustomerSummary) {
  const index = new Map<string, number>();
  const rows: [number, number, number][] = [];
  const weight: number[] = [];
  for (let i = 0; i < frequency.length; i++) {
    const key = `${frequency[i]} ${recency[i]} ${age[i]}`;
    const slot = index.get(key);
    if (slot === undefined) {
      index.set(key, rows.length);
      rows.push([frequency[i] as number, recency[i] as number, age[i] as number]);
      weight.push(1);
    } else weight[slot] = (weight[slot] as number) + 1;
  }
  const column = (k: 0 | 1 | 2) => Float64Array.from(rows, (row) => row[k]);
  return { frequency: column(0), recency: column(1), age: column(2), weight: Float64Array.from(weight) };
}

/**
 * Per-customer Pareto/NBD log-likelihood (note 009, eq. 18; lifetimes' `ParetoNBDFitter._conditional_log_likelihood`):
 * `paretoNbdLogLikelihood({ r: 0.55, alpha: 10.58, s: 0.61, beta: 11.67 }, cdnow)`.
 */
export function paretoNbdLogLikelihood(params: ParetoNbdParams, customers: CustomerSummary): Float64Array {
  checkParetoNbd(params);
  checkSummary(customers, 'Pareto/NBD');
  const perCustomer = new Float64Array(customers.frequency.length);
  paretoNbdSum(params, customers, perCustomer);
  return perCustomer;
}

// Central differences in log-parameters: J has no closed-form derivative in r and s. The error, ~1e-11 here, is far
// below BFGS's stopping test on the gradient (1e-8). The standard errors difference these gradients again, at 1e-3.
const STEP = 1e-5;

/**
 * Pareto/NBD by maximum likelihood: BFGS on log-parameters (numerical gradient) from r = α = s = β = 1 in time rescaled
 * so that the longest age is 10, as `fitBgNbd`. lifetimes runs Nelder-Mead from a random start and stops at tol 1e-4,
 * which leaves its estimates about 1e-4 (relative) from the maximum. `fitParetoNbd(summary)`.
 */
export function fitParetoNbd(customers: CustomerSummary, options: ClvFitOptions = {}): ParetoNbdModel {
  checkSummary(customers, 'Pareto/NBD');
  const n = customers.frequency.length;
  if (n === 0) throw new RangeError('Pareto/NBD needs at least one customer');
  const progress = new Progress(options, 'Pareto/NBD fit');
  const maxAge = customers.age.reduce((max, T) => Math.max(max, T), 0);
  const scale = maxAge > 0 ? 10 / maxAge : 1;
  const distinct = distinctCustomers(customers);
  const scaled = { frequency: distinct.frequency, recency: distinct.recency.map((tx) => tx * scale), age: distinct.age.map((T) => T * scale) };
  // A point where a series gives up is a step too far for BFGS (NaN), not the end of the fit.
  const at = (logParams: Float64Array) => {
    try {
      return paretoNbdSum(asParetoNbd(logParams.map(Math.exp)), scaled, undefined, distinct.weight);
    } catch (error) {
      if (error instanceof RangeError) return Number.NaN;
      throw error;
    }
  };
  const logLikelihood = (natural: Float64Array, gradient: Float64Array): number => {
    const logParams = natural.map(Math.log);
    const shifted = logParams.slice();
    for (let j = 0; j < 4; j++) {
      shifted[j] = (logParams[j] as number) + STEP;
      const up = at(shifted);
      shifted[j] = (logParams[j] as number) - STEP;
      const down = at(shifted);
      shifted[j] = logParams[j] as number;
      gradient[j] = (up - down) / (2 * STEP) / (natural[j] as number); // penalisedObjective wants ∂/∂θ, not ∂/∂ln θ
    }
    const value = at(logParams);
    return gradient.every(Number.isFinite) ? value : Number.NaN;
  };
  const objective = penalisedObjective(n, logLikelihood, options.penalizer);
  const fit = fitByMaximumLikelihood(objective, new Float64Array(4), n, options, progress, 1e-3);
  const fitted = asParetoNbd(fit.params.map(Math.exp));
  const params = { ...fitted, alpha: fitted.alpha / scale, beta: fitted.beta / scale };
  const se = asParetoNbd(fit.standardErrors);
  progress.finish();
  return {
    ...params,
    standardErrors: { ...se, alpha: se.alpha / scale, beta: se.beta / scale },
    logLikelihood: paretoNbdSum(params, customers),
    customers: n,
    iterations: fit.iterations,
    converged: fit.converged,
  };
}

/** ln P(alive at T | x, t_x, T) = ln[(α+T)^{−(r+x)}(β+T)^{−s}] − ln[bracket] (note 009, eq. 19). */
function logProbabilityAlive(params: ParetoNbdParams, x: number, tx: number, T: number): number {
  const { logAlive, logBracket } = logParts(params, x, tx, T);
  return logAlive - logBracket;
}

/** P(alive | x, t_x, T) (note 009, eq. 19; lifetimes' `conditional_probability_alive`): `paretoNbdProbabilityAlive(model, summary)`. */
export function paretoNbdProbabilityAlive(params: ParetoNbdParams, customers: CustomerSummary): Float64Array {
  checkParetoNbd(params);
  checkSummary(customers, 'Pareto/NBD');
  return customers.frequency.map((x, i) => Math.exp(logProbabilityAlive(params, x, customers.recency[i] as number, customers.age[i] as number)));
}

/**
 * E[Y(t) | x, t_x, T] = P(alive) · (r+x)(β+T)/((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^{s−1}] (note 009, eq. 22; lifetimes'
 * `conditional_expected_number_of_purchases_up_to_time`), with its s = 1 limit (β+T) ln(1 + t/(β+T)) taken smoothly.
 */
export function paretoNbdConditionalPurchases(params: ParetoNbdParams, x: number, tx: number, T: number, t: number): number {
  const { r, alpha, s, beta } = params;
  const span = Math.log1p(t / (beta + T));
  const y = -(s - 1) * span;
  const lifetime = (beta + T) * span * (y === 0 ? 1 : -Math.expm1(y) / -y); // (β+T) · (1 − e^{−(s−1)·span})/(s − 1)
  return Math.exp(logProbabilityAlive(params, x, tx, T)) * ((r + x) / (alpha + T)) * lifetime;
}

/** Expected repeat purchases in the next `t` time units per customer: `paretoNbdExpectedPurchases(model, summary, 52)`. */
export function paretoNbdExpectedPurchases(params: ParetoNbdParams, customers: CustomerSummary, t: number): Float64Array {
  checkParetoNbd(params);
  checkSummary(customers, 'Pareto/NBD');
  if (!(t >= 0 && t < Infinity)) throw new RangeError(`horizon t must be a finite number ≥ 0, got ${t}`);
  return customers.frequency.map((x, i) => paretoNbdConditionalPurchases(params, x, customers.recency[i] as number, customers.age[i] as number, t));
}
