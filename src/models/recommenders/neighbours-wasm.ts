/**
 * The cosine neighbours' loop of all-neighbours.ts in the models' WebAssembly module (assembly/neighbours.ts): the
 * matrix, its transpose and the heaps laid out in a fresh instance's memory, the rows run there in blocks, the heaps
 * copied back for all-neighbours.ts to sort. The same dot products, cosines and lists as the JavaScript loop.
 */
import type { SparseMatrix } from '../baskets/interactions.ts';
import type { ScoreHeaps } from '../kit/score-heap.ts';
import { instanceWith } from './dense-wasm.ts';

interface NeighboursExports {
  readonly memory: WebAssembly.Memory;
  heapBase(): number;
  cosineNeighboursRows(rowCount: number, indptr: number, indices: number, data: number, columnIndptr: number, columnRows: number, columnData: number, cursor: number, norms: number, dots: number, capacity: number, ids: number, scores: number, sizes: number, from: number, to: number): number;
}

/** Rows per call: V8 swaps its optimised code in for later calls only (see silhouette-wasm.ts). */
const BLOCK_ROWS = 64;

/**
 * Runs the loop for every row of `m` (rows ascending in each row, `byColumn` its transpose) into `heaps` and `sizes`
 * (`capacity` per row); false when the module is not loaded. `checkpoint(fraction)` runs between blocks.
 */
export function wasmCosineNeighbours(m: SparseMatrix, byColumn: SparseMatrix, norms: Float64Array, capacity: number, heaps: ScoreHeaps, sizes: Int32Array, checkpoint: (fraction: number) => void): boolean {
  const rows = m.rows;
  const columns = byColumn.rows;
  const placed = instanceWith<NeighboursExports>([
    4 * (rows + 1), 4 * m.indices.length, 8 * m.data.length,
    4 * (columns + 1), 4 * byColumn.indices.length, 8 * byColumn.data.length, 4 * columns,
    8 * rows, 8 * rows, 4 * rows * capacity, 8 * rows * capacity, 4 * rows,
  ]);
  if (placed === null) return false;
  const { k: kernel, at } = placed;
  const [indptr, indices, data, columnIndptr, columnRows, columnData, cursor, normsAt, dots, ids, scores, sizesAt] = at as [
    number, number, number, number, number, number, number, number, number, number, number, number,
  ];
  const buffer = kernel.memory.buffer;
  new Int32Array(buffer, indptr, rows + 1).set(m.indptr.subarray(0, rows + 1));
  new Int32Array(buffer, indices, m.indices.length).set(m.indices);
  new Float64Array(buffer, data, m.data.length).set(m.data);
  new Int32Array(buffer, columnIndptr, columns + 1).set(byColumn.indptr.subarray(0, columns + 1));
  new Int32Array(buffer, columnRows, byColumn.indices.length).set(byColumn.indices);
  new Float64Array(buffer, columnData, byColumn.data.length).set(byColumn.data);
  new Int32Array(buffer, cursor, columns).set(byColumn.indptr.subarray(0, columns));
  new Float64Array(buffer, normsAt, rows).set(norms);
  for (let from = 0; from < rows; from += BLOCK_ROWS) {
    checkpoint(from / rows);
    const unordered = kernel.cosineNeighboursRows(rows, indptr, indices, data, columnIndptr, columnRows, columnData, cursor, normsAt, dots, capacity, ids, scores, sizesAt, from, Math.min(rows, from + BLOCK_ROWS));
    if (unordered >= 0) throw new Error(`a column lists its rows out of order (row ${unordered})`);
  }
  heaps.ids.set(new Int32Array(buffer, ids, rows * capacity));
  heaps.scores.set(new Float64Array(buffer, scores, rows * capacity));
  sizes.set(new Int32Array(buffer, sizesAt, rows));
  return true;
}
