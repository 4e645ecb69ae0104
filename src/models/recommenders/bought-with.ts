/**
 * The products bought in the same baskets as each product, ranked by lift: the "bought with" table of
 * `similar_products`, beside its cosine neighbours (item-knn.ts).
 */
import type { Transactions } from '../baskets/basket.ts';
import { Progress, type RunControl } from '../kit/progress.ts';
import { wasmBoughtWith } from './bought-with-wasm.ts';

/** A product bought in the same baskets as another, with the association-rule measures of {item} → {this product}. */
export interface BoughtWith {
  readonly item: number;
  /** Baskets holding both products. */
  readonly count: number;
  /** count / baskets holding the first product. */
  readonly confidence: number;
  /** count · baskets / (baskets holding the first product · baskets holding this one). */
  readonly lift: number;
}

/**
 * The n products most often in the same baskets as `item`, among those sharing at least `minCount` baskets with it
 * (default 2, since a single shared basket gives a rare product a huge, meaningless lift); ranked by lift, then
 * count (both descending), then index. One pass over all baskets: `oftenBoughtWith(transactions, 12, 10, { minCount: 5 })`.
 */
export function oftenBoughtWith(transactions: Transactions, item: number, n: number, options: { minCount?: number } = {}): BoughtWith[] {
  const { items, baskets } = transactions;
  const { minCount = 2 } = options;
  if (!(Number.isInteger(item) && item >= 0 && item < items.length)) throw new RangeError(`product index ${item} is outside 0 … ${items.length - 1}`);
  checkBoughtWithOptions(n, minCount);
  const counts = new Int32Array(items.length);
  const together = new Int32Array(items.length);
  for (const basket of baskets) {
    let holdsItem = false;
    for (const other of basket) {
      counts[other] = (counts[other] as number) + 1;
      if (other === item) holdsItem = true;
    }
    if (holdsItem) for (const other of basket) together[other] = (together[other] as number) + 1;
  }
  return rankBoughtWith(item, together, counts, baskets.length, n, minCount);
}

/**
 * `oftenBoughtWith` for every product at once (entry p is product p's list), in half of Σ over baskets of (basket
 * size)² rather than products × invoice lines: `oftenBoughtWithEach(transactions, 10, { minCount: 3, signal })`.
 * Each pair's shared baskets are counted once, from its lower product, and offered to both lists; the ranking is a
 * strict order (lift, count, index), so a list does not depend on the order it is offered its products in, and a
 * pair's lift is the same product of counts from either side.
 */
export function oftenBoughtWithEach(transactions: Transactions, n: number, options: { minCount?: number; kernel?: 'wasm' | 'js' } & RunControl = {}): BoughtWith[][] {
  const { items, baskets } = transactions;
  const { minCount = 2, kernel } = options;
  checkBoughtWithOptions(n, minCount);
  const progress = new Progress(options, 'Products bought together');
  progress.checkpoint(0);
  const counts = new Int32Array(items.length);
  for (const basket of baskets) for (const item of basket) counts[item] = (counts[item] as number) + 1;
  // The baskets holding each product, product p's at holding[starts[p] .. starts[p + 1]).
  const starts = new Int32Array(items.length + 1);
  counts.forEach((count, item) => (starts[item + 1] = (starts[item] as number) + count));
  const holding = new Int32Array(starts[items.length] as number);
  const next = starts.slice(0, items.length);
  baskets.forEach((basket, index) => {
    for (const item of basket) {
      const at = next[item] as number;
      holding[at] = index;
      next[item] = at + 1;
    }
  });
  const lists = new BoughtWithLists(counts, baskets.length, n);
  // The loop below in the WebAssembly module when it is loaded (or asked for): the same lists, in about half the time
  // (the seed's 16,475 invoices: 112–163 → 63–73 ms).
  const inWasm = kernel !== 'js' && n > 0 && wasmBoughtWith(baskets, { starts, holding, counts, minCount }, lists, (fraction) => progress.checkpoint(fraction));
  if (kernel === 'wasm' && n > 0 && !inWasm) throw new RangeError('the WebAssembly kernel is not loaded');
  // Each basket's position of the product being counted: products go in ascending order, as each basket lists them.
  const position = new Int32Array(baskets.length);
  const together = new Int32Array(items.length);
  const touched = new Int32Array(items.length);
  for (let item = 0; item < items.length && n > 0 && !inWasm; item++) {
    progress.checkpoint(item / items.length);
    let touchedCount = 0;
    for (let k = starts[item] as number; k < (starts[item + 1] as number); k++) {
      const index = holding[k] as number;
      const basket = baskets[index] as Int32Array;
      const at = position[index] as number;
      position[index] = at + 1;
      for (let l = at + 1; l < basket.length; l++) {
        const other = basket[l] as number;
        const count = together[other] as number;
        if (count === 0) touched[touchedCount++] = other;
        together[other] = count + 1;
      }
    }
    for (let t = 0; t < touchedCount; t++) {
      const other = touched[t] as number;
      const count = together[other] as number;
      together[other] = 0;
      if (count < minCount) continue;
      lists.offer(item, other, count);
      lists.offer(other, item, count);
    }
  }
  progress.finish();
  return items.map((_, item) => lists.listOf(item));
}

function ranksBefore(lift: number, count: number, other: number, thanLift: number, thanCount: number, thanOther: number): boolean {
  return lift > thanLift || (lift === thanLift && (count > thanCount || (count === thanCount && other < thanOther)));
}

/** Each product's best n partners by lift, count (both descending), then index, kept sorted in flat typed arrays. */
export class BoughtWithLists {
  readonly sizes: Int32Array;
  readonly partners: Int32Array;
  readonly together: Int32Array;
  readonly lifts: Float64Array;

  constructor(readonly counts: Int32Array, readonly basketCount: number, readonly n: number) {
    this.sizes = new Int32Array(counts.length);
    this.partners = new Int32Array(counts.length * n);
    this.together = new Int32Array(counts.length * n);
    this.lifts = new Float64Array(counts.length * n);
  }

  /** `other` shares `count` baskets with `item`: a place in item's list if it ranks before the last. */
  offer(item: number, other: number, count: number): void {
    const { n, partners, together, lifts } = this;
    const lift = (count * this.basketCount) / ((this.counts[item] as number) * (this.counts[other] as number));
    const base = item * n;
    const size = this.sizes[item] as number;
    // Most offers lose to a full list's last: tested first, inline.
    if (size === n && !ranksBefore(lift, count, other, lifts[base + n - 1] as number, together[base + n - 1] as number, partners[base + n - 1] as number)) return;
    let at = base + (size === n ? n - 1 : size);
    for (; at > base && ranksBefore(lift, count, other, lifts[at - 1] as number, together[at - 1] as number, partners[at - 1] as number); at--) {
      partners[at] = partners[at - 1] as number;
      together[at] = together[at - 1] as number;
      lifts[at] = lifts[at - 1] as number;
    }
    partners[at] = other;
    together[at] = count;
    lifts[at] = lift;
    if (size < n) this.sizes[item] = size + 1;
  }

  listOf(item: number): BoughtWith[] {
    const base = item * this.n;
    const itemCount = this.counts[item] as number;
    return Array.from({ length: this.sizes[item] as number }, (_, k) => {
      const count = this.together[base + k] as number;
      return { item: this.partners[base + k] as number, count, confidence: count / itemCount, lift: this.lifts[base + k] as number };
    });
  }
}

function checkBoughtWithOptions(n: number, minCount: number): void {
  if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  if (!(Number.isInteger(minCount) && minCount >= 1)) throw new RangeError(`minCount must be a positive integer, got ${minCount}`);
}

/** The best n by lift, count, index, kept sorted as they come; `together[other]` baskets hold `item` and `other`, `counts[p]` hold p. */
function rankBoughtWith(item: number, together: Int32Array, counts: Int32Array, basketCount: number, n: number, minCount: number): BoughtWith[] {
  const itemCount = counts[item] as number;
  const best: BoughtWith[] = [];
  const ranksBefore = (lift: number, count: number, other: number, than: BoughtWith): boolean =>
    lift > than.lift || (lift === than.lift && (count > than.count || (count === than.count && other < than.item)));
  for (let other = 0; other < together.length && n > 0; other++) {
    const count = together[other] as number;
    if (other === item || count < minCount) continue;
    const lift = (count * basketCount) / (itemCount * (counts[other] as number));
    if (best.length === n && !ranksBefore(lift, count, other, best[n - 1] as BoughtWith)) continue;
    let at = best.length;
    while (at > 0 && ranksBefore(lift, count, other, best[at - 1] as BoughtWith)) at--;
    best.splice(at, 0, { item: other, count, confidence: count / itemCount, lift });
    if (best.length > n) best.pop();
  }
  return best;
}
