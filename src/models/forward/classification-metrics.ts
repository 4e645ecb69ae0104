// Binary classification (1 = positive, e.g. churned): labels and class weights, ROC and PR curves, metrics at a
// threshold, calibration, permutation importance and train/test splits, each defined as scikit-learn 1.2 does.
import { Rng } from '../kit/random.ts';
import type { Matrix } from '../kit/matrix.ts';
import { Progress, type RunControl } from '../kit/progress.ts';

/** Validated 0/1 labels with their class counts: `binaryLabels([0, 1, 1], 'churned')` → `{ positives: 2, … }`. */
export function binaryLabels(labels: ArrayLike<number>, what: string): { labels: Uint8Array; positives: number; negatives: number } {
  const bytes = new Uint8Array(labels.length);
  let positives = 0;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (label !== 0 && label !== 1) throw new RangeError(`${what}: label ${label} at row ${i} is not 0 or 1`);
    bytes[i] = label;
    positives += label;
  }
  return { labels: bytes, positives, negatives: labels.length - positives };
}

/** `balanced` weighs each class by n / (2 · n_class), as scikit-learn's `class_weight='balanced'`; or explicit weights. */
export type ClassWeight = 'balanced' | { readonly negative: number; readonly positive: number };

/** The [negative, positive] class weights; `undefined` weighs both 1. Both classes must be present for `balanced`. */
export function classWeights(positives: number, negatives: number, classWeight: ClassWeight | undefined): [number, number] {
  if (classWeight === undefined) return [1, 1];
  if (classWeight === 'balanced') {
    if (positives === 0 || negatives === 0) throw new RangeError(`balanced class weights need both classes, got ${positives} positives and ${negatives} negatives`);
    const rows = positives + negatives;
    return [rows / (2 * negatives), rows / (2 * positives)];
  }
  const { negative, positive } = classWeight;
  if (!(negative > 0 && positive > 0 && Number.isFinite(negative) && Number.isFinite(positive))) {
    throw new RangeError(`class weights must be finite and > 0, got negative ${negative} and positive ${positive}`);
  }
  return [negative, positive];
}

/** True and false positives at each distinct score, highest first (scikit-learn's `_binary_clf_curve`). */
interface ScoreSteps {
  readonly thresholds: Float64Array;
  readonly truePositives: Float64Array;
  readonly falsePositives: Float64Array;
  readonly positives: number;
  readonly negatives: number;
}

function scoreSteps(labels: ArrayLike<number>, scores: ArrayLike<number>, what: string): ScoreSteps {
  const checked = binaryLabels(labels, what);
  if (scores.length !== labels.length) throw new RangeError(`${what}: ${labels.length} labels but ${scores.length} scores`);
  const order = new Uint32Array(scores.length);
  for (let i = 0; i < scores.length; i++) {
    if (!Number.isFinite(scores[i])) throw new RangeError(`${what}: score ${scores[i]} at row ${i} is not a finite number`);
    order[i] = i;
  }
  order.sort((a, b) => (scores[b] as number) - (scores[a] as number));
  const thresholds: number[] = [];
  const truePositives: number[] = [];
  const falsePositives: number[] = [];
  let tp = 0;
  for (let k = 0; k < order.length; k++) {
    const row = order[k] as number;
    tp += checked.labels[row] as number;
    const score = scores[row] as number;
    if (k === order.length - 1 || scores[order[k + 1] as number] !== score) {
      thresholds.push(score);
      truePositives.push(tp);
      falsePositives.push(k + 1 - tp);
    }
  }
  return {
    thresholds: Float64Array.from(thresholds),
    truePositives: Float64Array.from(truePositives),
    falsePositives: Float64Array.from(falsePositives),
    positives: checked.positives,
    negatives: checked.negatives,
  };
}

function requireBothClasses({ positives, negatives }: ScoreSteps, what: string): void {
  if (positives === 0 || negatives === 0) throw new RangeError(`${what} needs both classes, got ${positives} positives and ${negatives} negatives`);
}

/** Points of a curve, from the strictest threshold (+∞, nothing predicted positive) to the loosest (the lowest score). */
export interface RocCurve {
  readonly thresholds: Float64Array;
  readonly falsePositiveRate: Float64Array;
  readonly truePositiveRate: Float64Array;
}

/**
 * ROC curve, one point per distinct score: scikit-learn's `roc_curve(drop_intermediate=False)`, except that
 * the first threshold is +∞ (1.2 writes max + 1). `rocCurve([0, 1, 1], [0.2, 0.9, 0.4])`.
 */
export function rocCurve(labels: ArrayLike<number>, scores: ArrayLike<number>): RocCurve {
  const steps = scoreSteps(labels, scores, 'ROC curve');
  requireBothClasses(steps, 'ROC curve');
  const points = steps.thresholds.length + 1;
  const curve = { thresholds: new Float64Array(points), falsePositiveRate: new Float64Array(points), truePositiveRate: new Float64Array(points) };
  curve.thresholds[0] = Number.POSITIVE_INFINITY;
  for (let k = 1; k < points; k++) {
    curve.thresholds[k] = steps.thresholds[k - 1] as number;
    curve.falsePositiveRate[k] = (steps.falsePositives[k - 1] as number) / steps.negatives;
    curve.truePositiveRate[k] = (steps.truePositives[k - 1] as number) / steps.positives;
  }
  return curve;
}

/**
 * Area under the ROC curve by the trapezoid rule, which equals the Mann–Whitney probability that a random
 * positive scores above a random negative, ties counting ½ (Hanley & McNeil 1982). `rocAuc(churned, probabilities)`.
 */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const steps = scoreSteps(labels, scores, 'ROC AUC');
  requireBothClasses(steps, 'ROC AUC');
  let area = 0;
  let fp = 0;
  let tp = 0;
  for (let k = 0; k < steps.thresholds.length; k++) {
    const nextFp = steps.falsePositives[k] as number;
    const nextTp = steps.truePositives[k] as number;
    area += ((nextFp - fp) * (tp + nextTp)) / 2;
    fp = nextFp;
    tp = nextTp;
  }
  return area / (steps.positives * steps.negatives);
}

/** Precision–recall points, from threshold +∞ (recall 0, precision 1) down to the lowest score. */
export interface PrCurve {
  readonly thresholds: Float64Array;
  readonly precision: Float64Array;
  readonly recall: Float64Array;
}

/** scikit-learn's `precision_recall_curve`, in the reverse order (strictest threshold first), like `rocCurve`. */
export function precisionRecallCurve(labels: ArrayLike<number>, scores: ArrayLike<number>): PrCurve {
  const steps = scoreSteps(labels, scores, 'precision–recall curve');
  if (steps.positives === 0) throw new RangeError('precision–recall curve needs at least one positive label');
  const points = steps.thresholds.length + 1;
  const curve = { thresholds: new Float64Array(points), precision: new Float64Array(points), recall: new Float64Array(points) };
  curve.thresholds[0] = Number.POSITIVE_INFINITY;
  curve.precision[0] = 1;
  for (let k = 1; k < points; k++) {
    const tp = steps.truePositives[k - 1] as number;
    curve.thresholds[k] = steps.thresholds[k - 1] as number;
    curve.precision[k] = tp / (tp + (steps.falsePositives[k - 1] as number));
    curve.recall[k] = tp / steps.positives;
  }
  return curve;
}

/**
 * Area under the PR curve as average precision Σₖ (Rₖ − Rₖ₋₁)·Pₖ over distinct thresholds, without
 * interpolation: scikit-learn's `average_precision_score`. `averagePrecision([0, 1, 1], [0.2, 0.9, 0.4])` → 1.
 */
export function averagePrecision(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const { precision, recall } = precisionRecallCurve(labels, scores);
  let sum = 0;
  for (let k = 1; k < precision.length; k++) sum += ((recall[k] as number) - (recall[k - 1] as number)) * (precision[k] as number);
  return sum;
}

/** Counts at a threshold: a row is predicted positive when its score is ≥ the threshold (as on the curves). */
export interface ConfusionMatrix {
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly trueNegatives: number;
  readonly falseNegatives: number;
}

/** The 2 × 2 table at `threshold`: `confusionMatrix(churned, probabilities, 0.5)`. */
export function confusionMatrix(labels: ArrayLike<number>, scores: ArrayLike<number>, threshold = 0.5): ConfusionMatrix {
  const checked = binaryLabels(labels, 'confusion matrix');
  if (scores.length !== labels.length) throw new RangeError(`confusion matrix: ${labels.length} labels but ${scores.length} scores`);
  if (Number.isNaN(threshold)) throw new RangeError('confusion matrix: threshold is NaN');
  let truePositives = 0;
  let falsePositives = 0;
  for (let i = 0; i < scores.length; i++) {
    if (!((scores[i] as number) >= threshold)) continue;
    if (checked.labels[i] === 1) truePositives++;
    else falsePositives++;
  }
  return { truePositives, falsePositives, trueNegatives: checked.negatives - falsePositives, falseNegatives: checked.positives - truePositives };
}

/** The usual ratios of a confusion matrix; a ratio with a zero denominator is 0 (scikit-learn's `zero_division`). */
export interface ThresholdMetrics extends ConfusionMatrix {
  readonly threshold: number;
  readonly accuracy: number;
  readonly precision: number;
  readonly recall: number;
  readonly specificity: number;
  readonly f1: number;
}

/** Accuracy, precision, recall, specificity and F1 at `threshold`: `thresholdMetrics(churned, probabilities, 0.3).f1`. */
export function thresholdMetrics(labels: ArrayLike<number>, scores: ArrayLike<number>, threshold = 0.5): ThresholdMetrics {
  const counts = confusionMatrix(labels, scores, threshold);
  const { truePositives: tp, falsePositives: fp, trueNegatives: tn, falseNegatives: fn } = counts;
  const ratio = (numerator: number, denominator: number): number => (denominator > 0 ? numerator / denominator : 0);
  return {
    ...counts,
    threshold,
    accuracy: ratio(tp + tn, tp + fp + tn + fn),
    precision: ratio(tp, tp + fp),
    recall: ratio(tp, tp + fn),
    specificity: ratio(tn, tn + fp),
    f1: ratio(2 * tp, 2 * tp + fp + fn),
  };
}

/** One bin of a calibration (reliability) table; empty bins are left out. */
export interface CalibrationBin {
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
  readonly meanPredicted: number;
  readonly observedRate: number;
}

export interface CalibrationOptions {
  /** Default 10 (deciles). */
  readonly bins?: number;
  /** `quantile`: edges at percentiles of the probabilities (deciles of customers); `uniform`: [0, 0.1, …, 1]. Default `quantile`. */
  readonly strategy?: 'quantile' | 'uniform';
}

/**
 * Mean predicted probability against the observed positive rate per bin, as scikit-learn's `calibration_curve`
 * (a probability on an inner edge falls in the lower bin). `calibrationTable(churned, probabilities)`.
 */
export function calibrationTable(labels: ArrayLike<number>, probabilities: ArrayLike<number>, options: CalibrationOptions = {}): CalibrationBin[] {
  const { bins = 10, strategy = 'quantile' } = options;
  const checked = binaryLabels(labels, 'calibration');
  if (probabilities.length !== labels.length) throw new RangeError(`calibration: ${labels.length} labels but ${probabilities.length} probabilities`);
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`calibration bins must be a positive integer, got ${bins}`);
  if (probabilities.length === 0) return [];
  const sorted = Float64Array.from(probabilities).sort();
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i] as number;
    if (!(p >= 0 && p <= 1)) throw new RangeError(`calibration: probability ${p} at row ${i} is outside [0, 1]`);
  }
  const edges = Float64Array.from({ length: bins + 1 }, (_, k) => (strategy === 'uniform' ? k / bins : percentile(sorted, k / bins)));
  const count = new Float64Array(bins);
  const predicted = new Float64Array(bins);
  const observed = new Float64Array(bins);
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i] as number;
    let bin = 0;
    while (bin < bins - 1 && (edges[bin + 1] as number) < p) bin++;
    count[bin] = (count[bin] as number) + 1;
    predicted[bin] = (predicted[bin] as number) + p;
    observed[bin] = (observed[bin] as number) + (checked.labels[i] as number);
  }
  const table: CalibrationBin[] = [];
  for (let bin = 0; bin < bins; bin++) {
    const n = count[bin] as number;
    if (n === 0) continue;
    const bounds = { lower: edges[bin] as number, upper: edges[bin + 1] as number };
    table.push({ ...bounds, count: n, meanPredicted: (predicted[bin] as number) / n, observedRate: (observed[bin] as number) / n });
  }
  return table;
}

/** Linear-interpolation percentile of ascending values, with numpy's (1.24) `_lerp` rounding. */
function percentile(sorted: Float64Array, fraction: number): number {
  const position = (sorted.length - 1) * fraction;
  const below = Math.floor(position);
  const low = sorted[below] as number;
  const high = sorted[Math.min(below + 1, sorted.length - 1)] as number;
  const t = position - below;
  return t >= 0.5 ? high - (high - low) * (1 - t) : low + (high - low) * t;
}

export interface PermutationImportanceOptions extends RunControl {
  /** Shuffles per feature. Default 5, as scikit-learn's `n_repeats`. */
  readonly repeats?: number;
  readonly seed?: number;
  /** Higher is better. Default `rocAuc`. */
  readonly score?: (labels: ArrayLike<number>, scores: ArrayLike<number>) => number;
}

/** Per feature: the drop in score of each shuffle, their mean and population sd (as scikit-learn's `importances_std`). */
export interface FeatureImportance {
  readonly mean: number;
  readonly sd: number;
  readonly drops: Float64Array;
}

/**
 * Breiman's (2001) permutation importance as scikit-learn's `permutation_importance`: the baseline score minus
 * the score with one column shuffled, per repeat. `predict` gets one scratch matrix, refilled between calls, so
 * it must not keep it. `permutationImportance((x) => predictLogisticProba(model, x), test, churned)`.
 */
export function permutationImportance(
  predict: (features: Matrix) => ArrayLike<number>,
  features: Matrix,
  labels: ArrayLike<number>,
  options: PermutationImportanceOptions = {},
): { baseline: number; features: FeatureImportance[] } {
  const { repeats = 5, seed = 0, score = rocAuc } = options;
  const { rows, cols } = features;
  if (!Number.isInteger(repeats) || repeats < 1) throw new RangeError(`repeats must be a positive integer, got ${repeats}`);
  if (labels.length !== rows) throw new RangeError(`permutation importance: ${rows} rows but ${labels.length} labels`);
  const progress = new Progress(options, 'Permutation importance');
  const baseline = score(labels, predict(features));
  const shuffled: Matrix = { rows, cols, values: features.values.slice() };
  const importances: FeatureImportance[] = [];
  for (let col = 0; col < cols; col++) {
    const rng = new Rng(seed, `permute column ${col}`);
    const column = Float64Array.from({ length: rows }, (_, row) => features.values[row * cols + col] as number);
    const drops = new Float64Array(repeats);
    for (let repeat = 0; repeat < repeats; repeat++) {
      const permuted = rng.shuffle(column.slice());
      for (let row = 0; row < rows; row++) shuffled.values[row * cols + col] = permuted[row] as number;
      drops[repeat] = baseline - score(labels, predict(shuffled));
      progress.checkpoint((col * repeats + repeat + 1) / (cols * repeats));
    }
    for (let row = 0; row < rows; row++) shuffled.values[row * cols + col] = column[row] as number;
    const mean = drops.reduce((sum, drop) => sum + drop, 0) / repeats;
    const sd = Math.sqrt(drops.reduce((sum, drop) => sum + (drop - mean) ** 2, 0) / repeats);
    importances.push({ mean, sd, drops });
  }
  progress.finish();
  return { baseline, features: importances };
}

/** Row indices of each part, ascending. */
export interface TrainTestSplit {
  readonly train: Int32Array;
  readonly test: Int32Array;
}

export interface SplitOptions {
  /** Share of rows held out for testing, in (0, 1). Default 0.25, as scikit-learn's `train_test_split`. */
  readonly testFraction?: number;
  readonly seed?: number;
}

/** A seeded random split ignoring time: ⌈testFraction · rows⌉ test rows, as `train_test_split`. `randomSplit(4300, { seed: 1 })`. */
export function randomSplit(rows: number, options: SplitOptions = {}): TrainTestSplit {
  const { testFraction = 0.25, seed = 0 } = options;
  checkSplit(rows, testFraction);
  const rowIndices = new Rng(seed, 'random split').shuffle(Int32Array.from({ length: rows }, (_, row) => row));
  const testRows = Math.ceil(testFraction * rows);
  if (testRows >= rows) throw new RangeError(`testFraction ${testFraction} of ${rows} rows leaves no training rows`);
  return { train: rowIndices.slice(testRows).sort(), test: rowIndices.slice(0, testRows).sort() };
}

/**
 * A seeded split keeping the churn rate: round(testFraction · n) test rows from each class, at least one in
 * each part when the class has two rows. `stratifiedSplit(churned, { testFraction: 0.3, seed: 1 })`.
 */
export function stratifiedSplit(labels: ArrayLike<number>, options: SplitOptions = {}): TrainTestSplit {
  const { testFraction = 0.25, seed = 0 } = options;
  const checked = binaryLabels(labels, 'stratified split');
  checkSplit(labels.length, testFraction);
  const rng = new Rng(seed, 'stratified split');
  const train: number[] = [];
  const test: number[] = [];
  for (const label of [0, 1]) {
    const members = rng.shuffle(Array.from(checked.labels.keys()).filter((row) => checked.labels[row] === label));
    const wanted = Math.round(testFraction * members.length);
    const testRows = members.length < 2 ? wanted : Math.min(Math.max(wanted, 1), members.length - 1);
    test.push(...members.slice(0, testRows));
    train.push(...members.slice(testRows));
  }
  return { train: Int32Array.from(train).sort(), test: Int32Array.from(test).sort() };
}

function checkSplit(rows: number, testFraction: number): void {
  if (!Number.isInteger(rows) || rows < 2) throw new RangeError(`a train/test split needs at least 2 rows, got ${rows}`);
  if (!(testFraction > 0 && testFraction < 1)) throw new RangeError(`testFraction must be in (0, 1), got ${testFraction}`);
}
