import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeDatabase } from '../../../../src/db/duckdb-node.ts';
import { jsonRows } from '../../../../src/engine/api/index.ts';
import type { Database } from '../../../../src/engine/index.ts';

let db: Database;
beforeAll(async () => {
  db = await openNodeDatabase();
}, 30_000);
afterAll(async () => db?.close());

describe('jsonRows', () => {
  it('writes DuckDB values as JSON can hold them', async () => {
    const table = await db.query(`SELECT
      42::BIGINT AS small, 9007199254740993::BIGINT AS huge, 1.25::DECIMAL(10,2) AS price, 'nan'::DOUBLE AS not_a_number,
      DATE '2011-12-09' AS day, TIMESTAMP '2011-12-09 12:50:00' AS at, true AS flag, NULL::VARCHAR AS missing,
      ['a', 'b'] AS items, {'segment': 'Champions', 'size': 3} AS profile`);
    expect(jsonRows(table)).toEqual([
      {
        small: 42,
        huge: '9007199254740993',
        price: 1.25,
        not_a_number: null,
        day: '2011-12-09',
        at: '2011-12-09T12:50:00.000Z',
        flag: true,
        missing: null,
        items: ['a', 'b'],
        profile: { segment: 'Champions', size: 3 },
      },
    ]);
  });
});
