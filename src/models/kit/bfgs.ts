/** Unconstrained minimisation by BFGS, for objectives with an analytic gradient (maximum-likelihood fits). */

/** The value at `params`, with its gradient written into `gradient`. */
export type Objective = (logParams: Float64Array, gradient: Float64Array) => number;

// On the mean negative log-likelihood per customer, in log-parameters. Below about 1e-7 a step's gain, |g|²/2, is lost in
// the rounding of the sum, so a fit that can no longer descend counts as converged when the gradient is under 1e-6.
const GRADIENT_TOLERANCE = 1e-8;
const STALLED_TOLERANCE = 1e-6;

/**
 * BFGS (Nocedal & Wright 2006, algorithm 6.1) with a backtracking Armijo line search; a non-finite value counts as a
 * step too far. Steps are capped at 2 in log-parameter space (a factor e² per iteration), so exp never overflows.
 */
export function minimiseBfgs(objective: Objective, start: Float64Array, maxIterations: number, onIteration: (iteration: number) => void) {
  const k = start.length;
  const params = Float64Array.from(start);
  const gradient = new Float64Array(k);
  let value = objective(params, gradient);
  if (!Number.isFinite(value)) throw new RangeError(`the log-likelihood is not finite at the starting point (${Array.from(start, Math.exp).join(', ')})`);
  const inverse = new Float64Array(k * k);
  const reset = (): void => {
    inverse.fill(0);
    for (let i = 0; i < k; i++) inverse[i * k + i] = 1;
  };
  reset();
  let fresh = true; // the inverse Hessian is the identity
  const direction = new Float64Array(k);
  const trial = new Float64Array(k);
  const trialGradient = new Float64Array(k);
  const largest = (vector: Float64Array) => vector.reduce((max, entry) => Math.max(max, Math.abs(entry)), 0);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    onIteration(iteration);
    if (largest(gradient) < GRADIENT_TOLERANCE) return { params, value, iterations: iteration, converged: true };
    let slope = 0;
    for (let i = 0; i < k; i++) {
      let entry = 0;
      for (let j = 0; j < k; j++) entry -= (inverse[i * k + j] as number) * (gradient[j] as number);
      direction[i] = entry;
      slope += entry * (gradient[i] as number);
    }
    if (!(slope < 0)) {
      reset();
      fresh = true;
      direction.set(gradient.map((g) => -g));
      slope = -gradient.reduce((sum, g) => sum + g * g, 0);
    }
    let step = Math.min(1, 2 / largest(direction));
    let accepted = false;
    let trialValue = Number.NaN;
    for (let halvings = 0; halvings < 60 && !accepted; halvings++) {
      for (let i = 0; i < k; i++) trial[i] = (params[i] as number) + step * (direction[i] as number);
      trialValue = objective(trial, trialGradient);
      accepted = trialValue < value && trialValue <= value + 1e-4 * step * slope; // strict: rounding must not pass for progress
      if (!accepted) step /= 2;
    }
    if (!accepted) {
      if (fresh) return { params, value, iterations: iteration, converged: largest(gradient) < STALLED_TOLERANCE };
      reset();
      fresh = true;
      continue;
    }
    const s = trial.map((entry, i) => entry - (params[i] as number));
    const y = trialGradient.map((entry, i) => entry - (gradient[i] as number));
    const sy = s.reduce((sum, entry, i) => sum + entry * (y[i] as number), 0);
    if (sy > 1e-14) {
      if (fresh) {
        const scale = sy / y.reduce((sum, entry) => sum + entry * entry, 0); // Nocedal & Wright eq. 6.20
        for (let i = 0; i < k; i++) inverse[i * k + i] = scale;
        fresh = false;
      }
      // H ← H − ρ(H y sᵀ + s yᵀH) + (ρ² yᵀHy + ρ) s sᵀ, with ρ = 1/(sᵀy)
      const rho = 1 / sy;
      const hy = new Float64Array(k);
      for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) hy[i] = (hy[i] as number) + (inverse[i * k + j] as number) * (y[j] as number);
      const yhy = y.reduce((sum, entry, i) => sum + entry * (hy[i] as number), 0);
      for (let i = 0; i < k; i++) {
        for (let j = 0; j < k; j++) {
          const si = s[i] as number;
          const sj = s[j] as number;
          inverse[i * k + j] = (inverse[i * k + j] as number) - rho * ((hy[i] as number) * sj + si * (hy[j] as number)) + (rho * rho * yhy + rho) * si * sj;
        }
      }
    }
    params.set(trial);
    gradient.set(trialGradient);
    value = trialValue;
  }
  return { params, value, iterations: maxIterations, converged: largest(gradient) < GRADIENT_TOLERANCE };
}
