/** Derivative-free minimisation within a box, for a few bounded parameters (smoothing weights). */

interface Vertex {
  readonly x: Float64Array;
  readonly value: number;
}

export interface NelderMeadOptions {
  /** Initial simplex edge as a fraction of each bound range; default 0.1. */
  readonly step?: number;
  readonly maxIterations?: number;
  /** Stop when the simplex values agree to this relative tolerance and its points to 1e-8 per coordinate. */
  readonly tolerance?: number;
  readonly onIteration?: (iteration: number) => void;
}

/**
 * Minimises `f` within [lower, upper] by Nelder–Mead with trial points clipped to the box, as SciPy's bounded
 * Nelder-Mead; coefficients 1, 2, ½, ½ (Lagarias et al. 1998): `nelderMead(sse, [0.5, 0.1], [0, 0], [1, 1])`.
 */
export function nelderMead(
  f: (x: Float64Array) => number,
  start: ArrayLike<number>,
  lower: ArrayLike<number>,
  upper: ArrayLike<number>,
  { step = 0.1, maxIterations = 1000, tolerance = 1e-10, onIteration }: NelderMeadOptions = {},
): { x: Float64Array; value: number; iterations: number } {
  const d = start.length;
  const clip = (x: Float64Array): Float64Array => x.map((v, i) => Math.min(Math.max(v, lower[i] as number), upper[i] as number));
  const evaluate = (x: Float64Array): number => {
    const value = f(x);
    return Number.isNaN(value) ? Infinity : value;
  };
  const x0 = clip(Float64Array.from(start));
  const points = [x0];
  for (let i = 0; i < d; i++) {
    const x = x0.slice();
    const delta = step * ((upper[i] as number) - (lower[i] as number));
    x[i] = (x[i] as number) + delta <= (upper[i] as number) ? (x[i] as number) + delta : (x[i] as number) - delta;
    points.push(clip(x));
  }
  let simplex: Vertex[] = points.map((x) => ({ x, value: evaluate(x) }));
  const along = (from: Float64Array, to: Float64Array, t: number): Float64Array => clip(from.map((v, i) => v + t * ((to[i] as number) - v)));
  let iteration = 0;
  for (; iteration < maxIterations; iteration++) {
    onIteration?.(iteration);
    simplex.sort((a, b) => a.value - b.value);
    const best = simplex[0] as Vertex;
    const worst = simplex[d] as Vertex;
    const spread = Math.max(...simplex.map((p) => Math.max(...p.x.map((v, i) => Math.abs(v - (best.x[i] as number))))));
    if (worst.value - best.value <= tolerance * (Math.abs(best.value) + 1e-300) && spread <= 1e-8) break;
    const centroid = new Float64Array(d);
    for (let p = 0; p < d; p++) for (let i = 0; i < d; i++) centroid[i] = (centroid[i] as number) + ((simplex[p] as Vertex).x[i] as number) / d;
    const reflected = along(centroid, worst.x, -1);
    const reflectedValue = evaluate(reflected);
    if (reflectedValue < best.value) {
      const expanded = along(centroid, worst.x, -2);
      const expandedValue = evaluate(expanded);
      simplex[d] = expandedValue < reflectedValue ? { x: expanded, value: expandedValue } : { x: reflected, value: reflectedValue };
    } else if (reflectedValue < (simplex[d - 1] as Vertex).value) {
      simplex[d] = { x: reflected, value: reflectedValue };
    } else {
      const outside = reflectedValue < worst.value;
      const contracted = along(centroid, outside ? reflected : worst.x, 0.5);
      const contractedValue = evaluate(contracted);
      if (contractedValue < (outside ? reflectedValue : worst.value)) simplex[d] = { x: contracted, value: contractedValue };
      else {
        simplex = simplex.map((vertex, index) => {
          if (index === 0) return vertex;
          const x = along(best.x, vertex.x, 0.5);
          return { x, value: evaluate(x) };
        });
      }
    }
  }
  simplex.sort((a, b) => a.value - b.value);
  const best = simplex[0] as Vertex;
  return { x: best.x, value: best.value, iterations: iteration };
}
