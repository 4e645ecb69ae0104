/**
 * The recommenders a model cell can name, each as a factory that trains on a customer × product matrix of amounts
 * spent: the neighbourhood methods, ALS, PureSVD and content see it as bought / not bought (or as amounts when asked).
 * The recommend and evaluate_recommenders models share this one list. The Surprise-style SVD (svd.ts) predicts spend,
 * not what is bought next, and is no ranker here: it ranked far below popularity (MAP@10 0.0020 against 0.0426 on the
 * generated data's time split), where PureSVD ranks above it.
 */
import type { RecommenderFactory } from './evaluation.ts';
import type { Interactions, Recommender } from '../baskets/interactions.ts';
import type { RunControl } from '../kit/progress.ts';
import type { ProductInfo } from '../kit/retail-lines.ts';
import type { WeightingScheme } from '../baskets/weighting.ts';
import { itemKnnRecommender } from './item-knn.ts';
import { userKnnRecommender } from './user-knn.ts';
import { alsRecommender, trainAls } from './als.ts';
import { pureSvdRecommender, trainPureSvd } from './pure-svd.ts';
import type { Ratings } from './svd.ts';
import { DEFAULT_POPULARITY_WEIGHT, contentRecommender } from './content.ts';
import { popularityRecommender } from './popularity.ts';
import { hybridRecommender } from './hybrid.ts';

export const RECOMMENDER_METHODS = ['item_knn', 'user_knn', 'als', 'pure_svd', 'content', 'popularity', 'hybrid'] as const;
export type RecommenderMethod = (typeof RECOMMENDER_METHODS)[number];

/** Names a saved notebook may still use, and the method that now does that job. */
export const RENAMED_METHODS: Readonly<Record<string, RecommenderMethod>> = { svd: 'pure_svd' };

/**
 * The methods the hybrid blends and their weights, set from the evaluation table on the generated data: the two
 * neighbourhood methods lead, ALS adds reach into the long tail (coverage); SVD, and content by description alone,
 * lowered MAP@10 there. Content with its popularity prior now beats popularity alone (MAP@10 0.0472 / 0.0320 against
 * 0.0426 / 0.0245, time split / last basket) but stays below ALS, and was not re-tried in the blend.
 */
const HYBRID_PARTS: readonly { method: RecommenderMethod; weight: number }[] = [
  { method: 'item_knn', weight: 2 },
  { method: 'user_knn', weight: 1 },
  { method: 'als', weight: 1 },
];

export interface RecommenderSettings {
  /** What a purchase counts as for the neighbourhood methods, ALS and content: bought at all, or the amount spent. */
  readonly value: 'binary' | 'amount';
  readonly weighting: WeightingScheme;
  readonly itemNeighbours: number;
  readonly userNeighbours: number;
  readonly factors: number;
  readonly iterations: number;
  readonly svdFactors: number;
  /** The content recommender's `popularityWeight`. */
  readonly contentPopularity: number;
  readonly epochs: number;
  readonly seed: number;
}

export const DEFAULT_SETTINGS: RecommenderSettings = {
  value: 'binary',
  weighting: 'bm25',
  itemNeighbours: 50,
  userNeighbours: 50,
  // ALS at 64 factors × 15 iterations takes ~15 s on the 541,909-row sample in one core of JavaScript (bench/);
  // 32 × 10 scores the same MAP@10 there (0.0505 against 0.0508) in a third of the time.
  factors: 32,
  iterations: 10,
  // PureSVD's MAP@10 on the generated data, time split / last basket (popularity: 0.0426 / 0.0245): 50 factors
  // 0.0467 / 0.0515; 20 and 100 gave 0.048 / 0.048 and 0.050 / 0.058, 100 at 2.5 times the fitting time of 50.
  svdFactors: 50,
  contentPopularity: DEFAULT_POPULARITY_WEIGHT,
  epochs: 20,
  seed: 42,
};


/**
 * Factories for `methods`, in that order. Fitted models are remembered per training matrix, so the hybrid reuses the
 * parts the list also evaluates instead of training them twice. `everyCustomer`: every customer will be scored, so
 * user-kNN finds all neighbourhoods at once (see `UserKnnOptions`).
 */
export function recommenderFactories(
  methods: readonly RecommenderMethod[],
  products: ProductInfo,
  settings: RecommenderSettings = DEFAULT_SETTINGS,
  options: { readonly everyCustomer?: boolean } = {},
): RecommenderFactory[] {
  const fitted = new WeakMap<Interactions, Map<RecommenderMethod, Recommender>>();
  const fit = (method: RecommenderMethod, amounts: Interactions, control: RunControl): Recommender => {
    let byMethod = fitted.get(amounts);
    if (!byMethod) fitted.set(amounts, (byMethod = new Map()));
    let recommender = byMethod.get(method);
    if (!recommender) {
      recommender = train(method, amounts, control);
      if (method !== 'hybrid') recommender = lastScoresKept(recommender, amounts.items.length);
      byMethod.set(method, recommender);
    }
    return recommender;
  };
  const train = (method: RecommenderMethod, amounts: Interactions, control: RunControl): Recommender => {
    const labels = amounts.items.map((id) => products.describe(id));
    const valued = settings.value === 'binary' ? binary(amounts) : amounts;
    switch (method) {
      case 'item_knn':
        return itemKnnRecommender(valued, { labels, neighbours: settings.itemNeighbours, weighting: settings.weighting, ...control });
      case 'user_knn':
        return userKnnRecommender(valued, { labels, neighbours: settings.userNeighbours, weighting: settings.weighting, everyCustomer: options.everyCustomer === true, ...control });
      case 'als': {
        const model = trainAls(valued, { factors: settings.factors, iterations: settings.iterations, seed: settings.seed, ...(settings.value === 'amount' ? { scaling: { logEpsilon: 1 } } : {}), ...control });
        return alsRecommender(model, valued, labels);
      }
      case 'pure_svd':
        return pureSvdRecommender(trainPureSvd(valued, { factors: settings.svdFactors, seed: settings.seed, ...control }), valued, labels);
      case 'content':
        return contentRecommender(valued, { descriptions: labels, categories: amounts.items.map((id) => products.category(id)), popularityWeight: settings.contentPopularity, ...control });
      case 'popularity':
        return popularityRecommender(amounts, control);
      case 'hybrid': {
        const parts = HYBRID_PARTS.map(({ method: part, weight }) => ({ recommender: fit(part, amounts, {}), weight }));
        control.onProgress?.(1);
        return { ...hybridRecommender(parts, amounts.items.length, { normalisation: 'minmax' }), name: 'Hybrid' };
      }
    }
  };
  return methods.map((method) => ({ name: method, fit: (train: Interactions, control: RunControl) => fit(method, train, control) }));
}

/**
 * The recommender with the scores of the customer it scored last kept: when the hybrid scores a customer right after
 * its parts did (the recommend and evaluate_recommenders cells go customer by customer), the parts' scores are copied,
 * not computed again.
 */
export function lastScoresKept(recommender: Recommender, itemCount: number): Recommender {
  const kept = new Float64Array(itemCount);
  let keptUser = -1;
  return {
    ...recommender,
    score(user, out) {
      if (out.length !== itemCount) return recommender.score(user, out); // its own message for a wrong length
      if (user !== keptUser) {
        keptUser = -1; // a score that throws must not leave half-written scores behind as the customer's
        recommender.score(user, kept);
        keptUser = user;
      }
      out.set(kept);
    },
  };
}

/** The same customers and products with every purchase counted as 1. */
export function binary(interactions: Interactions): Interactions {
  const ones = (m: Interactions['byUser']) => ({ ...m, data: new Float64Array(m.data.length).fill(1) });
  return { ...interactions, byUser: ones(interactions.byUser), byItem: ones(interactions.byItem) };
}

/** The Surprise-style SVD's ratings for predicting spend: log(1 + amount spent) per customer and product, so a few very large orders do not dominate the squared error. */
export function logRatings(amounts: Interactions): Ratings {
  const { byUser } = amounts;
  const users = new Int32Array(byUser.indices.length);
  for (let u = 0; u < byUser.rows; u++) users.fill(u, byUser.indptr[u] as number, byUser.indptr[u + 1] as number);
  return { users, items: byUser.indices.slice(), values: Float64Array.from(byUser.data, Math.log1p), userCount: byUser.rows, itemCount: byUser.cols };
}
