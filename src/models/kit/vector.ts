/** Dense vector and small-matrix kernels over Float64Arrays, shared by the models (ALS, SVD, logistic regression). */

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

/**
 * a ← its Cholesky factor L (lower triangle, row-major n × n), for a symmetric matrix given by its lower triangle.
 * Returns −1, or the first column whose pivot is not above `relativeTolerance` × its diagonal entry (not positive
 * definite: a collinear column, or a singular system), leaving `a` part-factored.
 */
export function choleskyFactor(a: Float64Array, n: number, relativeTolerance = 0): number {
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j] as number;
    for (let k = 0; k < j; k++) d -= (a[j * n + k] as number) ** 2;
    if (!(d > relativeTolerance * (a[j * n + j] as number)) || !(d > 0)) return j;
    const ljj = Math.sqrt(d);
    a[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let v = a[i * n + j] as number;
      for (let k = 0; k < j; k++) v -= (a[i * n + k] as number) * (a[j * n + k] as number);
      a[i * n + j] = v / ljj;
    }
  }
  return -1;
}

/** b ← (LLᵀ)⁻¹ b for a Cholesky factor L (lower triangle of `l`). */
export function choleskySubstitute(l: Float64Array, b: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    let v = b[i] as number;
    for (let k = 0; k < i; k++) v -= (l[i * n + k] as number) * (b[k] as number);
    b[i] = v / (l[i * n + i] as number);
  }
  for (let i = n - 1; i >= 0; i--) {
    let v = b[i] as number;
    for (let k = i + 1; k < n; k++) v -= (l[k * n + i] as number) * (b[k] as number);
    b[i] = v / (l[i * n + i] as number);
  }
}
