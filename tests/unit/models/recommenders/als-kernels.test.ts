import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/models/kit/random.ts';
import { type SparseMatrix, fromTriples, transpose } from '../../../../src/models/baskets/interactions.ts';
import { trainAls } from '../../../../src/models/recommenders/als.ts';
import { type AlsInput, gramian, jsAlsRun, laneDot } from '../../../../src/models/recommenders/als-kernels.ts';
import { alsKernelLoaded, loadAlsKernel, unloadAlsKernel, wasmAlsRun } from '../../../../src/models/recommenders/als-wasm.ts';
import { loadNodeKernels } from '../../../../src/workers/node-kernels.ts';
import { expectSameBits } from '../../helpers/bits.ts';

/** A random customer × product matrix with empty rows, confidences and starting factors. */
function randomInput(seed: number, users: number, items: number, f: number, density: number): AlsInput & { byUser: SparseMatrix; byItem: SparseMatrix } {
  const rng = new Rng(seed, 'als kernels');
  const triples: [number, number, number][] = [];
  for (let u = 0; u < users; u++) {
    if (u % 7 === 3) continue; // a customer with no purchases
    for (let i = 0; i < items; i++) if (rng.chance(density)) triples.push([u, i, rng.integer(1, 5)]);
  }
  const byUser = fromTriples(users, items, triples);
  const byItem = transpose(byUser);
  const confidenceOf = (data: Float64Array) => Float64Array.from(data, (value) => 1 + 2.5 * value);
  return {
    f,
    byUser,
    byItem,
    userConfidence: confidenceOf(byUser.data),
    itemConfidence: confidenceOf(byItem.data),
    userFactors: Float64Array.from({ length: users * f }, () => rng.normal() * 0.1),
    itemFactors: Float64Array.from({ length: items * f }, () => rng.normal() * 0.1),
  };
}

const SHAPES = [
  { users: 1, items: 1, f: 1, density: 1 },
  { users: 9, items: 6, f: 3, density: 0.5 },
  { users: 30, items: 21, f: 7, density: 0.3 },
  { users: 61, items: 40, f: 16, density: 0.2 },
  { users: 83, items: 57, f: 64, density: 0.15 },
] as const;

beforeAll(() => {
  expect(loadNodeKernels(), 'run `node scripts/build-wasm.mjs`: .cache/wasm/als.wasm must compile').toBe(true);
});

describe('the JavaScript reference loops', () => {
  it('laneDot is the dot product, and gramian is MᵀM + λI (symmetric), on random matrices', () => {
    const rng = new Rng(3, 'reference');
    for (const [rows, f] of [[1, 1], [5, 3], [13, 8], [30, 17]] as const) {
      const m = Float64Array.from({ length: rows * f }, () => rng.normal());
      const out = new Float64Array(f * f);
      gramian(m, rows, f, 0.25, out);
      for (let a = 0; a < f; a++) {
        for (let b = 0; b < f; b++) {
          let naive = a === b ? 0.25 : 0;
          for (let row = 0; row < rows; row++) naive += m[row * f + a]! * m[row * f + b]!;
          expect(out[a * f + b]).toBeCloseTo(naive, 12);
          expect(out[a * f + b]).toBe(out[b * f + a]);
        }
      }
      let naive = 0;
      for (let x = 0; x < f; x++) naive += m[x]! * m[(rows - 1) * f + x]!;
      expect(laneDot(m, 0, m, (rows - 1) * f, f)).toBeCloseTo(naive, 12);
    }
  });
});

describe('the WebAssembly kernel gives the JavaScript loops\' bits', () => {
  it.each(SHAPES)('grams, CG half-steps and the loss of $users × $items, f = $f', ({ users, items, f, density }) => {
    for (const seed of [1, 2]) {
      const input = randomInput(seed, users, items, f, density);
      const js = jsAlsRun({ ...input, userFactors: input.userFactors.slice(), itemFactors: input.itemFactors.slice() });
      const wasm = wasmAlsRun(input);
      expectSameBits(wasm.userFactors, js.userFactors, 'starting customer factors');
      for (const lambda of [0.01, 0]) {
        js.gramian('products', lambda);
        wasm.gramian('products', lambda);
        expectSameBits(wasm.itemGram, js.itemGram, `YᵀY + ${lambda}I`);
        js.gramian('customers', lambda);
        wasm.gramian('customers', lambda);
        expectSameBits(wasm.userGram, js.userGram, `XᵀX + ${lambda}I`);
      }
      for (const steps of [1, 3]) {
        js.gramian('products', 0.05);
        wasm.gramian('products', 0.05);
        js.conjugateGradientHalfStep('customers', steps);
        wasm.conjugateGradientHalfStep('customers', steps);
        expectSameBits(wasm.userFactors, js.userFactors, `customer factors after ${steps} CG steps`);
        js.gramian('customers', 0.05);
        wasm.gramian('customers', 0.05);
        js.conjugateGradientHalfStep('products', steps);
        wasm.conjugateGradientHalfStep('products', steps);
        expectSameBits(wasm.itemFactors, js.itemFactors, `product factors after ${steps} CG steps`);
        expect(Object.is(wasm.boughtLoss(), js.boughtLoss())).toBe(true);
      }
      expect(js.userFactors.some((value) => value !== 0)).toBe(true);
    }
  });

  it('trains the same model bit for bit, loss by loss, on either kernel', () => {
    const { byUser, byItem } = randomInput(5, 120, 80, 10, 0.1);
    for (const options of [{ factors: 10, iterations: 4, seed: 1 }, { factors: 5, iterations: 3, alpha: 40, scaling: { logEpsilon: 0.5 }, cgSteps: 2, seed: 2 }] as const) {
      const js = trainAls({ byUser, byItem }, { ...options, kernel: 'js' });
      const wasm = trainAls({ byUser, byItem }, { ...options, kernel: 'wasm' });
      expectSameBits(wasm.userFactors, js.userFactors, 'customer factors');
      expectSameBits(wasm.itemFactors, js.itemFactors, 'product factors');
      expectSameBits(Float64Array.from(wasm.loss), Float64Array.from(js.loss), 'loss');
      // The model owns its factors: the next training in the kernel's memory leaves them alone.
      const kept = wasm.userFactors.slice();
      trainAls({ byUser, byItem }, { ...options, seed: 9, kernel: 'wasm' });
      expectSameBits(wasm.userFactors, kept, 'factors after another training');
    }
  });
});

describe('without the kernel', () => {
  afterAll(() => {
    expect(loadNodeKernels()).toBe(true);
  });

  it('refuses bytes that are not the module and keeps to the JavaScript loops, which give the same model', () => {
    const { byUser, byItem } = randomInput(6, 40, 30, 4, 0.2);
    const withKernel = trainAls({ byUser, byItem }, { factors: 4, iterations: 2 });
    unloadAlsKernel();
    expect(loadAlsKernel(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 255]))).toBe(false);
    expect(alsKernelLoaded()).toBe(false);
    const withoutKernel = trainAls({ byUser, byItem }, { factors: 4, iterations: 2 });
    expectSameBits(withoutKernel.userFactors, withKernel.userFactors, 'customer factors');
    expect(() => trainAls({ byUser, byItem }, { factors: 4, iterations: 2, kernel: 'wasm' })).toThrow(/WebAssembly ALS kernel is not loaded/);
  });
});
