// Own NN-chain, not ml-hclust 4: its agnes copies the distance matrix at every merge (O(n³): 3.8 s for 1,000 rows, ~5 min for 4,300), has no abort or progress, and its 'ward' is R's ward.D (Lance–Williams on unsquared distances), not scipy's Ward.
import { type Clustering, clusterMeans, orderClusters } from './clusters.ts';
import { type Matrix, assertFinite } from '../kit/matrix.ts';
import { Progress, type RunControl } from '../kit/progress.ts';

/** How the distance between two groups of customers is measured when merging. */
export type Linkage = 'ward' | 'average' | 'complete';

export interface HierarchicalOptions extends RunControl {
  /** Default `ward`. */
  readonly linkage?: Linkage;
  /** Refuse more rows than this. Default 10,000 for average and complete (their distance matrix holds n²/2
   * numbers) and 50,000 for Ward (O(n·cols) memory, but O(n²·cols) time). */
  readonly maxRows?: number;
  /** Storage of the average/complete distance matrix: Float64 up to 5,000 rows (74 MB at 4,300), Float32 above. */
  readonly distancePrecision?: 'float64' | 'float32';
}

/**
 * A dendrogram in scipy's linkage-matrix layout: merge i joins clusters `left[i]` and `right[i]` (ids below
 * `rows` are single rows, id rows + j is the cluster formed by merge j) at `heights[i]`, giving `sizes[i]` rows.
 */
export interface Dendrogram {
  readonly rows: number;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly heights: Float64Array;
  readonly sizes: Int32Array;
}

export interface HierarchicalResult extends Clustering {
  readonly tree: Dendrogram;
}

/** Rows up to which distances are kept as Float64 by default; above, Float32 halves the memory. */
const FLOAT64_ROWS = 5_000;

/** Share of the NN-chain's work done after `merge` merges: each costs about the number of clusters left. */
const chainProgress = (merge: number, n: number): number => 1 - (1 - merge / n) ** 2;

/** Agglomerative clustering cut at k segments: `hierarchical(rfm, 4, { linkage: 'ward' })` → labels, centroids, tree. */
export function hierarchical(features: Matrix, k: number, options: HierarchicalOptions = {}): HierarchicalResult {
  if (!Number.isInteger(k) || k < 1 || k > features.rows) throw new RangeError(`k must be an integer in 1..${features.rows}, got ${k}`);
  const tree = linkageTree(features, options);
  const labels = cutTree(tree, k);
  const { centroids, sizes } = clusterMeans(features, labels, k);
  return { ...orderClusters(labels, centroids, sizes), tree };
}

/**
 * The full merge tree by the nearest-neighbour chain (Murtagh 1983; Müllner 2011, "Modern hierarchical,
 * agglomerative clustering algorithms"; the same merges and tie rules as scipy's `nn_chain`). Ward's distance
 * is taken from centroids, d(i, j)² = 2·nᵢnⱼ/(nᵢ+nⱼ)·‖cᵢ − cⱼ‖² — what scipy's Lance–Williams update
 * d²(k, i∪j) = [(nᵢ+nₖ)d²(k,i) + (nⱼ+nₖ)d²(k,j) − nₖd²(i,j)] / (nᵢ+nⱼ+nₖ) yields from Euclidean distances, so
 * heights match scipy and scikit-learn; average and complete update a Euclidean distance matrix by
 * Lance & Williams (1967). O(n²) time.
 */
export function linkageTree(features: Matrix, options: HierarchicalOptions = {}): Dendrogram {
  const { linkage = 'ward' } = options;
  const maxRows = options.maxRows ?? (linkage === 'ward' ? 50_000 : 10_000);
  const { rows: n, cols, values } = features;
  if (linkage !== 'ward' && linkage !== 'average' && linkage !== 'complete') {
    throw new RangeError(`unknown linkage "${String(linkage)}" (expected ward, average or complete)`);
  }
  if (n < 1) throw new RangeError('hierarchical clustering needs at least one row');
  if (n > maxRows) {
    throw new RangeError(`${linkage} linkage of ${n} rows is over the limit of ${maxRows} rows (take a sample, or use K-Means)`);
  }
  assertFinite(features, 'hierarchical features');
  const progress = new Progress(options, 'Hierarchical clustering');
  if (linkage === 'ward') {
    const merges = wardChain(features, (merge) => progress.checkpoint(chainProgress(merge, n)));
    const tree = toLinkageMatrix(merges, n);
    progress.finish();
    return tree;
  }
  const precision = options.distancePrecision ?? (n <= FLOAT64_ROWS ? 'float64' : 'float32');
  const distances = precision === 'float64' ? new Float64Array((n * (n - 1)) / 2) : new Float32Array((n * (n - 1)) / 2);
  let index = 0;
  for (let i = 0; i < n; i++) {
    if (i % 64 === 0) progress.checkpoint((0.1 * index) / Math.max(distances.length, 1));
    for (let j = i + 1; j < n; j++) {
      let sum = 0;
      for (let col = 0; col < cols; col++) {
        const diff = (values[i * cols + col] as number) - (values[j * cols + col] as number);
        sum += diff * diff;
      }
      distances[index++] = Math.sqrt(sum);
    }
  }
  const merges = nearestNeighbourChain(distances, n, linkage, (merge) => progress.checkpoint(0.1 + 0.9 * chainProgress(merge, n)));
  const tree = toLinkageMatrix(merges, n);
  progress.finish();
  return tree;
}

/** Labels 0..k-1 from the first n − k merges of the tree (i.e. undoing its top k − 1 merges). */
export function cutTree(tree: Dendrogram, k: number): Int32Array {
  const n = tree.rows;
  if (!Number.isInteger(k) || k < 1 || k > n) throw new RangeError(`k must be an integer in 1..${n}, got ${k}`);
  const parent = Int32Array.from({ length: n }, (_, row) => row);
  const find = (row: number): number => {
    let root = row;
    while (parent[root] !== root) root = parent[root] as number;
    while (parent[row] !== root) [row, parent[row]] = [parent[row] as number, root];
    return root;
  };
  const leafOf = new Int32Array(n);
  const representative = (id: number): number => (id < n ? id : (leafOf[id - n] as number));
  for (let merge = 0; merge < n - k; merge++) {
    const a = find(representative(tree.left[merge] as number));
    const b = find(representative(tree.right[merge] as number));
    parent[b] = a;
    leafOf[merge] = a;
  }
  const labels = new Int32Array(n);
  const numberOfRoot = new Map<number, number>();
  for (let row = 0; row < n; row++) {
    const root = find(row);
    let label = numberOfRoot.get(root);
    if (label === undefined) numberOfRoot.set(root, (label = numberOfRoot.size));
    labels[row] = label;
  }
  return labels;
}

interface ChainMerges {
  readonly x: Int32Array;
  readonly y: Int32Array;
  readonly heights: Float64Array;
}

/**
 * NN-chain for Ward over centroids (slot y takes the merged cluster, as in scipy). Active slots are scanned in
 * index order through a linked list, so ties resolve as in scipy: the previous chain element, else the lowest slot.
 */
function wardChain(features: Matrix, checkpoint: (merge: number) => void): ChainMerges {
  const { rows: n, cols } = features;
  const centroids = features.values.slice();
  const size = new Int32Array(n).fill(1);
  const nextActive = Int32Array.from({ length: n }, (_, slot) => slot + 1); // n ends the list
  const previousActive = Int32Array.from({ length: n }, (_, slot) => slot - 1);
  let firstActive = 0;
  const chain = new Int32Array(n);
  let chainLength = 0;
  const mergedX = new Int32Array(Math.max(n - 1, 0));
  const mergedY = new Int32Array(Math.max(n - 1, 0));
  const heights = new Float64Array(Math.max(n - 1, 0));
  const wardSquared = (a: number, b: number): number => {
    let squared = 0;
    for (let col = 0; col < cols; col++) {
      const diff = (centroids[a * cols + col] as number) - (centroids[b * cols + col] as number);
      squared += diff * diff;
    }
    const sizeA = size[a] as number;
    const sizeB = size[b] as number;
    return ((2 * sizeA * sizeB) / (sizeA + sizeB)) * squared;
  };
  for (let merge = 0; merge < n - 1; merge++) {
    if (merge % 16 === 0) checkpoint(merge);
    if (chainLength === 0) chain[chainLength++] = firstActive;
    let x: number;
    let y: number;
    let nearest: number;
    for (;;) {
      x = chain[chainLength - 1] as number;
      y = chainLength > 1 ? (chain[chainLength - 2] as number) : -1;
      nearest = y >= 0 ? wardSquared(x, y) : Number.POSITIVE_INFINITY;
      const sizeX = size[x] as number;
      const offsetX = x * cols;
      for (let i = firstActive; i < n; i = nextActive[i] as number) {
        if (i === x) continue;
        let squared = 0;
        for (let col = 0; col < cols; col++) {
          const diff = (centroids[offsetX + col] as number) - (centroids[i * cols + col] as number);
          squared += diff * diff;
        }
        const sizeI = size[i] as number;
        const distance = ((2 * sizeX * sizeI) / (sizeX + sizeI)) * squared;
        if (distance < nearest) {
          nearest = distance;
          y = i;
        }
      }
      if (chainLength > 1 && y === chain[chainLength - 2]) break;
      chain[chainLength++] = y;
    }
    chainLength -= 2;
    if (x > y) [x, y] = [y, x];
    const sizeX = size[x] as number;
    const sizeY = size[y] as number;
    mergedX[merge] = x;
    mergedY[merge] = y;
    heights[merge] = Math.sqrt(nearest);
    for (let col = 0; col < cols; col++) {
      centroids[y * cols + col] = (sizeX * (centroids[x * cols + col] as number) + sizeY * (centroids[y * cols + col] as number)) / (sizeX + sizeY);
    }
    size[y] = sizeX + sizeY;
    size[x] = 0;
    const before = previousActive[x] as number;
    const after = nextActive[x] as number;
    if (before >= 0) nextActive[before] = after;
    else firstActive = after;
    if (after < n) previousActive[after] = before;
  }
  return { x: mergedX, y: mergedY, heights };
}

/** scipy's `nn_chain`: merges in discovery order, each named by the two slots (rows) that held the clusters. */
function nearestNeighbourChain(
  distances: Float64Array | Float32Array,
  n: number,
  linkage: 'average' | 'complete',
  checkpoint: (merge: number) => void,
): ChainMerges {
  const size = new Int32Array(n).fill(1); // 0 marks a slot whose cluster was merged away
  const chain = new Int32Array(n);
  let chainLength = 0;
  const mergedX = new Int32Array(Math.max(n - 1, 0));
  const mergedY = new Int32Array(Math.max(n - 1, 0));
  const heights = new Float64Array(Math.max(n - 1, 0));
  /** Position of (i, j), i < j, in the condensed upper triangle. */
  const at = (i: number, j: number): number => (i < j ? n * i - (i * (i + 1)) / 2 + j - i - 1 : n * j - (j * (j + 1)) / 2 + i - j - 1);
  let firstActive = 0;
  for (let merge = 0; merge < n - 1; merge++) {
    if (merge % 16 === 0) checkpoint(merge);
    if (chainLength === 0) {
      while (size[firstActive] === 0) firstActive++;
      chain[chainLength++] = firstActive;
    }
    let x: number;
    let y: number;
    let nearest: number;
    for (;;) {
      x = chain[chainLength - 1] as number;
      // Prefer the previous cluster in the chain on ties, so the chain cannot cycle.
      y = chainLength > 1 ? (chain[chainLength - 2] as number) : -1;
      nearest = y >= 0 ? (distances[at(x, y)] as number) : Number.POSITIVE_INFINITY;
      let position = x - 1; // at(0, x)
      for (let i = 0; i < x; i++) {
        if (size[i] !== 0) {
          const distance = distances[position] as number;
          if (distance < nearest) {
            nearest = distance;
            y = i;
          }
        }
        position += n - i - 2;
      }
      position = at(x, x + 1);
      for (let i = x + 1; i < n; i++, position++) {
        if (size[i] !== 0) {
          const distance = distances[position] as number;
          if (distance < nearest) {
            nearest = distance;
            y = i;
          }
        }
      }
      if (chainLength > 1 && y === chain[chainLength - 2]) break;
      chain[chainLength++] = y;
    }
    chainLength -= 2;
    if (x > y) [x, y] = [y, x];
    const sizeX = size[x] as number;
    const sizeY = size[y] as number;
    mergedX[merge] = x;
    mergedY[merge] = y;
    heights[merge] = nearest;
    size[x] = 0;
    size[y] = sizeX + sizeY;
    for (let i = 0; i < n; i++) {
      const sizeI = size[i] as number;
      if (sizeI === 0 || i === y) continue;
      const toX = distances[at(i, x)] as number;
      const toY = distances[at(i, y)] as number;
      distances[at(i, y)] = lanceWilliams(linkage, toX, toY, nearest, sizeX, sizeY, sizeI);
    }
  }
  return { x: mergedX, y: mergedY, heights };
}

/** Distance from cluster i to the union of x and y, from its distances to each (Lance & Williams 1967). */
function lanceWilliams(linkage: 'average' | 'complete', toX: number, toY: number, xy: number, sizeX: number, sizeY: number, sizeI: number): number {
  switch (linkage) {
    case 'average':
      return (sizeX * toX + sizeY * toY) / (sizeX + sizeY);
    case 'complete':
      return Math.max(toX, toY);
  }
}

/** Sorts merges by height (stable, as scipy) and renames slots to scipy's cluster ids (its `label` step). */
function toLinkageMatrix(merges: ChainMerges, n: number): Dendrogram {
  const count = merges.heights.length;
  const order = Array.from({ length: count }, (_, merge) => merge).sort(
    (a, b) => (merges.heights[a] as number) - (merges.heights[b] as number) || a - b,
  );
  const parent = Int32Array.from({ length: n }, (_, row) => row);
  const clusterId = Int32Array.from({ length: n }, (_, row) => row); // id of the cluster whose root is this row
  const sizeOfRoot = new Int32Array(n).fill(1);
  const find = (row: number): number => {
    let root = row;
    while (parent[root] !== root) root = parent[root] as number;
    while (parent[row] !== root) [row, parent[row]] = [parent[row] as number, root];
    return root;
  };
  const left = new Int32Array(count);
  const right = new Int32Array(count);
  const heights = new Float64Array(count);
  const sizes = new Int32Array(count);
  order.forEach((merge, position) => {
    const rootX = find(merges.x[merge] as number);
    const rootY = find(merges.y[merge] as number);
    const idX = clusterId[rootX] as number;
    const idY = clusterId[rootY] as number;
    left[position] = Math.min(idX, idY);
    right[position] = Math.max(idX, idY);
    heights[position] = merges.heights[merge] as number;
    sizes[position] = (sizeOfRoot[rootX] as number) + (sizeOfRoot[rootY] as number);
    parent[rootY] = rootX;
    sizeOfRoot[rootX] = sizes[position] as number;
    clusterId[rootX] = n + position;
  });
  return { rows: n, left, right, heights, sizes };
}
