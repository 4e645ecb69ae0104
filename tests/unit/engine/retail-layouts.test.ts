import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeDatabase } from '../../../src/db/duckdb-node.ts';
import { nodeParquetCodec } from '../../../src/db/parquet-node.ts';
import { importFile, type ImportedTable } from '../../../src/engine/datasets.ts';
import { linesOfOrders, prepareRetailTable } from '../../../src/engine/retail-table.ts';
import { detectProfile } from '../../../src/data/retail.ts';
import { orderPairs } from '../../../src/data/retail-pair.ts';
import type { Database } from '../../../src/engine/ports.ts';

// Fixtures written from the published column lists: Shopify's orders export (every column, one row per line item,
// order-level fields such as Total and Billing Country on an order's first row only) and an orders + order lines pair.
const FIXTURES = new URL('../../fixtures/retail/', import.meta.url);

let db: Database;
beforeAll(async () => {
  db = await openNodeDatabase();
});
afterAll(async () => {
  await db.close();
});

async function load(fileName: string, tableName: string): Promise<ImportedTable> {
  const bytes = new Uint8Array(readFileSync(new URL(fileName, FIXTURES)));
  return importFile(db, nodeParquetCodec, { fileName, size: bytes.byteLength, source: { kind: 'bytes', bytes } }, { tableName });
}

async function rows(sql: string): Promise<Record<string, unknown>[]> {
  return (await db.query(sql)).toArray().map((row) => (row as { toJSON(): Record<string, unknown> }).toJSON());
}

/** The dashboard's KPIs, as the demos compute them. */
const KPIS = (table: string) => `SELECT sum(amount) AS revenue, count(DISTINCT invoice_id)::INTEGER AS orders,
  count(DISTINCT customer_id)::INTEGER AS customers, count(*)::INTEGER AS lines FROM ${table}`;

describe("Shopify's orders export", () => {
  it('is recognised and mapped per line item, the SKU falling back to the item name', () => {
    const header = readFileSync(new URL('shopify_orders_export.csv', FIXTURES), 'utf8').split('\n')[0]!.split(',');
    expect(detectProfile(header)).toEqual({
      layout: 'shopify',
      mapping: {
        invoice_id: 'Name',
        invoice_date: 'Created at',
        customer_id: 'Email',
        product_id: 'Lineitem sku',
        description: 'Lineitem name',
        quantity: 'Lineitem quantity',
        unit_price: 'Lineitem price',
        country: 'Billing Country',
      },
      missing: [],
      fallbacks: { product_id: 'Lineitem name' },
      perOrder: ['country'],
    });
  });

  it('gives the canonical view, the validation report and KPIs equal to the hand-computed ones', async () => {
    const info = await load('shopify_orders_export.csv', 'shop');
    const report = await prepareRetailTable(db, 'shop', info.columns);
    expect(report).toMatchObject({ canonicalView: 'shop_canonical', cleanTable: 'shop_clean', profile: { layout: 'shopify' } });
    // By hand: 6 line rows; order #1004 has no email (a guest), so its one line has no customer.
    expect(report?.validation).toMatchObject({ totalRows: 6, ok: true });
    expect(report?.validation.issues).toEqual([expect.objectContaining({ kind: 'missing-customer', count: 1, column: 'Email' })]);
    expect(report?.cleaning).toMatchObject({ rowsIn: 6, rowsOut: 5, dropped: expect.objectContaining({ 'missing-customer': 1 }) });
    // By hand: #1001 2×12.50 + 8.00; #1002 3×8.00 + 25.00; #1003 12.50 → 94.50, 3 orders, 2 customers, 5 lines.
    expect(await rows(KPIS('shop_clean'))).toEqual([{ revenue: 94.5, orders: 3, customers: 2, lines: 5 }]);
    // #1001 was placed at 23:10 on 31 January in the shop's time zone (04:10 on 1 February in UTC): it stays in January.
    const monthly = await rows(`SELECT strftime(date_trunc('month', invoice_date), '%Y-%m') AS month, sum(amount) AS revenue
      FROM shop_clean GROUP BY 1 ORDER BY 1`);
    expect(monthly).toEqual([
      { month: '2023-01', revenue: 33 },
      { month: '2023-02', revenue: 61.5 },
    ]);
    // Billing Country is on an order's first line only; every line of the order gets it.
    const byCountry = await rows('SELECT country, sum(amount) AS revenue FROM shop_clean GROUP BY 1 ORDER BY 1');
    expect(byCountry).toEqual([
      { country: 'CA', revenue: 49 },
      { country: 'US', revenue: 45.5 },
    ]);
    const products = await rows('SELECT DISTINCT product_id FROM shop_clean ORDER BY 1');
    expect(products.map((row) => row.product_id)).toEqual(['Gift Card', 'MUG-01', 'TEA-01']);
  });
});

describe('an orders + order lines pair', () => {
  it('is found from the column names, whichever table comes first, and never pairs a table with itself', () => {
    const orders = { name: 'orders', columns: ['order_id', 'customer_id', 'order_date', 'country', 'channel'] };
    const lines = { name: 'order_lines', columns: ['order_id', 'line_no', 'product_id', 'product_name', 'quantity', 'unit_price'] };
    for (const tables of [[orders, lines], [lines, orders]]) {
      const [pair, ...rest] = orderPairs(tables);
      expect(rest).toEqual([]);
      expect(pair).toMatchObject({
        orders: 'orders',
        lines: 'order_lines',
        profile: {
          layout: 'orders-pair',
          mapping: {
            invoice_id: 'order_id',
            product_id: 'product_id',
            description: 'product_name',
            quantity: 'quantity',
            unit_price: 'unit_price',
            customer_id: 'customer_id',
            invoice_date: 'order_date',
            country: 'country',
          },
          missing: [],
        },
      });
    }
    expect(orderPairs([lines])).toEqual([]);
    expect(orderPairs([orders])).toEqual([]);
  });

  it('joins into the canonical view with the same validation report, and the KPIs equal the hand-computed ones', async () => {
    const orders = await load('orders.csv', 'orders');
    // Alone, the lines are no known layout; nor are the orders.
    const lines = await load('order_lines.csv', 'order_lines');
    expect(await prepareRetailTable(db, 'order_lines', lines.columns)).toBeNull();
    expect(await prepareRetailTable(db, 'orders', orders.columns, [lines])).toBeNull();
    expect(linesOfOrders('orders', [orders, lines])).toEqual(['order_lines']);

    const report = await prepareRetailTable(db, 'order_lines', lines.columns, [orders]);
    expect(report).toMatchObject({ table: 'order_lines', canonicalView: 'order_lines_canonical', cleanTable: 'order_lines_clean' });
    // By hand: 7 lines; A-4's order has no customer and A-9 has no order at all, so 2 lines have no customer.
    expect(report?.validation).toMatchObject({ source: 'order_lines', totalRows: 7 });
    expect(report?.validation.issues).toEqual([expect.objectContaining({ kind: 'missing-customer', count: 2, column: 'customer_id' })]);
    expect(report?.cleaning).toMatchObject({ rowsIn: 7, rowsOut: 5 });
    // By hand: A-1 2×9.50 + 14 = 33; A-2 4×9.50 = 38; A-3 3×21 + 14 = 77 → 148, 3 orders, 2 customers, 5 lines.
    expect(await rows(KPIS('order_lines_clean'))).toEqual([{ revenue: 148, orders: 3, customers: 2, lines: 5 }]);
    const byCountry = await rows('SELECT country, sum(amount) AS revenue FROM order_lines_clean GROUP BY 1 ORDER BY 1');
    expect(byCountry).toEqual([
      { country: 'France', revenue: 38 },
      { country: 'Germany', revenue: 110 },
    ]);
    const monthly = await rows(`SELECT strftime(date_trunc('month', invoice_date), '%Y-%m') AS month, sum(amount) AS revenue
      FROM order_lines_clean GROUP BY 1 ORDER BY 1`);
    expect(monthly).toEqual([
      { month: '2024-03', revenue: 71 },
      { month: '2024-04', revenue: 77 },
    ]);
    // The canonical view reads the orders table live: a changed order shows without preparing again.
    await db.query(`UPDATE orders SET country = 'Austria' WHERE order_id = 'A-2'`);
    expect(await rows(`SELECT DISTINCT country FROM order_lines_canonical WHERE invoice_id = 'A-2'`)).toEqual([{ country: 'Austria' }]);
  });
});
