/** Market baskets as sorted item indices, the input of FP-Growth (`fpgrowth.ts`) and association rules (`rules.ts`). */

export interface Transactions {
  /** Item index → item id, sorted by id (code-unit order), so indices and output order do not depend on row order. */
  readonly items: readonly string[];
  /** Basket index → basket id, in order of first appearance. */
  readonly basketIds: readonly string[];
  /** Basket index → its distinct item indices, ascending. */
  readonly baskets: readonly Int32Array[];
}

/**
 * Groups invoice lines into baskets: `buildTransactions(invoiceNo, stockCode)` → each invoice's distinct products.
 * The columns are parallel (row r bought `itemIds[r]` in basket `basketIds[r]`); an item bought twice in a basket counts once.
 */
export function buildTransactions(basketIds: readonly string[], itemIds: readonly string[]): Transactions {
  if (basketIds.length !== itemIds.length) {
    throw new RangeError(`basket and item columns must have the same length, got ${basketIds.length} and ${itemIds.length}`);
  }
  const lines = basketIds.length;
  const items = [...new Set(itemIds)].sort(compareText);
  const itemIndex = new Map(items.map((item, index) => [item, index]));
  const basketIndex = new Map<string, number>();
  // Each line's basket and item, then the lines bucketed by basket, each basket's repeats dropped with a marker per
  // item: typed arrays instead of a Set per basket.
  const lineBasket = new Int32Array(lines);
  const lineItem = new Int32Array(lines);
  const starts = new Int32Array(lines + 1);
  // A basket's lines mostly come together: the last one's index is reused without a lookup.
  let lastId: string | undefined;
  let basket = -1;
  for (let row = 0; row < lines; row++) {
    const basketId = basketIds[row] as string;
    if (basketId !== lastId) {
      lastId = basketId;
      const known = basketIndex.get(basketId);
      basket = known ?? basketIndex.size;
      if (known === undefined) basketIndex.set(basketId, basket);
    }
    lineBasket[row] = basket;
    lineItem[row] = itemIndex.get(itemIds[row] as string) as number;
    starts[basket + 1] = (starts[basket + 1] as number) + 1;
  }
  const basketCount = basketIndex.size;
  for (let basket = 0; basket < basketCount; basket++) starts[basket + 1] = (starts[basket + 1] as number) + (starts[basket] as number);
  const bucketed = new Int32Array(lines);
  const next = starts.slice(0, basketCount);
  for (let row = 0; row < lines; row++) {
    const basket = lineBasket[row] as number;
    bucketed[next[basket] as number] = lineItem[row] as number;
    next[basket] = (next[basket] as number) + 1;
  }
  const seenIn = new Int32Array(items.length).fill(-1);
  const baskets: Int32Array[] = new Array<Int32Array>(basketCount);
  let kept = 0;
  for (let basket = 0; basket < basketCount; basket++) {
    const first = kept;
    for (let k = starts[basket] as number; k < (starts[basket + 1] as number); k++) {
      const item = bucketed[k] as number;
      if (seenIn[item] === basket) continue;
      seenIn[item] = basket;
      bucketed[kept++] = item;
    }
    baskets[basket] = bucketed.subarray(first, kept).sort();
  }
  return { items, basketIds: [...basketIndex.keys()], baskets };
}

/** Code-unit order, the same in every locale (unlike `localeCompare`). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
