import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type ForecastModel,
  accuracy,
  autoForecast,
  backtest,
  forecastWith,
  linearSeasonal,
  seasonalNaive,
  seasonalNaiveScale,
} from '../../../../src/models/forward/forecast.ts';
import { abortedSignal, progressRecorder } from '../segmentation/segmentation-fixtures.ts';

/** statsmodels 0.13.5 on AirPassengers (tests/fixtures/models/holt_winters_reference.py). */
const reference = JSON.parse(readFileSync(new URL('../../../fixtures/models/holt-winters-statsmodels.json', import.meta.url), 'utf8')) as {
  series: { values: number[] };
  linear: Record<'coefficients' | 'forecast' | 'lower80' | 'upper80' | 'lower95' | 'upper95', number[]> & { sigma: number };
};
const airPassengers = Float64Array.from(reference.series.values);
const Z80 = 1.2815515655446004;
const Z95 = 1.959963984540054;

function expectRelative(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs((actual[i] as number) - (expected[i] as number)) / Math.abs(expected[i] as number), `index ${i}`).toBeLessThanOrEqual(tolerance);
  }
}

describe('seasonalNaive', () => {
  it('repeats the last season, with σ√(k + 1) intervals from the root mean square seasonal difference', () => {
    const revenue = Float64Array.from([10, 20, 30, 12, 22, 33]);
    const forecast = seasonalNaive(revenue, 3, 4);
    expect(Array.from(forecast.mean)).toEqual([12, 22, 33, 12]);
    expect(Array.from(forecast.fitted)).toEqual([Number.NaN, Number.NaN, Number.NaN, 10, 20, 30]);
    const sigma = Math.sqrt((4 + 4 + 9) / 3); // differences 2, 2, 3
    expect(forecast.sigma).toBeCloseTo(sigma, 14);
    expect(forecast.upper80[0]).toBeCloseTo(12 + Z80 * sigma, 12);
    expect(forecast.lower95[2]).toBeCloseTo(33 - Z95 * sigma, 12);
    expect(forecast.upper95[3]).toBeCloseTo(12 + Z95 * sigma * Math.SQRT2, 12); // h = 4 is in the second season
    expect(forecast.method).toBe('Seasonal naive');
  });

  it('is the naive method when m = 1', () => {
    expect(Array.from(seasonalNaive(Float64Array.from([3, 5, 4]), 1, 2).mean)).toEqual([4, 4]);
  });
});

describe('linearSeasonal', () => {
  it('solves a small regression by hand, with t-based intervals', () => {
    // y = a + b·t + d·[t even] on t = 1…4: the normal equations give a = −1, b = 1.5, d = 2.5; residuals ±½ so
    // σ² = 1/(4 − 3); x₀ᵀ(XᵀX)⁻¹x₀ = 11/4 at t = 5 and 6 (exact fractions); t quantiles with 1 df are tan(π(p − ½)).
    const forecast = linearSeasonal(Float64Array.from([1, 4, 3, 8]), 2, 2);
    expect(forecast.coefficients.intercept).toBeCloseTo(-1, 12);
    expect(forecast.coefficients.trend).toBeCloseTo(1.5, 12);
    expect(Array.from(forecast.coefficients.seasonal).map((v) => Number(v.toFixed(12)))).toEqual([0, 2.5]);
    expectRelative(forecast.fitted, [0.5, 4.5, 3.5, 7.5], 1e-12);
    expect(forecast.sigma).toBeCloseTo(1, 12);
    expectRelative(forecast.mean, [6.5, 10.5], 1e-12);
    const sd = Math.sqrt(15 / 4);
    expect(forecast.upper95[0]).toBeCloseTo(6.5 + Math.tan(Math.PI * 0.475) * sd, 9);
    expect(forecast.lower80[1]).toBeCloseTo(10.5 - Math.tan(Math.PI * 0.4) * sd, 9);
  });

  it('matches statsmodels OLS with month dummies on AirPassengers: coefficients, σ and prediction intervals', () => {
    const forecast = linearSeasonal(airPassengers, 12, 24);
    const { coefficients, sigma } = reference.linear;
    expectRelative([forecast.coefficients.intercept, forecast.coefficients.trend, ...forecast.coefficients.seasonal.subarray(1)], coefficients, 1e-9);
    expect(forecast.sigma).toBeCloseTo(sigma, 9);
    expectRelative(forecast.mean, reference.linear.forecast, 1e-9);
    for (const band of ['lower80', 'upper80', 'lower95', 'upper95'] as const) expectRelative(forecast[band], reference.linear[band], 1e-9);
  });
});

describe('accuracy measures', () => {
  it('computes MAE, RMSE, MAPE, sMAPE and MASE by hand', () => {
    expect(seasonalNaiveScale([1, 2, 3, 2, 4, 6], 3)).toBe(2); // (1 + 2 + 3) / 3
    const measures = accuracy([100, 50, 80], [110, 40, 80], 5);
    expect(measures.mae).toBeCloseTo(20 / 3, 12);
    expect(measures.rmse).toBeCloseTo(Math.sqrt(200 / 3), 12);
    expect(measures.mape).toBeCloseTo(10, 12); // (10% + 20% + 0%) / 3
    expect(measures.smape).toBeCloseTo((100 / 3) * (20 / 210 + 20 / 90), 12);
    expect(measures.mase).toBeCloseTo(4 / 3, 12);
    expect(accuracy([0], [0], 1).smape).toBe(0);
  });

  it('backtests seasonal naive from two origins by hand', () => {
    // n = 8, horizon 2, 2 origins: train on 5 then 6 periods. Forecasts [22, 14] then [14, 25] against [25, 15] then
    // [15, 27]; errors 3, 1, 1, 2; MASE scales are 2 (|12−10|, |22−20|, |14−12|) and 9/4 (plus |25−22|).
    const sales = Float64Array.from([10, 20, 12, 22, 14, 25, 15, 27]);
    const result = backtest(sales, 2, { kind: 'seasonal-naive' }, { horizon: 2, origins: 2 });
    expect(result.mae).toBeCloseTo(7 / 4, 12);
    expect(result.rmse).toBeCloseTo(Math.sqrt(15 / 4), 12);
    expect(result.mape).toBeCloseTo((100 / 4) * (3 / 25 + 1 / 15 + 1 / 15 + 2 / 27), 12);
    expect(result.smape).toBeCloseTo((100 / 4) * (6 / 47 + 2 / 29 + 2 / 29 + 4 / 52), 12);
    expect(result.mase).toBeCloseTo((3 / 2 + 1 / 2 + 1 / 2.25 + 2 / 2.25) / 4, 12);
    expect(result).toMatchObject({ method: 'Seasonal naive', horizon: 2, origins: 2 });
  });

  it('reports the share of held-out values inside the 80% and 95% intervals, worked by hand', () => {
    // Naive (m = 1), horizon 1, 3 origins. σ is the RMS of the training diffs; the bands are ŷ ± 1.2816σ and ŷ ± 1.96σ.
    // Origin 1: train 10 12 10 12 → ŷ 12, σ 2; actual 10 is 1σ off: inside both.
    // Origin 2: train … 10 → ŷ 10, σ 2; actual 13 is 1.5σ off: inside the 95% band only.
    // Origin 3: train … 13 → ŷ 13, σ √5; actual 30 is 7.6σ off: outside both.
    const oneStep = backtest(Float64Array.from([10, 12, 10, 12, 10, 13, 30]), 1, { kind: 'seasonal-naive' }, { horizon: 1, origins: 3 });
    expect(oneStep.coverage80).toBeCloseTo(1 / 3, 12);
    expect(oneStep.coverage95).toBeCloseTo(2 / 3, 12);
    // Horizon 2, one origin: ŷ 12, 12 with σ_h = 2, 2√2. Actual 12 is inside both; 16 is 4/(2√2) = 1.41σ_h off: 95% only.
    const twoSteps = backtest(Float64Array.from([10, 12, 10, 12, 12, 16]), 1, { kind: 'seasonal-naive' }, { horizon: 2, origins: 1 });
    expect([twoSteps.coverage80, twoSteps.coverage95]).toEqual([0.5, 1]);
  });

  it('says how many periods a backtest needs', () => {
    const model: ForecastModel = { kind: 'holt-winters', trend: 'add', damped: false, seasonal: 'add' };
    expect(() => backtest(airPassengers.subarray(0, 40), 12, model, { horizon: 12, origins: 6 })).toThrow(/needs 41 periods, got 40/);
    expect(() => backtest(airPassengers, 12, model, { horizon: 0, origins: 1 })).toThrow(/horizon must be a positive integer, got 0/);
  });
});

describe('autoForecast', () => {
  it('picks the candidate with the lowest backtest MASE and refits it on the whole series', () => {
    const result = autoForecast(airPassengers, 12, 12);
    expect(result.ranking).toHaveLength(11);
    expect(result.skipped).toEqual([]);
    const mases = result.ranking.map((entry) => entry.mase);
    expect(mases).toEqual([...mases].sort((a, b) => a - b));
    expect(result.model).toEqual(result.ranking[0]?.model);
    expect(result.model.kind).toBe('holt-winters'); // trend and season beat both baselines on AirPassengers
    const seasonalNaiveMase = result.ranking.find((entry) => entry.model.kind === 'seasonal-naive')?.mase as number;
    expect(result.ranking[0]?.mase).toBeLessThan(seasonalNaiveMase);
    expect(result.reason).toMatch(/^Holt-Winters ETS\(A,A?d?,[AM]\) had the lowest backtest MASE, 0\.\d+ \(5 origins × 12 periods\); next: /);
    expect(result.forecast.mean).toEqual(forecastWith(airPassengers, 12, result.model, 12).mean);
  });

  it('skips a multiplicative season on a series with zeros, and falls back to seasonal naive when too short to backtest', () => {
    const withZero = Float64Array.from(airPassengers);
    withZero[3] = 0;
    const skipped = autoForecast(withZero, 12, 6, { origins: 2 }).skipped;
    expect(skipped.map((entry) => entry.reason)).toEqual(Array(3).fill('a multiplicative season needs positive values'));
    const short = autoForecast(airPassengers.subarray(0, 14), 12, 3);
    expect(short.model).toEqual({ kind: 'seasonal-naive' });
    expect(short.reason).toMatch(/too short to backtest any model \(14 periods\)/);
    expect(short.skipped).toHaveLength(11);
    expect(() => autoForecast(airPassengers.subarray(0, 12), 12, 3)).toThrow(/needs at least 13 periods, got 12/);
  });

  it('works without a season (m = 1): naive, a linear trend and the three non-seasonal Holt-Winters', () => {
    const yearly = Float64Array.from({ length: 30 }, (_, t) => 100 + 5 * t + 3 * Math.sin(t));
    const result = autoForecast(yearly, 1, 3);
    expect(result.ranking.map((entry) => entry.method).sort()).toEqual(
      ['Holt-Winters ETS(A,A,N)', 'Holt-Winters ETS(A,Ad,N)', 'Holt-Winters ETS(A,N,N)', 'Linear trend + seasonal dummies', 'Seasonal naive'],
    );
    expect(result.ranking[0]?.method).not.toBe('Seasonal naive'); // a steady trend beats the naive method
  });

  it('reports progress monotonically up to exactly 1 and stops with an AbortError when cancelled', () => {
    const progress = progressRecorder();
    autoForecast(airPassengers, 12, 12, { onProgress: progress.onProgress, origins: 2 });
    progress.check();
    expect(() => autoForecast(airPassengers, 12, 12, { signal: abortedSignal() })).toThrow(expect.objectContaining({ name: 'AbortError' }));
    const controller = new AbortController();
    expect(() => backtest(airPassengers, 12, { kind: 'linear-seasonal' }, { horizon: 12, origins: 3, signal: controller.signal, onProgress: () => controller.abort() })).toThrow(
      /Backtest cancelled/,
    );
  });
});

describe('input checks', () => {
  it('names the offending value', () => {
    expect(() => seasonalNaive(Float64Array.from([1, 2, 3]), 3, 1)).toThrow(/seasonal naive with m = 3 needs at least 4 periods, got 3/);
    expect(() => linearSeasonal(airPassengers.subarray(0, 13), 12, 1)).toThrow(/needs at least 14 periods, got 13/);
    expect(() => seasonalNaive(Float64Array.from([1, Number.POSITIVE_INFINITY, 3, 4]), 2, 1)).toThrow(/value Infinity at period 1/);
    expect(() => seasonalNaive(airPassengers, 0, 1)).toThrow(/season length m must be a positive integer, got 0/);
    expect(() => linearSeasonal(airPassengers, 12, 1.5)).toThrow(/h must be a positive integer, got 1.5/);
  });
});
