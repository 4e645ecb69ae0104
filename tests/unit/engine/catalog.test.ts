import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/engine/ports.ts';
import { listTables, tableInfo } from '../../../src/engine/catalog.ts';
import { duckDbEngines } from '../helpers/engines.ts';

/**
 * The data panel's list of tables comes from one query on DuckDB (`SqlDialect.shapes`): it must give what asking each
 * relation on its own gives (`tableInfo`: DESCRIBE and count(*)), for every kind of column, odd names, an empty table
 * and views; and a view that can no longer be read is left out without failing the list.
 */
const SETUP = `
CREATE TYPE mood AS ENUM ('low', 'high');
CREATE TABLE lines AS SELECT i::INTEGER AS id, (i * 1.25)::DECIMAL(18,3) AS price, 'p' || i AS product, TIMESTAMP '2011-01-01 08:00:00' + to_days(i) AS at,
  DATE '2011-01-01' + i AS day, i % 2 = 0 AS even, CASE WHEN i % 2 = 0 THEN 'low' ELSE 'high' END::mood AS mood, [i, i + 1] AS pair,
  {'a': i, 'b': 'x'} AS parts, NULL::VARCHAR AS nothing, i::BIGINT AS big, i::FLOAT AS small, (i % 200)::UTINYINT AS tiny FROM (SELECT range::INTEGER AS i FROM range(5000));
CREATE TABLE "Sales 2011" AS SELECT 1 AS "Customer ID", 'a' AS "it's";
CREATE TABLE "it's" AS SELECT 2.5 AS x;
CREATE TABLE empty (a VARCHAR, b DOUBLE);
CREATE VIEW even_lines AS SELECT id, product FROM lines WHERE even;
CREATE TABLE gone AS SELECT 1 AS a;
CREATE VIEW broken AS SELECT a FROM gone;
`;


let queries = 0;

/** `db` with its queries counted in `queries` (reset here). */
function counting(db: Database): Database {
  queries = 0;
  return new Proxy(db, {
    get: (target, key) => {
      const value = Reflect.get(target, key, target);
      if (key !== 'query') return typeof value === 'function' ? value.bind(target) : value;
      return (...args: Parameters<Database['query']>) => {
        queries++;
        return target.query(...args);
      };
    },
  });
}

describe.each(duckDbEngines())('listTables on %s', (_, open) => {
  let db: Database;
  beforeAll(async () => {
    db = await open();
    await db.query(SETUP);
  }, 60_000);
  afterAll(async () => db?.close());

  it('gives each relation the columns and row count it has on its own, in two queries', async () => {
    const listed = await listTables(counting(db));
    expect(queries).toBe(2);
    expect(listed.map((table) => table.name)).toEqual(['Sales 2011', 'broken', 'empty', 'even_lines', 'gone', "it's", 'lines']);
    for (const table of listed) expect(table).toEqual(await tableInfo(db, table.name, table.kind));
    const lines = listed.find((table) => table.name === 'lines');
    expect(lines?.rowCount).toBe(5000);
    expect(lines?.columns.map((column) => column.type)).toEqual([
      'INTEGER', 'DECIMAL(18,3)', 'VARCHAR', 'TIMESTAMP', 'DATE', 'BOOLEAN', "ENUM('low', 'high')", 'INTEGER[]',
      'STRUCT(a INTEGER, b VARCHAR)', 'VARCHAR', 'BIGINT', 'FLOAT', 'UTINYINT',
    ]);
    expect(listed.find((table) => table.name === 'even_lines')).toMatchObject({ kind: 'view', rowCount: 2500 });
    expect(listed.find((table) => table.name === 'empty')).toMatchObject({ rowCount: 0, columns: [{ name: 'a', type: 'VARCHAR' }, { name: 'b', type: 'DOUBLE' }] });
  });

  it('leaves out a table dropped between the list and its shape (another notebook opened), and lists the rest', async () => {
    await db.query('CREATE TABLE dropped_meanwhile AS SELECT 1 AS a');
    // The list is read with the table in it; then, before the shapes are read, the table is dropped.
    const racing = new Proxy(db, {
      get: (target, key) => {
        const value = Reflect.get(target, key, target);
        if (key !== 'query') return typeof value === 'function' ? value.bind(target) : value;
        return async (...args: Parameters<Database['query']>) => {
          if (args[0].includes('dropped_meanwhile') && !args[0].includes('information_schema')) await target.query('DROP TABLE IF EXISTS dropped_meanwhile');
          return target.query(...args);
        };
      },
    });
    const listed = await listTables(racing);
    expect(listed.map((table) => table.name)).toEqual(['Sales 2011', 'broken', 'empty', 'even_lines', 'gone', "it's", 'lines']);
    for (const table of listed) expect(table).toEqual(await tableInfo(db, table.name, table.kind));
  });

  it('leaves out a view that can no longer be read, and lists the rest', async () => {
    await db.query('DROP TABLE gone');
    const listed = await listTables(counting(db));
    // The list, the one query that failed on the view, then each relation on its own.
    expect(queries).toBe(2 + 6);
    expect(listed.map((table) => table.name)).toEqual(['Sales 2011', 'empty', 'even_lines', "it's", 'lines']);
    for (const table of listed) expect(table).toEqual(await tableInfo(db, table.name, table.kind));
  });
});
