import { describe, expect, it } from 'vitest';
import { buildInteractions, recommend } from '../../../../src/models/baskets/interactions.ts';
import { userKnnRecommender } from '../../../../src/models/recommenders/user-knn.ts';
import { type WeightingScheme, weightMatrix } from '../../../../src/models/baskets/weighting.ts';
import { abortedSignal, progressRecorder } from '../segmentation/segmentation-fixtures.ts';
import { dense, naiveCosine, randomInteractions } from '../baskets/interaction-fixtures.ts';




describe('userKnnRecommender', () => {
  it('scores Σ cos(u, v) · value(v, i) / Σ cos(u, v) over the k nearest customers, like a naive dense computation', () => {
    let nonZero = 0;
    for (let trial = 0; trial < 120; trial++) {
      const interactions = randomInteractions(trial, 'user-knn', 30, 12);
      const values = dense(interactions.byUser);
      for (const scheme of ['none', 'tfidf', 'bm25'] as WeightingScheme[]) {
        const neighbours = 1 + (trial % 6);
        const recommender = userKnnRecommender(interactions, { neighbours, weighting: scheme });
        const x = dense(weightMatrix(interactions.byUser, scheme));
        const out = new Float64Array(interactions.items.length);
        values.forEach((_, user) => {
          // The k others with the highest positive cosine, by a full sort (ties to the lower index).
          const nearest = values
            .map((__, other) => ({ other, similarity: naiveCosine(x, user, other) }))
            .filter((entry) => entry.other !== user && entry.similarity > 0)
            .sort((a, b) => b.similarity - a.similarity || a.other - b.other)
            .slice(0, neighbours);
          const total = nearest.reduce((sum, entry) => sum + entry.similarity, 0);
          recommender.score(user, out);
          interactions.items.forEach((__, item) => {
            const weighted = nearest.reduce((sum, entry) => sum + entry.similarity * ((values[entry.other] as number[])[item] as number), 0);
            const expected = total > 0 ? weighted / total : 0;
            if (expected !== 0) nonZero++;
            expect(Math.abs((out[item] as number) - expected), `trial ${trial} ${scheme} customer ${user} product ${item}`).toBeLessThanOrEqual(1e-12 * Math.max(1, expected));
          });
          const buyers = nearest.filter((entry) => ((values[entry.other] as number[])[0] as number) > 0).length;
          const explanation = recommender.explain(user, 0);
          expect(explanation).toBe(
            nearest.length === 0 ? 'no other customer has a basket like yours' : `bought by customers with baskets like yours (${buyers} of your ${nearest.length} nearest)`,
          );
        });
      }
    }
    expect(nonZero).toBeGreaterThan(10_000); // not vacuous
  });

  it('recommends what the most similar customers bought, saying how many of them bought it', () => {
    const interactions = buildInteractions({
      customers: ['ann', 'ann', 'ann', 'bob', 'bob', 'bob', 'cy', 'cy', 'dee'],
      products: ['heart', 'lantern', 'cakestand', 'heart', 'lantern', 'bag', 'heart', 'bird', 'bag'],
    });
    const item = (id: string): number => interactions.items.indexOf(id);
    // Products: bag, bird, cakestand, heart, lantern. ann = {heart, lantern, cakestand}: cos with bob {heart, lantern, bag}
    // = 2 / (√3 · √3) = 2/3; with cy {heart, bird} = 1 / (√3 · √2) = 0.408; with dee {bag} = 0. With 2 neighbours,
    // bag scores 2/3 / (2/3 + 0.408) = 0.620 (bob bought it), bird 0.408 / 1.075 = 0.380 (cy bought it).
    const recommender = userKnnRecommender(interactions, { neighbours: 2 });
    const cosBob = 2 / 3;
    const cosCy = 1 / (Math.sqrt(3) * Math.sqrt(2));
    expect(recommend(recommender, interactions, interactions.users.indexOf('ann'), 5)).toEqual([
      { item: item('bag'), score: expect.closeTo(cosBob / (cosBob + cosCy), 14), explanation: 'bought by customers with baskets like yours (1 of your 2 nearest)' },
      { item: item('bird'), score: expect.closeTo(cosCy / (cosBob + cosCy), 14), explanation: 'bought by customers with baskets like yours (1 of your 2 nearest)' },
    ]);
    expect(recommender.explain(interactions.users.indexOf('ann'), item('heart'))).toBe('bought by customers with baskets like yours (2 of your 2 nearest)');
    expect(recommender.name).toBe('User-kNN');
  });

  it('gives zero scores to a customer who shares no product with anyone', () => {
    const interactions = buildInteractions({ customers: ['ann', 'bob', 'bob'], products: ['heart', 'lantern', 'bag'] });
    const recommender = userKnnRecommender(interactions);
    const out = new Float64Array(3).fill(7);
    recommender.score(0, out);
    expect(Array.from(out)).toEqual([0, 0, 0]);
    expect(recommender.explain(0, 1)).toBe('no other customer has a basket like yours');
  });

  it('reports progress up to exactly 1, stops with an AbortError when cancelled, and checks its options', () => {
    const interactions = randomInteractions(7, 'user-knn', 30, 12);
    const recorder = progressRecorder();
    userKnnRecommender(interactions, { onProgress: recorder.onProgress });
    recorder.check();
    expect(() => userKnnRecommender(interactions, { signal: abortedSignal() })).toThrow(expect.objectContaining({ name: 'AbortError' }));
    expect(() => userKnnRecommender(interactions, { signal: abortedSignal() })).toThrow(/Customer similarities cancelled/);
    expect(() => userKnnRecommender(interactions, { neighbours: 2.5 })).toThrow(/neighbours must be a positive integer, got 2.5/);
    expect(() => userKnnRecommender(interactions, { labels: [] })).toThrow(/labels must name every product/);
    const recommender = userKnnRecommender(interactions);
    const users = interactions.users.length;
    expect(() => recommender.score(users, new Float64Array(interactions.items.length))).toThrow(new RegExp(`customer index ${users} is outside 0 … ${users - 1}`));
    expect(() => recommender.score(0, new Float64Array(interactions.items.length + 1))).toThrow(/one slot per product/);
  });
});
