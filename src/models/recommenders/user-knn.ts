/** Customers with baskets like yours (user-kNN): recommends what a customer's nearest customers bought. */
import { type Interactions, type Recommender, positionIn } from '../baskets/interactions.ts';
import { cosineNeighbours } from './item-knn.ts';
import { allCosineNeighbours, rowsAscending } from './all-neighbours.ts';
import { Progress, type RunControl } from '../kit/progress.ts';
import { type Bm25Options, type WeightingScheme, weightMatrix } from '../baskets/weighting.ts';

export interface UserKnnOptions extends RunControl {
  /** Nearest customers used for each customer; default 50. */
  readonly neighbours?: number;
  /** Applied to `byUser` (customers are documents, products terms) before the cosine; default `none`. */
  readonly weighting?: WeightingScheme;
  readonly bm25?: Bm25Options;
  /** Product index → description; not needed by the explanation, checked only for length if given. */
  readonly labels?: readonly string[];
  /**
   * Find every customer's neighbourhood when fitting, each pair's cosine computed once for both (`allCosineNeighbours`):
   * about 0.6 of the time of finding them one by one, so worth it when (nearly) every customer will be scored. Same results.
   */
  readonly everyCustomer?: boolean;
}

interface Neighbourhood {
  readonly users: Int32Array;
  readonly similarities: Float64Array;
  /** Σ similarities. */
  readonly total: number;
}

/**
 * User-kNN: customer u's nearest customers N(u) are the `neighbours` others with the highest positive cosine over
 * their (weighted) product vectors, ties to the lower index; the score of product i is
 * Σ_{v ∈ N(u)} cos(u, v) · value(v, i) / Σ_{v ∈ N(u)} cos(u, v), with value the interaction value (1 for binary),
 * so for binary data it is the similarity-weighted share of the neighbours who bought i (all 0 without neighbours).
 * Neighbourhoods are found when a customer is first scored or explained, then kept.
 * `userKnnRecommender(interactions, { neighbours: 50, weighting: 'tfidf' })`.
 */
export function userKnnRecommender(interactions: Interactions, options: UserKnnOptions = {}): Recommender {
  const { neighbours = 50, weighting = 'none', labels, everyCustomer = false } = options;
  const { byUser } = interactions;
  if (labels !== undefined && labels.length !== interactions.items.length) {
    throw new RangeError(`labels must name every product (${interactions.items.length}), got ${labels.length}`);
  }
  const progress = new Progress(options, 'Customer similarities');
  progress.checkpoint(0);
  const weighted = weightMatrix(byUser, weighting, options.bm25);
  const all = everyCustomer && rowsAscending(weighted) ? allCosineNeighbours(weighted, neighbours, (fraction) => progress.checkpoint(fraction)) : null;
  const nearest = all === null ? cosineNeighbours(weighted, neighbours) : (user: number) => ({ rows: all.rows.subarray(all.indptr[user], all.indptr[user + 1]), scores: all.scores.subarray(all.indptr[user], all.indptr[user + 1]) });
  progress.finish();
  const neighbourhoods = new Map<number, Neighbourhood>();
  const neighbourhoodOf = (user: number): Neighbourhood => {
    if (!(Number.isInteger(user) && user >= 0 && user < byUser.rows)) throw new RangeError(`customer index ${user} is outside 0 … ${byUser.rows - 1}`);
    let neighbourhood = neighbourhoods.get(user);
    if (neighbourhood === undefined) {
      const { rows, scores } = nearest(user);
      neighbourhood = { users: rows, similarities: scores, total: scores.reduce((sum, score) => sum + score, 0) };
      neighbourhoods.set(user, neighbourhood);
    }
    return neighbourhood;
  };

  return {
    name: 'User-kNN',
    score(user, out) {
      if (out.length !== byUser.cols) throw new RangeError(`scores need one slot per product (${byUser.cols}), got ${out.length}`);
      const { users, similarities, total } = neighbourhoodOf(user);
      const { indptr, indices, data } = byUser;
      out.fill(0);
      for (let k = 0; k < users.length; k++) {
        const other = users[k] as number;
        const similarity = similarities[k] as number;
        for (let l = indptr[other] as number; l < (indptr[other + 1] as number); l++) {
          out[indices[l] as number] = (out[indices[l] as number] as number) + similarity * (data[l] as number);
        }
      }
      if (total > 0) for (let item = 0; item < out.length; item++) out[item] = (out[item] as number) / total;
    },
    explain(user, item) {
      const { users } = neighbourhoodOf(user);
      if (users.length === 0) return 'no other customer has a basket like yours';
      let buyers = 0;
      for (const other of users) if (positionIn(byUser.indices, byUser.indptr[other] as number, byUser.indptr[other + 1] as number, item) >= 0) buyers++;
      return `bought by customers with baskets like yours (${buyers} of your ${users.length} nearest)`;
    },
  };
}
