import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeDatabase } from '../../../../src/db/duckdb-node.ts';
import { LookupIndex, jsonRows, lookupPlan } from '../../../../src/engine/api/index.ts';
import type { ColumnInfo } from '../../../../src/engine/catalog.ts';
import type { Database } from '../../../../src/engine/index.ts';

let db: Database;
let columns: ColumnInfo[];
let index: LookupIndex;

beforeAll(async () => {
  db = await openNodeDatabase();
  await db.query(`CREATE TABLE t AS SELECT * FROM (VALUES
    ('ann', 12347, 9007199254740993::BIGINT, 1.5::DOUBLE, DATE '2011-12-09', 1.25::DECIMAL(10,2)),
    ('bob', 12348, 2::BIGINT, 0.1::DOUBLE, DATE '2011-12-10', 2.50::DECIMAL(10,2)),
    ('ann', 12349, 3::BIGINT, 1000::DOUBLE, NULL, 1.25::DECIMAL(10,2)),
    (NULL, NULL, NULL, NULL, DATE '2011-12-09', NULL),
    ('x'' OR ''1''=''1', -5, -0::BIGINT, -0.0::DOUBLE, DATE '2012-01-01', 0::DECIMAL(10,2)),
    ('Ann', 12347, 7::BIGINT, 'nan'::DOUBLE, DATE '2011-12-09', 9.99::DECIMAL(10,2))
  ) AS v(customer, id, big, score, day, price)`);
  const described = (await db.query('SELECT column_name, column_type FROM (DESCRIBE t)')).toArray();
  columns = described.map((row) => ({ name: String(row.column_name), type: String(row.column_type) }));
  index = new LookupIndex(jsonRows(await db.query('SELECT * FROM t')));
}, 30_000);
afterAll(async () => db?.close());

/** The rows DuckDB's own lookup SQL returns, the oracle for the index. */
async function bySql(query: string) {
  const plan = lookupPlan('t', 't', columns, new URLSearchParams(query));
  return jsonRows(await db.query(plan.query.sql, { params: plan.query.params }));
}

const find = (query: string) => {
  const plan = lookupPlan('t', 't', columns, new URLSearchParams(query));
  return index.find(plan.conditions, plan.query.limit);
};

describe('LookupIndex', () => {
  it('finds the rows DuckDB finds, in the table\'s order, for text, whole numbers and doubles', async () => {
    const queries = [
      'customer=ann', 'customer=Ann', 'customer=ANN', 'customer=nobody', `customer=${encodeURIComponent(`x' OR '1'='1`)}`, `customer=${encodeURIComponent(`ann' OR 1=1 --`)}`,
      'id=12347', 'id=012347', 'id=%2B12347', 'id=%2012347%20', 'id=-5', 'id=99999999999999999999',
      'big=9007199254740993', 'big=9007199254740992', 'big=0', 'big=-0', 'big=3',
      'score=1.5', 'score=1.50', 'score=1e3', 'score=.1', 'score=0.1', 'score=0', 'score=-0', 'score=2',
      'customer=ann&id=12349', 'customer=ann&id=12348', 'id=12347&big=7', 'customer=ann&limit=1', 'limit=2', '',
    ];
    for (const query of queries) {
      const expected = await bySql(query);
      expect({ query, rows: find(query) }).toEqual({ query, rows: expected });
    }
    // Independently of DuckDB: the two "ann" rows, and the row at -0 equals 0.
    expect(find('customer=ann')?.map((row) => row.id)).toEqual([12347, 12349]);
    expect(find('score=0')?.map((row) => row.id)).toEqual([-5]);
  });

  it('leaves to DuckDB what only its casts decide: dates, decimals, hexadecimal text', async () => {
    expect(find('day=2011-12-09')).toBeUndefined();
    expect(find('price=1.25')).toBeUndefined();
    expect(find('score=0x10')).toBeUndefined();
    expect(find('customer=ann&day=2011-12-09')).toBeUndefined();
    expect((await bySql('day=2011-12-09')).map((row) => row.customer)).toEqual(['ann', null, 'Ann']);
  });
});
