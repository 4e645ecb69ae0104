import { describe, expect, it } from 'vitest';
import { checkModelSpec, runModel } from '../../../src/models/registry.ts';
import { frameFromIpc, frameToIpc, type Frame } from '../../../src/models/kit/frame.ts';
import { Rng } from '../../../src/models/kit/random.ts';

/** Seeded order lines with every canonical column, those no model here reads (quantity, unit_price, country) included. */
function lines(): Frame {
  const rng = new Rng(11);
  const columns = { invoice_id: [] as string[], invoice_date: [] as number[], customer_id: [] as string[], product_id: [] as string[], description: [] as string[], category: [] as string[], quantity: [] as number[], unit_price: [] as number[], amount: [] as number[], country: [] as string[] };
  for (let invoice = 0; invoice < 400; invoice += 1) {
    const customer = rng.integer(0, 59);
    const date = Date.UTC(2011, 0, 1) + rng.integer(0, 364) * 86_400_000;
    for (let line = rng.integer(1, 5); line > 0; line -= 1) {
      const product = Math.min(rng.integer(0, 24), rng.integer(0, 24));
      const quantity = rng.integer(1, 12);
      const price = Math.round(rng.uniform(0.5, 9) * 100) / 100;
      columns.invoice_id.push(`I${invoice}`);
      columns.invoice_date.push(date);
      columns.customer_id.push(`C${customer}`);
      columns.product_id.push(`P${product}`);
      columns.description.push(`${['RED', 'BLUE', 'GREEN'][product % 3]} ${['MUG', 'BAG', 'LAMP', 'TIN'][product % 4]} ${product}`);
      columns.category.push(['kitchen', 'bags', 'lighting', 'storage'][product % 4]!);
      columns.quantity.push(quantity);
      columns.unit_price.push(price);
      columns.amount.push(quantity * price);
      columns.country.push(customer % 5 === 0 ? 'France' : 'United Kingdom');
    }
  }
  const numbers = (values: number[]) => Float64Array.from(values);
  return {
    rowCount: columns.amount.length,
    columns: { ...columns, invoice_date: numbers(columns.invoice_date), quantity: numbers(columns.quantity), unit_price: numbers(columns.unit_price), amount: numbers(columns.amount) },
  };
}

const SPECS = [
  { model: 'association_rules', input: 'sales_clean', min_support: 0.02, min_confidence: 0.1 },
  { model: 'association_rules', input: 'sales_clean', baskets: 'customer', min_support: 0.1, min_confidence: 0.3 },
  { model: 'similar_products', input: 'sales_clean', n: 3 },
  { model: 'recommend', input: 'sales_clean', methods: ['item_knn', 'content', 'als', 'hybrid'], n: 3, seed: 42 },
  { model: 'evaluate_recommenders', input: 'sales_clean', methods: ['popularity', 'content', 'item_knn'], k: 5, seed: 42 },
  { model: 'svd_cross_validation', input: 'sales_clean', folds: 3, epochs: 5, seed: 42 },
];

const readable = (outputs: Record<string, Uint8Array>) =>
  Object.fromEntries(Object.entries(outputs).map(([suffix, bytes]) => {
    const frame = frameFromIpc(bytes);
    return [suffix, Object.fromEntries(Object.entries(frame.columns).map(([name, column]) => [name, Array.from(column as ArrayLike<unknown>)]))];
  }));

describe('a model sent only the columns it reads', () => {
  const full = lines();
  it.each(SPECS.map((spec) => [`${spec.model} ${JSON.stringify(spec).slice(0, 60)}`, spec] as const))('%s gives what it gives with every column', (_, spec) => {
    const model = checkModelSpec(spec.model, spec);
    if (model.kind !== 'worker' || model.reads === undefined) throw new Error(`${spec.model} should list the columns it reads`);
    const reads = model.reads(spec);
    expect(reads.every((name) => name in full.columns)).toBe(true);
    expect(reads).not.toContain('country');
    expect(reads).not.toContain('unit_price');
    const narrow: Frame = { rowCount: full.rowCount, columns: Object.fromEntries(reads.map((name) => [name, full.columns[name]!])) };
    const expected = readable(runModel(spec.model, spec, [frameToIpc(full)], {}));
    expect(readable(runModel(spec.model, spec, [frameToIpc(narrow)], {}))).toEqual(expected);
    expect(Object.values(expected).some((table) => Object.values(table)[0]!.length > 0)).toBe(true);
  });
});
