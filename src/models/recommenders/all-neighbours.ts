/** Every row's most cosine-similar other rows at once, each pair's dot product computed once for both rows. */
import { type SparseMatrix, transpose } from '../baskets/interactions.ts';
import { scoreHeaps } from '../kit/score-heap.ts';
import { wasmCosineNeighbours } from './neighbours-wasm.ts';

/** Every row's neighbours, best first: row r's are `rows[indptr[r] .. indptr[r + 1])` with their cosine `scores`. */
export interface AllNeighbours {
  readonly indptr: Int32Array;
  readonly rows: Int32Array;
  readonly scores: Float64Array;
}

/** Euclidean length of every row. */
export function rowNorms(m: SparseMatrix): Float64Array {
  const norms = new Float64Array(m.rows);
  for (let r = 0; r < m.rows; r++) {
    let sum = 0;
    for (let k = m.indptr[r] as number; k < (m.indptr[r + 1] as number); k++) sum += (m.data[k] as number) * (m.data[k] as number);
    norms[r] = Math.sqrt(sum);
  }
  return norms;
}

/** Whether every row's column indices are strictly ascending (so two rows meet their shared columns in the same order). */
export function rowsAscending(m: SparseMatrix): boolean {
  for (let r = 0; r < m.rows; r++) {
    for (let k = (m.indptr[r] as number) + 1; k < (m.indptr[r + 1] as number); k++) if (!((m.indices[k] as number) > (m.indices[k - 1] as number))) return false;
  }
  return true;
}

/**
 * The same lists as calling `cosineNeighbours(m, neighbours)` for every row (each row's `neighbours` best other rows
 * by positive cosine, ties to the lower row), in half its multiply-adds: row r accumulates its dot products with the
 * rows after it only, and offers each cosine to both rows' heaps. Rows with ascending columns meet their shared
 * columns in the same order from either side, and a product of two weights or two norms is the same in either order,
 * so each dot product and cosine has the bits the one-row-at-a-time loop gives. Needs `rowsAscending(m)`.
 * `checkpoint(r / rows)` is called before each row, or each block of rows in WebAssembly (it may throw to cancel);
 * `kernel`: where the loop runs, 'wasm' (once `loadAlsKernel` has loaded the module) or 'js', the same lists; default
 * 'wasm' when loaded.
 */
export function allCosineNeighbours(m: SparseMatrix, neighbours: number, checkpoint: (fraction: number) => void = () => {}, kernel?: 'wasm' | 'js'): AllNeighbours {
  if (!(Number.isInteger(neighbours) && neighbours >= 1)) throw new RangeError(`neighbours must be a positive integer, got ${neighbours}`);
  const { rows: rowCount, indptr, indices, data } = m;
  const byColumn = transpose(m);
  const columnIndptr = byColumn.indptr;
  const columnRows = byColumn.indices;
  const columnData = byColumn.data;
  // Each column's first row not yet processed: its entries are in ascending row order (transpose's), so it is the current row.
  const cursor = columnIndptr.slice(0, byColumn.rows);
  const norms = rowNorms(m);
  const dots = new Float64Array(rowCount);
  const capacity = Math.min(neighbours, Math.max(rowCount - 1, 0));
  // One heap per row (row r's at r · capacity).
  const heaps = scoreHeaps(rowCount * capacity);
  const heapScores = heaps.scores;
  const sizes = new Int32Array(rowCount);
  const offer = (row: number, other: number, score: number): void => {
    const base = row * capacity;
    const size = sizes[row] as number;
    if (size < capacity) {
      heaps.push(base, size, other, score);
      sizes[row] = size + 1;
    } else if (size > 0 && score > (heapScores[base] as number)) {
      // Each row is offered the rows in ascending order (lower ones when they are processed, higher ones when it is), so
      // an equal score never displaces: the lower row already holds the place.
      heaps.replaceRoot(base, size, other, score);
    }
  };

  // The loop below in the WebAssembly module when it is loaded (or asked for): the same lists, in about a third of the
  // time (the seed's ~4,000 products: 160–200 → 60–70 ms).
  const inWasm = kernel !== 'js' && wasmCosineNeighbours(m, byColumn, norms, capacity, heaps, sizes, checkpoint);
  if (kernel === 'wasm' && !inWasm) throw new RangeError('the WebAssembly kernel is not loaded');
  for (let row = 0; row < (inWasm ? 0 : rowCount); row++) {
    checkpoint(row / rowCount);
    dots.fill(0, row + 1);
    for (let k = indptr[row] as number; k < (indptr[row + 1] as number); k++) {
      const column = indices[k] as number;
      const weight = data[k] as number;
      const own = cursor[column] as number;
      if (columnRows[own] !== row) throw new Error(`column ${column} lists its rows out of order`);
      cursor[column] = own + 1;
      for (let l = own + 1; l < (columnIndptr[column + 1] as number); l++) {
        const other = columnRows[l] as number;
        dots[other] = (dots[other] as number) + weight * (columnData[l] as number);
      }
    }
    const norm = norms[row] as number;
    for (let other = row + 1; other < rowCount; other++) {
      const dot = dots[other] as number;
      if (!(dot > 0)) continue; // a cosine ≤ 0 is no similarity
      const otherNorm = norms[other] as number;
      // One cosine for both rows (norm · otherNorm is otherNorm · norm); the full heaps' root tests inline, as most lose there.
      const score = dot / (norm * otherNorm);
      if ((sizes[row] as number) < capacity || score > (heapScores[row * capacity] as number)) offer(row, other, score);
      if ((sizes[other] as number) < capacity || score > (heapScores[other * capacity] as number)) offer(other, row, score);
    }
  }

  // Heap sort each row's heap: popping the worst each time fills its list from the back, so it comes out best first.
  const listStarts = new Int32Array(rowCount + 1);
  for (let row = 0; row < rowCount; row++) listStarts[row + 1] = (listStarts[row] as number) + (sizes[row] as number);
  const rows = new Int32Array(listStarts[rowCount] as number);
  const scores = new Float64Array(rows.length);
  for (let row = 0; row < rowCount; row++) heaps.drainBestFirst(row * capacity, sizes[row] as number, rows, scores, listStarts[row] as number);
  return { indptr: listStarts, rows, scores };
}
