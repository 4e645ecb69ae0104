// Own Holt-Winters, not a package: statsmodels' heuristic start, bounded fits with progress and abort, and
// intervals from Hyndman, Koehler, Ord & Snyder, "Forecasting with Exponential Smoothing" (2008), in one file.
import { Rng } from '../kit/random.ts';
import type { Forecast } from './forecast.ts';
import { Progress, type RunControl } from '../kit/progress.ts';
import { nelderMead } from '../kit/nelder-mead.ts';
import { ParamError } from '../kit/params.ts';

export type TrendKind = 'add' | 'none';
export type SeasonalKind = 'add' | 'mul' | 'none';

/** A Holt-Winters method; with additive errors it is ETS(A,N|A|Ad,N|A|M) of Hyndman et al. (2008) table 2.1. */
export interface HoltWintersSpec {
  /** Season length: 12 for months, 7 for days, 52 for weeks (unused when `seasonal` is 'none'). */
  readonly m: number;
  readonly trend: TrendKind;
  /** Damped trend (Gardner & McKenzie 1985); needs `trend: 'add'`. */
  readonly damped: boolean;
  readonly seasonal: SeasonalKind;
}

/**
 * Smoothing parameters in the component form of statsmodels' ExponentialSmoothing (fpp3 §8.3): `beta` is Holt's
 * β*, so the state-space β is α·β*; `gamma` is the state-space γ. Absent components have β = γ = 0 and φ = 1.
 */
export interface HoltWintersParams {
  readonly alpha: number;
  readonly beta: number;
  readonly gamma: number;
  readonly phi: number;
}

/** States; `seasonal` holds m values, oldest first: s(1−m)…s(0) at the start, s(n−m+1)…s(n) at the end. */
export interface HoltWintersStates {
  readonly level: number;
  readonly trend: number;
  readonly seasonal: Float64Array;
}

export interface HoltWintersFit {
  readonly spec: HoltWintersSpec;
  readonly params: HoltWintersParams;
  readonly initial: HoltWintersStates;
  readonly final: HoltWintersStates;
  /** One-step-ahead in-sample forecasts. */
  readonly fitted: Float64Array;
  /** Sum of squared one-step-ahead errors, the fitting criterion. */
  readonly sse: number;
  /** statsmodels' AICc: k counts α, l₀, β and b₀, φ, and m seasonal starts, as its HoltWintersResults. */
  readonly aicc: number;
  /** √(SSE / (n − k)), the σ of the additive errors. */
  readonly sigma: number;
}

export interface HoltWintersOptions extends HoltWintersSpec, RunControl {
  /** Periods to forecast. */
  readonly h: number;
  /** Fixed parameters instead of a fit; every one the method uses must be given (`phi` only when damped). */
  readonly params?: { readonly alpha: number; readonly beta?: number; readonly gamma?: number; readonly phi?: number };
  /** 'analytic' (default for additive or no season) or 'simulated' (always for a multiplicative season). */
  readonly intervals?: 'analytic' | 'simulated';
  /** Simulated sample paths; default 5000. */
  readonly paths?: number;
  /** Seed of the simulated errors; default 0. */
  readonly seed?: number;
}

export interface HoltWintersResult extends Forecast, HoltWintersFit {}

const PARAM_FLOOR = 1e-6;
const PHI_RANGE = [0.8, 0.98] as const;

/**
 * Holt-Winters forecasts with 80% and 95% prediction intervals, the parameters fitted by minimising the SSE of
 * one-step-ahead errors unless fixed: `holtWinters(revenue, { m: 12, trend: 'add', damped: true, seasonal: 'mul', h: 12 })`.
 * Initial states: statsmodels' `initialization_method='heuristic'` (see `heuristicInitialStates`).
 */
export function holtWinters(y: Float64Array, options: HoltWintersOptions): HoltWintersResult {
  const { h, paths = 5000, seed = 0 } = options;
  if (!Number.isInteger(h) || h < 1) throw new ParamError(`h must be a positive integer, got ${h}`);
  const simulated = options.seasonal === 'mul' || options.intervals === 'simulated';
  if (simulated && (!Number.isInteger(paths) || paths < 100)) throw new ParamError(`paths must be an integer ≥ 100, got ${paths}`);
  const progress = new Progress(options, 'Holt-Winters');
  const fit = fitHoltWinters(y, { ...options, ...progress.slice(0, simulated ? 0.5 : 1) });
  const mean = holtWintersPoint(fit, h);
  const bands = simulated ? simulateBands(fit, h, paths, seed, progress) : analyticBands(fit, mean);
  progress.finish();
  return { ...fit, method: holtWintersLabel(fit.spec), mean, ...bands };
}

/** `Holt-Winters ETS(A,Ad,M)`: the additive-error ETS class of a method (Hyndman et al. 2008 table 2.1). */
export function holtWintersLabel({ trend, damped, seasonal }: HoltWintersSpec): string {
  const trendCode = trend === 'none' ? 'N' : damped ? 'Ad' : 'A';
  return `Holt-Winters ETS(A,${trendCode},${seasonal === 'none' ? 'N' : seasonal === 'add' ? 'A' : 'M'})`;
}

/** Fits (or applies fixed) parameters and returns states, fitted values, SSE, AICc and σ; no forecasts. */
export function fitHoltWinters(y: Float64Array, options: HoltWintersSpec & RunControl & Pick<HoltWintersOptions, 'params'>): HoltWintersFit {
  const spec: HoltWintersSpec = { m: options.m, trend: options.trend, damped: options.damped, seasonal: options.seasonal };
  checkSeries(y, spec);
  const progress = new Progress(options, 'Holt-Winters');
  const initial = heuristicInitialStates(y, spec);
  const params = options.params === undefined ? optimise(y, spec, initial, progress) : fixedParams(options.params, spec);
  const fitted = new Float64Array(y.length);
  const { sse, final } = smooth(y, spec, params, initial, fitted);
  const n = y.length;
  const k = (spec.seasonal === 'none' ? 0 : spec.m) + (spec.trend === 'add' ? 2 : 0) + 2 + (spec.damped ? 1 : 0);
  const aicc = n * Math.log(sse / n) + 2 * k + (n - k - 3 > 0 ? (2 * (k + 2) * (k + 3)) / (n - k - 3) : Infinity);
  progress.finish();
  return { spec, params, initial, final, fitted, sse, aicc, sigma: Math.sqrt(sse / Math.max(n - k, 1)) };
}

/** Point forecasts ŷ(n+h) = (l + φ_h b) ∘ s(n+h−m(k+1)) with φ_h = φ + … + φʰ (fpp3 §8.3; Hyndman et al. 2008 table 2.1). */
export function holtWintersPoint({ spec, params, final }: HoltWintersFit, h: number): Float64Array {
  const mean = new Float64Array(h);
  let dampedSum = 0;
  for (let step = 0; step < h; step++) {
    dampedSum += params.phi ** (step + 1);
    const base = final.level + (spec.trend === 'add' ? dampedSum * final.trend : 0);
    const season = final.seasonal[step % Math.max(final.seasonal.length, 1)] ?? 0;
    mean[step] = spec.seasonal === 'mul' ? base * season : base + season;
  }
  return mean;
}

/**
 * v_h/σ² = 1 + Σ_{j<h} c_j² with c_j = α + αβ*(φ + … + φʲ) + γ·[m divides j], the class 1 (linear, additive) ETS
 * forecast variance of Hyndman et al. (2008) §6.1, table 6.1 (fpp3 §8.7). Not valid for a multiplicative season.
 */
export function additiveVarianceFactors(params: HoltWintersParams, spec: HoltWintersSpec, h: number): Float64Array {
  const { alpha, beta, gamma, phi } = params;
  const factors = new Float64Array(h);
  let sum = 0;
  let dampedSum = 0;
  factors[0] = 1;
  for (let j = 1; j < h; j++) {
    dampedSum += phi ** j;
    const seasonalHit = spec.seasonal === 'add' && j % spec.m === 0 ? gamma : 0;
    const c = alpha + (spec.trend === 'add' ? alpha * beta * dampedSum : 0) + seasonalHit;
    sum += c * c;
    factors[j] = 1 + sum;
  }
  return factors;
}

/**
 * statsmodels' `initialization_method='heuristic'` (0.13, `_initialization_heuristic`, after Hyndman et al. 2008
 * §2.6.1): seasonal starts are the mean detrended values of the first min(5, ⌊n/m⌋) (at least ⌈(10 + 2⌊m/2⌋)/m⌉)
 * seasons around a centred (2×)m moving average, normalised; level and trend come from a line through the first
 * ten moving-average values (the first ten observations without a season), evaluated one period before the first.
 * With a season that is period ⌊m/2⌋ − 1, not −1: statsmodels' choice, kept so that fixed-parameter fits match.
 */
export function heuristicInitialStates(y: Float64Array, spec: HoltWintersSpec): HoltWintersStates {
  const n = y.length;
  if (n < 10) throw new RangeError(`Holt-Winters needs at least 10 observations, got ${n}`);
  let base: ArrayLike<number> = y;
  const seasonal = new Float64Array(spec.seasonal === 'none' ? 0 : spec.m);
  if (spec.seasonal !== 'none') {
    const { m } = spec;
    const minimum = Math.max(2 * m, 10 + 2 * Math.floor(m / 2));
    if (n < minimum) throw new RangeError(`a seasonal Holt-Winters with m = ${m} needs at least ${minimum} observations, got ${n}`);
    const cycles = Math.max(Math.min(5, Math.floor(n / m)), Math.ceil((10 + 2 * Math.floor(m / 2)) / m));
    const length = Math.min(n, cycles * m);
    const average = centredMovingAverage(y.subarray(0, length), m);
    const sums = new Float64Array(m);
    const counts = new Float64Array(m);
    for (let t = 0; t < length; t++) {
      const trendValue = average[t] as number;
      if (Number.isNaN(trendValue)) continue;
      const value = y[t] as number;
      sums[t % m] = (sums[t % m] as number) + (spec.seasonal === 'mul' ? value / trendValue : value - trendValue);
      counts[t % m] = (counts[t % m] as number) + 1;
    }
    let total = 0;
    for (let j = 0; j < m; j++) total += (seasonal[j] = (sums[j] as number) / (counts[j] as number));
    for (let j = 0; j < m; j++) seasonal[j] = spec.seasonal === 'mul' ? (seasonal[j] as number) / (total / m) : (seasonal[j] as number) - total / m;
    base = average.filter((value) => !Number.isNaN(value));
  }
  // Least-squares line through (1, base₀) … (10, base₉); its value at 0 is the level and its slope the trend.
  let meanValue = 0;
  for (let t = 0; t < 10; t++) meanValue += (base[t] as number) / 10;
  let cross = 0;
  for (let t = 0; t < 10; t++) cross += (t + 1 - 5.5) * ((base[t] as number) - meanValue);
  const slope = cross / 82.5;
  return { level: meanValue - 5.5 * slope, trend: spec.trend === 'add' ? slope : 0, seasonal };
}

/** Centred moving average of order m (2×m for even m, as pandas `rolling(m, center=True)` then a 2-MA); NaN at the ends. */
function centredMovingAverage(values: Float64Array, m: number): Float64Array {
  const average = new Float64Array(values.length).fill(Number.NaN);
  const half = Math.floor(m / 2);
  for (let t = half; t + half < values.length; t++) {
    let sum = 0;
    if (m % 2 === 1) for (let i = t - half; i <= t + half; i++) sum += values[i] as number;
    else {
      for (let i = t - half + 1; i < t + half; i++) sum += values[i] as number;
      sum += ((values[t - half] as number) + (values[t + half] as number)) / 2;
    }
    average[t] = sum / m;
  }
  return average;
}

/** The states while smoothing or simulating; `season` is a ring of m values, period t using slot t mod m. */
interface Smoother {
  level: number;
  trend: number;
  readonly season: Float64Array;
}

/** The one-step forecast (l + φb) ⊕ s from the current states. */
function predictNext({ seasonal }: HoltWintersSpec, { phi }: HoltWintersParams, state: Smoother, slot: number): number {
  const base = state.level + phi * state.trend;
  if (seasonal === 'none') return base;
  return seasonal === 'mul' ? base * (state.season[slot] as number) : base + (state.season[slot] as number);
}

/**
 * Takes in the value of one period with the recursions of statsmodels' ExponentialSmoothing, equal to the ETS(A,·,·)
 * state-space form: l = α(y ⊖ s) + (1−α)(l₋ + φb₋), b = β*(l − l₋) + (1−β*)φb₋, s = γ(y ⊖ (l₋ + φb₋)) + (1−γ)s₋ₘ.
 */
function absorb(spec: HoltWintersSpec, { alpha, beta, gamma, phi }: HoltWintersParams, state: Smoother, slot: number, value: number): void {
  const multiplicative = spec.seasonal === 'mul';
  const dampedTrend = phi * state.trend;
  const base = state.level + dampedTrend;
  const seasonal = spec.seasonal === 'none' ? 0 : (state.season[slot] as number);
  const level = alpha * (multiplicative ? value / seasonal : value - seasonal) + (1 - alpha) * base;
  if (spec.trend === 'add') state.trend = beta * (level - state.level) + (1 - beta) * dampedTrend;
  if (spec.seasonal !== 'none') state.season[slot] = gamma * (multiplicative ? value / base : value - base) + (1 - gamma) * seasonal;
  state.level = level;
}

/** Runs the recursions over the series: SSE of one-step errors, final states, and the fitted values if asked. */
function smooth(
  y: Float64Array,
  spec: HoltWintersSpec,
  params: HoltWintersParams,
  initial: HoltWintersStates,
  fitted?: Float64Array,
): { sse: number; final: HoltWintersStates } {
  const state: Smoother = { level: initial.level, trend: spec.trend === 'add' ? initial.trend : 0, season: initial.seasonal.slice() };
  const m = state.season.length;
  let sse = 0;
  for (let t = 0; t < y.length; t++) {
    const slot = m === 0 ? 0 : t % m;
    const forecast = predictNext(spec, params, state, slot);
    if (fitted !== undefined) fitted[t] = forecast;
    sse += ((y[t] as number) - forecast) ** 2;
    absorb(spec, params, state, slot, y[t] as number);
  }
  const seasonal = Float64Array.from({ length: m }, (_, j) => state.season[(y.length + j) % m] as number);
  return { sse: Number.isFinite(sse) ? sse : Infinity, final: { level: state.level, trend: state.trend, seasonal } };
}

/** Grid start then bounded Nelder–Mead over (α, β*, g, φ) with γ = g(1 − α), keeping the usual 0 < γ < 1 − α (fpp3 §8.3). */
function optimise(y: Float64Array, spec: HoltWintersSpec, initial: HoltWintersStates, progress: Progress): HoltWintersParams {
  const hasTrend = spec.trend === 'add';
  const hasSeason = spec.seasonal !== 'none';
  const decode = (x: ArrayLike<number>): HoltWintersParams => {
    let index = 1;
    const alpha = x[0] as number;
    const beta = hasTrend ? (x[index++] as number) : 0;
    const gamma = hasSeason ? (x[index++] as number) * (1 - alpha) : 0;
    return { alpha, beta, gamma, phi: spec.damped ? (x[index] as number) : 1 };
  };
  const unit = [PARAM_FLOOR, 1 - PARAM_FLOOR] as const;
  const bounds = [unit, ...(hasTrend ? [unit] : []), ...(hasSeason ? [unit] : []), ...(spec.damped ? [PHI_RANGE] : [])];
  const lower = bounds.map(([low]) => low);
  const upper = bounds.map(([, high]) => high);
  const sse = (x: ArrayLike<number>): number => smooth(y, spec, decode(x), initial).sse;

  let grid: number[][] = [[]];
  const axes = [[0.1, 0.3, 0.5, 0.7, 0.9], ...(hasTrend ? [[0.01, 0.1, 0.3]] : []), ...(hasSeason ? [[0.05, 0.3, 0.6]] : []), ...(spec.damped ? [[0.9]] : [])];
  for (const axis of axes) grid = grid.flatMap((point) => axis.map((value) => [...point, value]));
  const starts = grid.map((point) => ({ point, value: sse(point) })).sort((a, b) => a.value - b.value).slice(0, 3);

  const maxIterations = 400 * lower.length;
  let best: { x: Float64Array; value: number } | undefined;
  starts.forEach(({ point }, index) => {
    let iterations = 0; // across restarts; progress within a start approaches its share without knowing the total
    const onIteration = (): void => {
      iterations++;
      progress.checkpoint((index + iterations / (iterations + 100)) / starts.length);
    };
    let run = nelderMead(sse, point, lower, upper, { maxIterations, onIteration });
    for (let restart = 0; restart < 5; restart++) {
      // A simplex squeezed against a bound loses a dimension; restarting from its best point recovers it.
      const again = nelderMead(sse, run.x, lower, upper, { maxIterations, step: 0.02, onIteration });
      const improved = again.value < run.value * (1 - 1e-10);
      if (again.value <= run.value) run = again;
      if (!improved) break;
    }
    if (best === undefined || run.value < best.value) best = run;
  });
  if (best === undefined || !Number.isFinite(best.value)) throw new RangeError(`${holtWintersLabel(spec)} found no finite fit`);
  return decode(best.x);
}

function fixedParams(given: NonNullable<HoltWintersOptions['params']>, spec: HoltWintersSpec): HoltWintersParams {
  const require = (name: 'beta' | 'gamma' | 'phi', value: number | undefined, range: readonly [number, number]): number => {
    if (value === undefined) throw new ParamError(`${holtWintersLabel(spec)} needs params.${name}`);
    if (!(value >= range[0] && value <= range[1])) throw new ParamError(`params.${name} must be in [${range.join(', ')}], got ${value}`);
    return value;
  };
  if (!(given.alpha > 0 && given.alpha <= 1)) throw new ParamError(`params.alpha must be in (0, 1], got ${given.alpha}`);
  return {
    alpha: given.alpha,
    beta: spec.trend === 'add' ? require('beta', given.beta, [0, 1]) : 0,
    gamma: spec.seasonal !== 'none' ? require('gamma', given.gamma, [0, 1]) : 0,
    phi: spec.damped ? require('phi', given.phi, [0, 1]) : 1,
  };
}

function checkSeries(y: Float64Array, spec: HoltWintersSpec): void {
  if (spec.damped && spec.trend !== 'add') throw new ParamError(`a damped Holt-Winters needs trend 'add', got '${spec.trend}'`);
  if (spec.seasonal !== 'none' && !(Number.isInteger(spec.m) && spec.m >= 2)) throw new ParamError(`season length m must be an integer ≥ 2, got ${spec.m}`);
  y.forEach((value, t) => {
    if (!Number.isFinite(value)) throw new RangeError(`the series has value ${value} at period ${t}`);
    if (spec.seasonal === 'mul' && !(value > 0)) throw new RangeError(`a multiplicative season needs positive values, got ${value} at period ${t}`);
  });
}

const Z80 = 1.2815515655446004; // Φ⁻¹(0.9)
const Z95 = 1.959963984540054; // Φ⁻¹(0.975)

type Bands = Pick<Forecast, 'lower80' | 'upper80' | 'lower95' | 'upper95'>;

function analyticBands(fit: HoltWintersFit, mean: Float64Array): Bands {
  const factors = additiveVarianceFactors(fit.params, fit.spec, mean.length);
  const band = (z: number, sign: number): Float64Array => mean.map((value, i) => value + sign * z * fit.sigma * Math.sqrt(factors[i] as number));
  return { lower80: band(Z80, -1), upper80: band(Z80, 1), lower95: band(Z95, -1), upper95: band(Z95, 1) };
}

/**
 * Quantiles of simulated future paths of the ETS(A,·,·) model with N(0, σ²) errors (Hyndman et al. 2008 §6.1: no
 * closed form for a multiplicative season); the same seed gives the same bands.
 */
function simulateBands(fit: HoltWintersFit, h: number, paths: number, seed: number, progress: Progress): Bands {
  const { spec, params, final, sigma } = fit;
  const m = final.seasonal.length;
  const rng = new Rng(seed, 'holt-winters paths');
  const draws = new Float64Array(h * paths); // draws[step * paths + path]
  const state: Smoother = { level: 0, trend: 0, season: new Float64Array(m) };
  for (let path = 0; path < paths; path++) {
    if (path % 256 === 0) progress.checkpoint(0.5 + (0.45 * path) / paths);
    state.level = final.level;
    state.trend = final.trend;
    state.season.set(final.seasonal);
    for (let step = 0; step < h; step++) {
      const slot = m === 0 ? 0 : step % m;
      const value = predictNext(spec, params, state, slot) + rng.normal(0, sigma);
      draws[step * paths + path] = value;
      absorb(spec, params, state, slot, value);
    }
  }
  const bands = { lower80: new Float64Array(h), upper80: new Float64Array(h), lower95: new Float64Array(h), upper95: new Float64Array(h) };
  for (let step = 0; step < h; step++) {
    const sorted = draws.subarray(step * paths, (step + 1) * paths).sort();
    bands.lower95[step] = quantile(sorted, 0.025);
    bands.lower80[step] = quantile(sorted, 0.1);
    bands.upper80[step] = quantile(sorted, 0.9);
    bands.upper95[step] = quantile(sorted, 0.975);
  }
  return bands;
}

/** Linear interpolation between order statistics (Hyndman & Fan 1996 type 7, R's default). */
function quantile(sorted: Float64Array, p: number): number {
  const position = (sorted.length - 1) * p;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return (sorted[below] as number) + (position - below) * ((sorted[above] as number) - (sorted[below] as number));
}
