import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type HoltWintersSpec,
  additiveVarianceFactors,
  heuristicInitialStates,
  holtWinters,
} from '../../../../src/models/forward/holt-winters.ts';
import { abortedSignal, progressRecorder } from '../segmentation/segmentation-fixtures.ts';
import { ParamError } from '../../../../src/models/kit/params.ts';
import { frameToIpc } from '../../../../src/models/kit/frame.ts';
import { runModel } from '../../../../src/models/registry.ts';
import { modelFailureOf } from '../../../../src/workers/model-failure.ts';

function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

interface ReferenceCase extends HoltWintersSpec {
  params: { alpha: number; beta: number | null; gamma: number | null; phi: number | null };
  initial: { level: number; trend: number | null; seasonal: number[] };
  sse: number;
  aicc: number;
  fitted: number[];
  forecast: number[];
  forecastExponentialSmoothing: number[];
  relativeVariance?: number[];
}

/** statsmodels 0.13.5 on AirPassengers (tests/fixtures/models/holt_winters_reference.py). */
const reference = JSON.parse(readFileSync(new URL('../../../fixtures/models/holt-winters-statsmodels.json', import.meta.url), 'utf8')) as {
  versions: { statsmodels: string };
  series: { values: number[] };
  horizon: number;
  fixedParams: { alpha: number; beta: number; gamma: number; phi: number };
  fixed: ReferenceCase[];
  fitted: ReferenceCase[];
};
const airPassengers = Float64Array.from(reference.series.values);
const { horizon } = reference;
const name = ({ trend, damped, seasonal, m }: HoltWintersSpec): string => `trend ${trend}${damped ? ' damped' : ''}, season ${seasonal}, m = ${m}`;
const spec = ({ m, trend, damped, seasonal }: HoltWintersSpec): HoltWintersSpec => ({ m, trend, damped, seasonal });

function expectRelative(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const scale = Math.max(Math.abs(expected[i] as number), 1e-12);
    expect(Math.abs((actual[i] as number) - (expected[i] as number)) / scale, `index ${i}: ${actual[i]} vs ${expected[i]}`).toBeLessThanOrEqual(tolerance);
  }
}

describe('holtWinters against statsmodels', () => {
  it('records which statsmodels produced the reference', () => {
    expect(reference.versions.statsmodels).toMatch(/^0\.13\.5/);
    expect(airPassengers.length).toBe(144);
    expect(airPassengers.reduce((sum, value) => sum + value, 0)).toBe(40363); // R: sum(AirPassengers)
  });

  it.each(reference.fixed.map((c) => [name(c), c] as const))('starts from statsmodels\' heuristic states (%s)', (_, c) => {
    const initial = heuristicInitialStates(airPassengers, spec(c));
    expect(initial.level).toBeCloseTo(c.initial.level, 9);
    expect(initial.trend).toBeCloseTo(c.initial.trend ?? 0, 9);
    expectRelative(initial.seasonal, c.initial.seasonal, 1e-9);
  });

  it.each(reference.fixed.map((c) => [name(c), c] as const))('with fixed α β γ φ reproduces fitted values, SSE, AICc and forecasts to 1e-9 (%s)', (_, c) => {
    const result = holtWinters(airPassengers, { ...spec(c), h: horizon, params: reference.fixedParams });
    expectRelative(result.fitted, c.fitted, 1e-9);
    expectRelative([result.sse, result.aicc], [c.sse, c.aicc], 1e-9);
    expectRelative(result.mean, c.forecast, 1e-9);
    expect(result.params).toEqual({
      alpha: 0.3,
      beta: c.trend === 'add' ? 0.1 : 0,
      gamma: c.seasonal === 'none' ? 0 : 0.2,
      phi: c.damped ? 0.9 : 1,
    });
  });

  it('uses the latest seasonal state at h = m, 2m, where statsmodels 0.13.5 does not (its issue #9538)', () => {
    const c = reference.fixed.find((f) => f.trend === 'add' && !f.damped && f.seasonal === 'mul' && f.m === 12) as ReferenceCase;
    const result = holtWinters(airPassengers, { ...spec(c), h: horizon, params: reference.fixedParams });
    result.mean.forEach((value, i) => {
      const raw = c.forecastExponentialSmoothing[i] as number;
      if ((i + 1) % 12 === 0) expect(Math.abs(value - raw) / raw).toBeGreaterThan(1e-4);
      else expect(value).toBeCloseTo(raw, 9);
    });
    // The h = 12 forecast is (l + 12 b) × s_n, s_n being the last in-sample seasonal state.
    expect(result.mean[11]).toBeCloseTo((result.final.level + 12 * result.final.trend) * (result.final.seasonal[11] as number), 9);
  });

  it.each(reference.fitted.map((c) => [name(c), c] as const))('fits α β γ φ to statsmodels\' SSE (≤ × 1.001) and forecasts (within 0.5%) (%s)', (_, c) => {
    const result = holtWinters(airPassengers, { ...spec(c), h: horizon });
    expect(result.sse).toBeLessThanOrEqual(c.sse * 1.001);
    expectRelative(result.mean, c.forecast, 0.005);
    expect(result.params.gamma).toBeLessThanOrEqual(1 - result.params.alpha); // the usual region, fpp3 §8.3
    if (c.damped) expect(result.params.phi).toBeGreaterThanOrEqual(0.8);
    if (c.damped) expect(result.params.phi).toBeLessThanOrEqual(0.98);
  });

  it.each(reference.fixed.filter((c) => c.relativeVariance !== undefined).map((c) => [name(c), c] as const))(
    'additive intervals follow the class 1 variance of Hyndman et al. table 6.1, as statsmodels\' ETSModel (%s)',
    (_, c) => {
      const result = holtWinters(airPassengers, { ...spec(c), h: horizon, params: reference.fixedParams });
      const factors = additiveVarianceFactors(result.params, spec(c), horizon);
      expectRelative(factors, c.relativeVariance as number[], 1e-9);
      const k = (c.seasonal === 'none' ? 0 : c.m) + (c.trend === 'add' ? 2 : 0) + 2 + (c.damped ? 1 : 0);
      expect(result.sigma).toBeCloseTo(Math.sqrt(c.sse / (144 - k)), 9);
      result.mean.forEach((mean, i) => {
        const sd = result.sigma * Math.sqrt(factors[i] as number);
        expect(result.upper95[i]).toBeCloseTo(mean + 1.959963984540054 * sd, 8);
        expect(result.lower80[i]).toBeCloseTo(mean - 1.2815515655446004 * sd, 8);
      });
    },
  );
});

describe('holtWinters by hand', () => {
  it('is simple exponential smoothing without trend or season', () => {
    // The heuristic line through y = 1 … 10 is y = t, so l₀ = 0; then l_t = ½y_t + ½l_{t−1} and e_t = 2 − 2^(1−t).
    const sales = Float64Array.from({ length: 10 }, (_, t) => t + 1);
    const result = holtWinters(sales, { m: 1, trend: 'none', damped: false, seasonal: 'none', h: 3, params: { alpha: 0.5 } });
    expect(result.initial.level).toBeCloseTo(0, 12);
    expect(Array.from(result.fitted.subarray(0, 4))).toEqual([0, 0.5, 1.25, 2.125]);
    expect(Array.from(result.mean)).toEqual([9.0009765625, 9.0009765625, 9.0009765625]);
    let sse = 0;
    for (let t = 1; t <= 10; t++) sse += (2 - 2 ** (1 - t)) ** 2;
    expect(result.sse).toBeCloseTo(sse, 12);
    expect(result.sigma).toBeCloseTo(Math.sqrt(sse / 8), 12); // k = 2: α and l₀
    // ETS(A,N,N): v_h = σ²(1 + α²(h − 1)) (fpp3 table 8.8).
    expect(result.upper95[2]).toBeCloseTo(9.0009765625 + 1.959963984540054 * result.sigma * Math.sqrt(1.5), 12);
  });

  it('recovers the level, trend and season of a noiseless additive series', () => {
    // y_t = 10 + 2t + s(t mod 4): the 2×4 moving average is 10 + 2t from t = 2, so the fitted line gives l₀ = 12, b₀ = 2.
    const season = [3, -1, -3, 1];
    const sales = Float64Array.from({ length: 24 }, (_, t) => 10 + 2 * t + (season[t % 4] as number));
    const initial = heuristicInitialStates(sales, { m: 4, trend: 'add', damped: false, seasonal: 'add' });
    expect(initial.level).toBeCloseTo(12, 12);
    expect(initial.trend).toBeCloseTo(2, 12);
    expectRelative(initial.seasonal, season, 1e-12);
  });

  it('reports an ETS label and a multiplicative season that scales with the level', () => {
    const sales = Float64Array.from(airPassengers.subarray(0, 48));
    const result = holtWinters(sales, { m: 12, trend: 'add', damped: true, seasonal: 'mul', h: 12, params: { alpha: 0.3, beta: 0.1, gamma: 0.2, phi: 0.9 } });
    expect(result.method).toBe('Holt-Winters ETS(A,Ad,M)');
    const meanSeason = result.final.seasonal.reduce((sum, value) => sum + value, 0) / 12;
    expect(meanSeason).toBeGreaterThan(0.9);
    expect(meanSeason).toBeLessThan(1.1);
  });
});

describe('holtWinters intervals by simulation', () => {
  const additive = { m: 12, trend: 'add', damped: false, seasonal: 'add', h: 24 } as const;

  it('agree with the analytic additive intervals within 3% of their width', () => {
    const analytic = holtWinters(airPassengers, { ...additive, params: reference.fixedParams });
    const simulated = holtWinters(airPassengers, { ...additive, params: reference.fixedParams, intervals: 'simulated', paths: 20000, seed: 3 });
    for (let i = 0; i < 24; i++) {
      const width = (analytic.upper95[i] as number) - (analytic.lower95[i] as number);
      for (const band of ['lower80', 'upper80', 'lower95', 'upper95'] as const) {
        expect(Math.abs((simulated[band][i] as number) - (analytic[band][i] as number))).toBeLessThan(0.03 * width);
      }
    }
  });

  it('are reproducible for a seed, ordered, and widen with the horizon for a multiplicative season', () => {
    const options = { m: 12, trend: 'add', damped: false, seasonal: 'mul', h: 24, params: reference.fixedParams, paths: 2000 } as const;
    const first = holtWinters(airPassengers, { ...options, seed: 7 });
    expect(holtWinters(airPassengers, { ...options, seed: 7 }).upper95).toEqual(first.upper95);
    expect(holtWinters(airPassengers, { ...options, seed: 8 }).upper95).not.toEqual(first.upper95);
    for (let i = 0; i < 24; i++) {
      expect(first.lower95[i]).toBeLessThan(first.lower80[i] as number);
      expect(first.lower80[i]).toBeLessThan(first.mean[i] as number);
      expect(first.mean[i]).toBeLessThan(first.upper80[i] as number);
      expect(first.upper80[i]).toBeLessThan(first.upper95[i] as number);
    }
    const width = (i: number): number => (first.upper95[i] as number) - (first.lower95[i] as number);
    expect(width(23)).toBeGreaterThan(width(11));
    expect(width(11)).toBeGreaterThan(width(0));
  });
});

describe('holtWinters checks and control', () => {
  const base = { m: 12, trend: 'add', damped: false, seasonal: 'add', h: 12 } as const;

  it('names the offending value', () => {
    expect(() => holtWinters(airPassengers, { ...base, trend: 'none', damped: true })).toThrow(/damped Holt-Winters needs trend 'add', got 'none'/);
    expect(() => holtWinters(airPassengers.subarray(0, 23), base)).toThrow(/m = 12 needs at least 24 observations, got 23/);
    expect(() => holtWinters(airPassengers.subarray(0, 9), { ...base, seasonal: 'none' })).toThrow(/at least 10 observations, got 9/);
    const withZero = Float64Array.from(airPassengers);
    withZero[5] = 0;
    expect(() => holtWinters(withZero, { ...base, seasonal: 'mul' })).toThrow(/positive values, got 0 at period 5/);
    withZero[5] = Number.NaN;
    expect(() => holtWinters(withZero, base)).toThrow(/value NaN at period 5/);
    expect(() => holtWinters(airPassengers, { ...base, params: { alpha: 0.3, beta: 0.1 } })).toThrow(/ETS\(A,A,A\) needs params.gamma/);
    expect(() => holtWinters(airPassengers, { ...base, h: 0 })).toThrow(/h must be a positive integer, got 0/);
    expect(() => holtWinters(airPassengers, { ...base, m: 1 })).toThrow(/season length m must be an integer ≥ 2, got 1/);
  });

  it('a bad parameter is a ParamError, so a model cell shows an invalid spec naming it; bad data is not', () => {
    const badParameters: [Parameters<typeof holtWinters>[1], RegExp][] = [
      [{ ...base, m: 1 }, /season length m must be an integer ≥ 2/],
      [{ ...base, h: 0 }, /h must be a positive integer/],
      [{ ...base, trend: 'none', damped: true }, /damped Holt-Winters needs trend 'add'/],
      [{ ...base, params: { alpha: 0.3, beta: 0.1 } }, /needs params.gamma/],
      [{ ...base, params: { alpha: 1.5, beta: 0.1, gamma: 0.1 } }, /params.alpha must be in \(0, 1\]/],
      [{ ...base, params: { alpha: 0.5, beta: 2, gamma: 0.1 } }, /params.beta must be in \[0, 1\]/],
      [{ ...base, seasonal: 'mul', paths: 10 }, /paths must be an integer ≥ 100/],
    ];
    for (const [options, message] of badParameters) {
      const error = thrown(() => holtWinters(airPassengers, options));
      expect(error).toBeInstanceOf(ParamError);
      expect(error.message).toMatch(message);
      expect(modelFailureOf(error).kind).toBe('invalid-spec');
    }
    const tooShort = thrown(() => holtWinters(airPassengers.subarray(0, 9), { ...base, seasonal: 'none' }));
    expect(tooShort).not.toBeInstanceOf(ParamError);
    expect(modelFailureOf(tooShort).kind).toBe('model-failed');
  });

  it('a forecast cell asking Holt-Winters for a season of 1 is an invalid spec naming the season length', () => {
    const months = Float64Array.from({ length: 36 }, (_, i) => Date.UTC(2020, i, 15));
    const input = frameToIpc({ rowCount: 36, columns: { invoice_date: months, amount: Float64Array.from(airPassengers.subarray(0, 36)) } });
    const error = thrown(() => runModel('forecast', { model: 'forecast', input: 'sales', method: 'holt_winters', season: 1 }, [input], {}));
    expect(modelFailureOf(error)).toEqual({ kind: 'invalid-spec', message: 'season length m must be an integer ≥ 2, got 1' });
  });

  it('reports progress monotonically up to exactly 1, fitting and simulating', () => {
    const fitting = progressRecorder();
    holtWinters(airPassengers, { ...base, onProgress: fitting.onProgress });
    fitting.check();
    expect(fitting.fractions.length).toBeGreaterThan(5);
    const simulating = progressRecorder();
    holtWinters(airPassengers, { ...base, seasonal: 'mul', onProgress: simulating.onProgress });
    simulating.check();
  });

  it('stops with an AbortError when cancelled, before or during the fit', () => {
    expect(() => holtWinters(airPassengers, { ...base, signal: abortedSignal() })).toThrow(expect.objectContaining({ name: 'AbortError' }));
    const controller = new AbortController();
    expect(() => holtWinters(airPassengers, { ...base, signal: controller.signal, onProgress: () => controller.abort() })).toThrow(/Holt-Winters cancelled/);
  });
});
