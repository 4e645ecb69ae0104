/**
 * Implicit-feedback matrix factorisation by alternating least squares (Hu, Koren & Volinsky 2008, "Collaborative
 * Filtering for Implicit Feedback Datasets"): a purchase is a preference p_ui = 1 held with confidence c_ui, every
 * other pair a preference 0 with confidence 1. Each half-step solves x_u = (YᵀY + Yᵀ(C_u − I)Y + λI)⁻¹ YᵀC_u p(u) by
 * a few conjugate-gradient steps warm-started from the previous factors (Takács, Pilászy & Tikk 2011, "Applications
 * of the conjugate gradient method for implicit feedback collaborative filtering"), as `implicit` does
 * (implicit/cpu/_als.pyx `_least_squares_cg`, cg_steps = 3); Cholesky (`_least_squares`) is the exact alternative.
 */
import { Rng } from '../../data/random.ts';
import { type Interactions, type Recommender, type SparseMatrix, rowOf } from '../baskets/interactions.ts';
import { Progress, type RunControl } from '../kit/progress.ts';
import { axpy, choleskyFactor, choleskySubstitute, dotAt } from '../kit/vector.ts';
import { accumulateRows, rowProducts, scoreAll, symmetricProduct, transposeFactors } from './factor-scores.ts';

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
  const userConfidence = confidences(byUser, alpha, scaling);
  const itemConfidence = confidences(byItem, alpha, scaling);
  const init = new Rng(seed, 'als factors');
  const userFactors = new Float64Array(byUser.rows * f);
  const itemFactors = new Float64Array(byItem.rows * f);
  for (let x = 0; x < userFactors.length; x++) userFactors[x] = 0.01 * init.float();
  for (let x = 0; x < itemFactors.length; x++) itemFactors[x] = 0.01 * init.float();

  // XᵀX + λI and YᵀY + λI: each is computed once per iteration and serves both a half-step and the loss.
  const userGram = new Float64Array(f * f);
  const itemGram = new Float64Array(f * f);
  const scratch = new Scratch(f, Math.max(byUser.rows, byItem.rows));
  gramian(itemFactors, byItem.rows, f, regularization, itemGram, scratch.t);
  const halfStep = (m: SparseMatrix, c: Float64Array, x: Float64Array, y: Float64Array, g: Float64Array, kind: string): void => {
    if (solver === 'cg') conjugateGradientStep(m, c, x, y, g, f, cgSteps, scratch);
    else choleskyStep(m, c, x, y, g, f, scratch, kind);
  };
  const loss: number[] = [];
  for (let iteration = 0; iteration < iterations; iteration++) {
    progress.checkpoint(iteration / iterations);
    halfStep(byUser, userConfidence, userFactors, itemFactors, itemGram, 'customer');
    gramian(userFactors, byUser.rows, f, regularization, userGram, scratch.t);
    progress.checkpoint((iteration + 0.5) / iterations);
    halfStep(byItem, itemConfidence, itemFactors, userFactors, userGram, 'product');
    gramian(itemFactors, byItem.rows, f, regularization, itemGram, scratch.t);
    loss.push(implicitLoss(byUser, userConfidence, userFactors, itemFactors, f, regularization, userGram, itemGram));
  }
  progress.finish();
  return { factors: f, userCount: byUser.rows, itemCount: byUser.cols, userFactors, itemFactors, regularization, alpha, scaling, loss };
}

/** Scratch vectors, an f × f matrix and room for a transposed factor matrix, allocated once per run. */
class Scratch {
  readonly r: Float64Array;
  readonly p: Float64Array;
  readonly ap: Float64Array;
  readonly a: Float64Array;
  readonly t: Float64Array;
  /** The factor rows of one customer's (or product's) interactions side by side, and a weight per row. */
  private gathered: Float64Array;
  weights: Float64Array;

  constructor(
    private readonly f: number,
    rows: number,
  ) {
    this.r = new Float64Array(f);
    this.p = new Float64Array(f);
    this.ap = new Float64Array(f);
    this.a = new Float64Array(f * f);
    this.t = new Float64Array(f * rows);
    this.gathered = new Float64Array(64 * f);
    this.weights = new Float64Array(64);
  }

  rowsFor(n: number): Float64Array {
    if (this.weights.length < n) {
      const size = Math.max(n, 2 * this.weights.length);
      this.gathered = new Float64Array(size * this.f);
      this.weights = new Float64Array(size);
    }
    return this.gathered;
  }
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

/** out = MᵀM + λI for the rows × f matrix M (row-major); `t` (≥ rows·f) holds Mᵀ so each entry is one dot product. */
function gramian(m: Float64Array, rows: number, f: number, lambda: number, out: Float64Array, t: Float64Array = new Float64Array(rows * f)): void {
  for (let row = 0; row < rows; row++) for (let a = 0; a < f; a++) t[a * rows + row] = m[row * f + a] as number;
  for (let a = 0; a < f; a++) {
    for (let b = a; b < f; b++) out[a * f + b] = out[b * f + a] = dotAt(t, a * rows, t, b * rows, rows);
    out[a * f + a] = (out[a * f + a] as number) + lambda;
  }
}

/**
 * x_u ← a few CG steps on (G + Σ_i (c_ui − 1) y_i y_iᵀ) x = Σ_i c_ui y_i from the current x_u, never forming the
 * matrix: a product costs f² + 2·n_u·f (implicit/cpu/_als.pyx `_least_squares_cg`, step for step). The row's y_i are
 * first copied side by side into `s.rows`, so the four passes over them read memory in order.
 */
function conjugateGradientStep(m: SparseMatrix, c: Float64Array, x: Float64Array, y: Float64Array, g: Float64Array, f: number, steps: number, s: Scratch): void {
  const { r, p, ap } = s;
  const { indptr, indices } = m;
  for (let row = 0; row < m.rows; row++) {
    const start = indptr[row] as number;
    const end = indptr[row + 1] as number;
    const xo = row * f;
    if (start === end) {
      x.fill(0, xo, xo + f); // the exact minimiser for a row with no interactions
      continue;
    }
    const n = end - start;
    const rows = s.rowsFor(n);
    const w = s.weights;
    for (let k = 0; k < n; k++) {
      const yo = (indices[start + k] as number) * f;
      const ro = k * f;
      for (let a = 0; a < f; a++) rows[ro + a] = y[yo + a] as number;
    }
    // r = b − A·x = Σ_k (c_k − (c_k − 1)·y_kᵀx) y_k − G x
    for (let a = 0; a < f; a++) p[a] = x[xo + a] as number;
    symmetricProduct(g, p, r, f, -1);
    rowProducts(rows, p, n, f, w);
    for (let k = 0; k < n; k++) {
      const ck = c[start + k] as number;
      w[k] = ck - (ck - 1) * (w[k] as number);
    }
    accumulateRows(rows, w, n, f, r);
    p.set(r);
    let rsOld = dotAt(r, 0, r, 0, f);
    if (rsOld < 1e-20) continue;
    for (let step = 0; step < steps; step++) {
      symmetricProduct(g, p, ap, f, 1);
      rowProducts(rows, p, n, f, w);
      for (let k = 0; k < n; k++) w[k] = ((c[start + k] as number) - 1) * (w[k] as number);
      accumulateRows(rows, w, n, f, ap);
      const curvature = dotAt(p, 0, ap, 0, f);
      if (!(curvature > 0)) break; // only with λ = 0 and a singular system: keep the last iterate
      const stepSize = rsOld / curvature;
      let rsNew = 0;
      for (let a = 0; a < f; a++) {
        x[xo + a] = (x[xo + a] as number) + stepSize * (p[a] as number);
        const ra = (r[a] as number) - stepSize * (ap[a] as number);
        r[a] = ra;
        rsNew += ra * ra;
      }
      if (rsNew < 1e-20) break;
      const beta = rsNew / rsOld;
      for (let a = 0; a < f; a++) p[a] = (r[a] as number) + beta * (p[a] as number);
      rsOld = rsNew;
    }
  }
}

/** x_u ← the exact solution of the normal equations, by Cholesky (implicit/cpu/_als.pyx `_least_squares`). */
function choleskyStep(m: SparseMatrix, c: Float64Array, x: Float64Array, y: Float64Array, g: Float64Array, f: number, s: Scratch, kind: string): void {
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
function implicitLoss(byUser: SparseMatrix, c: Float64Array, x: Float64Array, y: Float64Array, f: number, lambda: number, userGram: Float64Array, itemGram: Float64Array): number {
  let loss = 0;
  for (let a = 0; a < f; a++) {
    for (let b = 0; b < f; b++) loss += ((userGram[a * f + b] as number) - (a === b ? lambda : 0)) * ((itemGram[a * f + b] as number) - (a === b ? lambda : 0));
    loss += lambda * ((userGram[a * f + a] as number) - lambda + (itemGram[a * f + a] as number) - lambda);
  }
  for (let u = 0; u < byUser.rows; u++) {
    for (let k = byUser.indptr[u] as number; k < (byUser.indptr[u + 1] as number); k++) {
      const score = dotAt(y, (byUser.indices[k] as number) * f, x, u * f, f);
      loss += (c[k] as number) * (1 - score) ** 2 - score * score;
    }
  }
  return loss;
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
    const { indices, data } = rowOf(this.byUser, user);
    const result = new Float64Array(indices.length);
    if (indices.length === 0) return result;
    if (this.factorUser !== user) {
      if (this.gram === null) gramian(y, this.model.itemCount, f, this.model.regularization, (this.gram = new Float64Array(f * f)));
      for (let k = 0; k < indices.length; k++) this.rowConfidence[k] = confidence(data[k] as number, this.model.alpha, this.model.scaling);
      normalEquations(this.gram, y, f, indices, this.rowConfidence, 0, indices.length, this.factor, new Float64Array(f));
      factorOrThrow(this.factor, f, `customer ${user}`);
      this.factorUser = user;
    }
    const weighted = y.slice(item * f, (item + 1) * f);
    choleskySubstitute(this.factor, weighted, f);
    for (let k = 0; k < indices.length; k++) {
      result[k] = (this.rowConfidence[k] as number) * dotAt(weighted, 0, y, (indices[k] as number) * f, f);
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
  const byFactor = transposeFactors(model.itemFactors, model.itemCount, f);
  return {
    name: 'ALS (implicit matrix factorisation)',
    score(user, out) {
      scoreAll(byFactor, model.itemCount, f, x, user * f, out);
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
