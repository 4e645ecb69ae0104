import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/models/kit/random.ts';
import { type Transactions, buildTransactions } from '../../../../src/models/baskets/basket.ts';
import { type FrequentItemsets, fpGrowth } from '../../../../src/models/baskets/fpgrowth.ts';
import { type AssociationRule, associationRules, formatRule } from '../../../../src/models/baskets/rules.ts';
import { abortedSignal, progressRecorder } from '../segmentation/segmentation-fixtures.ts';

// The textbook example (Tan, Steinbach & Kumar, "Introduction to Data Mining", table 6.1): five shopping baskets.
const textbook = buildTransactions(
  ['t1', 't1', 't2', 't2', 't2', 't2', 't3', 't3', 't3', 't3', 't4', 't4', 't4', 't4', 't5', 't5', 't5', 't5'],
  [
    'bread', 'milk',
    'bread', 'diapers', 'beer', 'eggs',
    'milk', 'diapers', 'beer', 'cola',
    'bread', 'milk', 'diapers', 'beer',
    'bread', 'milk', 'diapers', 'cola',
  ],
);

const names = (frequent: FrequentItemsets, items: Int32Array): string => Array.from(items, (item) => frequent.items[item]).join(',');

describe('buildTransactions', () => {
  it('groups rows into baskets of distinct, sorted item indices, items sorted by id', () => {
    const result = buildTransactions(['inv2', 'inv1', 'inv2', 'inv2', 'inv1'], ['tea', 'mug', 'cake', 'tea', 'mug']);
    expect(result.items).toEqual(['cake', 'mug', 'tea']);
    expect(result.basketIds).toEqual(['inv2', 'inv1']);
    expect(result.baskets.map((basket) => Array.from(basket))).toEqual([[0, 2], [1]]);
  });

  it('rejects columns of different lengths, naming both', () => {
    expect(() => buildTransactions(['a', 'b'], ['x'])).toThrow(/same length, got 2 and 1/);
  });
});

describe('fpGrowth and associationRules on the textbook baskets', () => {
  const frequent = fpGrowth(textbook, { minSupport: 0.4 });
  const counts = new Map(frequent.itemsets.map((itemset) => [names(frequent, itemset.items), itemset.count]));

  it('finds the 17 itemsets in at least 2 of 5 baskets, most frequent first', () => {
    expect(frequent.minCount).toBe(2);
    expect(frequent.basketCount).toBe(5);
    // Counted by hand from the five baskets above; eggs (1 basket) and every 4-itemset (1 basket) are infrequent.
    expect(Object.fromEntries(counts)).toEqual({
      bread: 4, milk: 4, diapers: 4, beer: 3, cola: 2,
      'bread,milk': 3, 'bread,diapers': 3, 'diapers,milk': 3, 'beer,diapers': 3,
      'beer,bread': 2, 'beer,milk': 2, 'cola,milk': 2, 'cola,diapers': 2,
      'bread,diapers,milk': 2, 'beer,bread,diapers': 2, 'beer,diapers,milk': 2, 'cola,diapers,milk': 2,
    });
    expect(frequent.itemsets.map((itemset) => names(frequent, itemset.items)).slice(0, 6)).toEqual([
      'bread', 'diapers', 'milk', 'beer', 'beer,diapers', 'bread,diapers',
    ]);
    expect(frequent.itemsets[0]?.support).toBe(0.8);
  });

  it('gives the textbook metrics for {milk, diapers} → {beer} and {beer} → {diapers}', () => {
    const rules = associationRules(frequent);
    const byText = new Map(rules.map((rule) => [formatRule(rule, frequent.items), rule]));
    // {diapers, milk} → {beer}: in 2 baskets of 5; the antecedent is in 3 (t3, t4, t5) and beer in 3 (t2, t3, t4).
    // support 2/5, confidence 2/3, lift (2/3)/(3/5) = 10/9, leverage 2/5 − 3/5·3/5 = 0.04, conviction (1 − 3/5)/(1 − 2/3) = 1.2.
    const milkDiapersBeer = byText.get('{diapers, milk} → {beer}');
    expect(milkDiapersBeer).toMatchObject({ count: 2, antecedentCount: 3, consequentCount: 3 });
    expect(milkDiapersBeer?.support).toBeCloseTo(0.4, 15);
    expect(milkDiapersBeer?.antecedentSupport).toBeCloseTo(0.6, 15);
    expect(milkDiapersBeer?.consequentSupport).toBeCloseTo(0.6, 15);
    expect(milkDiapersBeer?.confidence).toBeCloseTo(2 / 3, 15);
    expect(milkDiapersBeer?.lift).toBeCloseTo(10 / 9, 15);
    expect(milkDiapersBeer?.leverage).toBeCloseTo(0.04, 15);
    expect(milkDiapersBeer?.conviction).toBeCloseTo(1.2, 15);
    // {beer} → {diapers}: every beer basket has diapers, so confidence 1, lift 1/(4/5) = 1.25,
    // leverage 3/5 − 3/5·4/5 = 0.12 and conviction (1 − 4/5)/0 = ∞.
    const beerDiapers = byText.get('{beer} → {diapers}');
    expect(beerDiapers?.confidence).toBe(1);
    expect(beerDiapers?.lift).toBe(1.25);
    expect(beerDiapers?.leverage).toBeCloseTo(0.12, 15);
    expect(beerDiapers?.conviction).toBe(Number.POSITIVE_INFINITY);
    // 8 pairs × 2 splits + 4 triples × 6 splits.
    expect(rules).toHaveLength(40);
  });

  it('stops with a message naming the way out when more rules than maxRules pass the filters', () => {
    expect(() => associationRules(frequent, { maxRules: 39 })).toThrow(/more than 39 rules pass the filters; raise the minimum support/);
    expect(associationRules(frequent, { maxRules: 40 })).toHaveLength(40);
  });

  it('sorts by lift, then confidence, then item ids, and filters by confidence and lift', () => {
    const rules = associationRules(frequent, { minConfidence: 0.6, minLift: 1.2 });
    // Cola is in 2 baskets (t3, t5), both with milk and diapers: lift 1/(3/5) = 5/3 at confidence 1, then the reverse
    // rule at (2/3)/(2/5) = 5/3 with confidence 2/3; then the confidence-1 rules of lift 1.25, by antecedent ids.
    expect(rules.map((rule) => formatRule(rule, frequent.items))).toEqual([
      '{cola} → {diapers, milk}',
      '{diapers, milk} → {cola}',
      '{beer} → {diapers}',
      '{beer, bread} → {diapers}',
      '{beer, milk} → {diapers}',
      '{cola} → {diapers}',
      '{cola} → {milk}',
      '{cola, diapers} → {milk}',
      '{cola, milk} → {diapers}',
      '{diapers} → {beer}', // lift (3/4)/(3/5) = 1.25 too, at confidence 3/4
    ]);
    expect(rules.every((rule) => rule.confidence >= 0.6 && rule.lift >= 1.2)).toBe(true);
  });

  it('limits itemsets to maxLength', () => {
    const pairs = fpGrowth(textbook, { minSupport: 0.4, maxLength: 2 });
    expect(pairs.itemsets).toHaveLength(13);
    expect(Math.max(...pairs.itemsets.map((itemset) => itemset.items.length))).toBe(2);
  });
});

describe('fpGrowth thresholds', () => {
  it('keeps an itemset whose support is exactly minSupport, though 0.07 × 100 rounds up to 7.000000000000001', () => {
    expect(0.07 * 100).toBe(7.000000000000001); // so ceil(minSupport × n), mlxtend fpgrowth's threshold, would be 8
    const basketIds = Array.from({ length: 100 }, (_, index) => `inv${index}`);
    const itemIds = basketIds.map((_, index) => (index < 7 ? 'rare' : 'common'));
    const frequent = fpGrowth(buildTransactions(basketIds, itemIds), { minSupport: 0.07 });
    expect(frequent.minCount).toBe(7);
    expect(frequent.itemsets.map((itemset) => [names(frequent, itemset.items), itemset.count, itemset.support])).toEqual([
      ['common', 93, 0.93],
      ['rare', 7, 0.07],
    ]);
    expect(fpGrowth(buildTransactions(basketIds, itemIds), { minSupport: 0.0700001 }).minCount).toBe(8);
  });

  it('counts empty baskets in the denominator and returns nothing for no baskets', () => {
    const withEmpty: Transactions = { items: ['a', 'b'], basketIds: ['1', '2', '3', '4'], baskets: [Int32Array.of(0, 1), Int32Array.of(0), Int32Array.of(), Int32Array.of()] };
    const frequent = fpGrowth(withEmpty, { minSupport: 0.25 });
    expect(frequent.itemsets.map((itemset) => [names(frequent, itemset.items), itemset.support])).toEqual([['a', 0.5], ['b', 0.25], ['a,b', 0.25]]);
    const none = fpGrowth({ items: [], basketIds: [], baskets: [] }, { minSupport: 0.5 });
    expect(none.itemsets).toEqual([]);
    expect(associationRules(none)).toEqual([]);
  });

  it('checks its options, naming the bad value', () => {
    expect(() => fpGrowth(textbook, { minSupport: 0 })).toThrow(/minSupport must be in \(0, 1\], got 0/);
    expect(() => fpGrowth(textbook, { minSupport: 1.5 })).toThrow(/got 1.5/);
    expect(() => fpGrowth(textbook, { minSupport: 0.5, maxLength: 0 })).toThrow(/maxLength must be a positive integer, got 0/);
    expect(() => fpGrowth(textbook, { minSupport: 0.2, maxItemsets: 10 })).toThrow(/more than 10 itemsets are frequent at minSupport 0.2/);
    const frequent = fpGrowth(textbook, { minSupport: 0.4 });
    expect(() => associationRules(frequent, { minConfidence: 2 })).toThrow(/minConfidence must be in \[0, 1\], got 2/);
    expect(() => associationRules(frequent, { minLift: -1 })).toThrow(/minLift must be ≥ 0, got -1/);
    expect(() => associationRules({ ...frequent, itemsets: frequent.itemsets.filter((itemset) => itemset.items.length !== 1) })).toThrow(
      /itemset \{beer\} is missing/,
    );
  });
});

interface Fraction {
  readonly numerator: number;
  readonly denominator: number;
}

/** Every non-empty subset of every basket, up to maxLength items, with its count: the definition of support, by brute force. */
function countAllSubsets(baskets: readonly Int32Array[], maxLength: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (const basket of baskets) {
    for (let mask = 1; mask < 2 ** basket.length; mask++) {
      const subset = Array.from(basket).filter((_, bit) => (mask >> bit) & 1);
      if (subset.length > maxLength) continue;
      const key = subset.join(',');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

interface BruteRule {
  count: number;
  antecedentCount: number;
  consequentCount: number;
  support: number;
  antecedentSupport: number;
  consequentSupport: number;
  confidence: number;
  lift: number;
  leverage: number;
  conviction: number;
}

/** mlxtend's `association_rules` formulas on supports, filtered in exact integer arithmetic against fractional thresholds. */
function bruteRules(frequent: Map<string, number>, all: Map<string, number>, basketCount: number, minConfidence: Fraction, minLift: Fraction): Map<string, BruteRule> {
  const rules = new Map<string, BruteRule>();
  for (const [key, count] of frequent) {
    const items = key.split(',');
    if (items.length < 2) continue;
    for (let mask = 1; mask < 2 ** items.length - 1; mask++) {
      const antecedent = items.filter((_, bit) => (mask >> bit) & 1).join(',');
      const consequent = items.filter((_, bit) => !((mask >> bit) & 1)).join(',');
      const antecedentCount = all.get(antecedent) as number;
      const consequentCount = all.get(consequent) as number;
      if (count * minConfidence.denominator < minConfidence.numerator * antecedentCount) continue;
      if (count * basketCount * minLift.denominator < minLift.numerator * antecedentCount * consequentCount) continue;
      const support = count / basketCount;
      const antecedentSupport = antecedentCount / basketCount;
      const consequentSupport = consequentCount / basketCount;
      const confidence = support / antecedentSupport;
      rules.set(`${antecedent} -> ${consequent}`, {
        count,
        antecedentCount,
        consequentCount,
        support,
        antecedentSupport,
        consequentSupport,
        confidence,
        lift: confidence / consequentSupport,
        leverage: support - antecedentSupport * consequentSupport,
        conviction: count === antecedentCount ? Number.POSITIVE_INFINITY : (1 - consequentSupport) / (1 - confidence),
      });
    }
  }
  return rules;
}

function expectClose(actual: number, expected: number, what: string): void {
  if (actual === expected) return;
  if (!(Math.abs(actual - expected) <= 1e-12 * Math.max(1, Math.abs(expected)))) throw new Error(`${what}: ${actual} ≠ ${expected}`);
}

describe('fpGrowth and associationRules against brute force', () => {
  it('find exactly the brute-force itemsets and rules on 200 random small datasets', () => {
    const supports = [0.1, 0.2, 0.25, 1 / 3, 0.5];
    const confidences: Fraction[] = [{ numerator: 0, denominator: 1 }, { numerator: 1, denominator: 2 }, { numerator: 7, denominator: 10 }, { numerator: 1, denominator: 1 }];
    const lifts: Fraction[] = [{ numerator: 0, denominator: 1 }, { numerator: 1, denominator: 1 }, { numerator: 6, denominator: 5 }];
    let checkedRules = 0;
    let checkedItemsets = 0;
    for (let dataset = 0; dataset < 200; dataset++) {
      const rng = new Rng(dataset, 'basket property');
      const basketCount = rng.integer(5, 30);
      const itemCount = rng.integer(4, 8);
      const density = rng.uniform(0.15, 0.7);
      const basketIds: string[] = [];
      const itemIds: string[] = [];
      for (let basket = 0; basket < basketCount; basket++) {
        for (let item = 0; item < itemCount; item++) {
          if (!rng.chance(density)) continue;
          const copies = rng.chance(0.2) ? 2 : 1; // the same product on two invoice lines
          for (let copy = 0; copy < copies; copy++) {
            basketIds.push(`invoice${basket}`);
            itemIds.push(`product${item}`);
          }
        }
      }
      const transactions = buildTransactions(basketIds, itemIds);
      const n = transactions.baskets.length;
      const maxLength = [1, 2, 3, Number.POSITIVE_INFINITY][rng.integer(0, 3)] as number;
      const all = countAllSubsets(transactions.baskets, maxLength);
      for (const minSupport of supports) {
        const options = maxLength === Number.POSITIVE_INFINITY ? { minSupport } : { minSupport, maxLength };
        const frequent = fpGrowth(transactions, options);
        const expected = new Map([...all].filter(([, count]) => count / n >= minSupport));
        const actual = new Map(frequent.itemsets.map((itemset) => [Array.from(itemset.items).join(','), itemset.count]));
        expect(actual, `dataset ${dataset}, minSupport ${minSupport}`).toEqual(expected);
        expect(frequent.itemsets).toHaveLength(expected.size);
        if (frequent.itemsets.some((itemset) => itemset.support !== itemset.count / n)) throw new Error(`dataset ${dataset}: support ≠ count / n`);
        checkedItemsets += expected.size;

        for (const minConfidence of confidences) {
          for (const minLift of lifts) {
            const rules = associationRules(frequent, {
              minConfidence: minConfidence.numerator / minConfidence.denominator,
              minLift: minLift.numerator / minLift.denominator,
            });
            const bruteForce = bruteRules(expected, all, n, minConfidence, minLift);
            const keyOf = (rule: AssociationRule): string => `${Array.from(rule.antecedent).join(',')} -> ${Array.from(rule.consequent).join(',')}`;
            expect(rules.map(keyOf).sort()).toEqual([...bruteForce.keys()].sort());
            for (const rule of rules) {
              const truth = bruteForce.get(keyOf(rule)) as BruteRule;
              const what = `dataset ${dataset} rule ${keyOf(rule)}`;
              for (const count of ['count', 'antecedentCount', 'consequentCount'] as const) {
                if (rule[count] !== truth[count]) throw new Error(`${what} ${count}: ${rule[count]} ≠ ${truth[count]}`);
              }
              for (const metric of ['support', 'antecedentSupport', 'consequentSupport', 'confidence', 'lift', 'leverage', 'conviction'] as const) {
                expectClose(rule[metric], truth[metric], `${what} ${metric}`);
              }
            }
            rules.slice(1).forEach((rule, index) => {
              const previous = rules[index] as AssociationRule;
              if (!(previous.lift > rule.lift || (previous.lift === rule.lift && previous.confidence >= rule.confidence))) {
                throw new Error(`dataset ${dataset}: rule ${index + 1} is out of order`);
              }
            });
            checkedRules += rules.length;
          }
        }
      }
    }
    expect(checkedItemsets).toBeGreaterThan(10_000); // the property was not vacuous (11 309 itemsets, 227 504 rules)
    expect(checkedRules).toBeGreaterThan(100_000);
  });
});

describe('progress and cancellation', () => {
  const rng = new Rng(1, 'basket progress');
  const basketIds: string[] = [];
  const itemIds: string[] = [];
  for (let basket = 0; basket < 400; basket++) {
    for (let item = 0; item < 40; item++) {
      if (rng.chance(0.25)) {
        basketIds.push(`invoice${basket}`);
        itemIds.push(`product${String(item).padStart(2, '0')}`);
      }
    }
  }
  const transactions = buildTransactions(basketIds, itemIds);

  it('reports progress monotonically up to exactly 1', () => {
    const mining = progressRecorder();
    const frequent = fpGrowth(transactions, { minSupport: 0.02, maxLength: 3, onProgress: mining.onProgress });
    mining.check();
    expect(mining.fractions.length).toBeGreaterThan(10);
    const ruling = progressRecorder();
    associationRules(frequent, { onProgress: ruling.onProgress });
    ruling.check();
  });

  it('stops with an AbortError when cancelled, before or during the run', () => {
    expect(() => fpGrowth(transactions, { minSupport: 0.02, signal: abortedSignal() })).toThrow(expect.objectContaining({ name: 'AbortError' }));
    const controller = new AbortController();
    expect(() => fpGrowth(transactions, { minSupport: 0.02, signal: controller.signal, onProgress: () => controller.abort() })).toThrow(/FP-Growth cancelled/);
    const frequent = fpGrowth(transactions, { minSupport: 0.02, maxLength: 3 });
    expect(() => associationRules(frequent, { signal: abortedSignal() })).toThrow(/Association rules cancelled/);
  });
});
