import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeDatabase } from '../../../src/db/duckdb-node.ts';
import { nodeParquetCodec } from '../../../src/db/parquet-node.ts';
import { DataFileError, importFile, type DataFile } from '../../../src/engine/datasets.ts';
import { listTables } from '../../../src/engine/catalog.ts';
import type { Database } from '../../../src/engine/ports.ts';
import { QueryError } from '../../../src/util/errors.ts';

let db: Database;
beforeAll(async () => {
  db = await openNodeDatabase();
});
afterAll(async () => {
  await db.close();
});

const file = (fileName: string, bytes: Uint8Array): DataFile => ({ fileName, size: bytes.byteLength, source: { kind: 'bytes', bytes } });
const xlsx = (name: string) => new Uint8Array(readFileSync(join(__dirname, '..', '..', 'fixtures', 'excel', name)));
const text = (value: string) => new TextEncoder().encode(value);

describe('importFile: Excel and JSON', () => {
  it('loads the first sheet of an .xlsx with DuckDB types and values as written', async () => {
    const info = await importFile(db, nodeParquetCodec, file('Shared Strings.xlsx', xlsx('shared-strings.xlsx')));
    expect(info.name).toBe('shared_strings');
    expect(info.rowCount).toBe(4);
    expect(Object.fromEntries(info.columns.map((column) => [column.name, column.type]))).toEqual({
      Country: 'VARCHAR',
      OrderDate: 'TIMESTAMP_MS',
      Amount: 'DOUBLE',
      Item: 'VARCHAR',
    });
    // 15.3 + 120 + 7 + 3.25 (the fixture's amounts, as pandas reads them).
    const result = await db.query("SELECT sum(Amount) AS total, strftime(max(OrderDate), '%Y-%m-%d %H:%M') AS last FROM shared_strings");
    expect(result.getChild('total')?.get(0)).toBeCloseTo(145.55, 10);
    expect(result.getChild('last')?.get(0)).toBe('2011-02-01 00:00');
  });

  it('loads newline-delimited JSON with nested fields flattened', async () => {
    const info = await importFile(db, nodeParquetCodec, file('orders.jsonl', text('{"id": 1, "customer": {"country": "FR"}}\n{"id": 2, "customer": {"country": "UK"}}\n')));
    expect(info.columns.map((column) => [column.name, column.type])).toEqual([
      ['id', 'BIGINT'],
      ['customer.country', 'VARCHAR'],
    ]);
    const result = await db.query(`SELECT string_agg("customer.country", ',' ORDER BY id) AS countries FROM orders`);
    expect(result.getChild('countries')?.get(0)).toBe('FR,UK');
  });

  it('keeps the loaded table and names the file and the line when a JSON value is not a record', async () => {
    await importFile(db, nodeParquetCodec, file('stock.json', text('[{"sku": "a"}, {"sku": "b"}]')));
    const error = await importFile(db, nodeParquetCodec, file('stock.json', text('[{"sku": "a"}, "b"]'))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataFileError);
    expect((error as DataFileError).message).toBe('"stock.json": the item at index 1 is a string ("b"), not a record ({…}).');
    const count = await db.query('SELECT count(*)::INT AS n FROM stock');
    expect(count.getChild('n')?.get(0)).toBe(2);
    expect((await listTables(db)).some((table) => table.name.startsWith('__aisle'))).toBe(false);
  });

  it('names the sheet and the cells when a header row has merged cells', async () => {
    const error = await importFile(db, nodeParquetCodec, file('report.xlsx', xlsx('merged-header.xlsx'))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataFileError);
    expect((error as DataFileError).message).toMatch(/^Sheet "Report" of "report.xlsx" has merged cells in its header row 1 \(A1:B1\)/);
  });

  it('reads another sheet and header row when asked', async () => {
    const info = await importFile(db, nodeParquetCodec, file('basic.xlsx', xlsx('basic.xlsx')), { tableName: 'notes', excel: { sheet: 'Notes' } });
    expect(info.rowCount).toBe(2);
    const result = await db.query('SELECT sum("Value") AS total FROM notes');
    expect(result.getChild('total')?.get(0)).toBe(3.75);
  });
});

describe('importFile: Excel and JSON over a view of the same name', () => {
  const kindOf = async (name: string) => {
    const row = (await db.query(`SELECT table_type FROM information_schema.tables WHERE table_name = '${name}'`)).get(0);
    return row?.table_type as string | undefined;
  };

  it('replaces a view with the JSON records', async () => {
    await db.query('CREATE VIEW people AS SELECT 1 AS id');
    const info = await importFile(db, nodeParquetCodec, file('people.json', text('[{"name": "Ada"}, {"name": "Grace"}, {"name": "Edsger"}]')));
    expect(info.rowCount).toBe(3);
    expect(await kindOf('people')).toBe('BASE TABLE');
    const result = await db.query('SELECT string_agg(name, \',\' ORDER BY name) AS names FROM people');
    expect(result.getChild('names')?.get(0)).toBe('Ada,Edsger,Grace');
  });

  it('replaces a view with a sheet of an .xlsx', async () => {
    await db.query('CREATE VIEW memo AS SELECT 1 AS id');
    const info = await importFile(db, nodeParquetCodec, file('memo.xlsx', xlsx('basic.xlsx')), { excel: { sheet: 'Notes' } });
    expect(info.rowCount).toBe(2);
    expect(await kindOf('memo')).toBe('BASE TABLE');
    const result = await db.query('SELECT sum("Value") AS total FROM memo');
    expect(result.getChild('total')?.get(0)).toBe(3.75);
  });

  it('keeps the view when the import fails, and the message names the file', async () => {
    await db.query('CREATE VIEW staff AS SELECT 42 AS id');
    const error = await importFile(db, nodeParquetCodec, file('staff.json', text('[{"id": 1}, 2]'))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataFileError);
    expect((error as DataFileError).message).toContain('"staff.json"');
    expect(await kindOf('staff')).toBe('VIEW');
    expect((await db.query('SELECT id FROM staff')).getChild('id')?.get(0)).toBe(42);
  });

  it('names the file when the database refuses the table it read', async () => {
    // The reader succeeds and the database fails (out of memory, say): the message still says which file.
    const refusing: Database = Object.assign(Object.create(db) as Database, {
      insertArrowIpc: () => Promise.reject(new QueryError('Out of Memory Error: could not allocate block', '-- insert Arrow into rows')),
    });
    const error = await importFile(refusing, nodeParquetCodec, file('rows.json', text('[{"a": 1}]'))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataFileError);
    expect((error as DataFileError).message).toBe('Could not read "rows.json" as JSON: Out of Memory Error: could not allocate block');
  });
});

