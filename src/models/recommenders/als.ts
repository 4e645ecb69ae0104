/**
 * Implicit-feedback matrix factorisation by alternating least squares (Hu, Koren & Volinsky 2008, "Collaborative
 * Filtering for Implicit Feedback Datasets"): a purchase is a preference p_ui = 1 held with confidence c_ui, every
 * other pair a preference 0 with confidence 1. Each half-step solves x_u = (YᵀY + Yᵀ(C_u − I)Y + λI)⁻¹ YᵀC_u p(u) by
 * a few conjugate-gradient steps warm-started from the previous factors (Takács, Pilászy & Tikk 2011, "Applications
 * of the conjugate gradient method for implicit feedback collaborative filtering"), as `implicit` does
 * (implicit/cpu/_als.pyx `_least_squares_cg`, cg_steps = 3); Cholesky (`_least_squares`) is the exact alternative.
 */
import { Rng } from '../kit/random.ts';
import { type Interactions, type Recommender, type SparseMatrix, rowOf } from '../baskets/interactions.ts';
import { Progress, type RunControl } from '../kit/progress.ts';
import { axpy, choleskyFactor, choleskySubstitute, dotAt } from '../kit/vector.ts';
import { type AlsKernelName, type AlsRun, type AlsInput, gramian, jsAlsRun, longestRow } from './als-kernels.ts';
import { alsKernelLoaded, wasmAlsRun } from './als-wasm.ts';
import { factorScorer, transposeFactors } from './factor-scores.ts';
import { wasmNormalEquations } from './dense-wasm.ts';

/** r → c: Hu et al. eq. (1) `1 + α·r`, or their log variant `1 + α·log(1 + r/ε)` for values (amounts) with a long tail. */
export type ConfidenceScaling = 'linear' | { readonly logEpsilon: number };

export interface AlsOptions extends RunControl {
  /** Latent factors. Default 64. */
  readonly factors?: number;
  /** ALS iterations, each solving all customers then all products. Default 15 (as implicit). */
  readonly iterations?: number;
  /** λ. Default 0.01, implicit's default. */
  readonly regularization?: number;
  /**
   * α. Default 1, as implicit 0.5+. Hu et al. report α = 40 worked well on their TV data, but with λ = 0.01 it
   * overfits small data: on the planted groups of als.test.ts (5 factors) the held-out hit rate at 10 is 0.95 with
   * α = 1, 0.83 with α = 40 and 0.89 with α = 40, λ = 50; tune α and λ together. implicit's c is α·r, without the
   * `1 +`; here c ≥ 1 always.
   */
  readonly alpha?: number;
  /** Default 'linear'. */
  readonly scaling?: ConfidenceScaling;
  /** 'cg' (default, fast) or 'cholesky' (exact least squares, O(nnz·f²); for small problems and checks). */
  readonly solver?: 'cg' | 'cholesky';
  /** Conjugate-gradient steps per solve. Default 3, as implicit. */
  readonly cgSteps?: number;
  /** Seeds the starting factors, uniform in [0, 0.01) as implicit's. Default 0. */
  readonly seed?: number;
  /**
   * Where the CG solver's loops run: 'wasm' (SIMD, once `loadAlsKernel` has loaded it) or 'js'; both give the same
   * bits. Default: 'wasm' when loaded, else 'js'.
   */
  readonly kernel?: AlsKernelName;
}

/** A fitted model; factor matrices are row-major (customer u's factors are `userFactors[u·factors .. (u+1)·factors)`). */
export interface AlsModel {
  readonly factors: number;
  readonly userCount: number;
  readonly itemCount: number;
  readonly userFactors: Float64Array;
  readonly itemFactors: Float64Array;
  readonly regularization: number;
  readonly alpha: number;
  readonly scaling: ConfidenceScaling;
  /**
   * After each iteration, Hu et al. eq. (3): Σ_all u,i c_ui (p_ui − x_uᵀy_i)² + λ(Σ‖x_u‖² + Σ‖y_i‖²). Not divided by
   * Σc_ui + (pairs − nnz) as implicit's `calculate_loss` is, so it is the objective each half-step minimises.
   */
  readonly loss: readonly number[];
}

/** The confidence of one interaction value r > 0: `confidence(3, 40)` → 121. */
export function confidence(value: number, alpha: number, scaling: ConfidenceScaling = 'linear'): number {
  return 1 + alpha * (scaling === 'linear' ? value : Math.log1p(value / scaling.logEpsilon));
}

/** Fits implicit ALS on a customer × product matrix: `trainAls(interactions, { factors: 32, seed: 1 })`. */
export function trainAls(interactions: Pick<Interactions, 'byUser' | 'byItem'>, options: AlsOptions = {}): AlsModel {
  const { factors: f = 64, iterations = 15, regularization = 0.01, alpha = 1, scaling = 'linear', solver = 'cg', cgSteps = 3, seed = 0 } = options;
  const { byUser, byItem } = interactions;
  if (!Number.isInteger(f) || f < 1) throw new RangeError(`factors must be a positive integer, got ${f}`);
  if (!Number.isInteger(iterations) || iterations < 0) throw new RangeError(`iterations must be a non-negative integer, got ${iterations}`);
  if (!(regularization >= 0 && Number.isFinite(regularization))) throw new RangeError(`regularization must be ≥ 0, got ${regularization}`);
  if (!(alpha >= 0 && Number.isFinite(alpha))) throw new RangeError(`alpha must be ≥ 0, got ${alpha}`);
  if (scaling !== 'linear' && !(scaling.logEpsilon > 0)) throw new RangeError(`logEpsilon must be > 0, got ${scaling.logEpsilon}`);
  if (solver !== 'cg' && solver !== 'cholesky') throw new RangeError(`solver must be 'cg' or 'cholesky', got ${String(solver)}`);
  if (!Number.isInteger(cgSteps) || cgSteps < 1) throw new RangeError(`cgSteps must be a positive integer, got ${cgSteps}`);
  if (byItem.rows !== byUser.cols || byItem.cols !== byUser.rows || byItem.data.length !== byUser.data.length) {
    throw new RangeError(`byItem (${byItem.rows} × ${byItem.cols}) must be the transpose of byUser (${byUser.rows} × ${byUser.cols})`);
  }
  const progress = new Progress(options, 'ALS');
  const init = new Rng(seed, 'als factors');
  const input: AlsInput = {
    f,
    byUser,
    byItem,
    userConfidence: confidences(byUser, alpha, scaling),
    itemConfidence: confidences(byItem, alpha, scaling),
    userFactors: Float64Array.from({ length: byUser.rows * f }, () => 0.01 * init.float()),
    itemFactors: Float64Array.from({ length: byItem.rows * f }, () => 0.01 * init.float()),
  };
  const run = alsRun(input, solver === 'cg' ? options.kernel : 'js');
  const { userFactors: x, itemFactors: y, userGram, itemGram } = run;
  // XᵀX + λI and YᵀY + λI: each is computed once per iteration and serves both a half-step and the loss.
  run.gramian('products', regularization);
  const scratch = { a: new Float64Array(f * f), r: new Float64Array(f) };
  const loss: number[] = [];
  for (let iteration = 0; iteration < iterations; iteration++) {
    progress.checkpoint(iteration / iterations);
    if (solver === 'cg') run.conjugateGradientHalfStep('customers', cgSteps);
    else choleskyStep(byUser, input.userConfidence, x, y, itemGram, f, scratch, 'customer');
    run.gramian('customers', regularization);
    progress.checkpoint((iteration + 0.5) / iterations);
    if (solver === 'cg') run.conjugateGradientHalfStep('products', cgSteps);
    else choleskyStep(byItem, input.itemConfidence, y, x, userGram, f, scratch, 'product');
    run.gramian('products', regularization);
    loss.push(implicitLoss(run, f, regularization));
  }
  progress.finish();
  // Copied out: the kernel's memory holds the next training's arrays.
  const userFactors = x.slice();
  const itemFactors = y.slice();
  return { factors: f, userCount: byUser.rows, itemCount: byUser.cols, userFactors, itemFactors, regularization, alpha, scaling, loss };
}

/** The kernel asked for, or the WebAssembly one when it is loaded (falling back to JavaScript if its memory cannot grow). */
function alsRun(input: AlsInput, kernel: AlsKernelName | undefined): AlsRun {
  if (kernel === 'wasm') return wasmAlsRun(input);
  if (kernel === undefined && alsKernelLoaded()) {
    try {
      return wasmAlsRun(input);
    } catch {
      return jsAlsRun(input);
    }
  }
  return jsAlsRun(input);
}

function confidences(m: SparseMatrix, alpha: number, scaling: ConfidenceScaling): Float64Array {
  const c = new Float64Array(m.data.length);
  for (let row = 0; row < m.rows; row++) {
    for (let k = m.indptr[row] as number; k < (m.indptr[row + 1] as number); k++) {
      const value = m.data[k] as number;
      if (!(value > 0 && Number.isFinite(value))) throw new RangeError(`interaction (${row}, ${m.indices[k]}) is ${value}; ALS needs positive finite values`);
      c[k] = confidence(value, alpha, scaling);
    }
  }
  return c;
}

/** x_u ← the exact solution of the normal equations, by Cholesky (implicit/cpu/_als.pyx `_least_squares`). */
function choleskyStep(m: SparseMatrix, c: Float64Array, x: Float64Array, y: Float64Array, g: Float64Array, f: number, s: { a: Float64Array; r: Float64Array }, kind: string): void {
  for (let row = 0; row < m.rows; row++) {
    const start = m.indptr[row] as number;
    const end = m.indptr[row + 1] as number;
    normalEquations(g, y, f, m.indices, c, start, end, s.a, s.r);
    factorOrThrow(s.a, f, `${kind} ${row}`);
    choleskySubstitute(s.a, s.r, f);
    x.set(s.r, row * f);
  }
}

/** a = G + Σ_k (c_k − 1) y_k y_kᵀ (lower triangle only) and b = Σ_k c_k y_k over entries k of [start, end). */
function normalEquations(g: Float64Array, y: Float64Array, f: number, items: Int32Array, c: Float64Array, start: number, end: number, a: Float64Array, b: Float64Array): void {
  a.set(g);
  b.fill(0);
  for (let k = start; k < end; k++) {
    const yo = (items[k] as number) * f;
    const ck = c[k] as number;
    axpy(ck, y, yo, b, f);
    for (let i = 0; i < f; i++) {
      const w = (ck - 1) * (y[yo + i] as number);
      for (let j = 0; j <= i; j++) a[i * f + j] = (a[i * f + j] as number) + w * (y[yo + j] as number);
    }
  }
}

/**
 * Hu et al. eq. (3) without visiting the zeros: Σ_u,i s_ui² + Σ_(u,i) bought (c_ui(1 − s_ui)² − s_ui²) + λ(‖X‖² + ‖Y‖²)
 * with s_ui = x_uᵀy_i (implicit/cpu/_als.pyx `_calculate_loss`). Σ_u,i s_ui² = Σ_u x_uᵀ(YᵀY)x_u = ⟨XᵀX, YᵀY⟩ and
 * ‖X‖² = tr XᵀX, so the grams of the half-steps (each + λI) give all but the bought pairs in O(f²).
 */
function implicitLoss(run: AlsRun, f: number, lambda: number): number {
  const { userGram, itemGram } = run;
  let loss = 0;
  for (let a = 0; a < f; a++) {
    for (let b = 0; b < f; b++) loss += ((userGram[a * f + b] as number) - (a === b ? lambda : 0)) * ((itemGram[a * f + b] as number) - (a === b ? lambda : 0));
    loss += lambda * ((userGram[a * f + a] as number) - lambda + (itemGram[a * f + a] as number) - lambda);
  }
  return loss + run.boughtLoss();
}

/**
 * The exact factors of a customer who bought `items` (with interaction `values`) against the model's products, as
 * implicit's `recalculate_user`: scores a new customer without retraining. `foldInUser(model, [3, 7], [1, 1])`.
 */
export function foldInUser(model: AlsModel, items: ArrayLike<number>, values: ArrayLike<number>): Float64Array {
  const { factors: f, itemFactors: y } = model;
  if (items.length !== values.length) throw new RangeError(`items and values must have the same length, got ${items.length} and ${values.length}`);
  const indices = Int32Array.from(items);
  const c = Float64Array.from(values, (value, k) => {
    if (!(indices[k]! >= 0 && indices[k]! < model.itemCount)) throw new RangeError(`item ${indices[k]} is outside 0..${model.itemCount - 1}`);
    if (!(value > 0 && Number.isFinite(value))) throw new RangeError(`value ${value} of item ${indices[k]} must be positive and finite`);
    return confidence(value, model.alpha, model.scaling);
  });
  const g = new Float64Array(f * f);
  gramian(y, model.itemCount, f, model.regularization, g);
  const a = new Float64Array(f * f);
  const b = new Float64Array(f);
  if (indices.length === 0) return b;
  normalEquations(g, y, f, indices, c, 0, indices.length, a, b);
  factorOrThrow(a, f, 'the folded-in customer');
  choleskySubstitute(a, b, f);
  return b;
}

/**
 * How much each product customer `user` bought contributes to their score for `item`, in the order of
 * `rowOf(byUser, user).indices` (Hu et al. §5): c_uj · y_itemᵀ W_u y_j with W_u = (YᵀC_uY + λI)⁻¹. They sum to
 * y_itemᵀ·foldInUser(...), the score the customer's exact factors give.
 */
export function alsContributions(model: AlsModel, byUser: SparseMatrix, user: number, item: number): Float64Array {
  return new Explainer(model, byUser).contributions(user, item);
}

/** Caches YᵀY + λI and the Cholesky factor of the last customer asked about (`recommend` explains n items of one). */
class Explainer {
  private gram: Float64Array | null = null;
  private kernel: ReturnType<typeof wasmNormalEquations> = null;
  private factorUser = -1;
  private readonly factor: Float64Array;
  private readonly rowConfidence: Float64Array;

  constructor(
    private readonly model: AlsModel,
    private readonly byUser: SparseMatrix,
  ) {
    this.factor = new Float64Array(model.factors * model.factors);
    this.rowConfidence = new Float64Array(byUser.cols);
  }

  contributions(user: number, item: number): Float64Array {
    const { factors: f, itemFactors: y } = this.model;
    const start = this.byUser.indptr[user] as number;
    const end = this.byUser.indptr[user + 1] as number;
    const { indices, data } = this.byUser;
    const result = new Float64Array(end - start);
    if (end === start) return result;
    if (this.factorUser !== user) {
      if (this.gram === null) {
        gramian(y, this.model.itemCount, f, this.model.regularization, (this.gram = new Float64Array(f * f)));
        // The same bits as the loop below, two columns per instruction; every customer explained pays this step.
        this.kernel = alsKernelLoaded() ? wasmNormalEquations(this.gram, y, f, longestRow(this.byUser)) : null;
      }
      for (let k = start; k < end; k++) this.rowConfidence[k - start] = confidence(data[k] as number, this.model.alpha, this.model.scaling);
      if (this.kernel !== null) this.kernel(indices, start, end, this.rowConfidence, this.factor);
      else normalEquations(this.gram, y, f, indices.subarray(start, end), this.rowConfidence, 0, end - start, this.factor, new Float64Array(f));
      factorOrThrow(this.factor, f, `customer ${user}`);
      this.factorUser = user;
    }
    const weighted = y.slice(item * f, (item + 1) * f);
    choleskySubstitute(this.factor, weighted, f);
    for (let k = start; k < end; k++) {
      result[k - start] = (this.rowConfidence[k - start] as number) * dotAt(weighted, 0, y, (indices[k] as number) * f, f);
    }
    return result;
  }
}

/**
 * Scores every product by x_uᵀy_i. The explanation names the bought product that contributes most to the score
 * (Hu et al. §5): `like WHITE HANGING HEART T-LIGHT HOLDER, which you bought`. `labels[item]` describes a product;
 * the product id stands in when it is missing.
 */
export function alsRecommender(model: AlsModel, interactions: Interactions, labels: readonly string[]): Recommender {
  if (model.userCount !== interactions.users.length || model.itemCount !== interactions.items.length) {
    throw new RangeError(`the model is ${model.userCount} × ${model.itemCount} but the interactions are ${interactions.users.length} × ${interactions.items.length}`);
  }
  const { factors: f, userFactors: x } = model;
  const explainer = new Explainer(model, interactions.byUser);
  const scoreFactors = factorScorer(transposeFactors(model.itemFactors, model.itemCount, f), model.itemCount, f);
  return {
    name: 'ALS (implicit matrix factorisation)',
    score(user, out) {
      scoreFactors(x, user * f, out);
    },
    explain(user, item) {
      const contributions = explainer.contributions(user, item);
      if (contributions.length === 0) return 'no purchases of yours to compare with yet';
      let best = 0;
      for (let k = 1; k < contributions.length; k++) if ((contributions[k] as number) > (contributions[best] as number)) best = k;
      const bought = rowOf(interactions.byUser, user).indices[best] as number;
      return `like ${labels[bought] ?? interactions.items[bought]}, which you bought`;
    },
  };
}

/** a ← its Cholesky factor, or an error naming whose least-squares system is not positive definite. */
function factorOrThrow(a: Float64Array, f: number, what: string): void {
  if (choleskyFactor(a, f) >= 0) throw new RangeError(`the least-squares system of ${what} is not positive definite; raise regularization`);
}
