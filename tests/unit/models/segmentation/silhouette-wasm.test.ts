import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/models/kit/random.ts';
import { silhouette, silhouetteByK, silhouettesOf } from '../../../../src/models/segmentation/silhouette.ts';
import { unloadAlsKernel } from '../../../../src/models/recommenders/als-wasm.ts';
import { loadNodeKernels } from '../../../../src/workers/node-kernels.ts';
import { expectSameBits } from '../../helpers/bits.ts';
import { abortedSignal, blobs, blobTruth, progressRecorder } from './segmentation-fixtures.ts';

beforeAll(() => {
  expect(loadNodeKernels(), 'run `node scripts/build-wasm.mjs`: .cache/wasm/als.wasm must compile').toBe(true);
});

/** Random points, some repeated (distance 0), and labellings of k = 2 … with empty clusters and one row alone. */
function randomCase(seed: number, rows: number, cols: number) {
  const rng = new Rng(seed, 'silhouette kernel');
  const values = Float64Array.from({ length: rows * cols }, () => (rng.float() - 0.5) * 10 ** rng.integer(-3, 3));
  for (let row = 1; row < rows; row += 7) values.copyWithin(row * cols, (row - 1) * cols, row * cols);
  const labellings = Array.from({ length: rng.integer(1, 6) }, (_, l) => {
    const k = Math.min(rows - 1, 2 + l * 2);
    const labels = Int32Array.from({ length: rows }, () => rng.integer(0, k - 1));
    labels[0] = 0;
    labels[1] = 1;
    if (l === 1) labels.forEach((label, row) => (labels[row] = label === 1 ? 3 : label)); // 1 and 2 left empty
    return labels;
  });
  return { features: { rows, cols, values }, labellings };
}

describe('the exact silhouette in WebAssembly', () => {
  it.each([
    { rows: 3, cols: 1 },
    { rows: 17, cols: 2 },
    { rows: 40, cols: 3 },
    { rows: 131, cols: 5 },
    { rows: 300, cols: 3 },
  ])('gives the JavaScript loop\'s bits for $rows rows × $cols columns, several labellings at once', ({ rows, cols }) => {
    for (let seed = 0; seed < 6; seed++) {
      const { features, labellings } = randomCase(seed * 31 + rows, rows, cols);
      const wasm = silhouettesOf(features, labellings, { kernel: 'wasm' });
      const js = silhouettesOf(features, labellings, { kernel: 'js' });
      expect(wasm).toHaveLength(labellings.length);
      wasm.forEach((result, l) => {
        expectSameBits(result.values, js[l]!.values, `seed ${seed} labelling ${l} values`);
        expectSameBits(result.clusterMeans, js[l]!.clusterMeans, `seed ${seed} labelling ${l} cluster means`);
        expectSameBits([result.mean], [js[l]!.mean], `seed ${seed} labelling ${l} mean`);
        expect(result.sampledRows).toBeNull();
      });
    }
  });

  it('is what choose_k scores by default once loaded, with the same result as the JavaScript loop', () => {
    const options = { kMin: 2, kMax: 6, kmeans: { seed: 7, nInit: 3 } };
    const wasm = silhouetteByK(blobs, options);
    const js = silhouetteByK(blobs, { ...options, silhouette: { kernel: 'js' } });
    expectSameBits(wasm.silhouettes, js.silhouettes, 'silhouettes by k');
    expect(wasm.suggestedK).toBe(js.suggestedK);
  });

  it('reports progress up to 1 between its blocks, and stops with an AbortError when cancelled', () => {
    const progress = progressRecorder();
    silhouette(blobs, blobTruth, { kernel: 'wasm', onProgress: progress.onProgress });
    progress.check();
    expect(() => silhouette(blobs, blobTruth, { kernel: 'wasm', signal: abortedSignal() })).toThrow(/Silhouette cancelled/);
  });

  it('falls back to JavaScript when the module is not loaded, and says so when WebAssembly is asked for', () => {
    const wasm = silhouette(blobs, blobTruth);
    unloadAlsKernel();
    try {
      expectSameBits(silhouette(blobs, blobTruth).values, wasm.values, 'fallback values');
      expect(() => silhouette(blobs, blobTruth, { kernel: 'wasm' })).toThrow(/WebAssembly kernel is not loaded/);
    } finally {
      expect(loadNodeKernels()).toBe(true);
    }
  });
});
