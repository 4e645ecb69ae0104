/**
 * Dense kernels over factor matrices: scoring every product for one customer (ALS, PureSVD), and the products of
 * ALS's conjugate-gradient step over one customer's (or product's) gathered factor rows.
 */
import { axpy, dotAt } from '../kit/vector.ts';

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

/** out = sign · G v for the f × f matrix G (row-major). */
export function symmetricProduct(g: Float64Array, v: Float64Array, out: Float64Array, f: number, sign: number): void {
  for (let a = 0; a < f; a++) out[a] = sign * dotAt(g, a * f, v, 0, f);
}

/** w[k] = rows[k·f .. (k+1)·f) · v, four rows per pass over `v`. */
export function rowProducts(rows: Float64Array, v: Float64Array, n: number, f: number, w: Float64Array): void {
  let k = 0;
  for (; k + 3 < n; k += 4) {
    const o0 = k * f;
    const o1 = o0 + f;
    const o2 = o1 + f;
    const o3 = o2 + f;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let a = 0; a < f; a++) {
      const va = v[a] as number;
      s0 += (rows[o0 + a] as number) * va;
      s1 += (rows[o1 + a] as number) * va;
      s2 += (rows[o2 + a] as number) * va;
      s3 += (rows[o3 + a] as number) * va;
    }
    w[k] = s0;
    w[k + 1] = s1;
    w[k + 2] = s2;
    w[k + 3] = s3;
  }
  for (; k < n; k++) w[k] = dotAt(rows, k * f, v, 0, f);
}

/** out += Σ_k w[k] · rows[k·f .. (k+1)·f), four rows per pass over `out`. */
export function accumulateRows(rows: Float64Array, w: Float64Array, n: number, f: number, out: Float64Array): void {
  let k = 0;
  for (; k + 3 < n; k += 4) {
    const w0 = w[k] as number;
    const w1 = w[k + 1] as number;
    const w2 = w[k + 2] as number;
    const w3 = w[k + 3] as number;
    const o0 = k * f;
    const o1 = o0 + f;
    const o2 = o1 + f;
    const o3 = o2 + f;
    for (let a = 0; a < f; a++) {
      out[a] = (out[a] as number) + (w0 * (rows[o0 + a] as number) + w1 * (rows[o1 + a] as number) + (w2 * (rows[o2 + a] as number) + w3 * (rows[o3 + a] as number)));
    }
  }
  for (; k < n; k++) axpy(w[k] as number, rows, k * f, out, f);
}
