import { beforeAll, describe, expect, it } from 'vitest';
import { type WeightingScheme, weightMatrix } from '../../../../src/models/baskets/weighting.ts';
import { allCosineNeighbours } from '../../../../src/models/recommenders/all-neighbours.ts';
import { unloadAlsKernel } from '../../../../src/models/recommenders/als-wasm.ts';
import { loadNodeKernels } from '../../../../src/workers/node-kernels.ts';
import { expectSameBits } from '../../helpers/bits.ts';
import { randomInteractions } from '../baskets/interaction-fixtures.ts';

beforeAll(() => {
  expect(loadNodeKernels(), 'run `node scripts/build-wasm.mjs`: .cache/wasm/als.wasm must compile').toBe(true);
});

const schemes: WeightingScheme[] = ['none', 'tfidf', 'bm25'];

describe('every row\'s cosine neighbours in WebAssembly', () => {
  it('gives the JavaScript loop\'s lists and score bits, ties included', () => {
    for (let trial = 0; trial < 60; trial++) {
      const interactions = randomInteractions(trial, 'neighbours kernel', 20 + (trial % 5) * 40, 15 + (trial % 3) * 30);
      for (const scheme of schemes) {
        for (const neighbours of [1, 3, 50]) {
          for (const m of [weightMatrix(interactions.byItem, scheme), weightMatrix(interactions.byUser, scheme)]) {
            const wasm = allCosineNeighbours(m, neighbours, undefined, 'wasm');
            const js = allCosineNeighbours(m, neighbours, undefined, 'js');
            expect(Array.from(wasm.indptr), `trial ${trial} ${scheme} ${neighbours}`).toEqual(Array.from(js.indptr));
            expect(Array.from(wasm.rows), `trial ${trial} ${scheme} ${neighbours}`).toEqual(Array.from(js.rows));
            expectSameBits(wasm.scores, js.scores, `trial ${trial} ${scheme} ${neighbours} scores`);
          }
        }
      }
    }
  });

  it('is cancelled between its blocks, and falls back to JavaScript when the module is not loaded', () => {
    const m = weightMatrix(randomInteractions(0, 'neighbours kernel', 400, 80).byUser, 'none');
    expect(m.rows).toBeGreaterThan(64); // more than one block
    const fractions: number[] = [];
    const wasm = allCosineNeighbours(m, 5, (fraction) => void fractions.push(fraction));
    expect(fractions.length).toBeGreaterThan(1);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(() => allCosineNeighbours(m, 5, () => { throw new Error('cancelled'); })).toThrow(/cancelled/);
    unloadAlsKernel();
    try {
      const js = allCosineNeighbours(m, 5);
      expect(Array.from(js.rows)).toEqual(Array.from(wasm.rows));
      expectSameBits(js.scores, wasm.scores, 'fallback scores');
      expect(() => allCosineNeighbours(m, 5, undefined, 'wasm')).toThrow(/WebAssembly kernel is not loaded/);
    } finally {
      expect(loadNodeKernels()).toBe(true);
    }
  });
});
