import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/models/kit/random.ts';
import { scoreAll, transposeFactors } from '../../../../src/models/recommenders/factor-scores.ts';
import { lastScoresKept } from '../../../../src/models/recommenders/recommenders.ts';
import type { Recommender } from '../../../../src/models/baskets/interactions.ts';

describe('scoreAll', () => {
  it('gives every item the dot product of its factors with the customer\'s, on random matrices of awkward sizes', () => {
    const rng = new Rng(7, 'factor scores');
    for (const [items, f] of [[1, 1], [5, 3], [37, 4], [101, 7], [260, 64]] as const) {
      const itemFactors = Float64Array.from({ length: items * f }, () => rng.normal());
      const users = Float64Array.from({ length: 3 * f }, () => rng.normal());
      const byFactor = transposeFactors(itemFactors, items, f);
      const out = new Float64Array(items).fill(Number.NaN);
      for (let user = 0; user < 3; user++) {
        scoreAll(byFactor, items, f, users, user * f, out);
        for (let item = 0; item < items; item++) {
          let dot = 0;
          let scale = 0;
          for (let a = 0; a < f; a++) {
            dot += itemFactors[item * f + a]! * users[user * f + a]!;
            scale += Math.abs(itemFactors[item * f + a]! * users[user * f + a]!);
          }
          expect(Math.abs(out[item]! - dot), `${items} × ${f}, user ${user}, item ${item}`).toBeLessThanOrEqual(1e-12 * Math.max(1, scale));
        }
      }
    }
  });
});

describe('lastScoresKept', () => {
  const counting = () => {
    const calls: number[] = [];
    const inner: Recommender = {
      name: 'counting',
      score(user, out) {
        if (out.length !== 4) throw new RangeError(`scores need 4 slots, got ${out.length}`);
        calls.push(user);
        for (let item = 0; item < 4; item++) out[item] = 10 * user + item;
      },
      explain: (user, item) => `${user}:${item}`,
    };
    return { calls, kept: lastScoresKept(inner, 4) };
  };

  it('scores a customer once while they are the last one asked about, and gives the same scores each time', () => {
    const { calls, kept } = counting();
    const first = new Float64Array(4);
    const again = new Float64Array(4).fill(-1);
    kept.score(2, first);
    kept.score(2, again);
    expect(Array.from(first)).toEqual([20, 21, 22, 23]);
    expect(Array.from(again)).toEqual([20, 21, 22, 23]);
    kept.score(3, again);
    kept.score(2, again);
    expect(Array.from(again)).toEqual([20, 21, 22, 23]);
    expect(calls).toEqual([2, 3, 2]);
    expect(kept.explain(2, 1)).toBe('2:1');
    expect(kept.name).toBe('counting');
  });

  it('passes a wrong-sized array to the recommender, which names the problem', () => {
    const { kept } = counting();
    expect(() => kept.score(0, new Float64Array(3))).toThrow(/scores need 4 slots, got 3/);
  });
});
