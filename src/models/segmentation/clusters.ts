import type { Matrix } from '../kit/matrix.ts';

/** Cluster bookkeeping shared by K-Means and hierarchical clustering: who is where, how many, and their means. */
export interface Clustering {
  /** Cluster of each row, 0..k-1; cluster 0 is the largest. */
  readonly labels: Int32Array;
  /** k × cols means of the rows in each cluster (in the space that was clustered). */
  readonly centroids: Matrix;
  /** Rows per cluster, non-increasing. */
  readonly sizes: Int32Array;
}

/** Means and sizes of `k` clusters given each row's label (an empty cluster keeps a zero centroid). */
export function clusterMeans(features: Matrix, labels: ArrayLike<number>, k: number): { centroids: Matrix; sizes: Int32Array } {
  const { rows, cols, values } = features;
  const sums = new Float64Array(k * cols);
  const sizes = new Int32Array(k);
  for (let row = 0; row < rows; row++) {
    const cluster = labels[row] as number;
    if (!(cluster >= 0 && cluster < k)) throw new RangeError(`label ${cluster} of row ${row} is outside 0..${k - 1}`);
    sizes[cluster] = (sizes[cluster] as number) + 1;
    for (let col = 0; col < cols; col++) sums[cluster * cols + col] = (sums[cluster * cols + col] as number) + (values[row * cols + col] as number);
  }
  for (let cluster = 0; cluster < k; cluster++) {
    const size = sizes[cluster] as number;
    if (size > 0) for (let col = 0; col < cols; col++) sums[cluster * cols + col] = (sums[cluster * cols + col] as number) / size;
  }
  return { centroids: { rows: k, cols, values: sums }, sizes };
}

/**
 * Renumbers clusters so results are stable across runs and libraries: largest first, ties broken by
 * centroid (lexicographically smaller first), then by the old number. Returns new labels, centroids, sizes.
 */
export function orderClusters(labels: Int32Array, centroids: Matrix, sizes: Int32Array): Clustering {
  const k = sizes.length;
  const { cols } = centroids;
  const order = Array.from({ length: k }, (_, cluster) => cluster).sort((a, b) => {
    const bySize = (sizes[b] as number) - (sizes[a] as number);
    if (bySize !== 0) return bySize;
    for (let col = 0; col < cols; col++) {
      const diff = (centroids.values[a * cols + col] as number) - (centroids.values[b * cols + col] as number);
      if (diff !== 0) return diff;
    }
    return a - b;
  });
  const newNumber = new Int32Array(k);
  order.forEach((oldCluster, position) => (newNumber[oldCluster] = position));
  const orderedLabels = new Int32Array(labels.length);
  for (let row = 0; row < labels.length; row++) orderedLabels[row] = newNumber[labels[row] as number] as number;
  const orderedCentroids = new Float64Array(k * cols);
  const orderedSizes = new Int32Array(k);
  order.forEach((oldCluster, position) => {
    orderedCentroids.set(centroids.values.subarray(oldCluster * cols, (oldCluster + 1) * cols), position * cols);
    orderedSizes[position] = sizes[oldCluster] as number;
  });
  return { labels: orderedLabels, centroids: { rows: k, cols, values: orderedCentroids }, sizes: orderedSizes };
}
