// AssemblyScript, compiled to WebAssembly with 128-bit SIMD by scripts/build-wasm.mjs (not by tsc). The hot loops of ALS
// (and, re-exported, the other models') over f64 arrays the caller lays out in this module's memory (pointers
// are byte offsets). Each gives the same bits as its JavaScript reference (../als-kernels.ts): a dot product keeps two
// lanes (even and odd terms) summed last, and element-wise updates group their terms as the reference does.
export * from './kernels';
import { f64At as at } from './pointers';

/** The first byte the caller may use. */
export function heapBase(): usize {
  return __heap_base;
}

/**
 * laneDot: Σ a[x]·b[x] in four running sums by x mod 4 (two f64x2 accumulators, so additions overlap), a last pair
 * into the first; then (s0 + s2) + the odd-length last term, + (s1 + s3).
 */
@inline function laneDot(a: usize, b: usize, n: i32): f64 {
  let acc0 = f64x2.splat(0);
  let acc1 = f64x2.splat(0);
  let x = 0;
  for (; x + 3 < n; x += 4) {
    acc0 = f64x2.add(acc0, f64x2.mul(v128.load(at(a, x)), v128.load(at(b, x))));
    acc1 = f64x2.add(acc1, f64x2.mul(v128.load(at(a, x + 2)), v128.load(at(b, x + 2))));
  }
  if (x + 1 < n) {
    acc0 = f64x2.add(acc0, f64x2.mul(v128.load(at(a, x)), v128.load(at(b, x))));
    x += 2;
  }
  const acc = f64x2.add(acc0, acc1);
  let even = f64x2.extract_lane(acc, 0);
  if (x < n) even += load<f64>(at(a, x)) * load<f64>(at(b, x));
  return even + f64x2.extract_lane(acc, 1);
}

/** out[k] = laneDot(rows + k·f, v, f) for k < n, four rows per pass over v. */
function rowDots(rows: usize, v: usize, n: i32, f: i32, out: usize): void {
  let k = 0;
  for (; k + 3 < n; k += 4) {
    const r0 = at(rows, k * f);
    const r1 = at(r0, f);
    const r2 = at(r1, f);
    const r3 = at(r2, f);
    let s0 = f64x2.splat(0);
    let s1 = f64x2.splat(0);
    let s2 = f64x2.splat(0);
    let s3 = f64x2.splat(0);
    let t0 = f64x2.splat(0);
    let t1 = f64x2.splat(0);
    let t2 = f64x2.splat(0);
    let t3 = f64x2.splat(0);
    let x = 0;
    for (; x + 3 < f; x += 4) {
      const vx = v128.load(at(v, x));
      const vy = v128.load(at(v, x + 2));
      s0 = f64x2.add(s0, f64x2.mul(v128.load(at(r0, x)), vx));
      s1 = f64x2.add(s1, f64x2.mul(v128.load(at(r1, x)), vx));
      s2 = f64x2.add(s2, f64x2.mul(v128.load(at(r2, x)), vx));
      s3 = f64x2.add(s3, f64x2.mul(v128.load(at(r3, x)), vx));
      t0 = f64x2.add(t0, f64x2.mul(v128.load(at(r0, x + 2)), vy));
      t1 = f64x2.add(t1, f64x2.mul(v128.load(at(r1, x + 2)), vy));
      t2 = f64x2.add(t2, f64x2.mul(v128.load(at(r2, x + 2)), vy));
      t3 = f64x2.add(t3, f64x2.mul(v128.load(at(r3, x + 2)), vy));
    }
    if (x + 1 < f) {
      const vx = v128.load(at(v, x));
      s0 = f64x2.add(s0, f64x2.mul(v128.load(at(r0, x)), vx));
      s1 = f64x2.add(s1, f64x2.mul(v128.load(at(r1, x)), vx));
      s2 = f64x2.add(s2, f64x2.mul(v128.load(at(r2, x)), vx));
      s3 = f64x2.add(s3, f64x2.mul(v128.load(at(r3, x)), vx));
      x += 2;
    }
    s0 = f64x2.add(s0, t0);
    s1 = f64x2.add(s1, t1);
    s2 = f64x2.add(s2, t2);
    s3 = f64x2.add(s3, t3);
    let e0 = f64x2.extract_lane(s0, 0);
    let e1 = f64x2.extract_lane(s1, 0);
    let e2 = f64x2.extract_lane(s2, 0);
    let e3 = f64x2.extract_lane(s3, 0);
    if (x < f) {
      const vx = load<f64>(at(v, x));
      e0 += load<f64>(at(r0, x)) * vx;
      e1 += load<f64>(at(r1, x)) * vx;
      e2 += load<f64>(at(r2, x)) * vx;
      e3 += load<f64>(at(r3, x)) * vx;
    }
    store<f64>(at(out, k), e0 + f64x2.extract_lane(s0, 1));
    store<f64>(at(out, k + 1), e1 + f64x2.extract_lane(s1, 1));
    store<f64>(at(out, k + 2), e2 + f64x2.extract_lane(s2, 1));
    store<f64>(at(out, k + 3), e3 + f64x2.extract_lane(s3, 1));
  }
  for (; k < n; k++) store<f64>(at(out, k), laneDot(at(rows, k * f), v, f));
}

/** out += Σ_k w[k]·rows[k], as (w0·r0 + w1·r1) + (w2·r2 + w3·r3) per four rows, then one row at a time. */
function accumulateRows(rows: usize, w: usize, n: i32, f: i32, out: usize): void {
  let k = 0;
  for (; k + 3 < n; k += 4) {
    const r0 = at(rows, k * f);
    const r1 = at(r0, f);
    const r2 = at(r1, f);
    const r3 = at(r2, f);
    const w0 = load<f64>(at(w, k));
    const w1 = load<f64>(at(w, k + 1));
    const w2 = load<f64>(at(w, k + 2));
    const w3 = load<f64>(at(w, k + 3));
    const v0 = f64x2.splat(w0);
    const v1 = f64x2.splat(w1);
    const v2 = f64x2.splat(w2);
    const v3 = f64x2.splat(w3);
    let a = 0;
    for (; a + 1 < f; a += 2) {
      const sum = f64x2.add(
        f64x2.add(f64x2.mul(v0, v128.load(at(r0, a))), f64x2.mul(v1, v128.load(at(r1, a)))),
        f64x2.add(f64x2.mul(v2, v128.load(at(r2, a))), f64x2.mul(v3, v128.load(at(r3, a)))),
      );
      v128.store(at(out, a), f64x2.add(v128.load(at(out, a)), sum));
    }
    if (a < f) {
      store<f64>(at(out, a), load<f64>(at(out, a)) + (w0 * load<f64>(at(r0, a)) + w1 * load<f64>(at(r1, a)) + (w2 * load<f64>(at(r2, a)) + w3 * load<f64>(at(r3, a)))));
    }
  }
  for (; k < n; k++) {
    const r = at(rows, k * f);
    const wk = load<f64>(at(w, k));
    const vk = f64x2.splat(wk);
    let a = 0;
    for (; a + 1 < f; a += 2) v128.store(at(out, a), f64x2.add(v128.load(at(out, a)), f64x2.mul(vk, v128.load(at(r, a)))));
    if (a < f) store<f64>(at(out, a), load<f64>(at(out, a)) + wk * load<f64>(at(r, a)));
  }
}

/** out = MᵀM + λI for the rows × f matrix at m, four rows' products at a time (als-kernels.ts `gramian`). */
export function gramian(m: usize, rows: i32, f: i32, lambda: f64, out: usize): void {
  memory.fill(out, 0, <usize>(f * f) << 3);
  let row = 0;
  for (; row + 3 < rows; row += 4) {
    const m0 = at(m, row * f);
    const m1 = at(m0, f);
    const m2 = at(m1, f);
    const m3 = at(m2, f);
    for (let a = 0; a < f; a++) {
      const s0 = f64x2.splat(load<f64>(at(m0, a)));
      const s1 = f64x2.splat(load<f64>(at(m1, a)));
      const s2 = f64x2.splat(load<f64>(at(m2, a)));
      const s3 = f64x2.splat(load<f64>(at(m3, a)));
      const oa = at(out, a * f);
      // From the even column at or below a: one entry left of the diagonal is computed too, and overwritten below.
      let b = a & ~1;
      for (; b + 1 < f; b += 2) {
        v128.store(at(oa, b), f64x2.add(v128.load(at(oa, b)), mulAdd4(s0, at(m0, b), s1, at(m1, b), s2, at(m2, b), s3, at(m3, b))));
      }
      if (b < f) store<f64>(at(oa, b), load<f64>(at(oa, b)) + mulAdd4Lane(s0, at(m0, b), s1, at(m1, b), s2, at(m2, b), s3, at(m3, b)));
    }
  }
  for (; row < rows; row++) {
    const mr = at(m, row * f);
    for (let a = 0; a < f; a++) {
      const ma = load<f64>(at(mr, a));
      const sa = f64x2.splat(ma);
      const oa = at(out, a * f);
      let b = a & ~1;
      for (; b + 1 < f; b += 2) v128.store(at(oa, b), f64x2.add(v128.load(at(oa, b)), f64x2.mul(sa, v128.load(at(mr, b)))));
      if (b < f) store<f64>(at(oa, b), load<f64>(at(oa, b)) + ma * load<f64>(at(mr, b)));
    }
  }
  for (let a = 0; a < f; a++) {
    for (let b = a + 1; b < f; b++) store<f64>(at(out, b * f + a), load<f64>(at(out, a * f + b)));
    store<f64>(at(out, a * f + a), load<f64>(at(out, a * f + a)) + lambda);
  }
}

/** als-kernels.ts `conjugateGradientHalfStep`: indptr and indices are i32, everything else f64. */
export function conjugateGradientHalfStep(
  rowCount: i32, indptr: usize, indices: usize, c: usize, x: usize, y: usize, g: usize, f: i32, steps: i32,
  r: usize, p: usize, ap: usize, w: usize, rows: usize,
): void {
  const rowBytes = <usize>f << 3;
  for (let row = 0; row < rowCount; row++) {
    const start = load<i32>(indptr + (<usize>row << 2));
    const end = load<i32>(indptr + (<usize>(row + 1) << 2));
    const xr = at(x, row * f);
    if (start === end) {
      memory.fill(xr, 0, rowBytes);
      continue;
    }
    const n = end - start;
    for (let k = 0; k < n; k++) memory.copy(at(rows, k * f), at(y, load<i32>(indices + (<usize>(start + k) << 2)) * f), rowBytes);
    memory.copy(p, xr, rowBytes);
    rowDots(g, p, f, f, r);
    for (let a = 0; a < f; a++) store<f64>(at(r, a), -load<f64>(at(r, a)));
    rowDots(rows, p, n, f, w);
    for (let k = 0; k < n; k++) {
      const ck = load<f64>(at(c, start + k));
      store<f64>(at(w, k), ck - (ck - 1) * load<f64>(at(w, k)));
    }
    accumulateRows(rows, w, n, f, r);
    memory.copy(p, r, rowBytes);
    let rsOld = laneDot(r, r, f);
    if (rsOld < 1e-20) continue;
    for (let step = 0; step < steps; step++) {
      rowDots(g, p, f, f, ap);
      rowDots(rows, p, n, f, w);
      for (let k = 0; k < n; k++) store<f64>(at(w, k), (load<f64>(at(c, start + k)) - 1) * load<f64>(at(w, k)));
      accumulateRows(rows, w, n, f, ap);
      const curvature = laneDot(p, ap, f);
      if (!(curvature > 0)) break;
      const stepSize = rsOld / curvature;
      const s = f64x2.splat(stepSize);
      let a = 0;
      for (; a + 1 < f; a += 2) {
        v128.store(at(xr, a), f64x2.add(v128.load(at(xr, a)), f64x2.mul(s, v128.load(at(p, a)))));
        v128.store(at(r, a), f64x2.sub(v128.load(at(r, a)), f64x2.mul(s, v128.load(at(ap, a)))));
      }
      if (a < f) {
        store<f64>(at(xr, a), load<f64>(at(xr, a)) + stepSize * load<f64>(at(p, a)));
        store<f64>(at(r, a), load<f64>(at(r, a)) - stepSize * load<f64>(at(ap, a)));
      }
      const rsNew = laneDot(r, r, f);
      if (rsNew < 1e-20) break;
      const beta = rsNew / rsOld;
      const bv = f64x2.splat(beta);
      a = 0;
      for (; a + 1 < f; a += 2) v128.store(at(p, a), f64x2.add(v128.load(at(r, a)), f64x2.mul(bv, v128.load(at(p, a)))));
      if (a < f) store<f64>(at(p, a), load<f64>(at(r, a)) + beta * load<f64>(at(p, a)));
      rsOld = rsNew;
    }
  }
}

/** als-kernels.ts `boughtLoss`. */
export function boughtLoss(rowCount: i32, indptr: usize, indices: usize, c: usize, x: usize, y: usize, f: i32): f64 {
  let loss = 0.0;
  for (let u = 0; u < rowCount; u++) {
    const end = load<i32>(indptr + (<usize>(u + 1) << 2));
    for (let k = load<i32>(indptr + (<usize>u << 2)); k < end; k++) {
      const score = laneDot(at(y, load<i32>(indices + (<usize>k << 2)) * f), at(x, u * f), f);
      const miss = 1 - score;
      loss += load<f64>(at(c, k)) * (miss * miss) - score * score;
    }
  }
  return loss;
}

// Dense kernels of the other factor models, on arrays in a module instance of their own (see ../dense-wasm.ts).

/** factor-scores.ts `scoreAll`: out[i] = Σ_a v[a]·byFactor[a·items + i], four factors per pass, two products per lane pair. */
export function scoreAllItems(byFactor: usize, items: i32, f: i32, v: usize, out: usize): void {
  memory.fill(out, 0, <usize>items << 3);
  let a = 0;
  for (; a + 3 < f; a += 4) {
    const v0 = f64x2.splat(load<f64>(at(v, a)));
    const v1 = f64x2.splat(load<f64>(at(v, a + 1)));
    const v2 = f64x2.splat(load<f64>(at(v, a + 2)));
    const v3 = f64x2.splat(load<f64>(at(v, a + 3)));
    const o0 = at(byFactor, a * items);
    const o1 = at(o0, items);
    const o2 = at(o1, items);
    const o3 = at(o2, items);
    let i = 0;
    for (; i + 1 < items; i += 2) {
      v128.store(at(out, i), f64x2.add(v128.load(at(out, i)), mulAdd4(v0, at(o0, i), v1, at(o1, i), v2, at(o2, i), v3, at(o3, i))));
    }
    if (i < items) store<f64>(at(out, i), load<f64>(at(out, i)) + mulAdd4Lane(v0, at(o0, i), v1, at(o1, i), v2, at(o2, i), v3, at(o3, i)));
  }
  for (; a < f; a++) axpyAt(load<f64>(at(v, a)), at(byFactor, a * items), out, items);
}

/** (s0·p0 + s1·p1) + (s2·p2 + s3·p3) for the two doubles at each pointer: four factors against four rows, lane-wise. */
// @ts-ignore: decorator
@inline function mulAdd4(s0: v128, p0: usize, s1: v128, p1: usize, s2: v128, p2: usize, s3: v128, p3: usize): v128 {
  return f64x2.add(f64x2.add(f64x2.mul(s0, v128.load(p0)), f64x2.mul(s1, v128.load(p1))), f64x2.add(f64x2.mul(s2, v128.load(p2)), f64x2.mul(s3, v128.load(p3))));
}

/** `mulAdd4` for one double at each pointer (an odd length's last), in the same order, from the factors' first lanes. */
// @ts-ignore: decorator
@inline function mulAdd4Lane(s0: v128, p0: usize, s1: v128, p1: usize, s2: v128, p2: usize, s3: v128, p3: usize): f64 {
  return f64x2.extract_lane(s0, 0) * load<f64>(p0) + f64x2.extract_lane(s1, 0) * load<f64>(p1) + (f64x2.extract_lane(s2, 0) * load<f64>(p2) + f64x2.extract_lane(s3, 0) * load<f64>(p3));
}

/** y[0 .. n) += w·x[0 .. n). */
@inline function axpyAt(w: f64, x: usize, y: usize, n: i32): void {
  const wv = f64x2.splat(w);
  let i = 0;
  for (; i + 1 < n; i += 2) v128.store(at(y, i), f64x2.add(v128.load(at(y, i)), f64x2.mul(wv, v128.load(at(x, i)))));
  if (i < n) store<f64>(at(y, i), load<f64>(at(y, i)) + w * load<f64>(at(x, i)));
}

/** kit/vector.ts `dotAt`: four running sums by x mod 4 (two lane pairs), the tail into the first, then (s0 + s1) + (s2 + s3). */
@inline function quadDot(a: usize, b: usize, n: i32): f64 {
  let acc0 = f64x2.splat(0);
  let acc1 = f64x2.splat(0);
  let x = 0;
  for (; x + 3 < n; x += 4) {
    acc0 = f64x2.add(acc0, f64x2.mul(v128.load(at(a, x)), v128.load(at(b, x))));
    acc1 = f64x2.add(acc1, f64x2.mul(v128.load(at(a, x + 2)), v128.load(at(b, x + 2))));
  }
  let s0 = f64x2.extract_lane(acc0, 0);
  for (; x < n; x++) s0 += load<f64>(at(a, x)) * load<f64>(at(b, x));
  return s0 + f64x2.extract_lane(acc0, 1) + (f64x2.extract_lane(acc1, 0) + f64x2.extract_lane(acc1, 1));
}

/** pure-svd.ts `multiply`: out (rows × l) = the CSR matrix (i32 indptr and indices, f64 data) · block (cols × l). */
export function sparseTimesBlock(rows: i32, indptr: usize, indices: usize, data: usize, block: usize, out: usize, l: i32): void {
  memory.fill(out, 0, <usize>(rows * l) << 3);
  for (let row = 0; row < rows; row++) {
    const target = at(out, row * l);
    const end = load<i32>(indptr + (<usize>(row + 1) << 2));
    for (let k = load<i32>(indptr + (<usize>row << 2)); k < end; k++) {
      axpyAt(load<f64>(at(data, k)), at(block, load<i32>(indices + (<usize>k << 2)) * l), target, l);
    }
  }
}

/** pure-svd.ts `orthonormalise` on the transposed block: l columns of n, each contiguous; modified Gram–Schmidt, twice. */
export function orthonormaliseColumns(t: usize, n: i32, l: i32): void {
  for (let pass = 0; pass < 2; pass++) {
    for (let c = 0; c < l; c++) {
      const column = at(t, c * n);
      for (let prior = 0; prior < c; prior++) {
        const earlier = at(t, prior * n);
        axpyAt(-quadDot(earlier, column, n), earlier, column, n);
      }
      const norm = Math.sqrt(quadDot(column, column, n));
      if (norm > 1e-12) {
        const nv = f64x2.splat(norm);
        let i = 0;
        for (; i + 1 < n; i += 2) v128.store(at(column, i), f64x2.div(v128.load(at(column, i)), nv));
        if (i < n) store<f64>(at(column, i), load<f64>(at(column, i)) / norm);
      } else {
        memory.fill(column, 0, <usize>n << 3);
      }
    }
  }
}

/**
 * svd.ts `sgdEpoch`: one SGD pass over the ratings at the positions in `order` (i32 users and items, f64 values),
 * updating the biases bu, bi and the factors pu, qi (f per row) in place. The prediction's dot product is `dotAt`'s
 * (quadDot); the factor updates move two factors per instruction, each lane computing the reference's expression
 * from the values before this rating.
 */
export function sgdEpoch(
  users: usize, items: usize, values: usize, order: usize, n: i32, f: i32, mu: f64, lr: f64, reg: f64, biased: bool,
  bu: usize, bi: usize, pu: usize, qi: usize,
): void {
  const lrv = f64x2.splat(lr);
  const regv = f64x2.splat(reg);
  for (let k = 0; k < n; k++) {
    const position = load<i32>(order + (<usize>k << 2));
    const u = load<i32>(users + (<usize>position << 2));
    const i = load<i32>(items + (<usize>position << 2));
    const p = at(pu, u * f);
    const q = at(qi, i * f);
    const err = load<f64>(at(values, position)) - (mu + load<f64>(at(bu, u)) + load<f64>(at(bi, i)) + quadDot(q, p, f));
    if (biased) {
      const bu0 = load<f64>(at(bu, u));
      store<f64>(at(bu, u), bu0 + lr * (err - reg * bu0));
      const bi0 = load<f64>(at(bi, i));
      store<f64>(at(bi, i), bi0 + lr * (err - reg * bi0));
    }
    const errv = f64x2.splat(err);
    let x = 0;
    for (; x + 1 < f; x += 2) {
      const pv = v128.load(at(p, x));
      const qv = v128.load(at(q, x));
      v128.store(at(p, x), f64x2.add(pv, f64x2.mul(lrv, f64x2.sub(f64x2.mul(errv, qv), f64x2.mul(regv, pv)))));
      v128.store(at(q, x), f64x2.add(qv, f64x2.mul(lrv, f64x2.sub(f64x2.mul(errv, pv), f64x2.mul(regv, qv)))));
    }
    if (x < f) {
      const puf = load<f64>(at(p, x));
      const qif = load<f64>(at(q, x));
      store<f64>(at(p, x), puf + lr * (err * qif - reg * puf));
      store<f64>(at(q, x), qif + lr * (err * puf - reg * qif));
    }
  }
}

// als.ts `normalEquations` for the rows at `items` (n i32 indices into y) with confidences c: a = g + Σ (c − 1)·y yᵀ on
// the lower triangle, two columns per instruction, and b = Σ c·y; each entry takes its terms in the reference's order.
export function normalEquations(g: usize, y: usize, f: i32, items: usize, c: usize, n: i32, a: usize, b: usize): void {
  memory.copy(a, g, <usize>(f * f) << 3);
  memory.fill(b, 0, <usize>f << 3);
  for (let k = 0; k < n; k++) {
    const yo = at(y, load<i32>(items + (<usize>k << 2)) * f);
    const ck = load<f64>(at(c, k));
    axpyAt(ck, yo, b, f);
    for (let i = 0; i < f; i++) {
      const w = (ck - 1) * load<f64>(at(yo, i));
      const ai = at(a, i * f);
      let j = 0;
      for (; j < i; j += 2) v128.store(at(ai, j), f64x2.add(v128.load(at(ai, j)), f64x2.mul(f64x2.splat(w), v128.load(at(yo, j)))));
      if (j === i) store<f64>(at(ai, j), load<f64>(at(ai, j)) + w * load<f64>(at(yo, j)));
    }
  }
}
