/**
 * PureSVD (Cremonesi, Koren & Turrin 2010, "Performance of recommender algorithms on top-N recommendation tasks"):
 * the customer × product matrix R, missing entries as zeros, is factored by a truncated SVD R ≈ UΣQᵀ, and customer u's
 * scores are r̂_u = r_u Q Qᵀ: their own row projected on the f leading right singular vectors. Built to rank, not to
 * predict a value. The singular vectors come from randomised subspace iteration (Halko, Martinsson & Tropp 2011,
 * algorithm 4.4) with a Rayleigh–Ritz step, so RᵀR is never formed.
 */
import { Rng } from '../kit/random.ts';
import { type Interactions, type Recommender, type SparseMatrix, rowOf } from '../baskets/interactions.ts';
import { Progress, type RunControl } from '../kit/progress.ts';
import { axpy, dotAt } from '../kit/vector.ts';
import { symmetricEigen } from '../kit/eigen.ts';
import { factorScorer, transposeFactors } from './factor-scores.ts';
import type { AlsKernelName } from './als-kernels.ts';
import { type SvdBlocks, wasmSvdBlocks } from './dense-wasm.ts';

export interface PureSvdOptions extends RunControl {
  /** Singular vectors kept (f). Default 50, as Cremonesi et al. on MovieLens. */
  readonly factors?: number;
  /** Extra vectors carried through the iteration and then dropped (Halko et al.'s p). Default 10. */
  readonly oversampling?: number;
  /** Subspace (power) iterations. Default 8. */
  readonly iterations?: number;
  /** Seeds the random starting block. Default 0. */
  readonly seed?: number;
  /** Where the products and Gram–Schmidt run: 'wasm' (SIMD, once `loadAlsKernel` has loaded it) or 'js'; the same bits. Default: 'wasm' when loaded. */
  readonly kernel?: AlsKernelName;
}

export interface PureSvdModel {
  readonly factors: number;
  readonly itemCount: number;
  /** Q, items × factors row-major: item i's coordinates are `itemFactors[i·f .. (i+1)·f)`. Columns orthonormal. */
  readonly itemFactors: Float64Array;
  /** σ_1 ≥ … ≥ σ_f, the singular values belonging to Q's columns. */
  readonly singularValues: Float64Array;
}

/** The f leading right singular vectors of `interactions.byUser`: `trainPureSvd(binary(amounts), { factors: 50 })`. */
export function trainPureSvd(interactions: Pick<Interactions, 'byUser' | 'byItem'>, options: PureSvdOptions = {}): PureSvdModel {
  const { factors = 50, oversampling = 10, iterations = 8, seed = 0 } = options;
  const { byUser, byItem } = interactions;
  if (!Number.isInteger(factors) || factors < 1) throw new RangeError(`factors must be a positive integer, got ${factors}`);
  if (!Number.isInteger(oversampling) || oversampling < 0) throw new RangeError(`oversampling must be a non-negative integer, got ${oversampling}`);
  if (!Number.isInteger(iterations) || iterations < 0) throw new RangeError(`iterations must be a non-negative integer, got ${iterations}`);
  const items = byUser.cols;
  const f = Math.min(factors, items, byUser.rows);
  if (f < 1) throw new RangeError('PureSVD needs at least one customer and one product');
  const l = Math.min(items, byUser.rows, f + oversampling);
  const progress = new Progress(options, 'PureSVD');
  const rng = new Rng(seed, 'pure svd');
  // Blocks are row-major (a row of l per product or customer) for the sparse products, and transposed for Gram–Schmidt.
  const blocks = svdBlocks(byUser, byItem, l, options.kernel);
  const { q, z } = blocks;
  for (let x = 0; x < q.length; x++) q[x] = rng.normal();
  blocks.orthonormalise();
  for (let iteration = 0; iteration < iterations; iteration++) {
    progress.checkpoint(iteration / (iterations + 1));
    blocks.customerStep(); // Z = R Q
    blocks.productStep(); // Q = Rᵀ Z
    blocks.orthonormalise();
  }
  // Rayleigh–Ritz: the eigenvectors of (RQ)ᵀ(RQ) rotate Q onto the singular vectors, largest first.
  blocks.customerStep();
  const gram = new Float64Array(l * l);
  for (let u = 0; u < byUser.rows; u++) {
    for (let a = 0; a < l; a++) axpy(z[u * l + a] as number, z, u * l, gram.subarray(a * l), l);
  }
  const { values, vectors } = symmetricEigen(gram, l);
  const order = Array.from({ length: l }, (_, k) => k).sort((a, b) => (values[b] as number) - (values[a] as number)).slice(0, f);
  const itemFactors = new Float64Array(items * f);
  // Product by product, so Q's row and the factors' row are read and written in order; each sum still runs over a ascending.
  for (let i = 0; i < items; i++) {
    for (let column = 0; column < f; column++) {
      const k = order[column] as number;
      let sum = 0;
      for (let a = 0; a < l; a++) sum += (vectors[a * l + k] as number) * (q[i * l + a] as number);
      itemFactors[i * f + column] = sum;
    }
  }
  progress.finish();
  return { factors: f, itemCount: items, itemFactors, singularValues: Float64Array.from(order, (k) => Math.sqrt(Math.max(0, values[k] as number))) };
}

/** The WebAssembly loops when asked for or loaded (`kernel` as for ALS), else the JavaScript ones; the same bits either way. */
function svdBlocks(byUser: SparseMatrix, byItem: SparseMatrix, l: number, kernel: AlsKernelName | undefined): SvdBlocks {
  if (kernel !== 'js') {
    const blocks = wasmSvdBlocks(byUser, byItem, l);
    if (blocks !== null) return blocks;
    if (kernel === 'wasm') throw new RangeError('the WebAssembly kernel is not loaded');
  }
  const q = new Float64Array(byUser.cols * l);
  const z = new Float64Array(byUser.rows * l);
  const columns = new Float64Array(q.length);
  return {
    q,
    z,
    customerStep: () => multiply(byUser, q, z, l),
    productStep: () => multiply(byItem, z, q, l),
    orthonormalise: () => orthonormalise(q, byUser.cols, l, columns),
  };
}

/** out (m.rows × l, row-major) = m · block (m.cols × l, row-major). `axpy`'s arithmetic, inlined (no view per row). */
function multiply(m: SparseMatrix, block: Float64Array, out: Float64Array, l: number): void {
  const { rows, indptr, indices, data } = m;
  out.fill(0);
  for (let row = 0; row < rows; row++) {
    const base = row * l;
    for (let k = indptr[row] as number; k < (indptr[row + 1] as number); k++) {
      const w = data[k] as number;
      const from = (indices[k] as number) * l;
      for (let a = 0; a < l; a++) out[base + a] = (out[base + a] as number) + w * (block[from + a] as number);
    }
  }
}

/**
 * Orthonormalises the l columns of the n × l row-major block by modified Gram–Schmidt, twice ("twice is enough"), on
 * its transpose in `t`; a dependent column becomes 0.
 */
function orthonormalise(block: Float64Array, n: number, l: number, t: Float64Array): void {
  for (let i = 0; i < n; i++) for (let c = 0; c < l; c++) t[c * n + i] = block[i * l + c] as number;
  for (let pass = 0; pass < 2; pass++) {
    for (let c = 0; c < l; c++) {
      const co = c * n;
      for (let prior = 0; prior < c; prior++) {
        const po = prior * n;
        const w = -dotAt(t, po, t, co, n);
        for (let i = 0; i < n; i++) t[co + i] = (t[co + i] as number) + w * (t[po + i] as number);
      }
      const norm = Math.sqrt(dotAt(t, co, t, co, n));
      for (let i = 0; i < n; i++) t[co + i] = norm > 1e-12 ? (t[co + i] as number) / norm : 0;
    }
  }
  for (let i = 0; i < n; i++) for (let c = 0; c < l; c++) block[i * l + c] = t[c * n + i] as number;
}


/**
 * Scores r_u Q Qᵀ. A bought product j adds r_uj · q_iᵀq_j to product i's score, so the explanation names the bought
 * product adding the most: `bought by customers who bought what you bought; most of all like <label>, which you bought`.
 */
export function pureSvdRecommender(model: PureSvdModel, interactions: Interactions, labels: readonly string[]): Recommender {
  const f = model.factors;
  const q = model.itemFactors;
  if (model.itemCount !== interactions.items.length) throw new RangeError(`the model has ${model.itemCount} products but the interactions ${interactions.items.length}`);
  const projected = new Float64Array(f);
  const scoreFactors = factorScorer(transposeFactors(q, model.itemCount, f), model.itemCount, f);
  return {
    name: 'PureSVD',
    score(user, out) {
      if (out.length !== model.itemCount) throw new RangeError(`scores array must have ${model.itemCount} entries, got ${out.length}`);
      projected.fill(0);
      const row = rowOf(interactions.byUser, user);
      row.indices.forEach((item, k) => axpy(row.data[k] as number, q, item * f, projected, f));
      scoreFactors(projected, 0, out);
    },
    explain(user, item) {
      const row = rowOf(interactions.byUser, user);
      let best = -1;
      let bestShare = 0;
      row.indices.forEach((bought, k) => {
        const share = (row.data[k] as number) * dotAt(q, item * f, q, bought * f, f);
        if (bought !== item && share > bestShare) [best, bestShare] = [bought, share];
      });
      if (best < 0) return 'among the products that shape what customers buy together (no purchase of yours points to it)';
      return `bought by customers who bought what you bought; most of all like ${labels[best] ?? interactions.items[best]}, which you bought`;
    },
  };
}
