// Own forest, not ml-random-forest 2.1: it draws the feature subset once per tree rather than at each split
// (Breiman 2001), has no class weights, progress or abort, and grows ml-cart trees over arrays of arrays.
import { Rng } from '../kit/random.ts';
import { type ClassWeight, binaryLabels, classWeights } from './classification-metrics.ts';
import { type Matrix, assertFinite } from '../kit/matrix.ts';
import { Progress, type RunControl } from '../kit/progress.ts';

export interface RandomForestOptions extends RunControl {
  /** Default 100, as scikit-learn's `n_estimators`. */
  readonly trees?: number;
  /** Deepest split level (the root is depth 0). Default unlimited: trees grow until leaves are pure or too small. */
  readonly maxDepth?: number;
  /** Fewest distinct (in-bag) rows in a leaf. Default 1. */
  readonly minSamplesLeaf?: number;
  /** Features drawn at each split: `sqrt` (default) and `log2` of the feature count, `all`, or a count. */
  readonly maxFeatures?: 'sqrt' | 'log2' | 'all' | number;
  /** Each tree sees a bootstrap sample of the rows. Default true. */
  readonly bootstrap?: boolean;
  /** Class weights from all rows (scikit-learn's `balanced`, not `balanced_subsample`). */
  readonly classWeight?: ClassWeight;
  readonly seed?: number;
}

/** One tree as parallel arrays by node (node 0 is the root); a leaf has feature −1. Rows with x ≤ threshold go left. */
export interface DecisionTree {
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** The weighted share of positive rows reaching the node (bootstrap counts × class weights). */
  readonly positiveRate: Float64Array;
}

export interface RandomForest {
  readonly cols: number;
  readonly trees: readonly DecisionTree[];
}

/**
 * Random forest of CART trees split on weighted Gini impurity, each on a bootstrap sample with a fresh random
 * subset of features at every split (Breiman 2001; scikit-learn's RandomForestClassifier):
 * `fitRandomForest(features, churned, { trees: 100, minSamplesLeaf: 5, classWeight: 'balanced', seed: 1 })`.
 */
export function fitRandomForest(features: Matrix, labels: ArrayLike<number>, options: RandomForestOptions = {}): RandomForest {
  const { trees = 100, maxDepth = Number.POSITIVE_INFINITY, minSamplesLeaf = 1, maxFeatures = 'sqrt', bootstrap = true, seed = 0 } = options;
  const { rows, cols } = features;
  if (!Number.isInteger(trees) || trees < 1) throw new RangeError(`trees must be a positive integer, got ${trees}`);
  if (!(maxDepth >= 0) || (Number.isFinite(maxDepth) && !Number.isInteger(maxDepth))) throw new RangeError(`maxDepth must be a non-negative integer, got ${maxDepth}`);
  if (!Number.isInteger(minSamplesLeaf) || minSamplesLeaf < 1) throw new RangeError(`minSamplesLeaf must be a positive integer, got ${minSamplesLeaf}`);
  if (labels.length !== rows) throw new RangeError(`random forest: ${rows} rows but ${labels.length} labels`);
  if (rows === 0 || cols === 0) throw new RangeError(`random forest needs rows and features, got ${rows} × ${cols}`);
  assertFinite(features, 'random forest features');
  const { labels: y, positives, negatives } = binaryLabels(labels, 'random forest');
  const [negativeWeight, positiveWeight] = classWeights(positives, negatives, options.classWeight);
  const split = { features, y, classWeight: [negativeWeight, positiveWeight] as const, maxDepth, minSamplesLeaf, drawn: featuresPerSplit(maxFeatures, cols) };

  const sorted = new Int32Array(cols * rows); // each feature's row order, ascending, ties by row
  for (let col = 0; col < cols; col++) {
    const order = Uint32Array.from({ length: rows }, (_, row) => row);
    order.sort((a, b) => (features.values[a * cols + col] as number) - (features.values[b * cols + col] as number) || a - b);
    sorted.set(order, col * rows);
  }
  const progress = new Progress(options, 'Random forest');
  const forest: DecisionTree[] = [];
  for (let tree = 0; tree < trees; tree++) {
    const rng = new Rng(seed, `tree ${tree}`);
    const counts = new Float64Array(rows);
    if (!bootstrap) counts.fill(1);
    for (let draw = 0; bootstrap && draw < rows; draw++) {
      const row = rng.integer(0, rows - 1);
      counts[row] = (counts[row] as number) + 1;
    }
    forest.push(growTree(split, sorted, counts, rng));
    progress.checkpoint((tree + 1) / trees);
  }
  progress.finish();
  return { cols, trees: forest };
}

/** Mean over the trees of the leaf's positive rate, per row: scikit-learn's `predict_proba(x)[:, 1]`. */
export function predictForestProba(forest: RandomForest, features: Matrix): Float64Array {
  const { rows, cols, values } = features;
  if (cols !== forest.cols) throw new RangeError(`the forest was fitted on ${forest.cols} features, got ${cols} columns`);
  const probabilities = new Float64Array(rows);
  for (const tree of forest.trees) {
    for (let row = 0; row < rows; row++) {
      let node = 0;
      let feature = tree.feature[0] as number;
      while (feature >= 0) {
        node = ((values[row * cols + feature] as number) <= (tree.threshold[node] as number) ? tree.left[node] : tree.right[node]) as number;
        feature = tree.feature[node] as number;
      }
      probabilities[row] = (probabilities[row] as number) + (tree.positiveRate[node] as number);
    }
  }
  for (let row = 0; row < rows; row++) probabilities[row] = (probabilities[row] as number) / forest.trees.length;
  return probabilities;
}

function featuresPerSplit(maxFeatures: RandomForestOptions['maxFeatures'], cols: number): number {
  switch (maxFeatures) {
    case 'sqrt':
      return Math.max(1, Math.floor(Math.sqrt(cols)));
    case 'log2':
      return Math.max(1, Math.floor(Math.log2(cols)));
    case 'all':
      return cols;
    default:
      if (typeof maxFeatures === 'number' && Number.isInteger(maxFeatures) && maxFeatures >= 1 && maxFeatures <= cols) return maxFeatures;
      throw new RangeError(`maxFeatures must be 'sqrt', 'log2', 'all' or an integer in [1, ${cols}], got ${String(maxFeatures)}`);
  }
}

interface SplitSettings {
  readonly features: Matrix;
  readonly y: Uint8Array;
  readonly classWeight: readonly [number, number];
  readonly maxDepth: number;
  readonly minSamplesLeaf: number;
  readonly drawn: number;
}

/**
 * One CART tree over the in-bag rows. Every node is a range [start, end) of `order`, which holds the node's rows
 * sorted by each feature in turn; a split partitions each feature's range stably, so nothing is re-sorted.
 */
function growTree(settings: SplitSettings, sorted: Int32Array, counts: Float64Array, rng: Rng): DecisionTree {
  const { features, y, classWeight, maxDepth, minSamplesLeaf, drawn } = settings;
  const { rows, cols, values } = features;
  const weight = Float64Array.from(counts, (count, row) => count * (classWeight[y[row] as number] as number));
  let inBag = 0;
  for (let row = 0; row < rows; row++) if ((counts[row] as number) > 0) inBag++;
  const order = new Int32Array(cols * inBag);
  for (let col = 0; col < cols; col++) {
    let next = col * inBag;
    for (let k = col * rows; k < (col + 1) * rows; k++) if ((counts[sorted[k] as number] as number) > 0) order[next++] = sorted[k] as number;
  }
  const capacity = 2 * inBag - 1;
  const tree = { feature: new Int32Array(capacity).fill(-1), threshold: new Float64Array(capacity), left: new Int32Array(capacity), right: new Int32Array(capacity), positiveRate: new Float64Array(capacity) };
  const goesLeft = new Uint8Array(rows);
  const buffer = new Int32Array(inBag);
  const candidates = Int32Array.from({ length: cols }, (_, col) => col);
  const stack: [node: number, start: number, end: number, depth: number][] = [[0, 0, inBag, 0]];
  let nodes = 1;
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    const [node, start, end, depth] = entry;
    let total = 0;
    let positive = 0;
    for (let k = start; k < end; k++) {
      const row = order[k] as number;
      total += weight[row] as number;
      positive += (weight[row] as number) * (y[row] as number);
    }
    tree.positiveRate[node] = positive / total;
    if (depth >= maxDepth || end - start < 2 * minSamplesLeaf || positive === 0 || positive === total) continue;

    let bestScore = Number.NEGATIVE_INFINITY;
    let bestFeature = -1;
    let bestPosition = -1;
    let bestThreshold = 0;
    let visited = 0;
    for (let drawnSoFar = 0; drawnSoFar < cols && visited < drawn; drawnSoFar++) {
      const pick = drawnSoFar + Math.floor(rng.float() * (cols - drawnSoFar)); // partial Fisher–Yates
      const col = candidates[pick] as number;
      candidates[pick] = candidates[drawnSoFar] as number;
      candidates[drawnSoFar] = col;
      const base = col * inBag;
      if (values[(order[base + start] as number) * cols + col] === values[(order[base + end - 1] as number) * cols + col]) continue; // constant here: not counted, as scikit-learn
      visited++;
      let leftTotal = 0;
      let leftPositive = 0;
      for (let k = start; k < end - 1; k++) {
        const row = order[base + k] as number;
        leftTotal += weight[row] as number;
        leftPositive += (weight[row] as number) * (y[row] as number);
        const leftRows = k + 1 - start;
        if (leftRows < minSamplesLeaf) continue;
        if (end - start - leftRows < minSamplesLeaf) break;
        const here = values[row * cols + col] as number;
        const next = values[(order[base + k + 1] as number) * cols + col] as number;
        if (next === here) continue;
        // Weighted Gini decrease, up to a constant: Σ over children of (positive² + negative²) / weight.
        const rightTotal = total - leftTotal;
        const rightPositive = positive - leftPositive;
        const score = (leftPositive ** 2 + (leftTotal - leftPositive) ** 2) / leftTotal + (rightPositive ** 2 + (rightTotal - rightPositive) ** 2) / rightTotal;
        if (score > bestScore) {
          bestScore = score;
          bestFeature = col;
          bestPosition = k + 1;
          const middle = here / 2 + next / 2;
          bestThreshold = middle < next ? middle : here;
        }
      }
    }
    if (bestFeature < 0) continue;

    for (let k = start; k < end; k++) goesLeft[order[bestFeature * inBag + k] as number] = k < bestPosition ? 1 : 0;
    for (let col = 0; col < cols; col++) {
      if (col === bestFeature) continue;
      const base = col * inBag;
      let left = start;
      let right = 0;
      for (let k = start; k < end; k++) {
        const row = order[base + k] as number;
        if (goesLeft[row] === 1) order[base + left++] = row;
        else buffer[right++] = row;
      }
      order.set(buffer.subarray(0, right), base + left);
    }
    tree.feature[node] = bestFeature;
    tree.threshold[node] = bestThreshold;
    tree.left[node] = nodes;
    tree.right[node] = nodes + 1;
    stack.push([nodes + 1, bestPosition, end, depth + 1], [nodes, start, bestPosition, depth + 1]);
    nodes += 2;
  }
  return {
    feature: tree.feature.slice(0, nodes),
    threshold: tree.threshold.slice(0, nodes),
    left: tree.left.slice(0, nodes),
    right: tree.right.slice(0, nodes),
    positiveRate: tree.positiveRate.slice(0, nodes),
  };
}
