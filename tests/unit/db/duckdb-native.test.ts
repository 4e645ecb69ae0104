import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bool, Dictionary, Float32, Float64, Int16, Int32, Int64, Int8, Table, Uint16, Uint32, Uint8, Utf8, tableFromArrays, tableToIPC, vectorFromArray } from 'apache-arrow';
import { loadNativeDuckDb, NativeDatabase, type NativeDuckDbModule } from '../../../src/db/duckdb-native.ts';
import { nodeParquetCodec } from '../../../src/db/parquet-node.ts';
import { MAX_VALUES } from '../../../src/db/arrow-values.ts';

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
/** Customers `first…first+n-1` spending 1.5× their id: more values than a statement of bound values takes. */
const range = (first: number, n = MAX_VALUES) => Array.from({ length: n }, (_, index) => first + index);
const manySpends = (first: number) => spend(range(first), range(first).map((id) => 1.5 * id));

beforeAll(async () => {
  const api = await loadNativeDuckDb();
  if (api === null) throw new Error('native DuckDB is not installed in native/node_modules; run npm install');
  db = await NativeDatabase.open(recording(api), { parquet: nodeParquetCodec, threads: 1 });
  await db.lockDown();
});
afterAll(async () => db?.close());

describe('NativeDatabase.insertArrowIpc', () => {
  it('replaces a table with one Arrow stream in one statement: no staging table, catalog look-up or swap', async () => {
    await db.insertArrowIpc('spend', manySpends(1));
    sent.length = 0;
    expect(await db.insertArrowIpc('spend', manySpends(3))).toBeUndefined();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/^CREATE OR REPLACE TABLE "spend" AS SELECT \* FROM read_parquet\(/);
    const rows = (await db.query('SELECT customer_id, spend FROM spend ORDER BY customer_id')).toArray().map((row) => [row.customer_id, row.spend]);
    expect(rows).toHaveLength(MAX_VALUES);
    expect([rows[0], rows.at(-1)]).toEqual([[3, 4.5], [MAX_VALUES + 2, 1.5 * (MAX_VALUES + 2)]]);
  });

  it('replaces a table with a small Arrow stream as one statement of bound values, and gives its shape', async () => {
    sent.length = 0;
    const shape = await db.insertArrowIpc('answer', spend([3, 4, 5], [30.5, 40, 50]));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/^CREATE OR REPLACE TABLE "answer" AS SELECT \* FROM \(VALUES \(CAST\(\? AS INTEGER\)/);
    expect((await db.query('SELECT customer_id, spend FROM answer ORDER BY customer_id')).toArray().map((row) => [row.customer_id, row.spend])).toEqual([[3, 30.5], [4, 40], [5, 50]]);
    expect(shape).toEqual({ columns: [{ name: 'customer_id', type: 'INTEGER' }, { name: 'spend', type: 'DOUBLE' }], rowCount: 3 });
  });

  it('types a small table as the Parquet path types it, nulls, quotes and NaN included', async () => {
    const columns = {
      i8: vectorFromArray([-128, null, 127], new Int8()),
      i16: vectorFromArray([-32768, 7, null], new Int16()),
      i32: vectorFromArray([null, -2147483648, 2147483647], new Int32()),
      i64: vectorFromArray([-(2n ** 63n), null, 2n ** 53n + 1n], new Int64()),
      u8: vectorFromArray([0, 255, null], new Uint8()),
      u16: vectorFromArray([65535, null, 1], new Uint16()),
      u32: vectorFromArray([4294967295, 0, null], new Uint32()),
      f32: vectorFromArray([0.1, null, -3.5], new Float32()),
      f64: vectorFromArray([Number.NaN, -0.1, null], new Float64()),
      text: vectorFromArray(["it's", null, "x'); DROP TABLE answer; --"], new Utf8()),
      label: vectorFromArray(['Champions', 'At risk', null], new Dictionary(new Utf8(), new Int32())),
      flag: vectorFromArray([true, null, false], new Bool()),
    };
    const ipc = tableToIPC(new Table(columns), 'stream');
    const shape = await db.insertArrowIpc('typed', ipc);
    // The reference goes the Parquet way: a view holding the name refuses CREATE OR REPLACE TABLE, so the staging swap runs.
    await db.query('CREATE VIEW typed_reference AS SELECT 1 AS x');
    await db.insertArrowIpc('typed_reference', ipc);
    const described = async (table: string) => (await db.query(`DESCRIBE ${table}`)).toArray().map((row) => ({ name: row.column_name, type: row.column_type }));
    expect(await described('typed')).toEqual(await described('typed_reference'));
    expect(shape).toEqual({ columns: await described('typed_reference'), rowCount: 3 });
    const rows = async (table: string) => JSON.stringify((await db.query(`SELECT * FROM ${table}`)).toArray(), (_, value: unknown) => (typeof value === 'bigint' ? `${value}n` : Number.isNaN(value) ? 'NaN' : value));
    expect(await rows('typed')).toEqual(await rows('typed_reference'));
    expect(await rows('typed')).toContain("x'); DROP TABLE answer; --");
  });

  it('replaces a table with an empty small stream, typed', async () => {
    const shape = await db.insertArrowIpc('nothing', spend([], []));
    expect(shape).toEqual({ columns: [{ name: 'customer_id', type: 'INTEGER' }, { name: 'spend', type: 'DOUBLE' }], rowCount: 0 });
    expect((await db.query('SELECT count(*)::INTEGER AS n FROM nothing')).getChild('n')?.get(0)).toBe(0);
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
    await db.insertArrowIpc('outputs', manySpends(0));
    const before = await usage();
    for (let run = 0; run < 20; run++) await db.insertArrowIpc('outputs', manySpends(run));
    expect(await usage()).toEqual(before);
    expect(before.map(([tag]) => tag)).not.toContain('EXTERNAL_FILE_CACHE');
  });
});
