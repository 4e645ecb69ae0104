/**
 * The dense loops of PureSVD's training and of scoring every product from factors (ALS, PureSVD) in the WebAssembly
 * module of als-wasm.ts: the same bits as their JavaScript loops (pure-svd.ts, factor-scores.ts), two products per
 * SIMD instruction. Each user gets an instance of the module of its own, so its arrays stay put while another model
 * trains in the shared one.
 */
import type { SparseMatrix } from '../baskets/interactions.ts';
import { freshKernelInstance } from './als-wasm.ts';

interface DenseExports {
  readonly memory: WebAssembly.Memory;
  heapBase(): number;
  scoreAllItems(byFactor: number, items: number, f: number, v: number, out: number): void;
  sparseTimesBlock(rows: number, indptr: number, indices: number, data: number, block: number, out: number, l: number): void;
  orthonormaliseColumns(t: number, n: number, l: number): void;
  normalEquations(g: number, y: number, f: number, items: number, c: number, n: number, a: number, b: number): void;
  sgdEpoch(users: number, items: number, values: number, order: number, n: number, f: number, mu: number, lr: number, reg: number, biased: boolean, bu: number, bi: number, pu: number, qi: number): void;
}

const PAGE = 65_536;
const align = (offset: number) => Math.ceil(offset / 16) * 16;

/** A fresh instance with `bytes` laid out after its heap base: the byte offset of each, or null without the module. */
export function instanceWith<Exports extends { readonly memory: WebAssembly.Memory; heapBase(): number } = DenseExports>(bytes: readonly number[]): { k: Exports; at: number[] } | null {
  const k = freshKernelInstance() as Exports | null;
  if (k === null) return null;
  let end = align(k.heapBase());
  const at = bytes.map((size) => {
    const offset = end;
    end = align(end + size);
    return offset;
  });
  if (end > k.memory.buffer.byteLength) k.memory.grow(Math.ceil((end - k.memory.buffer.byteLength) / PAGE));
  return { k, at };
}

/** `scoreAll(byFactor, items, f, v, vo, out)` on the kernel, with byFactor copied in once; null without the module. */
export function wasmFactorScorer(byFactor: Float64Array, items: number, f: number): ((v: Float64Array, vo: number, out: Float64Array) => void) | null {
  const placed = instanceWith([8 * byFactor.length, 8 * f, 8 * items]);
  if (placed === null) return null;
  const { k, at } = placed;
  const [factors, vector, scores] = at as [number, number, number];
  const buffer = k.memory.buffer;
  new Float64Array(buffer, factors, byFactor.length).set(byFactor);
  const v64 = new Float64Array(buffer, vector, f);
  const out64 = new Float64Array(buffer, scores, items);
  return (v, vo, out) => {
    v64.set(v.subarray(vo, vo + f));
    k.scoreAllItems(factors, items, f, vector, scores);
    out.set(out.length < items ? out64.subarray(0, out.length) : out64);
  };
}

/** PureSVD's blocks in one instance: Q (items × l) and Z (customers × l) as views, and the steps that update them. */
export interface SvdBlocks {
  readonly q: Float64Array;
  readonly z: Float64Array;
  /** Z = R Q. */
  customerStep(): void;
  /** Q = Rᵀ Z. */
  productStep(): void;
  /** Q's columns orthonormalised (modified Gram–Schmidt, twice). */
  orthonormalise(): void;
}

export function wasmSvdBlocks(byUser: SparseMatrix, byItem: SparseMatrix, l: number): SvdBlocks | null {
  const items = byUser.cols;
  const users = byUser.rows;
  const csr = (m: SparseMatrix) => [4 * (m.rows + 1), 4 * m.indices.length, 8 * m.data.length];
  const placed = instanceWith([...csr(byUser), ...csr(byItem), 8 * items * l, 8 * users * l, 8 * items * l]);
  if (placed === null) return null;
  const { k, at } = placed;
  const [uIndptr, uIndices, uData, iIndptr, iIndices, iData, q, z, t] = at as [number, number, number, number, number, number, number, number, number];
  const buffer = k.memory.buffer;
  const place = (m: SparseMatrix, indptr: number, indices: number, data: number) => {
    new Int32Array(buffer, indptr, m.rows + 1).set(m.indptr.subarray(0, m.rows + 1));
    new Int32Array(buffer, indices, m.indices.length).set(m.indices);
    new Float64Array(buffer, data, m.data.length).set(m.data);
  };
  place(byUser, uIndptr, uIndices, uData);
  place(byItem, iIndptr, iIndices, iData);
  const qView = new Float64Array(buffer, q, items * l);
  const tView = new Float64Array(buffer, t, items * l);
  return {
    q: qView,
    z: new Float64Array(buffer, z, users * l),
    customerStep: () => k.sparseTimesBlock(users, uIndptr, uIndices, uData, q, z, l),
    productStep: () => k.sparseTimesBlock(items, iIndptr, iIndices, iData, z, q, l),
    orthonormalise() {
      for (let i = 0; i < items; i++) for (let c = 0; c < l; c++) tView[c * items + i] = qView[i * l + c] as number;
      k.orthonormaliseColumns(t, items, l);
      for (let i = 0; i < items; i++) for (let c = 0; c < l; c++) qView[i * l + c] = tView[c * items + i] as number;
    },
  };
}

/** SVD's SGD in one instance: the ratings and the model's arrays copied in once, epochs run there, the arrays copied back. */
export interface SgdRun {
  /** svd.ts `sgdEpoch` over the ratings in `order`. */
  epoch(order: Int32Array, mu: number, lr: number, reg: number, biased: boolean): void;
  /** Copies the biases and factors back into the arrays given. */
  copyOut(): void;
}

export function wasmSgd(
  ratings: { readonly users: Int32Array; readonly items: Int32Array; readonly values: Float64Array },
  f: number,
  model: { readonly bu: Float64Array; readonly bi: Float64Array; readonly pu: Float64Array; readonly qi: Float64Array },
): SgdRun | null {
  const n = ratings.values.length;
  const { bu, bi, pu, qi } = model;
  const placed = instanceWith([4 * n, 4 * n, 8 * n, 4 * n, 8 * bu.length, 8 * bi.length, 8 * pu.length, 8 * qi.length]);
  if (placed === null) return null;
  const { k, at } = placed;
  const [users, items, values, order, buAt, biAt, puAt, qiAt] = at as [number, number, number, number, number, number, number, number];
  const buffer = k.memory.buffer;
  new Int32Array(buffer, users, n).set(ratings.users.subarray(0, n));
  new Int32Array(buffer, items, n).set(ratings.items.subarray(0, n));
  new Float64Array(buffer, values, n).set(ratings.values);
  const views = [
    [bu, new Float64Array(buffer, buAt, bu.length)],
    [bi, new Float64Array(buffer, biAt, bi.length)],
    [pu, new Float64Array(buffer, puAt, pu.length)],
    [qi, new Float64Array(buffer, qiAt, qi.length)],
  ] as const;
  for (const [array, view] of views) view.set(array);
  const orderView = new Int32Array(buffer, order, n);
  return {
    epoch(visit, mu, lr, reg, biased) {
      orderView.set(visit);
      k.sgdEpoch(users, items, values, order, n, f, mu, lr, reg, biased, buAt, biAt, puAt, qiAt);
    },
    copyOut() {
      for (const [array, view] of views) array.set(view);
    },
  };
}

/**
 * als.ts `normalEquations` on the kernel for the rows of one customer at a time (ALS's explanations), with the gram and
 * the item factors copied in once: `(items, start, end, c, a)` fills a (f × f) from `items[start .. end)` and their
 * confidences `c[0 .. end − start)`; null without the module. `longest`: the most rows one call may take.
 */
export function wasmNormalEquations(gram: Float64Array, y: Float64Array, f: number, longest: number): ((items: Int32Array, start: number, end: number, c: Float64Array, a: Float64Array) => void) | null {
  const placed = instanceWith([8 * gram.length, 8 * y.length, 4 * longest, 8 * longest, 8 * f * f, 8 * f]);
  if (placed === null) return null;
  const { k, at } = placed;
  const [g, factors, rows, confidences, out, sums] = at as [number, number, number, number, number, number];
  const buffer = k.memory.buffer;
  new Float64Array(buffer, g, gram.length).set(gram);
  new Float64Array(buffer, factors, y.length).set(y);
  const rowsView = new Int32Array(buffer, rows, longest);
  const cView = new Float64Array(buffer, confidences, longest);
  const outView = new Float64Array(buffer, out, f * f);
  return (items, start, end, c, a) => {
    const n = end - start;
    rowsView.set(items.subarray(start, end));
    cView.set(c.subarray(0, n));
    k.normalEquations(g, factors, f, rows, confidences, n, out, sums);
    a.set(outView);
  };
}
