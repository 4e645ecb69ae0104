import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { loadNativeDuckDb, NativeDatabase, type NativeDuckDbModule } from '../../../src/db/duckdb-native.ts';
import { nodeParquetCodec } from '../../../src/db/parquet-node.ts';

/** Every statement the adapter sends to native DuckDB, in order: the real engine underneath, only recorded. */
const sent: string[] = [];
let db: NativeDatabase;

/** The real module with each connection's `run` recorded. */
function recording(api: NativeDuckDbModule): NativeDuckDbModule {
  return {
    ...api,
    DuckDBInstance: {
      create: async (path, options) => {
        const instance = await api.DuckDBInstance.create(path, options);
        return {
          closeSync: () => instance.closeSync(),
          connect: async () => {
            const connection = await instance.connect();
            return {
              run: (sql: string, values?: unknown[], types?: unknown[]) => (sent.push(sql), connection.run(sql, values, types)),
              interrupt: () => connection.interrupt(),
              closeSync: () => connection.closeSync(),
            };
          },
        };
      },
    },
  };
}

const spend = (customers: number[], amounts: number[]) => tableToIPC(tableFromArrays({ customer_id: Int32Array.from(customers), spend: Float64Array.from(amounts) }), 'stream');

beforeAll(async () => {
  const api = await loadNativeDuckDb();
  if (api === null) throw new Error('native DuckDB is not installed in native/node_modules; run npm install');
  db = await NativeDatabase.open(recording(api), { parquet: nodeParquetCodec, threads: 1 });
  await db.lockDown();
});
afterAll(async () => db?.close());

describe('NativeDatabase.insertArrowIpc', () => {
  it('replaces a table with one Arrow stream in one statement: no staging table, catalog look-up or swap', async () => {
    await db.insertArrowIpc('spend', spend([1, 2], [10, 20]));
    sent.length = 0;
    await db.insertArrowIpc('spend', spend([3, 4, 5], [30.5, 40, 50]));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/^CREATE OR REPLACE TABLE "spend" AS SELECT \* FROM read_parquet\(/);
    expect((await db.query('SELECT customer_id, spend FROM spend ORDER BY customer_id')).toArray().map((row) => [row.customer_id, row.spend])).toEqual([[3, 30.5], [4, 40], [5, 50]]);
  });

  it('replaces a view of that name with a table, through the staging swap', async () => {
    await db.query('CREATE VIEW totals AS SELECT 1 AS customer_id, 1.0::DOUBLE AS spend');
    await db.insertArrowIpc('totals', spend([7], [70]));
    const kind = await db.query("SELECT table_type FROM information_schema.tables WHERE table_name = 'totals'");
    expect(kind.toArray().map((row) => row.table_type)).toEqual(['BASE TABLE']);
    expect((await db.query('SELECT customer_id, spend FROM totals')).toArray().map((row) => [row.customer_id, row.spend])).toEqual([[7, 70]]);
    const leftovers = await db.query("SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE table_name LIKE '__aisle_insert_%'");
    expect(leftovers.getChild('n')?.get(0)).toBe(0);
  });

  it('keeps nothing of the scratch files it reads once: repeated inserts leave the memory DuckDB reports as it was', async () => {
    const usage = async () => (await db.query("SELECT tag, memory_usage_bytes::DOUBLE AS bytes FROM duckdb_memory() WHERE memory_usage_bytes > 0 ORDER BY tag")).toArray().map((row) => [row.tag, row.bytes]);
    await db.insertArrowIpc('outputs', spend([1], [1]));
    const before = await usage();
    for (let run = 0; run < 20; run++) await db.insertArrowIpc('outputs', spend([run, run + 1], [run, 2 * run]));
    expect(await usage()).toEqual(before);
    expect(before.map(([tag]) => tag)).not.toContain('EXTERNAL_FILE_CACHE');
  });
});
