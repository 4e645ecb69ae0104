// Own FP-Growth: no maintained JS package offers it with typed arrays, progress and abort (node-fpgrowth is unmaintained and callback-based).
import type { Transactions } from './basket.ts';
import { Progress, type RunControl } from '../kit/progress.ts';

export interface FpGrowthOptions extends RunControl {
  /**
   * Fraction of baskets, in (0, 1]. An itemset is frequent when `count / basketCount ≥ minSupport` in floating point,
   * the rule of mlxtend's `apriori` (its `fpgrowth` uses `count ≥ ceil(minSupport × n)`, which differs when the product
   * rounds up: `0.07 × 100` is `7.000000000000001`, so it drops an itemset in 7 of 100 baskets, support exactly 0.07).
   */
  readonly minSupport: number;
  /** Largest itemset size to report. Default: no limit. */
  readonly maxLength?: number;
  /** Fail rather than exhaust a browser tab's memory when more itemsets than this are frequent. Default 1 000 000. */
  readonly maxItemsets?: number;
}

export interface FrequentItemset {
  /** Item indices into `Transactions.items`, ascending. */
  readonly items: Int32Array;
  /** Baskets containing every item of the set. */
  readonly count: number;
  /** `count / basketCount`. */
  readonly support: number;
}

export interface FrequentItemsets {
  /** Item index → item id, as in the transactions. */
  readonly items: readonly string[];
  readonly basketCount: number;
  /** The smallest count that is frequent: the least integer c with c / basketCount ≥ minSupport. */
  readonly minCount: number;
  /** Most frequent first; ties: shorter first, then ascending item indices. */
  readonly itemsets: readonly FrequentItemset[];
}

/**
 * Frequent itemsets by FP-Growth (Han, Pei & Yin 2000, "Mining frequent patterns without candidate generation"):
 * `fpGrowth(buildTransactions(invoiceNo, stockCode), { minSupport: 0.01, maxLength: 3 })`.
 */
export function fpGrowth(transactions: Transactions, options: FpGrowthOptions): FrequentItemsets {
  const { minSupport, maxLength = Number.POSITIVE_INFINITY, maxItemsets = 1_000_000 } = options;
  if (!(minSupport > 0 && minSupport <= 1)) throw new RangeError(`minSupport must be in (0, 1], got ${minSupport}`);
  if (!(maxLength === Number.POSITIVE_INFINITY || (Number.isInteger(maxLength) && maxLength >= 1))) {
    throw new RangeError(`maxLength must be a positive integer, got ${maxLength}`);
  }
  if (!(Number.isInteger(maxItemsets) && maxItemsets >= 1)) throw new RangeError(`maxItemsets must be a positive integer, got ${maxItemsets}`);
  const { items, baskets } = transactions;
  const basketCount = baskets.length;
  const itemCount = items.length;
  const progress = new Progress(options, 'FP-Growth');
  progress.checkpoint(0);
  const minCount = minimumCount(minSupport, basketCount);

  const itemCounts = new Int32Array(itemCount);
  for (const basket of baskets) {
    for (const item of basket) {
      if (!(item >= 0 && item < itemCount)) throw new RangeError(`item index ${item} is outside the ${itemCount} items`);
      itemCounts[item] = (itemCounts[item] as number) + 1;
    }
  }
  // Rank 0 is the most frequent item (ties: lower index); every tree orders its paths by this one global rank.
  const frequentItems = [...Array(itemCount).keys()]
    .filter((item) => (itemCounts[item] as number) >= minCount)
    .sort((a, b) => (itemCounts[b] as number) - (itemCounts[a] as number) || a - b);
  const rank = new Int32Array(itemCount).fill(-1);
  frequentItems.forEach((item, position) => (rank[item] = position));

  const tree = new FpTree(frequentItems.length);
  const path: number[] = [];
  for (const basket of baskets) {
    path.length = 0;
    for (const item of basket) if ((rank[item] as number) >= 0) path.push(rank[item] as number);
    path.sort((a, b) => a - b);
    tree.insert(path, 1);
  }

  const found: FrequentItemset[] = [];
  let treesBuilt = 0;
  let topFraction = 0;
  const suffix: number[] = [];
  const emit = (ranks: readonly number[], count: number): void => {
    if (found.length >= maxItemsets) {
      throw new RangeError(`more than ${maxItemsets} itemsets are frequent at minSupport ${minSupport}; raise minSupport or lower maxLength`);
    }
    const itemset = Int32Array.from(ranks, (position) => frequentItems[position] as number).sort();
    found.push({ items: itemset, count, support: count / basketCount });
  };
  const mine = (current: FpTree, top: boolean): void => {
    // Least frequent first, so the top level's progress follows the (usually) shrinking conditional trees.
    for (let position = current.rankCount - 1; position >= 0; position--) {
      const nodes = current.nodesOf[position] as number[];
      if (nodes.length === 0) continue;
      if (top) {
        topFraction = (current.rankCount - 1 - position) / current.rankCount;
        progress.checkpoint(topFraction);
      }
      let count = 0;
      for (const node of nodes) count += current.count[node] as number;
      suffix.push(position);
      emit(suffix, count);
      if (suffix.length < maxLength) {
        const conditional = current.conditionalTree(position, minCount);
        if (conditional !== undefined) {
          if (++treesBuilt % 64 === 0) progress.checkpoint(topFraction);
          mine(conditional, false);
        }
      }
      suffix.pop();
    }
  };
  mine(tree, true);

  found.sort(compareItemsets);
  progress.finish();
  return { items, basketCount, minCount, itemsets: found };
}

/** The least integer c ≥ 1 with c / basketCount ≥ minSupport, found from the float product and corrected both ways. */
export function minimumCount(minSupport: number, basketCount: number): number {
  if (basketCount === 0) return 1;
  let count = Math.max(1, Math.ceil(minSupport * basketCount));
  while (count > 1 && (count - 1) / basketCount >= minSupport) count--;
  while (count / basketCount < minSupport) count++;
  return count;
}

/** Count descending, then size ascending, then item indices ascending. */
export function compareItemsets(a: FrequentItemset, b: FrequentItemset): number {
  if (a.count !== b.count) return b.count - a.count;
  if (a.items.length !== b.items.length) return a.items.length - b.items.length;
  for (let index = 0; index < a.items.length; index++) {
    const diff = (a.items[index] as number) - (b.items[index] as number);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** A prefix tree of rank-ordered baskets; node 0 is the root. `nodesOf[rank]` is the header table's node-link. */
class FpTree {
  readonly rank: number[] = [-1];
  readonly count: number[] = [0];
  readonly parent: number[] = [-1];
  private readonly children: Map<number, number>[] = [new Map()];
  readonly nodesOf: number[][];

  constructor(readonly rankCount: number) {
    this.nodesOf = Array.from({ length: rankCount }, () => []);
  }

  /** Adds a path of ascending ranks with a multiplicity. */
  insert(path: readonly number[], multiplicity: number): void {
    let node = 0;
    for (const position of path) {
      const children = this.children[node] as Map<number, number>;
      let child = children.get(position);
      if (child === undefined) {
        child = this.rank.length;
        children.set(position, child);
        this.rank.push(position);
        this.count.push(0);
        this.parent.push(node);
        this.children.push(new Map());
        (this.nodesOf[position] as number[]).push(child);
      }
      this.count[child] = (this.count[child] as number) + multiplicity;
      node = child;
    }
  }

  /** The tree of `position`'s prefix paths keeping only the ranks frequent among them; undefined when none is. */
  conditionalTree(position: number, minCount: number): FpTree | undefined {
    const nodes = this.nodesOf[position] as number[];
    const counts = new Float64Array(position);
    for (const node of nodes) {
      const multiplicity = this.count[node] as number;
      for (let up = this.parent[node] as number; up > 0; up = this.parent[up] as number) {
        const rank = this.rank[up] as number;
        counts[rank] = (counts[rank] as number) + multiplicity;
      }
    }
    let last = -1;
    for (let rank = 0; rank < position; rank++) if ((counts[rank] as number) >= minCount) last = rank;
    if (last < 0) return undefined;
    const conditional = new FpTree(last + 1);
    const path: number[] = [];
    for (const node of nodes) {
      path.length = 0;
      for (let up = this.parent[node] as number; up > 0; up = this.parent[up] as number) {
        const rank = this.rank[up] as number;
        if ((counts[rank] as number) >= minCount) path.push(rank);
      }
      if (path.length > 0) conditional.insert(path.reverse(), this.count[node] as number);
    }
    return conditional;
  }
}
