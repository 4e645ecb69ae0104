import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as wasm from 'parquet-wasm';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { openNodeDatabase } from '../../../src/db/duckdb-node.ts';
import { nodeParquetCodec } from '../../../src/db/parquet-node.ts';
import { DataFileError, importFile } from '../../../src/engine/datasets.ts';
import { listTables } from '../../../src/engine/catalog.ts';
import type { Database, ParquetCodec } from '../../../src/engine/ports.ts';
import { WASM_MEMORY_LIMIT_BYTES, parquetMemoryEstimate } from '../../../src/data/memory-estimate.ts';

const ROWS = 1_000;
const GROUP_ROWS = 128;

/** A Parquet file of ROWS rows written in row groups of GROUP_ROWS, so a streamed load reads 8 groups. */
function smallParquet(): Uint8Array {
  const ids = Array.from({ length: ROWS }, (_, i) => i);
  const arrow = tableFromArrays({
    id: Int32Array.from(ids),
    customer: ids.map((i) => (i % 7 === 0 ? null : `c${i % 37}`)),
    amount: Float64Array.from(ids, (i) => i * 1.25 - 40),
  });
  const properties = new wasm.WriterPropertiesBuilder().setMaxRowGroupSize(GROUP_ROWS).build();
  return wasm.writeParquet(wasm.Table.fromIPCStream(tableToIPC(arrow, 'stream')), properties);
}

let db: Database;
let parquet: Uint8Array;
beforeAll(async () => {
  db = await openNodeDatabase();
  parquet = smallParquet();
});
afterAll(async () => {
  await db.close();
});

const count = async (sql: string) => Number((await db.query(sql)).get(0)?.n);

describe('Parquet loaded row group by row group', () => {
  it('reads the footer: several row groups, smaller than the file', async () => {
    const groups = await nodeParquetCodec.openRowGroups({ kind: 'bytes', bytes: parquet });
    try {
      expect(groups.rowGroupRows).toEqual([128, 128, 128, 128, 128, 128, 128, 104]);
    } finally {
      await groups.close();
    }
  });

  it('makes the same table as decoding the whole file at once, reporting progress per row group', async () => {
    // The reference: the whole file decoded to one Arrow buffer and inserted in one go.
    await db.insertArrowIpc('whole', await nodeParquetCodec.toArrowIpc(parquet.slice()));
    const progress: number[] = [];
    const file = new Blob([parquet as Uint8Array<ArrayBuffer>]);
    const info = await importFile(db, nodeParquetCodec, { fileName: 'streamed.parquet', size: parquet.byteLength, source: { kind: 'handle', file } }, {
      onProgress: (fraction) => progress.push(fraction),
    });
    expect(info.rowCount).toBe(ROWS);
    expect(progress).toEqual([128, 256, 384, 512, 640, 768, 896, 1000].map((rows) => rows / ROWS));
    // Same rows both ways (with multiplicity), in the same order.
    expect(await count('SELECT count(*) AS n FROM (SELECT * FROM whole EXCEPT ALL SELECT * FROM streamed)')).toBe(0);
    expect(await count('SELECT count(*) AS n FROM (SELECT * FROM streamed EXCEPT ALL SELECT * FROM whole)')).toBe(0);
    const order = await db.query('SELECT list(id) AS ids FROM streamed');
    expect(Array.from(order.get(0)?.ids as Iterable<number>)).toEqual(Array.from({ length: ROWS }, (_, i) => i));
    const sums = await db.query('SELECT sum(amount) AS s, count(customer) AS c FROM streamed');
    // Σ (1.25 i − 40) over i < 1000, and the rows whose customer is not null (i not a multiple of 7: 1000 − 143).
    expect(sums.get(0)?.s).toBeCloseTo(1.25 * ((ROWS * (ROWS - 1)) / 2) - 40 * ROWS, 9);
    expect(Number(sums.get(0)?.c)).toBe(ROWS - 143);
  });

  it('stops between row groups when cancelled, leaving the table loaded before as it was', async () => {
    await db.query('CREATE OR REPLACE TABLE kept AS SELECT 42 AS answer');
    const controller = new AbortController();
    const load = importFile(db, nodeParquetCodec, { fileName: 'kept.parquet', size: parquet.byteLength, source: { kind: 'bytes', bytes: parquet.slice() } }, {
      signal: controller.signal,
      onProgress: (fraction) => {
        if (fraction >= 0.25) controller.abort();
      },
    });
    await expect(load).rejects.toMatchObject({ name: 'AbortError' });
    expect(await count('SELECT answer AS n FROM kept')).toBe(42);
    expect((await listTables(db)).some((table) => table.name.startsWith('__aisle'))).toBe(false);
  });

  it('refuses a file whose footer promises more rows than the in-page database holds, before inserting any', async () => {
    let reads = 0;
    // The real file, but a footer planted to say 50 million rows in each row group after the first (the sampled one).
    const planted: ParquetCodec = {
      ...nodeParquetCodec,
      async openRowGroups(source) {
        const real = await nodeParquetCodec.openRowGroups(source);
        return {
          rowGroupRows: real.rowGroupRows.map((rows, index) => (index === 0 ? rows : 50_000_000)),
          read: (index) => {
            reads++;
            return real.read(index);
          },
          close: () => real.close(),
        };
      },
    };
    const error = await importFile(db, planted, { fileName: 'huge.parquet', size: parquet.byteLength, source: { kind: 'bytes', bytes: parquet.slice() } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DataFileError);
    const message = (error as Error).message;
    expect(message).toContain('"huge.parquet" has 350,000,128 rows');
    expect(message).toContain(`about ${(WASM_MEMORY_LIMIT_BYTES / 1024 ** 3).toFixed(1)} GiB`);
    expect(message).toContain('aisle serve');
    expect(reads).toBe(1);
    expect((await listTables(db)).some((table) => table.name === 'huge' || table.name.startsWith('__aisle'))).toBe(false);
  });
});

describe('parquetMemoryEstimate', () => {
  it('scales the sampled row width to every row and compares the peak with the limit', () => {
    // 1,000 sampled rows took 100,000 bytes: 100 bytes a row; 10 million rows are 1 GB of table.
    const estimate = parquetMemoryEstimate(10_000_000, 1_000, 100_000, 4e9);
    expect(estimate.bytesPerRow).toBe(100);
    expect(estimate.peakBytes / 1e9).toBeGreaterThan(1);
    expect(estimate.fits).toBe(estimate.peakBytes <= 4e9);
    expect(parquetMemoryEstimate(10_000_000, 1_000, 100_000, 1e9).fits).toBe(false);
    expect(parquetMemoryEstimate(0, 0, 0).fits).toBe(true);
  });
});
