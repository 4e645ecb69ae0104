import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/models/kit/random.ts';
import { rocAuc, thresholdMetrics } from '../../../../src/models/forward/classification-metrics.ts';
import { type Matrix, fromRows } from '../../../../src/models/kit/matrix.ts';
import { type DecisionTree, fitRandomForest, predictForestProba } from '../../../../src/models/forward/random-forest.ts';
import { abortedSignal, progressRecorder } from '../segmentation/segmentation-fixtures.ts';

/** 1,500 seeded rows, 6 features (two informative with an interaction, one weak, three noise), 26% positive, and scikit-learn's test AUCs. */
const reference = JSON.parse(readFileSync(new URL('../../../fixtures/models/classification-sklearn.json', import.meta.url), 'utf8')) as {
  versions: { sklearn: string };
  forest: { features: number[][]; labels: number[]; trainRows: number; testRocAuc: Record<'default' | 'leaf5' | 'depth4Balanced', number> };
};
const { trainRows } = reference.forest;
const train = fromRows(reference.forest.features.slice(0, trainRows));
const trainLabels = reference.forest.labels.slice(0, trainRows);
const test = fromRows(reference.forest.features.slice(trainRows));
const testLabels = reference.forest.labels.slice(trainRows);

/** Customers whose churn is decided by recency alone (x₀ ≤ 0.4 stays, x₀ ≥ 0.6 churns), plus a noise column. */
function separable(rows: number, seed: number): { features: Matrix; churned: number[] } {
  const rng = new Rng(seed, 'separable');
  const churned = Array.from({ length: rows }, () => (rng.chance(0.3) ? 1 : 0));
  const features = fromRows(churned.map((label) => [label === 1 ? rng.uniform(0.6, 1) : rng.uniform(0, 0.4), rng.normal()]));
  return { features, churned };
}

/** The leaf each row of `features` reaches. */
function leafOf(tree: DecisionTree, row: readonly number[]): number {
  let node = 0;
  while ((tree.feature[node] as number) >= 0) node = ((row[tree.feature[node] as number] as number) <= (tree.threshold[node] as number) ? tree.left[node] : tree.right[node]) as number;
  return node;
}

function depthOf(tree: DecisionTree, node = 0): number {
  return (tree.feature[node] as number) < 0 ? 0 : 1 + Math.max(depthOf(tree, tree.left[node]), depthOf(tree, tree.right[node]));
}

describe('fitRandomForest', () => {
  it('grows one CART tree by hand: the Gini split falls midway between the classes', () => {
    const spend = fromRows([[1], [2], [3], [4], [5], [6]]);
    const forest = fitRandomForest(spend, [0, 0, 0, 1, 1, 1], { trees: 1, bootstrap: false, maxFeatures: 'all' });
    const tree = forest.trees[0] as DecisionTree;
    expect(Array.from(tree.feature)).toEqual([0, -1, -1]);
    expect(tree.threshold[0]).toBe(3.5);
    expect(Array.from(tree.positiveRate)).toEqual([0.5, 0, 1]);
    expect(Array.from(predictForestProba(forest, fromRows([[3.5], [3.6], [-100], [100]])))).toEqual([0, 1, 0, 1]);
  });

  it('learns separable customers perfectly, on the training rows and on new ones', () => {
    const { features, churned } = separable(300, 1);
    const forest = fitRandomForest(features, churned, { trees: 50, seed: 3 });
    expect(thresholdMetrics(churned, predictForestProba(forest, features), 0.5).accuracy).toBe(1);
    const fresh = separable(200, 2);
    expect(thresholdMetrics(fresh.churned, predictForestProba(forest, fresh.features), 0.5).accuracy).toBe(1);
  });

  it('is deterministic for a seed, and another seed grows other trees', () => {
    const first = fitRandomForest(train, trainLabels, { trees: 10, seed: 5 });
    expect(fitRandomForest(train, trainLabels, { trees: 10, seed: 5 })).toEqual(first);
    const other = fitRandomForest(train, trainLabels, { trees: 10, seed: 6 });
    expect(other.trees[0]?.threshold).not.toEqual(first.trees[0]?.threshold);
  });

  it(`beats chance on noisy data, as well as scikit-learn ${reference.versions.sklearn} (mean test AUC of 5 seeds within 0.02)`, () => {
    const settings = { default: {}, leaf5: { minSamplesLeaf: 5 }, depth4Balanced: { maxDepth: 4, classWeight: 'balanced' } } as const;
    for (const [name, options] of Object.entries(settings)) {
      const aucs = [0, 1, 2, 3, 4].map((seed) => rocAuc(testLabels, predictForestProba(fitRandomForest(train, trainLabels, { ...options, seed }), test)));
      const mean = aucs.reduce((sum, auc) => sum + auc, 0) / aucs.length;
      expect(mean).toBeGreaterThan(0.7);
      expect(Math.abs(mean - reference.forest.testRocAuc[name as keyof typeof settings])).toBeLessThan(0.02);
    }
  });

  it('with balanced class weights, leans towards the rarer churners', () => {
    const options = { trees: 50, maxDepth: 4, seed: 1 } as const;
    const plain = predictForestProba(fitRandomForest(train, trainLabels, options), train);
    const balanced = predictForestProba(fitRandomForest(train, trainLabels, { ...options, classWeight: 'balanced' }), train);
    const mean = (values: Float64Array): number => values.reduce((sum, value) => sum + value, 0) / values.length;
    const churnRate = trainLabels.reduce((sum, label) => sum + label, 0) / trainRows;
    expect(mean(plain)).toBeCloseTo(churnRate, 1);
    expect(mean(balanced)).toBeGreaterThan(mean(plain) + 0.1);
    expect(thresholdMetrics(trainLabels, balanced).recall).toBeGreaterThan(thresholdMetrics(trainLabels, plain).recall + 0.2);
  });

  it('respects maxDepth and minSamplesLeaf', () => {
    const shallow = fitRandomForest(train, trainLabels, { trees: 5, maxDepth: 3 });
    for (const tree of shallow.trees) expect(depthOf(tree)).toBeLessThanOrEqual(3);
    const stump = fitRandomForest(train, trainLabels, { trees: 1, maxDepth: 0, bootstrap: false });
    expect(Array.from(stump.trees[0]?.positiveRate ?? [])).toEqual([trainLabels.reduce((sum, label) => sum + label, 0) / trainRows]);

    const leafy = fitRandomForest(train, trainLabels, { trees: 3, minSamplesLeaf: 7, bootstrap: false });
    for (const tree of leafy.trees) {
      const rowsPerLeaf = new Map<number, number>();
      for (const row of reference.forest.features.slice(0, trainRows)) rowsPerLeaf.set(leafOf(tree, row), (rowsPerLeaf.get(leafOf(tree, row)) ?? 0) + 1);
      expect(Math.min(...rowsPerLeaf.values())).toBeGreaterThanOrEqual(7);
    }
  });

  it('reports progress up to 1 and stops with an AbortError when cancelled', () => {
    const progress = progressRecorder();
    fitRandomForest(train, trainLabels, { trees: 20, onProgress: progress.onProgress });
    progress.check();
    expect(() => fitRandomForest(train, trainLabels, { signal: abortedSignal() })).toThrow(expect.objectContaining({ name: 'AbortError' }));
  });

  it('checks its inputs, naming the bad value', () => {
    expect(() => fitRandomForest(train, trainLabels, { maxFeatures: 7 })).toThrow(/maxFeatures must be 'sqrt', 'log2', 'all' or an integer in \[1, 6\], got 7/);
    expect(() => fitRandomForest(train, trainLabels, { trees: 0 })).toThrow(/trees must be a positive integer, got 0/);
    expect(() => fitRandomForest(train, trainLabels, { minSamplesLeaf: 0 })).toThrow(/minSamplesLeaf must be a positive integer, got 0/);
    expect(() => fitRandomForest(train, trainLabels.slice(1))).toThrow(/1000 rows but 999 labels/);
    expect(() => fitRandomForest(fromRows([[1], [Number.POSITIVE_INFINITY]]), [0, 1])).toThrow(/value Infinity at row 1, column 0/);
    expect(() => fitRandomForest(train, trainLabels, { classWeight: { negative: 1, positive: 0 } })).toThrow(/class weights must be finite and > 0/);
    expect(() => predictForestProba(fitRandomForest(train, trainLabels, { trees: 1 }), fromRows([[1]]))).toThrow(/fitted on 6 features, got 1 columns/);
  });
});
