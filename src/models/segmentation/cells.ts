/**
 * The worker models a model cell can name, as thin adapters from a spec and input frames to the pure algorithms
 * and back to output frames. Spec fields are snake_case, as written in notebooks.
 */
import type { Column, Frame } from '../kit/frame.ts';
import { numberColumn, textColumn } from '../kit/frame.ts';
import { integer, mappedColumn, number, oneOf, only, text, textList, ParamError, type Params } from '../kit/params.ts';
import type { Field, ModelDefinition, ParamSchema } from '../kit/model.ts';
import { INPUT, SEED, TRANSACTION_COLUMNS, TRANSACTION_FIELDS, columnKeys } from '../kit/fields.ts';
import { RECENCY_CHOICES, rfmOptions, rfmSql } from './rfm.ts';
import { behaviourSql } from './behaviour.ts';
import { abcSql } from './abc.ts';
import { Progress } from '../kit/progress.ts';
import { fromColumns, getColumn, type Matrix } from '../kit/matrix.ts';
import { prepareFeatures, type FeatureTransform } from '../kit/features.ts';
import { clusterMeans } from './clusters.ts';
import { kmeans } from './kmeans.ts';
import { findKnee } from './elbow.ts';
import { silhouette, silhouetteByK } from './silhouette.ts';
import { hierarchical, type Linkage } from './hierarchical.ts';
import { adjustedRandIndex } from './ari.ts';
import { labelSegments, labelSpendTiers, type SegmentLabel } from './labels.ts';
import { pca } from './pca.ts';
import { pareto } from './pareto.ts';
import { predictSegment } from './predictor.ts';

/** The feature columns of a spec, taken from the input and transformed (log1p, scaling). */
interface Features {
  readonly ids: readonly (string | null)[];
  readonly names: string[];
  readonly raw: Matrix;
  readonly matrix: Matrix;
  readonly transform: FeatureTransform;
}

const ID: Field = { key: 'id', label: 'Customer id column', type: 'column', hint: 'default customer_id; copied to the output' };
const FEATURES: Field = { key: 'features', label: 'Features', type: 'columns', hint: 'numeric columns to cluster on' };
const LOG: Field = { key: 'log1p', label: 'log(1 + x) first', type: 'bool', hint: 'tames skewed counts and spend' };
const SCALING: Field = { key: 'scaling', label: 'Scaling', type: 'choice', choices: ['standard', 'minmax', 'none'], hint: 'default standard (mean 0, variance 1)' };
const K: Field = { key: 'k', label: 'Clusters (k)', type: 'number-or-input', hint: 'a number, or $name of an input' };
const LABELS: Field = { key: 'labels', label: 'Segment names', type: 'choice', choices: ['auto', 'rfm', 'spend', 'none'], hint: 'how segments are named; default auto' };

/** Spec keys of every model that reads feature columns (see `features`). */
const FEATURE_PARAMS: ParamSchema = { id: 'string', features: 'string[]', log1p: ['boolean', 'string[]'], scaling: 'string' };
/** Spec keys of K-Means' options (see `kmeansOptions`). */
const KMEANS_PARAMS: ParamSchema = { n_init: 'number', max_iter: 'number', tolerance: 'number', seed: 'number' };
/** Spec keys of segment naming (see `segmentLabels`). */
const LABEL_PARAMS: ParamSchema = { labels: 'string', spend: 'string' };

function features(input: Frame, params: Params): Features {
  const names = textList(params, 'features');
  const log = params.log1p;
  const log1p = log === true ? names : log === false || log === undefined ? [] : textList(params, 'log1p');
  const raw = fromColumns(names.map((name) => numberColumn(input, name)));
  const scaling = oneOf(params, 'scaling', ['standard', 'minmax', 'none'] as const, 'standard');
  const { matrix, transform } = prepareFeatures(raw, { columns: names, log1p, scaling });
  const id = text(params, 'id', 'customer_id');
  return { ids: textColumn(input, id), names, raw, matrix, transform };
}

/** The columns `features` reads (what a feature model's worker is sent): the id and the features. */
const featureReads = (params: Params): string[] => [text(params, 'id', 'customer_id'), ...textList(params, 'features')];

function kmeansOptions(params: Params) {
  return {
    nInit: integer(params, 'n_init', 10, 1, 100),
    maxIter: integer(params, 'max_iter', 300, 1, 10_000),
    tolerance: number(params, 'tolerance', 1e-4),
    seed: integer(params, 'seed', 42, 0, Number.MAX_SAFE_INTEGER),
  };
}

/** Segment names per cluster: RFM rules, spend tiers, or numbered, as the spec's `labels` asks (default auto). */
function segmentLabels(params: Params, centroidsInUnits: Matrix, names: readonly string[]): SegmentLabel[] {
  const mode = oneOf(params, 'labels', ['auto', 'rfm', 'spend', 'none'] as const, 'auto');
  if (mode === 'spend') {
    const spend = text(params, 'spend', names[0]);
    const column = names.indexOf(spend);
    if (column < 0) throw new ParamError(`"spend" must be one of the features (${names.join(', ')}); got "${spend}"`);
    return labelSpendTiers(centroidsInUnits, column);
  }
  if (mode === 'none') {
    return Array.from({ length: centroidsInUnits.rows }, (_, cluster) => ({ cluster, label: `Segment ${cluster + 1}`, rule: 'labels: none → numbered' }));
  }
  return labelSegments(centroidsInUnits, names);
}

/** Cluster summaries in original units: one row per cluster with its label, size, share, rule and means. */
function centroidFrame(labels: SegmentLabel[], sizes: Int32Array, centroids: Matrix, names: readonly string[]): Frame {
  const total = sizes.reduce((sum, size) => sum + size, 0);
  const columns: Record<string, Float64Array | Int32Array | string[]> = {
    cluster: Int32Array.from(labels, (label) => label.cluster),
    segment: labels.map((label) => label.label),
    size: Int32Array.from(sizes),
    share: Float64Array.from(sizes, (size) => size / total),
  };
  names.forEach((name, col) => (columns[name] = getColumn(centroids, col)));
  columns.rule = labels.map((label) => label.rule);
  return { rowCount: labels.length, columns };
}

const kmeansModel: ModelDefinition = {
  kind: 'worker',
  name: 'kmeans',
  title: 'K-Means segments',
  fields: [INPUT, ID, FEATURES, LOG, SCALING, K, LABELS, { key: 'n_init', label: 'Restarts (n_init)', type: 'number', hint: 'fits from different starts, the best kept; default 10' }, SEED],
  params: { ...FEATURE_PARAMS, ...KMEANS_PARAMS, ...LABEL_PARAMS, k: 'number' },
  reads: featureReads,
  carries: (params) => [text(params, 'id', 'customer_id')],
  run(inputs, params, control) {
    const input = only(inputs);
    const { ids, names, raw, matrix, transform } = features(input, params);
    const k = integer(params, 'k', 4, 1, 50);
    const result = kmeans(matrix, k, { ...kmeansOptions(params), ...control });
    // Profiles in original units are the members' means (the log1p/scaling is not linear, so mapping the
    // centre back would not give the average customer of the segment).
    const inUnits = clusterMeans(raw, result.labels, k).centroids;
    const labels = segmentLabels(params, inUnits, names);
    const labelOf = (cluster: number) => labels[cluster]?.label ?? `Segment ${cluster + 1}`;
    // The id first: the engine may carry it (`carries`), keeping the input's own ids in the database.
    const members: Record<string, Column> = { [text(params, 'id', 'customer_id')]: ids, cluster: result.labels, segment: Array.from(result.labels, labelOf) };
    names.forEach((name, col) => (members[name] = getColumn(raw, col)));
    // What the predictor needs to place a new customer: the fitted transform and the centroids it was fitted in.
    const model: Frame = {
      rowCount: k,
      columns: {
        cluster: Int32Array.from({ length: k }, (_, cluster) => cluster),
        segment: Array.from({ length: k }, (_, cluster) => labelOf(cluster)),
        centroid: Array.from({ length: k }, (_, cluster) => JSON.stringify(Array.from(result.centroids.values.subarray(cluster * names.length, (cluster + 1) * names.length)))),
        transform: Array.from({ length: k }, () => JSON.stringify(transform)),
      },
    };
    const summary: Frame = { rowCount: 1, columns: { k: Int32Array.of(k), inertia: Float64Array.of(result.inertia), iterations: Int32Array.of(result.iterations) } };
    return { '': { rowCount: matrix.rows, columns: members }, centroids: centroidFrame(labels, result.sizes, inUnits, names), model, summary };
  },
};

const chooseKModel: ModelDefinition = {
  kind: 'worker',
  name: 'choose_k',
  title: 'Choosing k (elbow, silhouette)',
  fields: [
    INPUT,
    FEATURES,
    LOG,
    SCALING,
    { key: 'k_min', label: 'Smallest k', type: 'number', hint: 'default 2' },
    { key: 'k_max', label: 'Largest k', type: 'number', hint: 'default 10' },
    SEED,
  ],
  params: { ...FEATURE_PARAMS, ...KMEANS_PARAMS, k_min: 'number', k_max: 'number', sample_size: 'number', exact_limit: 'number' },
  reads: featureReads,
  run(inputs, params, control) {
    const { matrix } = features(only(inputs), params);
    const kMin = integer(params, 'k_min', 2, 2, 50);
    const kMax = integer(params, 'k_max', 10, kMin, 50);
    const sampleSize = integer(params, 'sample_size', 2000, 100, 100_000);
    // One K-Means fit per k serves both the elbow (its inertia) and the silhouette.
    const scored = silhouetteByK(matrix, {
      kMin,
      kMax,
      kmeans: kmeansOptions(params),
      silhouette: { exactLimit: integer(params, 'exact_limit', 5000, 100, 20_000), sampleSize, seed: kmeansOptions(params).seed },
      ...control,
    });
    const curve = { ks: scored.ks, inertias: scored.inertias, knee: findKnee(scored.ks, scored.inertias) };
    return {
      '': {
        rowCount: curve.ks.length,
        columns: {
          k: Int32Array.from(curve.ks),
          inertia: Float64Array.from(curve.inertias),
          silhouette: Float64Array.from(scored.silhouettes),
          elbow_knee: curve.ks.map((k) => (k === curve.knee ? 'knee' : '')),
          best_silhouette: curve.ks.map((k) => (k === scored.suggestedK ? 'best' : '')),
        },
      },
      suggestion: {
        rowCount: 1,
        columns: {
          knee: Float64Array.of(curve.knee ?? Number.NaN),
          best_silhouette_k: Int32Array.of(scored.suggestedK),
          suggested_k: Int32Array.of(curve.knee ?? scored.suggestedK),
        },
      },
    };
  },
};

const hierarchicalModel: ModelDefinition = {
  kind: 'worker',
  name: 'hierarchical',
  title: 'Hierarchical segments',
  fields: [INPUT, ID, FEATURES, LOG, SCALING, K, { key: 'linkage', label: 'Linkage', type: 'choice', choices: ['ward', 'average', 'complete'], hint: 'how the distance between two groups is measured; default ward' }, SEED],
  params: { ...FEATURE_PARAMS, ...KMEANS_PARAMS, ...LABEL_PARAMS, k: 'number', linkage: 'string' },
  run(inputs, params, control) {
    const { ids, names, raw, matrix } = features(only(inputs), params);
    const k = integer(params, 'k', 4, 1, 50);
    const linkage = oneOf<Linkage>(params, 'linkage', ['ward', 'average', 'complete'], 'ward');
    const progress = new Progress(control, 'Hierarchical clustering');
    const tree = hierarchical(matrix, k, { linkage, ...progress.slice(0, 0.8) });
    const flat = kmeans(matrix, k, { ...kmeansOptions(params), ...progress.slice(0.8, 1) });
    const labels = segmentLabels(params, clusterMeans(raw, tree.labels, k).centroids, names);
    const ari = adjustedRandIndex(tree.labels, flat.labels);
    const methods = [`hierarchical (${linkage})`, 'k-means'];
    const sizes = [tree.sizes, flat.sizes];
    const rows = sizes.reduce((sum, s) => sum + s.length, 0);
    return {
      '': {
        rowCount: matrix.rows,
        columns: {
          [text(params, 'id', 'customer_id')]: ids,
          cluster: tree.labels,
          segment: Array.from(tree.labels, (cluster) => labels[cluster]?.label ?? `Segment ${cluster + 1}`),
          kmeans_cluster: flat.labels,
        },
      },
      comparison: {
        rowCount: rows,
        columns: {
          method: sizes.flatMap((s, m) => Array.from(s, () => methods[m]!)),
          cluster: Int32Array.from(sizes.flatMap((s) => Array.from(s, (_, cluster) => cluster))),
          size: Int32Array.from(sizes.flatMap((s) => Array.from(s))),
          adjusted_rand_index: Float64Array.from({ length: rows }, () => ari),
        },
      },
    };
  },
};

const silhouetteModel: ModelDefinition = {
  kind: 'worker',
  name: 'silhouette',
  title: 'Silhouette',
  fields: [INPUT, ID, FEATURES, LOG, SCALING, { key: 'cluster', label: 'Cluster column', type: 'column', hint: 'the segment of each row; default cluster' }],
  params: { ...FEATURE_PARAMS, cluster: 'string', exact_limit: 'number', sample_size: 'number', seed: 'number' },
  run(inputs, params, control) {
    const input = only(inputs);
    const { ids, matrix } = features(input, params);
    const clusters = numberColumn(input, text(params, 'cluster', 'cluster'));
    const scored = silhouette(matrix, Int32Array.from(clusters), {
      exactLimit: integer(params, 'exact_limit', 5000, 100, 20_000),
      sampleSize: integer(params, 'sample_size', 2000, 100, 100_000),
      seed: integer(params, 'seed', 42, 0, Number.MAX_SAFE_INTEGER),
      ...control,
    });
    const rows = scored.sampledRows ?? Int32Array.from({ length: matrix.rows }, (_, row) => row);
    return {
      '': {
        rowCount: rows.length,
        columns: {
          [text(params, 'id', 'customer_id')]: Array.from(rows, (row) => ids[row] ?? null),
          cluster: Int32Array.from(rows, (row) => clusters[row] ?? -1),
          silhouette: Float64Array.from(rows, (_, i) => scored.values[i] ?? Number.NaN),
        },
      },
      summary: { rowCount: 1, columns: { mean_silhouette: Float64Array.of(scored.mean), points: Int32Array.of(rows.length), sampled: [scored.sampledRows ? 'yes' : 'no'] } },
    };
  },
};

const pcaModel: ModelDefinition = {
  kind: 'worker',
  name: 'pca',
  title: 'Projection (PCA)',
  fields: [INPUT, ID, FEATURES, LOG, SCALING, { key: 'components', label: 'Components', type: 'number', hint: 'how many projected columns; default 3' }],
  params: { ...FEATURE_PARAMS, components: 'number', keep: 'string[]' },
  run(inputs, params, control) {
    const input = only(inputs);
    const { ids, matrix } = features(input, params);
    const components = integer(params, 'components', 3, 1, Math.min(10, matrix.cols));
    const projected = pca(matrix, components, control);
    const columns: Record<string, Column> = { [text(params, 'id', 'customer_id')]: ids };
    for (const keep of params.keep === undefined ? [] : textList(params, 'keep')) {
      const column = input.columns[keep];
      if (column === undefined) throw new ParamError(`"keep" names "${keep}", which the input does not have`);
      columns[keep] = Array.isArray(column) ? [...column] : (column as Float64Array);
    }
    for (let c = 0; c < components; c += 1) columns[`pc${c + 1}`] = getColumn(projected.scores, c);
    return {
      '': { rowCount: matrix.rows, columns },
      variance: {
        rowCount: components,
        columns: {
          component: Array.from({ length: components }, (_, c) => `pc${c + 1}`),
          explained_variance: projected.explainedVariance,
          explained_variance_ratio: projected.explainedVarianceRatio,
          cumulative_ratio: Float64Array.from(projected.explainedVarianceRatio, (_, c) =>
            projected.explainedVarianceRatio.subarray(0, c + 1).reduce((sum, value) => sum + value, 0),
          ),
        },
      },
    };
  },
};

const paretoModel: ModelDefinition = {
  kind: 'worker',
  name: 'pareto',
  title: 'Revenue concentration',
  fields: [INPUT, { key: 'spend', label: 'Spend column', type: 'column', hint: 'spend per customer; default monetary' }],
  params: { spend: 'string', top_share: 'number' },
  run(inputs, params) {
    const input = only(inputs);
    const spend = numberColumn(input, text(params, 'spend', 'monetary'));
    const curve = pareto(spend, number(params, 'top_share', 0.2));
    return {
      '': { rowCount: curve.ranks.length, columns: { rank: curve.ranks, customer_share: curve.customerShare, cumulative_revenue_share: curve.cumulativeRevenueShare } },
      summary: { rowCount: 1, columns: { top_share: Float64Array.of(curve.topShare), revenue_share: Float64Array.of(curve.topRevenueShare), headline: [curve.headline] } },
    };
  },
};

const predictModel: ModelDefinition = {
  kind: 'worker',
  name: 'predict',
  title: 'Segment of a new customer',
  fields: [
    { ...INPUT, hint: 'the __model table of a kmeans cell' },
    { key: 'values', label: 'Values', type: 'text', hint: 'JSON list, e.g. ["$recency", "$frequency", "$monetary"]' },
  ],
  params: { values: 'list' },
  run(inputs, params) {
    const model = only(inputs);
    const values = params.values;
    if (!Array.isArray(values) || !values.every((value) => typeof value === 'number' && Number.isFinite(value))) {
      throw new ParamError(`"values" must be the customer's numbers in feature order, e.g. [30, 4, 820] or ["$recency", "$frequency", "$monetary"]; got ${JSON.stringify(values)}`);
    }
    const transforms = textColumn(model, 'transform');
    const centroidRows = textColumn(model, 'centroid').map((json) => JSON.parse(json ?? '[]') as number[]);
    const transform = JSON.parse(transforms[0] ?? 'null') as FeatureTransform | null;
    if (!transform) throw new ParamError('the input is not a K-Means model table (use the "__model" table of a kmeans cell)');
    if (values.length !== transform.columns.length) {
      throw new ParamError(`"values" has ${values.length} numbers; the model needs ${transform.columns.length} (${transform.columns.join(', ')})`);
    }
    const prediction = predictSegment(
      { transform, centroids: { rows: centroidRows.length, cols: transform.columns.length, values: Float64Array.from(centroidRows.flat()) }, labels: textColumn(model, 'segment').map(String) },
      values as number[],
    );
    const columns: Record<string, Float64Array | Int32Array | string[]> = {};
    transform.columns.forEach((name, col) => (columns[name] = Float64Array.of(values[col] as number)));
    columns.cluster = Int32Array.of(prediction.cluster);
    columns.segment = [prediction.label];
    columns.distance = Float64Array.of(prediction.distances[prediction.cluster] ?? Number.NaN);
    return { '': { rowCount: 1, columns } };
  },
};

const rfmModel: ModelDefinition = {
  kind: 'sql',
  name: 'rfm',
  title: 'RFM scores and segments',
  fields: [
    INPUT,
    ...TRANSACTION_FIELDS,
    { key: 'recency', label: 'Recency', type: 'choice', choices: RECENCY_CHOICES, hint: 'calendar_days (default): days between dates; elapsed_days: whole 24 hours to a snapshot time, as pandas' },
    { key: 'reference_date', label: 'Reference date or time', type: 'text', hint: 'e.g. 2011-12-10 or 2011-12-10 12:00; default: the day after the last sale (its time + 24 h for elapsed_days)' },
  ],
  params: { ...columnKeys('customer', 'invoice', 'date', 'amount'), reference_date: 'string', recency: 'string', weights: 'number[]' },
  sql: (input, params, dialect) => rfmSql(input, rfmOptions(params), dialect),
};

const customerFeaturesModel: ModelDefinition = {
  kind: 'sql',
  name: 'customer_features',
  title: 'Customer features (behaviour)',
  fields: [INPUT, ...TRANSACTION_FIELDS, TRANSACTION_COLUMNS.product],
  params: { ...columnKeys('customer', 'invoice', 'date', 'amount', 'product'), reference_date: 'string', weights: 'number[]' },
  sql: (input, params, dialect) => {
    const { columns, referenceDate } = rfmOptions(params);
    return behaviourSql(input, { columns: { ...columns, product: mappedColumn(params, 'product', 'product_id') }, referenceDate }, dialect);
  },
};

const abcModel: ModelDefinition = {
  kind: 'sql',
  name: 'abc_analysis',
  title: 'ABC classes of products (by revenue share)',
  fields: [
    INPUT,
    { key: 'a_share', label: 'A: share of revenue', type: 'number', hint: 'the top products making up this share are A; default 0.8' },
    { key: 'b_share', label: 'B: next share', type: 'number', hint: 'the next products making up this share are B, the rest C; default 0.15' },
    TRANSACTION_COLUMNS.product,
    TRANSACTION_COLUMNS.description,
    TRANSACTION_COLUMNS.amount,
  ],
  params: { ...columnKeys('product', 'description', 'amount'), a_share: 'number', b_share: 'number' },
  sql: (input, params) =>
    abcSql(input, {
      columns: { product: mappedColumn(params, 'product', 'product_id'), description: mappedColumn(params, 'description', 'description'), amount: mappedColumn(params, 'amount', 'amount') },
      aShare: number(params, 'a_share', 0.8),
      bShare: number(params, 'b_share', 0.15),
    }),
};

/** The segmentation models, in the order the form lists them. */
export const SEGMENTATION_MODELS: readonly ModelDefinition[] = [rfmModel, customerFeaturesModel, kmeansModel, chooseKModel, hierarchicalModel, silhouetteModel, pcaModel, paretoModel, abcModel, predictModel];
