import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/models/kit/random.ts';
import { buildTransactions } from '../../../../src/models/baskets/basket.ts';
import { buildInteractions, fromTriples, recommend } from '../../../../src/models/baskets/interactions.ts';
import { findProduct, itemKnnRecommender, itemSimilarities, similarProducts } from '../../../../src/models/recommenders/item-knn.ts';
import { oftenBoughtWith, oftenBoughtWithEach } from '../../../../src/models/recommenders/bought-with.ts';
import { type WeightingScheme, weightMatrix } from '../../../../src/models/baskets/weighting.ts';
import { abortedSignal, progressRecorder } from '../segmentation/segmentation-fixtures.ts';
import { dense, naiveCosine, randomInteractions } from '../baskets/interaction-fixtures.ts';




/** Every other row with a positive cosine, by a full sort: cosine descending, then row ascending. */
function naiveNeighbours(x: number[][], i: number): { item: number; score: number }[] {
  return x
    .map((_, j) => ({ item: j, score: naiveCosine(x, i, j) }))
    .filter((entry) => entry.item !== i && entry.score > 0)
    .sort((a, b) => b.score - a.score || a.item - b.item);
}

const schemes: WeightingScheme[] = ['none', 'tfidf', 'bm25'];

describe('itemSimilarities', () => {
  it('equals the naive dense cosine for every pair, and keeps exactly the top k of a full sort', () => {
    let pairs = 0;
    for (let trial = 0; trial < 150; trial++) {
      const interactions = randomInteractions(trial, 'item-knn', 25, 15);
      for (const scheme of schemes) {
        const weighted = weightMatrix(interactions.byItem, scheme);
        const x = dense(weighted);
        const all = itemSimilarities(weighted, { neighbours: x.length });
        const top3 = itemSimilarities(weighted, { neighbours: 3 });
        x.forEach((_, item) => {
          const expected = naiveNeighbours(x, item);
          const actual = similarProducts(all, item, x.length);
          const what = `trial ${trial} ${scheme} product ${item}`;
          expect(actual.map((entry) => entry.item), what).toEqual(expected.map((entry) => entry.item));
          actual.forEach((entry, k) => expect(Math.abs(entry.score - (expected[k] as { score: number }).score), what).toBeLessThanOrEqual(1e-12));
          expect(similarProducts(top3, item, 10), what).toEqual(actual.slice(0, 3));
          pairs += actual.length;
        });
      }
    }
    expect(pairs).toBeGreaterThan(5_000); // not vacuous
  });

  it('gives a hand-checked example: two customers share a heart and a lantern, one a heart and a cakestand', () => {
    // Columns are customers a, b, c; heart = [1 1 1], lantern = [1 1 0], cakestand = [0 0 1], bag = [0 0 0].
    // cos(heart, lantern) = 2 / (√3 · √2) = 0.816496580927726; cos(heart, cakestand) = 1 / √3 = 0.5773502691896258.
    const byItem = fromTriples(4, 3, [[0, 0, 1], [0, 1, 1], [0, 2, 1], [1, 0, 1], [1, 1, 1], [2, 2, 1]]);
    const similarities = itemSimilarities(byItem, { neighbours: 5 });
    expect(similarProducts(similarities, 0, 5)).toEqual([{ item: 1, score: expect.closeTo(0.816496580927726, 15) }, { item: 2, score: expect.closeTo(0.5773502691896258, 15) }]);
    expect(similarProducts(similarities, 1, 5)).toEqual([{ item: 0, score: expect.closeTo(0.816496580927726, 15) }]); // lantern and cakestand share no customer
    expect(similarProducts(similarities, 3, 5)).toEqual([]); // nobody bought the bag
    expect(similarProducts(similarities, 0, 1)).toHaveLength(1);
    expect(() => similarProducts(similarities, 4, 1)).toThrow(/product index 4 is outside 0 … 3/);
    expect(() => itemSimilarities(byItem, { neighbours: 0 })).toThrow(/neighbours must be a positive integer, got 0/);
  });

  it('reports progress up to exactly 1 and stops with an AbortError when cancelled', () => {
    const rng = new Rng(3, 'item-knn progress');
    const triples: [number, number, number][] = [];
    for (let u = 0; u < 200; u++) for (let i = 0; i < 300; i++) if (rng.chance(0.05)) triples.push([i, u, 1]);
    const byItem = fromTriples(300, 200, triples);
    const recorder = progressRecorder();
    itemSimilarities(byItem, { neighbours: 10, onProgress: recorder.onProgress });
    recorder.check();
    expect(recorder.fractions.length).toBeGreaterThan(10);
    expect(() => itemSimilarities(byItem, { neighbours: 10, signal: abortedSignal() })).toThrow(expect.objectContaining({ name: 'AbortError' }));
    const controller = new AbortController();
    expect(() => itemSimilarities(byItem, { neighbours: 10, signal: controller.signal, onProgress: () => controller.abort() })).toThrow(/Product similarities cancelled/);
  });
});

describe('itemKnnRecommender', () => {
  it('scores a customer’s products as Σ value(bought) · cosine over each bought product’s k nearest, like a naive dense product', () => {
    for (let trial = 0; trial < 100; trial++) {
      const interactions = randomInteractions(1000 + trial, 'item-knn', 25, 15);
      const labels = interactions.items;
      const users = dense(interactions.byUser);
      for (const scheme of schemes) {
        const neighbours = 1 + (trial % 4);
        const recommender = itemKnnRecommender(interactions, { neighbours, weighting: scheme, labels });
        const x = dense(weightMatrix(interactions.byItem, scheme));
        // S[j][c]: cosine(j, c) if c is among j's k nearest, else 0.
        const kept = x.map((_, j) => new Map(naiveNeighbours(x, j).slice(0, neighbours).map((entry) => [entry.item, entry.score])));
        const out = new Float64Array(labels.length);
        users.forEach((row, user) => {
          recommender.score(user, out);
          labels.forEach((_, candidate) => {
            const expected = row.reduce((sum, value, j) => sum + value * ((kept[j] as Map<number, number>).get(candidate) ?? 0), 0);
            expect(Math.abs((out[candidate] as number) - expected), `trial ${trial} ${scheme} customer ${user} product ${candidate}`).toBeLessThanOrEqual(1e-12 * Math.max(1, expected));
          });
        });
      }
    }
  });

  it('recommends the lantern to a heart buyer, naming the heart and the cosine', () => {
    const interactions = buildInteractions({
      customers: ['ann', 'ann', 'bob', 'bob', 'cy', 'cy', 'dee', 'eve'],
      products: ['85123A', '71053', '85123A', '71053', '85123A', '22423', '85123A', '84879'],
    });
    const descriptions: Record<string, string> = {
      '85123A': 'WHITE HANGING HEART T-LIGHT HOLDER',
      '71053': 'WHITE METAL LANTERN',
      '22423': 'REGENCY CAKESTAND 3 TIER',
      '84879': 'ASSORTED COLOUR BIRD ORNAMENT',
    };
    const labels = interactions.items.map((id) => descriptions[id] as string);
    const item = (id: string): number => interactions.items.indexOf(id);
    const user = (id: string): number => interactions.users.indexOf(id);
    const recommender = itemKnnRecommender(interactions, { labels });
    expect(recommender.similarities.neighbours).toBe(20);
    // dee bought only the heart (bought by 4); the lantern shares both its buyers with it: 2 / (√4 · √2) = 0.7071;
    // the cakestand its one buyer: 1 / (√4 · √1) = 0.5. Nothing links the bird ornament to the heart: score 0.
    expect(recommend(recommender, interactions, user('dee'), 2)).toEqual([
      { item: item('71053'), score: expect.closeTo(Math.SQRT1_2, 15), explanation: 'similar to WHITE HANGING HEART T-LIGHT HOLDER, which you bought (cosine 0.71)' },
      { item: item('22423'), score: 0.5, explanation: 'similar to WHITE HANGING HEART T-LIGHT HOLDER, which you bought (cosine 0.50)' },
    ]);
    // ann bought the heart and the lantern; the cakestand is a neighbour of the heart only.
    expect(recommender.explain(user('ann'), item('22423'))).toBe('similar to WHITE HANGING HEART T-LIGHT HOLDER, which you bought (cosine 0.50)');
    expect(recommender.explain(user('dee'), item('84879'))).toBe('not among the products most similar to what you bought');
    expect(() => itemKnnRecommender(interactions, { labels: ['one'] })).toThrow(/labels must name every product \(4\), got 1/);
    expect(() => recommender.score(9, new Float64Array(4))).toThrow(/customer index 9 is outside 0 … 4/);
    expect(() => recommender.score(0, new Float64Array(3))).toThrow(/one slot per product \(4\), got 3/);
  });
});

describe('findProduct', () => {
  const catalogue: [string, string][] = [
    ['85123A', 'WHITE HANGING HEART T-LIGHT HOLDER'],
    ['71053', 'WHITE METAL LANTERN'],
    ['84406B', 'CREAM CUPID HEARTS COAT HANGER'],
    ['85099B', 'JUMBO BAG RED RETROSPOT'],
    ['85099C', 'JUMBO  BAG BAROQUE BLACK WHITE'],
    ['22423', 'REGENCY CAKESTAND 3 TIER'],
    ['21733', 'RED HANGING HEART T-LIGHT HOLDER'],
    ['22386', 'JUMBO BAG PINK POLKADOT'],
    ['20725', 'LUNCH BAG RED RETROSPOT'],
    ['84879', 'ASSORTED COLOUR BIRD ORNAMENT'],
  ];
  const ids = catalogue.map(([id]) => id);
  const descriptions = catalogue.map(([, description]) => description);
  const find = (query: string): [string, string] | undefined => {
    const found = findProduct(query, ids, descriptions);
    return found === undefined ? undefined : [descriptions[found.index] as string, found.match];
  };

  it('finds a stock code regardless of case', () => {
    expect(find('85123a')).toEqual(['WHITE HANGING HEART T-LIGHT HOLDER', 'code']);
    expect(find(' 22423 ')).toEqual(['REGENCY CAKESTAND 3 TIER', 'code']);
  });

  it('finds a description, whole or in part, preferring the shortest, then the first', () => {
    expect(find('white metal lantern')).toEqual(['WHITE METAL LANTERN', 'description']);
    expect(find('jumbo bag baroque')).toEqual(['JUMBO  BAG BAROQUE BLACK WHITE', 'description']); // spaces collapsed
    expect(find('cakestand')).toEqual(['REGENCY CAKESTAND 3 TIER', 'description']);
    expect(find('hanging heart t-light holder')).toEqual(['RED HANGING HEART T-LIGHT HOLDER', 'description']); // 32 characters beat 34
    expect(find('bag red retrospot')).toEqual(['JUMBO BAG RED RETROSPOT', 'description']); // as long as LUNCH BAG…, and first
  });

  it('finds a description from most of its words, misspelt, run together or out of order', () => {
    expect(find('white heart t-light')).toEqual(['WHITE HANGING HEART T-LIGHT HOLDER', 'fuzzy']);
    expect(find('JUMBO BAG REDRETROSPOT')).toEqual(['JUMBO BAG RED RETROSPOT', 'fuzzy']);
    expect(find('jumbo bag redretrospt')).toEqual(['JUMBO BAG RED RETROSPOT', 'fuzzy']);
    expect(find('jumbo bag red retrospt')).toEqual(['JUMBO BAG RED RETROSPOT', 'fuzzy']);
    expect(find('regency cakestnd')).toEqual(['REGENCY CAKESTAND 3 TIER', 'fuzzy']);
    expect(find('lantern metal')).toEqual(['WHITE METAL LANTERN', 'fuzzy']);
  });

  it('returns undefined when nothing is close', () => {
    expect(find('garden gnome')).toBeUndefined();
    expect(find('jumbo gnome kit')).toBeUndefined(); // 1 word of 3
    expect(find('')).toBeUndefined();
    expect(find('  ')).toBeUndefined();
    expect(find('--')).toBeUndefined();
    expect(() => findProduct('x', ['a'], [])).toThrow(/same length, got 1 and 0/);
  });
});

describe('oftenBoughtWith', () => {
  // The textbook baskets (Tan, Steinbach & Kumar, table 6.1); items sorted: beer, bread, cola, diapers, eggs, milk.
  const textbook = buildTransactions(
    ['t1', 't1', 't2', 't2', 't2', 't2', 't3', 't3', 't3', 't3', 't4', 't4', 't4', 't4', 't5', 't5', 't5', 't5'],
    ['bread', 'milk', 'bread', 'diapers', 'beer', 'eggs', 'milk', 'diapers', 'beer', 'cola', 'bread', 'milk', 'diapers', 'beer', 'bread', 'milk', 'diapers', 'cola'],
  );
  const named = (item: number): string => textbook.items[item] as string;

  it('ranks by lift, then count, then index, leaving out pairs in fewer than minCount baskets', () => {
    const beer = textbook.items.indexOf('beer');
    // Beer is in 3 of 5 baskets (t2, t3, t4). Diapers: all 3, in 4 baskets → lift 3·5/(3·4) = 1.25, confidence 1.
    // Bread and milk: 2 each, in 4 → 2·5/(3·4) = 5/6; cola: 1, in 2 → 1·5/(3·2) = 5/6, behind on count; eggs: 1, in 1 → 5/3.
    expect(oftenBoughtWith(textbook, beer, 10, { minCount: 1 }).map((entry) => [named(entry.item), entry.count, entry.confidence, entry.lift])).toEqual([
      ['eggs', 1, 1 / 3, 5 / 3],
      ['diapers', 3, 1, 1.25],
      ['bread', 2, 2 / 3, 5 / 6],
      ['milk', 2, 2 / 3, 5 / 6],
      ['cola', 1, 1 / 3, 5 / 6],
    ]);
    expect(oftenBoughtWith(textbook, beer, 10).map((entry) => named(entry.item))).toEqual(['diapers', 'bread', 'milk']); // default minCount 2
    expect(oftenBoughtWith(textbook, beer, 1).map((entry) => named(entry.item))).toEqual(['diapers']);
    expect(oftenBoughtWith(textbook, beer, 0)).toEqual([]);
  });

  it('matches direct counting on random baskets', () => {
    let checked = 0;
    for (let trial = 0; trial < 100; trial++) {
      const rng = new Rng(trial, 'often bought with');
      const basketIds: string[] = [];
      const itemIds: string[] = [];
      const itemCount = rng.integer(2, 10);
      for (let basket = 0; basket < rng.integer(1, 40); basket++) {
        for (let item = 0; item < itemCount; item++) {
          if (rng.chance(0.35)) {
            basketIds.push(`inv${basket}`);
            itemIds.push(`p${item}`);
          }
        }
      }
      const transactions = buildTransactions(basketIds, itemIds);
      const baskets = transactions.baskets.map((basket) => new Set(basket));
      const holding = (...items: number[]): number => baskets.filter((basket) => items.every((item) => basket.has(item))).length;
      const minCount = rng.integer(1, 3);
      transactions.items.forEach((_, item) => {
        const expected = transactions.items
          .map((__, other) => ({ item: other, count: holding(item, other), own: holding(item), theirs: holding(other) }))
          .filter((entry) => entry.item !== item && entry.count >= minCount)
          .map((entry) => ({ item: entry.item, count: entry.count, confidence: entry.count / entry.own, lift: (entry.count * baskets.length) / (entry.own * entry.theirs) }))
          .sort((a, b) => b.lift - a.lift || b.count - a.count || a.item - b.item);
        expect(oftenBoughtWith(transactions, item, 100, { minCount }), `trial ${trial} item ${item}`).toEqual(expected);
        checked += expected.length;
      });
      const n = rng.integer(0, 4);
      expect(oftenBoughtWithEach(transactions, n, { minCount }), `trial ${trial}`).toEqual(transactions.items.map((_, item) => oftenBoughtWith(transactions, item, n, { minCount })));
    }
    expect(checked).toBeGreaterThan(1_000);
  });

  it('reports progress for every product at once, and stops with an AbortError when cancelled', () => {
    const recorder = progressRecorder();
    // bread: diapers and milk both 3 of its 4 baskets, lift 3·5/(4·4) = 15/16, so the lower index; beer: diapers (1.25);
    // cola: diapers and milk both 2 of 2, lift 2·5/(2·4) = 1.25; diapers: beer (3 baskets) and cola (2) both at lift 1.25,
    // so beer on count; eggs: no product shares 2 baskets with it; milk: cola at 1.25.
    expect(oftenBoughtWithEach(textbook, 1, { onProgress: recorder.onProgress }).map((list) => list.map((entry) => named(entry.item)))).toEqual([
      ['diapers'], ['diapers'], ['diapers'], ['beer'], [], ['cola'],
    ]);
    recorder.check();
    expect(() => oftenBoughtWithEach(textbook, 1, { signal: abortedSignal() })).toThrow(/Products bought together cancelled/);
  });

  it('checks its arguments, naming the bad value', () => {
    expect(() => oftenBoughtWithEach(textbook, 1.5)).toThrow(/n must be a non-negative integer, got 1.5/);
    expect(() => oftenBoughtWith(textbook, 6, 5)).toThrow(/product index 6 is outside 0 … 5/);
    expect(() => oftenBoughtWith(textbook, 0, -1)).toThrow(/n must be a non-negative integer, got -1/);
    expect(() => oftenBoughtWith(textbook, 0, 5, { minCount: 0 })).toThrow(/minCount must be a positive integer, got 0/);
  });
});
