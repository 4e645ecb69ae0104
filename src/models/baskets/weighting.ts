/** TF-IDF and BM25 re-weighting of a sparse interaction matrix, so heavy buyers and everyday products count for less. */
import type { SparseMatrix } from './interactions.ts';

/** How `weightMatrix` re-weights the entries: not at all, TF-IDF or BM25. */
export type WeightingScheme = 'none' | 'tfidf' | 'bm25';

/** BM25's saturation `k1` (≥ 0) and length normalisation `b` (in [0, 1]). */
export interface Bm25Options {
  readonly k1?: number;
  readonly b?: number;
}

/**
 * Re-weights `m` treating its rows as documents and its columns as terms, with the formulas of the `implicit`
 * library's `tfidf_weight` and `bm25_weight` (github.com/benfred/implicit, implicit/nearest_neighbours.py):
 *
 * - idf(c) = log(N) − log1p(df(c)), N = `m.rows`, df(c) = stored entries in column c. It is 0 when df = N − 1 and
 *   negative when df = N, as in `implicit`.
 * - `tfidf`: x' = √x · idf(c).
 * - `bm25`: length(r) = Σ row r, avgLength = mean over all N rows (empty ones included),
 *   norm(r) = (1 − b) + b · length(r) / avgLength, x' = x · (k1 + 1) / (k1 · norm(r) + x) · idf(c);
 *   defaults k1 = 100, b = 0.8 (`bm25_weight`'s defaults; its `BM25Recommender` passes 1.2 and 0.75).
 *
 * Which way round matters: for item-kNN pass `byItem` (products are documents, customers terms, as `implicit`'s
 * `BM25Recommender` does with `bm25_weight(user_items.T).T`); for user-kNN pass `byUser`. A per-row factor would
 * cancel out of the rows' cosine similarities, so the idf must be per column.
 * `none` returns `m` itself; otherwise the result shares `indptr` and `indices` with `m`: `weightMatrix(interactions.byItem, 'bm25', { k1: 1.2, b: 0.75 })`.
 */
export function weightMatrix(m: SparseMatrix, scheme: WeightingScheme, options: Bm25Options = {}): SparseMatrix {
  if (scheme === 'none') return m;
  const { k1 = 100, b = 0.8 } = options;
  if (!(k1 >= 0 && Number.isFinite(k1))) throw new RangeError(`BM25 k1 must be a finite number ≥ 0, got ${k1}`);
  if (!(b >= 0 && b <= 1)) throw new RangeError(`BM25 b must be in [0, 1], got ${b}`);
  const df = new Int32Array(m.cols);
  for (const col of m.indices) df[col] = (df[col] as number) + 1;
  const logN = Math.log(m.rows);
  const idf = Float64Array.from(df, (count) => logN - Math.log1p(count));
  const data = new Float64Array(m.data.length);
  switch (scheme) {
    case 'tfidf':
      for (let k = 0; k < data.length; k++) data[k] = Math.sqrt(m.data[k] as number) * (idf[m.indices[k] as number] as number);
      break;
    case 'bm25': {
      const lengths = new Float64Array(m.rows);
      for (let r = 0; r < m.rows; r++) {
        for (let k = m.indptr[r] as number; k < (m.indptr[r + 1] as number); k++) lengths[r] = (lengths[r] as number) + (m.data[k] as number);
      }
      const averageLength = lengths.reduce((sum, length) => sum + length, 0) / m.rows;
      for (let r = 0; r < m.rows; r++) {
        const norm = 1 - b + (b * (lengths[r] as number)) / averageLength;
        for (let k = m.indptr[r] as number; k < (m.indptr[r + 1] as number); k++) {
          const x = m.data[k] as number;
          data[k] = ((x * (k1 + 1)) / (k1 * norm + x)) * (idf[m.indices[k] as number] as number);
        }
      }
      break;
    }
    default: {
      const unknown: never = scheme;
      throw new RangeError(`unknown weighting "${String(unknown)}" (expected none, tfidf or bm25)`);
    }
  }
  return { rows: m.rows, cols: m.cols, indptr: m.indptr, indices: m.indices, data };
}
