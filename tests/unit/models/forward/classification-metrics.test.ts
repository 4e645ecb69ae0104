import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/models/kit/random.ts';
import {
  averagePrecision,
  binaryLabels,
  calibrationTable,
  classWeights,
  confusionMatrix,
  permutationImportance,
  precisionRecallCurve,
  randomSplit,
  rocAuc,
  rocCurve,
  stratifiedSplit,
  thresholdMetrics,
} from '../../../../src/models/forward/classification-metrics.ts';
import { fitLogistic, predictLogisticProba } from '../../../../src/models/forward/logistic.ts';
import { fromRows } from '../../../../src/models/kit/matrix.ts';
import { abortedSignal, progressRecorder } from '../segmentation/segmentation-fixtures.ts';

/** 200 labels and 2-decimal scores (many ties) with scikit-learn's metrics (tests/fixtures/models/classification_reference.py). */
const { versions, metrics: sklearn } = JSON.parse(readFileSync(new URL('../../../fixtures/models/classification-sklearn.json', import.meta.url), 'utf8')) as {
  versions: { sklearn: string };
  metrics: {
    labels: number[];
    scores: number[];
    rocAuc: number;
    averagePrecision: number;
    roc: { fpr: number[]; tpr: number[]; thresholds: number[] };
    pr: { precision: number[]; recall: number[]; thresholds: number[] };
    calibration: Record<'quantile' | 'uniform', { observed: number[]; predicted: number[] }>;
  };
};

const expectClose = (actual: ArrayLike<number>, expected: readonly number[], digits = 12): void => {
  expect(actual.length).toBe(expected.length);
  expected.forEach((value, index) => expect(actual[index]).toBeCloseTo(value, digits));
};

/** Share of (positive, negative) pairs where the positive scores higher, ties counting ½: the definition of ROC AUC. */
function pairCount(labels: readonly number[], scores: readonly number[]): number {
  let wins = 0;
  let pairs = 0;
  labels.forEach((positive, i) => {
    if (positive !== 1) return;
    labels.forEach((negative, j) => {
      if (negative !== 0) return;
      pairs++;
      wins += (scores[i] as number) > (scores[j] as number) ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    });
  });
  return wins / pairs;
}

describe('rocAuc and rocCurve', () => {
  it('equals the brute-force count of (positive, negative) pairs, ties counting ½, on random data', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const rng = new Rng(seed, 'roc');
      const rows = rng.integer(2, 300);
      const labels = Array.from({ length: rows }, (_, row) => (row < 2 ? row : rng.chance(0.3) ? 1 : 0));
      const scores = labels.map((label) => Math.round((rng.normal() + label) * 4) / 4); // quarter steps: plenty of ties
      expect(rocAuc(labels, scores)).toBeCloseTo(pairCount(labels, scores), 12);
    }
  });

  it('gives 1, 0 and ½ for perfect, reversed and constant scores', () => {
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9])).toBe(1);
    expect(rocAuc([0, 0, 1, 1], [0.9, 0.8, 0.2, 0.1])).toBe(0);
    expect(rocAuc([0, 1, 0, 1], [0.3, 0.3, 0.3, 0.3])).toBe(0.5);
  });

  it(`matches scikit-learn ${versions.sklearn} roc_auc_score and roc_curve(drop_intermediate=False)`, () => {
    expect(rocAuc(sklearn.labels, sklearn.scores)).toBeCloseTo(sklearn.rocAuc, 12);
    const curve = rocCurve(sklearn.labels, sklearn.scores);
    expect(curve.thresholds[0]).toBe(Number.POSITIVE_INFINITY);
    expectClose(curve.thresholds.subarray(1), sklearn.roc.thresholds);
    expectClose(curve.falsePositiveRate, sklearn.roc.fpr);
    expectClose(curve.truePositiveRate, sklearn.roc.tpr);
  });
});

describe('averagePrecision and precisionRecallCurve', () => {
  it("reproduces scikit-learn's documented example by hand", () => {
    // Thresholds 0.8, 0.4, 0.35, 0.1 → (recall, precision) (½, 1), (½, ½), (1, ⅔), (1, ½): AP = ½ · 1 + ½ · ⅔.
    const labels = [0, 0, 1, 1];
    const scores = [0.1, 0.4, 0.35, 0.8];
    expect(averagePrecision(labels, scores)).toBeCloseTo(0.5 + 1 / 3, 15);
    const curve = precisionRecallCurve(labels, scores);
    expect(Array.from(curve.thresholds)).toEqual([Number.POSITIVE_INFINITY, 0.8, 0.4, 0.35, 0.1]);
    expectClose(curve.precision, [1, 1, 0.5, 2 / 3, 0.5]);
    expectClose(curve.recall, [0, 0.5, 0.5, 1, 1]);
  });

  it(`matches scikit-learn ${versions.sklearn} average_precision_score and precision_recall_curve (reversed) on tied scores`, () => {
    expect(averagePrecision(sklearn.labels, sklearn.scores)).toBeCloseTo(sklearn.averagePrecision, 12);
    const curve = precisionRecallCurve(sklearn.labels, sklearn.scores);
    expectClose(curve.thresholds.subarray(1), [...sklearn.pr.thresholds].reverse());
    expectClose(curve.precision, [...sklearn.pr.precision].reverse());
    expectClose(curve.recall, [...sklearn.pr.recall].reverse());
  });
});

describe('confusionMatrix and thresholdMetrics', () => {
  it('counts a score equal to the threshold as positive and computes the ratios by hand', () => {
    const churned = [1, 1, 1, 0, 0, 0, 0, 1];
    const scores = [0.9, 0.5, 0.2, 0.6, 0.1, 0.4, 0.5, 0.7];
    expect(confusionMatrix(churned, scores, 0.5)).toEqual({ truePositives: 3, falsePositives: 2, trueNegatives: 2, falseNegatives: 1 });
    const metrics = thresholdMetrics(churned, scores, 0.5);
    expect(metrics.accuracy).toBe(5 / 8);
    expect(metrics.precision).toBe(3 / 5);
    expect(metrics.recall).toBe(3 / 4);
    expect(metrics.specificity).toBe(2 / 4);
    expect(metrics.f1).toBeCloseTo((2 * (3 / 5) * (3 / 4)) / (3 / 5 + 3 / 4), 15); // harmonic mean = 2·3 / (2·3 + 2 + 1)
    expect(metrics.threshold).toBe(0.5);
  });

  it('gives 0 for a ratio with nothing to divide, as scikit-learn does', () => {
    const none = thresholdMetrics([1, 0, 1], [0.1, 0.2, 0.3], 0.9);
    expect(none).toMatchObject({ truePositives: 0, falsePositives: 0, precision: 0, recall: 0, f1: 0, accuracy: 1 / 3, specificity: 1 });
  });
});

describe('calibrationTable', () => {
  it('bins by hand: uniform edges, an edge value falls in the lower bin, empty bins are left out', () => {
    const churned = [0, 0, 1, 0, 1, 1];
    const probabilities = [0.05, 0.1, 0.15, 0.5, 0.85, 0.95];
    expect(calibrationTable(churned, probabilities, { bins: 10, strategy: 'uniform' })).toEqual([
      { lower: 0, upper: 0.1, count: 2, meanPredicted: expect.closeTo(0.075, 12), observedRate: 0 },
      { lower: 0.1, upper: 0.2, count: 1, meanPredicted: 0.15, observedRate: 1 },
      { lower: 0.4, upper: 0.5, count: 1, meanPredicted: 0.5, observedRate: 0 },
      { lower: 0.8, upper: 0.9, count: 1, meanPredicted: 0.85, observedRate: 1 },
      { lower: 0.9, upper: 1, count: 1, meanPredicted: 0.95, observedRate: 1 },
    ]);
    // Quantile halves of six customers: the median 0.325 splits them three and three.
    const halves = calibrationTable(churned, probabilities, { bins: 2 });
    expect(halves.map((bin) => [bin.count, bin.observedRate])).toEqual([
      [3, 1 / 3],
      [3, 2 / 3],
    ]);
    expect(halves[0]?.upper).toBeCloseTo(0.325, 12);
  });

  it(`matches scikit-learn ${versions.sklearn} calibration_curve for deciles and uniform bins`, () => {
    for (const strategy of ['quantile', 'uniform'] as const) {
      const table = calibrationTable(sklearn.labels, sklearn.scores, { strategy });
      expectClose(table.map((bin) => bin.observedRate), sklearn.calibration[strategy].observed);
      expectClose(table.map((bin) => bin.meanPredicted), sklearn.calibration[strategy].predicted);
      expect(table.reduce((sum, bin) => sum + bin.count, 0)).toBe(sklearn.labels.length);
    }
  });

  it('rejects a probability outside [0, 1]', () => {
    expect(() => calibrationTable([0, 1], [0.5, 1.2])).toThrow(/probability 1.2 at row 1 is outside \[0, 1\]/);
  });
});

describe('permutationImportance', () => {
  const rng = new Rng(11, 'importance');
  const rows = 600;
  const recency = Array.from({ length: rows }, () => rng.normal());
  const noise = Array.from({ length: rows }, () => rng.normal());
  const churned = recency.map((value) => (rng.chance(1 / (1 + Math.exp(-2 * value))) ? 1 : 0));
  const features = fromRows(recency.map((value, row) => [value, noise[row] as number]));
  const model = fitLogistic(features, churned);
  const predict = (x: typeof features): Float64Array => predictLogisticProba(model, x);

  it('gives the informative feature the largest drop in ROC AUC and a useless one about 0', () => {
    const result = permutationImportance(predict, features, churned, { repeats: 10, seed: 3 });
    expect(result.baseline).toBeCloseTo(rocAuc(churned, predict(features)), 15);
    const [informative, useless] = result.features;
    expect(informative?.mean).toBeGreaterThan(0.2);
    expect(Math.abs(useless?.mean ?? 1)).toBeLessThan(0.01);
    expect(informative?.drops).toHaveLength(10);
    const drops = Array.from(informative?.drops ?? []);
    const mean = drops.reduce((sum, drop) => sum + drop, 0) / drops.length;
    expect(informative?.mean).toBeCloseTo(mean, 15);
    expect(informative?.sd).toBeCloseTo(Math.sqrt(drops.reduce((sum, drop) => sum + (drop - mean) ** 2, 0) / drops.length), 15);
    expect(permutationImportance(predict, features, churned, { repeats: 10, seed: 3 })).toEqual(result);
    expect(Array.from(features.values.subarray(0, 2))).toEqual([recency[0], noise[0]]); // the input is left alone
  });

  it('reports progress up to 1 and stops with an AbortError when cancelled', () => {
    const progress = progressRecorder();
    permutationImportance(predict, features, churned, { repeats: 3, onProgress: progress.onProgress });
    progress.check();
    expect(() => permutationImportance(predict, features, churned, { signal: abortedSignal() })).toThrow(expect.objectContaining({ name: 'AbortError' }));
  });
});

describe('randomSplit and stratifiedSplit', () => {
  it('randomSplit holds out ⌈testFraction · rows⌉ rows, disjoint, ascending and the same for a seed', () => {
    const split = randomSplit(4301, { testFraction: 0.25, seed: 7 });
    expect(split.test).toHaveLength(1076);
    expect(split.train).toHaveLength(3225);
    expect(Array.from(new Set([...split.train, ...split.test])).sort((a, b) => a - b)).toEqual(Array.from({ length: 4301 }, (_, row) => row));
    expect(Array.from(split.test)).toEqual([...split.test].sort((a, b) => a - b));
    expect(randomSplit(4301, { testFraction: 0.25, seed: 7 })).toEqual(split);
    expect(randomSplit(4301, { testFraction: 0.25, seed: 8 }).test).not.toEqual(split.test);
    expect(() => randomSplit(2, { testFraction: 0.6 })).toThrow(/leaves no training rows/);
  });

  it('stratifiedSplit keeps the churn rate in both parts', () => {
    const rng = new Rng(3, 'strata');
    const churned = Array.from({ length: 1000 }, (): number => (rng.chance(0.12) ? 1 : 0));
    const positives = churned.reduce((sum, label) => sum + label, 0);
    const split = stratifiedSplit(churned, { testFraction: 0.3, seed: 1 });
    const testPositives = Array.from(split.test).filter((row) => churned[row] === 1).length;
    expect(testPositives).toBe(Math.round(0.3 * positives));
    expect(split.test).toHaveLength(Math.round(0.3 * positives) + Math.round(0.3 * (1000 - positives)));
    expect(split.train.length + split.test.length).toBe(1000);
    expect(stratifiedSplit(churned, { testFraction: 0.3, seed: 1 })).toEqual(split);
    // Two churners of twenty: one goes to each part even though 0.1 · 2 rounds to 0.
    const rare = stratifiedSplit([1, 1, ...new Array<number>(18).fill(0)], { testFraction: 0.1 });
    expect(Array.from(rare.test).filter((row) => row < 2)).toHaveLength(1);
  });
});

describe('binaryLabels and classWeights', () => {
  it("balanced weights are n / (2 · n_class), as scikit-learn's compute_class_weight", () => {
    const { positives, negatives } = binaryLabels([1, 0, 0, 0], 'churned');
    expect(classWeights(positives, negatives, 'balanced')).toEqual([4 / 6, 4 / 2]);
    expect(classWeights(positives, negatives, undefined)).toEqual([1, 1]);
    expect(classWeights(positives, negatives, { negative: 1, positive: 3 })).toEqual([1, 3]);
    expect(() => classWeights(0, 4, 'balanced')).toThrow(/need both classes, got 0 positives and 4 negatives/);
  });

  it('rejects anything but 0 and 1, and one-class ROC input, naming the value', () => {
    expect(() => binaryLabels([0, 1, -1], 'churned')).toThrow(/churned: label -1 at row 2 is not 0 or 1/);
    expect(() => rocAuc([1, 1], [0.2, 0.3])).toThrow(/ROC AUC needs both classes, got 2 positives and 0 negatives/);
    expect(() => rocAuc([1, 0], [0.2, Number.NaN])).toThrow(/score NaN at row 1 is not a finite number/);
    expect(() => averagePrecision([0, 0], [0.2, 0.3])).toThrow(/needs at least one positive label/);
  });
});
