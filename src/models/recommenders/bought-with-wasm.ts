/**
 * The pair count of bought-with.ts in the models' WebAssembly module (assembly/bought-with.ts): the baskets laid out
 * flat in a fresh instance's memory, the products run there in blocks, the ranked lists copied back. The same lists.
 */
import type { BoughtWithLists } from './bought-with.ts';
import { instanceWith } from './dense-wasm.ts';

interface BoughtWithExports {
  readonly memory: WebAssembly.Memory;
  heapBase(): number;
  boughtWithItems(starts: number, holding: number, basketStart: number, basketItems: number, position: number, together: number, touched: number, counts: number, basketCount: number, n: number, minCount: number, sizes: number, partners: number, shared: number, lifts: number, from: number, to: number): void;
}

/** Products per call: V8 swaps its optimised code in for later calls only (see silhouette-wasm.ts). */
const BLOCK_ITEMS = 64;

/**
 * Counts every pair of products sharing baskets into `lists`, as bought-with.ts's loop does (`starts`/`holding`: the
 * baskets holding each product); false when the module is not loaded. `checkpoint(fraction)` runs between blocks.
 */
export function wasmBoughtWith(
  baskets: readonly Int32Array[],
  { starts, holding, counts, minCount }: { starts: Int32Array; holding: Int32Array; counts: Int32Array; minCount: number },
  lists: BoughtWithLists,
  checkpoint: (fraction: number) => void,
): boolean {
  const items = counts.length;
  const { n } = lists;
  const placed = instanceWith<BoughtWithExports>([
    4 * (items + 1), 4 * holding.length, 4 * (baskets.length + 1), 4 * holding.length, 4 * baskets.length, 4 * items, 4 * items, 4 * items,
    4 * items, 4 * items * n, 4 * items * n, 8 * items * n,
  ]);
  if (placed === null) return false;
  const { k: kernel, at } = placed;
  const [startsAt, holdingAt, basketStart, basketItems, position, together, touched, countsAt, sizes, partners, shared, lifts] = at as [
    number, number, number, number, number, number, number, number, number, number, number, number,
  ];
  const buffer = kernel.memory.buffer;
  new Int32Array(buffer, startsAt, items + 1).set(starts);
  new Int32Array(buffer, holdingAt, holding.length).set(holding);
  const offsets = new Int32Array(buffer, basketStart, baskets.length + 1);
  const flat = new Int32Array(buffer, basketItems, holding.length);
  baskets.forEach((basket, index) => {
    flat.set(basket, offsets[index] as number);
    offsets[index + 1] = (offsets[index] as number) + basket.length;
  });
  new Int32Array(buffer, countsAt, items).set(counts);
  for (let from = 0; from < items; from += BLOCK_ITEMS) {
    checkpoint(from / items);
    kernel.boughtWithItems(startsAt, holdingAt, basketStart, basketItems, position, together, touched, countsAt, lists.basketCount, n, minCount, sizes, partners, shared, lifts, from, Math.min(items, from + BLOCK_ITEMS));
  }
  lists.sizes.set(new Int32Array(buffer, sizes, items));
  lists.partners.set(new Int32Array(buffer, partners, items * n));
  lists.together.set(new Int32Array(buffer, shared, items * n));
  lists.lifts.set(new Float64Array(buffer, lifts, items * n));
  return true;
}
