/** Maximum likelihood over log-parameters: a penalised objective, its BFGS minimum and standard errors from the Hessian. */
import { minimiseBfgs, type Objective } from './bfgs.ts';
import type { Progress } from './progress.ts';

/** Mean negative log-likelihood plus penalizer · Σ θ², over log-parameters, with its gradient (chain rule: ∂/∂ln θ = θ ∂/∂θ). */
export function penalisedObjective(n: number, logLikelihood: (natural: Float64Array, gradient: Float64Array) => number, penalizer = 0): Objective {
  if (!(penalizer >= 0 && penalizer < Infinity)) throw new RangeError(`penalizer must be a finite number ≥ 0, got ${penalizer}`);
  return (logParams, gradient) => {
    const natural = logParams.map(Math.exp);
    const value = -logLikelihood(natural, gradient) / n;
    let penalty = 0;
    natural.forEach((theta, i) => {
      penalty += theta * theta;
      gradient[i] = (-(gradient[i] as number) * theta) / n + 2 * penalizer * theta * theta;
    });
    return value + penalizer * penalty;
  };
}

/**
 * Minimises the objective; standard errors from the central-difference Hessian of n · objective at the optimum.
 * `hessianStep` (in log-parameters, default 1e-5) suits an analytic gradient; a numerical one needs a wider step, or
 * its rounding noise, divided by the step, swamps the curvature.
 */
export function fitByMaximumLikelihood(objective: Objective, start: Float64Array, n: number, options: { readonly maxIterations?: number }, progress: Progress, hessianStep = 1e-5) {
  const { maxIterations = 500 } = options;
  if (!(Number.isInteger(maxIterations) && maxIterations >= 1)) throw new RangeError(`maxIterations must be a whole number ≥ 1, got ${maxIterations}`);
  const fit = minimiseBfgs(objective, start, maxIterations, (iteration) => progress.checkpoint(iteration / maxIterations));
  const k = start.length;
  const step = hessianStep;
  const hessian = new Float64Array(k * k);
  const plus = new Float64Array(k);
  const minus = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const shifted = fit.params.slice();
    shifted[j] = (fit.params[j] as number) + step;
    objective(shifted, plus);
    shifted[j] = (fit.params[j] as number) - step;
    objective(shifted, minus);
    for (let i = 0; i < k; i++) hessian[i * k + j] = (n * ((plus[i] as number) - (minus[i] as number))) / (2 * step);
  }
  // Variance of ln θ is the inverse Hessian's diagonal; at the optimum Var θ ≈ θ² Var ln θ (delta method).
  const variances = inverseDiagonal(hessian, k);
  const standardErrors = fit.params.map((logTheta, i) => Math.exp(logTheta) * Math.sqrt(variances[i] as number));
  return { ...fit, standardErrors };
}

/** Diagonal of the inverse of a symmetric k × k matrix by Cholesky; NaN throughout when it is not positive definite. */
function inverseDiagonal(matrix: Float64Array, k: number): Float64Array {
  const lower = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = ((matrix[i * k + j] as number) + (matrix[j * k + i] as number)) / 2;
      for (let m = 0; m < j; m++) sum -= (lower[i * k + m] as number) * (lower[j * k + m] as number);
      if (i === j && !(sum > 0)) return new Float64Array(k).fill(Number.NaN);
      lower[i * k + j] = i === j ? Math.sqrt(sum) : sum / (lower[j * k + j] as number);
    }
  }
  const diagonal = new Float64Array(k);
  for (let column = 0; column < k; column++) {
    const solved = new Float64Array(k); // this column of L⁻¹, by forward substitution
    for (let i = column; i < k; i++) {
      let sum = i === column ? 1 : 0;
      for (let m = column; m < i; m++) sum -= (lower[i * k + m] as number) * (solved[m] as number);
      solved[i] = sum / (lower[i * k + i] as number);
      diagonal[column] = (diagonal[column] as number) + (solved[i] as number) ** 2; // (L⁻ᵀL⁻¹)_cc = Σᵢ (L⁻¹)ᵢ꜀²
    }
  }
  return diagonal;
}
