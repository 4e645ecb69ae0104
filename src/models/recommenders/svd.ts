/**
 * Explicit matrix factorisation, "SVD" as popularised by Simon Funk and implemented by Surprise's `SVD`
 * (surprise/prediction_algorithms/matrix_factorization.pyx): r̂_ui = μ + b_u + b_i + q_iᵀp_u, fitted by SGD on
 * Σ_(u,i)∈R [(r_ui − r̂_ui)² + λ(b_u² + b_i² + ‖q_i‖² + ‖p_u‖²)] (Koren, Bell & Volinsky 2009, eq. 5).
 */
import { Rng } from '../kit/random.ts';
import { type Interactions, type Recommender, rowOf } from '../baskets/interactions.ts';
import { Progress, type RunControl } from '../kit/progress.ts';
import { dotAt } from '../kit/vector.ts';
import type { AlsKernelName } from './als-kernels.ts';
import { type SgdRun, wasmSgd } from './dense-wasm.ts';

/** Explicit ratings as parallel columns: customer `users[k]` gave product `items[k]` the value `values[k]`. */
export interface Ratings {
  readonly users: Int32Array;
  readonly items: Int32Array;
  readonly values: Float64Array;
  readonly userCount: number;
  readonly itemCount: number;
}

export interface SvdOptions extends RunControl {
  /** Latent factors (Surprise `n_factors`). Default 100. */
  readonly factors?: number;
  /** SGD passes over the ratings (`n_epochs`). Default 20. */
  readonly epochs?: number;
  /** Learning rate γ for biases and factors alike (`lr_all`). Default 0.005. */
  readonly learningRate?: number;
  /** Regularisation λ for biases and factors alike (`reg_all`). Default 0.02. */
  readonly regularization?: number;
  /** Factors start as Normal(initMean, initStdDev) draws (`init_mean`, `init_std_dev`). Defaults 0 and 0.1. */
  readonly initMean?: number;
  readonly initStdDev?: number;
  /** Use μ, b_u and b_i (`biased`); false gives r̂ = q_iᵀp_u (probabilistic matrix factorisation). Default true. */
  readonly biased?: boolean;
  /**
   * Predictions are clipped to [min, max]. Surprise clips to the rating scale (e.g. [1, 5]); for purchase amounts
   * pass `[0, Infinity]` so no product is predicted a negative spend. Default: no clipping. Training never clips.
   */
  readonly clip?: readonly [number, number];
  /**
   * Visit the ratings in a fresh seeded shuffle each epoch (default true, plain SGD, so sorted input does not bias the
   * fit); false visits them in the given order every epoch, as Surprise visits its trainset (grouped by user).
   */
  readonly shuffle?: boolean;
  /** Seeds the factor draws and the rating order of every epoch. Default 0. */
  readonly seed?: number;
  /** The epochs' loops: the WebAssembly kernel when it is loaded (default), or JavaScript; the same bits either way. */
  readonly kernel?: AlsKernelName;
}

/** A fitted model. Factor matrices are row-major: user u's factors are `userFactors[u·factors .. (u+1)·factors)`. */
export interface SvdModel {
  readonly factors: number;
  readonly userCount: number;
  readonly itemCount: number;
  readonly biased: boolean;
  readonly clip: readonly [number, number] | null;
  /** Mean of the training ratings (used as μ when biased, and as the fallback prediction either way). */
  readonly globalMean: number;
  readonly userBias: Float64Array;
  readonly itemBias: Float64Array;
  readonly userFactors: Float64Array;
  readonly itemFactors: Float64Array;
  /** Training ratings per user and item; 0 means unknown, so predictions fall back as in Surprise's `estimate`. */
  readonly userRatings: Int32Array;
  readonly itemRatings: Int32Array;
  /** After each epoch: the regularised objective above, which SGD minimises. */
  readonly objective: readonly number[];
  /** After each epoch: the root mean squared training error (unclipped). */
  readonly trainingRmse: readonly number[];
}

/** Fits SVD by SGD: `trainSvd(ratingsFromInteractions(amounts), { factors: 50, clip: [0, Infinity], seed: 1 })`. */
export function trainSvd(ratings: Ratings, options: SvdOptions = {}): SvdModel {
  return fitSvd(ratings, options, true);
}

/**
 * `trainSvd`; without `everyEpoch` the training error is computed after the last epoch only (cross-validation reads
 * the held-out error, and the per-epoch pass over every rating costs a fifth of the fit), so `objective` and
 * `trainingRmse` hold one entry.
 */
function fitSvd(ratings: Ratings, options: SvdOptions, everyEpoch: boolean): SvdModel {
  const { factors = 100, epochs = 20, learningRate: lr = 0.005, regularization: reg = 0.02, initMean = 0, initStdDev = 0.1 } = options;
  const { biased = true, clip, shuffle = true, seed = 0 } = options;
  checkRatings(ratings);
  if (!Number.isInteger(factors) || factors < 0) throw new RangeError(`factors must be a non-negative integer, got ${factors}`);
  if (!Number.isInteger(epochs) || epochs < 0) throw new RangeError(`epochs must be a non-negative integer, got ${epochs}`);
  if (!(lr > 0 && Number.isFinite(lr))) throw new RangeError(`learningRate must be a positive number, got ${lr}`);
  if (!(reg >= 0 && Number.isFinite(reg))) throw new RangeError(`regularization must be ≥ 0, got ${reg}`);
  if (!Number.isFinite(initMean) || !(initStdDev >= 0 && Number.isFinite(initStdDev))) throw new RangeError(`initMean and initStdDev must be finite (initStdDev ≥ 0), got ${initMean} and ${initStdDev}`);
  if (clip !== undefined && !(clip[0] <= clip[1])) throw new RangeError(`clip must be [min, max] with min ≤ max, got [${clip[0]}, ${clip[1]}]`);
  const progress = new Progress(options, 'SVD');
  const { users, items, values, userCount, itemCount } = ratings;
  const n = values.length;
  const f = factors;

  let sum = 0;
  for (let k = 0; k < n; k++) sum += values[k] as number;
  const globalMean = sum / n;
  const mu = biased ? globalMean : 0;
  const userRatings = new Int32Array(userCount);
  const itemRatings = new Int32Array(itemCount);
  for (let k = 0; k < n; k++) {
    userRatings[users[k] as number]! += 1;
    itemRatings[items[k] as number]! += 1;
  }
  const bu = new Float64Array(userCount);
  const bi = new Float64Array(itemCount);
  const init = new Rng(seed, 'svd factors');
  const pu = new Float64Array(userCount * f);
  const qi = new Float64Array(itemCount * f);
  for (let x = 0; x < pu.length; x++) pu[x] = init.normal(initMean, initStdDev);
  for (let x = 0; x < qi.length; x++) qi[x] = init.normal(initMean, initStdDev);

  const order = Int32Array.from({ length: n }, (_, k) => k);
  const shuffler = new Rng(seed, 'svd order');
  const objective: number[] = [];
  const trainingRmse: number[] = [];
  const kernel = sgdKernel(ratings, f, { bu, bi, pu, qi }, options.kernel);
  for (let epoch = 0; epoch < epochs; epoch++) {
    progress.checkpoint(epoch / epochs);
    if (shuffle) shuffler.shuffle(order);
    if (kernel === null) sgdEpoch(ratings, order, f, mu, lr, reg, biased, bu, bi, pu, qi);
    else kernel.epoch(order, mu, lr, reg, biased);
    if (!everyEpoch && epoch < epochs - 1) continue;
    kernel?.copyOut();
    const { sse, penalty } = trainingError(ratings, mu, bu, bi, pu, qi, f, userRatings, itemRatings);
    const when = everyEpoch ? `in epoch ${epoch + 1}` : `within ${epochs} epochs`;
    if (!Number.isFinite(sse)) throw new RangeError(`SGD diverged ${when} (training error ${sse}): lower learningRate (${lr}) or rescale the values`);
    objective.push(sse + reg * penalty);
    trainingRmse.push(Math.sqrt(sse / n));
  }
  progress.finish();
  return {
    factors: f, userCount, itemCount, biased, clip: clip === undefined ? null : [clip[0], clip[1]], globalMean,
    userBias: bu, itemBias: bi, userFactors: pu, itemFactors: qi, userRatings, itemRatings, objective, trainingRmse,
  };
}

/** The WebAssembly epochs when asked for or loaded (`kernel` as for ALS), or null for the JavaScript loop below. */
function sgdKernel(ratings: Ratings, f: number, model: Parameters<typeof wasmSgd>[2], kernel: AlsKernelName | undefined): SgdRun | null {
  if (kernel === 'js') return null;
  const run = wasmSgd(ratings, f, model);
  if (run === null && kernel === 'wasm') throw new RangeError('the WebAssembly kernel is not loaded');
  return run;
}

/** One SGD pass over the ratings in `order`, updating biases and factors in place (Surprise's `sgd` loop body). */
function sgdEpoch(
  { users, items, values }: Ratings, order: Int32Array, f: number, mu: number, lr: number, reg: number, biased: boolean,
  bu: Float64Array, bi: Float64Array, pu: Float64Array, qi: Float64Array,
): void {
  for (let k = 0; k < order.length; k++) {
    const at = order[k] as number;
    const u = users[at] as number;
    const i = items[at] as number;
    const uo = u * f;
    const io = i * f;
    const err = (values[at] as number) - (mu + (bu[u] as number) + (bi[i] as number) + dotAt(qi, io, pu, uo, f));
    if (biased) {
      bu[u] = (bu[u] as number) + lr * (err - reg * (bu[u] as number));
      bi[i] = (bi[i] as number) + lr * (err - reg * (bi[i] as number));
    }
    // p_u and q_i move together, each step using the other's value from before this rating.
    for (let x = 0; x < f; x++) {
      const puf = pu[uo + x] as number;
      const qif = qi[io + x] as number;
      pu[uo + x] = puf + lr * (err * qif - reg * puf);
      qi[io + x] = qif + lr * (err * puf - reg * qif);
    }
  }
}

/** Σ (r − r̂)² over the ratings, and Σ_ratings (b_u² + b_i² + ‖p_u‖² + ‖q_i‖²) computed per user and item. */
function trainingError(
  { users, items, values }: Ratings, mu: number, bu: Float64Array, bi: Float64Array, pu: Float64Array, qi: Float64Array, f: number,
  userRatings: Int32Array, itemRatings: Int32Array,
): { sse: number; penalty: number } {
  let sse = 0;
  for (let k = 0; k < values.length; k++) {
    const u = users[k] as number;
    const i = items[k] as number;
    const err = (values[k] as number) - (mu + (bu[u] as number) + (bi[i] as number) + dotAt(qi, i * f, pu, u * f, f));
    sse += err * err;
  }
  const weighted = (bias: Float64Array, factors: Float64Array, counts: Int32Array): number => {
    let total = 0;
    for (let row = 0; row < counts.length; row++) {
      let squares = (bias[row] as number) ** 2;
      for (let x = 0; x < f; x++) squares += (factors[row * f + x] as number) ** 2;
      total += (counts[row] as number) * squares;
    }
    return total;
  };
  return { sse, penalty: weighted(bu, pu, userRatings) + weighted(bi, qi, itemRatings) };
}

/**
 * The predicted rating of `item` by `user`. As Surprise's `estimate`: an unknown user (no training ratings, or an
 * index outside the model) contributes no bias and no factors, likewise an unknown item; the unbiased model with
 * either unknown predicts the global mean (Surprise's `default_prediction`). Then clipped to `model.clip`.
 */
export function predictRating(model: SvdModel, user: number, item: number): number {
  const knownUser = user >= 0 && user < model.userCount && (model.userRatings[user] as number) > 0;
  const knownItem = item >= 0 && item < model.itemCount && (model.itemRatings[item] as number) > 0;
  let estimate: number;
  if (knownUser && knownItem) {
    const f = model.factors;
    const dot = dotAt(model.itemFactors, item * f, model.userFactors, user * f, f);
    estimate = model.biased ? model.globalMean + (model.userBias[user] as number) + (model.itemBias[item] as number) + dot : dot;
  } else if (model.biased) {
    estimate = model.globalMean + (knownUser ? (model.userBias[user] as number) : 0) + (knownItem ? (model.itemBias[item] as number) : 0);
  } else {
    estimate = model.globalMean;
  }
  return model.clip === null ? estimate : Math.min(model.clip[1], Math.max(model.clip[0], estimate));
}

/** Every stored (customer, product, value) of an interaction matrix as ratings: `trainSvd(ratingsFromInteractions(x))`. */
export function ratingsFromInteractions(interactions: Pick<Interactions, 'byUser'>): Ratings {
  const { byUser } = interactions;
  const users = new Int32Array(byUser.indices.length);
  for (let u = 0; u < byUser.rows; u++) users.fill(u, byUser.indptr[u] as number, byUser.indptr[u + 1] as number);
  return { users, items: byUser.indices.slice(), values: byUser.data.slice(), userCount: byUser.rows, itemCount: byUser.cols };
}

export interface SvdRecommenderFormat {
  /** What the predicted value is, for the explanation. Default 'purchase amount'. */
  readonly valueName?: string;
  /** Default: two decimals (464.92). */
  readonly formatValue?: (value: number) => string;
}

/**
 * Scores every product by its predicted rating. Explanations read `predicted purchase amount 464.92 from customers
 * with similar tastes; closest to <label>, which you bought` (closest = highest cosine between item factors).
 * `labels[item]` describes a product (e.g. its description); the product id stands in when it is missing.
 */
export function svdRecommender(model: SvdModel, interactions: Interactions, labels: readonly string[], format: SvdRecommenderFormat = {}): Recommender {
  const { valueName = 'purchase amount', formatValue = (value: number) => value.toFixed(2) } = format;
  if (model.userCount !== interactions.users.length || model.itemCount !== interactions.items.length) {
    throw new RangeError(`the model is ${model.userCount} × ${model.itemCount} but the interactions are ${interactions.users.length} × ${interactions.items.length}`);
  }
  const f = model.factors;
  const q = model.itemFactors;
  const cosine = (a: number, b: number): number => {
    let dot = 0;
    let na = 0;
    let nb = 0;
    for (let x = 0; x < f; x++) {
      const qa = q[a * f + x] as number;
      const qb = q[b * f + x] as number;
      dot += qa * qb;
      na += qa * qa;
      nb += qb * qb;
    }
    return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
  };
  return {
    name: 'SVD (matrix factorisation)',
    score(user, out) {
      for (let item = 0; item < model.itemCount; item++) out[item] = predictRating(model, user, item);
    },
    explain(user, item) {
      const predicted = `predicted ${valueName} ${formatValue(predictRating(model, user, item))}`;
      if (!((model.userRatings[user] ?? 0) > 0)) return `${predicted}, this product's average (no purchases of yours to compare yet)`;
      let closest = -1;
      let best = -Infinity;
      for (const bought of rowOf(interactions.byUser, user).indices) {
        if (bought === item || !((model.itemRatings[bought] as number) > 0)) continue;
        const similarity = cosine(item, bought);
        if (similarity > best) [best, closest] = [similarity, bought];
      }
      const because = closest < 0 ? '' : `; closest to ${labels[closest] ?? interactions.items[closest]}, which you bought`;
      return `${predicted} from customers with similar tastes${because}`;
    },
  };
}

export interface CrossValidationOptions extends SvdOptions {
  /** Number of folds k ≥ 2. Default 5, as Surprise's `cross_validate`. */
  readonly folds?: number;
}

export interface SvdFold {
  readonly fold: number;
  readonly rmse: number;
  readonly mae: number;
  /** Positions (into the input ratings) of this fold's test ratings; the fold's model trained on all the others. */
  readonly test: Int32Array;
}

export interface SvdCrossValidation {
  readonly folds: readonly SvdFold[];
  readonly mean: { readonly rmse: number; readonly mae: number };
}

/**
 * k-fold cross-validation as Surprise's `KFold` + `cross_validate`: the ratings are shuffled (seeded), cut into k
 * folds whose sizes differ by at most one, and fold f's model trains on the other k − 1 folds only, then predicts
 * (clipped) fold f: `crossValidateSvd(ratings, { folds: 5, seed: 1, factors: 20 })` → RMSE and MAE per fold + mean.
 */
export function crossValidateSvd(ratings: Ratings, options: CrossValidationOptions = {}): SvdCrossValidation {
  const { folds: k = 5, seed = 0 } = options;
  checkRatings(ratings);
  const n = ratings.values.length;
  if (!Number.isInteger(k) || k < 2 || k > n) throw new RangeError(`folds must be an integer from 2 to the number of ratings (${n}), got ${k}`);
  const progress = new Progress(options, 'SVD cross-validation');
  const results: SvdFold[] = [];
  const inTest = new Uint8Array(n);
  const folds = kFolds(n, k, seed);
  for (let fold = 0; fold < k; fold++) {
    const test = folds[fold] as Int32Array;
    inTest.fill(0);
    for (const at of test) inTest[at] = 1;
    const train = new Int32Array(n - test.length);
    for (let at = 0, next = 0; at < n; at++) if (inTest[at] === 0) train[next++] = at;
    const model = fitSvd(subset(ratings, train), { ...options, ...progress.slice(fold / k, (fold + 1) / k) }, false);
    let squares = 0;
    let absolute = 0;
    for (const at of test) {
      const err = (ratings.values[at] as number) - predictRating(model, ratings.users[at] as number, ratings.items[at] as number);
      squares += err * err;
      absolute += Math.abs(err);
    }
    results.push({ fold, rmse: Math.sqrt(squares / test.length), mae: absolute / test.length, test });
  }
  progress.finish();
  const mean = (pick: (fold: SvdFold) => number): number => results.reduce((total, fold) => total + pick(fold), 0) / k;
  return { folds: results, mean: { rmse: mean((fold) => fold.rmse), mae: mean((fold) => fold.mae) } };
}

/** Surprise's `KFold`: positions 0..n−1 shuffled (seeded) and cut into k folds whose sizes differ by at most one; each fold ascending. */
export function kFolds(n: number, k: number, seed: number): Int32Array[] {
  const shuffled = new Rng(seed, 'svd folds').shuffle(Int32Array.from({ length: n }, (_, at) => at));
  const folds: Int32Array[] = [];
  let stop = 0;
  for (let fold = 0; fold < k; fold++) {
    const start = stop;
    stop += Math.floor(n / k) + (fold < n % k ? 1 : 0);
    folds.push(shuffled.slice(start, stop).sort());
  }
  return folds;
}

function subset(ratings: Ratings, positions: Int32Array): Ratings {
  const users = new Int32Array(positions.length);
  const items = new Int32Array(positions.length);
  const values = new Float64Array(positions.length);
  positions.forEach((at, k) => {
    users[k] = ratings.users[at] as number;
    items[k] = ratings.items[at] as number;
    values[k] = ratings.values[at] as number;
  });
  return { users, items, values, userCount: ratings.userCount, itemCount: ratings.itemCount };
}

function checkRatings({ users, items, values, userCount, itemCount }: Ratings): void {
  if (users.length !== values.length || items.length !== values.length) {
    throw new RangeError(`users, items and values must have the same length, got ${users.length}, ${items.length} and ${values.length}`);
  }
  if (values.length === 0) throw new RangeError('SVD needs at least one rating, got none');
  for (let k = 0; k < values.length; k++) {
    const u = users[k] as number;
    const i = items[k] as number;
    if (!(u >= 0 && u < userCount)) throw new RangeError(`rating ${k} has user ${u}, outside 0..${userCount - 1}`);
    if (!(i >= 0 && i < itemCount)) throw new RangeError(`rating ${k} has item ${i}, outside 0..${itemCount - 1}`);
    if (!Number.isFinite(values[k] as number)) throw new RangeError(`rating ${k} has value ${values[k]}, not a finite number`);
  }
}
