/**
 * K-Means' loops in the models' WebAssembly module (assembly/kmeans.ts): a LloydSpace whose arrays live in a fresh
 * instance's memory, so the loops read them in place and the rest of kmeans.ts works on views of them. The same bits
 * as the JavaScript loops.
 */
import type { Matrix } from '../kit/matrix.ts';
import { instanceWith } from '../recommenders/dense-wasm.ts';
import type { AssignState, LloydSpace } from './kmeans.ts';

interface KMeansExports {
  readonly memory: WebAssembly.Memory;
  heapBase(): number;
  kmeansAssign(values: number, rows: number, cols: number, centres: number, k: number, labels: number, upper: number, lower: number, halfGap: number, moved: number, sums: number, sizes: number, scanAll: number): number;
  kmeansCandidate(values: number, rows: number, cols: number, candidate: number, closest: number, out: number): number;
  kmeansInertia(values: number, rows: number, cols: number, centres: number, labels: number): number;
}

/** A LloydSpace in the WebAssembly module for `features` and k clusters, or null when the module is not loaded. */
export function wasmLloydSpace(features: Matrix, k: number): LloydSpace | null {
  const { rows, cols } = features;
  // values, two centre buffers, three distance arrays, then the assign state's arrays in its order.
  const sizes = [8 * rows * cols, 8 * k * cols, 8 * k * cols, 8 * rows, 8 * rows, 8 * rows, 4 * rows, 8 * rows, 8 * rows, 8 * k, 8 * k, 8 * k * cols, 4 * k];
  const placed = instanceWith<KMeansExports>(sizes);
  if (placed === null) return null;
  const { k: kernel, at } = placed;
  const buffer = kernel.memory.buffer;
  let next = 0;
  const f64 = (length: number) => new Float64Array(buffer, at[next++] as number, length);
  const i32 = (length: number) => new Int32Array(buffer, at[next++] as number, length);
  const values = f64(rows * cols);
  values.set(features.values);
  const centres = [f64(k * cols), f64(k * cols)] as const;
  const distances = [f64(rows), f64(rows), f64(rows)] as const;
  const state: AssignState = { labels: i32(rows), upper: f64(rows), lower: f64(rows), halfGap: f64(k), moved: f64(k), sums: f64(k * cols), sizes: i32(k) };
  const [valuesAt, centresAt, nextCentresAt, closestAt, candidateAt, bestAt, labelsAt, upperAt, lowerAt, halfGapAt, movedAt, sumsAt, sizesAt] = at as number[] as [
    number, number, number, number, number, number, number, number, number, number, number, number, number,
  ];
  const centreAt = [centresAt, nextCentresAt];
  const distanceAt = [closestAt, candidateAt, bestAt];
  return {
    rows, cols, values, centres, state, distances,
    assign: (index, scanAll) =>
      kernel.kmeansAssign(valuesAt, rows, cols, centreAt[index] as number, k, labelsAt, upperAt, lowerAt, halfGapAt, movedAt, sumsAt, sizesAt, scanAll ? 1 : 0) === 1,
    candidate: (candidate, closest, out) => kernel.kmeansCandidate(valuesAt, rows, cols, candidate, distanceAt[closest] as number, distanceAt[out] as number),
    inertia: (index) => kernel.kmeansInertia(valuesAt, rows, cols, centreAt[index] as number, labelsAt),
  };
}
