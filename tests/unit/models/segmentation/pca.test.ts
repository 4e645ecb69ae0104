import { Matrix as MlMatrix, SVD } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { fromRows, toRows } from '../../../../src/models/kit/matrix.ts';
import { pca } from '../../../../src/models/segmentation/pca.ts';
import { abortedSignal, blobs, progressRecorder } from './segmentation-fixtures.ts';

describe('pca', () => {
  it('finds the one direction of customers on a line, with all the variance', () => {
    const result = pca(fromRows([[0, 0], [1, 2], [2, 4]]), 2);
    expect(result.components.values[0]).toBeCloseTo(1 / Math.sqrt(5), 12);
    expect(result.components.values[1]).toBeCloseTo(2 / Math.sqrt(5), 12);
    expect(result.explainedVarianceRatio[0]).toBeCloseTo(1, 12);
    expect(result.explainedVarianceRatio[1]).toBeCloseTo(0, 12);
    expect(result.explainedVariance[0]).toBeCloseTo(5, 12); // sample variance of (−√5, 0, √5)
    expect(toRows(result.scores).map((row) => row[0])).toEqual([expect.closeTo(-Math.sqrt(5), 12), expect.closeTo(0, 12), expect.closeTo(Math.sqrt(5), 12)]);
  });

  it('matches scikit-learn on the blobs, with the largest loading of each component made positive', () => {
    // scikit-learn 1.2.1: p = PCA(3).fit(X); p.explained_variance_ratio_, p.components_, p.explained_variance_ →
    const sklearnRatios = [0.4133549144286278, 0.3351506656059325, 0.2514944199654397];
    const sklearnVariances = [4.682261051080935, 3.796405590047644, 2.8487928558829174];
    const sklearnComponents = [
      [0.5303313205486007, 0.7471495903929267, 0.4006447054696462],
      [-0.6860288314661306, 0.10054269607913408, 0.7205939277168205],
      [0.49810955907550375, -0.6570073483917979, 0.5658871012108214], // scikit-learn 1.2 flips signs by U, not by loadings
    ];
    const result = pca(blobs, 3);
    sklearnRatios.forEach((ratio, c) => expect(result.explainedVarianceRatio[c]).toBeCloseTo(ratio, 12));
    sklearnVariances.forEach((variance, c) => expect(result.explainedVariance[c]).toBeCloseTo(variance, 11));
    const ours = toRows(result.components);
    ours.forEach((loadings, c) => {
      const largest = loadings.reduce((best, value) => (Math.abs(value) > Math.abs(best) ? value : best), 0);
      expect(largest).toBeGreaterThan(0);
      const sign = Math.sign(loadings[0] ?? 0) === Math.sign(sklearnComponents[c]?.[0] ?? 0) ? 1 : -1;
      loadings.forEach((value, col) => expect(value).toBeCloseTo(sign * (sklearnComponents[c]?.[col] ?? Number.NaN), 10));
    });
    expect(ours[2]?.[1]).toBeCloseTo(0.6570073483917979, 10);
  });

  it('agrees with ml-matrix’s SVD of the centred data (scores = U·S up to sign)', () => {
    const result = pca(blobs, 2);
    const centred = new MlMatrix(toRows(blobs)).center('column');
    const svd = new SVD(centred, { autoTranspose: true });
    const singular = svd.diagonal;
    const total = singular.reduce((sum, value) => sum + value * value, 0);
    for (let c = 0; c < 2; c++) {
      expect(result.explainedVarianceRatio[c]).toBeCloseTo((singular[c] ?? 0) ** 2 / total, 12);
      const vColumn = svd.rightSingularVectors.getColumn(c);
      const sign = Math.sign(vColumn[0] ?? 0) === Math.sign(result.components.values[c * 3] ?? 0) ? 1 : -1;
      vColumn.forEach((value, col) => expect(result.components.values[c * 3 + col]).toBeCloseTo(sign * value, 10));
      const uColumn = svd.leftSingularVectors.getColumn(c);
      for (const row of [0, 1, 299, 599]) {
        expect(result.scores.values[row * 2 + c]).toBeCloseTo(sign * (uColumn[row] ?? 0) * (singular[c] ?? 0), 10);
      }
    }
  });

  it('is deterministic, checks the number of components, and cancels', () => {
    expect(pca(blobs, 2)).toEqual(pca(blobs, 2));
    expect(() => pca(blobs, 4)).toThrow(/components must be an integer in 1..3 \(the number of feature columns\), got 4/);
    expect(() => pca(fromRows([[1, 2]]), 1)).toThrow(/at least 2 rows/);
    const progress = progressRecorder();
    pca(blobs, 3, { onProgress: progress.onProgress });
    progress.check();
    expect(() => pca(blobs, 2, { signal: abortedSignal() })).toThrow(/PCA cancelled/);
  });
});
