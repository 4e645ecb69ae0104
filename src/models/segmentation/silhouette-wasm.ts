/**
 * The exact silhouette's distance sums in the models' WebAssembly module (assembly/silhouette.ts): the same bits as
 * the JavaScript loop of silhouette.ts, in about half its time (the elbow's nine labellings of 4,300 customers: 285 →
 * 130 ms in Node).
 */
import { instanceWith } from '../recommenders/dense-wasm.ts';

interface SilhouetteExports {
  readonly memory: WebAssembly.Memory;
  heapBase(): number;
  silhouetteDistanceSums(values: number, rows: number, cols: number, labels: number, ks: number, sums: number, labellings: number, distances: number, from: number, to: number): void;
}

/**
 * Rows per call. V8 first runs a WebAssembly function as baseline code and swaps in the optimised code for later
 * calls only: the whole loop in one call ran at the baseline's speed (270 ms against 130).
 */
const BLOCK_ROWS = 16;

/**
 * For every row and labelling, the sum of its distances to each cluster (`sums[l][row · k + cluster]`), as
 * `allDistanceSums` gives them; null when the module is not loaded. `checkpoint(fraction of pairs)` runs between blocks.
 */
export function wasmDistanceSums(
  values: Float64Array,
  rows: number,
  cols: number,
  labellings: readonly { readonly clusterOf: Int32Array; readonly k: number }[],
  checkpoint: (fraction: number) => void,
): Float64Array[] | null {
  const count = labellings.length;
  const placed = instanceWith<SilhouetteExports>([8 * values.length, 4 * rows * count, 4 * count, 4 * count, 8 * rows, ...labellings.map(({ k }) => 8 * rows * k)]);
  if (placed === null) return null;
  const { k: kernel, at } = placed;
  const [valuesAt, labelsAt, ksAt, sumsAt, distancesAt, ...sumAt] = at as [number, number, number, number, number, ...number[]];
  const buffer = kernel.memory.buffer;
  new Float64Array(buffer, valuesAt, values.length).set(values);
  labellings.forEach(({ clusterOf }, l) => new Int32Array(buffer, labelsAt + 4 * rows * l, rows).set(clusterOf));
  new Int32Array(buffer, ksAt, count).set(labellings.map(({ k }) => k));
  new Uint32Array(buffer, sumsAt, count).set(sumAt);
  const totalPairs = (rows * (rows - 1)) / 2;
  for (let from = 0; from < rows; from += BLOCK_ROWS) {
    checkpoint((from * rows - (from * (from + 1)) / 2) / totalPairs);
    kernel.silhouetteDistanceSums(valuesAt, rows, cols, labelsAt, ksAt, sumsAt, count, distancesAt, from, Math.min(rows, from + BLOCK_ROWS));
  }
  return labellings.map(({ k }, l) => new Float64Array(buffer, sumAt[l] as number, rows * k).slice());
}
