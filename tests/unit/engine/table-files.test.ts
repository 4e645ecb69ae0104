import { tableFromIPC } from 'apache-arrow';
import { readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeDatabase } from '../../../src/db/duckdb-node.ts';
import { nodeParquetCodec } from '../../../src/db/parquet-node.ts';
import { exportTableParquet, tableToKeep } from '../../../src/engine/index.ts';
import type { Database, ParquetCodec } from '../../../src/engine/ports.ts';

let db: Database;
beforeAll(async () => {
  db = await openNodeDatabase();
  await db.query(`CREATE TABLE sales AS SELECT * FROM (VALUES ('A-1', 2, 3.5), ('B-2', 1, 10.0), ('C-3', 5, 0.25)) t(product_id, quantity, price)`);
});
afterAll(async () => {
  await db.close();
});

/** The rows of Parquet bytes, read back through the codec and Arrow (not through DuckDB). */
async function rowsOf(parquet: Uint8Array): Promise<Record<string, unknown>[]> {
  const table = tableFromIPC(await nodeParquetCodec.toArrowIpc(parquet));
  return table.toArray().map((row) => ({ product_id: row.product_id, quantity: Number(row.quantity), price: Number(row.price) }));
}

describe('a table as Parquet', () => {
  it('is the Parquet file of the table: magic bytes at both ends, the same rows read back', async () => {
    const bytes = await exportTableParquet(db, nodeParquetCodec, 'sales');
    const magic = new TextEncoder().encode('PAR1');
    expect(bytes.subarray(0, 4)).toEqual(magic);
    expect(bytes.subarray(bytes.length - 4)).toEqual(magic);
    expect(await rowsOf(bytes)).toEqual([
      { product_id: 'A-1', quantity: 2, price: 3.5 },
      { product_id: 'B-2', quantity: 1, price: 10 },
      { product_id: 'C-3', quantity: 5, price: 0.25 },
    ]);
  });

  it('is written once: no other file in src encodes a table as Parquet itself', () => {
    const root = join(__dirname, '..', '..', '..');
    const files = readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' }).filter((file) => /\.(ts|svelte)$/.test(file));
    const encoding = files.filter((file) => !file.startsWith('db') && /\.fromArrowIpc\(/.test(readFileSync(join(root, 'src', file), 'utf8')));
    expect(encoding.map((file) => file.split(sep).join('/'))).toEqual(['engine/table-files.ts']);
  });

  it('a missing table fails with DuckDB naming it, and nothing is encoded', async () => {
    let encoded = 0;
    const codec: ParquetCodec = { ...nodeParquetCodec, fromArrowIpc: async (ipc) => (encoded++, nodeParquetCodec.fromArrowIpc(ipc)) };
    await expect(exportTableParquet(db, codec, 'salez')).rejects.toThrow(/salez/);
    expect(encoded).toBe(0);
  });
});

describe('keeping a loaded table for the next visit', () => {
  it('a table loaded now is kept as Parquet, encoded only when the save runs', async () => {
    let exported = 0;
    const counting: Database = { ...db, exportArrowIpc: (relation) => (exported++, db.exportArrowIpc(relation)) };
    const encode = tableToKeep(counting, nodeParquetCodec, 'sales', 'loaded');
    expect(encode).toBeTypeOf('function');
    expect(exported).toBe(0);
    const bytes = await encode!();
    expect(exported).toBe(1);
    expect((await rowsOf(bytes)).map((row) => row.product_id)).toEqual(['A-1', 'B-2', 'C-3']);
  });

  it('a table restored from the workspace is already kept: nothing to save', () => {
    expect(tableToKeep(db, nodeParquetCodec, 'sales', 'restored')).toBeUndefined();
  });
});
