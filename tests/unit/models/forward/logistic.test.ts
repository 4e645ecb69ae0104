import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fitLogistic, predictLogisticProba } from '../../../../src/models/forward/logistic.ts';
import { fromRows } from '../../../../src/models/kit/matrix.ts';
import { abortedSignal, progressRecorder } from '../segmentation/segmentation-fixtures.ts';

interface SklearnFit {
  C: number;
  classWeight: 'balanced' | null;
  intercept: number;
  coefficients: number[];
  probabilities: number[];
}
/** scikit-learn 1.2.1's LogisticRegression on 400 seeded customers (tests/fixtures/models/classification_reference.py). */
const reference = JSON.parse(readFileSync(new URL('../../../fixtures/models/classification-sklearn.json', import.meta.url), 'utf8')) as {
  versions: { sklearn: string };
  logistic: { columns: string[]; features: number[][]; churned: number[]; fits: SklearnFit[] };
};

/** 24 customers with one 0/1 feature (say, "used a voucher"): 3 of 12 churned without it, 8 of 12 with it. */
function voucherTable(): { features: ReturnType<typeof fromRows>; churned: number[] } {
  const rows: number[][] = [];
  const churned: number[] = [];
  const cells = [
    { voucher: 0, churned: 1, count: 3 },
    { voucher: 0, churned: 0, count: 9 },
    { voucher: 1, churned: 1, count: 8 },
    { voucher: 1, churned: 0, count: 4 },
  ];
  for (const cell of cells) {
    for (let i = 0; i < cell.count; i++) {
      rows.push([cell.voucher]);
      churned.push(cell.churned);
    }
  }
  return { features: fromRows(rows), churned };
}

describe('fitLogistic', () => {
  it('without a penalty, recovers the log-odds of a 2 × 2 table in closed form', () => {
    const { features, churned } = voucherTable();
    const model = fitLogistic(features, churned, { c: Number.POSITIVE_INFINITY });
    // MLE: intercept = log(3/9), coefficient = log odds ratio = log((8/4) / (3/9)) = log 6.
    expect(model.converged).toBe(true);
    expect(model.rawIntercept).toBeCloseTo(Math.log(3 / 9), 10);
    expect(model.rawCoefficients[0]).toBeCloseTo(Math.log(6), 10);
    // Standardised: the feature has mean 0.5 and population sd 0.5.
    expect(model.coefficients[0]).toBeCloseTo(0.5 * Math.log(6), 10);
    expect(model.intercept).toBeCloseTo(Math.log(3 / 9) + 0.5 * Math.log(6), 10);
    // The fitted probabilities are the group churn rates.
    const probabilities = predictLogisticProba(model, fromRows([[0], [1]]));
    expect(probabilities[0]).toBeCloseTo(3 / 12, 10);
    expect(probabilities[1]).toBeCloseTo(8 / 12, 10);
  });

  it('class weights multiply the counts: explicit and balanced (n / (2 · n_class)) weights move only the intercept here', () => {
    const { features, churned } = voucherTable();
    const explicit = fitLogistic(features, churned, { c: Number.POSITIVE_INFINITY, classWeight: { negative: 1, positive: 2 } });
    expect(explicit.rawIntercept).toBeCloseTo(Math.log((2 * 3) / 9), 10);
    expect(explicit.rawCoefficients[0]).toBeCloseTo(Math.log(6), 10);
    // 11 churned, 13 stayed: weights 24/22 and 24/26.
    const balanced = fitLogistic(features, churned, { c: Number.POSITIVE_INFINITY, classWeight: 'balanced' });
    expect(balanced.rawIntercept).toBeCloseTo(Math.log((3 * (24 / 22)) / (9 * (24 / 26))), 10);
    expect(balanced.rawCoefficients[0]).toBeCloseTo(Math.log(6), 10);
  });

  it(`matches scikit-learn ${reference.versions.sklearn} LogisticRegression(C, class_weight) on standardised features within 1e-4`, () => {
    const { features, churned, columns, fits } = reference.logistic;
    expect(fits).toHaveLength(4);
    for (const fit of fits) {
      const model = fitLogistic(fromRows(features), churned, { c: fit.C, columns, ...(fit.classWeight === null ? {} : { classWeight: fit.classWeight }) });
      expect(model.converged).toBe(true);
      expect(model.iterations).toBeLessThan(15);
      expect(Math.abs(model.intercept - fit.intercept)).toBeLessThan(1e-4);
      fit.coefficients.forEach((coefficient, col) => expect(Math.abs((model.coefficients[col] as number) - coefficient)).toBeLessThan(1e-4));
      // In fact the same optimum, to ~1e-9; and the raw-unit model gives the same probabilities.
      expect(model.intercept).toBeCloseTo(fit.intercept, 7);
      const probabilities = predictLogisticProba(model, fromRows(features.slice(0, 10)));
      fit.probabilities.forEach((p, row) => expect(probabilities[row]).toBeCloseTo(p, 8));
    }
    // A stronger penalty shrinks the standardised coefficients.
    const strong = fits.find((fit) => fit.C === 0.05 && fit.classWeight === null);
    const weak = fits.find((fit) => fit.C === 1 && fit.classWeight === null);
    expect(Math.abs(strong?.coefficients[0] ?? 0)).toBeLessThan(Math.abs(weak?.coefficients[0] ?? 0));
  });

  it('keeps a constant column at 0 and names a collinear column when there is no penalty', () => {
    const { features, churned } = voucherTable();
    const withConstant = fromRows(Array.from({ length: features.rows }, (_, row) => [features.values[row] as number, 7]));
    const model = fitLogistic(withConstant, churned, { c: Number.POSITIVE_INFINITY, columns: ['voucher', 'store'] });
    expect(Array.from(model.coefficients)).toEqual([expect.closeTo(0.5 * Math.log(6), 10), 0]);
    expect(model.rawCoefficients[1]).toBe(0);

    const duplicated = fromRows(Array.from({ length: features.rows }, (_, row) => [features.values[row] as number, 2 * (features.values[row] as number)]));
    expect(() => fitLogistic(duplicated, churned, { c: Number.POSITIVE_INFINITY, columns: ['voucher', 'voucher_twice'] })).toThrow(
      /column "voucher_twice" is collinear/,
    );
    const ridge = fitLogistic(duplicated, churned, { c: 1 });
    expect(ridge.coefficients[0]).toBeCloseTo(ridge.coefficients[1] as number, 10); // the penalty splits it evenly
  });

  it('reports separable classes without a penalty as not converged instead of failing', () => {
    const spend = fromRows([[1], [2], [3], [10], [11], [12]]);
    const churned = [1, 1, 1, 0, 0, 0];
    const free = fitLogistic(spend, churned, { c: Number.POSITIVE_INFINITY, maxIter: 30 });
    expect(free.converged).toBe(false);
    expect(free.rawCoefficients[0]).toBeLessThan(-3);
    expect(fitLogistic(spend, churned).converged).toBe(true);
  });

  it('reports progress up to 1 and stops with an AbortError when cancelled', () => {
    const { features, churned } = reference.logistic;
    const progress = progressRecorder();
    fitLogistic(fromRows(features), churned, { onProgress: progress.onProgress });
    progress.check();
    expect(() => fitLogistic(fromRows(features), churned, { signal: abortedSignal() })).toThrow(expect.objectContaining({ name: 'AbortError' }));
  });

  it('checks its inputs, naming the bad value', () => {
    const { features } = voucherTable();
    const churned = voucherTable().churned.map((label, row) => (row === 5 ? 2 : label));
    expect(() => fitLogistic(features, churned)).toThrow(/label 2 at row 5 is not 0 or 1/);
    expect(() => fitLogistic(features, new Array<number>(24).fill(0))).toThrow(/needs both classes, got 0 positives and 24 negatives/);
    expect(() => fitLogistic(features, [1, 0])).toThrow(/24 rows but 2 labels/);
    expect(() => fitLogistic(features, voucherTable().churned, { c: 0 })).toThrow(/c \(inverse regularisation\) must be > 0, got 0/);
    expect(() => fitLogistic(fromRows([[Number.NaN], [1]]), [0, 1])).toThrow(/non-finite value NaN at row 0/);
    expect(() => predictLogisticProba(fitLogistic(features, voucherTable().churned), fromRows([[1, 2]]))).toThrow(/the model has 1 features \(x0\), got 2 columns/);
  });
});
