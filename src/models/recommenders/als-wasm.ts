/**
 * ALS's conjugate-gradient loops in WebAssembly with 128-bit SIMD (assembly/als.ts, compiled by scripts/build-wasm.mjs):
 * the same bits as the JavaScript loops of als-kernels.ts, about four times as fast. The module is handed in as bytes
 * by whoever can read it (the models worker fetches it, Node reads the file) and kept per thread; one training at a
 * time lays its arrays out in the module's memory.
 */
import type { AlsInput, AlsRun, AlsSide } from './als-kernels.ts';

interface AlsExports {
  readonly memory: WebAssembly.Memory;
  heapBase(): number;
  gramian(m: number, rows: number, f: number, lambda: number, out: number): void;
  conjugateGradientHalfStep(rowCount: number, indptr: number, indices: number, c: number, x: number, y: number, g: number, f: number, steps: number, r: number, p: number, ap: number, w: number, rows: number): void;
  boughtLoss(rowCount: number, indptr: number, indices: number, c: number, x: number, y: number, f: number): number;
}

let loaded: AlsExports | null = null;
let compiled: WebAssembly.Module | null = null;

/**
 * Compiles and keeps the kernel: `loadAlsKernel(bytes)`. False, and ALS stays on its JavaScript loops, when this
 * engine cannot compile it — WebAssembly SIMD is missing (Safari before 16.4, old engines) or the bytes are not the module.
 */
export function loadAlsKernel(bytes: Uint8Array): boolean {
  try {
    const module = new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
    loaded = new WebAssembly.Instance(module, {}).exports as unknown as AlsExports;
    compiled = module;
    return true;
  } catch {
    return false;
  }
}

export function alsKernelLoaded(): boolean {
  return loaded !== null;
}

/** Forgets the loaded kernel (tests of the fallback). */
export function unloadAlsKernel(): void {
  loaded = null;
  compiled = null;
}

/** A new instance of the loaded module, with a memory of its own (for arrays that must outlive the next training), or null. */
export function freshKernelInstance(): WebAssembly.Exports | null {
  return compiled === null ? null : new WebAssembly.Instance(compiled, {}).exports;
}

const PAGE = 65_536;
const align = (offset: number) => Math.ceil(offset / 16) * 16;

/** A training in the kernel's memory: the input copied in, views on the factors and grams (copy them out when done). */
export function wasmAlsRun(input: AlsInput): AlsRun {
  const k = loaded;
  if (k === null) throw new RangeError('the WebAssembly ALS kernel is not loaded');
  const { f, byUser, byItem } = input;
  let end = align(k.heapBase());
  const take = (bytes: number): number => {
    const at = end;
    end = align(end + bytes);
    return at;
  };
  const sparse = (m: AlsInput['byUser'], c: Float64Array) => ({ rows: m.rows, indptr: take(4 * (m.rows + 1)), indices: take(4 * m.indices.length), c: take(8 * c.length) });
  const user = sparse(byUser, input.userConfidence);
  const item = sparse(byItem, input.itemConfidence);
  const x = take(8 * input.userFactors.length);
  const y = take(8 * input.itemFactors.length);
  const userGram = take(8 * f * f);
  const itemGram = take(8 * f * f);
  let longest = 0;
  for (const m of [byUser, byItem]) for (let row = 0; row < m.rows; row++) longest = Math.max(longest, (m.indptr[row + 1] as number) - (m.indptr[row] as number));
  const scratch = { r: take(8 * f), p: take(8 * f), ap: take(8 * f), w: take(8 * longest), rows: take(8 * longest * f) };
  if (end > k.memory.buffer.byteLength) k.memory.grow(Math.ceil((end - k.memory.buffer.byteLength) / PAGE));
  const buffer = k.memory.buffer;
  const f64 = (at: number, length: number) => new Float64Array(buffer, at, length);
  const place = (m: AlsInput['byUser'], c: Float64Array, at: typeof user) => {
    new Int32Array(buffer, at.indptr, m.rows + 1).set(m.indptr.subarray(0, m.rows + 1));
    new Int32Array(buffer, at.indices, m.indices.length).set(m.indices);
    f64(at.c, c.length).set(c);
  };
  place(byUser, input.userConfidence, user);
  place(byItem, input.itemConfidence, item);
  const views = { userFactors: f64(x, input.userFactors.length), itemFactors: f64(y, input.itemFactors.length), userGram: f64(userGram, f * f), itemGram: f64(itemGram, f * f) };
  views.userFactors.set(input.userFactors);
  views.itemFactors.set(input.itemFactors);
  const halves: Record<AlsSide, { m: typeof user; x: number; y: number; g: number; gram: number; rows: number }> = {
    customers: { m: user, x, y, g: itemGram, gram: userGram, rows: byUser.rows },
    products: { m: item, x: y, y: x, g: userGram, gram: itemGram, rows: byItem.rows },
  };
  return {
    kernel: 'wasm',
    ...views,
    gramian(side, lambda) {
      const h = halves[side];
      k.gramian(h.x, h.rows, f, lambda, h.gram);
    },
    conjugateGradientHalfStep(side, steps) {
      const h = halves[side];
      k.conjugateGradientHalfStep(h.rows, h.m.indptr, h.m.indices, h.m.c, h.x, h.y, h.g, f, steps, scratch.r, scratch.p, scratch.ap, scratch.w, scratch.rows);
    },
    boughtLoss: () => k.boughtLoss(user.rows, user.indptr, user.indices, user.c, x, y, f),
  };
}
