import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/models/kit/random.ts';
import { fromTriples } from '../../../../src/models/baskets/interactions.ts';
import { weightMatrix } from '../../../../src/models/baskets/weighting.ts';
import { dense } from './interaction-fixtures.ts';


// Three documents (rows) over three terms (columns):
//   [4 0 2]
//   [0 9 1]
//   [0 0 8]
// N = 3 rows; document frequencies 1, 1, 3, so idf = log 3 − log(1 + df):
//   columns 0 and 1: log(3/2) = 0.4054651081081644; column 2: log(3/4) = −0.2876820724517809 (negative, as in implicit).
// Row lengths 6, 10, 8, average 8.
const example = fromTriples(3, 3, [[0, 0, 4], [0, 2, 2], [1, 1, 9], [1, 2, 1], [2, 2, 8]]);

describe('weightMatrix', () => {
  it('TF-IDF multiplies √x by the column idf', () => {
    // √4 · log 1.5 = 0.8109302162163288      √2 · log 0.75 = −0.4068438885129079
    // √9 · log 1.5 = 1.2163953243244932      √1 · log 0.75 = −0.2876820724517809
    // √8 · log 0.75 = −0.8136877770258159
    const weighted = dense(weightMatrix(example, 'tfidf'));
    const expected = [
      [0.8109302162163288, 0, -0.4068438885129079],
      [0, 1.2163953243244932, -0.2876820724517809],
      [0, 0, -0.8136877770258159],
    ];
    weighted.forEach((row, r) => row.forEach((value, c) => expect(value, `(${r}, ${c})`).toBeCloseTo((expected[r] as number[])[c] as number, 14)));
  });

  it('BM25 with the defaults k1 = 100, b = 0.8', () => {
    // Length norms (1 − 0.8) + 0.8 · length / 8: row 0 → 0.2 + 0.6 = 0.8, row 1 → 0.2 + 1.0 = 1.2, row 2 → 0.2 + 0.8 = 1.0.
    // x · 101 / (100 · norm + x) · idf:
    //   (0, 0): 4 · 101 / (80 + 4) · log 1.5 = 404/84 · 0.40546… = 1.950094091377362
    //   (0, 2): 2 · 101 / (80 + 2) · log 0.75 = 202/82 · −0.28768… = −0.7086802272592652
    //   (1, 1): 9 · 101 / (120 + 9) · log 1.5 = 909/129 · 0.40546… = 2.8571145989947397
    //   (1, 2): 1 · 101 / (120 + 1) · log 0.75 = 101/121 · −0.28768… = −0.24013131667462703
    //   (2, 2): 8 · 101 / (100 + 8) · log 0.75 = 808/108 · −0.28768… = −2.152288097602213
    const weighted = weightMatrix(example, 'bm25');
    expect(Array.from(weighted.data)).toEqual([1.950094091377362, -0.7086802272592652, 2.8571145989947397, -0.24013131667462703, -2.152288097602213].map((value) => expect.closeTo(value, 14)));
  });

  it('BM25 with implicit BM25Recommender’s k1 = 1.2, b = 0.75', () => {
    // Norms 0.25 + 0.75 · length / 8: 0.8125, 1.1875, 1.0; x · 2.2 / (1.2 · norm + x) · idf:
    //   (0, 0): 8.8 / (0.975 + 4) · log 1.5 = 0.7172046133370548
    //   (0, 2): 4.4 / (0.975 + 2) · log 0.75 = −0.42547936765977684
    //   (1, 1): 19.8 / (1.425 + 9) · log 1.5 = 0.7700920038888878
    //   (1, 2): 2.2 / (1.425 + 1) · log 0.75 = −0.26098992139955385
    //   (2, 2): 17.6 / (1.2 + 8) · log 0.75 = −0.5503483125164506
    const weighted = weightMatrix(example, 'bm25', { k1: 1.2, b: 0.75 });
    expect(Array.from(weighted.data)).toEqual([0.7172046133370548, -0.42547936765977684, 0.7700920038888878, -0.26098992139955385, -0.5503483125164506].map((value) => expect.closeTo(value, 14)));
  });

  it('keeps the sparsity pattern, sharing it with the input, and leaves the input alone', () => {
    const before = Array.from(example.data);
    const weighted = weightMatrix(example, 'bm25');
    expect(weighted.indptr).toBe(example.indptr);
    expect(weighted.indices).toBe(example.indices);
    expect(Array.from(example.data)).toEqual(before);
    expect(weightMatrix(example, 'none')).toBe(example);
  });

  it('matches a dense transcription of implicit’s formulas on random matrices', () => {
    for (let trial = 0; trial < 50; trial++) {
      const rng = new Rng(trial, 'weighting');
      const rows = rng.integer(1, 12);
      const cols = rng.integer(1, 12);
      const triples: [number, number, number][] = [];
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) if (rng.chance(0.4)) triples.push([r, c, rng.chance(0.5) ? 1 : rng.integer(1, 20)]);
      const m = fromTriples(rows, cols, triples);
      const x = dense(m);
      const idf = Array.from({ length: cols }, (_, c) => Math.log(rows) - Math.log1p(x.filter((row) => row[c] !== 0).length));
      const lengths = x.map((row) => row.reduce((sum, value) => sum + value, 0));
      const average = lengths.reduce((sum, length) => sum + length, 0) / rows;
      const k1 = rng.uniform(0, 3);
      const b = rng.float();
      const tfidf = dense(weightMatrix(m, 'tfidf'));
      const bm25 = dense(weightMatrix(m, 'bm25', { k1, b }));
      x.forEach((row, r) => row.forEach((value, c) => {
        if (value === 0) return;
        const expectedTfidf = Math.sqrt(value) * (idf[c] as number);
        const norm = 1 - b + (b * (lengths[r] as number)) / average;
        const expectedBm25 = ((value * (k1 + 1)) / (k1 * norm + value)) * (idf[c] as number);
        expect(Math.abs(((tfidf[r] as number[])[c] as number) - expectedTfidf)).toBeLessThanOrEqual(1e-12);
        expect(Math.abs(((bm25[r] as number[])[c] as number) - expectedBm25)).toBeLessThanOrEqual(1e-12);
      }));
    }
  });

  it('checks the BM25 parameters, naming the bad value', () => {
    expect(() => weightMatrix(example, 'bm25', { k1: -1 })).toThrow(/k1 must be a finite number ≥ 0, got -1/);
    expect(() => weightMatrix(example, 'bm25', { b: 1.5 })).toThrow(/b must be in \[0, 1\], got 1.5/);
    expect(() => weightMatrix(example, 'idf' as 'tfidf')).toThrow(/unknown weighting "idf"/);
  });
});
