import { describe, expect, it } from 'vitest';
import { buildInteractions, recommend } from '../../../../src/models/baskets/interactions.ts';
import { popularityRecommender } from '../../../../src/models/recommenders/popularity.ts';
import { abortedSignal, progressRecorder } from '../segmentation/segmentation-fixtures.ts';

// ann: mug, tin; bob: mug twice (one customer); cy: mug, vase; dee: tin, vase.
// With quantities bob's mug sums to 2, but popularity counts customers: mug 3, tin 2, vase 2
// (tin and vase tie; tin has the lower index).
const lines = [
  ['ann', 'mug'],
  ['ann', 'tin'],
  ['bob', 'mug'],
  ['bob', 'mug'],
  ['cy', 'mug'],
  ['cy', 'vase'],
  ['dee', 'tin'],
  ['dee', 'vase'],
];
const interactions = buildInteractions({ customers: lines.map((line) => line[0] as string), products: lines.map((line) => line[1] as string), values: lines.map(() => 1) }, 'quantity', {
  items: ['cup', 'mug', 'tin', 'vase'],
});

describe('popularityRecommender', () => {
  it('scores each product by its number of distinct customers, the same for everyone', () => {
    const recommender = popularityRecommender(interactions);
    const scores = new Float64Array(4);
    recommender.score(0, scores);
    // cup 0, mug 3 (bob's two lines count once), tin 2, vase 2.
    expect(Array.from(scores)).toEqual([0, 3, 2, 2]);
    recommender.score(3, scores);
    expect(Array.from(scores)).toEqual([0, 3, 2, 2]);
  });

  it('recommends the best sellers a customer has not bought, ties by index', () => {
    const recommender = popularityRecommender(interactions);
    // bob (index 1) bought the mug: tin and vase tie at 2, tin comes first; cup last.
    expect(recommend(recommender, interactions, 1, 3).map((r) => r.item)).toEqual([2, 3, 0]);
  });

  it('explains with the rank band and the customer count', () => {
    const recommender = popularityRecommender(interactions);
    expect(recommender.explain(0, 1)).toBe('the best-selling product (bought by 3 customers)');
    expect(recommender.explain(0, 3)).toBe('one of the 10 best-selling products (bought by 2 customers)');
    expect(recommender.explain(0, 0)).toBe('one of the 10 best-selling products (bought by 0 customers)');
  });

  it('names wider bands further down the ranking', () => {
    // Product i is bought by customers 0..(59 − i), so product i ranks i + 1.
    const customers: string[] = [];
    const products: string[] = [];
    for (let item = 0; item < 60; item++) {
      for (let customer = 0; customer < 60 - item; customer++) {
        customers.push(`c${String(customer).padStart(2, '0')}`);
        products.push(`p${String(item).padStart(2, '0')}`);
      }
    }
    const recommender = popularityRecommender(buildInteractions({ customers, products }));
    expect(recommender.explain(0, 9)).toBe('one of the 10 best-selling products (bought by 51 customers)');
    expect(recommender.explain(0, 10)).toBe('one of the 20 best-selling products (bought by 50 customers)');
    expect(recommender.explain(0, 20)).toBe('one of the 50 best-selling products (bought by 40 customers)');
    expect(recommender.explain(0, 59)).toBe('one of the 100 best-selling products (bought by 1 customer)');
  });

  it('reports progress to 1 and stops when cancelled', () => {
    const recorder = progressRecorder();
    popularityRecommender(interactions, { onProgress: recorder.onProgress });
    recorder.check();
    expect(() => popularityRecommender(interactions, { signal: abortedSignal() })).toThrow(expect.objectContaining({ name: 'AbortError' }));
  });
});
