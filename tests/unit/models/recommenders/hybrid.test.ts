import { describe, expect, it } from 'vitest';
import { hybridRecommender } from '../../../../src/models/recommenders/hybrid.ts';
import type { Recommender } from '../../../../src/models/baskets/interactions.ts';

/** A recommender giving customer u the scores `table[u]`, explaining as `<name> on <item>`. */
function fixed(name: string, table: number[][]): Recommender & { calls: number } {
  const recommender = {
    name,
    calls: 0,
    score(user: number, out: Float64Array) {
      recommender.calls++;
      out.set(table[user] as number[]);
    },
    explain: (_user: number, item: number) => `${name} on ${item}`,
  };
  return recommender;
}

const blend = (recommender: Recommender, user: number, items = 4): number[] => {
  const out = new Float64Array(items);
  recommender.score(user, out);
  return Array.from(out);
};

describe('hybridRecommender with rank normalisation (default)', () => {
  // A = [10, 0, 0, 5]: sorted [0, 0, 5, 10]; strictly lower counts 3, 0, 0, 2 → / (4 − 1) = [1, 0, 0, 2/3].
  // B = [1, 2, 3, 4] → [0, 1/3, 2/3, 1].
  const A = fixed('A', [[10, 0, 0, 5]]);
  const B = fixed('B', [[1, 2, 3, 4]]);

  it('averages the normalised scores with the weights', () => {
    // Weights 1 and 3: (1 · A + 3 · B) / 4 = [1/4, 1/4, 2/4, (2/3 + 3)/4 = 11/12].
    const hybrid = hybridRecommender([{ recommender: A, weight: 1 }, { recommender: B, weight: 3 }], 4);
    expect(blend(hybrid, 0)).toEqual([0.25, 0.25, 0.5, 11 / 12].map((x) => expect.closeTo(x, 14)));
    expect(hybrid.name).toBe('Hybrid (A × 1, B × 3)');
  });

  it('does not change when one component’s scale changes', () => {
    const big = fixed('A', [[10_000, 0, 0, 5_000]]);
    const shifted = fixed('B', [[-100, -50, 7, 1e9]]);
    const parts = (x: Recommender, y: Recommender) => [{ recommender: x, weight: 1 }, { recommender: y, weight: 3 }];
    expect(blend(hybridRecommender(parts(big, shifted), 4), 0)).toEqual(blend(hybridRecommender(parts(A, B), 4), 0));
  });

  it('gives 0 to products a component cannot score and leaves them out of the ranks', () => {
    // [NaN, 1, 2, −∞]: two scorable → 1 → 0/1 = 0, 2 → 1/1 = 1; the others 0.
    const hybrid = hybridRecommender([{ recommender: fixed('C', [[Number.NaN, 1, 2, Number.NEGATIVE_INFINITY]]), weight: 1 }], 4);
    expect(blend(hybrid, 0)).toEqual([0, 0, 1, 0]);
  });

  it('explains with the component contributing most to that product', () => {
    const hybrid = hybridRecommender([{ recommender: A, weight: 1 }, { recommender: B, weight: 3 }], 4);
    // Product 3: A gives 1 · 2/3, B gives 3 · 1 → B. Product 0: A gives 1 · 1, B gives 3 · 0 → A.
    expect(hybrid.explain(0, 3)).toBe('B on 3');
    expect(hybrid.explain(0, 0)).toBe('A on 0');
    // Product 1: A 0, B 1 → B; a weight-0 part never explains.
    const zeroB = hybridRecommender([{ recommender: A, weight: 1 }, { recommender: B, weight: 0 }], 4);
    expect(zeroB.explain(0, 1)).toBe('A on 1');
  });

  it('scores each component once per customer, even when explaining several products', () => {
    const counted = fixed('A', [[1, 2, 3, 4], [4, 3, 2, 1]]);
    const hybrid = hybridRecommender([{ recommender: counted, weight: 1 }], 4);
    blend(hybrid, 0);
    hybrid.explain(0, 1);
    hybrid.explain(0, 2);
    expect(counted.calls).toBe(1);
    // Another customer, explained without scoring first, is scored afresh.
    expect(hybrid.explain(1, 0)).toBe('A on 0');
    expect(counted.calls).toBe(2);
    expect(blend(hybrid, 1)).toEqual([1, 2 / 3, 1 / 3, 0].map((x) => expect.closeTo(x, 14)));
  });
});

describe('hybridRecommender with min-max normalisation', () => {
  it('rescales each component to [0, 1] over the products', () => {
    // A = [10, 0, 0, 5] → [1, 0, 0, 0.5]; B = [1, 2, 3, 4] → [0, 1/3, 2/3, 1].
    // Equal weights: [0.5, 1/6, 1/3, 0.75].
    const hybrid = hybridRecommender(
      [
        { recommender: fixed('A', [[10, 0, 0, 5]]), weight: 2 },
        { recommender: fixed('B', [[1, 2, 3, 4]]), weight: 2 },
      ],
      4,
      { normalisation: 'minmax' },
    );
    expect(blend(hybrid, 0)).toEqual([0.5, 1 / 6, 1 / 3, 0.75].map((x) => expect.closeTo(x, 14)));
  });

  it('maps a component that scores everything the same to 0', () => {
    const hybrid = hybridRecommender([{ recommender: fixed('A', [[3, 3, 3, 3]]), weight: 1 }], 4, { normalisation: 'minmax' });
    expect(blend(hybrid, 0)).toEqual([0, 0, 0, 0]);
  });
});

describe('hybridRecommender rejects', () => {
  const A = fixed('A', [[1, 2, 3, 4]]);
  it('bad parts and sizes, naming the value', () => {
    expect(() => hybridRecommender([], 4)).toThrow(/at least one recommender/);
    expect(() => hybridRecommender([{ recommender: A, weight: -1 }], 4)).toThrow(/weight of A must be a finite number ≥ 0, got -1/);
    expect(() => hybridRecommender([{ recommender: A, weight: 0 }], 4)).toThrow(/at least one hybrid weight must be positive/);
    expect(() => hybridRecommender([{ recommender: A, weight: 1 }], 0)).toThrow(/itemCount must be a positive integer, got 0/);
    expect(() => hybridRecommender([{ recommender: A, weight: 1 }], 4).score(0, new Float64Array(3))).toThrow(/4 entries, got 3/);
  });
});
