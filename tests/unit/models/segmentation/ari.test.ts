import { describe, expect, it } from 'vitest';
import { adjustedRandIndex, contingencyTable } from '../../../../src/models/segmentation/ari.ts';

describe('contingencyTable', () => {
  it('cross-tabulates two labelings with classes in ascending order', () => {
    const table = contingencyTable([0, 0, 0, 1, 1, 1], [5, 5, 7, 7, 9, 9]);
    expect(table.classesA).toEqual([0, 1]);
    expect(table.classesB).toEqual([5, 7, 9]);
    expect(Array.from(table.counts)).toEqual([2, 1, 0, 0, 1, 2]);
    expect(Array.from(table.sumsA)).toEqual([3, 3]);
    expect(Array.from(table.sumsB)).toEqual([2, 2, 2]);
  });
});

describe('adjustedRandIndex', () => {
  it('matches a hand-worked example', () => {
    // Table [[2, 1, 0], [0, 1, 2]]: Σ C(nij, 2) = 2; Σ C(ai, 2) = 6; Σ C(bj, 2) = 3; C(6, 2) = 15.
    // E = 6·3/15 = 1.2; max = (6 + 3)/2 = 4.5; ARI = (2 − 1.2)/(4.5 − 1.2) = 0.8/3.3.
    expect(adjustedRandIndex([0, 0, 0, 1, 1, 1], [5, 5, 7, 7, 9, 9])).toBeCloseTo(0.8 / 3.3, 15);
  });

  it('matches scikit-learn’s documented examples', () => {
    // sklearn.metrics.adjusted_rand_score docstring: ([0, 0, 1, 2], [0, 0, 1, 1]) → 0.57…; ([0, 0, 1, 1], [0, 1, 0, 1]) → -0.5.
    expect(adjustedRandIndex([0, 0, 1, 2], [0, 0, 1, 1])).toBeCloseTo(4 / 7, 15);
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1])).toBeCloseTo(-0.5, 15);
  });

  it('is 1 for the same segments under other numbers, and for the degenerate all-one or all-singleton cases', () => {
    expect(adjustedRandIndex([0, 0, 1, 1, 2], [2, 2, 0, 0, 1])).toBe(1);
    expect(adjustedRandIndex([3, 3, 3], [1, 1, 1])).toBe(1);
    expect(adjustedRandIndex([0, 1, 2], [2, 1, 0])).toBe(1);
    expect(adjustedRandIndex([], [])).toBe(1);
  });

  it('rejects labelings of different lengths', () => {
    expect(() => adjustedRandIndex([0, 1], [0])).toThrow(/differ in length: 2 vs 1/);
  });
});
