import { type FeatureTransform, applyTransform } from '../kit/features.ts';
import type { Matrix } from '../kit/matrix.ts';

/** What a saved segmentation needs to place a new customer: its transform, centroids and segment names. */
export interface SegmentModel {
  readonly transform: FeatureTransform;
  /** k × cols centroids in the transformed space (as returned by `kmeans` on the prepared features). */
  readonly centroids: Matrix;
  /** Segment name of each cluster, e.g. from `labelRfmSegments(...).map((s) => s.label)`. */
  readonly labels: readonly string[];
}

export interface SegmentPrediction {
  readonly cluster: number;
  readonly label: string;
  /** Euclidean distance from the customer to each centroid, in the transformed space. */
  readonly distances: Float64Array;
}

/** The segment of one customer from raw values: `predictSegment(model, [12, 5, 430])` → `{ label: 'High-Value', … }`. */
export function predictSegment(model: SegmentModel, values: readonly number[]): SegmentPrediction {
  const { centroids, labels, transform } = model;
  if (centroids.cols !== transform.columns.length) {
    throw new RangeError(`centroids have ${centroids.cols} columns but the transform has ${transform.columns.length}`);
  }
  if (labels.length !== centroids.rows) throw new RangeError(`${centroids.rows} centroids but ${labels.length} labels`);
  if (centroids.rows === 0) throw new RangeError('the model has no centroids');
  const point = applyTransform(transform, values);
  const distances = new Float64Array(centroids.rows);
  let cluster = 0;
  for (let centroid = 0; centroid < centroids.rows; centroid++) {
    let squared = 0;
    for (let col = 0; col < centroids.cols; col++) {
      const diff = (point[col] as number) - (centroids.values[centroid * centroids.cols + col] as number);
      squared += diff * diff;
    }
    distances[centroid] = Math.sqrt(squared);
    if ((distances[centroid] as number) < (distances[cluster] as number)) cluster = centroid;
  }
  return { cluster, label: labels[cluster] as string, distances };
}
