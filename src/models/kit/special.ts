/** Special functions the models share: ln Γ, ψ, Gauss's ₂F₁, the regularised incomplete beta and Student's t quantile. */

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
export function digamma(x: number): number {
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
export function hyp2f1Tail(a: number, b: number, c: number, z: number): number {
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

/** Quantile of Student's t: `studentTQuantile(0.975, 10)` → 2.2281; bisection on the CDF via the incomplete beta. */
export function studentTQuantile(probability: number, df: number): number {
  if (!(probability > 0 && probability < 1)) throw new RangeError(`probability must be in (0, 1), got ${probability}`);
  if (!(df > 0)) throw new RangeError(`degrees of freedom must be positive, got ${df}`);
  if (probability < 0.5) return -studentTQuantile(1 - probability, df);
  const upperTail = (t: number): number => 0.5 * regularisedBeta(df / (df + t * t), df / 2, 0.5);
  let high = 1;
  while (upperTail(high) > 1 - probability) high *= 2;
  let low = 0;
  for (let i = 0; i < 200 && high - low > 1e-15 * high; i++) {
    const middle = (low + high) / 2;
    if (upperTail(middle) > 1 - probability) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

/** I_x(a, b) by its continued fraction (Press et al., Numerical Recipes, 3rd ed., §6.4). */
function regularisedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (front * betaFraction(x, a, b)) / a : 1 - (front * betaFraction(1 - x, b, a)) / b;
}

function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  const guard = (value: number): number => (Math.abs(value) < tiny ? tiny : value);
  let c = 1;
  let d = 1 / guard(1 - ((a + b) * x) / (a + 1));
  let result = d;
  for (let step = 1; step <= 500; step++) {
    const even = (step * (b - step) * x) / ((a + 2 * step - 1) * (a + 2 * step));
    d = 1 / guard(1 + even * d);
    c = guard(1 + even / c);
    result *= d * c;
    const odd = (-(a + step) * (a + b + step) * x) / ((a + 2 * step) * (a + 2 * step + 1));
    d = 1 / guard(1 + odd * d);
    c = guard(1 + odd / c);
    const delta = d * c;
    result *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return result;
}
