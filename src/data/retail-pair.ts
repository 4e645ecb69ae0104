/**
 * The two-table retail layout: an `orders` table (one row per order: order id, customer, date, country…) and an
 * `order_lines` table (one row per line: order id, product, quantity, unit price…), joined on the order id into
 * one source the canonical view reads. Pure: detection and SQL text only.
 */
import { normalizeColumnName, type CanonicalColumn, type ColumnMapping, type RetailProfile } from './retail.ts';
import { quoteIdent } from '../util/sql.ts';

/** A loaded table's name and column names. */
export interface TableColumns {
  readonly name: string;
  readonly columns: readonly string[];
}

/** An orders table and the lines table that reads it, with the joined source and its profile. */
export interface OrderPair {
  readonly orders: string;
  readonly lines: string;
  /** `SELECT l.*, o.<order columns the lines lack> FROM lines l LEFT JOIN orders o ON …`: one row per line. */
  readonly sql: string;
  /** The profile over the joined columns. */
  readonly profile: RetailProfile;
}

interface PairField {
  readonly canonical: CanonicalColumn | 'order_id';
  readonly spellings: readonly string[];
  readonly required: boolean;
}

const ORDER_ID = ['OrderID', 'Order', 'OrderNumber', 'OrderNo'];

const ORDER_FIELDS: readonly PairField[] = [
  { canonical: 'order_id', spellings: ORDER_ID, required: true },
  { canonical: 'customer_id', spellings: ['CustomerID', 'Customer', 'CustID', 'CustomerEmail'], required: true },
  { canonical: 'invoice_date', spellings: ['OrderDate', 'OrderedAt', 'CreatedAt', 'Date', 'OrderTimestamp', 'OrderPurchaseTimestamp'], required: true },
  { canonical: 'country', spellings: ['Country', 'ShippingCountry', 'BillingCountry', 'CustomerCountry'], required: false },
];

const LINE_FIELDS: readonly PairField[] = [
  { canonical: 'order_id', spellings: ORDER_ID, required: true },
  { canonical: 'product_id', spellings: ['ProductID', 'Product', 'SKU', 'ItemID', 'StockCode'], required: true },
  { canonical: 'quantity', spellings: ['Quantity', 'Qty'], required: true },
  { canonical: 'unit_price', spellings: ['UnitPrice', 'Price', 'ItemPrice'], required: true },
  { canonical: 'description', spellings: ['Description', 'ProductName', 'ItemName'], required: false },
  { canonical: 'category', spellings: ['Category', 'ProductCategory'], required: false },
];

/** Each field's column in `columns`, or null when a required field has none. */
function matchFields(columns: readonly string[], fields: readonly PairField[]): Map<PairField['canonical'], string> | null {
  const found = new Map<PairField['canonical'], string>();
  for (const target of fields) {
    const wanted = target.spellings.map(normalizeColumnName);
    const column = wanted.map((spelling) => columns.find((name) => normalizeColumnName(name) === spelling)).find((name) => name !== undefined);
    if (column !== undefined) found.set(target.canonical, column);
    else if (target.required) return null;
  }
  return found;
}

/**
 * Every lines table among `tables` with the orders table it joins, the first orders table in the list winning:
 * `orderPairs([{ name: 'orders', columns: ['order_id', 'customer_id', 'order_date'] },
 *   { name: 'order_lines', columns: ['order_id', 'product_id', 'quantity', 'unit_price'] }])`
 * → `[{ orders: 'orders', lines: 'order_lines', … }]`. A table is never paired with itself.
 */
export function orderPairs(tables: readonly TableColumns[]): OrderPair[] {
  const orders = tables.flatMap((table) => {
    const fields = matchFields(table.columns, ORDER_FIELDS);
    return fields === null ? [] : [{ table, fields }];
  });
  const pairs: OrderPair[] = [];
  for (const table of tables) {
    const lineFields = matchFields(table.columns, LINE_FIELDS);
    if (lineFields === null) continue;
    const header = orders.find((candidate) => candidate.table.name !== table.name);
    if (header === undefined) continue;
    pairs.push(joinPair(header.table, header.fields, table, lineFields));
  }
  return pairs;
}

function joinPair(
  orders: TableColumns,
  orderFields: ReadonlyMap<PairField['canonical'], string>,
  lines: TableColumns,
  lineFields: ReadonlyMap<PairField['canonical'], string>,
): OrderPair {
  const orderKey = orderFields.get('order_id')!;
  const lineKey = lineFields.get('order_id')!;
  const lineNames = new Set(lines.columns.map((column) => column.toLowerCase()));
  // The lines keep their own columns; the order's other columns join them unless a line column has the same name.
  const added = orders.columns.filter((column) => column !== orderKey && !lineNames.has(column.toLowerCase()));
  const mapping: ColumnMapping = { invoice_id: lineKey };
  for (const [canonical, column] of lineFields) if (canonical !== 'order_id') mapping[canonical] = column;
  for (const [canonical, column] of orderFields) {
    if (canonical !== 'order_id' && mapping[canonical] === undefined && added.includes(column)) mapping[canonical] = column;
  }
  const missing = (['customer_id', 'invoice_date'] as const).filter((canonical) => mapping[canonical] === undefined);
  const select = ['l.*', ...added.map((column) => `o.${quoteIdent(column)}`)].join(', ');
  // Keys are compared as text: one file's 1001 and the other's '1001' are the same order.
  const sql =
    `SELECT ${select} FROM ${quoteIdent(lines.name)} AS l LEFT JOIN ${quoteIdent(orders.name)} AS o ` +
    `ON CAST(l.${quoteIdent(lineKey)} AS VARCHAR) = CAST(o.${quoteIdent(orderKey)} AS VARCHAR)`;
  return { orders: orders.name, lines: lines.name, sql, profile: { layout: 'orders-pair', mapping, missing } };
}
