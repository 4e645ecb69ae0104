import { describe, expect, it } from 'vitest';
import { adjustedRandIndex } from '../../../../src/models/segmentation/ari.ts';
import { cutTree, hierarchical, linkageTree, type Dendrogram } from '../../../../src/models/segmentation/hierarchical.ts';
import { fromRows, toRows } from '../../../../src/models/kit/matrix.ts';
import { abortedSignal, blobs, progressRecorder, sklearnOnBlobs } from './segmentation-fixtures.ts';

/** The tree as scipy's linkage matrix rows [left, right, height, size]. */
const asScipy = (tree: Dendrogram) => Array.from(tree.left, (left, i) => [left, tree.right[i], tree.heights[i], tree.sizes[i]]);
const spend = fromRows([[0], [1], [5], [6], [20]]);

describe('linkageTree', () => {
  it('builds hand-worked trees for Ward, average and complete linkage in scipy’s layout', () => {
    // Ward: {0,1}–{5,6}: 2·2·2/4 · (0.5 − 5.5)² = 50 → √50; {0,1,5,6}–{20}: 2·4·1/5 · (3 − 20)² = 462.4 → √462.4.
    // scipy.cluster.hierarchy.linkage([[0],[1],[5],[6],[20]], 'ward') gives the same rows.
    const ward = asScipy(linkageTree(spend, { linkage: 'ward' }));
    expect(ward.slice(0, 2)).toEqual([[0, 1, 1, 2], [2, 3, 1, 2]]);
    expect(ward[2]).toEqual([5, 6, expect.closeTo(Math.sqrt(50), 12), 4]);
    expect(ward[3]).toEqual([4, 7, expect.closeTo(Math.sqrt(462.4), 12), 5]);
    // Average: {0,1}–{5,6} = (5 + 6 + 4 + 5)/4 = 5; {0,1,5,6}–{20} = (20 + 19 + 15 + 14)/4 = 17.
    expect(asScipy(linkageTree(spend, { linkage: 'average' }))).toEqual([[0, 1, 1, 2], [2, 3, 1, 2], [5, 6, 5, 4], [4, 7, 17, 5]]);
    // Complete: the farthest pair: 6 and 20.
    expect(asScipy(linkageTree(spend, { linkage: 'complete' }))).toEqual([[0, 1, 1, 2], [2, 3, 1, 2], [5, 6, 6, 4], [4, 7, 20, 5]]);
  });

  it('has scipy’s merge heights on the blobs', () => {
    // scipy 1.10.1: python3 -c "import json,numpy as np;from scipy.cluster.hierarchy import linkage as L;X=np.array(json.load(open('blobs-600.json'))['points']);[print(m,L(X,m)[-3:,2].tolist()) for m in ['ward','average','complete']]"
    const scipyTopHeights = {
      ward: [48.95816109082729, 54.87835852241668, 63.749254664814444],
      average: [5.024973445795176, 5.197187547222549, 5.474266302355643],
      complete: [9.673727253212125, 10.794656582886972, 11.453201897847999],
    };
    for (const [linkage, heights] of Object.entries(scipyTopHeights)) {
      const tree = linkageTree(blobs, { linkage: linkage as keyof typeof scipyTopHeights });
      heights.forEach((height, i) => expect(tree.heights[596 + i]).toBeCloseTo(height, 10));
      expect(tree.sizes[598]).toBe(600);
    }
  });

  it('refuses more rows than maxRows and unknown linkages, naming them', () => {
    expect(() => linkageTree(spend, { maxRows: 4 })).toThrow(/ward linkage of 5 rows is over the limit of 4 rows/);
    expect(() => linkageTree(spend, { linkage: 'single' as 'ward' })).toThrow(/unknown linkage "single"/);
  });
});

describe('cutTree', () => {
  it('undoes the top k − 1 merges', () => {
    const tree = linkageTree(spend);
    expect(Array.from(cutTree(tree, 1))).toEqual([0, 0, 0, 0, 0]);
    expect(Array.from(cutTree(tree, 2))).toEqual([0, 0, 0, 0, 1]);
    expect(Array.from(cutTree(tree, 3))).toEqual([0, 0, 1, 1, 2]);
    expect(Array.from(cutTree(tree, 5))).toEqual([0, 1, 2, 3, 4]);
    expect(() => cutTree(tree, 6)).toThrow(/k must be an integer in 1..5, got 6/);
  });
});

describe('hierarchical', () => {
  it('gives segments with sizes, largest first, and their centroids', () => {
    const result = hierarchical(spend, 3);
    expect(Array.from(result.labels)).toEqual([0, 0, 1, 1, 2]); // equal sizes: the lower centroid first
    expect(Array.from(result.sizes)).toEqual([2, 2, 1]);
    expect(toRows(result.centroids)).toEqual([[0.5], [5.5], [20]]);
  });

  it('matches scikit-learn’s AgglomerativeClustering labels on the blobs for every linkage (ARI = 1)', () => {
    // tests/fixtures/models/sklearn_reference.py: AgglomerativeClustering(n_clusters=4, linkage=…).fit_predict(X), scikit-learn 1.2.1.
    for (const linkage of ['ward', 'average', 'complete'] as const) {
      const result = hierarchical(blobs, 4, { linkage });
      expect(adjustedRandIndex(result.labels, sklearnOnBlobs[linkage])).toBe(1);
    }
    // Float32 distances (the default above 5,000 rows) give the same partitions here.
    for (const linkage of ['average', 'complete'] as const) {
      const result = hierarchical(blobs, 4, { linkage, distancePrecision: 'float32' });
      expect(adjustedRandIndex(result.labels, sklearnOnBlobs[linkage])).toBe(1);
    }
  });

  it('reports progress up to 1 and stops with an AbortError when cancelled', () => {
    for (const linkage of ['ward', 'average'] as const) {
      const progress = progressRecorder();
      hierarchical(blobs, 4, { linkage, onProgress: progress.onProgress });
      progress.check();
      expect(() => hierarchical(blobs, 4, { linkage, signal: abortedSignal() })).toThrow(/Hierarchical clustering cancelled/);
    }
  });

  it('clusters 4,300 customers by Ward (the nearest-neighbour chain needs no distance matrix)', () => {
    const points = toRows(blobs);
    const customers = fromRows(Array.from({ length: 4300 }, (_, i) => points[i % 600]!.map((value, col) => value + ((i * (col + 3)) % 17) / 100)));
    const result = hierarchical(customers, 4, { linkage: 'ward' });
    expect(result.sizes.reduce((sum, size) => sum + size, 0)).toBe(4300);
  });
});
