// Own Newton (IRLS) solve: with tens of features a (d+1)² Cholesky per step is cheap, and it converges
// quadratically to the same optimum as scikit-learn's LogisticRegression, so coefficients can be checked against it.
import { type ClassWeight, binaryLabels, classWeights } from './classification-metrics.ts';
import { type FeatureTransform, prepareFeatures } from '../kit/features.ts';
import type { Matrix } from '../kit/matrix.ts';
import { Progress, type RunControl } from '../kit/progress.ts';
import { choleskyFactor, choleskySubstitute } from '../kit/vector.ts';

export interface LogisticOptions extends RunControl {
  /**
   * Inverse L2 strength, scikit-learn's `C`: minimises C · Σᵢ wᵢ · log-loss + ½‖β‖² over the standardised
   * features, the intercept unpenalised. `Infinity` fits without a penalty (plain maximum likelihood). Default 1.
   */
  readonly c?: number;
  readonly classWeight?: ClassWeight;
  /** Feature names, for messages and the saved transform. Default `x0`, `x1`, …. */
  readonly columns?: readonly string[];
  /** Newton steps. Default 100. */
  readonly maxIter?: number;
  /** Converged when no standardised parameter moves more than this in a step. Default 1e-10. */
  readonly tolerance?: number;
}

/** A fitted binary logistic regression, JSON-serialisable apart from its typed arrays. */
export interface LogisticModel {
  /** The standard scaling (population sd; a constant column scales to 0) applied before the fit. */
  readonly transform: FeatureTransform;
  /** On the standardised features: the change in log-odds per standard deviation, comparable across features. */
  readonly intercept: number;
  readonly coefficients: Float64Array;
  /** The same model in raw units: log-odds = rawIntercept + Σ rawCoefficientsⱼ · xⱼ; exp(rawCoefficientⱼ) is an odds ratio per unit. */
  readonly rawIntercept: number;
  readonly rawCoefficients: Float64Array;
  readonly iterations: number;
  /** False when the steps never settled (separable classes with no penalty: the coefficients grow without bound). */
  readonly converged: boolean;
}

/**
 * Binary logistic regression with an L2 penalty on standardised features, fitted by Newton's method with
 * step halving (iteratively reweighted least squares; Hastie, Tibshirani & Friedman, ESL §4.4.1):
 * `fitLogistic(features, churned, { c: 1, classWeight: 'balanced' })`.
 */
export function fitLogistic(features: Matrix, labels: ArrayLike<number>, options: LogisticOptions = {}): LogisticModel {
  const { c = 1, maxIter = 100, tolerance = 1e-10 } = options;
  const { rows, cols } = features;
  const columns = options.columns ?? Array.from({ length: cols }, (_, col) => `x${col}`);
  if (!(c > 0)) throw new RangeError(`c (inverse regularisation) must be > 0, got ${c}`);
  if (!Number.isInteger(maxIter) || maxIter < 1) throw new RangeError(`maxIter must be a positive integer, got ${maxIter}`);
  if (!(tolerance > 0)) throw new RangeError(`tolerance must be > 0, got ${tolerance}`);
  if (labels.length !== rows) throw new RangeError(`logistic regression: ${rows} rows but ${labels.length} labels`);
  const { labels: y, positives, negatives } = binaryLabels(labels, 'logistic regression');
  if (positives === 0 || negatives === 0) throw new RangeError(`logistic regression needs both classes, got ${positives} positives and ${negatives} negatives`);
  const [negativeWeight, positiveWeight] = classWeights(positives, negatives, options.classWeight);
  const { matrix: z, transform } = prepareFeatures(features, { columns, scaling: 'standard' });
  if (transform.scaling.kind !== 'standard') throw new Error('unreachable: standard scaling expected');
  const { sds, means } = transform.scaling;
  const weights = Float64Array.from(y, (label) => (label === 1 ? positiveWeight : negativeWeight));
  const penalty = Number.isFinite(c) ? 1 / c : 0;
  const params = cols + 1; // θ = [intercept, β₁ … β_d]
  const progress = new Progress(options, 'Logistic regression');

  const objective = (theta: Float64Array): number => {
    let loss = 0;
    for (let row = 0; row < rows; row++) {
      const eta = linearPredictor(theta, z.values, row, cols);
      loss += (weights[row] as number) * (softplus(eta) - (y[row] as number) * eta);
    }
    for (let j = 1; j < params; j++) loss += (penalty * (theta[j] as number) ** 2) / 2;
    return loss;
  };

  const theta = new Float64Array(params);
  const gradient = new Float64Array(params);
  const hessian = new Float64Array(params * params);
  const trial = new Float64Array(params);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIter && !converged) {
    iterations++;
    gradient.fill(0);
    hessian.fill(0);
    for (let row = 0; row < rows; row++) {
      const p = sigmoid(linearPredictor(theta, z.values, row, cols));
      const w = weights[row] as number;
      const residual = w * (p - (y[row] as number));
      const curvature = w * p * (1 - p);
      for (let i = 0; i < params; i++) {
        const xi = i === 0 ? 1 : (z.values[row * cols + i - 1] as number);
        gradient[i] = (gradient[i] as number) + residual * xi;
        for (let j = 0; j <= i; j++) {
          const xj = j === 0 ? 1 : (z.values[row * cols + j - 1] as number);
          hessian[i * params + j] = (hessian[i * params + j] as number) + curvature * xi * xj;
        }
      }
    }
    for (let j = 1; j < params; j++) {
      gradient[j] = (gradient[j] as number) + penalty * (theta[j] as number);
      // A constant column is all zeros once scaled: a unit diagonal keeps its coefficient at 0 rather than singular.
      hessian[j * params + j] = (hessian[j * params + j] as number) + penalty + ((sds[j - 1] ?? 0) > 0 ? 0 : 1);
    }
    const collinear = choleskyFactor(hessian, params, 1e-12);
    if (collinear >= 0) {
      const name = collinear === 0 ? 'the intercept' : `column "${columns[collinear - 1]}"`;
      throw new RangeError(`logistic regression: ${name} is collinear with the columns before it; drop it or use a finite c`);
    }
    const step = gradient.slice();
    choleskySubstitute(hessian, step, params);

    const before = objective(theta);
    let decrease = 0;
    for (let j = 0; j < params; j++) decrease += (gradient[j] as number) * (step[j] as number);
    let scale = 1;
    for (let halving = 0; halving < 50; halving++, scale /= 2) {
      for (let j = 0; j < params; j++) trial[j] = (theta[j] as number) - scale * (step[j] as number);
      if (objective(trial) <= before - 1e-4 * scale * decrease) break; // Armijo condition
    }
    let largestMove = 0;
    for (let j = 0; j < params; j++) largestMove = Math.max(largestMove, Math.abs((trial[j] as number) - (theta[j] as number)));
    theta.set(trial);
    converged = largestMove <= tolerance;
    progress.checkpoint(iterations / maxIter);
  }

  const coefficients = theta.slice(1);
  const rawCoefficients = coefficients.map((beta, col) => ((sds[col] ?? 0) > 0 ? beta / (sds[col] as number) : 0));
  let rawIntercept = theta[0] as number;
  for (let col = 0; col < cols; col++) rawIntercept -= (rawCoefficients[col] as number) * (means[col] as number);
  progress.finish();
  return { transform, intercept: theta[0] as number, coefficients, rawIntercept, rawCoefficients, iterations, converged };
}

/** Probability of the positive class for each row of raw (unscaled) features: `predictLogisticProba(model, features)`. */
export function predictLogisticProba(model: LogisticModel, features: Matrix): Float64Array {
  const { rows, cols, values } = features;
  if (cols !== model.rawCoefficients.length) throw new RangeError(`the model has ${model.rawCoefficients.length} features (${model.transform.columns.join(', ')}), got ${cols} columns`);
  const probabilities = new Float64Array(rows);
  for (let row = 0; row < rows; row++) {
    let eta = model.rawIntercept;
    for (let col = 0; col < cols; col++) eta += (model.rawCoefficients[col] as number) * (values[row * cols + col] as number);
    probabilities[row] = sigmoid(eta);
  }
  return probabilities;
}

function linearPredictor(theta: Float64Array, z: Float64Array, row: number, cols: number): number {
  let eta = theta[0] as number;
  for (let col = 0; col < cols; col++) eta += (theta[col + 1] as number) * (z[row * cols + col] as number);
  return eta;
}

function sigmoid(eta: number): number {
  return eta >= 0 ? 1 / (1 + Math.exp(-eta)) : Math.exp(eta) / (1 + Math.exp(eta));
}

/** log(1 + eᵗ) without overflow. */
function softplus(eta: number): number {
  return eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta));
}


