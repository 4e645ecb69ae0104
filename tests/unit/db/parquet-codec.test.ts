import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { loadNativeDuckDb, NativeDatabase } from '../../../src/db/duckdb-native.ts';
import { nodeParquetCodec } from '../../../src/db/parquet-node.ts';
import { quoteLiteral } from '../../../src/util/sql.ts';

let db: NativeDatabase;
let dir: string;

beforeAll(async () => {
  const api = await loadNativeDuckDb();
  if (api === null) throw new Error('native DuckDB is not installed in native/node_modules; run npm install');
  // Not locked down: DuckDB's own parquet_metadata reads the files the codec wrote.
  db = await NativeDatabase.open(api, { parquet: nodeParquetCodec, threads: 1 });
  dir = await mkdtemp(join(tmpdir(), 'aisle-parquet-'));
});
afterAll(async () => {
  await db?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the Node Parquet codec', () => {
  const ipc = () => tableToIPC(tableFromArrays({ segment: ['Champions', 'At risk', 'Champions', 'New'], spend: Float64Array.of(1.5, 2, 3.25, 4) }), 'stream');

  it.each([
    [undefined, 'ZSTD'],
    ['zstd', 'ZSTD'],
    ['none', 'UNCOMPRESSED'],
  ] as const)('writes %s as %s column chunks, and the rows read back as they went', async (compression, expected) => {
    const file = join(dir, `${compression ?? 'default'}.parquet`);
    await writeFile(file, await nodeParquetCodec.fromArrowIpc(ipc(), compression));
    const chunks = await db.query(`SELECT DISTINCT compression FROM parquet_metadata(${quoteLiteral(file)})`);
    expect(chunks.toArray().map((row) => String(row.compression))).toEqual([expected]);
    const rows = await db.query(`SELECT segment, spend FROM read_parquet(${quoteLiteral(file)})`);
    expect(rows.toArray().map((row) => [String(row.segment), Number(row.spend)])).toEqual([
      ['Champions', 1.5],
      ['At risk', 2],
      ['Champions', 3.25],
      ['New', 4],
    ]);
  });
});
