import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableFromIPC } from 'apache-arrow';
import { evaluateModel } from '../../../../src/engine/evaluate/model.ts';
import type { Database, ModelRequest, ModelRunner } from '../../../../src/engine/ports.ts';
import type { RunContext } from '../../../../src/engine/scheduler.ts';
import { openNodeDatabase } from '../../../../src/db/duckdb-node.ts';
import { openNativeDatabase } from '../../../../src/db/duckdb-native.ts';
import { nodeParquetCodec } from '../../../../src/db/parquet-node.ts';
import { inProcessModelRunner } from '../../../../src/workers/node-runner.ts';
import { CARRY_FROM_ROWS } from '../../../../src/engine/model-carried.ts';

const context = (): RunContext => ({ signal: new AbortController().signal, inputs: new Map(), dataNames: new Set() });

/** The in-process runner, recording each request's carried columns and the columns its input was sent with. */
function recordingRunner(before?: () => Promise<void>) {
  const requests: { carried: readonly string[] | undefined; sent: string[] }[] = [];
  const runner: ModelRunner = {
    async run(request: ModelRequest, onProgress, signal) {
      const [input] = Object.values(request.inputs);
      requests.push({ carried: request.carried, sent: tableFromIPC(input!).schema.fields.map((field) => field.name) });
      await before?.();
      return inProcessModelRunner.run(request, onProgress, signal);
    },
  };
  return { runner, requests };
}

const kmeans = (name: string, input: string, id = 'customer_id') => ({
  id: name,
  kind: 'model' as const,
  name,
  source: JSON.stringify({ model: 'kmeans', input, id, features: ['spend'], k: 2, scaling: 'none', n_init: 1, max_iter: 20, seed: 7 }),
});

// 120,000 customers (above CARRY_FROM_ROWS) in the order of i: even rows spend 0 to 2, odd rows 1,000 to 1,002, so
// two clusters split them by parity, by hand.
const CUSTOMERS = `CREATE OR REPLACE TABLE customers AS SELECT 'c' || lpad((119999 - i)::VARCHAR, 6, '0') AS customer_id,
  CASE WHEN i % 2 = 0 THEN (i % 3)::DOUBLE ELSE 1000 + (i % 3)::DOUBLE END AS spend FROM range(120000) AS t(i)`;

describe.each([
  ['DuckDB-WASM', () => openNodeDatabase()],
  ['native DuckDB', async () => (await openNativeDatabase({ parquet: nodeParquetCodec }))!],
])('a K-Means cell on %s', (_engine, open) => {
  let db: Database;
  const rows = async (sql: string) => (await db.query(sql)).toArray().map((row) => ({ ...row }));
  /** Rows of `a` and `b`, paired by position, that differ in any of `columns` (or have no partner), counted by DuckDB. */
  const mismatches = async (a: string, b: string, columns: readonly string[]) =>
    (await rows(`SELECT count(*)::INTEGER AS n FROM ${a} AS a POSITIONAL JOIN ${b} AS b WHERE ${columns.map((c) => `a.${c} IS DISTINCT FROM b.${c}`).join(' OR ')}`))[0]?.n;
  beforeAll(async () => {
    db = await open();
    await db.query(CUSTOMERS);
    await db.query('CREATE OR REPLACE VIEW customers_view AS SELECT * FROM customers');
  });
  afterAll(async () => db?.close());

  it('keeps the ids of a big table in the database: the worker gets the features alone, the table comes back whole', async () => {
    const { runner, requests } = recordingRunner();
    const output = await evaluateModel(db, runner, kmeans('segments', 'customers'), context());
    expect(requests).toEqual([{ carried: ['customer_id'], sent: ['spend'] }]);
    expect(output).toMatchObject({ kind: 'table', table: 'segments', rowCount: 120_000 });
    // In the input's row order, each id beside its own spend.
    expect(await mismatches('segments', 'customers', ['customer_id', 'spend'])).toBe(0);
    const byParity = await rows(`SELECT spend >= 1000 AS high, count(DISTINCT cluster)::INTEGER AS clusters, min(cluster) AS cluster FROM segments GROUP BY ALL ORDER BY high`);
    expect(byParity.map((row) => row.clusters)).toEqual([1, 1]);
    expect(byParity[0]?.cluster).not.toBe(byParity[1]?.cluster);
  });

  it('sends a small table whole: below CARRY_FROM_ROWS the join would cost more than it saves', async () => {
    await db.query(`CREATE OR REPLACE TABLE few AS SELECT * FROM customers LIMIT ${CARRY_FROM_ROWS - 1}`);
    const { runner, requests } = recordingRunner();
    await evaluateModel(db, runner, kmeans('segments_of_few', 'few'), context());
    expect(requests).toEqual([{ carried: undefined, sent: ['customer_id', 'spend'] }]);
  });

  it('sends a view whole, as before, and both ways give the same table, column for column and type for type', async () => {
    const { runner, requests } = recordingRunner();
    await evaluateModel(db, runner, kmeans('segments_of_view', 'customers_view'), context());
    expect(requests).toEqual([{ carried: undefined, sent: ['customer_id', 'spend'] }]);
    await evaluateModel(db, recordingRunner().runner, kmeans('segments', 'customers'), context());
    const shape = async (table: string) => (await rows(`DESCRIBE ${table}`)).map((row) => `${row.column_name} ${row.column_type}`);
    expect(await shape('segments')).toEqual(await shape('segments_of_view'));
    expect(await shape('segments')).toEqual(['customer_id VARCHAR', 'cluster INTEGER', 'segment VARCHAR', 'spend DOUBLE']);
    expect(await mismatches('segments', 'segments_of_view', ['customer_id', 'cluster', 'segment', 'spend'])).toBe(0);
  });

  it('sends every column when the id is not in the table, so the model names what is missing', async () => {
    const { runner, requests } = recordingRunner();
    await expect(evaluateModel(db, runner, kmeans('no_ids', 'customers', 'client'), context())).rejects.toThrow(/client/);
    expect(requests).toEqual([{ carried: undefined, sent: ['customer_id', 'spend'] }]);
  });

  it('fails the cell, rather than pair rows wrongly, when the input changed while the model ran', async () => {
    await db.query('CREATE OR REPLACE TABLE growing AS SELECT * FROM customers');
    const { runner } = recordingRunner(async () => void (await db.query(`INSERT INTO growing VALUES ('g', 50.0)`)));
    await expect(evaluateModel(db, runner, kmeans('segments_growing', 'growing'), context())).rejects.toThrow(/growing changed while the model ran/);
    // The model's table as it gave it, without ids: never ids paired with the wrong rows.
    expect((await rows('DESCRIBE segments_growing')).map((row) => row.column_name)).toEqual(['cluster', 'segment', 'spend']);
  });
});
