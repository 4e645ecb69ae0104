import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/models/kit/random.ts';
import { buildTransactions } from '../../../../src/models/baskets/basket.ts';
import { type BoughtWith, oftenBoughtWith, oftenBoughtWithEach } from '../../../../src/models/recommenders/bought-with.ts';
import { unloadAlsKernel } from '../../../../src/models/recommenders/als-wasm.ts';
import { loadNodeKernels } from '../../../../src/workers/node-kernels.ts';
import { expectSameBits } from '../../helpers/bits.ts';

beforeAll(() => {
  expect(loadNodeKernels(), 'run `node scripts/build-wasm.mjs`: .cache/wasm/als.wasm must compile').toBe(true);
});

/** Random baskets over up to `maxItems` products, some products in most baskets (many ties of count and lift). */
function randomTransactions(seed: number, maxBaskets: number, maxItems: number) {
  const rng = new Rng(seed, 'bought-with kernel');
  const basketIds: string[] = [];
  const itemIds: string[] = [];
  const items = rng.integer(2, maxItems);
  const baskets = rng.integer(1, maxBaskets);
  for (let basket = 0; basket < baskets; basket++) {
    for (let item = 0; item < items; item++) {
      if (rng.chance(item < 3 ? 0.7 : 0.15)) {
        basketIds.push(`inv${basket}`);
        itemIds.push(`p${String(item).padStart(3, '0')}`);
      }
    }
  }
  return buildTransactions(basketIds, itemIds);
}

/** The lists as plain numbers, the measures compared bit for bit. */
function expectSameLists(actual: BoughtWith[][], expected: BoughtWith[][], what: string): void {
  expect(actual.map((list) => list.map((entry) => [entry.item, entry.count])), what).toEqual(expected.map((list) => list.map((entry) => [entry.item, entry.count])));
  expectSameBits(actual.flat().map((entry) => entry.lift), expected.flat().map((entry) => entry.lift), `${what} lifts`);
  expectSameBits(actual.flat().map((entry) => entry.confidence), expected.flat().map((entry) => entry.confidence), `${what} confidences`);
}

describe('products bought together, counted in WebAssembly', () => {
  it('gives the JavaScript loop\'s lists, counts and bits on random baskets', () => {
    for (let trial = 0; trial < 80; trial++) {
      const transactions = randomTransactions(trial, 200, trial % 2 === 0 ? 12 : 90);
      for (const [n, minCount] of [[1, 1], [3, 2], [10, 1], [25, 3]] as const) {
        const wasm = oftenBoughtWithEach(transactions, n, { minCount, kernel: 'wasm' });
        expectSameLists(wasm, oftenBoughtWithEach(transactions, n, { minCount, kernel: 'js' }), `trial ${trial}, n ${n}, min ${minCount}`);
      }
    }
    // And against the one-product-at-a-time pass, its own loop.
    const transactions = randomTransactions(7, 300, 40);
    expectSameLists(oftenBoughtWithEach(transactions, 6, { kernel: 'wasm' }), transactions.items.map((_, item) => oftenBoughtWith(transactions, item, 6)), 'one at a time');
  });

  it('reports progress between its blocks, and falls back to JavaScript when the module is not loaded', () => {
    const transactions = randomTransactions(11, 400, 300);
    expect(transactions.items.length).toBeGreaterThan(64); // more than one block
    const fractions: number[] = [];
    const wasm = oftenBoughtWithEach(transactions, 5, { onProgress: (fraction) => void fractions.push(fraction) });
    expect(fractions.length).toBeGreaterThanOrEqual(2); // a block's start, then done
    expect(fractions.at(-1)).toBe(1);
    unloadAlsKernel();
    try {
      expectSameLists(oftenBoughtWithEach(transactions, 5), wasm, 'fallback');
      expect(() => oftenBoughtWithEach(transactions, 5, { kernel: 'wasm' })).toThrow(/WebAssembly kernel is not loaded/);
    } finally {
      expect(loadNodeKernels()).toBe(true);
    }
  });
});
