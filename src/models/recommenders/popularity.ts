/** The baseline every personalised recommender has to beat: recommend what most customers bought. */
import type { Interactions, Recommender } from '../baskets/interactions.ts';
import { Progress, type RunControl } from '../kit/progress.ts';

/** Rank bands named in explanations: "one of the 10 best-selling", then 20, 50, 100, 200, 500, … */
function band(rank: number): number {
  for (let scale = 10; ; scale *= 10) for (const step of [1, 2, 5]) if (rank <= step * scale) return step * scale;
}

/**
 * Scores every product by the number of distinct customers who bought it (the same for everyone; ties go to the lower
 * index, as `topN` breaks them): `popularityRecommender(interactions)`.
 */
export function popularityRecommender(interactions: Interactions, control: RunControl = {}): Recommender {
  const progress = new Progress(control, 'Popularity');
  const { indptr } = interactions.byItem;
  const itemCount = interactions.items.length;
  const customers = new Float64Array(itemCount);
  for (let item = 0; item < itemCount; item++) customers[item] = (indptr[item + 1] as number) - (indptr[item] as number);
  const order = Array.from({ length: itemCount }, (_, item) => item).sort((a, b) => (customers[b] as number) - (customers[a] as number) || a - b);
  const rankOf = new Int32Array(itemCount);
  order.forEach((item, position) => (rankOf[item] = position + 1));
  progress.finish();
  return {
    name: 'Popularity',
    score(_user, out) {
      if (out.length !== itemCount) throw new RangeError(`scores array must have ${itemCount} entries, got ${out.length}`);
      out.set(customers);
    },
    explain(_user, item) {
      const count = customers[item] as number;
      const rank = rankOf[item] as number;
      const who = `bought by ${count} customer${count === 1 ? '' : 's'}`;
      return rank === 1 ? `the best-selling product (${who})` : `one of the ${band(rank)} best-selling products (${who})`;
    },
  };
}
