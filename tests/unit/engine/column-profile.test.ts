import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeDatabase } from '../../../src/db/duckdb-node.ts';
import { binning, profileKind, profileTable, statsSql, type HistogramBin } from '../../../src/engine/column-profile.ts';
import type { Database } from '../../../src/engine/ports.ts';
import type { ColumnInfo } from '../../../src/engine/catalog.ts';

let db: Database;
const COLUMNS: ColumnInfo[] = [
  { name: 'qty', type: 'INTEGER' },
  { name: 'price', type: 'DOUBLE' },
  { name: 'home country', type: 'VARCHAR' },
  { name: 'day', type: 'DATE' },
  { name: 'tags', type: 'INTEGER[]' },
  { name: 'nothing', type: 'DOUBLE' },
];

beforeAll(async () => {
  db = await openNodeDatabase();
  // Six rows with nulls in every column and ties in value counts; the expected profile below is worked out by hand.
  await db.query(`CREATE TABLE shop AS SELECT qty, price, country AS "home country", day, tags, CAST(NULL AS DOUBLE) AS nothing FROM (VALUES
    (1, 2.5, 'UK', DATE '2011-01-01', [1, 2]),
    (2, NULL, 'France', DATE '2011-01-11', NULL),
    (2, 7.5, 'UK', NULL, [1]),
    (NULL, 2.5, 'France', DATE '2011-01-21', [1, 2]),
    (5, 10.0, NULL, DATE '2011-01-01', [3]),
    (3, 0.0, 'Spain', DATE '2011-01-21', NULL)
  ) t(qty, price, country, day, tags)`);
  await db.query(`CREATE TABLE shop_typed AS SELECT CAST(qty AS INTEGER) AS qty, CAST(price AS DOUBLE) AS price, "home country", day, CAST(tags AS INTEGER[]) AS tags, nothing FROM shop`);
});
afterAll(async () => {
  await db.close();
});

/** Only the bars holding rows, as [index, count]. */
function filled(bins: readonly HistogramBin[] | undefined): [number, number][] {
  return (bins ?? []).flatMap((bin, index) => (bin.count > 0 ? [[index, bin.count] as [number, number]] : []));
}

describe('column profiles', () => {
  it('null, distinct, min and max of every column equal counts made by hand', async () => {
    const profile = await profileTable(db, 'shop_typed', COLUMNS, 6);
    expect(profile.rowCount).toBe(6);
    expect(profile.columns.map(({ name, kind, nulls, distinct, distinctApproximate, min, max }) => ({ name, kind, nulls, distinct, distinctApproximate, min, max }))).toEqual([
      { name: 'qty', kind: 'number', nulls: 1, distinct: 4, distinctApproximate: false, min: '1', max: '5' },
      { name: 'price', kind: 'number', nulls: 1, distinct: 4, distinctApproximate: false, min: '0.0', max: '10.0' },
      { name: 'home country', kind: 'text', nulls: 1, distinct: 3, distinctApproximate: false, min: 'France', max: 'UK' },
      { name: 'day', kind: 'date', nulls: 1, distinct: 3, distinctApproximate: false, min: '2011-01-01', max: '2011-01-21' },
      { name: 'tags', kind: 'other', nulls: 2, distinct: 3, distinctApproximate: false, min: null, max: null },
      { name: 'nothing', kind: 'number', nulls: 6, distinct: 0, distinctApproximate: false, min: null, max: null },
    ]);
  });

  it('a small integer range gets one bar per value; a continuous one twenty bars, the maximum in the last', async () => {
    const [qty, price] = (await profileTable(db, 'shop_typed', COLUMNS, 6)).columns;
    // qty 1, 2, 2, 3, 5 (4 has no row): bars for 1…5.
    expect(qty!.histogram?.map((bin) => [bin.from, bin.to, bin.count])).toEqual([[1, 2, 1], [2, 3, 2], [3, 4, 1], [4, 5, 0], [5, 6, 1]]);
    // price 0, 2.5, 2.5, 7.5, 10 over [0, 10] in bars of 0.5: 0 → bar 0, 2.5 → bar 5, 7.5 → bar 15, 10 → the last (19).
    expect(price!.histogram).toHaveLength(20);
    expect(filled(price!.histogram)).toEqual([[0, 1], [5, 2], [15, 1], [19, 1]]);
    expect(price!.histogram![19]).toEqual({ from: 9.5, to: 10, count: 1 });
  });

  it('dates are binned by day over their span; a column with no values has no bars', async () => {
    const columns = (await profileTable(db, 'shop_typed', COLUMNS, 6)).columns;
    const day = columns[3]!;
    const jan1 = Date.UTC(2011, 0, 1) / 1000;
    // 20 days from Jan 1 to Jan 21 in 20 bars: one day each. Jan 1 ×2 → bar 0, Jan 11 → bar 10, Jan 21 ×2 → bar 19.
    expect(day.histogram![0]).toEqual({ from: jan1, to: jan1 + 86_400, count: 2 });
    expect(filled(day.histogram)).toEqual([[0, 2], [10, 1], [19, 2]]);
    expect(columns[5]!.histogram).toBeUndefined();
    expect(columns[4]!.histogram).toBeUndefined();
    expect(columns[4]!.topValues).toBeUndefined();
  });

  it("a text column's top values: most frequent first, ties in value order, nulls left out", async () => {
    const country = (await profileTable(db, 'shop_typed', COLUMNS, 6)).columns[2]!;
    expect(country.topValues).toEqual([
      { value: 'France', count: 2 },
      { value: 'UK', count: 2 },
      { value: 'Spain', count: 1 },
    ]);
  });

  it('keeps the ten commonest of many values', async () => {
    await db.query(`CREATE TABLE codes AS SELECT 'code' || lpad(CAST(i % 13 AS VARCHAR), 2, '0') AS code FROM range(130 + 5) t(i)`);
    // i % 13 for i < 135: codes 00–04 appear 11 times, 05–12 ten times.
    const [code] = (await profileTable(db, 'codes', [{ name: 'code', type: 'VARCHAR' }], 135)).columns;
    expect(code!.topValues).toEqual([
      ...['code00', 'code01', 'code02', 'code03', 'code04'].map((value) => ({ value, count: 11 })),
      ...['code05', 'code06', 'code07', 'code08', 'code09'].map((value) => ({ value, count: 10 })),
    ]);
    expect(code!.distinct).toBe(13);
  });

  it('above a million rows the distinct count is an estimate, flagged as such', async () => {
    await db.query('CREATE TABLE big AS SELECT i % 200000 AS customer_id FROM range(1500000) t(i)');
    expect(statsSql('big', [{ name: 'customer_id', type: 'BIGINT' }], 1_500_000)).toContain('approx_count_distinct("customer_id")');
    const [customer] = (await profileTable(db, 'big', [{ name: 'customer_id', type: 'BIGINT' }], 1_500_000)).columns;
    expect(customer!.distinctApproximate).toBe(true);
    // DuckDB's HyperLogLog: within 10% here (it reads 6% high on this table).
    expect(Math.abs(customer!.distinct - 200_000) / 200_000).toBeLessThan(0.1);
    expect(customer!.histogram!.reduce((sum, bin) => sum + bin.count, 0)).toBe(1_500_000);
  });

  it('an empty table profiles to zero counts and no bars', async () => {
    await db.query('CREATE TABLE nothing_here (amount DOUBLE, country VARCHAR)');
    const profile = await profileTable(db, 'nothing_here', [{ name: 'amount', type: 'DOUBLE' }, { name: 'country', type: 'VARCHAR' }], 0);
    expect(profile.columns.map(({ nulls, distinct, min, histogram, topValues }) => ({ nulls, distinct, min, histogram, topValues }))).toEqual([
      { nulls: 0, distinct: 0, min: null, histogram: undefined, topValues: undefined },
      { nulls: 0, distinct: 0, min: null, histogram: undefined, topValues: [] },
    ]);
  });

  it('kinds and binnings by type', () => {
    expect(['DECIMAL(10,2)', 'TIMESTAMP', 'BOOLEAN', 'VARCHAR', 'STRUCT(a INTEGER)', 'BIGINT[]'].map(profileKind)).toEqual(['number', 'date', 'text', 'text', 'other', 'other']);
    expect(binning('INTEGER', 1, 5)).toEqual({ lo: 1, hi: 5, bins: 5, width: 1, perValue: true });
    expect(binning('INTEGER', 0, 100)).toEqual({ lo: 0, hi: 100, bins: 20, width: 5, perValue: false });
    expect(binning('DOUBLE', 3, 3)).toEqual({ lo: 3, hi: 3, bins: 1, width: 1, perValue: false });
  });
});
