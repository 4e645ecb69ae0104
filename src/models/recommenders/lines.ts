/**
 * What the recommender models read from a transactions table: the settings' spec keys, and each line's customer,
 * product and amount with the products' catalogue.
 */
import type { Frame } from '../kit/frame.ts';
import type { Params } from '../kit/params.ts';
import type { ParamSchema } from '../kit/model.ts';
import { LINE_PARAMS } from '../kit/fields.ts';
import { excludedProducts, lineNumbers, lineText, productCatalogue } from '../kit/retail-lines.ts';
import { buildInteractions } from '../baskets/interactions.ts';
import { withoutValues } from '../kit/text-codes.ts';

/** Spec keys of the recommender settings (see `settingsOf`) and of the lines they read. */
export const SETTINGS_PARAMS: ParamSchema = {
  ...LINE_PARAMS, value: 'string', weighting: 'string', item_neighbours: 'number', user_neighbours: 'number', factors: 'number',
  iterations: 'number', svd_factors: 'number', content_popularity: 'number', epochs: 'number', seed: 'number',
};

/** The lines' columns `purchases` reads. */
export const PURCHASE_FIELDS = ['customer', 'product', 'amount', 'description', 'category'] as const;

/**
 * Each line's customer, product (excluded ones null) and amount; `catalogue`, what each product is, and
 * `interactions`, the amount spent per customer and product, are built on each read (a model that needs neither
 * pays for neither).
 */
export function purchases(input: Frame, params: Params) {
  const customers = lineText(input, params, 'customer');
  const excluded = excludedProducts(params);
  const products = withoutValues(lineText(input, params, 'product'), excluded);
  const amounts = lineNumbers(input, params, 'amount');
  return { customers, products, amounts, get catalogue() { return productCatalogue(input, params); }, get interactions() { return buildInteractions({ customers, products, values: amounts }, 'amount'); } };
}

