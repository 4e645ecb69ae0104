/** Form fields and spec keys that several models share, so they read the same in every family. */
import type { Field, ParamSchema } from './model.ts';

export const INPUT: Field = { key: 'input', label: 'Input table', type: 'table', hint: 'the table the model reads' };
export const SEED: Field = { key: 'seed', label: 'Seed', type: 'number', hint: 'the same seed gives the same result; default 42' };

/** Which columns of a transactions table hold the customer, invoice, date and amount (defaults: canonical names). */
export const TRANSACTION_COLUMNS = {
  customer: { key: 'columns.customer', label: 'Customer column', type: 'column', hint: 'default customer_id' },
  invoice: { key: 'columns.invoice', label: 'Invoice column', type: 'column', hint: 'default invoice_id' },
  date: { key: 'columns.date', label: 'Date column', type: 'column', hint: 'default invoice_date' },
  amount: { key: 'columns.amount', label: 'Amount column', type: 'column', hint: 'default amount' },
  product: { key: 'columns.product', label: 'Product column', type: 'column', hint: 'default product_id' },
  description: { key: 'columns.description', label: 'Description column', type: 'column', hint: 'default description' },
} as const satisfies Readonly<Record<string, Field>>;

/** The transaction columns the form shows for RFM-like models, in order. */
export const TRANSACTION_FIELDS: readonly Field[] = [TRANSACTION_COLUMNS.customer, TRANSACTION_COLUMNS.invoice, TRANSACTION_COLUMNS.date, TRANSACTION_COLUMNS.amount];

/** Which columns of the lines hold the customer, product and invoice, for the basket and recommender models. */
export const LINE_FIELDS: readonly Field[] = [TRANSACTION_COLUMNS.customer, TRANSACTION_COLUMNS.product, TRANSACTION_COLUMNS.invoice, TRANSACTION_COLUMNS.description];

/** `columns.<field>` keys of a transactions table. */
export function columnKeys(...fields: readonly string[]): ParamSchema {
  return Object.fromEntries(fields.map((field) => [`columns.${field}`, 'string']));
}

/** Every column a basket or recommender model reads from the lines (kit/retail-lines.ts), and its exclusions. */
export const LINE_PARAMS: ParamSchema = {
  ...columnKeys('customer', 'product', 'invoice', 'date', 'quantity', 'amount', 'description', 'category', 'rating'),
  exclude_products: 'list',
};
