/**
 * The retail schema profile: which columns of a user's file mean what. Pure (no DuckDB, no DOM).
 * SQL built from a profile lives in `retail-sql.ts`; report shapes in `retail-reports.ts`.
 */
import { closestName, normalizeColumnName } from '../util/names.ts';

// Name matching lives in util (the notebook's name checks use it too); re-exported for the profile's users.
export { closestName, editDistance, normalizeColumnName } from '../util/names.ts';

/** The columns every retail analysis reads, whatever the file called them. */
export const CANONICAL_COLUMNS = [
  'invoice_id',
  'invoice_date',
  'customer_id',
  'product_id',
  'description',
  'category',
  'quantity',
  'unit_price',
  'amount',
  'country',
] as const;

export type CanonicalColumn = (typeof CANONICAL_COLUMNS)[number];

/**
 * Known one-table layouts: UCI Online Retail (I and II), the simple one-row-per-purchase layout, and Shopify's
 * orders export (one row per line item). Two-table layouts (orders + order lines) are in `retail-pair.ts`.
 */
export type RetailLayout = 'online-retail' | 'simple' | 'shopify';

/** Canonical column → source column. Unmapped canonical columns become typed NULLs in the canonical view. */
export type ColumnMapping = Partial<Record<CanonicalColumn, string>>;

/** How a table maps onto the canonical columns. */
export interface RetailProfile {
  readonly layout: RetailLayout | 'orders-pair' | 'custom';
  readonly mapping: Readonly<ColumnMapping>;
  /** Source columns read where the mapped one is blank: Shopify leaves `Lineitem sku` empty for items without one. */
  readonly fallbacks?: Readonly<ColumnMapping>;
  /** Columns an export fills on an order's first row only (Shopify's Billing Country): the order's value is used on every line. */
  readonly perOrder?: readonly CanonicalColumn[];
  /** Required columns the table lacks, by their layout name (`InvoiceDate`), or canonical name for a custom profile. */
  readonly missing: readonly string[];
}

interface LayoutField {
  readonly canonical: CanonicalColumn;
  /** The name the layout's reference file uses. */
  readonly name: string;
  /** Other spellings seen in the wild (Online Retail II says `Invoice`, `Price`, `Customer ID`). */
  readonly aliases: readonly string[];
  readonly required: boolean;
  /** An identifier that must be read as text: `17850.0` and `85123A` are not numbers to us. */
  readonly text: boolean;
  /** A column of the same layout read where this one is blank. */
  readonly fallback?: string;
  /** Filled on an order's first row only. */
  readonly perOrder?: boolean;
}

function field(canonical: CanonicalColumn, name: string, options: Partial<Omit<LayoutField, 'canonical' | 'name'>> = {}): LayoutField {
  const { aliases = [], required = true, text = false, fallback, perOrder } = options;
  return { canonical, name, aliases, required, text, fallback, perOrder };
}

const LAYOUTS: Readonly<Record<RetailLayout, readonly LayoutField[]>> = {
  'online-retail': [
    field('invoice_id', 'InvoiceNo', { aliases: ['Invoice', 'InvoiceNumber', 'InvoiceID'], text: true }),
    field('product_id', 'StockCode', { aliases: ['SKU', 'ItemCode', 'ProductCode'], text: true }),
    field('description', 'Description', { aliases: ['ProductDescription', 'ItemDescription'], required: false }),
    field('quantity', 'Quantity', { aliases: ['Qty'] }),
    field('invoice_date', 'InvoiceDate', { aliases: ['InvoiceDateTime'] }),
    field('unit_price', 'UnitPrice', { aliases: ['Price'] }),
    field('customer_id', 'CustomerID', { aliases: ['Customer', 'CustID'], text: true }),
    field('country', 'Country', { required: false }),
  ],
  simple: [
    field('customer_id', 'CustomerID', { aliases: ['Customer', 'CustID'], text: true }),
    field('product_id', 'ProductID', { aliases: ['Product', 'ItemID'], text: true }),
    field('category', 'Category', { aliases: ['ProductCategory'], required: false }),
    field('amount', 'PurchaseAmount', { aliases: ['Amount', 'PurchaseValue'] }),
    field('invoice_date', 'PurchaseDate', { aliases: ['Date', 'OrderDate'] }),
  ],
  // Shopify's orders export, one row per line item. Order-level fields such as Email and Created at are repeated on
  // every line item row (Subtotal, Total and the like only on the first), so each line maps on its own.
  // Amount is quantity × Lineitem price: the line's gross revenue, before order-level discounts.
  shopify: [
    field('invoice_id', 'Name', { aliases: ['Order Name', 'Order'], text: true }),
    field('invoice_date', 'Created at', { aliases: ['Processed at'] }),
    field('customer_id', 'Email', { aliases: ['Customer', 'Customer Email'], text: true }),
    field('product_id', 'Lineitem sku', { text: true, fallback: 'Lineitem name' }),
    field('description', 'Lineitem name', { required: false }),
    field('quantity', 'Lineitem quantity'),
    field('unit_price', 'Lineitem price'),
    field('country', 'Billing Country', { aliases: ['Shipping Country'], required: false, perOrder: true }),
  ],
};

/** How each layout is named to a person: `LAYOUT_NAMES.shopify` → `Shopify orders export`. */
export const LAYOUT_NAMES: Readonly<Record<RetailProfile['layout'], string>> = {
  'online-retail': 'UCI Online Retail layout',
  simple: 'simple retail layout',
  shopify: 'Shopify orders export',
  'orders-pair': 'orders + order lines',
  custom: 'custom mapping',
};

/** Canonical columns a hand mapping must cover to be analysable. */
const CUSTOM_REQUIRED: readonly (CanonicalColumn | readonly CanonicalColumn[])[] = [
  'customer_id',
  'invoice_date',
  ['unit_price', 'amount'],
];

/** Share of a layout's columns a table must have for `detectProfile` to pick it. */
export const DETECTION_THRESHOLD = 0.6;


/** The source column matching a layout field, by its name first, then its aliases. */
function findColumn(columnNames: readonly string[], target: LayoutField, taken: ReadonlySet<string>): string | undefined {
  for (const spelling of [target.name, ...target.aliases]) {
    const wanted = normalizeColumnName(spelling);
    const found = columnNames.find((column) => !taken.has(column) && normalizeColumnName(column) === wanted);
    if (found !== undefined) return found;
  }
  return undefined;
}

interface LayoutMatch {
  readonly profile: RetailProfile;
  readonly matched: number;
  readonly share: number;
}

function matchLayout(layout: RetailLayout, columnNames: readonly string[]): LayoutMatch {
  const fields = LAYOUTS[layout];
  const mapping: ColumnMapping = {};
  const fallbacks: ColumnMapping = {};
  const missing: string[] = [];
  const taken = new Set<string>();
  for (const target of fields) {
    const column = findColumn(columnNames, target, taken);
    if (column === undefined) {
      if (target.required) missing.push(target.name);
      continue;
    }
    mapping[target.canonical] = column;
    taken.add(column);
  }
  for (const target of fields) {
    if (target.fallback === undefined) continue;
    const wanted = normalizeColumnName(target.fallback);
    const fallback = columnNames.find((column) => normalizeColumnName(column) === wanted);
    if (fallback !== undefined && fallback !== mapping[target.canonical]) fallbacks[target.canonical] = fallback;
  }
  const perOrder = fields.filter((target) => target.perOrder === true && mapping[target.canonical] !== undefined).map((target) => target.canonical);
  const profile: RetailProfile = {
    layout,
    mapping,
    missing,
    ...(Object.keys(fallbacks).length > 0 ? { fallbacks } : {}),
    ...(perOrder.length > 0 ? { perOrder } : {}),
  };
  return { profile, matched: taken.size, share: taken.size / fields.length };
}

/**
 * The known layout a table's columns fit best, if at least 60% of its columns are there:
 * `detectProfile(['Invoice', 'StockCode', 'Description', 'Quantity', 'InvoiceDate', 'Price', 'Customer ID', 'Country'])`
 * → `{ layout: 'online-retail', mapping: { invoice_id: 'Invoice', unit_price: 'Price', … }, missing: [] }`.
 */
export function detectProfile(columnNames: readonly string[]): RetailProfile | null {
  let best: LayoutMatch | null = null;
  for (const layout of Object.keys(LAYOUTS) as RetailLayout[]) {
    const match = matchLayout(layout, columnNames);
    if (match.share < DETECTION_THRESHOLD) continue;
    if (best === null || match.share > best.share || (match.share === best.share && match.matched > best.matched)) {
      best = match;
    }
  }
  return best?.profile ?? null;
}

/** A mapping naming a column the table does not have (or an unknown canonical column). */
export class MappingError extends Error {
  override readonly name = 'MappingError';
  constructor(
    message: string,
    /** The offending name as the user gave it. */
    readonly value: string,
  ) {
    super(message);
  }
}

/**
 * A profile from a hand mapping, checked against the table's columns:
 * `customProfile({ customer_id: 'Client', amount: 'Total', invoice_date: 'Day' }, ['Client', 'Total', 'Day'])`.
 * Throws a MappingError naming an unknown column, with the closest real name (`did you mean "Client"?`).
 */
export function customProfile(mapping: Readonly<Record<string, string | undefined>>, columnNames: readonly string[]): RetailProfile {
  const checked: ColumnMapping = {};
  for (const [canonical, column] of Object.entries(mapping)) {
    if (column === undefined) continue;
    if (!isCanonicalColumn(canonical)) {
      throw new MappingError(`unknown canonical column "${canonical}"${suggestion(canonical, CANONICAL_COLUMNS)}`, canonical);
    }
    if (!columnNames.includes(column)) {
      const message = `${canonical} is mapped to "${column}", which is not a column of the table`;
      throw new MappingError(`${message}${suggestion(column, columnNames)}`, column);
    }
    checked[canonical] = column;
  }
  const missing = CUSTOM_REQUIRED.filter((required) =>
    typeof required === 'string' ? checked[required] === undefined : required.every((column) => checked[column] === undefined),
  ).map((required) => (typeof required === 'string' ? required : required.join(' or ')));
  return { layout: 'custom', mapping: checked, missing };
}

/** True when `name` is one of CANONICAL_COLUMNS. */
export function isCanonicalColumn(name: string): name is CanonicalColumn {
  return (CANONICAL_COLUMNS as readonly string[]).includes(name);
}

/**
 * Identifier columns to read as VARCHAR when importing a CSV, in header order:
 * `textColumns(['InvoiceNo', 'Quantity', 'Customer ID'])` → `['InvoiceNo', 'Customer ID']`.
 */
export function textColumns(columnNames: readonly string[]): string[] {
  const textNames = new Set<string>();
  for (const fields of Object.values(LAYOUTS)) {
    for (const target of fields) {
      if (target.text) for (const spelling of [target.name, ...target.aliases]) textNames.add(normalizeColumnName(spelling));
    }
  }
  return columnNames.filter((column) => textNames.has(normalizeColumnName(column)));
}

/** The layout's own name for a canonical column (`unit_price` → `UnitPrice`), for messages. */
export function layoutColumnName(layout: RetailLayout, canonical: CanonicalColumn): string | undefined {
  return LAYOUTS[layout].find((target) => target.canonical === canonical)?.name;
}

/**
 * ` (did you mean "X"?)` for the candidate closest to `name` by edit distance, if close enough;
 * otherwise the list of candidates; empty when there are none.
 */
export function suggestion(name: string, candidates: readonly string[]): string {
  if (candidates.length === 0) return '';
  const closest = closestName(name, candidates);
  if (closest !== undefined) return ` (did you mean "${closest}"?)`;
  return ` (the columns are ${candidates.map((candidate) => `"${candidate}"`).join(', ')})`;
}
