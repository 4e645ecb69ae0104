import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeDatabase } from '../../../src/db/duckdb-node.ts';
import { leadingKeywordText, runSql } from '../../../src/engine/run-sql.ts';
import { fetchPage } from '../../../src/engine/result-page.ts';
import type { Database } from '../../../src/engine/ports.ts';

let db: Database;
beforeAll(async () => {
  db = await openNodeDatabase();
  await db.query(`CREATE TABLE sales AS SELECT * FROM (VALUES
    ('a', 10.0, DATE '2011-01-02'), ('b', 5.5, DATE '2011-01-01'), ('a', 2.25, NULL), ('c', 5.5, DATE '2011-02-01')
  ) t(customer_id, amount, day)`);
});
afterAll(async () => {
  await db.close();
});

describe('runSql', () => {
  it('keeps a query result as a table named after the cell', async () => {
    const outcome = await runSql(db, 'by_customer', '-- spend per customer\nSELECT customer_id, sum(amount) AS spend FROM sales GROUP BY 1 ORDER BY 1;\n');
    expect(outcome).toMatchObject({ kind: 'table', table: 'by_customer', rowCount: 3 });
    const rows = await fetchPage(db, { name: 'by_customer', kind: 'table' }, outcome.kind === 'table' ? outcome.columns : [], { offset: 0, limit: 10 });
    // 10.00 + 2.25 for a, 5.50 for b and c (by hand; DECIMAL keeps its two places)
    expect(rows).toEqual([['a', '12.25'], ['b', '5.50'], ['c', '5.50']]);
  });

  it('a comment at the end of the last line does not swallow what Aisle adds after the SQL', async () => {
    await expect(runSql(db, 'commented', 'SELECT 1 AS x -- the answer')).resolves.toMatchObject({ kind: 'table', rowCount: 1 });
    await expect(runSql(db, 'described', 'DESCRIBE sales -- columns')).resolves.toMatchObject({ kind: 'table', rowCount: 3 });
  });

  it('keeps DESCRIBE and SUMMARIZE results too', async () => {
    const outcome = await runSql(db, 'cols', 'DESCRIBE sales');
    expect(outcome).toMatchObject({ kind: 'table', rowCount: 3 });
  });

  it('runs other statements as written', async () => {
    expect(await runSql(db, 'ignored', 'CREATE TABLE made_here AS SELECT 1 AS x')).toEqual({ kind: 'statement' });
    const made = await db.query('SELECT x FROM made_here');
    expect(made.getChild('x')?.get(0)).toBe(1);
  });

  it('leaves the previous result in place when the new query fails', async () => {
    await runSql(db, 'kept', 'SELECT 1 AS x');
    await expect(runSql(db, 'kept', 'SELECT no_such_column FROM sales')).rejects.toThrow(/no_such_column/);
    const kept = await db.query('SELECT x FROM kept');
    expect(kept.getChild('x')?.get(0)).toBe(1);
  });

  it('a cancelled run leaves no open transaction: the same cell runs again at once', async () => {
    const controller = new AbortController();
    const slow = runSql(db, 'again', 'SELECT count(*) FROM range(200000) a, range(200000) b WHERE (a.range * b.range) % 7 = 3', controller.signal);
    setTimeout(() => controller.abort(), 200);
    await expect(slow).rejects.toMatchObject({ name: 'AbortError' });
    await expect(runSql(db, 'again', 'SELECT 1 AS one')).resolves.toMatchObject({ kind: 'table', rowCount: 1 });
  });

  it('finds the first keyword past comments and parentheses', () => {
    expect(leadingKeywordText('  /* note */ -- line\n ((SELECT 1))')).toBe('SELECT 1))');
  });
});

describe('fetchPage', () => {
  const columns = [
    { name: 'customer_id', type: 'VARCHAR' },
    { name: 'amount', type: 'DECIMAL(4,2)' },
    { name: 'day', type: 'DATE' },
  ];

  it('sorts in DuckDB, nulls last, ties in table order, and pages without overlap', async () => {
    const relation = { name: 'sales', kind: 'table' } as const;
    const sort = { column: 'amount', descending: true };
    const all = await fetchPage(db, relation, columns, { offset: 0, limit: 10, sort });
    expect(all.map((row) => row[0])).toEqual(['a', 'b', 'c', 'a']);
    const second = await fetchPage(db, relation, columns, { offset: 1, limit: 2, sort });
    expect(second.map((row) => row[0])).toEqual(['b', 'c']);
    const byDay = await fetchPage(db, relation, columns, { offset: 0, limit: 10, sort: { column: 'day', descending: false } });
    expect(byDay.map((row) => row[2])).toEqual(['2011-01-01', '2011-01-02', '2011-02-01', null]);
  });
});
