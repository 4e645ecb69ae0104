import { describe, expect, it } from 'vitest';
import { adjustedRandIndex } from '../../../../src/models/segmentation/ari.ts';
import { kmeans } from '../../../../src/models/segmentation/kmeans.ts';
import { fromRows, toRows } from '../../../../src/models/kit/matrix.ts';
import { abortedSignal, blobs, blobTruth, progressRecorder, sklearnOnBlobs } from './segmentation-fixtures.ts';

describe('kmeans', () => {
  it('splits two obvious groups of spend, largest cluster first and ties by centroid', () => {
    const spend = fromRows([[1], [2], [3], [10], [11], [12], [13]]);
    const result = kmeans(spend, 2, { seed: 1 });
    expect(Array.from(result.labels)).toEqual([1, 1, 1, 0, 0, 0, 0]);
    expect(toRows(result.centroids)).toEqual([[11.5], [2]]);
    expect(Array.from(result.sizes)).toEqual([4, 3]);
    expect(result.inertia).toBeCloseTo(2 + 5, 12); // (1+0+1) + (2.25+0.25+0.25+2.25)

    const tie = kmeans(fromRows([[10], [11], [12], [1], [2], [3]]), 2, { seed: 1 });
    expect(Array.from(tie.labels)).toEqual([1, 1, 1, 0, 0, 0]); // equal sizes: the lower centroid is cluster 0

    const one = kmeans(spend, 1);
    expect(toRows(one.centroids)).toEqual([[52 / 7]]);
    expect(Array.from(one.labels)).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });

  it('matches scikit-learn on 600 points from 4 blobs (inertia within 1%, the same partition)', () => {
    // scikit-learn 1.2.1 (Debian python3-sklearn), from tests/fixtures/models:
    // python3 -c "import json,numpy as np;from sklearn.cluster import KMeans;X=np.array(json.load(open('blobs-600.json'))['points']);print(repr(KMeans(n_clusters=4,n_init=10,random_state=0).fit(X).inertia_))"
    // → 1951.4944190852357
    const sklearnInertia = 1951.4944190852357;
    expect(sklearnOnBlobs.kmeans.inertia).toBe(sklearnInertia);
    const result = kmeans(blobs, 4, { nInit: 10, seed: 0 });
    expect(Math.abs(result.inertia - sklearnInertia) / sklearnInertia).toBeLessThan(0.01);
    expect(result.inertia).toBeCloseTo(sklearnInertia, 6); // in fact the same optimum
    expect(adjustedRandIndex(result.labels, sklearnOnBlobs.kmeans.labels)).toBe(1);
    expect(adjustedRandIndex(result.labels, blobTruth)).toBeGreaterThan(0.8);
    expect(Array.from(result.sizes)).toEqual([...result.sizes].sort((a, b) => b - a));
    expect(result.sizes.reduce((sum, size) => sum + size, 0)).toBe(600);
  });

  it('is deterministic for a seed: same labels, centroids and inertia', () => {
    const first = kmeans(blobs, 5, { seed: 7, nInit: 3 });
    const second = kmeans(blobs, 5, { seed: 7, nInit: 3 });
    expect(second.labels).toEqual(first.labels);
    expect(second.centroids).toEqual(first.centroids);
    expect(second.inertia).toBe(first.inertia);
    expect(second.iterations).toBe(first.iterations);
  });

  it('re-seeds an empty cluster with the point farthest from its centroid', () => {
    // Start 100 is far from every customer, so it is empty after the first assignment; the farthest point from
    // its centre (0 and 1 both lie 0.5 from 0.5; the first, 0, is taken) moves into it.
    const spend = fromRows([[0], [1], [9], [10]]);
    const result = kmeans(spend, 3, { initialCentroids: fromRows([[0.5], [9.5], [100]]) });
    expect(Array.from(result.sizes)).toEqual([2, 1, 1]);
    expect(toRows(result.centroids)).toEqual([[9.5], [0], [1]]);
    expect(Array.from(result.labels)).toEqual([1, 2, 0, 0]);
    expect(result.inertia).toBe(0.5);
  });

  it('checks its inputs, naming the bad value', () => {
    expect(() => kmeans(fromRows([[1], [2]]), 3)).toThrow(/k = 3 clusters need at least 3 rows, got 2/);
    expect(() => kmeans(fromRows([[1], [2]]), 0)).toThrow(/k must be a positive integer, got 0/);
    expect(() => kmeans(fromRows([[1], [Number.NaN]]), 1)).toThrow(/value NaN at row 1/);
    expect(() => kmeans(fromRows([[1], [2]]), 1, { initialCentroids: fromRows([[1, 2]]) })).toThrow(/initialCentroids must be 1 × 1/);
  });

  it('reports progress monotonically up to exactly 1', () => {
    const progress = progressRecorder();
    kmeans(blobs, 4, { seed: 0, onProgress: progress.onProgress });
    progress.check();
  });

  it('stops with an AbortError when cancelled, before or during the run', () => {
    expect(() => kmeans(blobs, 4, { signal: abortedSignal() })).toThrow(expect.objectContaining({ name: 'AbortError' }));
    const controller = new AbortController();
    expect(() => kmeans(blobs, 4, { signal: controller.signal, onProgress: () => controller.abort() })).toThrow(/K-Means cancelled/);
  });

});
