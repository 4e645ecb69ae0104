import { describe, expect, it } from 'vitest';
import { elbow, findKnee } from '../../../../src/models/segmentation/elbow.ts';
import { abortedSignal, blobs, progressRecorder } from './segmentation-fixtures.ts';

describe('findKnee (Kneedle on a decreasing convex curve)', () => {
  it('finds the knee of a hand-worked curve', () => {
    // x̂ = (0, .25, .5, .75, 1); ŷ = (I − 12) / 88 = (1, .432, .091, .034, 0);
    // D = 1 − ŷ − x̂ = (0, .318, .409, .216, 0): the maximum is at k = 4.
    expect(findKnee([2, 3, 4, 5, 6], [100, 50, 20, 15, 12])).toBe(4);
  });

  it('has no knee on a straight line, a concave curve or a flat one', () => {
    expect(findKnee([2, 3, 4, 5], [40, 30, 20, 10])).toBeNull();
    expect(findKnee([2, 3, 4, 5], [100, 98, 95, 0])).toBeNull();
    expect(findKnee([2, 3, 4], [5, 5, 5])).toBeNull();
    expect(findKnee([2, 3], [10, 1])).toBeNull();
  });

  it('takes the smaller k when two points are equally far from the chord', () => {
    // ŷ = (1, 1/2, 1/6, 0) at x̂ = (0, 1/3, 2/3, 1): D = 1/6 at both k = 3 and k = 4.
    expect(findKnee([2, 3, 4, 5], [6, 3, 1, 0])).toBe(3);
  });
});

describe('elbow', () => {
  it('computes K-Means inertia for k = 2..10 on the blobs, finding the knee at the 4 blobs', () => {
    // No k is more than 1% worse than scikit-learn 1.2.1 (lower is better; at k = 9 ours is 1.2% lower):
    // [KMeans(k, n_init=10, random_state=0).fit(X).inertia_ for k in range(2, 11)] →
    const sklearn = [4564.731898275659, 2980.380790902469, 1951.4944190852357, 1754.1601158314434, 1588.4960685774658,
      1461.4671877742717, 1362.5635264664602, 1280.9945697688856, 1189.399206764585];
    const progress = progressRecorder();
    const result = elbow(blobs, { kmeans: { seed: 0 }, onProgress: progress.onProgress });
    progress.check();
    expect(result.ks).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    result.inertias.forEach((inertia, i) => expect(inertia).toBeLessThan((sklearn[i] ?? 0) * 1.01));
    expect(result.knee).toBe(4);
  });

  it('honours kMin and kMax, and cancels', () => {
    expect(elbow(blobs, { kMin: 3, kMax: 5, kmeans: { nInit: 2 } }).ks).toEqual([3, 4, 5]);
    expect(() => elbow(blobs, { kMin: 5, kMax: 4 })).toThrow(/kMax must be an integer ≥ kMin = 5/);
    expect(() => elbow(blobs, { signal: abortedSignal() })).toThrow(expect.objectContaining({ name: 'AbortError' }));
  });
});
