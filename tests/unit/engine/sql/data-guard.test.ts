import { describe, expect, it } from 'vitest';
import { dataNameClash, dataWriteError, freeDataName, notebookResults, protectedNames } from '../../../../src/engine/data-tables.ts';
import { describeCellError } from '../../../../src/engine/errors.ts';
import { sqlReads } from '../../../../src/engine/sql/references.ts';
import type { Notebook } from '../../../../src/engine/notebook.ts';

const DATA = protectedNames(['sales']);

/** The table and statement a refusal names, or 'allowed'. */
function verdict(sql: string): string {
  const error = dataWriteError(sql, DATA);
  if (error === undefined) return 'allowed';
  switch (error.kind) {
    case 'read-only-data':
      return `${error.table.toLowerCase()}: ${error.statement}`;
    case 'namespace-change':
      return `namespace: ${error.statement}${error.name === undefined ? '' : ` ${error.name}`}`;
    default:
      return error.kind;
  }
}

describe('protectedNames', () => {
  it('a data table protects its canonical view and clean table, in lower case', () => {
    expect([...protectedNames(['Sales', 'orders'])].sort()).toEqual(['orders', 'orders_canonical', 'orders_clean', 'sales', 'sales_canonical', 'sales_clean']);
  });
});

describe('dataWriteError: statements that would change loaded data are refused, naming the table', () => {
  const refused: [string, string][] = [
    ['DROP TABLE IF EXISTS sales CASCADE', 'sales: DROP TABLE'],
    ['drop table Sales', 'sales: DROP TABLE'],
    ['DROP TABLE orders_tmp, main.sales', 'sales: DROP TABLE'],
    ['DROP VIEW sales_canonical', 'sales_canonical: DROP VIEW'],
    ['DROP TABLE memory.main."SALES"', 'sales: DROP TABLE'],
    ['DROP TABLE "sales_clean"', 'sales_clean: DROP TABLE'],
    ['ALTER TABLE sales RENAME TO old_sales', 'sales: ALTER TABLE'],
    ['ALTER TABLE IF EXISTS sales ADD COLUMN note VARCHAR', 'sales: ALTER TABLE'],
    ['ALTER TABLE staging RENAME TO sales', 'sales: RENAME TO'],
    ['ALTER VIEW v RENAME TO sales_canonical', 'sales_canonical: RENAME TO'],
    ['TRUNCATE sales', 'sales: TRUNCATE'],
    ['TRUNCATE TABLE main.sales_clean', 'sales_clean: TRUNCATE'],
    ["COMMENT ON TABLE sales IS 'mine'", 'sales: COMMENT ON'],
    ["COMMENT ON COLUMN sales.amount IS 'mine'", 'sales: COMMENT ON'],
    ['INSERT INTO sales SELECT * FROM sales', 'sales: INSERT'],
    ['INSERT OR REPLACE INTO main.sales VALUES (1)', 'sales: INSERT'],
    ['UPDATE sales SET amount = 0', 'sales: UPDATE'],
    ['DELETE FROM sales WHERE amount < 0', 'sales: DELETE'],
    ['WITH bad AS (SELECT invoice_id FROM sales WHERE amount < 0) DELETE FROM sales WHERE invoice_id IN (SELECT invoice_id FROM bad)', 'sales: DELETE'],
    ['MERGE INTO sales USING fixes ON sales.id = fixes.id WHEN MATCHED THEN DELETE', 'sales: MERGE'],
    ["COPY sales FROM 'other.csv'", 'sales: COPY … FROM'],
    ['CREATE OR REPLACE VIEW sales AS SELECT 1 AS x', 'sales: CREATE OR REPLACE VIEW'],
    ['CREATE OR REPLACE TABLE sales_clean AS SELECT * FROM sales LIMIT 1', 'sales_clean: CREATE OR REPLACE TABLE'],
    ['CREATE TEMP TABLE sales AS SELECT 1 AS x', 'sales: CREATE TEMP TABLE'],
    ['CREATE TABLE IF NOT EXISTS sales (x INTEGER)', 'sales: CREATE TABLE'],
    ['SELECT * FROM sales; DROP TABLE sales', 'sales: DROP TABLE'],
    ['SELECT 1;DROP TABLE sales;SELECT 2', 'sales: DROP TABLE'],
    ['/* harmless */ -- still harmless\n DROP /* really */ TABLE /**/ sales', 'sales: DROP TABLE'],
    ["SELECT ';' AS s, $$ ; $$ AS t; DELETE FROM sales", 'sales: DELETE'],
    ['EXPLAIN ANALYZE DELETE FROM sales', 'sales: DELETE'],
    ['PREPARE wipe AS DELETE FROM sales', 'sales: DELETE'],
    ['DROP SCHEMA main CASCADE', 'namespace: DROP SCHEMA main'],
    ['DROP SCHEMA IF EXISTS memory.main CASCADE', 'namespace: DROP SCHEMA main'],
    ['USE scratch', 'namespace: USE scratch'],
    ['DETACH DATABASE IF EXISTS memory', 'namespace: DETACH memory'],
    ["SET search_path = 'scratch'", 'namespace: SET search_path'],
    ['SET SESSION schema = scratch', 'namespace: SET schema'],
    ['RESET search_path', 'namespace: RESET search_path'],
    ["ATTACH ':memory:' AS sales", 'namespace: ATTACH … AS sales'],
    ["ATTACH ':memory:' AS main", 'namespace: ATTACH … AS main'],
    ["IMPORT DATABASE 'dump'", 'namespace: IMPORT DATABASE'],
    ['COPY FROM DATABASE scratch TO memory', 'namespace: COPY FROM DATABASE scratch'],
  ];
  for (const [sql, expected] of refused) {
    it(`${sql.replace(/\s+/g, ' ')} → ${expected}`, () => expect(verdict(sql)).toBe(expected));
  }
});

describe('dataWriteError: what leaves loaded data alone runs', () => {
  const allowed = [
    'SELECT * FROM sales',
    'SELECT * FROM main.sales_clean WHERE amount > 0',
    'CREATE TABLE sales_summary AS SELECT country, sum(amount) FROM sales GROUP BY 1',
    'CREATE OR REPLACE VIEW big_sales AS SELECT * FROM sales WHERE amount > 100',
    'INSERT INTO sales_summary SELECT * FROM sales',
    'DELETE FROM scratch WHERE id IN (SELECT id FROM sales)',
    'UPDATE scratch SET amount = s.amount FROM sales s WHERE scratch.id = s.id',
    'DROP TABLE IF EXISTS sales_summary',
    'DROP VIEW IF EXISTS query',
    'ALTER TABLE scratch RENAME COLUMN sales TO revenue',
    "COPY sales TO 'out.csv'",
    "COPY (SELECT * FROM sales) TO 'out.parquet'",
    'DROP SCHEMA IF EXISTS scratch CASCADE',
    "ATTACH ':memory:' AS scratch",
    'SET threads = 1',
    'SUMMARIZE sales',
    "SELECT 'DROP TABLE sales' AS text -- DROP TABLE sales",
    'WITH sales AS (SELECT 1 AS x) SELECT * FROM sales',
  ];
  for (const sql of allowed) it(sql, () => expect(verdict(sql)).toBe('allowed'));
});

describe('sqlReads records the new writes with their statements', () => {
  it('DROP of several names, ALTER … RENAME TO both names', () => {
    expect(sqlReads('DROP TABLE IF EXISTS a, b CASCADE; ALTER TABLE c RENAME TO d').writes.map((w) => `${w.statement} ${w.name}`)).toEqual([
      'DROP TABLE a',
      'DROP TABLE b',
      'ALTER TABLE c',
      'RENAME TO d',
    ]);
  });
});

describe('the message a person reads', () => {
  it('names the table and says what to do instead', () => {
    expect(describeCellError(dataWriteError('DROP TABLE IF EXISTS sales CASCADE', DATA)!)).toBe(
      '"sales" is loaded data and cannot be changed by a cell (DROP TABLE); write the result to a new table instead',
    );
  });
});

describe('cell names and data names are one namespace', () => {
  it('a cell named like data, its canonical view or clean table clashes, in any case', () => {
    expect(dataNameClash('Sales', DATA)).toBe('sales');
    expect(dataNameClash('sales_clean', DATA)).toBe('sales_clean');
    expect(dataNameClash('sales_summary', DATA)).toBeUndefined();
  });

  it('a model cell whose extra outputs would be a data table clashes', () => {
    expect(dataNameClash('segments', protectedNames(['segments__centroids']))).toBe('segments__centroids');
  });

  it('a file named like a cell is loaded under a free name', () => {
    const cells = new Set(['query', 'query_data']);
    expect(freeDataName('query', (name) => cells.has(name))).toBe('query_data_2');
    expect(freeDataName('sales', (name) => cells.has(name))).toBe('sales');
    // A cell named like the table's clean table would be overwritten by cleaning: taken too.
    expect(freeDataName('orders', (name) => name === 'orders_clean')).toBe('orders_data');
  });
});

describe('notebookResults: what a notebook made, never data', () => {
  const notebook: Notebook = {
    title: 'Welcome',
    data: {},
    extra: {},
    cells: [
      { id: '1', kind: 'sql', name: 'top_customers', source: 'SELECT * FROM sales' },
      { id: '2', kind: 'sql', name: 'setup', source: 'CREATE TABLE scratch AS SELECT 1 AS x' },
      { id: '3', kind: 'model', name: 'segments', source: '{}' },
      { id: '4', kind: 'input', name: 'k', source: '{}' },
      { id: '5', kind: 'sql', name: 'sales', source: 'SELECT 1' },
    ],
  };
  it('lists cell tables, model outputs and tables SQL created; not inputs, not data', () => {
    const relations = ['sales', 'sales_clean', 'top_customers', 'scratch', 'segments', 'segments__centroids', 'k', 'other'];
    expect(notebookResults(notebook, relations, ['sales'])).toEqual(['top_customers', 'scratch', 'segments', 'segments__centroids']);
  });
});
