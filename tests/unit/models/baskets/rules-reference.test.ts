import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildTransactions } from '../../../../src/models/baskets/basket.ts';
import { fpGrowth } from '../../../../src/models/baskets/fpgrowth.ts';
import { type ConsequentSize, associationRules, formatRule } from '../../../../src/models/baskets/rules.ts';
import { listModels } from '../../../../src/models/registry.ts';
import type { Frame } from '../../../../src/models/kit/frame.ts';

type Counts = Record<'any' | 'any_lift_1' | 'single' | 'single_lift_1', number>;
/** mlxtend's and efficient-apriori's counts on ten baskets (tests/fixtures/models/rules_reference.py). */
const reference = JSON.parse(readFileSync(new URL('../../../fixtures/models/rules-reference.json', import.meta.url), 'utf8')) as {
  baskets: string[][];
  min_support: number;
  min_confidence: number;
  counts_by_max_length: Record<string, { mlxtend: Counts; efficient_apriori: Counts }>;
  single_rules_max_length_10: { rule: string; support: number; confidence: number; lift: number }[];
};
const { baskets, min_support: minSupport, min_confidence: minConfidence } = reference;
const transactions = buildTransactions(
  baskets.flatMap((basket, b) => basket.map(() => `t${b}`)),
  baskets.flat(),
);

/**
 * Every rule by brute force, independent of FP-Growth: each subset of the six items is counted in every basket; a
 * frequent one of 2 to maxLength items is split every way (or with one item on the right) and kept when it passes.
 */
function bruteForce(maxLength: number, consequent: ConsequentSize, minLift: number): string[] {
  const items = [...new Set(baskets.flat())].sort();
  const count = (set: string[]) => baskets.filter((basket) => set.every((item) => basket.includes(item))).length;
  const subsets = (set: string[]): string[][] => set.reduce<string[][]>((all, item) => all.concat(all.map((subset) => [...subset, item])), [[]]);
  const rules: string[] = [];
  for (const itemset of subsets(items)) {
    if (itemset.length < 2 || itemset.length > maxLength || count(itemset) / baskets.length < minSupport) continue;
    for (const left of subsets(itemset)) {
      const right = itemset.filter((item) => !left.includes(item));
      if (left.length === 0 || right.length === 0 || (consequent === 'single' && right.length !== 1)) continue;
      const confidence = count(itemset) / count(left);
      const lift = (count(itemset) * baskets.length) / (count(left) * count(right));
      if (confidence >= minConfidence && lift >= minLift) rules.push(`{${left.join(', ')}} → {${right.join(', ')}}`);
    }
  }
  return rules.sort();
}

function ours(maxLength: number, consequent: ConsequentSize, minLift: number): string[] {
  const frequent = fpGrowth(transactions, { minSupport, maxLength });
  return associationRules(frequent, { minConfidence, minLift, consequent }).map((rule) => formatRule(rule, frequent.items)).sort();
}

describe('association rules against brute force, mlxtend and efficient-apriori (ten baskets, support ≥ 0.15, confidence ≥ 0.55)', () => {
  for (const maxLength of [2, 3, 10]) {
    for (const consequent of ['single', 'any'] as const) {
      for (const minLift of [0, 1]) {
        it(`max_length ${maxLength}, ${consequent} consequent, lift ≥ ${minLift}`, () => {
          const rules = ours(maxLength, consequent, minLift);
          expect(rules).toEqual(bruteForce(maxLength, consequent, minLift));
          const key = `${consequent}${minLift === 1 ? '_lift_1' : ''}` as keyof Counts;
          const published = reference.counts_by_max_length[String(maxLength)]!;
          expect(rules.length).toBe(published.mlxtend[key]);
          expect(rules.length).toBe(published.efficient_apriori[key]);
        });
      }
    }
  }

  it("one item on the right: mlxtend's support, confidence and lift of each of the 48 rules", () => {
    const frequent = fpGrowth(transactions, { minSupport, maxLength: 10 });
    const rules = associationRules(frequent, { minConfidence, consequent: 'single' });
    const byName = new Map(rules.map((rule) => [formatRule(rule, frequent.items).replaceAll(', ', ','), rule]));
    expect(byName.size).toBe(reference.single_rules_max_length_10.length);
    for (const expected of reference.single_rules_max_length_10) {
      const rule = byName.get(expected.rule);
      expect(rule, expected.rule).toBeDefined();
      expect(rule!.support).toBeCloseTo(expected.support, 12);
      expect(rule!.confidence).toBeCloseTo(expected.confidence, 12);
      expect(rule!.lift).toBeCloseTo(expected.lift, 12);
    }
    // By hand: {a, c} → {b} is in 4 baskets; {a, c} in 5, b in 8: confidence 0.8, lift 4·10 / (5·8) = 1 exactly.
    expect(byName.get('{a,c} → {b}')).toMatchObject({ count: 4, antecedentCount: 5, consequentCount: 8, confidence: 0.8, lift: 1 });
  });
});

describe('the association_rules cell', () => {
  const model = listModels().find((entry) => entry.name === 'association_rules');
  if (model?.kind !== 'worker') throw new Error('association_rules is a worker model');
  const lines: Frame = {
    rowCount: transactions.baskets.reduce((sum, basket) => sum + basket.length, 0),
    columns: { invoice_id: baskets.flatMap((basket, b) => basket.map(() => `t${b}`)), product_id: baskets.flat() },
  };
  const run = (spec: Record<string, unknown>) => model.run([lines], { min_support: minSupport, min_confidence: minConfidence, ...spec }, {});

  it("defaults to arules' rules: one item on the right, no lift filter, up to 3 items — and says so", () => {
    const summary = run({}).summary!.columns;
    expect(summary).toMatchObject({
      rules: Int32Array.of(38),
      rules_shown: Int32Array.of(38),
      consequent: ['single'],
      max_length: Int32Array.of(3),
      min_lift: Float64Array.of(0),
      min_confidence: Float64Array.of(0.55),
      cut_by_max_rules: ['no'],
    });
    expect((summary.note as string[])[0]).toBe('38 rules with support ≥ 0.15 (2 baskets), confidence ≥ 0.55, lift ≥ 0, at most 3 items, one item on the right; all are listed');
    expect(run({ max_length: 10 }).summary!.columns.rules).toEqual(Int32Array.of(48));
  });

  it('reproduces the old defaults when asked (any consequent, 3 items, lift ≥ 1): 24 rules', () => {
    expect(run({ consequent: 'any', max_length: 3, min_lift: 1 }).summary!.columns.rules).toEqual(Int32Array.of(24));
  });

  it('says when max_rules cut the list, and keeps the rules with the highest lift', () => {
    const result = run({ max_rules: 10, max_length: 10 });
    expect(result.summary!.columns).toMatchObject({ rules: Int32Array.of(48), rules_shown: Int32Array.of(10), cut_by_max_rules: ['yes'], max_rules: Int32Array.of(10) });
    expect((result.summary!.columns.note as string[])[0]).toMatch(/; max_rules 10 kept the 10 with the highest lift$/);
    const lifts = Array.from(result['']!.columns.lift as Float64Array);
    const all = reference.single_rules_max_length_10.map((rule) => rule.lift).sort((a, b) => b - a);
    expect(lifts).toEqual(all.slice(0, 10).map((lift) => expect.closeTo(lift, 12)));
  });

  it('refuses an unknown consequent and a max_length above 10', () => {
    expect(() => run({ consequent: 'many' })).toThrow(/"consequent" must be one of single, any/);
    expect(() => run({ max_length: 11 })).toThrow(/"max_length" must be a whole number from 2 to 10/);
  });
});
