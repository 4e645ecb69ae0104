/**
 * The market-basket models a model cell can name (`association_rules`), as thin adapters from a transactions
 * table to the pure algorithms.
 */
import type { Frame } from '../kit/frame.ts';
import { integer, number, oneOf, only, ParamError, type Params } from '../kit/params.ts';
import type { ModelDefinition } from '../kit/model.ts';
import { INPUT, LINE_FIELDS, LINE_PARAMS } from '../kit/fields.ts';
import { Progress } from '../kit/progress.ts';
import { excludedProducts, lineReads, lineText, productCatalogue, type ProductInfo } from '../kit/retail-lines.ts';
import { withoutValues } from '../kit/text-codes.ts';
import { buildTransactions } from './basket.ts';
import { fpGrowth } from './fpgrowth.ts';
import { associationRules } from './rules.ts';

/** What makes one basket: an invoice (default) or a customer. */
export const basketLevel = (params: Params) => oneOf(params, 'baskets', ['invoice', 'customer'] as const, 'invoice');

/** Lines with both a basket and a product: invoices (or customers, for customer-level baskets) and their products. */
export function basketsOf(input: Frame, params: Params, catalogue: ProductInfo = productCatalogue(input, params)) {
  const level = basketLevel(params);
  const baskets = lineText(input, params, level);
  const products = lineText(input, params, 'product');
  const transactions = buildTransactions(baskets, withoutValues(products, excludedProducts(params)));
  return { level, transactions, labels: transactions.items.map((id) => catalogue.describe(id)) };
}

const associationRulesModel: ModelDefinition = {
  kind: 'worker',
  name: 'association_rules',
  title: 'Association rules (market baskets)',
  fields: [
    INPUT,
    { key: 'baskets', label: 'Basket', type: 'choice', choices: ['invoice', 'customer'], hint: 'what makes one basket: an invoice, or all of a customer\'s purchases' },
    { key: 'min_support', label: 'Min support', type: 'number', hint: 'share of baskets, e.g. 0.01' },
    { key: 'min_confidence', label: 'Min confidence', type: 'number', hint: 'default 0.2' },
    { key: 'min_lift', label: 'Min lift', type: 'number', hint: 'default 0: no filter, as arules and mlxtend; 1 keeps items bought together more than by chance' },
    { key: 'max_length', label: 'Max items per rule', type: 'number', hint: 'items on both sides together, 2 to 10; default 3 (arules: 10, with a support of 0.1)' },
    { key: 'consequent', label: 'Right-hand side', type: 'choice', choices: ['single', 'any'], hint: 'single (default): one item, as arules; any: every split of an itemset, as mlxtend' },
    { key: 'max_rules', label: 'Rules kept', type: 'number', hint: 'the rules with the highest lift are kept; the summary says when this cut the list; default 5000' },
    ...LINE_FIELDS,
  ],
  params: { ...LINE_PARAMS, baskets: 'string', min_support: 'number', min_confidence: 'number', min_lift: 'number', max_length: 'number', consequent: 'string', max_rules: 'number' },
  reads: (params) => lineReads(params, [basketLevel(params), 'product', 'description', 'category']),
  run(inputs, params, control) {
    const input = only(inputs);
    const progress = new Progress(control, 'Association rules');
    const { level, transactions, labels } = basketsOf(input, params);
    const minSupport = number(params, 'min_support', 0.01);
    if (!(minSupport > 0 && minSupport <= 1)) throw new ParamError(`"min_support" must be a share of baskets in (0, 1], e.g. 0.01; got ${minSupport}`);
    // Default 3, not arules' 10: arules pairs 10 with a support of 0.1; at our 0.01 the sample's invoices hold over a million frequent itemsets.
    const maxLength = integer(params, 'max_length', 3, 2, 10);
    const minConfidence = number(params, 'min_confidence', 0.2);
    const minLift = number(params, 'min_lift', 0);
    const consequent = oneOf(params, 'consequent', ['single', 'any'] as const, 'single');
    const frequent = fpGrowth(transactions, { minSupport, maxLength, ...progress.slice(0, 0.7) });
    const rules = associationRules(frequent, { minConfidence, minLift, consequent, ...progress.slice(0.7, 0.95) });
    const maxRules = integer(params, 'max_rules', 5000, 1, 1_000_000);
    const shown = rules.slice(0, maxRules);
    const cut = shown.length < rules.length;
    const ids = (set: Int32Array) => Array.from(set, (item) => transactions.items[item]).join(', ');
    const names = (set: Int32Array) => Array.from(set, (item) => labels[item]).join(' + ');
    const itemsets = frequent.itemsets;
    progress.finish();
    return {
      '': {
        rowCount: shown.length,
        columns: {
          antecedent: shown.map((rule) => ids(rule.antecedent)),
          consequent: shown.map((rule) => ids(rule.consequent)),
          antecedent_items: shown.map((rule) => names(rule.antecedent)),
          consequent_items: shown.map((rule) => names(rule.consequent)),
          antecedent_count: Int32Array.from(shown, (rule) => rule.antecedentCount),
          consequent_count: Int32Array.from(shown, (rule) => rule.consequentCount),
          count: Int32Array.from(shown, (rule) => rule.count),
          support: Float64Array.from(shown, (rule) => rule.support),
          antecedent_support: Float64Array.from(shown, (rule) => rule.antecedentSupport),
          consequent_support: Float64Array.from(shown, (rule) => rule.consequentSupport),
          confidence: Float64Array.from(shown, (rule) => rule.confidence),
          lift: Float64Array.from(shown, (rule) => rule.lift),
          leverage: Float64Array.from(shown, (rule) => rule.leverage),
          conviction: Float64Array.from(shown, (rule) => rule.conviction),
        },
      },
      itemsets: {
        rowCount: itemsets.length,
        columns: {
          itemset: itemsets.map((itemset) => ids(itemset.items)),
          items: itemsets.map((itemset) => names(itemset.items)),
          size: Int32Array.from(itemsets, (itemset) => itemset.items.length),
          count: Int32Array.from(itemsets, (itemset) => itemset.count),
          support: Float64Array.from(itemsets, (itemset) => itemset.support),
        },
      },
      summary: {
        rowCount: 1,
        columns: {
          baskets_by: [level],
          baskets: Int32Array.of(transactions.baskets.length),
          products: Int32Array.of(transactions.items.length),
          min_count: Int32Array.of(frequent.minCount),
          frequent_itemsets: Int32Array.of(itemsets.length),
          rules: Int32Array.of(rules.length),
          rules_shown: Int32Array.of(shown.length),
          min_support: Float64Array.of(minSupport),
          min_confidence: Float64Array.of(minConfidence),
          min_lift: Float64Array.of(minLift),
          max_length: Int32Array.of(maxLength),
          consequent: [consequent],
          max_rules: Int32Array.of(maxRules),
          cut_by_max_rules: [cut ? 'yes' : 'no'],
          note: [
            `${rules.length} rules with support ≥ ${minSupport} (${frequent.minCount} baskets), confidence ≥ ${minConfidence}, lift ≥ ${minLift}, ` +
              `at most ${maxLength} items, ${consequent === 'single' ? 'one item' : 'any items'} on the right` +
              (cut ? `; max_rules ${maxRules} kept the ${shown.length} with the highest lift` : '; all are listed'),
          ],
        },
      },
    };
  },
};

/** The market-basket models, in the order the form lists them. */
export const BASKET_MODELS: readonly ModelDefinition[] = [associationRulesModel];
