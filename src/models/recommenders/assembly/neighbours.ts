// AssemblyScript, compiled into the models' kernel module by scripts/build-wasm.mjs (through kernels.ts; not by tsc).
// The cosine neighbours' loop of ../all-neighbours.ts and its bounded heaps (../../kit/score-heap.ts) over arrays the
// caller lays out in the module's memory (pointers are byte offsets): the same dot products, cosines and lists.

import { f64At, i32At } from './pointers';

/** score-heap.ts `worse`: entry a is worse than b (a lower score, or the same score and a higher id). */
// @ts-ignore: decorator
@inline function worse(ids: usize, scores: usize, a: i32, b: i32): bool {
  const scoreA = load<f64>(f64At(scores, a));
  const scoreB = load<f64>(f64At(scores, b));
  return scoreA < scoreB || (scoreA == scoreB && load<i32>(i32At(ids, a)) > load<i32>(i32At(ids, b)));
}

// @ts-ignore: decorator
@inline function swap(ids: usize, scores: usize, a: i32, b: i32): void {
  const id = load<i32>(i32At(ids, a));
  const score = load<f64>(f64At(scores, a));
  store<i32>(i32At(ids, a), load<i32>(i32At(ids, b)));
  store<f64>(f64At(scores, a), load<f64>(f64At(scores, b)));
  store<i32>(i32At(ids, b), id);
  store<f64>(f64At(scores, b), score);
}

function siftDown(ids: usize, scores: usize, base: i32, size: i32): void {
  for (let at = 0; ; ) {
    const left = 2 * at + 1;
    let worst = at;
    if (left < size && worse(ids, scores, base + left, base + worst)) worst = left;
    if (left + 1 < size && worse(ids, scores, base + left + 1, base + worst)) worst = left + 1;
    if (worst == at) return;
    swap(ids, scores, base + at, base + worst);
    at = worst;
  }
}

/** all-neighbours.ts `offer`: (other, score) into row's heap when it has room or beats its worst. */
function offer(ids: usize, scores: usize, sizes: usize, capacity: i32, row: i32, other: i32, score: f64): void {
  const base = row * capacity;
  const size = load<i32>(i32At(sizes, row));
  if (size < capacity) {
    store<i32>(i32At(ids, base + size), other);
    store<f64>(f64At(scores, base + size), score);
    for (let at = size; at > 0 && worse(ids, scores, base + at, base + ((at - 1) >> 1)); at = (at - 1) >> 1) swap(ids, scores, base + at, base + ((at - 1) >> 1));
    store<i32>(i32At(sizes, row), size + 1);
  } else if (size > 0 && score > load<f64>(f64At(scores, base))) {
    store<i32>(i32At(ids, base), other);
    store<f64>(f64At(scores, base), score);
    siftDown(ids, scores, base, size);
  }
}

/**
 * Rows from … to − 1 of `allCosineNeighbours`: each row's dot products with the rows after it, through the transpose
 * (`column…`, its cursor at each column's current row), offered to both rows' heaps of `capacity`. Returns −1, or the
 * row whose column listed its rows out of order.
 */
export function cosineNeighboursRows(
  rowCount: i32, indptr: usize, indices: usize, data: usize, columnIndptr: usize, columnRows: usize, columnData: usize,
  cursor: usize, norms: usize, dots: usize, capacity: i32, ids: usize, scores: usize, sizes: usize, from: i32, to: i32,
): i32 {
  for (let row = from; row < to; row++) {
    memory.fill(f64At(dots, row + 1), 0, <usize>(rowCount - row - 1) << 3);
    for (let k = load<i32>(i32At(indptr, row)); k < load<i32>(i32At(indptr, row + 1)); k++) {
      const column = load<i32>(i32At(indices, k));
      const weight = load<f64>(f64At(data, k));
      const own = load<i32>(i32At(cursor, column));
      if (load<i32>(i32At(columnRows, own)) != row) return row;
      store<i32>(i32At(cursor, column), own + 1);
      const end = load<i32>(i32At(columnIndptr, column + 1));
      for (let l = own + 1; l < end; l++) {
        const slot = f64At(dots, load<i32>(i32At(columnRows, l)));
        store<f64>(slot, load<f64>(slot) + weight * load<f64>(f64At(columnData, l)));
      }
    }
    if (capacity == 0) continue;
    const norm = load<f64>(f64At(norms, row));
    for (let other = row + 1; other < rowCount; other++) {
      const dot = load<f64>(f64At(dots, other));
      if (!(dot > 0)) continue;
      const score = dot / (norm * load<f64>(f64At(norms, other)));
      if (load<i32>(i32At(sizes, row)) < capacity || score > load<f64>(f64At(scores, row * capacity))) offer(ids, scores, sizes, capacity, row, other, score);
      if (load<i32>(i32At(sizes, other)) < capacity || score > load<f64>(f64At(scores, other * capacity))) offer(ids, scores, sizes, capacity, other, row, score);
    }
  }
  return -1;
}
