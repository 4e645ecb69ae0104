// AssemblyScript, compiled into the models' kernel module by scripts/build-wasm.mjs (through
// segmentation.ts; not by tsc). The exact silhouette's O(n²) loop over arrays the caller lays out in
// the module's memory (pointers are byte offsets): the same bits as `allDistanceSums` in ../silhouette.ts.

/**
 * For rows from … to − 1 and every labelling: the distance to each later row, added to both rows' sums for the other's
 * cluster. `labels` holds the labellings one after another (`rows` i32 each), `ks` their cluster counts, `sums` the
 * byte offset of each labelling's sums (`rows · k` f64, row-major), `distances` scratch for `rows` f64. Each sum is
 * added to in ascending order of the other row, as the JavaScript loop adds.
 */
export function silhouetteDistanceSums(values: usize, rows: i32, cols: i32, labels: usize, ks: usize, sums: usize, labellings: i32, distances: usize, from: i32, to: i32): void {
  for (let i = from; i < to; i++) {
    const rowI = values + (<usize>(i * cols) << 3);
    for (let j = i + 1; j < rows; j++) {
      const rowJ = values + (<usize>(j * cols) << 3);
      let squared: f64 = 0;
      for (let col = 0; col < cols; col++) {
        const diff = load<f64>(rowI + (<usize>col << 3)) - load<f64>(rowJ + (<usize>col << 3));
        squared += diff * diff;
      }
      store<f64>(distances + (<usize>j << 3), Math.sqrt(squared));
    }
    for (let l = 0; l < labellings; l++) {
      const clusterOf = labels + (<usize>(l * rows) << 2);
      const k = load<i32>(ks + (<usize>l << 2));
      const sumsL = load<u32>(sums + (<usize>l << 2));
      const labelI = load<i32>(clusterOf + (<usize>i << 2));
      const sumsI = <usize>sumsL + (<usize>(i * k) << 3);
      for (let j = i + 1; j < rows; j++) {
        const distance = load<f64>(distances + (<usize>j << 3));
        const slotI = sumsI + (<usize>load<i32>(clusterOf + (<usize>j << 2)) << 3);
        store<f64>(slotI, load<f64>(slotI) + distance);
        const slotJ = <usize>sumsL + (<usize>(j * k + labelI) << 3);
        store<f64>(slotJ, load<f64>(slotJ) + distance);
      }
    }
  }
}
