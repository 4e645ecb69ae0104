import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kaplanMeier } from '../../../../src/models/demand/kaplan-meier.ts';
import { normalQuantile } from '../../../../src/models/kit/normal.ts';

interface LifelinesCase {
  durations: number[];
  observed: boolean[];
  alpha: number;
  timeline: number[];
  survival: number[];
  lower: number[];
  upper: number[];
  median: number | null;
  median_lower: number | null;
  median_upper: number | null;
}
const reference = JSON.parse(readFileSync(new URL('../../../fixtures/models/demand-reference.json', import.meta.url), 'utf8')) as { kaplan_meier: Record<string, LifelinesCase> };

const orInfinity = (value: number | null) => value ?? Number.POSITIVE_INFINITY;

describe('Kaplan–Meier', () => {
  it('multiplies out (1 − events / at risk) at each time, as worked by hand', () => {
    // At risk 4 → one event (S = 3/4); 3 at risk → one event and one cut off (S = 3/4 · 2/3 = 1/2); 1 left → it happens (S = 0).
    const curve = kaplanMeier([1, 2, 2, 3], [true, true, false, true]);
    expect(Array.from(curve.times)).toEqual([0, 1, 2, 3]);
    expect(Array.from(curve.atRisk)).toEqual([4, 4, 3, 1]);
    expect(Array.from(curve.survival)).toEqual([1, 0.75, 0.5, 0]);
    expect(curve.median).toBe(2);
    // Greenwood's variance of log S at t = 1 is 1/(4·3); the band is exp(−exp(log(−log S) ∓ z·√V / log S)).
    const z = 1.959963984540054;
    const logS = Math.log(0.75);
    expect(curve.lower[1]).toBeCloseTo(Math.exp(-Math.exp(Math.log(-logS) - (z * Math.sqrt(1 / 12)) / logS)), 14);
    expect(curve.upper[1]).toBeCloseTo(Math.exp(-Math.exp(Math.log(-logS) + (z * Math.sqrt(1 / 12)) / logS)), 14);
  });

  for (const [name, expected] of Object.entries(reference.kaplan_meier)) {
    it(`matches lifelines' KaplanMeierFitter (survival, exponential Greenwood band, medians) on ${name}`, () => {
      const curve = kaplanMeier(expected.durations, expected.observed, 1 - expected.alpha);
      expect(Array.from(curve.times)).toEqual(expected.timeline);
      expected.survival.forEach((value, t) => expect(curve.survival[t], `survival at ${expected.timeline[t]}`).toBeCloseTo(value, 12));
      expected.lower.forEach((value, t) => expect(curve.lower[t], `lower at ${expected.timeline[t]}`).toBeCloseTo(value, 10));
      expected.upper.forEach((value, t) => expect(curve.upper[t], `upper at ${expected.timeline[t]}`).toBeCloseTo(value, 10));
      expect(curve.median).toBe(orInfinity(expected.median));
      expect(curve.medianLower).toBe(orInfinity(expected.median_lower));
      expect(curve.medianUpper).toBe(orInfinity(expected.median_upper));
    });
  }

  it('refuses negative durations, mismatched flags and a confidence that is not a level', () => {
    expect(() => kaplanMeier([1, -2], [true, true])).toThrow('durations must be finite and not negative; got -2');
    expect(() => kaplanMeier([1, 2], [true])).toThrow('2 durations but 1 event flags');
    expect(() => kaplanMeier([1], [true], 95)).toThrow('confidence must be in (0, 1), e.g. 0.95; got 95');
  });
});

describe('the normal quantile', () => {
  it('agrees with scipy.stats.norm.ppf to 1e-14', () => {
    // scipy 1.x: norm.ppf(0.975), norm.ppf(0.95), norm.ppf(0.001), norm.ppf(0.5)
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(normalQuantile(0.95)).toBeCloseTo(1.6448536269514722, 14);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306167813, 12);
    expect(normalQuantile(0.5)).toBe(0);
  });
});
