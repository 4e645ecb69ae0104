import { describe, expect, it } from 'vitest';
import { DEFAULT_POPULARITY_WEIGHT, contentRecommender, similarByContent, tfidfVectors, tokenize } from '../../../../src/models/recommenders/content.ts';
import { buildInteractions, recommend } from '../../../../src/models/baskets/interactions.ts';
import { abortedSignal, progressRecorder } from '../segmentation/segmentation-fixtures.ts';

// Three products (ids sort as their indices): RED HEART, WHITE HEART, WHITE MUG.
// Document frequencies over n = 3: red 1, heart 2, white 2, mug 1.
// idf = ln((1 + n) / (1 + df)) + 1 → df 1: a = ln 2 + 1; df 2: b = ln(4/3) + 1.
const a = Math.log(2) + 1;
const b = Math.log(4 / 3) + 1;
const N = Math.hypot(a, b); // length of RED HEART = (a, b) and of WHITE MUG = (b, a) before normalising
const products = ['p0', 'p1', 'p2'];
const descriptions = ['RED HEART', 'WHITE HEART', 'WHITE MUG'];

const interactionsOf = (lines: [string, string, number][], value: 'binary' | 'quantity' = 'binary') =>
  buildInteractions({ customers: lines.map((line) => line[0]), products: lines.map((line) => line[1]), values: lines.map((line) => line[2]) }, value, { items: products });

describe('tokenize', () => {
  it('lower-cases, keeps hyphenated words, drops 1-character words and stop words', () => {
    expect(tokenize('WHITE HANGING HEART T-LIGHT HOLDER')).toEqual(['white', 'hanging', 'heart', 't-light', 'holder']);
    expect(tokenize('SET OF 3 CAKE TINS, PANTRY DESIGN')).toEqual(['set', 'cake', 'tins', 'pantry', 'design']);
    expect(tokenize("CHILDREN'S APRON 12 A")).toEqual(["children's", 'apron', '12']);
    expect(tokenize('')).toEqual([]);
  });
});

describe('tfidfVectors', () => {
  it('weights words as scikit-learn’s smooth idf and normalises each product', () => {
    const { terms, idf, byItem } = tfidfVectors(descriptions);
    expect(terms).toEqual(['heart', 'mug', 'red', 'white']);
    expect(Array.from(idf)).toEqual([b, a, a, b].map((x) => expect.closeTo(x, 14)));
    // RED HEART = (heart b, red a) / N.
    expect(Array.from(byItem.indices.subarray(0, 2))).toEqual([0, 2]);
    expect(byItem.data[0]).toBeCloseTo(b / N, 14);
    expect(byItem.data[1]).toBeCloseTo(a / N, 14);
    // WHITE HEART = (heart b, white b) / (b √2) = (1/√2, 1/√2).
    expect(byItem.data[2]).toBeCloseTo(Math.SQRT1_2, 14);
    expect(byItem.data[3]).toBeCloseTo(Math.SQRT1_2, 14);
  });

  it('adds the category as one term, shared by every product in it', () => {
    // MUG, BOWL both in Kitchen over n = 2: mug and bowl df 1 → c = ln(3/2) + 1; category:kitchen df 2 → ln(3/3) + 1 = 1.
    // cos = (1 · 1) / (c² + 1).
    const c = Math.log(3 / 2) + 1;
    const vectors = tfidfVectors(['MUG', 'BOWL'], ['Kitchen', 'kitchen']);
    expect(vectors.terms).toEqual(['bowl', 'category:kitchen', 'mug']);
    expect(similarByContent(vectors, 0, 1)).toEqual([{ item: 1, score: expect.closeTo(1 / (c * c + 1), 14) }]);
  });

  it('leaves a product without words as a zero row and rejects mismatched categories', () => {
    const vectors = tfidfVectors(['MUG', null, 'A']);
    expect(Array.from(vectors.byItem.indptr)).toEqual([0, 1, 1, 1]);
    expect(() => tfidfVectors(['MUG'], ['kitchen', 'garden'])).toThrow(/categories must have one entry per product \(1\), got 2/);
  });
});

describe('contentRecommender', () => {
  it('scores the cosine between the customer’s profile and each product', () => {
    const recommender = contentRecommender(interactionsOf([['ann', 'p0', 1]]), { descriptions, popularityWeight: 0 });
    const scores = new Float64Array(3);
    recommender.score(0, scores);
    // Profile = RED HEART. cos(RED HEART, WHITE HEART) = (b/N)(1/√2); WHITE MUG shares nothing.
    expect(scores[0]).toBeCloseTo(1, 14);
    expect(scores[1]).toBeCloseTo(b / (N * Math.SQRT2), 14);
    expect(scores[2]).toBe(0);
  });

  it('sums the bought products into one profile before normalising', () => {
    const recommender = contentRecommender(interactionsOf([['ann', 'p0', 1], ['ann', 'p2', 1]]), { descriptions, popularityWeight: 0 });
    const scores = new Float64Array(3);
    recommender.score(0, scores);
    // RED HEART + WHITE MUG = (heart b, mug a, red a, white b) / N, of length √2 (the two are orthogonal).
    // WHITE HEART · profile = (b/√2 + b/√2) / (N √2) = b / N; RED HEART · profile = (b² + a²) / (N² √2) = 1/√2.
    expect(scores[1]).toBeCloseTo(b / N, 14);
    expect(scores[0]).toBeCloseTo(Math.SQRT1_2, 14);
    expect(scores[2]).toBeCloseTo(Math.SQRT1_2, 14);
  });

  it('weights each bought product by its interaction value', () => {
    const recommender = contentRecommender(interactionsOf([['ann', 'p0', 2], ['ann', 'p2', 1]], 'quantity'), { descriptions, popularityWeight: 0 });
    const scores = new Float64Array(3);
    recommender.score(0, scores);
    // Profile 2·RED HEART + WHITE MUG has length √(4 + 1); WHITE HEART · it = (2 + 1) · b / (N √2).
    expect(scores[1]).toBeCloseTo((3 * b) / (N * Math.SQRT2 * Math.sqrt(5)), 14);
    expect(scores[0]).toBeCloseTo(2 / Math.sqrt(5), 14);
  });

  it('agrees with a dense brute-force TF-IDF cosine on a small catalogue', () => {
    const catalogue = ['WHITE HANGING HEART T-LIGHT HOLDER', 'RED HANGING HEART T-LIGHT HOLDER', 'HEART OF WICKER SMALL', 'JUMBO BAG RED RETROSPOT', 'LUNCH BAG RED RETROSPOT', 'SET OF 3 CAKE TINS PANTRY DESIGN', 'PACK OF 72 RETROSPOT CAKE CASES', 'WHITE METAL LANTERN'];
    const categories = ['home', 'home', 'home', 'bags', 'bags', 'kitchen', 'kitchen', null];
    const items = catalogue.map((_, index) => `p${index}`);
    const lines: [string, string][] = [['ann', 'p0'], ['ann', 'p3'], ['bob', 'p5'], ['bob', 'p6'], ['bob', 'p2'], ['cy', 'p7']];
    const interactions = buildInteractions({ customers: lines.map((line) => line[0]), products: lines.map((line) => line[1]) }, 'binary', { items });
    const recommender = contentRecommender(interactions, { descriptions: catalogue, categories, popularityWeight: 0 });
    // Dense reference written from the definitions.
    const documents = catalogue.map((text, index) => [...tokenize(text), ...(categories[index] ? [`category:${categories[index]}`] : [])]);
    const vocabulary = [...new Set(documents.flat())];
    const idf = vocabulary.map((term) => Math.log((1 + documents.length) / (1 + documents.filter((document) => document.includes(term)).length)) + 1);
    const unit = (vector: number[]): number[] => {
      const length = Math.hypot(...vector);
      return vector.map((x) => (length === 0 ? 0 : x / length));
    };
    const dense = documents.map((document) => unit(vocabulary.map((term, t) => document.filter((word) => word === term).length * (idf[t] as number))));
    const scores = new Float64Array(items.length);
    interactions.users.forEach((customer, user) => {
      const bought = lines.filter((line) => line[0] === customer).map((line) => Number(line[1].slice(1)));
      const profile = unit(vocabulary.map((_, t) => bought.reduce((sum, item) => sum + (dense[item]?.[t] as number), 0)));
      recommender.score(user, scores);
      dense.forEach((vector, item) => {
        const expected = vector.reduce((sum, x, t) => sum + x * (profile[t] as number), 0);
        expect(scores[item], `${customer}, product ${item}`).toBeCloseTo(expected, 12);
      });
    });
  });

  it('explains with the closest bought product and the shared terms that weigh most', () => {
    const catalogue = ['WHITE HANGING HEART T-LIGHT HOLDER', 'HEART T-LIGHT CANDLE', 'WHITE MUG', 'HEART CUSHION'];
    const items = ['p0', 'p1', 'p2', 'p3'];
    const interactions = buildInteractions({ customers: ['ann', 'ann', 'bob'], products: ['p0', 'p2', 'p2'] }, 'binary', { items });
    const recommender = contentRecommender(interactions, { descriptions: catalogue });
    // HEART T-LIGHT CANDLE shares heart (df 3) and t-light (df 2) with the holder and nothing with the mug;
    // t-light's higher idf makes it the heavier shared term.
    expect(recommender.explain(0, 1)).toBe('shares "t-light", "heart" with WHITE HANGING HEART T-LIGHT HOLDER, which you bought');
    expect(recommend(recommender, interactions, 0, 1)[0]).toMatchObject({ item: 1, explanation: expect.stringContaining('T-LIGHT HOLDER') });
    // bob bought only the mug, which shares no word with the cushion.
    expect(recommender.explain(1, 3)).toBe('its description shares no words with anything you bought');
  });

  it('names a shared category as such', () => {
    const interactions = buildInteractions({ customers: ['ann'], products: ['p0'] }, 'binary', { items: ['p0', 'p1'] });
    const recommender = contentRecommender(interactions, { descriptions: ['MUG', 'BOWL'], categories: ['Kitchen', 'Kitchen'] });
    expect(recommender.explain(0, 1)).toBe('shares the category "kitchen" with MUG, which you bought');
  });

  it('blends the cosine with the training popularity as (1 − w) · cosine + w · customers / most customers', () => {
    // ann bought RED HEART; bob, cy and dee bought WHITE MUG. Customers per product 1, 0, 3 → prior 1/3, 0, 1.
    const interactions = interactionsOf([['ann', 'p0', 1], ['bob', 'p2', 1], ['cy', 'p2', 1], ['dee', 'p2', 1]]);
    const cosine = b / (N * Math.SQRT2); // RED HEART · WHITE HEART ≈ 0.428; WHITE MUG shares nothing with RED HEART
    const scoresAt = (popularityWeight?: number): number[] => {
      const scores = new Float64Array(3);
      contentRecommender(interactions, { descriptions, ...(popularityWeight === undefined ? {} : { popularityWeight }) }).score(0, scores);
      return Array.from(scores);
    };
    expect(DEFAULT_POPULARITY_WEIGHT).toBe(0.35);
    expect(scoresAt()).toEqual([0.65 + 0.35 / 3, 0.65 * cosine, 0.35].map((x) => expect.closeTo(x, 14)));
    // 0.65 · 0.428 ≈ 0.278 < 0.35: the default puts the best-seller first; at w = 0.2, 0.8 · 0.428 ≈ 0.342 > 0.2 keeps the look-alike first.
    const recommended = (popularityWeight?: number) => {
      const recommender = contentRecommender(interactions, { descriptions, ...(popularityWeight === undefined ? {} : { popularityWeight }) });
      return recommend(recommender, interactions, 0, 2).map(({ item }) => item);
    };
    expect(recommended()).toEqual([2, 1]);
    expect(recommended(0.2)).toEqual([1, 2]);
    expect(scoresAt(0.2)).toEqual([0.8 + 0.2 / 3, 0.8 * cosine, 0.2].map((x) => expect.closeTo(x, 14)));
    expect(scoresAt(1)).toEqual([1 / 3, 0, 1].map((x) => expect.closeTo(x, 14)));
    expect(() => contentRecommender(interactions, { descriptions, popularityWeight: 1.5 })).toThrow(/popularityWeight must be a number from 0 to 1, got 1.5/);
    expect(() => contentRecommender(interactions, { descriptions, popularityWeight: Number.NaN })).toThrow(/popularityWeight must be a number from 0 to 1, got NaN/);
  });

  it('explains a product the popularity prior alone put in the list by its customers', () => {
    const interactions = interactionsOf([['ann', 'p0', 1], ['bob', 'p2', 1], ['cy', 'p2', 1]]);
    const recommender = contentRecommender(interactions, { descriptions });
    expect(recommend(recommender, interactions, 0, 2).map(({ item, explanation }) => [item, explanation])).toEqual([
      [2, 'bought by 2 customers; its description shares no words with anything you bought'],
      [1, 'shares "heart" with RED HEART, which you bought'],
    ]);
    expect(contentRecommender(interactions, { descriptions, popularityWeight: 0 }).explain(0, 2)).toBe('its description shares no words with anything you bought');
  });

  it('finds products similar to one product, ties by index, itself left out', () => {
    const recommender = contentRecommender(interactionsOf([['ann', 'p0', 1]]), { descriptions });
    // WHITE HEART is as close to RED HEART as to WHITE MUG: b / (N √2) each.
    expect(recommender.similar(1, 5)).toEqual([
      { item: 0, score: expect.closeTo(b / (N * Math.SQRT2), 14) },
      { item: 2, score: expect.closeTo(b / (N * Math.SQRT2), 14) },
    ]);
    expect(() => recommender.similar(3, 1)).toThrow(/item must be an index below 3, got 3/);
  });

  it('scores 0 for a customer with no purchases', () => {
    const interactions = buildInteractions({ customers: ['ann'], products: ['p9'] }, 'binary', { users: ['ann', 'bob'], items: products });
    const scores = new Float64Array(3).fill(7);
    contentRecommender(interactions, { descriptions }).score(1, scores);
    expect(Array.from(scores)).toEqual([0, 0, 0]);
  });

  it('reports progress to 1, stops when cancelled and rejects a wrong number of descriptions', () => {
    const interactions = interactionsOf([['ann', 'p0', 1]]);
    const recorder = progressRecorder();
    contentRecommender(interactions, { descriptions, onProgress: recorder.onProgress });
    recorder.check();
    expect(() => contentRecommender(interactions, { descriptions, signal: abortedSignal() })).toThrow(expect.objectContaining({ name: 'AbortError' }));
    expect(() => contentRecommender(interactions, { descriptions: ['MUG'] })).toThrow(/descriptions must have one entry per product \(3\), got 1/);
  });
});
