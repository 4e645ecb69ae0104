import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/models/kit/random.ts';
import { buildInteractions, fromTriples, recommend, topN, transpose, type Recommender } from '../../../../src/models/baskets/interactions.ts';
import { dense } from './interaction-fixtures.ts';


describe('buildInteractions', () => {
  const rows = {
    customers: ['c2', 'c1', 'c2', 'c1', null, 'c3', 'c3'],
    products: ['mug', 'tea', 'mug', 'mug', 'tea', 'cake', 'cake'],
    values: Float64Array.of(10, 4, 5, 2, 99, 3, -3),
  };

  it('sums lines per customer and product, ids sorted, nulls and fully returned pairs left out', () => {
    const amount = buildInteractions(rows, 'amount');
    expect(amount.users).toEqual(['c1', 'c2', 'c3']);
    expect(amount.items).toEqual(['cake', 'mug', 'tea']);
    // c1: mug 2, tea 4; c2: mug 10 + 5; c3: cake 3 − 3 = 0, dropped.
    expect(dense(amount.byUser)).toEqual([
      [0, 2, 4],
      [0, 15, 0],
      [0, 0, 0],
    ]);
    expect(dense(amount.byItem)).toEqual([
      [0, 0, 0],
      [2, 15, 0],
      [4, 0, 0],
    ]);
  });

  it('counts each bought pair once for binary interactions', () => {
    expect(dense(buildInteractions(rows).byUser)).toEqual([
      [0, 1, 1],
      [0, 1, 0],
      [1, 0, 0],
    ]);
  });

  it('keeps a fixed catalogue and skips products outside it', () => {
    const fixed = buildInteractions(rows, 'binary', { items: ['mug', 'scarf'] });
    expect(fixed.items).toEqual(['mug', 'scarf']);
    expect(dense(fixed.byUser)).toEqual([
      [1, 0],
      [1, 0],
      [0, 0],
    ]);
  });

  it('rejects columns of different lengths and a missing value column', () => {
    expect(() => buildInteractions({ customers: ['a'], products: [] })).toThrow(/same length, got 1 and 0/);
    expect(() => buildInteractions({ customers: ['a'], products: ['x'] }, 'quantity')).toThrow(/quantity interactions need a value for every line/);
  });
});

describe('fromTriples and transpose', () => {
  it('transposes a random sparse matrix like a dense one', () => {
    const rng = new Rng(7, 'transpose');
    const triples: [number, number, number][] = [];
    for (let r = 0; r < 9; r++) for (let c = 0; c < 6; c++) if (rng.float() < 0.3) triples.push([r, c, rng.integer(1, 9)]);
    const m = fromTriples(9, 6, triples);
    const expected = dense(m);
    const t = dense(transpose(m));
    for (let r = 0; r < 9; r++) for (let c = 0; c < 6; c++) expect(t[c]![r]).toBe(expected[r]![c]);
  });

  it('rejects an entry outside the matrix or given twice', () => {
    expect(() => fromTriples(2, 2, [[2, 0, 1]])).toThrow(/outside a 2 × 2 matrix/);
    expect(() => fromTriples(2, 2, [[1, 1, 1], [1, 1, 2]])).toThrow(/given twice/);
  });
});

describe('topN', () => {
  it('equals a full sort (score desc, index asc) on random scores with many ties', () => {
    const rng = new Rng(3, 'topN');
    for (let trial = 0; trial < 50; trial++) {
      const scores = Float64Array.from({ length: rng.integer(0, 40) }, () => (rng.float() < 0.1 ? Number.NaN : rng.integer(0, 6)));
      const n = rng.integer(0, 12);
      const skip = (item: number) => item % 5 === 0;
      const expected = Array.from(scores, (score, item) => ({ item, score }))
        .filter(({ item, score }) => !Number.isNaN(score) && !skip(item))
        .sort((a, b) => b.score - a.score || a.item - b.item)
        .slice(0, n);
      expect(topN(scores, n, skip)).toEqual(expected);
    }
  });

  it('leaves out −Infinity and rejects a negative n', () => {
    expect(topN(Float64Array.of(1, Number.NEGATIVE_INFINITY, 2), 3)).toEqual([
      { item: 2, score: 2 },
      { item: 0, score: 1 },
    ]);
    expect(() => topN(new Float64Array(1), -1)).toThrow(/non-negative integer/);
  });
});

describe('recommend', () => {
  it('skips products the customer bought and explains the rest', () => {
    const interactions = buildInteractions({ customers: ['a', 'a', 'b'], products: ['x', 'z', 'y'] });
    const byIndex: Recommender = { name: 'by index', score: (_user, out) => out.forEach((_, item) => (out[item] = item)), explain: (user, item) => `${user}:${item}` };
    // Customer a (index 0) bought x (0) and z (2): only y (1) is left.
    expect(recommend(byIndex, interactions, 0, 5)).toEqual([{ item: 1, score: 1, explanation: '0:1' }]);
    expect(recommend(byIndex, interactions, 1, 2).map((r) => r.item)).toEqual([2, 0]);
  });
});
