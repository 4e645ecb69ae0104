/**
 * Invoice lines as the basket and recommender models read them from a transactions table, with the spec's
 * `columns` mapping (default: the canonical retail names, as the RFM model cell).
 */
import { numberColumn, textColumn, type Frame } from './frame.ts';
import { ParamError, type Params } from './params.ts';
import { textCodes } from './text-codes.ts';

const DEFAULT_COLUMNS = {
  customer: 'customer_id',
  product: 'product_id',
  invoice: 'invoice_id',
  date: 'invoice_date',
  quantity: 'quantity',
  amount: 'amount',
  description: 'description',
  category: 'category',
  rating: 'rating',
} as const;

/** Product id → its description and category, for explanations and the content recommender. */
export interface ProductInfo {
  describe(id: string): string;
  category(id: string): string | null;
}

export type LineField = keyof typeof DEFAULT_COLUMNS;

/**
 * Stock codes of the UCI Online Retail data that are charges and adjustments, not goods (postage, carriage, bank
 * charges, fees, manual entries, discounts, samples): never recommended nor put in rules by default; a spec's
 * `exclude_products` replaces the list (`[]` keeps everything).
 */
export const SERVICE_CODES: readonly string[] = ['POST', 'DOT', 'C2', 'M', 'D', 'S', 'B', 'BANK CHARGES', 'AMAZONFEE', 'CRUK', 'PADS', 'gift_0001_10', 'gift_0001_20', 'gift_0001_30', 'gift_0001_40', 'gift_0001_50'];

/** Which products the spec leaves out (`exclude_products`, default SERVICE_CODES), as a test on a product id. */
export function excludedProducts(params: Params): (product: string | null) => boolean {
  const value = params.exclude_products ?? SERVICE_CODES;
  if (!Array.isArray(value) || !value.every((code) => typeof code === 'string' || typeof code === 'number')) {
    throw new ParamError(`"exclude_products" must list product codes, e.g. ["POST", "M"]; got ${JSON.stringify(value)}`);
  }
  const codes = new Set(value.map(String));
  return (product) => product == null || codes.has(product);
}

/**
 * The long table a basket file is read into (one row per item of a basket): its columns stand for the invoice and the
 * product when the table has no canonical ones, so a basket file needs no mapping.
 */
const BASKET_FILE_COLUMNS: Partial<Record<LineField, string>> = { invoice: 'basket_id', product: 'item' };

/**
 * The table's column for each field: `columns.product` in the spec, else the canonical name, else (for a basket
 * file's `basket_id, item` table, when `frame` is given and lacks the canonical name) the basket file's column.
 */
export function lineColumn(params: Params, field: LineField, frame?: Frame): string {
  const mapping = params.columns ?? {};
  if (typeof mapping !== 'object' || Array.isArray(mapping)) throw new ParamError('"columns" must map fields to column names, e.g. {"product": "StockCode"}');
  const basketColumn = BASKET_FILE_COLUMNS[field];
  const fallback =
    frame !== undefined && basketColumn !== undefined && frame.columns[DEFAULT_COLUMNS[field]] === undefined && frame.columns[basketColumn] !== undefined
      ? basketColumn
      : DEFAULT_COLUMNS[field];
  const value = (mapping as Record<string, unknown>)[field] ?? fallback;
  if (typeof value !== 'string' || value === '') throw new ParamError(`"columns.${field}" must name a column; got ${JSON.stringify(value)}`);
  return value;
}

/**
 * The columns of the lines that `fields` name (a model's `reads`): only these leave the database for its worker.
 * `lineReads(params, ['customer', 'product', 'amount'])` → `['customer_id', 'product_id', 'amount']`.
 */
export function lineReads(params: Params, fields: readonly LineField[]): string[] {
  return [...new Set(fields.map((field) => lineColumn(params, field)))];
}

/** A text column of the lines (ids, descriptions). */
export function lineText(frame: Frame, params: Params, field: LineField): readonly (string | null)[] {
  return textColumn(frame, lineColumn(params, field, frame));
}

/** A numeric column of the lines (quantity, amount; dates arrive as epoch milliseconds). */
export function lineNumbers(frame: Frame, params: Params, field: LineField): Float64Array {
  return numberColumn(frame, lineColumn(params, field, frame));
}

/** Product id → its most common description and category in the lines (ties: the first seen); the id when it has none. */
export function productCatalogue(frame: Frame, params: Params): ProductInfo {
  const products = lineText(frame, params, 'product');
  const mostCommon = (field: LineField): Map<string, string> | undefined => {
    const column = lineColumn(params, field);
    return frame.columns[column] === undefined ? undefined : mostCommonPerProduct(products, textColumn(frame, column));
  };
  const descriptions = mostCommon('description');
  const categories = mostCommon('category');
  return { describe: (id) => descriptions?.get(id) ?? id, category: (id) => categories?.get(id) ?? null };
}

/**
 * Each product's most common value (description, category): counted per line, or by `weights` (a row standing for
 * that many lines); a tie goes to the value seen first. Counted by the columns' codes (text-codes.ts), not their text.
 */
export function mostCommonPerProduct(products: readonly (string | null)[], values: readonly (string | null)[], weights?: Float64Array): Map<string, string> {
  const product = textCodes(products);
  const value = textCodes(values);
  const blank = value.values.map((text) => text.trim() === '');
  // Per product code, its values' codes in order of first sight with their counts.
  const counts = new Map<number, Map<number, number>>();
  for (let row = 0; row < products.length; row++) {
    const productCode = product.codes[row] as number;
    const valueCode = value.codes[row] as number;
    if (productCode < 0 || valueCode < 0 || blank[valueCode]) continue;
    let perValue = counts.get(productCode);
    if (!perValue) counts.set(productCode, (perValue = new Map()));
    perValue.set(valueCode, (perValue.get(valueCode) ?? 0) + (weights === undefined ? 1 : (weights[row] as number)));
  }
  const best = new Map<string, string>();
  for (const [productCode, perValue] of counts) {
    let top = -1;
    let topCount = 0;
    for (const [valueCode, count] of perValue) if (count > topCount) [top, topCount] = [valueCode, count];
    best.set(product.values[productCode] as string, top < 0 ? '' : (value.values[top] as string));
  }
  return best;
}
