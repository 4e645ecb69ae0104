import { describe, expect, it } from 'vitest';
import { tableFromIPC } from 'apache-arrow';
import { checkModelSpec, joinPartOutputs, runModel } from '../../../../src/models/registry.ts';
import { frameToIpc } from '../../../../src/models/kit/frame.ts';
import { Rng } from '../../../../src/models/kit/random.ts';

/** Seeded order lines: 80 customers, 30 products (a few popular), 300 invoices over a year, 1–4 lines each. */
function lines(): Uint8Array {
  const rng = new Rng(7);
  const customers: string[] = [];
  const products: string[] = [];
  const invoices: string[] = [];
  const dates: number[] = [];
  const amounts: number[] = [];
  for (let invoice = 0; invoice < 300; invoice += 1) {
    const customer = `C${rng.integer(0, 79)}`;
    const date = Date.UTC(2011, 0, 1) + rng.integer(0, 364) * 86_400_000;
    for (let line = rng.integer(1, 4); line > 0; line -= 1) {
      customers.push(customer);
      products.push(`P${Math.min(rng.integer(0, 29), rng.integer(0, 29))}`);
      invoices.push(`I${invoice}`);
      dates.push(date);
      amounts.push(Math.round(rng.uniform(1, 40) * 100) / 100);
    }
  }
  return frameToIpc({
    rowCount: customers.length,
    columns: { customer_id: customers, product_id: products, invoice_id: invoices, invoice_date: Float64Array.from(dates), amount: Float64Array.from(amounts), description: products.map((p) => `product ${p}`) },
  });
}

describe('evaluate_recommenders runs as one part per split', () => {
  const params = { model: 'evaluate_recommenders', input: 'sales_clean', methods: ['popularity', 'item_knn', 'als'], k: 5, seed: 42 };

  it('splits into the time and last-basket parts, and a single split is one run', () => {
    const model = checkModelSpec('evaluate_recommenders', params);
    if (model.kind !== 'worker') throw new Error('evaluate_recommenders runs in a worker');
    expect(model.parts?.(params)?.map((part) => part.splits)).toEqual([['time'], ['last_basket']]);
    expect(model.parts?.({ ...params, splits: ['time'] })).toBeUndefined();
  });

  it('the parts joined are the whole run: the same columns and types, the same rows in the same order', () => {
    const input = lines();
    const model = checkModelSpec('evaluate_recommenders', params);
    if (model.kind !== 'worker') throw new Error('evaluate_recommenders runs in a worker');
    const whole = runModel('evaluate_recommenders', params, [input], {});
    const joined = joinPartOutputs(model.parts!(params)!.map((part) => runModel('evaluate_recommenders', part, [input], {})));
    expect(Object.keys(joined)).toEqual(Object.keys(whole));
    const read = (bytes: Uint8Array) => {
      const table = tableFromIPC(bytes);
      return { fields: table.schema.fields.map((field) => `${field.name} ${field.type}`), rows: table.toArray().map((row) => row.toJSON()) };
    };
    const expected = read(whole['']!);
    expect(expected.rows).toHaveLength(6);
    expect(read(joined['']!)).toEqual(expected);
  });
});
