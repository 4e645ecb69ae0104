// Own PCA rather than ml-pca: features are few (3–10 columns), so the eigen-decomposition of the covariance by
// Jacobi rotations is ~40 lines, exact to machine precision, and needs no matrix library in the worker bundle.
import { type Matrix, assertFinite } from '../kit/matrix.ts';
import { Progress, type RunControl } from '../kit/progress.ts';
import { symmetricEigen } from '../kit/eigen.ts';

export interface PcaResult {
  /** n × c coordinates of each row on the principal components (for a 2-D or 3-D segment map). */
  readonly scores: Matrix;
  /** c × cols unit loadings; in each, the loading of largest magnitude is positive. */
  readonly components: Matrix;
  /** Variance along each component (sample variance, n − 1). */
  readonly explainedVariance: Float64Array;
  /** Share of the total variance along each component. */
  readonly explainedVarianceRatio: Float64Array;
  /** Column means subtracted before projecting. */
  readonly means: Float64Array;
}

/**
 * Principal components by eigen-decomposition of the sample covariance (Jacobi's method); signs fixed so
 * the largest-magnitude loading of each component is positive (first such column on ties), making results
 * deterministic: `pca(scaledRfm, 2).explainedVarianceRatio` → [0.61, 0.27].
 */
export function pca(features: Matrix, components = 2, options: RunControl = {}): PcaResult {
  const { rows, cols, values } = features;
  if (!Number.isInteger(components) || components < 1 || components > cols) {
    throw new RangeError(`components must be an integer in 1..${cols} (the number of feature columns), got ${components}`);
  }
  if (rows < 2) throw new RangeError(`PCA needs at least 2 rows, got ${rows}`);
  assertFinite(features, 'PCA features');
  const progress = new Progress(options, 'PCA');
  const means = new Float64Array(cols);
  for (let row = 0; row < rows; row++) for (let col = 0; col < cols; col++) means[col] = (means[col] as number) + (values[row * cols + col] as number);
  for (let col = 0; col < cols; col++) means[col] = (means[col] as number) / rows;
  const covariance = new Float64Array(cols * cols);
  for (let row = 0; row < rows; row++) {
    if (row % 8192 === 0) progress.checkpoint((0.8 * row) / rows);
    for (let a = 0; a < cols; a++) {
      const centredA = (values[row * cols + a] as number) - (means[a] as number);
      for (let b = a; b < cols; b++) {
        covariance[a * cols + b] = (covariance[a * cols + b] as number) + centredA * ((values[row * cols + b] as number) - (means[b] as number));
      }
    }
  }
  for (let a = 0; a < cols; a++) {
    for (let b = a; b < cols; b++) {
      const value = (covariance[a * cols + b] as number) / (rows - 1);
      covariance[a * cols + b] = value;
      covariance[b * cols + a] = value;
    }
  }
  const { values: eigenvalues, vectors: eigenvectors } = symmetricEigen(covariance, cols);
  const order = Array.from({ length: cols }, (_, index) => index).sort((a, b) => (eigenvalues[b] as number) - (eigenvalues[a] as number) || a - b);
  const totalVariance = eigenvalues.reduce((sum: number, value: number) => sum + Math.max(value, 0), 0);
  const loadings = new Float64Array(components * cols);
  const explainedVariance = new Float64Array(components);
  const explainedVarianceRatio = new Float64Array(components);
  for (let component = 0; component < components; component++) {
    const source = order[component] as number;
    let largest = 0;
    for (let col = 1; col < cols; col++) {
      if (Math.abs(eigenvectors[col * cols + source] as number) > Math.abs(eigenvectors[largest * cols + source] as number)) largest = col;
    }
    const sign = (eigenvectors[largest * cols + source] as number) < 0 ? -1 : 1;
    for (let col = 0; col < cols; col++) loadings[component * cols + col] = sign * (eigenvectors[col * cols + source] as number);
    const variance = Math.max(eigenvalues[source] as number, 0);
    explainedVariance[component] = variance;
    explainedVarianceRatio[component] = totalVariance > 0 ? variance / totalVariance : 0;
  }
  const scores = new Float64Array(rows * components);
  for (let row = 0; row < rows; row++) {
    for (let component = 0; component < components; component++) {
      let score = 0;
      for (let col = 0; col < cols; col++) score += ((values[row * cols + col] as number) - (means[col] as number)) * (loadings[component * cols + col] as number);
      scores[row * components + component] = score;
    }
  }
  progress.finish();
  return {
    scores: { rows, cols: components, values: scores },
    components: { rows: components, cols, values: loadings },
    explainedVariance,
    explainedVarianceRatio,
    means,
  };
}

