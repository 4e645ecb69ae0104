/**
 * The hot loops of ALS's conjugate-gradient solver in JavaScript: the reference the WebAssembly kernel
 * (assembly/als.ts, loaded by als-wasm.ts) is tested against bit for bit. Every sum runs in the order the kernel's
 * f64x2 lanes run it: a dot product keeps four running sums (`laneDot`); element-wise updates (x += s·p,
 * out += Σ w_k·row_k) are the same in either.
 */
import type { SparseMatrix } from '../baskets/interactions.ts';

/** One training's sparse rows, confidences and starting factors (row-major, f per row). */
export interface AlsInput {
  readonly f: number;
  readonly byUser: Pick<SparseMatrix, 'rows' | 'indptr' | 'indices'>;
  readonly byItem: Pick<SparseMatrix, 'rows' | 'indptr' | 'indices'>;
  readonly userConfidence: Float64Array;
  readonly itemConfidence: Float64Array;
  readonly userFactors: Float64Array;
  readonly itemFactors: Float64Array;
}

export type AlsSide = 'customers' | 'products';

/**
 * One training in a kernel's memory: the factors and grams (XᵀX + λI, YᵀY + λI) as live arrays, valid until the
 * kernel starts another training; the loops over them.
 */
export interface AlsRun {
  readonly kernel: AlsKernelName;
  readonly userFactors: Float64Array;
  readonly itemFactors: Float64Array;
  readonly userGram: Float64Array;
  readonly itemGram: Float64Array;
  /** The side's gram from its factors. */
  gramian(side: AlsSide, lambda: number): void;
  /** The side's factors by CG against the other side's factors and gram. */
  conjugateGradientHalfStep(side: AlsSide, steps: number): void;
  boughtLoss(): number;
}

export type AlsKernelName = 'js' | 'wasm';

/** A training on these JavaScript loops, over the input's own factor arrays. */
export function jsAlsRun(input: AlsInput): AlsRun {
  const { f, byUser, byItem, userConfidence, itemConfidence, userFactors, itemFactors } = input;
  const userGram = new Float64Array(f * f);
  const itemGram = new Float64Array(f * f);
  const scratch = cgScratch(f, Math.max(longestRow(byUser), longestRow(byItem)));
  return {
    kernel: 'js',
    userFactors,
    itemFactors,
    userGram,
    itemGram,
    gramian: (side, lambda) => (side === 'customers' ? gramian(userFactors, byUser.rows, f, lambda, userGram) : gramian(itemFactors, byItem.rows, f, lambda, itemGram)),
    conjugateGradientHalfStep(side, steps) {
      if (side === 'customers') conjugateGradientHalfStep(byUser, userConfidence, userFactors, itemFactors, itemGram, f, steps, scratch);
      else conjugateGradientHalfStep(byItem, itemConfidence, itemFactors, userFactors, userGram, f, steps, scratch);
    },
    boughtLoss: () => boughtLoss(byUser, userConfidence, userFactors, itemFactors, f),
  };
}

/**
 * Σ_x a[ao + x]·b[bo + x] in four running sums by x mod 4, a last pair of terms into the first two; then
 * (s0 + s2) + the odd-length last term, + (s1 + s3): the order of the WebAssembly kernel's two f64x2 accumulators.
 */
export function laneDot(a: Float64Array, ao: number, b: Float64Array, bo: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let x = 0;
  for (; x + 3 < n; x += 4) {
    s0 += (a[ao + x] as number) * (b[bo + x] as number);
    s1 += (a[ao + x + 1] as number) * (b[bo + x + 1] as number);
    s2 += (a[ao + x + 2] as number) * (b[bo + x + 2] as number);
    s3 += (a[ao + x + 3] as number) * (b[bo + x + 3] as number);
  }
  if (x + 1 < n) {
    s0 += (a[ao + x] as number) * (b[bo + x] as number);
    s1 += (a[ao + x + 1] as number) * (b[bo + x + 1] as number);
    x += 2;
  }
  let even = s0 + s2;
  if (x < n) even += (a[ao + x] as number) * (b[bo + x] as number);
  return even + (s1 + s3);
}

/**
 * out = MᵀM + λI for the rows × f matrix M (row-major), adding four rows' products at a time:
 * out[a][b] += (m0a·m0b + m1a·m1b) + (m2a·m2b + m3a·m3b), then one row at a time for the last rows.
 */
export function gramian(m: Float64Array, rows: number, f: number, lambda: number, out: Float64Array): void {
  out.fill(0, 0, f * f);
  let row = 0;
  for (; row + 3 < rows; row += 4) {
    const o0 = row * f;
    const o1 = o0 + f;
    const o2 = o1 + f;
    const o3 = o2 + f;
    for (let a = 0; a < f; a++) {
      const m0 = m[o0 + a] as number;
      const m1 = m[o1 + a] as number;
      const m2 = m[o2 + a] as number;
      const m3 = m[o3 + a] as number;
      const oa = a * f;
      for (let b = a; b < f; b++) {
        out[oa + b] = (out[oa + b] as number) + (m0 * (m[o0 + b] as number) + m1 * (m[o1 + b] as number) + (m2 * (m[o2 + b] as number) + m3 * (m[o3 + b] as number)));
      }
    }
  }
  for (; row < rows; row++) {
    const o = row * f;
    for (let a = 0; a < f; a++) {
      const ma = m[o + a] as number;
      for (let b = a; b < f; b++) out[a * f + b] = (out[a * f + b] as number) + ma * (m[o + b] as number);
    }
  }
  for (let a = 0; a < f; a++) {
    for (let b = a + 1; b < f; b++) out[b * f + a] = out[a * f + b] as number;
    out[a * f + a] = (out[a * f + a] as number) + lambda;
  }
}

/** Scratch for `conjugateGradientHalfStep`: r, p, Ap and the gathered factor rows of the longest row with their weights. */
export interface CgScratch {
  readonly r: Float64Array;
  readonly p: Float64Array;
  readonly ap: Float64Array;
  readonly w: Float64Array;
  readonly rows: Float64Array;
}

export function cgScratch(f: number, longestRow: number): CgScratch {
  return { r: new Float64Array(f), p: new Float64Array(f), ap: new Float64Array(f), w: new Float64Array(longestRow), rows: new Float64Array(longestRow * f) };
}

/** The most entries in one row of `m`. */
export function longestRow(m: Pick<SparseMatrix, 'rows' | 'indptr'>): number {
  let longest = 0;
  for (let row = 0; row < m.rows; row++) longest = Math.max(longest, (m.indptr[row + 1] as number) - (m.indptr[row] as number));
  return longest;
}

/**
 * For every row u of m: x_u ← `steps` CG steps on (G + Σ_i (c_ui − 1) y_i y_iᵀ) x = Σ_i c_ui y_i from the current x_u,
 * never forming the matrix: a product costs f² + 2·n_u·f (implicit/cpu/_als.pyx `_least_squares_cg`, step for step).
 * The row's y_i are first copied side by side, so the passes over them read memory in order.
 */
export function conjugateGradientHalfStep(m: Pick<SparseMatrix, 'rows' | 'indptr' | 'indices'>, c: Float64Array, x: Float64Array, y: Float64Array, g: Float64Array, f: number, steps: number, s: CgScratch): void {
  const { r, p, ap, w, rows } = s;
  const { indptr, indices } = m;
  for (let row = 0; row < m.rows; row++) {
    const start = indptr[row] as number;
    const end = indptr[row + 1] as number;
    const xo = row * f;
    if (start === end) {
      x.fill(0, xo, xo + f); // the exact minimiser for a row with no interactions
      continue;
    }
    const n = end - start;
    for (let k = 0; k < n; k++) rows.set(y.subarray((indices[start + k] as number) * f, (indices[start + k] as number) * f + f), k * f);
    // r = b − A·x = Σ_k (c_k − (c_k − 1)·y_kᵀx) y_k − G x
    for (let a = 0; a < f; a++) p[a] = x[xo + a] as number;
    for (let a = 0; a < f; a++) r[a] = -laneDot(g, a * f, p, 0, f);
    for (let k = 0; k < n; k++) {
      const ck = c[start + k] as number;
      w[k] = ck - (ck - 1) * laneDot(rows, k * f, p, 0, f);
    }
    accumulateRows(rows, w, n, f, r);
    p.set(r);
    let rsOld = laneDot(r, 0, r, 0, f);
    if (rsOld < 1e-20) continue;
    for (let step = 0; step < steps; step++) {
      for (let a = 0; a < f; a++) ap[a] = laneDot(g, a * f, p, 0, f);
      for (let k = 0; k < n; k++) w[k] = ((c[start + k] as number) - 1) * laneDot(rows, k * f, p, 0, f);
      accumulateRows(rows, w, n, f, ap);
      const curvature = laneDot(p, 0, ap, 0, f);
      if (!(curvature > 0)) break; // only with λ = 0 and a singular system: keep the last iterate
      const stepSize = rsOld / curvature;
      for (let a = 0; a < f; a++) {
        x[xo + a] = (x[xo + a] as number) + stepSize * (p[a] as number);
        r[a] = (r[a] as number) - stepSize * (ap[a] as number);
      }
      const rsNew = laneDot(r, 0, r, 0, f);
      if (rsNew < 1e-20) break;
      const beta = rsNew / rsOld;
      for (let a = 0; a < f; a++) p[a] = (r[a] as number) + beta * (p[a] as number);
      rsOld = rsNew;
    }
  }
}

/** out += Σ_k w[k] · rows[k·f .. (k+1)·f): four rows at a time as (w0·r0 + w1·r1) + (w2·r2 + w3·r3), then one at a time. */
function accumulateRows(rows: Float64Array, w: Float64Array, n: number, f: number, out: Float64Array): void {
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
  for (; k < n; k++) {
    const wk = w[k] as number;
    const o = k * f;
    for (let a = 0; a < f; a++) out[a] = (out[a] as number) + wk * (rows[o + a] as number);
  }
}

/** Σ over the bought pairs (u, i) of c_ui(1 − s_ui)² − s_ui² with s_ui = x_uᵀy_i: the part of Hu et al.'s loss the grams do not give. */
export function boughtLoss(byUser: Pick<SparseMatrix, 'rows' | 'indptr' | 'indices'>, c: Float64Array, x: Float64Array, y: Float64Array, f: number): number {
  let loss = 0;
  for (let u = 0; u < byUser.rows; u++) {
    for (let k = byUser.indptr[u] as number; k < (byUser.indptr[u + 1] as number); k++) {
      const score = laneDot(y, (byUser.indices[k] as number) * f, x, u * f, f);
      const miss = 1 - score;
      loss += (c[k] as number) * (miss * miss) - score * score;
    }
  }
  return loss;
}
