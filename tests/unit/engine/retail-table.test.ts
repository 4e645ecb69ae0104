import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeDatabase } from '../../../src/db/duckdb-node.ts';
import { describe as describeRelation } from '../../../src/engine/catalog.ts';
import { mapRetailTable, prepareRetailTable } from '../../../src/engine/retail-table.ts';
import type { Database } from '../../../src/engine/ports.ts';

let db: Database;
beforeAll(async () => {
  db = await openNodeDatabase();
  await db.query(`CREATE TABLE orders AS SELECT * FROM (VALUES
    ('k1', '2011-03-01', 20.0), ('k1', '2011-03-05', 5.0), (NULL, '2011-03-06', 7.5), ('k2', '2011-03-07', 0.0)
  ) t(client, day, total)`);
});
afterAll(async () => {
  await db.close();
});

describe('retail tables', () => {
  it('a table of no known layout is not recognised', async () => {
    expect(await prepareRetailTable(db, 'orders', await describeRelation(db, 'orders'))).toBeNull();
  });

  it('a hand mapping yields the canonical view and the cleaned table', async () => {
    const report = await mapRetailTable(db, 'orders', await describeRelation(db, 'orders'), {
      customer_id: 'client',
      invoice_date: 'day',
      amount: 'total',
    });
    expect(report).toMatchObject({ canonicalView: 'orders_canonical', cleanTable: 'orders_clean' });
    // By hand: 4 rows in; the guest row (no client) and the zero-amount row go; 2 remain.
    expect(report.cleaning).toMatchObject({ rowsIn: 4, rowsOut: 2 });
    const spend = await db.query('SELECT sum(amount) AS s FROM orders_clean');
    expect(spend.getChild('s')?.get(0)).toBe(25);
  });

  it('a mapping to a column the table lacks is refused, naming it', async () => {
    const columns = await describeRelation(db, 'orders');
    await expect(mapRetailTable(db, 'orders', columns, { customer_id: 'clinet' })).rejects.toThrow(/"clinet".*did you mean "client"/);
  });
});

describe('non-finite numbers (issue #13 item 17)', () => {
  const UCI = (price: string) => `SELECT * FROM (VALUES
    ('536365', '85123A', 'HEART', 6, '2010-12-01 08:26:00', ${price.replace('$1', '2.55')}, '17850', 'United Kingdom'),
    ('536366', '71053', 'LANTERN', 6, '2010-12-01 08:28:00', ${price.replace('$1', "'nan'")}, '17850', 'United Kingdom'),
    ('536367', '22633', 'WARMER', 6, '2010-12-01 08:34:00', ${price.replace('$1', "'inf'")}, '17850', 'United Kingdom'),
    ('536368', '22632', 'WARMER RED', 2, '2010-12-01 08:35:00', ${price.replace('$1', "'-Infinity'")}, '13047', 'United Kingdom')
  ) t(InvoiceNo, StockCode, Description, Quantity, InvoiceDate, UnitPrice, CustomerID, Country)`;

  it.each([
    ['DOUBLE prices (as Parquet brings them)', 'CAST($1 AS DOUBLE)'],
    ['text prices (as a CSV brings them)', 'CAST($1 AS VARCHAR)'],
  ])('%s: NaN and ±Infinity are a validation problem with a count and an example, and cleaning drops them', async (_, price) => {
    await db.query(`CREATE OR REPLACE TABLE lines AS ${UCI(price)}`);
    const report = await prepareRetailTable(db, 'lines', await describeRelation(db, 'lines'));
    const issue = report?.validation.issues.find((found) => found.kind === 'non-numeric');
    // By hand: three of the four prices are NaN, inf or -Infinity.
    expect(issue).toMatchObject({ column: 'UnitPrice', count: 3, severity: 'warning' });
    expect(issue?.message).toMatch(/^3 rows have a UnitPrice that is not a number \(e\.g\. "nan"\)$/i);
    expect(report?.cleaning).toMatchObject({ rowsIn: 4, rowsOut: 1 });
    expect(report?.cleaning?.dropped['non-positive']).toBe(3);
    const total = await db.query('SELECT sum(amount) AS revenue FROM lines_clean');
    expect(total.getChild('revenue')?.get(0)).toBeCloseTo(6 * 2.55, 10);
  });
});
