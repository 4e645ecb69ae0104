// Own Lloyd's, not ml-kmeans 7: no n_init, abort or progress, its own PRNG, arrays of arrays (7× slower here), and empty clusters are not re-seeded.
import { Rng } from '../kit/random.ts';
import { type Clustering, orderClusters } from './clusters.ts';
import { type Matrix, assertFinite } from '../kit/matrix.ts';
import { Progress, type RunControl } from '../kit/progress.ts';
import { wasmLloydSpace } from './kmeans-wasm.ts';

export interface KMeansOptions extends RunControl {
  /** Independent k-means++ starts; the lowest inertia wins (ties: the earliest). Default 10, as scikit-learn's `n_init`. */
  readonly nInit?: number;
  /** Lloyd iterations per start. Default 300. */
  readonly maxIter?: number;
  /** Stop when the total squared centre shift is ≤ tolerance × mean feature variance (scikit-learn's `tol`). Default 1e-4. */
  readonly tolerance?: number;
  /** Seed of the k-means++ draws; the same seed gives the same clustering. Default 0. */
  readonly seed?: number;
  /** Starting centres (k × cols) instead of k-means++; then there is a single start. */
  readonly initialCentroids?: Matrix;
  /** Where the loops run: 'wasm' (once `loadAlsKernel` has loaded the module) or 'js'; the same bits. Default: 'wasm' when loaded. */
  readonly kernel?: 'wasm' | 'js';
}

export interface KMeansResult extends Clustering {
  /** Sum of squared distances from each row to its centroid (within-cluster sum of squares). */
  readonly inertia: number;
  /** Lloyd iterations of the winning start. */
  readonly iterations: number;
}

/**
 * K-Means (Lloyd 1982) with greedy k-means++ starts (Arthur & Vassilvitskii 2007, scikit-learn's variant with
 * 2 + ⌊ln k⌋ candidates per centre): `kmeans(rfm, 4, { seed: 42 })` → labels, centroids, sizes, inertia.
 */
export function kmeans(features: Matrix, k: number, options: KMeansOptions = {}): KMeansResult {
  const { maxIter = 300, tolerance = 1e-4, seed = 0, initialCentroids } = options;
  const nInit = initialCentroids === undefined ? (options.nInit ?? 10) : 1;
  const { rows, cols } = features;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  if (k > rows) throw new RangeError(`k = ${k} clusters need at least ${k} rows, got ${rows}`);
  if (!Number.isInteger(nInit) || nInit < 1) throw new RangeError(`nInit must be a positive integer, got ${nInit}`);
  if (!Number.isInteger(maxIter) || maxIter < 1) throw new RangeError(`maxIter must be a positive integer, got ${maxIter}`);
  if (!(tolerance >= 0)) throw new RangeError(`tolerance must be ≥ 0, got ${tolerance}`);
  if (initialCentroids !== undefined && (initialCentroids.rows !== k || initialCentroids.cols !== cols)) {
    throw new RangeError(`initialCentroids must be ${k} × ${cols}, got ${initialCentroids.rows} × ${initialCentroids.cols}`);
  }
  assertFinite(features, 'K-Means features');
  const progress = new Progress(options, 'K-Means');
  const shiftTolerance = tolerance * meanVariance(features);

  const space = lloydSpace(features, k, options.kernel);
  let best: LloydRun | undefined;
  for (let start = 0; start < nInit; start++) {
    if (initialCentroids === undefined) kMeansPlusPlus(space, k, new Rng(seed, `k-means++ ${start}`));
    else space.centres[0].set(initialCentroids.values);
    const run = lloyd(space, k, maxIter, shiftTolerance, (iteration) => progress.checkpoint((start + iteration / maxIter) / nInit));
    // Equal up to rounding: keep the earlier start. The space is the next start's: the winner is copied out.
    if (best === undefined || run.inertia < best.inertia * (1 - 1e-12)) best = { ...run, labels: run.labels.slice(), centres: run.centres.slice() };
    progress.checkpoint((start + 1) / nInit);
  }
  if (best === undefined) throw new Error('unreachable: no K-Means start ran');
  const sizes = new Int32Array(k);
  for (let row = 0; row < rows; row++) sizes[best.labels[row] as number] = (sizes[best.labels[row] as number] as number) + 1;
  const ordered = orderClusters(best.labels, { rows: k, cols, values: best.centres }, sizes);
  progress.finish();
  return { ...ordered, inertia: best.inertia, iterations: best.iterations };
}

interface LloydRun {
  labels: Int32Array;
  centres: Float64Array;
  inertia: number;
  iterations: number;
}

/** Mean of the per-column population variances, the scale of scikit-learn's relative `tol`. */
function meanVariance({ rows, cols, values }: Matrix): number {
  let total = 0;
  for (let col = 0; col < cols; col++) {
    let mean = 0;
    for (let row = 0; row < rows; row++) mean += values[row * cols + col] as number;
    mean /= rows;
    let sumSquares = 0;
    for (let row = 0; row < rows; row++) sumSquares += ((values[row * cols + col] as number) - mean) ** 2;
    total += sumSquares / rows;
  }
  return cols === 0 ? 0 : total / cols;
}

/** Greedy k-means++ into `space.centres[0]`: each new centre is the best (lowest potential) of 2 + ⌊ln k⌋ D²-weighted candidates. */
function kMeansPlusPlus(space: LloydSpace, k: number, rng: Rng): void {
  const { rows, cols, values } = space;
  const centres = space.centres[0];
  const localTrials = 2 + Math.floor(Math.log(k));
  const first = rng.integer(0, rows - 1);
  centres.set(values.subarray(first * cols, (first + 1) * cols), 0);
  // The three distance arrays by index: the closest so far, a candidate's, the best candidate's (min(∞, d) is d).
  let [closest, candidateClosest, bestClosest] = [0, 1, 2];
  space.distances[closest]!.fill(Number.POSITIVE_INFINITY);
  let potential = space.candidate(first, closest, candidateClosest);
  [closest, candidateClosest] = [candidateClosest, closest];
  const cumulative = new Float64Array(rows);
  for (let centre = 1; centre < k; centre++) {
    let running = 0;
    const distances = space.distances[closest]!;
    for (let row = 0; row < rows; row++) cumulative[row] = running += distances[row] as number;
    let bestPotential = Number.POSITIVE_INFINITY;
    let bestCandidate = 0;
    for (let trial = 0; trial < localTrials; trial++) {
      const candidate = upperBound(cumulative, rng.float() * potential);
      const candidatePotential = space.candidate(candidate, closest, candidateClosest);
      if (candidatePotential < bestPotential) {
        bestPotential = candidatePotential;
        bestCandidate = candidate;
        [bestClosest, candidateClosest] = [candidateClosest, bestClosest];
      }
    }
    centres.set(values.subarray(bestCandidate * cols, (bestCandidate + 1) * cols), centre * cols);
    [closest, bestClosest] = [bestClosest, closest];
    potential = bestPotential;
  }
}

/** First index whose cumulative weight exceeds `target` (the last index if none: all remaining weight is 0). */
function upperBound(cumulative: Float64Array, target: number): number {
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((cumulative[mid] as number) > target) high = mid;
    else low = mid + 1;
  }
  return low;
}

function squaredToRow(x: Float64Array, a: number, y: Float64Array, b: number, cols: number): number {
  let sum = 0;
  for (let col = 0; col < cols; col++) {
    const diff = (x[a * cols + col] as number) - (y[b * cols + col] as number);
    sum += diff * diff;
  }
  return sum;
}

/**
 * Lloyd's iterations from `space.centres[0]`, with scikit-learn's stopping rules (labels unchanged, or total squared
 * centre shift ≤ tolerance) and a final assignment to the final centres. Assignments use Hamerly's bounds
 * (Hamerly 2010, "Making k-means even faster"): a row whose distance to its centre is below both half the gap
 * to that centre's nearest other centre and its lower bound to every other centre keeps its label unscanned.
 */
function lloyd(space: LloydSpace, k: number, maxIter: number, shiftTolerance: number, checkpoint: (iteration: number) => void): LloydRun {
  const { cols, state } = space;
  const { sums, sizes, labels } = state;
  labels.fill(-1);
  sums.fill(0);
  sizes.fill(0);
  let current: 0 | 1 = 0;
  let centres = space.centres[current];
  let changed = space.assign(current, true);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIter) {
    checkpoint(iterations);
    iterations++;
    const reseeded = sizes.includes(0) && reseedEmptyClusters(space.values, cols, centres, state);
    const nextCentres = space.centres[current === 0 ? 1 : 0];
    let shift = 0;
    for (let cluster = 0; cluster < k; cluster++) {
      const size = sizes[cluster] as number;
      let moved = 0;
      for (let col = 0; col < cols; col++) {
        const index = cluster * cols + col;
        const mean = size > 0 ? (sums[index] as number) / size : (centres[index] as number);
        nextCentres[index] = mean;
        moved += (mean - (centres[index] as number)) ** 2;
      }
      state.moved[cluster] = Math.sqrt(moved);
      shift += moved;
    }
    current = current === 0 ? 1 : 0;
    centres = nextCentres;
    if (!changed && !reseeded) {
      converged = true; // labels did not move, so the new centres equal the old ones: strict convergence
      break;
    }
    if (shift <= shiftTolerance || iterations === maxIter) break;
    changed = space.assign(current, reseeded);
  }
  if (!converged) space.assign(current, false);
  return { labels, centres, inertia: space.inertia(current), iterations };
}

/**
 * The arrays one K-Means works in, reused by each start, and its hot loops over them: in JavaScript here, or in the
 * WebAssembly module's memory (kmeans-wasm.ts), the same bits.
 */
export interface LloydSpace {
  readonly rows: number;
  readonly cols: number;
  /** The features, rows × cols. */
  readonly values: Float64Array;
  /** Two k × cols buffers: the centres and the next ones. */
  readonly centres: readonly [Float64Array, Float64Array];
  readonly state: AssignState;
  /** k-means++'s three distance arrays (rows each). */
  readonly distances: readonly [Float64Array, Float64Array, Float64Array];
  /** `assign` to `centres[index]`; whether any label changed. */
  assign(centres: number, scanAll: boolean): boolean;
  /** distances[out][row] = min(distances[closest][row], d²(row, candidate)); their sum, in row order. */
  candidate(candidate: number, closest: number, out: number): number;
  /** Σ d²(row, its centre in `centres[index]`), in row order. */
  inertia(centres: number): number;
}

function lloydSpace(features: Matrix, k: number, kernel: 'wasm' | 'js' | undefined): LloydSpace {
  if (kernel !== 'js') {
    const space = wasmLloydSpace(features, k);
    if (space !== null) return space;
    if (kernel === 'wasm') throw new RangeError('the WebAssembly kernel is not loaded');
  }
  const { rows, cols, values } = features;
  const state: AssignState = {
    labels: new Int32Array(rows),
    upper: new Float64Array(rows),
    lower: new Float64Array(rows),
    halfGap: new Float64Array(k),
    moved: new Float64Array(k),
    sums: new Float64Array(k * cols),
    sizes: new Int32Array(k),
  };
  const centres = [new Float64Array(k * cols), new Float64Array(k * cols)] as const;
  const distances = [new Float64Array(rows), new Float64Array(rows), new Float64Array(rows)] as const;
  return {
    rows, cols, values, centres, state, distances,
    assign: (index, scanAll) => assign(values, rows, cols, centres[index as 0 | 1], k, state, scanAll),
    candidate(candidate, closest, out) {
      const from = distances[closest as 0 | 1 | 2];
      const to = distances[out as 0 | 1 | 2];
      let potential = 0;
      for (let row = 0; row < rows; row++) {
        const distance = Math.min(from[row] as number, squaredToRow(values, row, values, candidate, cols));
        to[row] = distance;
        potential += distance;
      }
      return potential;
    },
    inertia(index) {
      let inertia = 0;
      for (let row = 0; row < rows; row++) inertia += squaredToRow(values, row, centres[index as 0 | 1], state.labels[row] as number, cols);
      return inertia;
    },
  };
}

/** Per-row Hamerly bounds (Euclidean, not squared) and per-centre gaps and moves, kept across iterations. */
export interface AssignState {
  readonly labels: Int32Array;
  /** ≥ distance from the row to its own centre. */
  readonly upper: Float64Array;
  /** ≤ distance from the row to every other centre. */
  readonly lower: Float64Array;
  /** Half the distance from each centre to its nearest other centre. */
  readonly halfGap: Float64Array;
  /** How far each centre moved in the last update. */
  readonly moved: Float64Array;
  /** Per-cluster sums of rows and row counts, updated as rows change cluster (so the M-step is O(k·cols)). */
  readonly sums: Float64Array;
  readonly sizes: Int32Array;
}

/** Nearest centre for every row (first on ties when scanning); returns whether any label changed. */
function assign(values: Float64Array, rows: number, cols: number, centres: Float64Array, k: number, state: AssignState, scanAll: boolean): boolean {
  const { labels, upper, lower, halfGap, moved, sums, sizes } = state;
  let largestMove = 0;
  let largestMoved = -1;
  let secondMove = 0;
  for (let cluster = 0; cluster < k; cluster++) {
    const move = moved[cluster] as number;
    if (move > largestMove) {
      secondMove = largestMove;
      largestMove = move;
      largestMoved = cluster;
    } else if (move > secondMove) secondMove = move;
    let gap = Number.POSITIVE_INFINITY;
    for (let other = 0; other < k; other++) if (other !== cluster) gap = Math.min(gap, squaredToRow(centres, cluster, centres, other, cols));
    halfGap[cluster] = Math.sqrt(gap) / 2;
  }
  let changed = false;
  for (let row = 0; row < rows; row++) {
    const own = labels[row] as number;
    const offset = row * cols;
    if (!scanAll) {
      upper[row] = (upper[row] as number) + (moved[own] as number);
      lower[row] = (lower[row] as number) - (own === largestMoved ? secondMove : largestMove);
      const bound = Math.max(halfGap[own] as number, lower[row] as number);
      if ((upper[row] as number) <= bound) continue;
      upper[row] = Math.sqrt(squaredToRow(values, row, centres, own, cols));
      if ((upper[row] as number) <= bound) continue;
    }
    let best = 0;
    let bestDistance = Number.POSITIVE_INFINITY;
    let secondDistance = Number.POSITIVE_INFINITY;
    for (let cluster = 0; cluster < k; cluster++) {
      let distance = 0;
      const centreOffset = cluster * cols;
      for (let col = 0; col < cols; col++) {
        const diff = (values[offset + col] as number) - (centres[centreOffset + col] as number);
        distance += diff * diff;
      }
      if (distance < bestDistance) {
        secondDistance = bestDistance;
        bestDistance = distance;
        best = cluster;
      } else if (distance < secondDistance) secondDistance = distance;
    }
    if (best !== own) {
      if (own >= 0) moveRow(values, row, cols, own, -1, sums, sizes);
      moveRow(values, row, cols, best, 1, sums, sizes);
      labels[row] = best;
      changed = true;
    }
    upper[row] = Math.sqrt(bestDistance);
    lower[row] = Math.sqrt(secondDistance);
  }
  return changed;
}

/** Adds (`sign` 1) or removes (−1) a row from a cluster's running sum and count. */
function moveRow(values: Float64Array, row: number, cols: number, cluster: number, sign: 1 | -1, sums: Float64Array, sizes: Int32Array): void {
  sizes[cluster] = (sizes[cluster] as number) + sign;
  for (let col = 0; col < cols; col++) sums[cluster * cols + col] = (sums[cluster * cols + col] as number) + sign * (values[row * cols + col] as number);
}

/**
 * An empty cluster is re-seeded with the row farthest from its own centre (scikit-learn's rule), taken
 * only from clusters that keep at least one row. Returns whether any cluster was re-seeded.
 */
function reseedEmptyClusters(values: Float64Array, cols: number, centres: Float64Array, state: AssignState): boolean {
  const { labels, upper, lower, sums, sizes } = state;
  const empty: number[] = [];
  sizes.forEach((size, cluster) => size === 0 && empty.push(cluster));
  if (empty.length === 0) return false;
  const distances = Float64Array.from(labels, (cluster, row) => squaredToRow(values, row, centres, cluster, cols));
  const byDistance = Array.from({ length: labels.length }, (_, row) => row).sort((a, b) => (distances[b] as number) - (distances[a] as number) || a - b);
  let next = 0;
  for (const cluster of empty) {
    while (next < byDistance.length && (sizes[labels[byDistance[next] as number] as number] as number) <= 1) next++;
    const row = byDistance[next++];
    if (row === undefined) break; // fewer movable rows than empty clusters: cannot happen when k ≤ rows
    moveRow(values, row, cols, labels[row] as number, -1, sums, sizes);
    sums.fill(0, cluster * cols, (cluster + 1) * cols); // clear rounding residue left by rows that moved out
    moveRow(values, row, cols, cluster, 1, sums, sizes);
    labels[row] = cluster;
    upper[row] = 0;
    lower[row] = 0;
  }
  return true;
}
