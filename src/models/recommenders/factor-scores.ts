/** Dense kernels over factor matrices: scoring every product for one customer (ALS, PureSVD). */
import { wasmFactorScorer } from './dense-wasm.ts';

/** The factor-major copy (f × rows) of a row-major rows × f factor matrix. */
export function transposeFactors(m: Float64Array, rows: number, f: number): Float64Array {
  const t = new Float64Array(rows * f);
  for (let row = 0; row < rows; row++) for (let a = 0; a < f; a++) t[a * rows + row] = m[row * f + a] as number;
  return t;
}

/**
 * out[i] = Σ_a v[vo + a] · byFactor[a·items + i] for every item: one customer's scores, four factors per pass over
 * `out`, so each pass reads the factor-major item matrix in order.
 */
export function scoreAll(byFactor: Float64Array, items: number, f: number, v: Float64Array, vo: number, out: Float64Array): void {
  out.fill(0, 0, items);
  let a = 0;
  for (; a + 3 < f; a += 4) {
    const v0 = v[vo + a] as number;
    const v1 = v[vo + a + 1] as number;
    const v2 = v[vo + a + 2] as number;
    const v3 = v[vo + a + 3] as number;
    const o0 = a * items;
    const o1 = o0 + items;
    const o2 = o1 + items;
    const o3 = o2 + items;
    for (let i = 0; i < items; i++) {
      out[i] = (out[i] as number) + (v0 * (byFactor[o0 + i] as number) + v1 * (byFactor[o1 + i] as number) + (v2 * (byFactor[o2 + i] as number) + v3 * (byFactor[o3 + i] as number)));
    }
  }
  for (; a < f; a++) {
    const va = v[vo + a] as number;
    const o = a * items;
    for (let i = 0; i < items; i++) out[i] = (out[i] as number) + va * (byFactor[o + i] as number);
  }
}

/** `scoreAll` over one factor-major matrix, on the WebAssembly kernel when it is loaded (the same bits), else in JavaScript. */
export function factorScorer(byFactor: Float64Array, items: number, f: number): (v: Float64Array, vo: number, out: Float64Array) => void {
  return wasmFactorScorer(byFactor, items, f) ?? ((v, vo, out) => scoreAll(byFactor, items, f, v, vo, out));
}
