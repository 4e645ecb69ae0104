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
