import { describe, expect, it } from 'vitest';
import { evaluateModel } from '../../../../src/engine/evaluate/model.ts';
import type { Database, ModelRunner, QueryOptions } from '../../../../src/engine/ports.ts';
import type { RunContext } from '../../../../src/engine/scheduler.ts';
import { openNativeDatabase } from '../../../../src/db/duckdb-native.ts';
import { nodeParquetCodec } from '../../../../src/db/parquet-node.ts';
import { frameToIpc } from '../../../../src/models/kit/frame.ts';

/** A database and a model runner that only record what is asked of them. */
function fakes() {
  const calls: string[] = [];
  const db: Database = {
    async query(sql) {
      calls.push(`query ${sql}`);
      throw new Error('stop after the first query');
    },
    async registerFile() {
      throw new Error('not used');
    },
    async dropFile() {},
    async insertArrowIpc(table) {
      calls.push(`insert ${table}`);
    },
    async exportCsv() {
      throw new Error('not used');
    },
    async exportArrowIpc(relation) {
      calls.push(`export ${relation}`);
      return new Uint8Array();
    },
    async close() {},
  };
  const runner: ModelRunner = {
    async run(request) {
      calls.push(`run ${request.model}`);
      return {};
    },
  };
  return { db, runner, calls };
}

const context: RunContext = { signal: new AbortController().signal, inputs: new Map([['k', 4]]), dataNames: new Set() };

async function failure(spec: Record<string, unknown>) {
  const { db, runner, calls } = fakes();
  const error = await evaluateModel(db, runner, { id: 'c1', kind: 'model', name: 'cell', source: JSON.stringify(spec) }, context).then(
    () => undefined,
    (thrown: unknown) => thrown as Error,
  );
  return { message: error?.message, name: error?.name, calls };
}

describe('a model cell checks its spec before any data moves', () => {
  it('a misspelt key is named, with the key it was meant to be, and nothing is exported', async () => {
    const { message, name, calls } = await failure({ model: 'pareto', input: 'rfm', top_shar: 0.2 });
    expect(message).toContain('unknown key "top_shar" for model pareto (did you mean "top_share"?)');
    // A SpecError: the scheduler shows it as an invalid spec, not as a failure of the model.
    expect(name).toBe('SpecError');
    expect(calls).toEqual([]);
  });

  it('a key no model of that name reads is refused, listing the keys it takes', async () => {
    const { message, calls } = await failure({ model: 'pareto', input: 'rfm', colour: 'red' });
    expect(message).toBe('unknown key "colour" for model pareto; it takes model, input, spend, top_share');
    expect(calls).toEqual([]);
  });

  it('a value of the wrong type names the key and the value', async () => {
    const { message, calls } = await failure({ model: 'kmeans', input: 'rfm', features: ['recency_days'], k: 'four' });
    expect(message).toBe('"k" of model kmeans must be a number; got "four"');
    expect(calls).toEqual([]);
  });

  it('an input bound in place of a value is checked as the value it holds', async () => {
    const { message, calls } = await failure({ model: 'kmeans', input: 'rfm', features: 'recency_days', k: '$k' });
    expect(message).toBe('"features" of model kmeans must be a list of text; got "recency_days"');
    expect(calls).toEqual([]);
  });

  it('a misspelt nested column key is named with its parent', async () => {
    const { message, calls } = await failure({ model: 'rfm', input: 'sales_clean', columns: { custmer: 'CustomerID' } });
    expect(message).toContain('unknown key "columns.custmer" for model rfm (did you mean "columns.customer"?)');
    expect(calls).toEqual([]);
  });

  it('a misspelt model is named with the nearest model', async () => {
    const { message, calls } = await failure({ model: 'kmean', input: 'rfm' });
    expect(message).toContain('there is no model "kmean" (did you mean "kmeans"?)');
    expect(calls).toEqual([]);
  });

  it('a SQL model runs as one CREATE TABLE in the database and a worker model exports its inputs to the runner', async () => {
    const sql = await failure({ model: 'rfm', input: 'sales_clean' });
    expect(sql.calls).toHaveLength(1);
    expect(sql.calls[0]).toMatch(/^query CREATE OR REPLACE TABLE "cell" AS /);
    // A worker model's input is described first, to send only the columns it reads (this fake refuses every query).
    const worker = await failure({ model: 'pareto', input: 'rfm', top_share: 0.2 });
    expect(worker.calls).toEqual(['query SELECT column_name, column_type FROM (DESCRIBE "rfm")']);
  });
});

describe('a model cell over native DuckDB', () => {
  it("takes its table's shape from a small insert instead of asking for it, and the shape is DESCRIBE's", async () => {
    const db = await openNativeDatabase({ parquet: nodeParquetCodec, threads: 1 });
    if (db === null) throw new Error('native DuckDB is not installed in native/node_modules; run npm install');
    try {
      await db.query('CREATE TABLE segments__model AS SELECT 1 AS k');
      const sent: string[] = [];
      // The real database, its queries recorded.
      const recorded: Database = Object.assign(Object.create(db) as Database, { query: (sql: string, options?: QueryOptions) => (sent.push(sql), db.query(sql, options)) });
      const answer = frameToIpc({ rowCount: 1, columns: { cluster: Int32Array.of(2), segment: ['Champions'], distance: Float64Array.of(0.25) } });
      const runner: ModelRunner = { run: async () => ({ '': answer }) };
      const cell = { id: 'c1', kind: 'model' as const, name: 'predicted', source: JSON.stringify({ model: 'predict', input: 'segments__model', values: [30, 5, 1500] }) };
      const output = await evaluateModel(recorded, runner, cell, context);
      const described = (await db.query('DESCRIBE predicted')).toArray().map((row) => ({ name: row.column_name, type: row.column_type }));
      expect(output).toEqual({ kind: 'table', table: 'predicted', columns: described, rowCount: 1 });
      expect(described.map((column) => column.type)).toEqual(['INTEGER', 'VARCHAR', 'DOUBLE']);
      expect(sent.filter((sql) => /DESCRIBE "predicted"|count\(\*\)/.test(sql))).toEqual([]);
    } finally {
      await db.close();
    }
  });
});
