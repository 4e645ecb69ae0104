import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/models/kit/random.ts';
import { buildInteractions, recommend } from '../../../../src/models/baskets/interactions.ts';
import { type Ratings, type SvdModel, crossValidateSvd, predictRating, ratingsFromInteractions, svdRecommender, trainSvd } from '../../../../src/models/recommenders/svd.ts';
import { abortedSignal, progressRecorder } from '../segmentation/segmentation-fixtures.ts';

const ratingsOf = (rows: readonly (readonly [number, number, number])[], userCount: number, itemCount: number): Ratings => ({
  users: Int32Array.from(rows, (row) => row[0]),
  items: Int32Array.from(rows, (row) => row[1]),
  values: Float64Array.from(rows, (row) => row[2]),
  userCount,
  itemCount,
});

/**
 * A planted rank-`rank` matrix plus biases, r = 3 + b_u + b_i + u·v + Normal(0, σ), observed on a random `density`
 * share of the pairs; `heldOut` of those are set aside as a test set.
 */
function planted(seed: number, { users = 300, items = 200, rank = 3, density = 0.25, sigma = 0.3, heldOut = 0.1 } = {}) {
  const rng = new Rng(seed, 'planted');
  const u = Array.from({ length: users * rank }, () => rng.normal(0, 0.7));
  const v = Array.from({ length: items * rank }, () => rng.normal(0, 0.7));
  const bu = Array.from({ length: users }, () => rng.normal(0, 0.3));
  const bi = Array.from({ length: items }, () => rng.normal(0, 0.3));
  const train: [number, number, number][] = [];
  const test: [number, number, number][] = [];
  for (let user = 0; user < users; user++) {
    for (let item = 0; item < items; item++) {
      if (!rng.chance(density)) continue;
      let value = 3 + (bu[user] as number) + (bi[item] as number) + rng.normal(0, sigma);
      for (let x = 0; x < rank; x++) value += (u[user * rank + x] as number) * (v[item * rank + x] as number);
      (rng.chance(heldOut) ? test : train).push([user, item, value]);
    }
  }
  return { train: ratingsOf(train, users, items), test, sigma };
}

const rmseOn = (model: SvdModel, test: readonly (readonly [number, number, number])[], predict = (user: number, item: number) => predictRating(model, user, item)): number =>
  Math.sqrt(test.reduce((sum, [user, item, value]) => sum + (value - predict(user, item)) ** 2, 0) / test.length);

/** Surprise's SVD.sgd (matrix_factorization.pyx), transcribed loop for loop, for ratings in the given order. */
function surpriseSgd(ratings: Ratings, factors: number, epochs: number, lr: number, reg: number, init: number) {
  const n = ratings.values.length;
  const mean = ratings.values.reduce((sum, value) => sum + value, 0) / n;
  const bu = new Array<number>(ratings.userCount).fill(0);
  const bi = new Array<number>(ratings.itemCount).fill(0);
  const pu = Array.from({ length: ratings.userCount }, () => new Array<number>(factors).fill(init));
  const qi = Array.from({ length: ratings.itemCount }, () => new Array<number>(factors).fill(init));
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let k = 0; k < n; k++) {
      const u = ratings.users[k] as number;
      const i = ratings.items[k] as number;
      let dot = 0;
      for (let f = 0; f < factors; f++) dot += qi[i]![f]! * pu[u]![f]!;
      const err = ratings.values[k]! - (mean + bu[u]! + bi[i]! + dot);
      bu[u] = bu[u]! + lr * (err - reg * bu[u]!);
      bi[i] = bi[i]! + lr * (err - reg * bi[i]!);
      for (let f = 0; f < factors; f++) {
        const puf = pu[u]![f]!;
        const qif = qi[i]![f]!;
        pu[u]![f] = puf + lr * (err * qif - reg * puf);
        qi[i]![f] = qif + lr * (err * puf - reg * qif);
      }
    }
  }
  return { bu, bi, pu: pu.flat(), qi: qi.flat() };
}

const small = ratingsOf(
  [[0, 0, 5], [0, 1, 3], [0, 3, 1], [1, 0, 4], [1, 2, 2], [2, 1, 1], [2, 2, 5], [2, 3, 4], [3, 0, 2], [3, 3, 5], [4, 1, 4], [4, 2, 3]],
  5,
  4,
);

describe('trainSvd', () => {
  it("takes exactly the SGD steps of Surprise's SVD (biases, then p_u and q_i from each other's old values)", () => {
    // Funk's constant start (init_std_dev 0) and the given order make the run reproducible by hand.
    const model = trainSvd(small, { factors: 2, epochs: 3, learningRate: 0.05, regularization: 0.1, initMean: 0.1, initStdDev: 0, shuffle: false });
    const reference = surpriseSgd(small, 2, 3, 0.05, 0.1, 0.1);
    expect(model.globalMean).toBe(39 / 12);
    expect(Array.from(model.userBias)).toEqual(reference.bu);
    expect(Array.from(model.itemBias)).toEqual(reference.bi);
    expect(Array.from(model.userFactors)).toEqual(reference.pu);
    expect(Array.from(model.itemFactors)).toEqual(reference.qi);
  });

  it('one step on one rating, by hand', () => {
    const model = trainSvd(ratingsOf([[0, 0, 4]], 1, 1), { factors: 2, epochs: 1, initMean: 0.1, initStdDev: 0 });
    // μ = 4, p = q = (0.1, 0.1): e = 4 − (4 + 0.02) = −0.02; b ← 0.005·(−0.02) = −1e-4; p_f ← 0.1 + 0.005·(−0.02·0.1 − 0.02·0.1).
    expect(model.userBias[0]).toBeCloseTo(-1e-4, 15);
    expect(model.itemBias[0]).toBeCloseTo(-1e-4, 15);
    expect(Array.from(model.userFactors)).toEqual([0.09998, 0.09998].map((value) => expect.closeTo(value, 15)));
  });

  it('records the regularised objective and training RMSE after each epoch; the objective falls every epoch', () => {
    const { train } = planted(1);
    const model = trainSvd(train, { factors: 5, epochs: 25, seed: 3 });
    expect(model.objective).toHaveLength(25);
    for (let epoch = 1; epoch < 25; epoch++) expect(model.objective[epoch]).toBeLessThan(model.objective[epoch - 1] as number);
    expect(model.trainingRmse.at(-1)).toBeLessThan((model.trainingRmse[0] as number) * 0.9);
    // Recomputed from the final parameters: Σ_ratings (r − r̂)² + 0.02·(b_u² + b_i² + ‖p_u‖² + ‖q_i‖²).
    let sse = 0;
    let penalty = 0;
    const f = model.factors;
    for (let k = 0; k < train.values.length; k++) {
      const user = train.users[k] as number;
      const item = train.items[k] as number;
      let dot = 0;
      let norms = model.userBias[user]! ** 2 + model.itemBias[item]! ** 2;
      for (let x = 0; x < f; x++) {
        dot += model.userFactors[user * f + x]! * model.itemFactors[item * f + x]!;
        norms += model.userFactors[user * f + x]! ** 2 + model.itemFactors[item * f + x]! ** 2;
      }
      sse += (train.values[k]! - model.globalMean - model.userBias[user]! - model.itemBias[item]! - dot) ** 2;
      penalty += norms;
    }
    expect(model.objective.at(-1)).toBeCloseTo(sse + 0.02 * penalty, 6);
    expect(model.trainingRmse.at(-1)).toBeCloseTo(Math.sqrt(sse / train.values.length), 12);
  });

  it('recovers a planted rank-3 matrix: held-out RMSE within 1.2 σ (it is 1.1 σ), under 1/2.5 of predicting the mean', () => {
    const { train, test, sigma } = planted(2);
    const model = trainSvd(train, { factors: 3, epochs: 100, learningRate: 0.01, seed: 1 });
    const rmse = rmseOn(model, test);
    const baseline = rmseOn(model, test, () => model.globalMean);
    expect(rmse).toBeLessThan(1.2 * sigma);
    expect(baseline).toBeGreaterThan(2.5 * rmse);
  });

  it('is deterministic for a seed (bitwise), and another seed gives other factors', () => {
    const { train } = planted(3, { users: 60, items: 40 });
    const first = trainSvd(train, { factors: 4, epochs: 5, seed: 7 });
    const second = trainSvd(train, { factors: 4, epochs: 5, seed: 7 });
    expect(second.userFactors).toEqual(first.userFactors);
    expect(second.itemFactors).toEqual(first.itemFactors);
    expect(second.userBias).toEqual(first.userBias);
    expect(second.objective).toEqual(first.objective);
    const other = trainSvd(train, { factors: 4, epochs: 5, seed: 8 });
    expect(other.userFactors).not.toEqual(first.userFactors);
  });

  it('checks its inputs and stops on divergence, naming the value', () => {
    expect(() => trainSvd(ratingsOf([], 1, 1))).toThrow(/at least one rating/);
    expect(() => trainSvd(ratingsOf([[0, 3, 1]], 2, 2))).toThrow(/rating 0 has item 3, outside 0..1/);
    expect(() => trainSvd(ratingsOf([[0, 0, Number.NaN]], 1, 1))).toThrow(/rating 0 has value NaN/);
    expect(() => trainSvd(small, { factors: -1 })).toThrow(/factors must be a non-negative integer, got -1/);
    expect(() => trainSvd(small, { clip: [5, 1] })).toThrow(/clip must be \[min, max\]/);
    const amounts = ratingsOf([[0, 0, 5000], [0, 1, 10], [1, 0, 20], [1, 1, 8000]], 2, 2);
    expect(() => trainSvd(amounts, { learningRate: 0.5 })).toThrow(/SGD diverged in epoch \d+ .*lower learningRate \(0.5\)/);
  });

  it('reports progress up to exactly 1 and stops with an AbortError when cancelled', () => {
    const progress = progressRecorder();
    trainSvd(small, { factors: 2, onProgress: progress.onProgress });
    progress.check();
    expect(() => trainSvd(small, { signal: abortedSignal() })).toThrow(expect.objectContaining({ name: 'AbortError' }));
    const controller = new AbortController();
    expect(() => trainSvd(small, { signal: controller.signal, onProgress: () => controller.abort() })).toThrow(/SVD cancelled/);
  });
});

describe('predictRating', () => {
  const model: SvdModel = {
    factors: 1, userCount: 2, itemCount: 2, biased: true, clip: null, globalMean: 10,
    userBias: Float64Array.of(1, 0), itemBias: Float64Array.of(-2, 0), userFactors: Float64Array.of(3, 0), itemFactors: Float64Array.of(-4, 0),
    userRatings: Int32Array.of(2, 0), itemRatings: Int32Array.of(1, 0), objective: [], trainingRmse: [],
  };

  it('is μ + b_u + b_i + q_iᵀp_u, falling back like Surprise for an unknown customer or product', () => {
    expect(predictRating(model, 0, 0)).toBe(10 + 1 - 2 - 12);
    expect(predictRating(model, 0, 1)).toBe(10 + 1); // product never rated: no b_i, no factors
    expect(predictRating(model, 1, 0)).toBe(10 - 2); // customer never rated
    expect(predictRating(model, 7, 7)).toBe(10); // outside the model
    expect(predictRating({ ...model, biased: false }, 0, 0)).toBe(-12);
    expect(predictRating({ ...model, biased: false }, 1, 0)).toBe(10); // Surprise's default_prediction
  });

  it('clips to the range given at training, e.g. no negative purchase amount', () => {
    expect(predictRating({ ...model, clip: [0, Infinity] }, 0, 0)).toBe(0);
    expect(predictRating({ ...model, clip: [1, 5] }, 0, 1)).toBe(5);
    const trained = trainSvd(ratingsOf([[0, 0, 1], [1, 1, 1]], 2, 2), { epochs: 1, clip: [0, Infinity] });
    expect(trained.clip).toEqual([0, Infinity]);
  });
});

describe('svdRecommender', () => {
  const interactions = buildInteractions(
    {
      customers: ['ann', 'ann', 'bob', 'bob', 'bob', 'cat', 'cat'],
      products: ['mug', 'tea', 'mug', 'tea', 'jam', 'tea', 'jam'],
      values: [10, 4, 12, 5, 30, 6, 28],
    },
    'amount',
  );
  const labels = ['JAM JAR', 'WHITE MUG', 'TEA TIN'];

  it('scores products by predicted amount and explains with the value and the closest product bought', () => {
    const ratings = ratingsFromInteractions(interactions);
    expect(Array.from(ratings.users)).toEqual([0, 0, 1, 1, 1, 2, 2]);
    expect(Array.from(ratings.items)).toEqual([1, 2, 0, 1, 2, 0, 2]); // items sorted: jam, mug, tea
    const model = trainSvd(ratings, { factors: 3, epochs: 50, learningRate: 0.01, clip: [0, Infinity], seed: 1 });
    const recommender = svdRecommender(model, interactions, labels);
    const scores = new Float64Array(3);
    recommender.score(0, scores);
    expect(Array.from(scores)).toEqual([0, 1, 2].map((item) => predictRating(model, 0, item)));
    const [top] = recommend(recommender, interactions, 0, 1);
    expect(top?.item).toBe(0);
    expect(top?.explanation).toMatch(/^predicted purchase amount \d+\.\d\d from customers with similar tastes; closest to (WHITE MUG|TEA TIN), which you bought$/);
    const euros = svdRecommender(model, interactions, labels, { valueName: 'spend', formatValue: (value) => `€${value.toFixed(0)}` });
    expect(euros.explain(0, 0)).toMatch(/^predicted spend €\d+ from/);
    expect(() => svdRecommender(trainSvd(small, { epochs: 1 }), interactions, labels)).toThrow(/model is 5 × 4 but the interactions are 3 × 3/);
  });
});

describe('crossValidateSvd', () => {
  it('cuts the ratings into k folds that partition them, sizes differing by at most one', () => {
    const { train } = planted(4, { users: 40, items: 30 });
    const n = train.values.length;
    const result = crossValidateSvd(train, { folds: 5, factors: 2, epochs: 2, seed: 9 });
    expect(result.folds.map((fold) => fold.fold)).toEqual([0, 1, 2, 3, 4]);
    const seen = new Int32Array(n);
    for (const fold of result.folds) for (const at of fold.test) seen[at]! += 1;
    expect(seen.every((count) => count === 1)).toBe(true);
    const sizes = result.folds.map((fold) => fold.test.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    expect(result.mean.rmse).toBeCloseTo(result.folds.reduce((sum, fold) => sum + fold.rmse, 0) / 5, 12);
    const again = crossValidateSvd(train, { folds: 5, factors: 2, epochs: 2, seed: 9 });
    expect(again).toEqual(result);
  });

  it('never lets a fold’s model see that fold: on one-rating-per-customer-and-product data every test rating is unknown', () => {
    // Customer k rated only product k, so a model that had seen a test rating would know its customer and product and
    // move away from the mean; one that had not predicts exactly the mean of the other folds.
    const n = 23;
    const values = Array.from({ length: n }, (_, k) => (k * 37) % 11);
    const diagonal = ratingsOf(values.map((value, k) => [k, k, value] as const), n, n);
    const result = crossValidateSvd(diagonal, { folds: 4, factors: 3, epochs: 10, learningRate: 0.05, seed: 2 });
    for (const fold of result.folds) {
      const inTest = new Set(fold.test);
      const trainValues = values.filter((_, k) => !inTest.has(k));
      const mean = trainValues.reduce((sum, value) => sum + value, 0) / trainValues.length;
      const errors = [...fold.test].map((k) => values[k]! - mean);
      expect(fold.rmse).toBeCloseTo(Math.sqrt(errors.reduce((sum, e) => sum + e * e, 0) / errors.length), 12);
      expect(fold.mae).toBeCloseTo(errors.reduce((sum, e) => sum + Math.abs(e), 0) / errors.length, 12);
    }
  });

  it('computes RMSE and MAE as Surprise does: a 0-epoch model predicts the training mean, checked by hand', () => {
    const result = crossValidateSvd(small, { folds: 3, epochs: 0, factors: 0, seed: 5 });
    for (const fold of result.folds) {
      const inTest = new Set(fold.test);
      const trainValues = Array.from(small.values).filter((_, k) => !inTest.has(k));
      const mean = trainValues.reduce((sum, value) => sum + value, 0) / trainValues.length;
      const errors = [...fold.test].map((k) => small.values[k]! - mean);
      expect(fold.test).toHaveLength(4);
      expect(fold.rmse).toBeCloseTo(Math.sqrt(errors.reduce((sum, e) => sum + e * e, 0) / 4), 12);
      expect(fold.mae).toBeCloseTo(errors.reduce((sum, e) => sum + Math.abs(e), 0) / 4, 12);
    }
  });

  it('checks k, reports progress to 1 and can be cancelled', () => {
    expect(() => crossValidateSvd(small, { folds: 1 })).toThrow(/folds must be an integer from 2 to the number of ratings \(12\), got 1/);
    expect(() => crossValidateSvd(small, { folds: 13 })).toThrow(/got 13/);
    const progress = progressRecorder();
    crossValidateSvd(small, { folds: 3, factors: 2, onProgress: progress.onProgress });
    progress.check();
    expect(() => crossValidateSvd(small, { signal: abortedSignal() })).toThrow(expect.objectContaining({ name: 'AbortError' }));
  });
});
