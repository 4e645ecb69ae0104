import { describe, expect, it } from 'vitest';
import {
  averagePrecisionAtK,
  catalogueCoverage,
  evaluate,
  hitRateAtK,
  hitsAtK,
  ndcgAtK,
  precisionAtK,
  recallAtK,
  type UserRanking,
} from '../../../../src/models/recommenders/ranking-metrics.ts';

const recommended = ['a', 'b', 'c', 'd', 'e'];
const relevant = new Set(['a', 'c', 'f']);
const log2of3 = Math.log2(3);

describe('one customer, recommended [a, b, c, d, e], bought {a, c, f}', () => {
  it('at k = 5 scores the hand-worked values', () => {
    // Hits at ranks 1 and 3.
    // P = 2/5; R = 2/3.
    // AP: P@1 = 1/1, P@3 = 2/3; divided by min(5, 3) = 3 → (1 + 2/3) / 3 = 5/9.
    // DCG = 1/log2(2) + 1/log2(4) = 1 + 1/2; IDCG over min(5, 3) = 3 hits = 1 + 1/log2(3) + 1/2.
    expect(hitsAtK(recommended, relevant, 5)).toEqual([true, false, true, false, false]);
    expect(precisionAtK(recommended, relevant, 5)).toBeCloseTo(2 / 5, 15);
    expect(recallAtK(recommended, relevant, 5)).toBeCloseTo(2 / 3, 15);
    expect(averagePrecisionAtK(recommended, relevant, 5)).toBeCloseTo((1 / 1 + 2 / 3) / 3, 15);
    expect(ndcgAtK(recommended, relevant, 5)).toBeCloseTo((1 + 1 / 2) / (1 + 1 / log2of3 + 1 / 2), 15);
    expect(hitRateAtK(recommended, relevant, 5)).toBe(1);
  });

  it('at k = 2 looks only at [a, b]', () => {
    // One hit at rank 1. P = 1/2; R = 1/3; AP = (1/1) / min(2, 3) = 1/2.
    // DCG = 1; IDCG over min(2, 3) = 2 hits = 1 + 1/log2(3).
    expect(precisionAtK(recommended, relevant, 2)).toBeCloseTo(1 / 2, 15);
    expect(recallAtK(recommended, relevant, 2)).toBeCloseTo(1 / 3, 15);
    expect(averagePrecisionAtK(recommended, relevant, 2)).toBeCloseTo(1 / 2, 15);
    expect(ndcgAtK(recommended, relevant, 2)).toBeCloseTo(1 / (1 + 1 / log2of3), 15);
  });

  it('matches ml_metrics’ apk on its shape of example', () => {
    // apk([a, c, f], [a, b, c, d, e], k=3) = (1/1 + 2/3) / min(3, 3) = 5/9.
    expect(averagePrecisionAtK(recommended, relevant, 3)).toBeCloseTo(5 / 9, 15);
  });
});

describe('edge cases', () => {
  it('an empty recommendation list scores 0 everywhere', () => {
    const empty: string[] = [];
    expect(hitsAtK(empty, relevant, 5)).toEqual([]);
    expect(precisionAtK(empty, relevant, 5)).toBe(0);
    expect(recallAtK(empty, relevant, 5)).toBe(0);
    expect(averagePrecisionAtK(empty, relevant, 5)).toBe(0);
    expect(ndcgAtK(empty, relevant, 5)).toBe(0);
    expect(hitRateAtK(empty, relevant, 5)).toBe(0);
  });

  it('a list with no purchases in it scores 0 everywhere', () => {
    const misses = ['x', 'y', 'z'];
    expect(precisionAtK(misses, relevant, 3)).toBe(0);
    expect(recallAtK(misses, relevant, 3)).toBe(0);
    expect(averagePrecisionAtK(misses, relevant, 3)).toBe(0);
    expect(ndcgAtK(misses, relevant, 3)).toBe(0);
    expect(hitRateAtK(misses, relevant, 3)).toBe(0);
  });

  it('a repeated product counts once, and its copy still takes up a rank', () => {
    // [a, a, c] against {a, c}, k = 3: hits at ranks 1 and 3 only.
    // P = 2/3; R = 2/2 = 1; AP = (1/1 + 2/3) / min(3, 2) = 5/6.
    // DCG = 1 + 1/log2(4) = 1.5; IDCG over 2 hits = 1 + 1/log2(3).
    const repeated = ['a', 'a', 'c'];
    const bought = new Set(['a', 'c']);
    expect(hitsAtK(repeated, bought, 3)).toEqual([true, false, true]);
    expect(precisionAtK(repeated, bought, 3)).toBeCloseTo(2 / 3, 15);
    expect(recallAtK(repeated, bought, 3)).toBe(1);
    expect(averagePrecisionAtK(repeated, bought, 3)).toBeCloseTo(5 / 6, 15);
    expect(ndcgAtK(repeated, bought, 3)).toBeCloseTo(1.5 / (1 + 1 / log2of3), 15);
    // A list of only one product repeated cannot reach precision above 1/k.
    expect(precisionAtK(['a', 'a', 'a'], bought, 3)).toBeCloseTo(1 / 3, 15);
  });

  it('keeps k as the precision denominator when the list is shorter than k', () => {
    // [a, b] against {b}, k = 5: one hit at rank 2.
    // P = 1/5 (not 1/2); R = 1; AP = (1/2) / min(5, 1) = 1/2; NDCG = (1/log2(3)) / 1.
    const short = ['a', 'b'];
    const bought = new Set(['b']);
    expect(hitsAtK(short, bought, 5)).toEqual([false, true]);
    expect(precisionAtK(short, bought, 5)).toBeCloseTo(1 / 5, 15);
    expect(recallAtK(short, bought, 5)).toBe(1);
    expect(averagePrecisionAtK(short, bought, 5)).toBeCloseTo(1 / 2, 15);
    expect(ndcgAtK(short, bought, 5)).toBeCloseTo(1 / log2of3, 15);
  });

  it('a customer who bought nothing scores 0 (and is left out of evaluate’s means)', () => {
    const none = new Set<string>();
    expect(precisionAtK(recommended, none, 5)).toBe(0);
    expect(recallAtK(recommended, none, 5)).toBe(0);
    expect(averagePrecisionAtK(recommended, none, 5)).toBe(0);
    expect(ndcgAtK(recommended, none, 5)).toBe(0);
    expect(hitRateAtK(recommended, none, 5)).toBe(0);
  });

  it('a perfect list scores 1 on AP and NDCG', () => {
    expect(averagePrecisionAtK(['c', 'a', 'f', 'x'], relevant, 4)).toBe(1);
    expect(ndcgAtK(['c', 'a', 'f', 'x'], relevant, 4)).toBeCloseTo(1, 15);
    // k = 2 < |rel| = 3: two hits in two ranks is already ideal.
    expect(averagePrecisionAtK(['f', 'a'], relevant, 2)).toBe(1);
    expect(ndcgAtK(['f', 'a'], relevant, 2)).toBeCloseTo(1, 15);
  });

  it('rejects a cut-off that is not a positive integer, naming it', () => {
    expect(() => precisionAtK(recommended, relevant, 0)).toThrow(/k must be a positive integer, got 0/);
    expect(() => ndcgAtK(recommended, relevant, 2.5)).toThrow(/got 2.5/);
  });
});

describe('catalogueCoverage', () => {
  it('counts distinct products shown in anyone’s top k', () => {
    // Top-2 lists [a, b] and [b, c] (d is below the cut) → {a, b, c} of 10 products = 3/10.
    expect(catalogueCoverage([['a', 'b', 'd'], ['b', 'c']], 2, 10)).toBeCloseTo(3 / 10, 15);
    expect(catalogueCoverage([], 2, 10)).toBe(0);
  });

  it('rejects a catalogue size that is not positive or is smaller than what was shown', () => {
    expect(() => catalogueCoverage([['a']], 1, 0)).toThrow(/catalogueSize must be a positive integer, got 0/);
    expect(() => catalogueCoverage([['a', 'b', 'c']], 3, 2)).toThrow(/3 distinct products recommended but catalogueSize is 2/);
  });
});

describe('evaluate', () => {
  it('averages over customers who bought something and counts the others as skipped', () => {
    const users: UserRanking[] = [
      { recommended, relevant }, // P = 2/5, R = 2/3, AP = 5/9, NDCG = 1.5 / (1.5 + 1/log2 3), hit 1
      { recommended: ['x', 'y'], relevant: new Set(['y']) }, // P = 1/5, R = 1, AP = 1/2, NDCG = 1/log2 3, hit 1
      { recommended: ['z'], relevant: new Set() }, // skipped, but z counts towards coverage
    ];
    const result = evaluate(users, 5, 10);
    expect(result.k).toBe(5);
    expect(result.usersEvaluated).toBe(2);
    expect(result.usersSkipped).toBe(1);
    expect(result.precision).toBeCloseTo((2 / 5 + 1 / 5) / 2, 15);
    expect(result.recall).toBeCloseTo((2 / 3 + 1) / 2, 15);
    expect(result.meanAveragePrecision).toBeCloseTo((5 / 9 + 1 / 2) / 2, 15);
    expect(result.ndcg).toBeCloseTo((1.5 / (1.5 + 1 / log2of3) + 1 / log2of3) / 2, 15);
    expect(result.hitRate).toBe(1);
    // {a, b, c, d, e, x, y, z} = 8 of 10.
    expect(result.catalogueCoverage).toBeCloseTo(8 / 10, 15);
  });

  it('refuses to average when nobody bought anything', () => {
    expect(() => evaluate([{ recommended, relevant: new Set() }], 5, 10)).toThrow(/no customer bought anything.*1 customers given/);
    expect(() => evaluate([], 5, 10)).toThrow(/0 customers given/);
  });
});

// Brute-force restatement of the definitions, written from the formulas rather than from the module.
function bruteForce(list: readonly string[], bought: ReadonlySet<string>, k: number) {
  const top = list.slice(0, k);
  // rel(i): rank i holds a purchase that does not appear at an earlier rank.
  const rel = (rank: number): number => (rank <= top.length && bought.has(top[rank - 1] as string) && top.indexOf(top[rank - 1] as string) === rank - 1 ? 1 : 0);
  const intersection = (n: number): number => [...new Set(top.slice(0, n))].filter((item) => bought.has(item)).length;
  const ranks = Array.from({ length: k }, (_, index) => index + 1);
  const precision = intersection(k) / k;
  const recall = bought.size === 0 ? 0 : intersection(k) / bought.size;
  const ap = bought.size === 0 ? 0 : ranks.reduce((sum, i) => sum + (intersection(i) / i) * rel(i), 0) / Math.min(k, bought.size);
  const dcg = ranks.reduce((sum, i) => sum + rel(i) / Math.log2(i + 1), 0);
  const ideal = ranks.reduce((sum, i) => sum + (i <= bought.size ? 1 : 0) / Math.log2(i + 1), 0);
  const ndcg = bought.size === 0 ? 0 : dcg / ideal;
  const hit = intersection(k) > 0 ? 1 : 0;
  return { precision, recall, ap, ndcg, hit };
}

// Mulberry32: a small seeded generator so the random cases are the same on every run.
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('against the brute-force restatement', () => {
  it('agrees on 500 random lists with repeats, short lists and empty purchase sets', () => {
    const random = seeded(20021001);
    const products = Array.from({ length: 12 }, (_, index) => `sku-${index}`);
    const pick = (): string => products[Math.floor(random() * products.length)] as string;
    for (let trial = 0; trial < 500; trial++) {
      const list = Array.from({ length: Math.floor(random() * 10) }, pick);
      const bought = new Set(Array.from({ length: Math.floor(random() * 6) }, pick));
      const k = 1 + Math.floor(random() * 8);
      const expected = bruteForce(list, bought, k);
      const context = `list ${JSON.stringify(list)}, bought ${JSON.stringify([...bought])}, k ${k}`;
      expect(precisionAtK(list, bought, k), context).toBeCloseTo(expected.precision, 12);
      expect(recallAtK(list, bought, k), context).toBeCloseTo(expected.recall, 12);
      expect(averagePrecisionAtK(list, bought, k), context).toBeCloseTo(expected.ap, 12);
      expect(ndcgAtK(list, bought, k), context).toBeCloseTo(expected.ndcg, 12);
      expect(hitRateAtK(list, bought, k), context).toBe(expected.hit);
    }
  });
});
