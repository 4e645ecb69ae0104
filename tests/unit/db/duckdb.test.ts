import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { openNodeDatabase } from '../../../src/db/duckdb-node.ts';
import { nodeParquetCodec } from '../../../src/db/parquet-node.ts';
import type { Database } from '../../../src/engine/ports.ts';
import { QueryError } from '../../../src/util/errors.ts';
import { concatIpc, frameToIpc } from '../../../src/models/kit/frame.ts';

let db: Database;
beforeAll(async () => {
  db = await openNodeDatabase();
});
afterAll(async () => {
  await db.close();
});

describe('DuckDbDatabase (DuckDB-WASM, Node build)', () => {
  it('runs SQL and returns Arrow with BIGINT as BigInt', async () => {
    const table = await db.query('SELECT 40 + 2 AS answer, 3::BIGINT AS big');
    expect(table.numRows).toBe(1);
    expect(table.getChild('answer')?.get(0)).toBe(42);
    expect(table.getChild('big')?.get(0)).toBe(3n);
  });

  it('binds parameters instead of splicing them into the SQL', async () => {
    const table = await db.query('SELECT ? AS name, ?::INTEGER + 1 AS n', { params: ["O'Neil; DROP TABLE x", 41] });
    expect(table.getChild('name')?.get(0)).toBe("O'Neil; DROP TABLE x");
    expect(table.getChild('n')?.get(0)).toBe(42);
  });

  it('runs several statements and returns the last result', async () => {
    const table = await db.query('CREATE OR REPLACE TABLE t AS SELECT * FROM range(5) r(i); SELECT sum(i)::INTEGER AS s FROM t');
    expect(table.getChild('s')?.get(0)).toBe(0 + 1 + 2 + 3 + 4);
  });

  it('reports DuckDB errors as QueryError with the SQL and without the extension-install hint', async () => {
    const error = await db.query('SELECT * FROM no_such_table').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryError);
    expect((error as QueryError).message).toMatch(/no_such_table/);
    expect((error as QueryError).sql).toBe('SELECT * FROM no_such_table');
  });

  it('never autoloads extensions: parquet through DuckDB fails fast with a catalog error', async () => {
    // Were autoloading on, this would try to fetch the extension and hang until the test's timeout.
    const error = (await db.query("SELECT * FROM read_parquet('x.parquet')").catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/parquet extension/);
    expect(error.message).not.toMatch(/INSTALL/);
  });

  it('cancels a running query when its signal aborts, and stays usable', async () => {
    const controller = new AbortController();
    const slow = db.query('SELECT count(*) FROM range(30000) a, range(30000) b WHERE (a.range * b.range) % 7 = 3', {
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 200);
    await expect(slow).rejects.toMatchObject({ name: 'AbortError' });
    const after = await db.query('SELECT 1 AS ok');
    expect(after.getChild('ok')?.get(0)).toBe(1);
  });

  it('registers a CSV buffer and reads it with read_csv', async () => {
    const csv = 'a,b\n1,x\n2,y\n';
    const path = await db.registerFile('small.csv', { kind: 'bytes', bytes: new TextEncoder().encode(csv) });
    expect(path).toBe('/aisle-files/small.csv');
    const table = await db.query(`SELECT sum(a)::INTEGER AS total, string_agg(b, '') AS bs FROM read_csv('${path}')`);
    expect(table.getChild('total')?.get(0)).toBe(3);
    expect(table.getChild('bs')?.get(0)).toBe('xy');
    await db.dropFile(path);
  });

  it('round-trips Parquet through parquet-wasm and Arrow IPC', async () => {
    const source = tableFromArrays({ id: Int32Array.from([1, 2, 3]), price: Float64Array.from([1.5, 2.5, 4]) });
    const parquet = await nodeParquetCodec.fromArrowIpc(tableToIPC(source, 'stream'));
    expect(new TextDecoder().decode(parquet.subarray(0, 4))).toBe('PAR1');
    await db.insertArrowIpc('from_parquet', await nodeParquetCodec.toArrowIpc(parquet));
    const table = await db.query('SELECT count(*)::INTEGER AS n, sum(price) AS total FROM from_parquet');
    expect(table.getChild('n')?.get(0)).toBe(3);
    expect(table.getChild('total')?.get(0)).toBe(8);
  });
});

describe('DuckDbDatabase.insertArrowIpc', () => {
  const ipc = (values: number[]) => tableToIPC(tableFromArrays({ x: Int32Array.from(values) }), 'stream');
  const rows = async (sql: string) => (await db.query(sql)).toArray().map((row) => ({ ...row.toJSON() }));
  const staged = async () => rows("SELECT table_name FROM duckdb_tables() WHERE starts_with(table_name, '__aisle')");

  it('makes a new table, replaces a table, a view and a loaded file read in place, and leaves no staging table', async () => {
    await db.insertArrowIpc('swapped', ipc([1]));
    expect(await rows('SELECT * FROM swapped')).toEqual([{ x: 1 }]);
    await db.insertArrowIpc('swapped', ipc([2, 3]));
    expect(await rows('SELECT * FROM swapped')).toEqual([{ x: 2 }, { x: 3 }]);
    // A view: the first swap's DROP TABLE is refused, and the one for a view runs.
    await db.query("DROP TABLE swapped; CREATE VIEW swapped AS SELECT 'a view' AS y");
    await db.insertArrowIpc('swapped', ipc([4]));
    expect(await rows('SELECT * FROM swapped')).toEqual([{ x: 4 }]);
    await db.query("DROP TABLE swapped; CREATE VIEW swapped AS SELECT 5 AS y; COMMENT ON VIEW swapped IS 'aisle: loaded data'");
    await db.insertArrowIpc('swapped', ipc([6]));
    expect(await rows("SELECT * FROM swapped")).toEqual([{ x: 6 }]);
    expect(await rows("SELECT table_name FROM duckdb_tables() WHERE table_name = 'swapped'")).toEqual([{ table_name: 'swapped' }]);
    expect(await staged()).toEqual([]);
  });

  it('gives the table it made as DESCRIBE and count(*) give it, coded text included; none for a type it cannot vouch for', async () => {
    const segment = Array.from({ length: 3000 }, (_, row) => (row % 5 === 0 ? null : ['Champions', 'At risk'][row % 2]!));
    const frame = frameToIpc({ rowCount: 3000, columns: { id: segment.map((_, row) => `C${row}`), segment, cluster: Int32Array.from(segment, (_, row) => row % 4), spend: Float64Array.from(segment, (_, row) => (row % 7 === 0 ? Number.NaN : row / 3)) } });
    const others = tableToIPC(tableFromArrays({ big: BigInt64Array.of(1n, 2n), small: Float32Array.of(0.5, 1), flag: [true, false] }), 'stream');
    // Rows counted over every batch (two parts joined), and none at all.
    const batches = concatIpc([frame, frameToIpc({ rowCount: 2, columns: { id: ['a', 'b'], segment: ['x', null], cluster: Int32Array.of(1, 2), spend: Float64Array.of(1, 2) } })]);
    const empty = frameToIpc({ rowCount: 0, columns: { id: [], spend: new Float64Array(0) } });
    for (const [table, bytes] of [['shaped', frame], ['shaped_others', others], ['shaped_batches', batches], ['shaped_empty', empty]] as const) {
      const shape = await db.insertArrowIpc(table, bytes);
      const described = await rows(`SELECT column_name AS name, column_type AS type FROM (DESCRIBE ${table})`);
      const [{ n }] = (await rows(`SELECT count(*)::INTEGER AS n FROM ${table}`)) as [{ n: number }];
      expect(shape).toEqual({ columns: described, rowCount: n });
    }
    expect(await rows("SELECT count(*)::INTEGER AS n, count(segment)::INTEGER AS named, count(DISTINCT segment)::INTEGER AS names FROM shaped")).toEqual([{ n: 3000, named: 2400, names: 2 }]);
    const dates = tableToIPC(tableFromArrays({ day: [new Date(Date.UTC(2011, 0, 1))] }), 'stream');
    expect(await db.insertArrowIpc('shaped_dates', dates)).toBeUndefined();
  });

  it('leaves what held the name as it was when the insert fails, with no staging table behind', async () => {
    await db.insertArrowIpc('kept', ipc([7]));
    const failure = await db.insertArrowIpc('kept', new Uint8Array([1, 2, 3, 4])).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(QueryError);
    expect(await rows('SELECT * FROM kept')).toEqual([{ x: 7 }]);
    expect(await staged()).toEqual([]);
  });
});

describe('exports', () => {
  it('writes a table as CSV with a header, by DuckDB', async () => {
    await db.query("CREATE OR REPLACE TABLE exported AS SELECT * FROM (VALUES (1, 'a,b'), (2, 'c')) t(id, label)");
    const csv = new TextDecoder().decode(await db.exportCsv('SELECT * FROM exported'));
    expect(csv).toBe('id,label\n1,"a,b"\n2,c\n');
  });

  it('writes a table as Arrow IPC that round-trips through Parquet', async () => {
    const parquet = await nodeParquetCodec.fromArrowIpc(await db.exportArrowIpc('exported'));
    await db.insertArrowIpc('reimported', await nodeParquetCodec.toArrowIpc(parquet));
    const table = await db.query("SELECT string_agg(label, '|' ORDER BY id) AS labels FROM reimported");
    expect(table.getChild('labels')?.get(0)).toBe('a,b|c');
  });
});
