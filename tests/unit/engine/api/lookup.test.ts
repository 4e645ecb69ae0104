import { describe, expect, it } from 'vitest';
import { ApiError, DEFAULT_LIMIT, limitOf, lookupQuery } from '../../../../src/engine/api/index.ts';

const COLUMNS = [
  { name: 'customer', type: 'VARCHAR' },
  { name: 'rank', type: 'BIGINT' },
  { name: 'score', type: 'DOUBLE' },
  { name: 'last_order', type: 'DATE' },
  { name: 'items', type: 'VARCHAR[]' },
];

const lookup = (query: string) => lookupQuery('recommend', 'recommend', COLUMNS, new URLSearchParams(query));

function refusal(query: string): { status: number; message: string } {
  try {
    lookup(query);
  } catch (error) {
    if (error instanceof ApiError) return { status: error.status, message: error.message };
    throw error;
  }
  throw new Error(`${query} was accepted`);
}

describe('lookupQuery', () => {
  it('binds every value as a parameter, one condition per column, ANDed', () => {
    expect(lookup('customer=12347&rank=2&limit=5')).toEqual({
      sql: 'SELECT * FROM "recommend" WHERE "customer" = ? AND "rank" = TRY_CAST(? AS BIGINT) LIMIT 5',
      params: ['12347', '2'],
      limit: 5,
    });
    expect(lookup('')).toEqual({ sql: `SELECT * FROM "recommend" LIMIT ${DEFAULT_LIMIT}`, params: [], limit: DEFAULT_LIMIT });
  });

  it('keeps SQL in a value out of the text: it is a parameter like any other', () => {
    const query = lookup(`customer=${encodeURIComponent(`x' OR '1'='1`)}`);
    expect(query.sql).toBe(`SELECT * FROM "recommend" WHERE "customer" = ? LIMIT ${DEFAULT_LIMIT}`);
    expect(query.params).toEqual([`x' OR '1'='1`]);
  });

  it('matches a column name ignoring case, as DuckDB does, and ignores the token', () => {
    expect(lookup('Customer=a&token=secret').params).toEqual(['a']);
  });

  it('casts text to the column type for dates and numbers, so a value the column cannot hold matches nothing', () => {
    expect(lookup('last_order=2011-12-09&score=0.5').sql).toContain('"last_order" = TRY_CAST(? AS DATE) AND "score" = TRY_CAST(? AS DOUBLE)');
  });

  it('knows a numeric column by the same answer as the rest of the app, aliases included', () => {
    const typed = (type: string, value: string) => () => lookupQuery('t', 't', [{ name: 'n', type }], new URLSearchParams(`n=${value}`));
    expect(typed('INT8', '1.5')).toThrow('column n of t holds whole numbers (INT8); "1.5" is not one');
    expect(typed('UHUGEINT', 'ten')).toThrow('holds whole numbers (UHUGEINT)');
    expect(typed('FLOAT8', 'abc')).toThrow('holds numbers (FLOAT8)');
    expect(typed('NUMERIC(10,2)', 'abc')).toThrow('holds numbers (NUMERIC(10,2))');
    expect(typed('INTERVAL', '1 day')().sql).toBe(`SELECT * FROM "t" WHERE "n" = TRY_CAST(? AS INTERVAL) LIMIT ${DEFAULT_LIMIT}`);
  });

  it('refuses an unknown column with 400, suggesting the closest and listing the columns', () => {
    expect(refusal('custmer=1')).toEqual({
      status: 400,
      message: 'unknown column "custmer" in cell recommend (did you mean "customer"?); its columns are customer, rank, score, last_order, items',
    });
  });

  it('refuses a value a numeric column cannot hold, a list column, a column given twice and a bad limit, naming each', () => {
    expect(refusal('rank=1 OR 1=1')).toEqual({ status: 400, message: 'column rank of recommend holds whole numbers (BIGINT); "1 OR 1=1" is not one' });
    expect(refusal('score=abc')).toMatchObject({ status: 400, message: expect.stringContaining('holds numbers (DOUBLE)') });
    expect(refusal('score=')).toMatchObject({ status: 400 });
    expect(refusal('items=a')).toMatchObject({ status: 400, message: expect.stringContaining('compares single values only') });
    expect(refusal('customer=a&CUSTOMER=b')).toMatchObject({ status: 400, message: expect.stringContaining('given twice') });
    for (const limit of ['0', '-1', '1.5', 'ten', '10001']) expect(refusal(`limit=${limit}`)).toMatchObject({ status: 400, message: expect.stringContaining('limit must be') });
    expect(refusal('limit=1&limit=2')).toMatchObject({ status: 400 });
  });

  it('reads ?limit= alone too', () => {
    expect(limitOf(new URLSearchParams('limit=10000'))).toBe(10_000);
    expect(limitOf(new URLSearchParams(''))).toBe(DEFAULT_LIMIT);
  });
});
