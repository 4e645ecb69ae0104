import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { openNodeDatabase } from '../../../src/db/duckdb-node.ts';
import { nodeParquetCodec } from '../../../src/db/parquet-node.ts';
import { DataFileError, importFile, type DataFile, type ImportOptions } from '../../../src/engine/datasets.ts';
import type { Database } from '../../../src/engine/ports.ts';
import { frameFromIpc } from '../../../src/models/kit/frame.ts';
import { runModel } from '../../../src/models/registry.ts';

let db: Database;
beforeAll(async () => {
  db = await openNodeDatabase();
});
afterAll(async () => {
  await db.close();
});

const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`../../fixtures/text/${name}`, import.meta.url)));
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const file = (fileName: string, bytes: Uint8Array): DataFile => ({ fileName, size: bytes.length, source: { kind: 'bytes', bytes: bytes.slice() } });
const load = (fileName: string, bytes: Uint8Array, options: ImportOptions = {}) => importFile(db, nodeParquetCodec, file(fileName, bytes), options);

/** Rows of a query as plain objects (BIGINT as number). */
async function rows(sql: string): Promise<Record<string, unknown>[]> {
  const table = await db.query(sql);
  return table.toArray().map((row) => Object.fromEntries(Object.entries(row.toJSON()).map(([key, value]) => [key, typeof value === 'bigint' ? Number(value) : value])));
}

describe('importing text as detected', () => {
  it('reads a headerless ratings file aligned with runs of spaces, whatever its extension', async () => {
    const info = await load('ratings.data', fixture('ratings.data'));
    expect(info.name).toBe('ratings_data');
    expect(info.rowCount).toBe(8);
    expect(info.columns.map((column) => `${column.name} ${column.type}`)).toEqual(['column0 BIGINT', 'column1 BIGINT', 'column2 BIGINT', 'column3 BIGINT']);
    // By hand from the fixture: ratings 3+3+1+2+1+4+2+5 = 21; the line starting with a space is user 22.
    expect(await rows('SELECT sum(column2)::INTEGER AS total, max(column3) AS latest FROM ratings_data')).toEqual([{ total: 21, latest: 891717742 }]);
    expect(await rows('SELECT column1 FROM ratings_data WHERE column0 = 22')).toEqual([{ column1: 377 }]);
    expect(info.readAsNote).toBe('Read with fields separated by runs of spaces or tabs, without a header row (columns column0, column1, …).');
  });

  it('reads a Latin-1 CSV with semicolons and decimal commas into the right characters and numbers', async () => {
    const info = await load('latin1.csv', fixture('latin1.csv'));
    expect(info.columns.map((column) => `${column.name} ${column.type}`)).toEqual(['name VARCHAR', 'city VARCHAR', 'amount DOUBLE']);
    expect(await rows('SELECT name, city, amount FROM latin1 ORDER BY amount DESC LIMIT 2')).toEqual([
      { name: 'André', city: 'München', amount: 12.5 },
      { name: 'José', city: 'São Paulo', amount: 7.25 },
    ]);
    expect(info.readAs?.encoding).toBe('windows-1252');
  });

  it('reads UTF-16 LE and BE with their BOMs', async () => {
    const text = 'name,n\ncafé,1\nthé,2\n';
    const units = Array.from(text, (char) => char.charCodeAt(0));
    const le = Uint8Array.from([0xff, 0xfe, ...units.flatMap((unit) => [unit & 0xff, unit >> 8])]);
    const be = Uint8Array.from([0xfe, 0xff, ...units.flatMap((unit) => [unit >> 8, unit & 0xff])]);
    await load('le.csv', le);
    await load('be.csv', be);
    expect(await rows('SELECT name, n FROM le ORDER BY n')).toEqual([{ name: 'café', n: 1 }, { name: 'thé', n: 2 }]);
    expect(await rows('SELECT name FROM be WHERE n = 1')).toEqual([{ name: 'café' }]);
  });

  it('reads a gzip-compressed CSV, and a gzip-compressed whitespace file through the rewrite', async () => {
    await load('sales.csv.gz', new Uint8Array(gzipSync(utf8('a,b\n1,x\n2,y\n'))));
    expect(await rows('SELECT sum(a)::INTEGER AS s FROM sales')).toEqual([{ s: 3 }]);
    const info = await load('ratings.data.gz', new Uint8Array(gzipSync(fixture('ratings.data'))), { tableName: 'ratings_gz' });
    expect(info.rowCount).toBe(8);
    expect(await rows('SELECT sum(column2)::INTEGER AS total FROM ratings_gz')).toEqual([{ total: 21 }]);
  });

  it('reads a basket file into (basket_id, item), counted by hand', async () => {
    const info = await load('groceries.csv', fixture('groceries.csv'));
    expect(info.columns.map((column) => `${column.name} ${column.type}`)).toEqual(['basket_id BIGINT', 'item VARCHAR']);
    // By hand: 10 baskets, 31 items in all, 22 distinct; whole milk is in baskets 1, 3, 5 and 9.
    expect(await rows('SELECT count(DISTINCT basket_id)::INTEGER AS baskets, count(*)::INTEGER AS lines, count(DISTINCT item)::INTEGER AS items FROM groceries')).toEqual([
      { baskets: 10, lines: 31, items: 22 },
    ]);
    expect(await rows("SELECT list(basket_id ORDER BY basket_id) AS baskets FROM groceries WHERE item = 'whole milk'")).toEqual([{ baskets: expect.anything() }]);
    const milk = await rows("SELECT string_agg(basket_id::VARCHAR, ',' ORDER BY basket_id) AS baskets FROM groceries WHERE item = 'whole milk'");
    expect(milk).toEqual([{ baskets: '1,3,5,9' }]);
    expect(await rows("SELECT count(*)::INTEGER AS n FROM groceries WHERE item = 'cream cheese'")).toEqual([{ n: 1 }]);
  });

  it('lets association_rules read a basket table without a mapping', async () => {
    await load('orders.txt', utf8('T1,milk,bread\nT2,milk\nT3,bread,eggs,milk\nT4,bread,milk\n'));
    expect(await rows('SELECT basket_id, item FROM orders ORDER BY basket_id, item LIMIT 3')).toEqual([
      { basket_id: 'T1', item: 'bread' },
      { basket_id: 'T1', item: 'milk' },
      { basket_id: 'T2', item: 'milk' },
    ]);
    const outputs = runModel('association_rules', { input: 'orders', min_support: 0.5, min_confidence: 0.5 }, [await db.exportArrowIpc('orders')], {});
    const summary = frameFromIpc(outputs.summary!);
    expect([summary.columns.baskets?.[0], summary.columns.products?.[0]]).toEqual([4, 3]);
    // By hand: milk in 4 of 4 baskets, bread in 3, both in 3; eggs (1 of 4) is below half.
    const itemsets = frameFromIpc(outputs.itemsets!);
    const counts = Object.fromEntries((itemsets.columns.itemset as string[]).map((itemset, i) => [itemset, (itemsets.columns.count as Int32Array | Float64Array)[i]]));
    expect(counts).toEqual({ milk: 4, bread: 3, 'bread, milk': 3 });
  });
});

describe('importing text with options given', () => {
  it('takes the delimiter, header, column names, skipped lines and quote it is told', async () => {
    const bytes = utf8("exported by a till\n1|'a|b'|2,5\n2|'c'|3,0\n");
    const info = await load('till.txt', bytes, {
      tableName: 'till',
      text: { delimiter: '|', header: false, columnNames: ['id', 'label', 'price'], skipLines: 1, quote: "'", decimalSeparator: ',' },
    });
    expect(info.columns.map((column) => `${column.name} ${column.type}`)).toEqual(['id BIGINT', 'label VARCHAR', 'price DOUBLE']);
    expect(await rows('SELECT id, label, price FROM till ORDER BY id')).toEqual([
      { id: 1, label: 'a|b', price: 2.5 },
      { id: 2, label: 'c', price: 3 },
    ]);
  });

  it('gives a column the type it is told, by position, over what DuckDB would detect', async () => {
    // Detected: code BIGINT (00042 → 42), qty BIGINT. Told: code VARCHAR keeps the zeros, qty DOUBLE.
    const info = await load('codes.csv', utf8('code,qty\n00042,3\n00107,4\n'), { tableName: 'codes', text: { columnTypes: { 0: 'VARCHAR', 1: 'DOUBLE' } } });
    expect(info.columns.map((column) => `${column.name} ${column.type}`)).toEqual(['code VARCHAR', 'qty DOUBLE']);
    expect(await rows('SELECT code, qty FROM codes ORDER BY code')).toEqual([
      { code: '00042', qty: 3 },
      { code: '00107', qty: 4 },
    ]);
  });

  it('reads dates and timestamps in the formats it is told', async () => {
    const bytes = utf8('day,at\n02/03/2020,02/03/2020 14:05\n');
    await load('eu_dates.csv', bytes, { text: { dateFormat: '%d/%m/%Y', timestampFormat: '%d/%m/%Y %H:%M' } });
    expect(await rows("SELECT strftime(day, '%Y-%m-%d') AS day, strftime(\"at\", '%Y-%m-%d %H:%M') AS at_time FROM eu_dates")).toEqual([{ day: '2020-03-02', at_time: '2020-03-02 14:05' }]);
    await load('us_dates.csv', bytes, { text: { dateFormat: '%m/%d/%Y', timestampFormat: '%m/%d/%Y %H:%M' } });
    expect(await rows("SELECT strftime(day, '%Y-%m-%d') AS day FROM us_dates")).toEqual([{ day: '2020-02-03' }]);
  });

  it('takes a header row when told, even over numbers', async () => {
    const info = await load('numbers.txt', utf8('1 2\n3 4\n'), { text: { header: true } });
    expect(info.columns.map((column) => column.name)).toEqual(['1', '2']);
    expect(info.rowCount).toBe(1);
  });

  it('reads baskets as told, with whitespace between items', async () => {
    const info = await load('retail.dat', utf8('0 1 2\n\n1 2\n2  3\n'), { text: { layout: 'baskets', delimiter: 'whitespace' } });
    expect(info.rowCount).toBe(7);
    expect(await rows("SELECT basket_id, string_agg(item, ' ' ORDER BY item) AS items FROM retail_dat GROUP BY 1 ORDER BY 1")).toEqual([
      { basket_id: 1, items: '0 1 2' },
      { basket_id: 2, items: '1 2' },
      { basket_id: 3, items: '2 3' },
    ]);
  });
});

describe('a failed import keeps what was loaded', () => {
  it('names the bytes that are not UTF-8 when told the file is UTF-8, and keeps the old table', async () => {
    await load('kept.csv', utf8('x\n1\n2\n'));
    // 'café' in Latin-1 is 63 61 66 E9.
    const latin = Uint8Array.from([...utf8('x\n'), 0x63, 0x61, 0x66, 0xe9, 0x0a]);
    const error = await load('kept.csv', latin, { text: { encoding: 'utf-8' } }).catch((rejection: unknown) => rejection);
    expect(error).toBeInstanceOf(DataFileError);
    expect((error as Error).message).toBe('"kept.csv" is not UTF-8 text: bytes E9 0A at offset 5 (line 2) do not decode. It may be Latin-1 (Windows-1252): choose that encoding.');
    expect(await rows('SELECT sum(x)::INTEGER AS s FROM kept')).toEqual([{ s: 3 }]);
  });

  it('keeps the old table when DuckDB rejects the new file', async () => {
    await load('steady.csv', utf8('x\n1\n2\n'));
    // DuckDB itself reads this file as no rows at all, without an error.
    await expect(load('steady.csv', utf8('a,b\n1,2\n3,4,5,6\n'))).rejects.toThrow('Line 3 of "steady.csv" has 4 fields; the header has 2.');
    expect(await rows('SELECT sum(x)::INTEGER AS s FROM steady')).toEqual([{ s: 3 }]);
  });

  it('replaces a view of the same name (CSV and Parquet), and leaves no staging table behind', async () => {
    await db.query('CREATE VIEW shown AS SELECT 1 AS old');
    const info = await load('shown.csv', utf8('fresh\n7\n'));
    expect(info.columns.map((column) => column.name)).toEqual(['fresh']);
    expect(await rows('SELECT fresh FROM shown')).toEqual([{ fresh: 7 }]);
    await db.query('CREATE VIEW pq AS SELECT 1 AS old');
    const parquet = await nodeParquetCodec.fromArrowIpc(tableToIPC(tableFromArrays({ v: Float64Array.from([1.5]) }), 'stream'));
    await importFile(db, nodeParquetCodec, { fileName: 'pq.parquet', size: parquet.length, source: { kind: 'bytes', bytes: parquet } });
    expect(await rows('SELECT v FROM pq')).toEqual([{ v: 1.5 }]);
    await db.query('CREATE VIEW arrow_view AS SELECT 1 AS old');
    await db.insertArrowIpc('arrow_view', tableToIPC(tableFromArrays({ w: Int32Array.from([4]) }), 'stream'));
    expect(await rows('SELECT w FROM arrow_view')).toEqual([{ w: 4 }]);
    expect(await rows("SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE table_name LIKE '__aisle%'")).toEqual([{ n: 0 }]);
  });

  it('keeps the old table when the import is cancelled', async () => {
    await load('cancelled.csv', utf8('x\n1\n'));
    const controller = new AbortController();
    controller.abort();
    await expect(load('cancelled.csv', utf8('y\n2\n'), { signal: controller.signal })).rejects.toThrow();
    expect(await rows('SELECT x FROM cancelled')).toEqual([{ x: 1 }]);
  });
});
