import { describe, expect, it } from 'vitest';
import { fromRows, toRows, type Matrix } from '../../../../src/models/kit/matrix.ts';
import { silhouette, silhouetteByK, silhouettesOf, suggestK } from '../../../../src/models/segmentation/silhouette.ts';
import { abortedSignal, blobs, blobTruth, progressRecorder } from './segmentation-fixtures.ts';

/** Rousseeuw's definition, written out pair by pair with no shared code: s = (b − a) / max(a, b), 0 when alone. */
function bruteForceSilhouette(features: Matrix, labels: ArrayLike<number>): number[] {
  const points = toRows(features);
  const distance = (p: number[], q: number[]) => Math.sqrt(p.reduce((sum, value, col) => sum + (value - (q[col] ?? 0)) ** 2, 0));
  const clusters = [...new Set(Array.from(labels))];
  return points.map((point, i) => {
    const meanTo = (cluster: number) => {
      const others = points.filter((_, j) => labels[j] === cluster && j !== i);
      return others.reduce((sum, other) => sum + distance(point, other), 0) / others.length;
    };
    if (points.filter((_, j) => labels[j] === labels[i]).length === 1) return 0;
    const a = meanTo(labels[i] as number);
    const b = Math.min(...clusters.filter((cluster) => cluster !== labels[i]).map(meanTo));
    return (b - a) / Math.max(a, b);
  });
}

describe('silhouette', () => {
  it('scores a hand-worked example: two pairs of customers on one spend axis', () => {
    // Spend 0, 1 | 4, 5: for spend 0, a = 1 and b = (4 + 5) / 2, so s = 3.5 / 4.5; for spend 1, a = 1, b = 3.5.
    const result = silhouette(fromRows([[0], [1], [4], [5]]), [0, 0, 1, 1]);
    expect(Array.from(result.values)).toEqual([3.5 / 4.5, 2.5 / 3.5, 2.5 / 3.5, 3.5 / 4.5]);
    expect(result.mean).toBeCloseTo((3.5 / 4.5 + 2.5 / 3.5) / 2, 15);
    expect(result.sampledRows).toBeNull();
    expect(Array.from(result.clusterMeans)).toEqual([(3.5 / 4.5 + 2.5 / 3.5) / 2, (3.5 / 4.5 + 2.5 / 3.5) / 2]);
  });

  it('gives a customer alone in its cluster 0 (scikit-learn’s convention)', () => {
    const result = silhouette(fromRows([[0], [1], [10]]), [0, 0, 1]);
    expect(result.values[2]).toBe(0);
    expect(result.values[0]).toBeCloseTo((10 - 1) / 10, 15); // a = 1, b = 10
  });

  it('agrees with a brute-force O(n²) computation and with scikit-learn on the blobs', () => {
    const result = silhouette(blobs, blobTruth);
    const reference = bruteForceSilhouette(blobs, blobTruth);
    result.values.forEach((value, i) => expect(value).toBeCloseTo(reference[i] ?? Number.NaN, 12));
    // scikit-learn 1.2.1, from tests/fixtures/models:
    // python3 -c "import json,numpy as np;from sklearn.metrics import silhouette_score as s;d=json.load(open('blobs-600.json'));print(repr(s(np.array(d['points']),d['truth'])))"
    // → 0.4570001128998935; silhouette_samples(...)[:5] → the five values below.
    expect(result.mean).toBeCloseTo(0.4570001128998935, 12);
    const sklearnFirstFive = [0.6421667254473279, 0.5440137321693147, 0.2515336067406279, 0.492700609496133, -0.2186809272342255];
    sklearnFirstFive.forEach((value, i) => expect(result.values[i]).toBeCloseTo(value, 12));
  });

  it('above exactLimit scores a seeded sample of rows against all rows of every cluster', () => {
    const exact = silhouette(blobs, blobTruth);
    const everyRow = silhouette(blobs, blobTruth, { exactLimit: 100, sampleSize: 600 });
    expect(everyRow.sampledRows).toEqual(Int32Array.from({ length: 600 }, (_, row) => row));
    everyRow.values.forEach((value, i) => expect(value).toBeCloseTo(exact.values[i] ?? Number.NaN, 12));

    const sampled = silhouette(blobs, blobTruth, { exactLimit: 100, sampleSize: 150, seed: 3 });
    expect(sampled.sampledRows).toHaveLength(150);
    // Each sampled row gets exactly its full-data silhouette, so the mean is an unbiased estimate.
    sampled.values.forEach((value, i) => expect(value).toBeCloseTo(exact.values[sampled.sampledRows?.[i] ?? -1] ?? Number.NaN, 12));
    expect(Math.abs(sampled.mean - exact.mean)).toBeLessThan(0.05);
    expect(silhouette(blobs, blobTruth, { exactLimit: 100, sampleSize: 150, seed: 3 })).toEqual(sampled);
    expect(silhouette(blobs, blobTruth, { exactLimit: 100, sampleSize: 150, seed: 4 }).sampledRows).not.toEqual(sampled.sampledRows);
  });

  it('scores several labellings in one pass exactly as each alone, exact and sampled', () => {
    // Labellings of different k, one with empty clusters (labels 0 and 3 only) and one that is not contiguous.
    const labellings = [
      blobTruth,
      Int32Array.from(blobTruth, (label) => (label === 0 ? 0 : 3)),
      Int32Array.from({ length: blobs.rows }, (_, row) => (row * 7919) % 5),
      Int32Array.from({ length: blobs.rows }, (_, row) => (row < 300 ? 1 : 0)),
    ];
    for (const options of [{}, { exactLimit: 100, sampleSize: 150, seed: 3 }]) {
      const together = silhouettesOf(blobs, labellings, options);
      expect(together).toHaveLength(labellings.length);
      together.forEach((result, i) => expect(result).toEqual(silhouette(blobs, labellings[i] as Int32Array, options)));
    }
    // And each against Rousseeuw's definition pair by pair.
    const [, , mixed] = silhouettesOf(blobs, labellings);
    const reference = bruteForceSilhouette(blobs, labellings[2] as Int32Array);
    mixed?.values.forEach((value, i) => expect(value).toBeCloseTo(reference[i] ?? Number.NaN, 12));
  });

  it('needs between 2 and n − 1 clusters and one label per row', () => {
    expect(() => silhouette(fromRows([[0], [1]]), [0, 0])).toThrow(/2 to 1 non-empty clusters .* got 1/);
    expect(() => silhouette(fromRows([[0], [1], [2]]), [0, 1, 2])).toThrow(/got 3/);
    expect(() => silhouette(fromRows([[0], [1]]), [0])).toThrow(/expected 2 labels/);
    expect(() => silhouette(fromRows([[0], [1]]), [0, -1])).toThrow(/label of row 1 must be a non-negative integer, got -1/);
  });

  it('reports progress up to 1 and stops with an AbortError when cancelled', () => {
    for (const options of [{}, { exactLimit: 100, sampleSize: 200 }]) {
      const progress = progressRecorder();
      silhouette(blobs, blobTruth, { ...options, onProgress: progress.onProgress });
      progress.check();
      expect(() => silhouette(blobs, blobTruth, { ...options, signal: abortedSignal() })).toThrow(/Silhouette cancelled/);
    }
  });

});

describe('silhouetteByK', () => {
  it('tabulates mean silhouette and inertia for k = 2..10 on the blobs and suggests the best k', () => {
    const progress = progressRecorder();
    const table = silhouetteByK(blobs, { kmeans: { seed: 0, nInit: 4 }, onProgress: progress.onProgress });
    progress.check();
    expect(table.ks).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(table.silhouettes).toHaveLength(9);
    table.silhouettes.forEach((score) => expect(score).toBeGreaterThan(0));
    expect(table.inertias[0]).toBeGreaterThan(table.inertias[8] ?? Number.POSITIVE_INFINITY);
    expect(table.suggestedK).toBe(table.ks[table.silhouettes.indexOf(Math.max(...table.silhouettes))]);
  });

  it('suggests the k of the highest silhouette, the smaller k on a tie', () => {
    expect(suggestK([2, 3, 4, 5], [0.3, 0.5, 0.5, 0.4])).toBe(3);
    expect(suggestK([2, 3], [0.6, 0.2])).toBe(2);
  });

  it('rejects a range without two clusters', () => {
    expect(() => silhouetteByK(blobs, { kMin: 1 })).toThrow(/kMin must be an integer ≥ 2/);
  });
});
