import type { Matrix } from './matrix.ts';

/** How columns are put on one scale before clustering. */
export type ScalingKind = 'standard' | 'minmax' | 'none';

/** Fitted scaling parameters, one number per column. */
export type Scaling =
  | { readonly kind: 'standard'; readonly means: readonly number[]; readonly sds: readonly number[] }
  | { readonly kind: 'minmax'; readonly mins: readonly number[]; readonly maxs: readonly number[] }
  | { readonly kind: 'none' };

/**
 * A fitted, JSON-serialisable feature transform: optional log1p per column, then scaling. Saved with a
 * segmentation so `applyTransform` maps a new customer's raw values into the clustered space.
 */
export interface FeatureTransform {
  readonly columns: readonly string[];
  readonly log1p: readonly boolean[];
  readonly scaling: Scaling;
}

export interface FeatureOptions {
  /** Column names, in matrix column order: `['recency_days', 'frequency', 'monetary']`. */
  readonly columns: readonly string[];
  /** Columns to take log(1 + x) of before scaling (skewed counts and money). */
  readonly log1p?: readonly string[];
  /** `standard`: z-score with population sd (sd 0 → 0); `minmax`: to [0, 1] (range 0 → 0); default `standard`. */
  readonly scaling?: ScalingKind;
}

/**
 * Fits and applies the transform: `prepareFeatures(rfm, { columns: ['recency', 'frequency', 'monetary'],
 * log1p: ['frequency', 'monetary'] })` → `{ matrix, transform }`.
 */
export function prepareFeatures(features: Matrix, options: FeatureOptions): { matrix: Matrix; transform: FeatureTransform } {
  const { rows, cols } = features;
  const { columns, scaling = 'standard' } = options;
  if (columns.length !== cols) throw new RangeError(`expected ${cols} column names, got ${columns.length} (${columns.join(', ')})`);
  for (const name of options.log1p ?? []) {
    if (!columns.includes(name)) throw new RangeError(`log1p column "${name}" is not one of ${columns.join(', ')}`);
  }
  const log1p = columns.map((name) => options.log1p?.includes(name) ?? false);
  const logged = new Float64Array(features.values.length);
  for (let row = 0; row < rows; row++) {
    for (let col = 0; col < cols; col++) {
      const value = features.values[row * cols + col] as number;
      if (!Number.isFinite(value)) throw new RangeError(`column "${columns[col]}" has a non-finite value ${value} at row ${row}`);
      logged[row * cols + col] = log1p[col] === true ? safeLog1p(value, columns[col] ?? '', row) : value;
    }
  }
  const fitted = fitScaling(logged, rows, cols, scaling);
  const transform: FeatureTransform = { columns: [...columns], log1p, scaling: fitted };
  const values = new Float64Array(logged.length);
  for (let row = 0; row < rows; row++) {
    for (let col = 0; col < cols; col++) values[row * cols + col] = scale(fitted, col, logged[row * cols + col] as number);
  }
  return { matrix: { rows, cols, values }, transform };
}

/** One customer's raw values into the transformed space: `applyTransform(transform, [12, 5, 430])`. */
export function applyTransform(transform: FeatureTransform, row: readonly number[]): Float64Array {
  const { columns } = transform;
  if (row.length !== columns.length) throw new RangeError(`expected ${columns.length} values (${columns.join(', ')}), got ${row.length}`);
  return Float64Array.from(row, (value, col) => {
    if (!Number.isFinite(value)) throw new RangeError(`value of "${columns[col]}" must be a finite number, got ${value}`);
    return scale(transform.scaling, col, transform.log1p[col] === true ? safeLog1p(value, columns[col] ?? '', 0) : value);
  });
}

/** Rows of the transformed space (e.g. centroids) back into original units: days, orders, pounds. */
export function invertTransform(transform: FeatureTransform, transformed: Matrix): Matrix {
  const { rows, cols } = transformed;
  if (cols !== transform.columns.length) throw new RangeError(`expected ${transform.columns.length} columns, got ${cols}`);
  const values = new Float64Array(transformed.values.length);
  for (let row = 0; row < rows; row++) {
    for (let col = 0; col < cols; col++) {
      const unscaled = unscale(transform.scaling, col, transformed.values[row * cols + col] as number);
      values[row * cols + col] = transform.log1p[col] === true ? Math.expm1(unscaled) : unscaled;
    }
  }
  return { rows, cols, values };
}

function safeLog1p(value: number, column: string, row: number): number {
  if (value <= -1) throw new RangeError(`log1p needs values > -1, but column "${column}" has ${value} at row ${row} (net returns?)`);
  return Math.log1p(value);
}

function fitScaling(values: Float64Array, rows: number, cols: number, kind: ScalingKind): Scaling {
  switch (kind) {
    case 'none':
      return { kind };
    case 'standard': {
      const means: number[] = [];
      const sds: number[] = [];
      for (let col = 0; col < cols; col++) {
        let sum = 0;
        for (let row = 0; row < rows; row++) sum += values[row * cols + col] as number;
        const mean = rows > 0 ? sum / rows : 0;
        let squares = 0;
        for (let row = 0; row < rows; row++) squares += ((values[row * cols + col] as number) - mean) ** 2;
        means.push(mean);
        sds.push(rows > 0 ? Math.sqrt(squares / rows) : 0); // population sd, as scikit-learn's StandardScaler
      }
      return { kind, means, sds };
    }
    case 'minmax': {
      const mins: number[] = [];
      const maxs: number[] = [];
      for (let col = 0; col < cols; col++) {
        let min = Number.POSITIVE_INFINITY;
        let max = Number.NEGATIVE_INFINITY;
        for (let row = 0; row < rows; row++) {
          const value = values[row * cols + col] as number;
          if (value < min) min = value;
          if (value > max) max = value;
        }
        mins.push(rows > 0 ? min : 0);
        maxs.push(rows > 0 ? max : 0);
      }
      return { kind, mins, maxs };
    }
    default:
      throw new RangeError(`unknown scaling "${String(kind satisfies never)}" (expected standard, minmax or none)`);
  }
}

function scale(scaling: Scaling, col: number, value: number): number {
  switch (scaling.kind) {
    case 'none':
      return value;
    case 'standard': {
      const sd = scaling.sds[col] ?? 0;
      return sd > 0 ? (value - (scaling.means[col] ?? 0)) / sd : 0;
    }
    case 'minmax': {
      const min = scaling.mins[col] ?? 0;
      const range = (scaling.maxs[col] ?? 0) - min;
      return range > 0 ? (value - min) / range : 0;
    }
  }
}

function unscale(scaling: Scaling, col: number, value: number): number {
  switch (scaling.kind) {
    case 'none':
      return value;
    case 'standard':
      return (scaling.means[col] ?? 0) + value * (scaling.sds[col] ?? 0);
    case 'minmax':
      return (scaling.mins[col] ?? 0) + value * ((scaling.maxs[col] ?? 0) - (scaling.mins[col] ?? 0));
  }
}
