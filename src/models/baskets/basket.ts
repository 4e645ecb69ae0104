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
  const items = [...new Set(itemIds)].sort(compareText);
  const itemIndex = new Map(items.map((item, index) => [item, index]));
  const basketIndex = new Map<string, number>();
  const members: Set<number>[] = [];
  for (let row = 0; row < basketIds.length; row++) {
    const basketId = basketIds[row] as string;
    let basket = basketIndex.get(basketId);
    if (basket === undefined) {
      basket = members.length;
      basketIndex.set(basketId, basket);
      members.push(new Set());
    }
    (members[basket] as Set<number>).add(itemIndex.get(itemIds[row] as string) as number);
  }
  return {
    items,
    basketIds: [...basketIndex.keys()],
    baskets: members.map((set) => Int32Array.from(set).sort()),
  };
}

/** Code-unit order, the same in every locale (unlike `localeCompare`). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
