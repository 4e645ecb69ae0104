import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeDatabase } from '../../../src/db/duckdb-node.ts';
import { describe as describeRelation, listTables } from '../../../src/engine/catalog.ts';
import { bindTable, bindingPlan, retargetBindings, setAsideName, unbindTable } from '../../../src/engine/bindings.ts';
import { removalWarning, removeLoadedTable, renameLoadedTable, tableReaders, tableRenameProblem } from '../../../src/engine/loaded-tables.ts';
import { prepareRetailTable, type RetailTableReport } from '../../../src/engine/retail-table.ts';
import { parseNotebook } from '../../../src/format/notebook-text.ts';
import type { Database } from '../../../src/engine/ports.ts';

let db: Database;
beforeAll(async () => {
  db = await openNodeDatabase();
});
afterAll(async () => {
  await db.close();
});

/** A UCI-layout table of `rows` lines, each 2 items at `price`, one customer per line. */
async function uciTable(name: string, rows: number, price: number): Promise<RetailTableReport> {
  await db.query(`CREATE OR REPLACE TABLE "${name}" AS
    SELECT 'I' || i AS InvoiceNo, 'P' || (i % 3) AS StockCode, 'item' AS Description, 2 AS Quantity,
           TIMESTAMP '2011-01-01' + INTERVAL (i) DAY AS InvoiceDate, ${price}::DOUBLE AS UnitPrice, 'C' || (i % 4) AS CustomerID, 'UK' AS Country
    FROM range(${rows}) t(i)`);
  const report = await prepareRetailTable(db, name, await describeRelation(db, `"${name}"`));
  if (report === null) throw new Error('the UCI layout was not recognised');
  return report;
}

async function scalar(sql: string): Promise<unknown> {
  const value = (await db.query(sql)).toArray()[0]?.toJSON() as Record<string, unknown> | undefined;
  return value === undefined ? undefined : Object.values(value)[0];
}

describe('bindingPlan', () => {
  it('unbinds what the notebook does not want before binding what it does', () => {
    expect(bindingPlan({ sales: 'a' }, { sales: 'b' }, ['a', 'b'])).toEqual({
      steps: [
        { kind: 'unbind', name: 'sales' },
        { kind: 'bind', name: 'sales', table: 'b' },
      ],
      unavailable: [],
    });
  });

  it('keeps a binding already in place, and ends one the open notebook does not ask for', () => {
    expect(bindingPlan({ sales: 'a' }, { sales: 'a' }, ['a']).steps).toEqual([]);
    expect(bindingPlan({ sales: 'a', stock: 'b' }, {}, ['a', 'b']).steps).toEqual([
      { kind: 'unbind', name: 'sales' },
      { kind: 'unbind', name: 'stock' },
    ]);
  });

  it('falls back to the notebook data when the bound table is no longer loaded, and says so', () => {
    expect(bindingPlan({}, { sales: 'gone' }, ['other'])).toEqual({ steps: [], unavailable: [{ name: 'sales', table: 'gone' }] });
    expect(bindingPlan({ sales: 'gone' }, { sales: 'gone' }, []).steps).toEqual([{ kind: 'unbind', name: 'sales' }]);
  });

  it('a table bound to its own name is no binding', () => {
    expect(bindingPlan({}, { sales: 'SALES' }, ['sales'])).toEqual({ steps: [], unavailable: [] });
  });

  it('follows a renamed table and forgets a removed one', () => {
    expect(retargetBindings({ sales: 'a', stock: 'b' }, 'A', 'c')).toEqual({ sales: 'c', stock: 'b' });
    expect(retargetBindings({ sales: 'a', stock: 'b' }, 'a', undefined)).toEqual({ stock: 'b' });
  });
});

describe('binding a notebook table to a loaded table in DuckDB', () => {
  it('makes sales, sales_canonical and sales_clean read the bound table, and unbinding puts the sample back', async () => {
    const sample = await uciTable('sales', 10, 1.5);
    const mine = await uciTable('online_retail_2011', 40, 3);
    // By hand: 40 lines × 2 items × 3.00 = 240; the sample is 10 × 2 × 1.50 = 30.
    expect(await scalar('SELECT sum(amount) FROM sales_clean')).toBe(30);

    await bindTable(db, 'sales', { table: mine.table, canonicalView: mine.canonicalView, cleanTable: mine.cleanTable });
    expect(await scalar('SELECT count(*)::INTEGER FROM sales')).toBe(40);
    expect(await scalar('SELECT sum(amount) FROM sales_canonical')).toBe(240);
    expect(await scalar('SELECT sum(amount) FROM sales_clean')).toBe(240);
    const listed = (await listTables(db)).map((table) => `${table.name}:${table.kind}`);
    expect(listed).toEqual(expect.arrayContaining(['sales:view', 'sales_canonical:view', 'sales_clean:view']));
    // The sample is kept, hidden, not dropped.
    expect(listed.some((name) => name.startsWith('__aisle'))).toBe(false);
    expect(await scalar(`SELECT count(*)::INTEGER FROM "${setAsideName('sales')}"`)).toBe(10);

    // Binding again to another table replaces the views; the sample stays aside.
    const other = await uciTable('other_shop', 5, 10);
    await bindTable(db, 'sales', { table: other.table, canonicalView: other.canonicalView, cleanTable: other.cleanTable });
    expect(await scalar('SELECT sum(amount) FROM sales_clean')).toBe(100);

    expect(await unbindTable(db, 'sales')).toBe(true);
    expect(await scalar('SELECT count(*)::INTEGER FROM sales')).toBe(10);
    const back = await prepareRetailTable(db, 'sales', await describeRelation(db, 'sales'));
    expect(back?.cleanTable).toBe(sample.cleanTable);
    expect(await scalar('SELECT sum(amount) FROM sales_clean')).toBe(30);
    // Nothing was set aside the second time.
    expect(await unbindTable(db, 'sales')).toBe(false);
  });

  it('a table of no known layout binds alone: its name reads it, there is no canonical view to follow', async () => {
    await db.query(`CREATE OR REPLACE TABLE plain AS SELECT 1 AS x`);
    await db.query(`DROP VIEW IF EXISTS nothing_canonical`);
    await bindTable(db, 'nothing', { table: 'plain' });
    expect(await scalar('SELECT x FROM nothing')).toBe(1);
    expect((await listTables(db)).some((table) => table.name === 'nothing_canonical')).toBe(false);
    expect(await unbindTable(db, 'nothing')).toBe(false);
    expect((await listTables(db)).some((table) => table.name === 'nothing')).toBe(false);
  });

  it('a binding that fails changes nothing', async () => {
    await uciTable('kept', 3, 2);
    await expect(bindTable(db, 'kept', { table: 'no_such_table' })).rejects.toThrow(/no_such_table/);
    // The table bound over is where it was, with its canonical view and clean table.
    expect(await scalar('SELECT sum(amount) FROM kept_clean')).toBe(12);
    expect(await scalar('SELECT count(*)::INTEGER FROM kept_canonical')).toBe(3);
    expect((await listTables(db)).find((table) => table.name === 'kept')?.kind).toBe('table');
  });
});

describe('renaming and removing loaded tables', () => {
  it('a rename keeps the rows and makes the canonical view and clean table again under the new name', async () => {
    await uciTable('to_rename', 6, 1);
    await renameLoadedTable(db, 'to_rename', 'renamed');
    const report = await prepareRetailTable(db, 'renamed', await describeRelation(db, 'renamed'));
    expect(report).toMatchObject({ canonicalView: 'renamed_canonical', cleanTable: 'renamed_clean' });
    expect(await scalar('SELECT sum(amount) FROM renamed_clean')).toBe(12);
    const names = (await listTables(db)).map((table) => table.name);
    expect(names.filter((name) => name.startsWith('to_rename'))).toEqual([]);
  });

  it('a rename is refused with the reason: a bad name, a name taken by a table or by a cell', () => {
    const relations = ['a', 'a_canonical', 'a_clean', 'b', 'b_clean'];
    expect(tableRenameProblem('a', '2011', relations, () => false)).toMatch(/cannot start with a digit/);
    expect(tableRenameProblem('a', 'b', relations, () => false)).toBe('there is already a table or view named "b"');
    expect(tableRenameProblem('a', 'b_2', relations, () => false)).toBeUndefined();
    // `a_clean` is a's own: renaming a to `A` is fine; a cell named like the new clean table is not.
    expect(tableRenameProblem('a', 'A', relations, () => false)).toBeUndefined();
    expect(tableRenameProblem('a', 'shop', relations, (name) => name === 'shop_clean')).toBe('a cell of this notebook is named "shop_clean"');
  });

  it('removing drops the table with its canonical view and clean table', async () => {
    await uciTable('to_remove', 2, 1);
    await removeLoadedTable(db, 'to_remove');
    expect((await listTables(db)).map((table) => table.name).filter((name) => name.startsWith('to_remove'))).toEqual([]);
  });

  it('the cells that read a table are named before it goes: direct readers, then what reads them', () => {
    const notebook = parseNotebook(`---
aisle: 1
title: t
---

\`\`\`sql kpis
SELECT sum(amount) FROM sales_clean
\`\`\`

\`\`\`sql by_country
SELECT country, count(*) AS n FROM Sales GROUP BY 1
\`\`\`

\`\`\`chart country_chart
{ "data": "by_country", "mark": "barY", "x": "country", "y": "n" }
\`\`\`

\`\`\`sql unrelated
SELECT 1 AS one
\`\`\`
`);
    expect(tableReaders(notebook, ['sales', 'sales_canonical', 'sales_clean'])).toEqual({ direct: ['kpis', 'by_country'], downstream: ['country_chart'] });
    expect(tableReaders(notebook, ['sales_clean'])).toEqual({ direct: ['kpis'], downstream: [] });
    expect(tableReaders(notebook, ['elsewhere'])).toEqual({ direct: [], downstream: [] });
  });
});

describe('the warning before a loaded table is removed', () => {
  const notebook = parseNotebook(`---
aisle: 1
title: Shop
data:
  sales: sample/online_retail_50k.parquet
  stock: data/stock.csv
---

\`\`\`sql kpis
SELECT sum(amount) FROM sales_clean
\`\`\`

\`\`\`sql by_country
SELECT country, count(*) AS n FROM sales GROUP BY 1
\`\`\`

\`\`\`chart country_chart
{ "data": "by_country", "mark": "barY", "x": "country", "y": "n" }
\`\`\`

\`\`\`sql mine
SELECT count(*) AS n FROM shop_2011
\`\`\`

\`\`\`sql both
SELECT (SELECT count(*) FROM shop_2011) - (SELECT count(*) FROM sales) AS gap
\`\`\`

\`\`\`sql levels
SELECT * FROM stock
\`\`\`
`);

  it('says a bound notebook table goes back to the sample and which cells re-run on it', () => {
    expect(removalWarning(notebook, 'other', [{ name: 'sales', source: 'sample/online_retail_50k.parquet' }])).toBe(
      'sales goes back to the bundled sample (online_retail_50k.parquet), and these cells re-run on it: kpis, by_country, both; and after them one more cell (country_chart).',
    );
    expect(removalWarning(notebook, 'other', [{ name: 'stock', source: 'data/stock.csv' }])).toBe('stock goes back to its own data (data/stock.csv), and these cells re-run on it: levels.');
  });

  it('says the cells reading the table by its own name will fail, and does not count them twice', () => {
    expect(removalWarning(notebook, 'shop_2011', [])).toBe('These cells read shop_2011 and will fail: mine, both.');
    expect(removalWarning(notebook, 'shop_2011', [{ name: 'sales', source: 'sample/online_retail_50k.parquet' }])).toBe(
      'These cells read shop_2011 and will fail: mine, both. sales goes back to the bundled sample (online_retail_50k.parquet), and these cells re-run on it: kpis, by_country; and after them one more cell (country_chart).',
    );
  });

  it('says when nothing reads it', () => {
    expect(removalWarning(notebook, 'unread', [])).toBe('No cell of this notebook reads it.');
  });
});

