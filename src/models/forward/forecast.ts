// Forecasting a regular series (revenue per month, week or day): baselines, backtests and the automatic choice.
// Holt-Winters lives in holt-winters.ts.
import { assertNever } from '../../util/assert.ts';
import { type SeasonalKind, type TrendKind, holtWinters, holtWintersLabel } from './holt-winters.ts';
import { Progress, type RunControl } from '../kit/progress.ts';
import { studentTQuantile } from '../kit/special.ts';

/** Point forecasts for periods n+1 … n+h with 80% and 95% prediction intervals. */
export interface Forecast {
  /** What produced it: `Seasonal naive`, `Linear trend + seasonal dummies`, `Holt-Winters ETS(A,A,M)`. */
  readonly method: string;
  readonly mean: Float64Array;
  readonly lower80: Float64Array;
  readonly upper80: Float64Array;
  readonly lower95: Float64Array;
  readonly upper95: Float64Array;
  /** In-sample one-step-ahead fitted values; NaN where the method has none (the first season of seasonal naive). */
  readonly fitted: Float64Array;
  /** Residual standard deviation behind the intervals. */
  readonly sigma: number;
}

/** A forecasting method, as data (it crosses the worker boundary); the season length m is passed beside it. */
export type ForecastModel =
  | { readonly kind: 'seasonal-naive' }
  | { readonly kind: 'linear-seasonal' }
  | { readonly kind: 'holt-winters'; readonly trend: TrendKind; readonly damped: boolean; readonly seasonal: SeasonalKind };

const Z80 = 1.2815515655446004; // Φ⁻¹(0.9)
const Z95 = 1.959963984540054; // Φ⁻¹(0.975)

/**
 * Each future period repeats the same period of the last season: `seasonalNaive(monthly, 12, 6)`. Intervals use
 * σ_h = σ√(⌊(h−1)/m⌋ + 1) (fpp3 §5.5, table 5.2) with σ the root mean square of the in-sample errors y_t − y_{t−m}
 * (R's forecast::snaive).
 */
export function seasonalNaive(y: Float64Array, m: number, h: number): Forecast {
  checkInputs(y, m, h, m + 1, 'seasonal naive');
  const n = y.length;
  const fitted = new Float64Array(n).fill(Number.NaN);
  let sumSquares = 0;
  for (let t = m; t < n; t++) {
    fitted[t] = y[t - m] as number;
    sumSquares += ((y[t] as number) - (y[t - m] as number)) ** 2;
  }
  const sigma = Math.sqrt(sumSquares / (n - m));
  const mean = Float64Array.from({ length: h }, (_, i) => y[n - m + (i % m)] as number);
  const sd = Float64Array.from({ length: h }, (_, i) => sigma * Math.sqrt(Math.floor(i / m) + 1));
  return { method: methodLabel({ kind: 'seasonal-naive' }), mean, ...bands(mean, sd, Z80, Z95), fitted, sigma };
}

export interface LinearSeasonalForecast extends Forecast {
  /** y_t = intercept + trend·t + seasonal[(t−1) mod m] + ε, t = 1 … n; seasonal[0] = 0 (the first period's season is the baseline). */
  readonly coefficients: { readonly intercept: number; readonly trend: number; readonly seasonal: Float64Array };
}

/**
 * Linear trend with m − 1 seasonal dummies by ordinary least squares (fpp3 §7.4), solved in closed form
 * (Cholesky of XᵀX, trend centred for conditioning), with the OLS prediction interval
 * ŷ ± t_{n−p} σ √(1 + x₀ᵀ(XᵀX)⁻¹x₀) (fpp3 §7.6): `linearSeasonal(monthly, 12, 12)`.
 */
export function linearSeasonal(y: Float64Array, m: number, h: number): LinearSeasonalForecast {
  const p = m + 1; // intercept, trend, m − 1 dummies
  checkInputs(y, m, h, p + 1, 'linear trend with seasonal dummies');
  const n = y.length;
  const centre = (n + 1) / 2;
  const row = (t: number): Float64Array => {
    const x = new Float64Array(p);
    x[0] = 1;
    x[1] = t - centre;
    const season = (t - 1) % m;
    if (season > 0) x[season + 1] = 1;
    return x;
  };
  const gram = new Float64Array(p * p);
  const moment = new Float64Array(p);
  for (let t = 1; t <= n; t++) {
    const x = row(t);
    for (let i = 0; i < p; i++) {
      moment[i] = (moment[i] as number) + (x[i] as number) * (y[t - 1] as number);
      for (let j = 0; j <= i; j++) gram[i * p + j] = (gram[i * p + j] as number) + (x[i] as number) * (x[j] as number);
    }
  }
  const factor = cholesky(gram, p);
  const beta = backSolve(factor, forwardSolve(factor, moment, p), p);
  const fitted = new Float64Array(n);
  let sse = 0;
  for (let t = 1; t <= n; t++) {
    fitted[t - 1] = dot(row(t), beta);
    sse += ((y[t - 1] as number) - (fitted[t - 1] as number)) ** 2;
  }
  const sigma = Math.sqrt(sse / (n - p));
  const mean = new Float64Array(h);
  const sd = new Float64Array(h);
  for (let i = 0; i < h; i++) {
    const x = row(n + i + 1);
    mean[i] = dot(x, beta);
    const v = forwardSolve(factor, x, p);
    sd[i] = sigma * Math.sqrt(1 + dot(v, v));
  }
  const seasonal = new Float64Array(m);
  seasonal.set(beta.subarray(2), 1);
  const coefficients = { intercept: (beta[0] as number) - (beta[1] as number) * centre, trend: beta[1] as number, seasonal };
  const intervals = bands(mean, sd, studentTQuantile(0.9, n - p), studentTQuantile(0.975, n - p));
  return { method: methodLabel({ kind: 'linear-seasonal' }), mean, ...intervals, fitted, sigma, coefficients };
}

/** Forecasts with any model: `forecastWith(y, 12, { kind: 'holt-winters', trend: 'add', damped: true, seasonal: 'mul' }, 12)`. */
export function forecastWith(y: Float64Array, m: number, model: ForecastModel, h: number, control: RunControl = {}): Forecast {
  switch (model.kind) {
    case 'seasonal-naive':
      return seasonalNaive(y, m, h);
    case 'linear-seasonal':
      return linearSeasonal(y, m, h);
    case 'holt-winters':
      return holtWinters(y, { ...model, m, h, ...control });
    default:
      return assertNever(model);
  }
}

/** `Seasonal naive`, `Linear trend + seasonal dummies` or `Holt-Winters ETS(A,Ad,M)`. */
export function methodLabel(model: ForecastModel): string {
  switch (model.kind) {
    case 'seasonal-naive':
      return 'Seasonal naive';
    case 'linear-seasonal':
      return 'Linear trend + seasonal dummies';
    case 'holt-winters':
      return holtWintersLabel({ ...model, m: 0 });
    default:
      return assertNever(model);
  }
}

/** The shortest series a model can be fitted to with season length m. */
export function minimumLength(model: ForecastModel, m: number): number {
  switch (model.kind) {
    case 'seasonal-naive':
      return m + 1;
    case 'linear-seasonal':
      return m + 2;
    case 'holt-winters':
      return model.seasonal === 'none' ? 10 : Math.max(2 * m, 10 + 2 * Math.floor(m / 2));
    default:
      return assertNever(model);
  }
}

export interface Accuracy {
  readonly mae: number;
  readonly rmse: number;
  /** 100·mean|e/y|; not finite when an actual value is 0. */
  readonly mape: number;
  /** 100·mean(2|e| / (|y| + |ŷ|)), the M4 form; a term with y = ŷ = 0 counts 0. */
  readonly smape: number;
  /** mean |e| / scale (Hyndman & Koehler 2006). */
  readonly mase: number;
}

/** In-sample MAE of the seasonal naive method, (1/(n−m)) Σ|y_t − y_{t−m}|: the MASE scale of Hyndman & Koehler (2006). */
export function seasonalNaiveScale(y: ArrayLike<number>, m: number): number {
  let sum = 0;
  for (let t = m; t < y.length; t++) sum += Math.abs((y[t] as number) - (y[t - m] as number));
  return sum / (y.length - m);
}

/** Accuracy of forecasts against actuals; `scale` is one MASE scale or one per value (per backtest origin). */
export function accuracy(actual: ArrayLike<number>, forecast: ArrayLike<number>, scale: number | ArrayLike<number>): Accuracy {
  const count = actual.length;
  if (forecast.length !== count) throw new RangeError(`${count} actual values but ${forecast.length} forecasts`);
  let absolute = 0;
  let squared = 0;
  let percentage = 0;
  let symmetric = 0;
  let scaled = 0;
  for (let i = 0; i < count; i++) {
    const value = actual[i] as number;
    const predicted = forecast[i] as number;
    const error = Math.abs(value - predicted);
    absolute += error;
    squared += error * error;
    percentage += error / Math.abs(value);
    symmetric += error === 0 ? 0 : (2 * error) / (Math.abs(value) + Math.abs(predicted));
    scaled += error / (typeof scale === 'number' ? scale : (scale[i] as number));
  }
  return { mae: absolute / count, rmse: Math.sqrt(squared / count), mape: (100 * percentage) / count, smape: (100 * symmetric) / count, mase: scaled / count };
}

export interface BacktestOptions extends RunControl {
  /** Periods forecast from each origin. */
  readonly horizon: number;
  /** Forecast origins, one period apart; the last one leaves exactly `horizon` periods to forecast. */
  readonly origins: number;
}

export interface BacktestResult extends Accuracy {
  readonly model: ForecastModel;
  readonly method: string;
  readonly horizon: number;
  readonly origins: number;
  /** Empirical coverage: the share of held-out values inside the 80% interval (0.8 when the intervals are honest). */
  readonly coverage80: number;
  /** The share inside the 95% interval. */
  readonly coverage95: number;
}

/**
 * Rolling-origin evaluation (fpp3 §5.10; Tashman 2000): the model is refitted on y[0, n − horizon − k) for
 * k = origins − 1 … 0 and scored on the next `horizon` values; errors are pooled, and MASE scales each origin's
 * errors by the seasonal naive MAE of its own training data. Coverage is the share of the held-out values inside
 * each origin's 80% and 95% intervals: honest intervals cover about 0.8 and 0.95.
 * `backtest(y, 12, { kind: 'seasonal-naive' }, { horizon: 12, origins: 6 })`.
 */
export function backtest(y: Float64Array, m: number, model: ForecastModel, options: BacktestOptions): BacktestResult {
  const { horizon, origins } = options;
  if (!Number.isInteger(horizon) || horizon < 1) throw new RangeError(`horizon must be a positive integer, got ${horizon}`);
  if (!Number.isInteger(origins) || origins < 1) throw new RangeError(`origins must be a positive integer, got ${origins}`);
  const firstTraining = y.length - horizon - (origins - 1);
  const needed = minimumLength(model, m);
  if (firstTraining < needed) {
    throw new RangeError(`${methodLabel(model)} backtest with horizon ${horizon} and ${origins} origins needs ${needed + horizon + origins - 1} periods, got ${y.length}`);
  }
  const progress = new Progress(options, 'Backtest');
  const actual = new Float64Array(horizon * origins);
  const predicted = new Float64Array(horizon * origins);
  const scales = new Float64Array(horizon * origins);
  let inside80 = 0;
  let inside95 = 0;
  for (let origin = 0; origin < origins; origin++) {
    const training = y.subarray(0, firstTraining + origin);
    const forecast = forecastWith(training, m, model, horizon, progress.slice(origin / origins, (origin + 1) / origins));
    const heldOut = y.subarray(training.length, training.length + horizon);
    actual.set(heldOut, origin * horizon);
    predicted.set(forecast.mean, origin * horizon);
    scales.fill(seasonalNaiveScale(training, m), origin * horizon, (origin + 1) * horizon);
    heldOut.forEach((value, i) => {
      if (value >= (forecast.lower80[i] as number) && value <= (forecast.upper80[i] as number)) inside80++;
      if (value >= (forecast.lower95[i] as number) && value <= (forecast.upper95[i] as number)) inside95++;
    });
    progress.checkpoint((origin + 1) / origins);
  }
  progress.finish();
  const points = horizon * origins;
  return { model, method: methodLabel(model), horizon, origins, ...accuracy(actual, predicted, scales), coverage80: inside80 / points, coverage95: inside95 / points };
}

export interface AutoForecastOptions extends RunControl {
  /** Backtest origins; default 5. */
  readonly origins?: number;
  /** Backtest horizon; default h. */
  readonly horizon?: number;
}

export interface AutoForecast {
  readonly model: ForecastModel;
  readonly forecast: Forecast;
  /** Why this model: `Holt-Winters ETS(A,A,M) had the lowest backtest MASE, 0.41 (5 origins × 12 periods); next …`. */
  readonly reason: string;
  /** Backtested candidates, best first. */
  readonly ranking: readonly BacktestResult[];
  /** Candidates not tried, with why (too few periods, a multiplicative season on non-positive values). */
  readonly skipped: readonly { readonly model: ForecastModel; readonly reason: string }[];
}

/**
 * Picks the candidate (seasonal naive, linear + dummies, nine Holt-Winters variants) with the lowest rolling-origin
 * backtest MASE and refits it on the whole series: `autoForecast(monthlyRevenue, 12, 12)`. Backtest MASE rather
 * than AICc because AICc only compares likelihoods of one model class on the same data (fpp3 §7.5, §8.6): seasonal
 * naive has no fitted likelihood and OLS and ETS condition differently. Ties go to the simpler, earlier candidate;
 * MAE ranks instead when a MASE is not finite (a series without seasonal change).
 */
export function autoForecast(y: Float64Array, m: number, h: number, options: AutoForecastOptions = {}): AutoForecast {
  const { origins = 5, horizon = h } = options;
  checkInputs(y, m, h, m + 1, 'a forecast');
  const progress = new Progress(options, 'Forecast');
  const skipped: { model: ForecastModel; reason: string }[] = [];
  const feasible: ForecastModel[] = [];
  for (const model of candidates(m)) {
    const needed = minimumLength(model, m) + horizon + origins - 1;
    if (model.kind === 'holt-winters' && model.seasonal === 'mul' && !y.every((value) => value > 0)) skipped.push({ model, reason: 'a multiplicative season needs positive values' });
    else if (y.length < needed) skipped.push({ model, reason: `its backtest needs ${needed} periods, got ${y.length}` });
    else feasible.push(model);
  }
  const results = feasible.map((model, index) => backtest(y, m, model, { horizon, origins, ...progress.slice((0.9 * index) / feasible.length, (0.9 * (index + 1)) / feasible.length) }));
  const criterion = results.every((result) => Number.isFinite(result.mase)) ? 'mase' : 'mae';
  const ranking = results.map((result, index) => ({ result, index })).sort((a, b) => a.result[criterion] - b.result[criterion] || a.index - b.index).map(({ result }) => result);
  const best = ranking[0];
  const model: ForecastModel = best?.model ?? { kind: 'seasonal-naive' };
  const forecast = forecastWith(y, m, model, h, progress.slice(0.9, 1));
  const format = (result: BacktestResult): string => `${result.method} ${result[criterion].toPrecision(3)}`;
  const reason =
    best === undefined
      ? `the series is too short to backtest any model (${y.length} periods), so seasonal naive`
      : `${best.method} had the lowest backtest ${criterion.toUpperCase()}, ${best[criterion].toPrecision(3)} (${origins} origins × ${horizon} periods)` +
        (ranking.length > 1 ? `; next: ${ranking.slice(1, 3).map(format).join(', ')}` : '');
  progress.finish();
  return { model, forecast, reason, ranking, skipped };
}

/** Simplest first, so ties keep the simpler model; seasonal Holt-Winters only when there is a season (m ≥ 2). */
function candidates(m: number): ForecastModel[] {
  const list: ForecastModel[] = [{ kind: 'seasonal-naive' }, { kind: 'linear-seasonal' }];
  for (const seasonal of m >= 2 ? (['none', 'add', 'mul'] as const) : (['none'] as const)) {
    list.push({ kind: 'holt-winters', trend: 'none', damped: false, seasonal });
    list.push({ kind: 'holt-winters', trend: 'add', damped: false, seasonal });
    list.push({ kind: 'holt-winters', trend: 'add', damped: true, seasonal });
  }
  return list;
}

function checkInputs(y: Float64Array, m: number, h: number, minimum: number, what: string): void {
  if (!Number.isInteger(m) || m < 1) throw new RangeError(`season length m must be a positive integer, got ${m}`);
  if (!Number.isInteger(h) || h < 1) throw new RangeError(`h must be a positive integer, got ${h}`);
  if (y.length < minimum) throw new RangeError(`${what} with m = ${m} needs at least ${minimum} periods, got ${y.length}`);
  const bad = y.findIndex((value) => !Number.isFinite(value));
  if (bad >= 0) throw new RangeError(`the series has value ${y[bad]} at period ${bad}`);
}

function bands(mean: Float64Array, sd: Float64Array, q80: number, q95: number): Pick<Forecast, 'lower80' | 'upper80' | 'lower95' | 'upper95'> {
  const band = (q: number): Float64Array => mean.map((value, i) => value + q * (sd[i] as number));
  return { lower80: band(-q80), upper80: band(q80), lower95: band(-q95), upper95: band(q95) };
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
}

/** Lower-triangular L with LLᵀ = A (A symmetric positive definite, lower triangle read). */
function cholesky(a: Float64Array, p: number): Float64Array {
  const l = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    let diagonal = a[j * p + j] as number;
    for (let k = 0; k < j; k++) diagonal -= (l[j * p + k] as number) ** 2;
    if (!(diagonal > 1e-12 * (a[j * p + j] as number))) throw new RangeError(`the regression design is singular at column ${j}`);
    const root = Math.sqrt(diagonal);
    l[j * p + j] = root;
    for (let i = j + 1; i < p; i++) {
      let sum = a[i * p + j] as number;
      for (let k = 0; k < j; k++) sum -= (l[i * p + k] as number) * (l[j * p + k] as number);
      l[i * p + j] = sum / root;
    }
  }
  return l;
}

/** Solves L v = b. */
function forwardSolve(l: Float64Array, b: Float64Array, p: number): Float64Array {
  const v = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let sum = b[i] as number;
    for (let k = 0; k < i; k++) sum -= (l[i * p + k] as number) * (v[k] as number);
    v[i] = sum / (l[i * p + i] as number);
  }
  return v;
}

/** Solves Lᵀ x = v. */
function backSolve(l: Float64Array, v: Float64Array, p: number): Float64Array {
  const x = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let sum = v[i] as number;
    for (let k = i + 1; k < p; k++) sum -= (l[k * p + i] as number) * (x[k] as number);
    x[i] = sum / (l[i * p + i] as number);
  }
  return x;
}
