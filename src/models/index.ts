// Customer-segmentation models: pure functions over typed arrays, run in a worker with progress and cancel.
export { type Matrix, matrix, fromRows, fromColumns, toRows, getRow, getColumn, selectRows } from './matrix.ts';
export { type RunControl, throwIfCancelled } from './progress.ts';
export { type Clustering } from './clusters.ts';
export { type FeatureTransform, type FeatureOptions, type Scaling, type ScalingKind, prepareFeatures, applyTransform, invertTransform } from './features.ts';
export { type KMeansOptions, type KMeansResult, kmeans } from './kmeans.ts';
export { type Elbow, type ElbowOptions, elbow, findKnee } from './elbow.ts';
export { type SilhouetteOptions, type SilhouetteResult, type SilhouetteByK, type SilhouetteByKOptions, silhouette, silhouetteByK, suggestK } from './silhouette.ts';
export { type Dendrogram, type HierarchicalOptions, type HierarchicalResult, type Linkage, hierarchical, linkageTree, cutTree } from './hierarchical.ts';
export { type Contingency, adjustedRandIndex, contingencyTable } from './ari.ts';
export { type PcaResult, pca } from './pca.ts';
export { type LabelFormat, type RfmColumns, type SegmentLabel, labelRfmSegments, labelSpendTiers, labelSegments } from './labels.ts';
export { type SegmentModel, type SegmentPrediction, predictSegment } from './predictor.ts';
export { type ParetoCurve, pareto } from './pareto.ts';
