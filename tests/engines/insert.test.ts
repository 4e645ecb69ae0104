import { tableFromArrays, tableToIPC, Table, vectorFromArray, DateDay, TimestampMicrosecond, Bool, Int64, List, Field, Float64, Utf8 } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrinoDatabase } from '../../src/db/trino.ts';
import { dropSchema, rowsOf, trinoServer } from './compare.ts';

const SCHEMA = 'engines_insert';
let db: TrinoDatabase;
beforeAll(async () => {
  db = await TrinoDatabase.open(`trino://aisle@${trinoServer()}/hive/${SCHEMA}`);
});
afterAll(async () => dropSchema(db, SCHEMA));

describe("a model's output written to Trino", () => {
  it('reads back value for value: doubles to the last bit, NaN and infinities, nulls, text with quotes, dates, lists', async () => {
    const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
    const arrow = new Table({
      label: vectorFromArray(["O'Neil", 'naïve "quoted"', null, 'tab\there', '[1,2]'], new Utf8()),
      value: vectorFromArray([0.1 + 0.2, Number.NaN, Number.POSITIVE_INFINITY, -1e-300, null], new Float64()),
      count: vectorFromArray([9007199254740991n, -1n, null, 0n, 42n], new Int64()),
      flag: vectorFromArray([true, false, null, true, false], new Bool()),
      day: vectorFromArray([day('2011-01-31'), null, day('1999-12-31'), day('2011-12-09'), day('2010-12-01')], new DateDay()),
      at: vectorFromArray([day('2011-01-31') + 8 * 3600_000 + 26 * 60_000, null, 0, day('2011-12-09'), 1], new TimestampMicrosecond()),
      items: vectorFromArray([['a', "b'c"], [], null, ['d'], ['e', 'f', 'g']], new List(new Field('item', new Utf8(), true))),
    });
    await db.insertArrowIpc('round_trip', tableToIPC(arrow, 'stream'));
    const back = await db.query('SELECT * FROM round_trip');
    const sorted = (rows: unknown[][]) => rows.map((row) => JSON.stringify(row, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v))).sort();
    expect(back.numRows).toBe(5);
    expect(sorted(rowsOf(back))).toEqual(sorted(rowsOf(arrow)));
  });

  it('writes 20,000 rows in a few batched statements, not row by row', async () => {
    const n = 20_000;
    const arrow = tableFromArrays({
      stock_code: Array.from({ length: n }, (_, i) => `SKU${i}`),
      other: Array.from({ length: n }, (_, i) => `SKU${(i * 7919) % n}`),
      lift: Float64Array.from({ length: n }, (_, i) => 1 + i / 3),
      confidence: Float64Array.from({ length: n }, (_, i) => i / n),
    });
    const before = db.history.length;
    await db.insertArrowIpc('many', tableToIPC(arrow, 'stream'));
    const inserts = db.history.slice(before).filter((entry) => entry.sql.startsWith('INSERT'));
    const back = await db.query('SELECT count(*) AS n, sum(lift) AS lift, count(DISTINCT other) AS others FROM many');
    expect(Number(back.get(0)?.n)).toBe(n);
    expect(Number(back.get(0)?.others)).toBe(n);
    expect(Number(back.get(0)?.lift)).toBeCloseTo(n + (n * (n - 1)) / 2 / 3, 6);
    // About 66 characters of JSON text a row, 1.3 M in all, in batches of 400,000: four statements (row by row was 20,000).
    expect(inserts.length).toBeGreaterThanOrEqual(1);
    expect(inserts.length).toBeLessThanOrEqual(5);
  });
});
