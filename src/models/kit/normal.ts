/** The standard normal distribution's quantile, for confidence bands that use a normal approximation. */

// Acklam's rational approximation (relative error 1.15e-9), then one Halley step on the CDF brings it to ~1e-15.
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const LOW = 0.02425;

const poly = (coefficients: readonly number[], x: number): number => coefficients.reduce((sum, c) => sum * x + c, 0);

/** z such that P(Z ≤ z) = probability: `normalQuantile(0.975)` → 1.959963984540054. */
export function normalQuantile(probability: number): number {
  if (!(probability > 0 && probability < 1)) throw new RangeError(`probability must be in (0, 1), got ${probability}`);
  let x: number;
  if (probability < LOW) {
    const q = Math.sqrt(-2 * Math.log(probability));
    x = poly(C, q) / (poly(D, q) * q + 1);
  } else if (probability <= 1 - LOW) {
    const q = probability - 0.5;
    const r = q * q;
    x = (poly(A, r) * q) / (poly(B, r) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - probability));
    x = -poly(C, q) / (poly(D, q) * q + 1);
  }
  const error = normalCdf(x) - probability;
  const u = error * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/** P(Z ≤ x), from erf's Taylor series near 0 and its continued fraction in the tails. */
export function normalCdf(x: number): number {
  const t = x / Math.SQRT2;
  return Math.abs(t) < 3 ? 0.5 * (1 + erfSeries(t)) : t > 0 ? 1 - 0.5 * erfcFraction(t) : 0.5 * erfcFraction(-t);
}

function erfSeries(t: number): number {
  let term = t;
  let sum = t;
  for (let n = 1; n < 200; n++) {
    term *= (-t * t) / n;
    const add = term / (2 * n + 1);
    sum += add;
    if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

/** erfc(t) for t ≥ 3 by Lentz's continued fraction: erfc t = e^(-t²)/√π · 1/(t + (1/2)/(t + 1/(t + (3/2)/(t + …)))). */
function erfcFraction(t: number): number {
  let f = t;
  let c = t;
  let d = 0;
  for (let n = 1; n < 300; n++) {
    const a = n / 2;
    d = 1 / (t + a * d);
    c = t + a / c;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-t * t) / (Math.sqrt(Math.PI) * f);
}
