import { type KMeansOptions, kmeans } from './kmeans.ts';
import type { Matrix } from '../kit/matrix.ts';
import { Progress, type RunControl } from '../kit/progress.ts';

export interface ElbowOptions extends RunControl {
  /** Default 2. */
  readonly kMin?: number;
  /** Default 10 (capped at the number of rows). */
  readonly kMax?: number;
  /** K-Means settings for every k (seed, nInit, …). */
  readonly kmeans?: Omit<KMeansOptions, keyof RunControl | 'initialCentroids'>;
}

export interface Elbow {
  readonly ks: number[];
  readonly inertias: number[];
  /** The k where adding segments stops paying off, or null when the curve has no bend. */
  readonly knee: number | null;
}

/** K-Means inertia for k = kMin..kMax and its knee: `elbow(rfm).knee` → 4. */
export function elbow(features: Matrix, options: ElbowOptions = {}): Elbow {
  const { kMin = 2 } = options;
  const kMax = Math.min(options.kMax ?? 10, features.rows);
  if (!Number.isInteger(kMin) || kMin < 1) throw new RangeError(`kMin must be a positive integer, got ${kMin}`);
  if (!Number.isInteger(kMax) || kMax < kMin) throw new RangeError(`kMax must be an integer ≥ kMin = ${kMin} and ≤ rows = ${features.rows}, got ${kMax}`);
  const progress = new Progress(options, 'Elbow');
  const ks: number[] = [];
  const inertias: number[] = [];
  const steps = kMax - kMin + 1;
  for (let k = kMin; k <= kMax; k++) {
    const step = k - kMin;
    ks.push(k);
    inertias.push(kmeans(features, k, { ...options.kmeans, ...progress.slice(step / steps, (step + 1) / steps) }).inertia);
  }
  progress.finish();
  return { ks, inertias, knee: findKnee(ks, inertias) };
}

/**
 * Knee of a decreasing, convex curve by Kneedle (Satopää, Albrecht, Irwin & Raghavan 2011, "Finding a
 * 'Kneedle' in a Haystack"): normalise x and y to [0, 1], flip y, and take the maximum of the difference
 * curve D = (1 − ŷ) − x̂ — the global maximum, which is also the point farthest from the chord joining the
 * first and last points. Ties go to the smaller k; null when D ≤ 0 everywhere (a straight or concave curve).
 */
export function findKnee(ks: readonly number[], inertias: readonly number[]): number | null {
  if (ks.length !== inertias.length) throw new RangeError(`${ks.length} ks but ${inertias.length} inertias`);
  if (ks.length < 3) return null;
  const xMin = Math.min(...ks);
  const xRange = Math.max(...ks) - xMin;
  const yMin = Math.min(...inertias);
  const yRange = Math.max(...inertias) - yMin;
  if (!(xRange > 0) || !(yRange > 0)) return null;
  let knee: number | null = null;
  let largest = 0;
  ks.forEach((k, index) => {
    const difference = 1 - ((inertias[index] as number) - yMin) / yRange - (k - xMin) / xRange;
    if (difference > largest + 1e-12) {
      largest = difference;
      knee = k;
    }
  });
  return knee;
}
