import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { openNodeDatabase } from '../../../src/db/duckdb-node.ts';
import { nodeParquetCodec } from '../../../src/db/parquet-node.ts';
import { DataFileError, importFile, type DataFile } from '../../../src/engine/datasets.ts';
import { listTables } from '../../../src/engine/catalog.ts';
import type { Database } from '../../../src/engine/ports.ts';

let db: Database;
beforeAll(async () => {
  db = await openNodeDatabase();
});
afterAll(async () => {
  await db.close();
});

function textFile(fileName: string, text: string): DataFile {
  const bytes = new TextEncoder().encode(text);
  return { fileName, size: bytes.byteLength, source: { kind: 'bytes', bytes } };
}

const UCI_CSV = `InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,12/1/2010 8:26,2.55,17850.0,United Kingdom
536365,71053,WHITE METAL LANTERN,6,12/1/2010 8:26,3.39,17850.0,United Kingdom
C536379,D,Discount,-1,12/1/2010 9:41,27.5,14527.0,United Kingdom
`;

describe('importFile', () => {
  it('loads a CSV into a table named after the file, ids kept as text', async () => {
    const info = await importFile(db, nodeParquetCodec, textFile('Online Retail.csv', UCI_CSV));
    expect(info.name).toBe('online_retail');
    expect(info.rowCount).toBe(3);
    const types = Object.fromEntries(info.columns.map((column) => [column.name, column.type]));
    // CustomerID "17850.0" and StockCode "85123A" must not be coerced to numbers.
    expect(types).toMatchObject({ InvoiceNo: 'VARCHAR', StockCode: 'VARCHAR', CustomerID: 'VARCHAR', Quantity: 'BIGINT', UnitPrice: 'DOUBLE' });
    const ids = await db.query('SELECT string_agg(CustomerID, \',\' ORDER BY InvoiceNo) AS ids FROM online_retail');
    expect(ids.getChild('ids')?.get(0)).toBe('17850.0,17850.0,14527.0');
  });

  it('loads a TSV with its tab delimiter', async () => {
    const info = await importFile(db, nodeParquetCodec, textFile('t.tsv', 'a\tb\n1\tx,y\n2\tz\n'), { tableName: 'tabbed' });
    expect(info.columns.map((column) => column.name)).toEqual(['a', 'b']);
    const row = await db.query("SELECT b FROM tabbed WHERE a = 1");
    expect(row.getChild('b')?.get(0)).toBe('x,y');
  });

  it('loads Parquet through parquet-wasm', async () => {
    const arrow = tableFromArrays({ customer_id: ['a', 'b', 'c'], spend: Float64Array.from([10, 20.5, 30]) });
    const parquet = await nodeParquetCodec.fromArrowIpc(tableToIPC(arrow, 'stream'));
    const info = await importFile(db, nodeParquetCodec, { fileName: 'spend.parquet', size: parquet.byteLength, source: { kind: 'bytes', bytes: parquet } });
    expect(info).toMatchObject({ name: 'spend', rowCount: 3 });
    const total = await db.query('SELECT sum(spend) AS s FROM spend');
    expect(total.getChild('s')?.get(0)).toBe(60.5);
    expect((await listTables(db)).some((table) => table.name.startsWith('__aisle'))).toBe(false);
  });

  it('compresses a loaded table of 500,000 rows once, and leaves smaller and derived tables as written', async () => {
    const compressionOf = async (table: string) =>
      (await db.query(`SELECT DISTINCT compression AS c FROM pragma_storage_info('${table}') WHERE column_name = 'label' AND segment_type = 'VARCHAR' ORDER BY c`))
        .toArray()
        .map((row) => String((row as { c: unknown }).c));
    const csv = (rows: number) => `id,label\n${Array.from({ length: rows }, (_, i) => `${i},item ${i % 100}`).join('\n')}\n`;
    await importFile(db, nodeParquetCodec, textFile('big.csv', csv(500_000)));
    // A hundred distinct labels: DuckDB's dictionary encodings, nothing left uncompressed.
    const big = await compressionOf('big');
    expect(big.length).toBeGreaterThan(0);
    expect(big).not.toContain('Uncompressed');
    await importFile(db, nodeParquetCodec, textFile('small.csv', csv(1000)));
    expect(await compressionOf('small')).toEqual(['Uncompressed']);
    // A table SQL derives, however big, is not checkpointed by DuckDB on its own (its 16 MB threshold is off).
    await db.query('CREATE TABLE derived AS SELECT * FROM big');
    expect(await compressionOf('derived')).toEqual(['Uncompressed']);
  }, 60_000);

  it('names the file and DuckDB’s reason for a malformed CSV', async () => {
    const bad = textFile('bad.csv', 'a,b\n1,2\n3,4,5,6\n"unterminated,7\n');
    const error = await importFile(db, nodeParquetCodec, bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataFileError);
    // By hand: the header has 2 fields, line 3 has 4.
    expect((error as Error).message).toBe('Line 3 of "bad.csv" has 4 fields; the header has 2.');
  });

  it('keeps the previous table when a reload of the same name fails', async () => {
    await importFile(db, nodeParquetCodec, textFile('keep.csv', 'x\n1\n2\n'));
    await expect(importFile(db, nodeParquetCodec, textFile('keep.csv', 'a,b\n1,2\n3,4,5,6\n"unterminated,7\n'))).rejects.toThrow(DataFileError);
    const notParquet: DataFile = { fileName: 'keep.parquet', size: 10, source: { kind: 'bytes', bytes: new Uint8Array(10) } };
    await expect(importFile(db, nodeParquetCodec, notParquet, { tableName: 'keep' })).rejects.toThrow(DataFileError);
    const count = await db.query('SELECT count(*)::INTEGER AS n, sum(x)::INTEGER AS s FROM keep');
    expect([count.getChild('n')?.get(0), count.getChild('s')?.get(0)]).toEqual([2, 3]);
  });

  it('rejects an empty file, a binary file of another kind and a fake Parquet file with clear messages', async () => {
    await expect(importFile(db, nodeParquetCodec, textFile('empty.csv', ''))).rejects.toThrow('"empty.csv" is empty.');
    const docx = new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...new Uint8Array(64)]);
    await expect(importFile(db, nodeParquetCodec, { fileName: 'notes.docx', size: docx.length, source: { kind: 'bytes', bytes: docx } })).rejects.toThrow(/"notes.docx" is a ZIP archive/);
    await expect(importFile(db, nodeParquetCodec, textFile('fake.parquet', 'a,b\n1,2\n'))).rejects.toThrow(/does not start with PAR1/);
  });

  it('refuses a Parquet file too large to hold in memory before reading it', async () => {
    const huge: DataFile = { fileName: 'huge.parquet', size: 3 * 1024 ** 3, source: { kind: 'bytes', bytes: new Uint8Array(4) } };
    await expect(importFile(db, nodeParquetCodec, huge)).rejects.toThrow(/"huge.parquet" is 3.0 GiB; Parquet files up to 1.5 GiB/);
  });

  it('loads a header-only CSV as an empty table', async () => {
    const info = await importFile(db, nodeParquetCodec, textFile('header_only.csv', 'InvoiceNo,Quantity\n'));
    expect(info.rowCount).toBe(0);
    expect(info.columns.map((column) => column.name)).toEqual(['InvoiceNo', 'Quantity']);
  });
});
