import { describe, expect, it } from 'vitest';
import { Rng, WeightedPicker, apportion, sortedDistinct } from '../../../../src/models/kit/random.ts';

const draws = (rng: Rng, count: number, draw: (rng: Rng) => number): number[] => Array.from({ length: count }, () => draw(rng));
const mean = (values: readonly number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;
const variance = (values: readonly number[]): number => {
  const centre = mean(values);
  return mean(values.map((value) => (value - centre) ** 2));
};

describe('Rng', () => {
  it('matches an independent sfc32 + splitmix32 implementation (Python) on its first outputs', () => {
    // Computed with a separate Python transcription of the seeding and sfc32 steps.
    const known: [number, string | number, number[]][] = [
      [42, 0, [3951155783, 3654780364, 1913735811, 269738611]],
      [42, 'products', [1678723632, 3528579602, 2690831742, 881749685]],
      [0, 0, [2409957407, 2652623428, 4255471092, 2871658396]],
      [2 ** 40 + 5, 0, [901720291, 4257070617, 255196865, 2170034536]],
    ];
    for (const [seed, stream, expected] of known) {
      expect(draws(new Rng(seed, stream), 4, (rng) => rng.nextUint32())).toEqual(expected);
    }
  });

  it('repeats a sequence for the same seed and stream, and differs for another seed or stream', () => {
    const sequence = (seed: number, stream?: string) => draws(new Rng(seed, stream), 50, (rng) => rng.float());
    expect(sequence(7)).toEqual(sequence(7));
    expect(sequence(7)).not.toEqual(sequence(8));
    expect(sequence(7, 'customers')).not.toEqual(sequence(7, 'products'));
    expect(sequence(-3)).not.toEqual(sequence(3));
  });

  it('rejects seeds that are not safe integers, naming the value', () => {
    expect(() => new Rng(1.5)).toThrow(/seed .*1\.5/);
    expect(() => new Rng(Number.NaN)).toThrow(/seed/);
  });

  it('draws floats in [0, 1) with mean one half and uniform spread', () => {
    const values = draws(new Rng(1), 100_000, (rng) => rng.float());
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(mean(values)).toBeCloseTo(0.5, 2);
    expect(variance(values)).toBeCloseTo(1 / 12, 2);
  });

  it('draws integers within inclusive bounds, reaching both ends', () => {
    const values = draws(new Rng(2), 10_000, (rng) => rng.integer(7, 20));
    expect(new Set(values)).toEqual(new Set(Array.from({ length: 14 }, (_, k) => 7 + k)));
  });

  it('draws normal values with the requested mean and spread', () => {
    const values = draws(new Rng(3), 100_000, (rng) => rng.normal(10, 2));
    expect(mean(values)).toBeCloseTo(10, 1);
    expect(Math.sqrt(variance(values))).toBeCloseTo(2, 1);
  });

  it('draws log-normal values whose mean (not median) is the one asked for', () => {
    expect(mean(draws(new Rng(4), 200_000, (rng) => rng.logNormal(24, 0.8)))).toBeGreaterThan(23.3);
    expect(mean(draws(new Rng(4), 200_000, (rng) => rng.logNormal(24, 0.8)))).toBeLessThan(24.7);
  });

  it('draws Poisson counts with mean and variance λ, small and large λ alike', () => {
    for (const lambda of [0.5, 3, 50]) {
      const values = draws(new Rng(5), 50_000, (rng) => rng.poisson(lambda));
      expect(values.every((value) => Number.isInteger(value) && value >= 0)).toBe(true);
      expect(Math.abs(mean(values) - lambda)).toBeLessThan(0.03 * lambda + 0.02);
      expect(Math.abs(variance(values) - lambda)).toBeLessThan(0.08 * lambda + 0.05);
    }
    expect(new Rng(5).poisson(0)).toBe(0);
  });

  it('draws geometric failure counts with the requested mean', () => {
    const values = draws(new Rng(6), 100_000, (rng) => rng.geometric(2.5));
    expect(values.every((value) => Number.isInteger(value) && value >= 0)).toBe(true);
    expect(mean(values)).toBeCloseTo(2.5, 1);
    expect(new Rng(6).geometric(0)).toBe(0);
  });

  it('picks indices in proportion to their weights', () => {
    const rng = new Rng(7);
    const counts = [0, 0, 0];
    for (let k = 0; k < 60_000; k++) counts[rng.pickIndex([1, 0, 2])]! += 1;
    expect(counts[1]).toBe(0);
    expect(counts[2]! / counts[0]!).toBeCloseTo(2, 1);
    expect(() => rng.pickIndex([0, 0])).toThrow(/positive/);
    expect(() => rng.pick([])).toThrow(/empty/);
  });

  it('shuffles into a permutation, the same one for the same seed', () => {
    const shuffled = new Rng(8).shuffle(Array.from({ length: 100 }, (_, k) => k));
    expect([...shuffled].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, k) => k));
    expect(shuffled).not.toEqual(Array.from({ length: 100 }, (_, k) => k));
    expect(new Rng(8).shuffle(Array.from({ length: 100 }, (_, k) => k))).toEqual(shuffled);
    expect(Array.from(new Rng(8).shuffle(Int32Array.from({ length: 100 }, (_, k) => k)))).toEqual(shuffled);
  });
});

describe('WeightedPicker', () => {
  it('draws in proportion to weights, matching the linear pick', () => {
    const picker = new WeightedPicker([90, 5, 5, 0]);
    const rng = new Rng(9);
    const counts = [0, 0, 0, 0];
    for (let k = 0; k < 100_000; k++) counts[picker.pick(rng)]! += 1;
    expect(counts[0]! / 100_000).toBeCloseTo(0.9, 2);
    expect(counts[3]).toBe(0);
  });

  it('restricts draws to a range of indices, in proportion within it', () => {
    const picker = new WeightedPicker([5, 1, 3, 0, 4]);
    const rng = new Rng(10);
    const counts = new Map<number, number>();
    for (let k = 0; k < 40_000; k++) {
      const index = picker.pickBetween(rng, 1, 3);
      counts.set(index, (counts.get(index) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([1, 2]);
    expect(counts.get(2)! / counts.get(1)!).toBeCloseTo(3, 0);
    expect(picker.pickBetween(rng, 3, 3)).toBe(3);
  });

  it('rejects negative weights and an all-zero list, naming the weight', () => {
    expect(() => new WeightedPicker([1, -2])).toThrow(/weight 1 .*-2/);
    expect(() => new WeightedPicker([0, 0])).toThrow(/positive/);
  });
});

describe('apportion', () => {
  it('splits a total exactly, in proportion to the weights', () => {
    const counts = Array.from(apportion([1, 1, 2], 8));
    expect(counts).toEqual([2, 2, 4]);
    const uneven = Array.from(apportion([0.3, 2.9, 0, 1.7, 5.1], 1001));
    expect(uneven.reduce((sum, count) => sum + count, 0)).toBe(1001);
    expect(uneven[2]).toBe(0);
    uneven.forEach((count, index) => expect(Math.abs(count - (1001 * [0.3, 2.9, 0, 1.7, 5.1][index]!) / 10)).toBeLessThanOrEqual(1));
  });

  it('spreads evenly when every weight is zero, and gives nothing for a zero total', () => {
    expect(Array.from(apportion([0, 0, 0, 0], 6)).reduce((sum, count) => sum + count, 0)).toBe(6);
    expect(Math.max(...apportion([0, 0, 0, 0], 6)) - Math.min(...apportion([0, 0, 0, 0], 6))).toBeLessThanOrEqual(1);
    expect(Array.from(apportion([1, 2], 0))).toEqual([0, 0]);
  });
});

describe('sortedDistinct', () => {
  it('returns the requested count of ascending distinct integers within the span', () => {
    const values = sortedDistinct(new Rng(11), 4300, 12346, 5942);
    expect(values).toHaveLength(4300);
    expect(values[0]).toBeGreaterThanOrEqual(12346);
    expect(values.at(-1)).toBeLessThan(12346 + 5942);
    expect(values.every((value, k) => k === 0 || value > values[k - 1]!)).toBe(true);
    expect(sortedDistinct(new Rng(11), 10, 0, 4)).toEqual([0, 1, 2, 3]);
  });
});
