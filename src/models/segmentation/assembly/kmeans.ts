// AssemblyScript, compiled into the models' kernel module by scripts/build-wasm.mjs (through
// segmentation.ts; not by tsc). K-Means' loops over arrays the caller lays out in the module's memory
// (pointers are byte offsets): the same bits as their JavaScript references in ../kmeans.ts (`assign`, the k-means++
// candidate's loop, the inertia), each sum taken in the same order.

import { f64At, i32At } from '../../recommenders/assembly/pointers';

/** Σ over columns of (x[a] − y[b])², rows of `cols` values. */
// @ts-ignore: decorator
@inline function squaredToRow(x: usize, a: i32, y: usize, b: i32, cols: i32): f64 {
  let sum: f64 = 0;
  for (let col = 0; col < cols; col++) {
    const diff = load<f64>(f64At(x, a * cols + col)) - load<f64>(f64At(y, b * cols + col));
    sum += diff * diff;
  }
  return sum;
}

// @ts-ignore: decorator
@inline function moveRow(values: usize, row: i32, cols: i32, cluster: i32, sign: f64, sums: usize, sizes: usize): void {
  store<i32>(i32At(sizes, cluster), load<i32>(i32At(sizes, cluster)) + <i32>sign);
  for (let col = 0; col < cols; col++) {
    const slot = f64At(sums, cluster * cols + col);
    store<f64>(slot, load<f64>(slot) + sign * load<f64>(f64At(values, row * cols + col)));
  }
}

/** kmeans.ts `assign`: the nearest centre for every row, with Hamerly's bounds; 1 when any label changed. */
export function kmeansAssign(
  values: usize, rows: i32, cols: i32, centres: usize, k: i32,
  labels: usize, upper: usize, lower: usize, halfGap: usize, moved: usize, sums: usize, sizes: usize, scanAll: i32,
): i32 {
  let largestMove: f64 = 0;
  let largestMoved = -1;
  let secondMove: f64 = 0;
  for (let cluster = 0; cluster < k; cluster++) {
    const move = load<f64>(f64At(moved, cluster));
    if (move > largestMove) {
      secondMove = largestMove;
      largestMove = move;
      largestMoved = cluster;
    } else if (move > secondMove) secondMove = move;
    let gap = Infinity;
    for (let other = 0; other < k; other++) if (other != cluster) gap = min<f64>(gap, squaredToRow(centres, cluster, centres, other, cols));
    store<f64>(f64At(halfGap, cluster), Math.sqrt(gap) / 2);
  }
  let changed = 0;
  for (let row = 0; row < rows; row++) {
    const own = load<i32>(i32At(labels, row));
    if (!scanAll) {
      const up = load<f64>(f64At(upper, row)) + load<f64>(f64At(moved, own));
      const low = load<f64>(f64At(lower, row)) - (own == largestMoved ? secondMove : largestMove);
      store<f64>(f64At(upper, row), up);
      store<f64>(f64At(lower, row), low);
      const bound = max<f64>(load<f64>(f64At(halfGap, own)), low);
      if (up <= bound) continue;
      const exact = Math.sqrt(squaredToRow(values, row, centres, own, cols));
      store<f64>(f64At(upper, row), exact);
      if (exact <= bound) continue;
    }
    let best = 0;
    let bestDistance = Infinity;
    let secondDistance = Infinity;
    for (let cluster = 0; cluster < k; cluster++) {
      const distance = squaredToRow(values, row, centres, cluster, cols);
      if (distance < bestDistance) {
        secondDistance = bestDistance;
        bestDistance = distance;
        best = cluster;
      } else if (distance < secondDistance) secondDistance = distance;
    }
    if (best != own) {
      if (own >= 0) moveRow(values, row, cols, own, -1, sums, sizes);
      moveRow(values, row, cols, best, 1, sums, sizes);
      store<i32>(i32At(labels, row), best);
      changed = 1;
    }
    store<f64>(f64At(upper, row), Math.sqrt(bestDistance));
    store<f64>(f64At(lower, row), Math.sqrt(secondDistance));
  }
  return changed;
}

/** A k-means++ candidate: out[row] = min(closest[row], d²(row, candidate)); returns their sum, in row order. */
export function kmeansCandidate(values: usize, rows: i32, cols: i32, candidate: i32, closest: usize, out: usize): f64 {
  let potential: f64 = 0;
  for (let row = 0; row < rows; row++) {
    const distance = min<f64>(load<f64>(f64At(closest, row)), squaredToRow(values, row, values, candidate, cols));
    store<f64>(f64At(out, row), distance);
    potential += distance;
  }
  return potential;
}

/** Σ over rows of d²(row, its centre), in row order. */
export function kmeansInertia(values: usize, rows: i32, cols: i32, centres: usize, labels: usize): f64 {
  let inertia: f64 = 0;
  for (let row = 0; row < rows; row++) inertia += squaredToRow(values, row, centres, load<i32>(i32At(labels, row)), cols);
  return inertia;
}
