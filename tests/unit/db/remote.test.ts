import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC, tableToIPC, tableFromArrays } from 'apache-arrow';
import { startServer, type RunningServer } from '../../../src/cli/serve.ts';
import { RemoteDatabase } from '../../../src/db/remote.ts';
import { remoteModelRunner } from '../../../src/workers/model-remote.ts';
import { inProcessModelRunner } from '../../../src/workers/node-runner.ts';
import { openNodeDatabase } from '../../../src/db/duckdb-node.ts';
import { nodeParquetCodec } from '../../../src/db/parquet-node.ts';
import { Scheduler, createEvaluator, importFile, parseNotebook, type Database, type ModelRunner } from '../../../src/engine/index.ts';
import { taggedModelRunner } from '../../../src/workers/model-failure.ts';
import { ModelRunError, QueryError } from '../../../src/util/errors.ts';
import { fallbackLine } from '../../../src/cli/engine.ts';

/** Ports 18700–18749 are this suite's. */
const PORT = 18733;

let workDir: string;
let server: RunningServer;
let remote: RemoteDatabase;
let models: ModelRunner;
const serverLog: string[] = [];

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'aisle-remote-'));
  await mkdir(join(workDir, 'dist', 'assets'), { recursive: true });
  await writeFile(join(workDir, 'dist', 'index.html'), '<!doctype html>\n<html>\n  <head>\n    <title>Aisle</title>\n  </head>\n  <body></body>\n</html>\n');
  await writeFile(join(workDir, 'dist', 'assets', 'app.js'), 'export const app = 1;\n');
  await writeFile(join(workDir, 'secret.txt'), 'not served\n');
  server = await startServer({ api: false, distDir: join(workDir, 'dist'), port: PORT, log: (line) => serverLog.push(line) });
  const auth = { Authorization: `Bearer ${server.token}` };
  remote = new RemoteDatabase(server.url, fetch, auth);
  models = remoteModelRunner(server.url, fetch, auth);
}, 60_000);

afterAll(async () => {
  await server?.close();
  await rm(workDir, { recursive: true, force: true });
});

describe('RemoteDatabase against aisle serve in-process', () => {
  it('runs a query with bound parameters and returns an Arrow table', async () => {
    const table = await remote.query('SELECT ?::VARCHAR AS customer, ?::INTEGER + 1 AS n, [1.5, 2.5]::DOUBLE[] AS amounts', { params: [`x' OR '1'='1`, 41] });
    expect(table.toArray().map((row) => row.toJSON())).toEqual([{ customer: `x' OR '1'='1`, n: 42, amounts: expect.anything() }]);
    expect([...(table.getChild('amounts')?.get(0) ?? [])]).toEqual([1.5, 2.5]);
  });

  it('rejects with a QueryError carrying DuckDB\'s message and the SQL', async () => {
    const error = await remote.query('SELECT no_such_column FROM (SELECT 1 AS a)').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryError);
    expect((error as QueryError).message).toContain('no_such_column');
    expect((error as QueryError).sql).toBe('SELECT no_such_column FROM (SELECT 1 AS a)');
  });

  it('cancels: the aborted fetch rejects with an AbortError and the server interrupts the query', async () => {
    const controller = new AbortController();
    const slow = remote.query('SELECT count(*) FROM range(20000000000) a, range(10) b WHERE a.range % 7 = b.range', { signal: controller.signal });
    setTimeout(() => controller.abort(), 500);
    const started = performance.now();
    await expect(slow).rejects.toMatchObject({ name: 'AbortError' });
    expect(performance.now() - started).toBeLessThan(5_000);
    await expect.poll(() => serverLog.some((line) => line === 'interrupted /db/query: the page closed its request'), { timeout: 15_000 }).toBe(true);
    expect((await remote.query('SELECT 42 AS answer')).get(0)?.answer).toBe(42);
  }, 30_000);

  it('registers a file, inserts and exports Arrow and CSV, as the local adapter does', async () => {
    const path = await remote.registerFile('orders.csv', { kind: 'bytes', bytes: new TextEncoder().encode('id,amount\n1,2.5\n2,4\n') });
    const read = await remote.query(`SELECT sum(amount) AS total FROM read_csv('${path}')`);
    expect(read.get(0)?.total).toBe(6.5);
    await remote.dropFile(path);

    const ipc = tableToIPC(tableFromArrays({ customer: ['ann', 'bob'], spend: Float64Array.from([17.75, 20]) }), 'stream');
    await remote.insertArrowIpc('spend', ipc);
    const back = tableFromIPC(await remote.exportArrowIpc('spend'));
    expect(back.toArray().map((row) => row.toJSON())).toEqual([{ customer: 'ann', spend: 17.75 }, { customer: 'bob', spend: 20 }]);
    expect(new TextDecoder().decode(await remote.exportCsv('SELECT * FROM spend ORDER BY customer'))).toBe('customer,spend\nann,17.75\nbob,20.0\n');
  });

  it('appends Arrow parts streamed one by one (row groups of a large Parquet file) in their order', async () => {
    async function* parts() {
      yield tableToIPC(tableFromArrays({ customer: ['ann'], spend: Float64Array.from([1.5]) }), 'stream');
      yield tableToIPC(tableFromArrays({ customer: ['bob', 'cy'], spend: Float64Array.from([2, 3.25]) }), 'stream');
    }
    await remote.insertArrowIpc('streamed', parts());
    const back = tableFromIPC(await remote.exportArrowIpc('streamed'));
    expect(back.toArray().map((row) => row.toJSON())).toEqual([
      { customer: 'ann', spend: 1.5 },
      { customer: 'bob', spend: 2 },
      { customer: 'cy', spend: 3.25 },
    ]);
  });
});

describe('remoteModelRunner against aisle serve in-process', () => {
  const features = tableToIPC(
    tableFromArrays({ customer_id: ['a', 'b', 'c', 'd', 'e', 'f'], recency_days: Float64Array.from([1, 2, 3, 100, 110, 120]), frequency: Float64Array.from([9, 8, 10, 1, 2, 1]) }),
    'stream',
  );
  const request = { model: 'kmeans', params: { features: ['recency_days', 'frequency'], k: 2, seed: 42 }, inputs: { rfm: features } };

  it('runs a model on the server with the same outputs as in this process', async () => {
    const there = await models.run(request, () => {}, new AbortController().signal);
    const here = await inProcessModelRunner.run(request, () => {}, new AbortController().signal);
    expect(Object.keys(there).sort()).toEqual(Object.keys(here).sort());
    for (const suffix of Object.keys(here)) {
      expect(tableFromIPC(there[suffix]!).toArray().map((row) => row.toJSON())).toEqual(tableFromIPC(here[suffix]!).toArray().map((row) => row.toJSON()));
    }
    const members = tableFromIPC(there['']!).toArray().map((row) => [row.customer_id, row.cluster]);
    // The three recent, frequent customers share a cluster; the three lapsed ones the other.
    expect(new Set(members.slice(0, 3).map(([, cluster]) => cluster)).size).toBe(1);
    expect(members[0]![1]).not.toBe(members[3]![1]);
  });

  it('sends the carried columns the page keeps back, so the server leaves them out of the table as this process does', async () => {
    const withoutIds = tableToIPC(tableFromArrays({ recency_days: Float64Array.from([1, 2, 3, 100, 110, 120]), frequency: Float64Array.from([9, 8, 10, 1, 2, 1]) }), 'stream');
    const carrying = { ...request, inputs: { rfm: withoutIds }, carried: ['customer_id'] };
    const there = await models.run(carrying, () => {}, new AbortController().signal);
    const here = await inProcessModelRunner.run({ ...carrying, inputs: { rfm: withoutIds.slice() } }, () => {}, new AbortController().signal);
    expect(tableFromIPC(there['']!).schema.fields.map((field) => field.name)).toEqual(['cluster', 'segment', 'recency_days', 'frequency']);
    expect(tableFromIPC(there['']!).toArray().map((row) => row.toJSON())).toEqual(tableFromIPC(here['']!).toArray().map((row) => row.toJSON()));
  });

  it('brings a model failure back as a ModelRunError with its kind', async () => {
    const error = await models.run({ ...request, params: { ...request.params, features: ['no_such_column'] } }, () => {}, new AbortController().signal).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelRunError);
    expect((error as ModelRunError).failure.kind).toBe('invalid-spec');
    expect((error as ModelRunError).message).toContain('no_such_column');
  });
});

describe('model cells in worker threads on the server', () => {
  /** k-means on this many customers takes seconds: long enough to see what runs meanwhile, and to cancel. */
  const manyCustomers = (n: number) =>
    tableToIPC(
      tableFromArrays({
        customer_id: Array.from({ length: n }, (_, i) => `c${i}`),
        x: Float64Array.from({ length: n }, (_, i) => (i * 7919) % 1000),
        y: Float64Array.from({ length: n }, (_, i) => (i * 104729) % 997),
      }),
      'stream',
    );

  it('leaves the server answering queries while a model runs, and cancelling stops the model', async () => {
    const controller = new AbortController();
    const slow = models.run({ model: 'kmeans', params: { features: ['x', 'y'], k: 12, seed: 1 }, inputs: { t: manyCustomers(150_000) } }, () => {}, controller.signal);
    const settled = slow.then(
      () => 'finished',
      (error: unknown) => (error as Error).name,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const asked = performance.now();
    expect((await remote.query('SELECT 42 AS answer')).get(0)?.answer).toBe(42);
    // A model on the server's own thread would hold this answer until it finished, seconds later.
    expect(performance.now() - asked).toBeLessThan(500);
    controller.abort();
    const cancelled = performance.now();
    expect(await settled).toMatch(/AbortError|CancelledError/);
    expect(performance.now() - cancelled).toBeLessThan(1_000);
    // The next run gets a fresh thread.
    const small = await models.run({ model: 'kmeans', params: { features: ['x', 'y'], k: 2, seed: 1 }, inputs: { t: manyCustomers(50) } }, () => {}, new AbortController().signal);
    expect(tableFromIPC(small['']!).numRows).toBe(50);
  }, 60_000);
});

describe('a notebook on the remote adapters', () => {
  it('gives the same tables as on a local database', async () => {
    const notebook = parseNotebook(`---
aisle: 1
title: Remote
---

\`\`\`input min_amount
{ "input": "number", "value": 3 }
\`\`\`

\`\`\`sql by_customer
SELECT customer, sum(amount) AS spend, count(*) AS orders FROM orders WHERE amount >= $min_amount GROUP BY customer ORDER BY customer
\`\`\`

\`\`\`model segments
{ "model": "kmeans", "input": "by_customer", "id": "customer", "features": ["spend", "orders"], "k": 2, "seed": 42 }
\`\`\`
`);
    const csv = 'order_id,customer,amount\n1,ann,10.5\n2,bob,20\n3,ann,7.25\n4,cid,3\n5,bob,1.5\n6,ann,4\n7,dee,30\n';
    const run = async (db: Database, runner: ModelRunner) => {
      const bytes = new TextEncoder().encode(csv);
      await importFile(db, nodeParquetCodec, { fileName: 'orders.csv', size: bytes.byteLength, source: { kind: 'bytes', bytes } }, { tableName: 'orders' });
      const scheduler = new Scheduler({ evaluate: createEvaluator(db, runner), onStates: () => {} });
      scheduler.update(notebook);
      scheduler.setDataTables(['orders']);
      await scheduler.runAll();
      const rows = async (table: string) => (await db.query(`SELECT * FROM ${table} ORDER BY ALL`)).toArray().map((row) => row.toJSON());
      return { byCustomer: await rows('by_customer'), segments: await rows('segments') };
    };
    const local = await openNodeDatabase();
    try {
      const there = await run(remote, models);
      const here = await run(local, taggedModelRunner(inProcessModelRunner));
      expect(there).toEqual(here);
      // ann 10.5 + 7.25 + 4, bob 20, cid 3, dee 30 (bob's 1.5 is under the minimum).
      expect(there.byCustomer.map((row) => [row.customer, row.spend])).toEqual([['ann', 21.75], ['bob', 20], ['cid', 3], ['dee', 30]]);
    } finally {
      await local.close();
    }
  }, 60_000);
});

describe('the app served with its token', () => {
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path.replace(/^\//, '')}`, { headers, redirect: 'manual' });

  it('refuses the page, its files and the database without the token', async () => {
    for (const path of ['/', '/assets/app.js']) expect((await get(path)).status).toBe(401);
    expect((await fetch(`${server.url}db/query`, { method: 'POST', body: '{"sql":"SELECT 1"}' })).status).toBe(401);
    expect((await get(`/?token=wrong`)).status).toBe(401);
  });

  it('keeps a good token from the URL in an HttpOnly cookie and sends the page to / without it', async () => {
    const reply = await get(`/?token=${server.token}`);
    expect(reply.status).toBe(302);
    expect(reply.headers.get('location')).toBe('/');
    expect(reply.headers.get('set-cookie')).toBe(`aisle_token=${server.token}; HttpOnly; SameSite=Strict; Path=/`);
  });

  it('serves index.html with the tag that tells the app it runs on the server, and files under dist only', async () => {
    const cookie = { Cookie: `aisle_token=${server.token}` };
    const page = await get('/', cookie);
    expect(page.status).toBe(200);
    const html = await page.text();
    const threads = availableParallelism();
    const version = String((await remote.query('SELECT version() AS v')).get(0)?.v).replace(/^v/, '');
    const label = `DuckDB ${version} native, ${threads} thread${threads === 1 ? '' : 's'}`;
    // In memory, native DuckDB reads a Parquet file the page sends in place (a view over its copy): the page is told.
    expect(html).toContain(`<meta name="aisle-server" content="{&quot;engine&quot;:&quot;${label}&quot;,&quot;native&quot;:true,&quot;inPlace&quot;:true}" />`);
    expect(html.indexOf('aisle-server')).toBeLessThan(html.indexOf('<title>'));
    const script = await get('/assets/app.js', cookie);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe('export const app = 1;\n');
    expect((await get('/%2e%2e/secret.txt', cookie)).status).toBe(404);
    expect((await get('/missing.js', cookie)).status).toBe(404);
    expect((await get('/%E0%A4%A', cookie)).status).toBe(404);
    expect(await (await get('/api/openapi.json', cookie)).json()).toEqual({ error: 'the JSON API is off; start the server with --api to have it' });
  });
});

describe('the server on native DuckDB, locked down as the runner is', () => {
  it('runs on every core', async () => {
    expect(Number((await remote.query(`SELECT current_setting('threads') AS t`)).get(0)?.t)).toBe(availableParallelism());
  });

  it('reads a Parquet file the page sends as it is (streamed to its scratch folder), and no file of the server\'s own', async () => {
    const ipc = tableToIPC(tableFromArrays({ customer: ['ann', 'bob', 'ann'], amount: Float64Array.from([10.5, 20, 7.25]) }), 'stream');
    const parquet = await nodeParquetCodec.fromArrowIpc(ipc);
    // A Blob, as a picked file is: the adapter sends it without reading it into memory.
    const file = new Blob([parquet as Uint8Array<ArrayBuffer>]);
    await importFile(remote, nodeParquetCodec, { fileName: 'orders.parquet', size: file.size, source: { kind: 'handle', file } }, { tableName: 'orders_pq', parquetReader: 'duckdb' });
    const rows = (await remote.query('SELECT customer, sum(amount) AS spend FROM orders_pq GROUP BY customer ORDER BY customer')).toArray().map((row) => row.toJSON());
    expect(rows).toEqual([{ customer: 'ann', spend: 17.75 }, { customer: 'bob', spend: 20 }]);

    const secret = join(workDir, 'secret.txt');
    const refused = await remote.query(`SELECT * FROM read_csv('${secret}')`).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(QueryError);
    expect((refused as QueryError).message).toContain('SQL in Aisle cannot read or write fil');
    await expect(remote.query(`SET GLOBAL enable_external_access = true`)).rejects.toBeInstanceOf(QueryError);
  });

  it('reads a Parquet file the page sends in place when the server says so, and reclaims the copy a reload replaced', async () => {
    const inPlace = new RemoteDatabase(server.url, fetch, { Authorization: `Bearer ${server.token}` }, undefined, true);
    const parquet = await nodeParquetCodec.fromArrowIpc(tableToIPC(tableFromArrays({ customer: ['ann', 'bob'], amount: Float64Array.from([1.5, 2]) }), 'stream'));
    const load = (table: string) => importFile(inPlace, nodeParquetCodec, { fileName: 'o.parquet', size: parquet.length, source: { kind: 'handle', file: new Blob([parquet as Uint8Array<ArrayBuffer>]) } }, { tableName: table, parquetReader: 'duckdb' });
    const copyOf = async (view: string) => /read_parquet\('([^']+)'\)/.exec(String((await inPlace.query(`SELECT sql FROM duckdb_views() WHERE view_name = '${view}'`)).get(0)?.sql))![1]!;
    expect((await load('kept_orders')).kind).toBe('file');
    const first = await copyOf('kept_orders');
    await load('kept_orders');
    await load('other_orders');
    expect([existsSync(first), existsSync(await copyOf('kept_orders')), existsSync(await copyOf('other_orders'))]).toEqual([false, true, true]);
    expect((await inPlace.query('SELECT sum(amount) AS s FROM kept_orders')).get(0)?.s).toBe(3.5);
  });
});

describe('aisle serve when native DuckDB is missing, and with a database file', () => {
  const dist = () => join(workDir, 'dist');
  const html = async (running: RunningServer) => (await fetch(running.url, { headers: { Cookie: `aisle_token=${running.token}` } })).text();

  it('falls back to DuckDB-WASM and says so', async () => {
    const log: string[] = [];
    const running = await startServer({ api: false, distDir: dist(), port: 18760, nativePackage: join(workDir, 'no-native', 'package.json'), log: (line) => log.push(line) });
    try {
      expect(log).toContain(fallbackLine('auto'));
      expect(await html(running)).toMatch(/content="\{&quot;engine&quot;:&quot;DuckDB [\d.]+ WASM, 1 thread&quot;,&quot;native&quot;:false,&quot;inPlace&quot;:false\}"/);
    } finally {
      await running.close();
    }
  }, 60_000);

  it('keeps the app\'s tables in --db across restarts', async () => {
    const databasePath = join(workDir, 'shop.duckdb');
    const open = () => startServer({ api: false, distDir: dist(), port: 18761, databasePath });
    const first = await open();
    try {
      await new RemoteDatabase(first.url, fetch, { Authorization: `Bearer ${first.token}` }).query('CREATE TABLE kept AS SELECT 42 AS answer');
    } finally {
      await first.close();
    }
    const second = await open();
    try {
      const again = new RemoteDatabase(second.url, fetch, { Authorization: `Bearer ${second.token}` });
      expect((await again.query('SELECT answer FROM kept')).get(0)?.answer).toBe(42);
      // A database file keeps its tables, not views over copies that go with the process: files are loaded as tables.
      expect(await html(second)).toContain('&quot;native&quot;:true,&quot;inPlace&quot;:false}');
    } finally {
      await second.close();
    }
  }, 60_000);
});
