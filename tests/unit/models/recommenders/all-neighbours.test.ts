import { describe, expect, it } from 'vitest';
import { fromTriples } from '../../../../src/models/baskets/interactions.ts';
import { type WeightingScheme, weightMatrix } from '../../../../src/models/baskets/weighting.ts';
import { allCosineNeighbours, rowsAscending } from '../../../../src/models/recommenders/all-neighbours.ts';
import { cosineNeighbours } from '../../../../src/models/recommenders/item-knn.ts';
import { userKnnRecommender } from '../../../../src/models/recommenders/user-knn.ts';
import { randomInteractions } from '../baskets/interaction-fixtures.ts';

const schemes: WeightingScheme[] = ['none', 'tfidf', 'bm25'];

describe('allCosineNeighbours', () => {
  it('gives every row the same neighbours and the same score bits as asking row by row, ties included', () => {
    let tiedLists = 0;
    for (let trial = 0; trial < 120; trial++) {
      const interactions = randomInteractions(trial, 'all-neighbours', 30, 20);
      for (const scheme of schemes) {
        for (const neighbours of [1, 3, 50]) {
          const m = weightMatrix(interactions.byItem, scheme);
          const all = allCosineNeighbours(m, neighbours);
          const nearest = cosineNeighbours(m, neighbours);
          for (let row = 0; row < m.rows; row++) {
            const one = nearest(row);
            const start = all.indptr[row]!;
            const end = all.indptr[row + 1]!;
            expect(Array.from(all.rows.subarray(start, end))).toEqual(Array.from(one.rows));
            // toEqual on numbers would pass values a last bit apart; compare the bits.
            expect(Array.from(new BigUint64Array(all.scores.slice(start, end).buffer))).toEqual(Array.from(new BigUint64Array(one.scores.slice().buffer)));
            for (let k = 1; k < one.scores.length; k++) if (one.scores[k] === one.scores[k - 1]) tiedLists++;
          }
        }
      }
    }
    expect(tiedLists).toBeGreaterThan(100); // binary rows give equal cosines, so the tie rule is exercised
  });

  it('keeps the lower rows among equal scores when the list is full', () => {
    // Five rows with the same single column: every cosine is 1, so each row keeps the two lowest other rows.
    const m = fromTriples(5, 1, [[0, 0, 1], [1, 0, 1], [2, 0, 1], [3, 0, 1], [4, 0, 1]]);
    const all = allCosineNeighbours(m, 2);
    expect(Array.from(all.rows.subarray(all.indptr[0]!, all.indptr[1]!))).toEqual([1, 2]);
    expect(Array.from(all.rows.subarray(all.indptr[4]!, all.indptr[5]!))).toEqual([0, 1]);
    expect(Array.from(all.scores)).toEqual(new Array(10).fill(1));
  });

  it('tells rows with unordered columns apart, and rejects a neighbour count below 1', () => {
    const ordered = fromTriples(2, 3, [[0, 0, 1], [0, 2, 1], [1, 1, 1]]);
    expect(rowsAscending(ordered)).toBe(true);
    expect(rowsAscending({ ...ordered, indices: Int32Array.from([2, 0, 1]) })).toBe(false);
    expect(() => allCosineNeighbours(ordered, 0)).toThrow(/neighbours must be a positive integer/);
  });

  it('user-kNN scores and explains every customer the same when it finds all neighbourhoods at once', () => {
    for (let trial = 0; trial < 40; trial++) {
      const interactions = randomInteractions(trial, 'user-knn every customer', 30, 20);
      for (const weighting of schemes) {
        const oneByOne = userKnnRecommender(interactions, { neighbours: 4, weighting });
        const atOnce = userKnnRecommender(interactions, { neighbours: 4, weighting, everyCustomer: true });
        const expected = new Float64Array(interactions.items.length);
        const actual = new Float64Array(interactions.items.length);
        for (let user = 0; user < interactions.users.length; user++) {
          oneByOne.score(user, expected);
          atOnce.score(user, actual);
          expect(Array.from(new BigUint64Array(actual.buffer))).toEqual(Array.from(new BigUint64Array(expected.buffer)));
          expect(atOnce.explain(user, 0)).toBe(oneByOne.explain(user, 0));
        }
      }
    }
  });
});
