/** Dense vector kernels over Float64Array slices, shared by the factorisation models (ALS, SVD). */

/** out[0 .. f) += w · v[vo .. vo + f), unrolled like `dotAt`. */
export function axpy(w: number, v: Float64Array, vo: number, out: Float64Array, f: number): void {
  let a = 0;
  for (; a + 3 < f; a += 4) {
    out[a] = (out[a] as number) + w * (v[vo + a] as number);
    out[a + 1] = (out[a + 1] as number) + w * (v[vo + a + 1] as number);
    out[a + 2] = (out[a + 2] as number) + w * (v[vo + a + 2] as number);
    out[a + 3] = (out[a + 3] as number) + w * (v[vo + a + 3] as number);
  }
  for (; a < f; a++) out[a] = (out[a] as number) + w * (v[vo + a] as number);
}

/** Σ_x a[ao + x]·b[bo + x], with four running sums (faster in V8 than one). */
export function dotAt(a: Float64Array, ao: number, b: Float64Array, bo: number, length: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let x = 0;
  for (; x + 3 < length; x += 4) {
    s0 += (a[ao + x] as number) * (b[bo + x] as number);
    s1 += (a[ao + x + 1] as number) * (b[bo + x + 1] as number);
    s2 += (a[ao + x + 2] as number) * (b[bo + x + 2] as number);
    s3 += (a[ao + x + 3] as number) * (b[bo + x + 3] as number);
  }
  for (; x < length; x++) s0 += (a[ao + x] as number) * (b[bo + x] as number);
  return s0 + s1 + (s2 + s3);
}
