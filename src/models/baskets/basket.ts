/** Market baskets as sorted item indices, the input of FP-Growth (`fpgrowth.ts`) and association rules (`rules.ts`). */
import { codeIndex, textCodes } from '../kit/text-codes.ts';

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
 * The columns are parallel (row r bought `itemIds[r]` in basket `basketIds[r]`); an item bought twice in a basket counts
 * once. Lines without a basket or item, or whose `keep` is 0, are left out.
 */
export function buildTransactions(basketIds: readonly (string | null)[], itemIds: readonly (string | null)[], keep?: ArrayLike<number>): Transactions {
  if (basketIds.length !== itemIds.length) {
    throw new RangeError(`basket and item columns must have the same length, got ${basketIds.length} and ${itemIds.length}`);
  }
  const lines = basketIds.length;
  // Codes into each column's distinct values (text-codes.ts): a line's basket and item are array reads.
  const basketCodes = textCodes(basketIds);
  const itemCodes = textCodes(itemIds);
  const counted = (row: number) => (basketCodes.codes[row] as number) >= 0 && (itemCodes.codes[row] as number) >= 0 && (keep === undefined || keep[row] !== 0);
  const present = new Uint8Array(itemCodes.values.length);
  for (let row = 0; row < lines; row++) if (counted(row)) present[itemCodes.codes[row] as number] = 1;
  const items = itemCodes.values.filter((_, code) => present[code] === 1).sort(compareText);
  const itemOfCode = codeIndex(itemCodes.values, items);
  // Baskets are numbered in order of their first line; each line's basket and item, then the lines bucketed by basket,
  // each basket's repeats dropped with a marker per item: typed arrays instead of a Set per basket.
  const basketOfCode = new Int32Array(basketCodes.values.length).fill(-1);
  const basketList: string[] = [];
  const lineBasket = new Int32Array(lines).fill(-1);
  const lineItem = new Int32Array(lines);
  const starts = new Int32Array(lines + 1);
  for (let row = 0; row < lines; row++) {
    if (!counted(row)) continue;
    const code = basketCodes.codes[row] as number;
    let basket = basketOfCode[code] as number;
    if (basket < 0) {
      basket = basketOfCode[code] = basketList.length;
      basketList.push(basketIds[row] as string);
    }
    lineBasket[row] = basket;
    lineItem[row] = itemOfCode[itemCodes.codes[row] as number] as number;
    starts[basket + 1] = (starts[basket + 1] as number) + 1;
  }
  const basketCount = basketList.length;
  for (let basket = 0; basket < basketCount; basket++) starts[basket + 1] = (starts[basket + 1] as number) + (starts[basket] as number);
  const bucketed = new Int32Array(starts[basketCount] as number);
  const next = starts.slice(0, basketCount);
  for (let row = 0; row < lines; row++) {
    const basket = lineBasket[row] as number;
    if (basket < 0) continue;
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
  return { items, basketIds: basketList, baskets };
}

/** Code-unit order, the same in every locale (unlike `localeCompare`). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
