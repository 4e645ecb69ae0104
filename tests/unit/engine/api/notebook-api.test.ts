import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeDatabase } from '../../../../src/db/duckdb-node.ts';
import { parseNotebook } from '../../../../src/format/notebook-text.ts';
import { ModelInputCache, ModelOutputWatch, Scheduler, createEvaluator, type Database, type QueryOptions } from '../../../../src/engine/index.ts';
import { NotebookApi, cellTableStamp, jsonRows } from '../../../../src/engine/api/index.ts';
import { inProcessModelRunner } from '../../../../src/workers/node-runner.ts';
import { taggedModelRunner } from '../../../../src/workers/model-failure.ts';

const cell = (kind: string, name: string, source: string) => `\`\`\`${kind} ${name}\n${source}\n\`\`\``;

// 60 customers in three clear groups of (recency, frequency, monetary), K-Means on them unscaled, and a predictor.
const NOTEBOOK = `---
aisle: 1
title: Segments API
---

${[
  cell('sql', 'customers', `SELECT i AS customer_id, (CASE i % 3 WHEN 0 THEN 5 WHEN 1 THEN 100 ELSE 300 END + i % 4)::DOUBLE AS recency_days,
  (CASE i % 3 WHEN 0 THEN 20 WHEN 1 THEN 5 ELSE 1 END)::DOUBLE AS frequency, (CASE i % 3 WHEN 0 THEN 2000 WHEN 1 THEN 400 ELSE 50 END + i)::DOUBLE AS monetary
FROM range(60) t(i)`),
  cell('model', 'segments', '{ "model": "kmeans", "input": "customers", "features": ["recency_days", "frequency", "monetary"], "scaling": "none", "k": 3, "n_init": 4, "seed": 7 }'),
  cell('input', 'recency', '{ "input": "number", "min": 0, "value": 30 }'),
  cell('input', 'frequency', '{ "input": "number", "min": 0, "value": 5 }'),
  cell('input', 'monetary', '{ "input": "number", "min": 0, "value": 1500 }'),
  cell('model', 'segment_predictor', '{ "model": "predict", "input": "segments__model", "values": ["$recency", "$frequency", "$monetary"] }'),
  cell('sql', 'customer_segment', 'SELECT c.customer_id, s.cluster, c.monetary FROM customers c JOIN segments s USING (customer_id) ORDER BY c.customer_id'),
].join('\n\n')}
`;

/** Every call the API makes to the real database, by kind: a count, not a stand-in. */
const calls = { query: 0, exportArrowIpc: 0, insertArrowIpc: 0 };
let db: Database;
let api: NotebookApi;
let scheduler: Scheduler;

beforeAll(async () => {
  const real = await openNodeDatabase();
  db = {
    ...real,
    query: (sql: string, options?: QueryOptions) => ((calls.query += 1), real.query(sql, options)),
    exportArrowIpc: (relation: string) => ((calls.exportArrowIpc += 1), real.exportArrowIpc(relation)),
    registerFile: real.registerFile.bind(real),
    dropFile: real.dropFile.bind(real),
    insertArrowIpc: (table: string, ipc: Uint8Array | AsyncIterable<Uint8Array>) => ((calls.insertArrowIpc += 1), real.insertArrowIpc(table, ipc)),
    exportCsv: real.exportCsv.bind(real),
    close: real.close.bind(real),
  };
  const notebook = parseNotebook(NOTEBOOK);
  const modelInputs = new ModelInputCache((table) => cellTableStamp(scheduler, table));
  const modelOutputs = new ModelOutputWatch();
  scheduler = new Scheduler({ evaluate: createEvaluator(db, taggedModelRunner(inProcessModelRunner), modelInputs, modelOutputs), onStates: () => {} });
  scheduler.update(notebook);
  await scheduler.runAll();
  api = new NotebookApi(db, scheduler, notebook, 'test', modelOutputs);
}, 60_000);
afterAll(async () => db?.close());

/** The cluster whose centroid is nearest (unscaled features), read from the model's own centroids table. */
async function nearest(values: readonly [number, number, number]): Promise<number> {
  const centroids = (await db.query('SELECT * FROM segments__centroids ORDER BY cluster')).toArray();
  let best = -1;
  let bestDistance = Infinity;
  for (const row of centroids) {
    const distance = Math.hypot(values[0] - Number(row.recency_days), values[1] - Number(row.frequency), values[2] - Number(row.monetary));
    if (distance < bestDistance) [best, bestDistance] = [Number(row.cluster), distance];
  }
  return best;
}

describe('NotebookApi over a real database', () => {
  it('answers lookups from rows it holds: one read of the table, then no query per lookup', async () => {
    const before = calls.query;
    for (let id = 0; id < 60; id++) {
      const { rows } = await api.lookup('customer_segment', new URLSearchParams(`customer_id=${id}`));
      expect(rows).toHaveLength(1);
      expect(rows[0]?.monetary).toBe([2000, 400, 50][id % 3]! + id);
    }
    expect(calls.query - before).toBe(1);
  });

  it('a run exports no model input that has not changed, and each of concurrent runs gets its own inputs\' answer', async () => {
    const inputs: [number, number, number][] = [[2, 25, 2100], [120, 4, 380], [310, 1, 40], [4, 19, 1990], [99, 6, 410], [280, 2, 70]];
    const exportsBefore = calls.exportArrowIpc;
    const replies = await Promise.all(inputs.map(([recency, frequency, monetary]) => api.run('segment_predictor', { recency, frequency, monetary }, new URLSearchParams())));
    expect(calls.exportArrowIpc - exportsBefore).toBe(0);
    for (const [index, reply] of replies.entries()) {
      const [recency, frequency, monetary] = inputs[index]!;
      expect(reply.inputs).toEqual({ recency, frequency, monetary });
      expect(reply.rows).toHaveLength(1);
      expect(reply.rows[0]?.cluster).toBe(await nearest(inputs[index]!));
    }
    // The three groups land in three different clusters.
    expect(new Set(replies.slice(0, 3).map((reply) => reply.rows[0]?.cluster)).size).toBe(3);
  });

  it('answers a run from the rows its model produced: one insert and no query (the insert gives the table\'s shape), no read back', async () => {
    const before = { ...calls };
    const reply = await api.run('segment_predictor', { recency: 301, frequency: 1, monetary: 45 }, new URLSearchParams());
    expect(calls.insertArrowIpc - before.insertArrowIpc).toBe(1);
    expect(calls.query - before.query).toBe(0);
    expect(calls.exportArrowIpc - before.exportArrowIpc).toBe(0);
    // The same JSON as the table DuckDB now holds, read here independently.
    expect(reply.rows).toEqual(jsonRows(await db.query('SELECT * FROM segment_predictor')));
    expect(reply.rowCount).toBe(1);
    expect(reply.rows[0]?.cluster).toBe(await nearest([301, 1, 45]));
  });

  it('exports a model input again once the cell that makes it has run again', async () => {
    await api.run('segment_predictor', { recency: 1, frequency: 1, monetary: 1 }, new URLSearchParams());
    const before = calls.exportArrowIpc;
    // segments runs again, and segment_predictor after it: one export, of the new segments__model (customers did
    // not run again, so segments gets the bytes held from before).
    await scheduler.run([scheduler.graph.byName.get('segments')!]);
    expect(calls.exportArrowIpc - before).toBe(1);
    const reply = await api.run('segment_predictor', { recency: 300, frequency: 1, monetary: 60 }, new URLSearchParams());
    expect(calls.exportArrowIpc - before).toBe(1);
    expect(reply.rows[0]?.cluster).toBe(await nearest([300, 1, 60]));
  });

  it('re-reads a cell\'s rows once the cell has run again, and not before', async () => {
    const id45 = new URLSearchParams('customer_id=45');
    expect((await api.lookup('customer_segment', id45)).rows).toHaveLength(1);
    await db.query('CREATE OR REPLACE TABLE customers AS SELECT * FROM customers WHERE customer_id < 30');
    // The rows held are those of the cell's last run: the table behind it changed, the cell did not run.
    expect((await api.lookup('customer_segment', id45)).rows).toHaveLength(1);
    await scheduler.run([scheduler.graph.byName.get('customer_segment')!]);
    expect((await api.lookup('customer_segment', id45)).rows).toEqual([]);
    expect((await api.lookup('customer_segment', new URLSearchParams('limit=1000'))).rows).toHaveLength(30);
  });
});
