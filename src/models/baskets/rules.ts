import { compareText } from './basket.ts';
import type { FrequentItemsets } from './fpgrowth.ts';
import { Progress, type RunControl } from '../kit/progress.ts';

/** `single`: one item on the right-hand side (arules' `apriori`); `any`: every split of an itemset (mlxtend's `association_rules`). */
export type ConsequentSize = 'single' | 'any';

export interface RuleOptions extends RunControl {
  /** Keep rules with confidence ≥ this. Default 0. */
  readonly minConfidence?: number;
  /** Keep rules with lift ≥ this. Default 0. */
  readonly minLift?: number;
  /** Which splits of an itemset become rules. Default `any`. */
  readonly consequent?: ConsequentSize;
  /** Fail rather than exhaust a browser tab's memory when more rules than this pass the filters. Default 2 000 000. */
  readonly maxRules?: number;
}

/** `antecedent → consequent`, with mlxtend's `association_rules` (and arules') definitions. */
export interface AssociationRule {
  /** Item indices into `FrequentItemsets.items`, ascending; disjoint from `consequent`. */
  readonly antecedent: Int32Array;
  readonly consequent: Int32Array;
  /** Baskets holding antecedent ∪ consequent. */
  readonly count: number;
  /** support(A ∪ C) = count / baskets. */
  readonly support: number;
  readonly antecedentCount: number;
  readonly antecedentSupport: number;
  readonly consequentCount: number;
  readonly consequentSupport: number;
  /** support(A ∪ C) / support(A), computed as count / antecedentCount. */
  readonly confidence: number;
  /** confidence / support(C), computed as count · baskets / (antecedentCount · consequentCount). */
  readonly lift: number;
  /** support(A ∪ C) − support(A) · support(C). */
  readonly leverage: number;
  /** (1 − support(C)) / (1 − confidence); `Infinity` when confidence is 1. */
  readonly conviction: number;
}

/**
 * Every rule A → C with A, C non-empty (C a single item when `consequent` is `single`) and A ∪ C one of the frequent
 * itemsets, filtered by confidence and lift and
 * sorted by lift, then confidence (both descending), then antecedent and consequent item ids:
 * `associationRules(fpGrowth(transactions, { minSupport: 0.01 }), { minConfidence: 0.3, minLift: 1 })`.
 */
export function associationRules(frequent: FrequentItemsets, options: RuleOptions = {}): AssociationRule[] {
  const { minConfidence = 0, minLift = 0, maxRules = 2_000_000, consequent: consequentSize = 'any' } = options;
  if (!(minConfidence >= 0 && minConfidence <= 1)) throw new RangeError(`minConfidence must be in [0, 1], got ${minConfidence}`);
  if (!(minLift >= 0)) throw new RangeError(`minLift must be ≥ 0, got ${minLift}`);
  const { itemsets, basketCount, items } = frequent;
  const progress = new Progress(options, 'Association rules');
  progress.checkpoint(0);
  const countOf = new Map<string, number>();
  for (const itemset of itemsets) countOf.set(keyOf(itemset.items), itemset.count);
  const lookup = (subset: Int32Array): number => {
    const count = countOf.get(keyOf(subset));
    // Every subset of a frequent itemset is frequent, so only a hand-made, incomplete list can miss one.
    if (count === undefined) throw new RangeError(`itemset {${Array.from(subset, (item) => items[item]).join(', ')}} is missing from the frequent itemsets`);
    return count;
  };

  const rules: AssociationRule[] = [];
  itemsets.forEach((itemset, position) => {
    const size = itemset.items.length;
    if (size < 2) return;
    if (size > 30) throw new RangeError(`an itemset of ${size} items has too many splits into rules; lower maxLength`);
    progress.checkpoint(position / itemsets.length);
    const { count } = itemset;
    const support = count / basketCount;
    const splits = 2 ** size - 1;
    for (let mask = 1; mask < splits; mask++) {
      if (consequentSize === 'single' && popcount(mask) !== size - 1) continue;
      const antecedent = new Int32Array(popcount(mask));
      const consequent = new Int32Array(size - antecedent.length);
      let a = 0;
      let c = 0;
      for (let bit = 0; bit < size; bit++) {
        if (mask & (1 << bit)) antecedent[a++] = itemset.items[bit] as number;
        else consequent[c++] = itemset.items[bit] as number;
      }
      const antecedentCount = lookup(antecedent);
      const consequentCount = lookup(consequent);
      const antecedentSupport = antecedentCount / basketCount;
      const consequentSupport = consequentCount / basketCount;
      // Each metric is one division of exact integers (below 2^53), so rules with equal lifts in exact arithmetic get
      // equal doubles and sort by the next key, and a threshold compares as it would in exact arithmetic.
      const confidence = count / antecedentCount;
      const lift = (count * basketCount) / (antecedentCount * consequentCount);
      if (!(confidence >= minConfidence && lift >= minLift)) continue;
      if (rules.length === maxRules) {
        throw new RangeError(`more than ${maxRules.toLocaleString('en-US')} rules pass the filters; raise the minimum support, confidence or lift, or lower the largest itemset size`);
      }
      rules.push({
        antecedent,
        consequent,
        count,
        support,
        antecedentCount,
        antecedentSupport,
        consequentCount,
        consequentSupport,
        confidence,
        lift,
        leverage: (count * basketCount - antecedentCount * consequentCount) / (basketCount * basketCount),
        conviction:
          count === antecedentCount
            ? Number.POSITIVE_INFINITY
            : ((basketCount - consequentCount) * antecedentCount) / (basketCount * (antecedentCount - count)),
      });
    }
  });

  rules.sort(
    (x, y) =>
      y.lift - x.lift ||
      y.confidence - x.confidence ||
      compareIds(x.antecedent, y.antecedent, items) ||
      compareIds(x.consequent, y.consequent, items),
  );
  progress.finish();
  return rules;
}

/** `{bread, milk} → {diapers}`, for tables and test messages. */
export function formatRule(rule: AssociationRule, items: readonly string[]): string {
  const names = (set: Int32Array): string => Array.from(set, (item) => items[item]).join(', ');
  return `{${names(rule.antecedent)}} → {${names(rule.consequent)}}`;
}

function keyOf(items: Int32Array): string {
  return items.join(',');
}

function popcount(mask: number): number {
  let bits = 0;
  for (let rest = mask; rest !== 0; rest &= rest - 1) bits++;
  return bits;
}

/** Item id by item id, a proper prefix first. */
function compareIds(a: Int32Array, b: Int32Array, items: readonly string[]): number {
  const shared = Math.min(a.length, b.length);
  for (let index = 0; index < shared; index++) {
    const order = compareText(items[a[index] as number] as string, items[b[index] as number] as string);
    if (order !== 0) return order;
  }
  return a.length - b.length;
}
