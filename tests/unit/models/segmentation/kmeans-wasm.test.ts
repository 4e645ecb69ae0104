import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/models/kit/random.ts';
import { fromRows, type Matrix } from '../../../../src/models/kit/matrix.ts';
import { type KMeansOptions, type KMeansResult, kmeans } from '../../../../src/models/segmentation/kmeans.ts';
import { unloadAlsKernel } from '../../../../src/models/recommenders/als-wasm.ts';
import { loadNodeKernels } from '../../../../src/workers/node-kernels.ts';
import { expectSameBits } from '../../helpers/bits.ts';
import { blobs, progressRecorder } from './segmentation-fixtures.ts';

beforeAll(() => {
  expect(loadNodeKernels(), 'run `node scripts/build-wasm.mjs`: .cache/wasm/als.wasm must compile').toBe(true);
});

/** Random rows on scales from 10⁻³ to 10³, every fifth a copy of the one before (ties and zero distances). */
function randomFeatures(seed: number, rows: number, cols: number): Matrix {
  const rng = new Rng(seed, 'k-means kernel');
  const values = Float64Array.from({ length: rows * cols }, () => rng.normal() * 10 ** rng.integer(-3, 3));
  for (let row = 1; row < rows; row += 5) values.copyWithin(row * cols, (row - 1) * cols, row * cols);
  return { rows, cols, values };
}

function expectSameRun(wasm: KMeansResult, js: KMeansResult, what: string): void {
  expect(Array.from(wasm.labels), `${what} labels`).toEqual(Array.from(js.labels));
  expect(Array.from(wasm.sizes), `${what} sizes`).toEqual(Array.from(js.sizes));
  expectSameBits(wasm.centroids.values, js.centroids.values, `${what} centroids`);
  expectSameBits([wasm.inertia], [js.inertia], `${what} inertia`);
  expect(wasm.iterations, `${what} iterations`).toBe(js.iterations);
}

const both = (features: Matrix, k: number, options: KMeansOptions, what: string) =>
  expectSameRun(kmeans(features, k, { ...options, kernel: 'wasm' }), kmeans(features, k, { ...options, kernel: 'js' }), what);

describe('K-Means in WebAssembly', () => {
  it.each([
    { rows: 5, cols: 1 },
    { rows: 40, cols: 2 },
    { rows: 150, cols: 3 },
    { rows: 400, cols: 5 },
  ])('gives the JavaScript loops\' bits on $rows rows × $cols columns: labels, centroids, inertia, iterations', ({ rows, cols }) => {
    for (let seed = 0; seed < 4; seed++) {
      const features = randomFeatures(seed * 7 + rows, rows, cols);
      for (const k of [1, 2, 3, Math.min(rows, 8)]) both(features, k, { seed, nInit: 3, tolerance: seed === 3 ? 0 : 1e-4 }, `seed ${seed}, k ${k}`);
    }
    both(blobs, 4, { seed: 42 }, 'blobs');
  });

  it('re-seeds an empty cluster as the JavaScript loops do', () => {
    const spend = fromRows([[0], [1], [9], [10]]);
    both(spend, 3, { initialCentroids: fromRows([[0.5], [9.5], [100]]) }, 'one empty start');
    const features = randomFeatures(5, 60, 2);
    const far = fromRows([[1e6, 1e6], [-1e6, 1e6], [0, 0], [1e6, -1e6]]);
    both(features, 4, { initialCentroids: far }, 'three empty starts');
  });

  it('reports progress up to 1, and falls back to JavaScript when the module is not loaded', () => {
    const progress = progressRecorder();
    const wasm = kmeans(blobs, 3, { seed: 1, onProgress: progress.onProgress });
    progress.check();
    unloadAlsKernel();
    try {
      expectSameRun(kmeans(blobs, 3, { seed: 1 }), wasm, 'fallback');
      expect(() => kmeans(blobs, 3, { kernel: 'wasm' })).toThrow(/WebAssembly kernel is not loaded/);
    } finally {
      expect(loadNodeKernels()).toBe(true);
    }
  });
});
