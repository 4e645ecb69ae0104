import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/cli/serve.ts';
import { TrinoDatabase } from '../../src/db/trino.ts';
import { jsonRows } from '../../src/engine/api/rows.ts';
import { parseNotebook } from '../../src/format/notebook-text.ts';
import { RemoteDatabase } from '../../src/db/remote.ts';
import { listTables } from '../../src/engine/catalog.ts';
import { displayReader } from '../../src/engine/result-page.ts';
import { Scheduler } from '../../src/engine/scheduler.ts';
import { createEvaluator } from '../../src/engine/evaluate/index.ts';
import { inProcessModelRunner } from '../../src/workers/node-runner.ts';
import type { DialectName } from '../../src/util/dialect/index.ts';
import { dropSchema, runOnDuckDb, trinoServer, type EngineRun } from './compare.ts';

const SCHEMA = 'engines_serve';
const SAMPLE = new URL('../../public/sample/online_retail_50k.parquet', import.meta.url).pathname;
const cell = (kind: string, name: string, source: string) => `\`\`\`${kind} ${name}\n${source}\n\`\`\``;

/** SQL cells, one reading an input, and a model cell (it runs in the server's worker threads). */
const NOTEBOOK = `---
aisle: 1
title: Countries API
data:
  sales: sample/online_retail_50k.parquet
---

${[
  cell('input', 'country', '{ "input": "select", "options": ["France", "Germany", "Spain"], "value": "France" }'),
  cell('sql', 'by_country', 'SELECT country, count(*) AS lines, count(DISTINCT customer_id) AS customers, round(sum(amount), 2) AS revenue\nFROM sales_clean GROUP BY country ORDER BY country'),
  cell('sql', 'country_customers', 'SELECT customer_id, count(*) AS lines, round(sum(amount), 2) AS spend\nFROM sales_clean WHERE country = $country GROUP BY customer_id ORDER BY customer_id'),
  cell('model', 'abc', '{ "model": "abc_xyz", "input": "sales_clean" }'),
].join('\n\n')}
`;

const work = mkdtempSync(join(tmpdir(), 'aisle-trino-serve-'));
const notebookPath = join(work, 'countries.md');
writeFileSync(notebookPath, NOTEBOOK);
const url = `trino://aisle@${trinoServer()}/hive/${SCHEMA}`;
let server: RunningServer;
let duck: EngineRun;
const logged: string[] = [];

beforeAll(async () => {
  // The same notebook on DuckDB over the sample file: what the server on Trino must answer.
  duck = await runOnDuckDb(parseNotebook(NOTEBOOK), SAMPLE);
  server = await startServer({ notebookPath, port: 0, trino: { url, tables: { sales: 'hive.retail.lines' } }, log: (line) => logged.push(line) });
});

afterAll(async () => {
  await server?.close();
  await duck?.db.close();
  rmSync(work, { recursive: true, force: true });
  await dropSchema(await TrinoDatabase.open(url), SCHEMA);
});

async function call(path: string, init: RequestInit = {}): Promise<{ status: number; body: any }> {
  // any: JSON read by path in the assertions
  const response = await fetch(new URL(path, server.url), { ...init, headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' } });
  return { status: response.status, body: await response.json() };
}

const onDuckDb = async (sql: string) => jsonRows(await duck.db.query(sql));
/** Rows with their fractional numbers to 1e-7: the engines add doubles in different orders (their last bits differ). */
const near = (rows: readonly Record<string, unknown>[]) =>
  rows.map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, typeof value === 'number' && !Number.isInteger(value) ? expect.closeTo(value, 7) : value])));
/** Rows in customer order: a Trino table keeps none. */
const byCustomer = (rows: readonly { customer_id?: unknown }[]) => [...rows].sort((a, b) => String(a.customer_id).localeCompare(String(b.customer_id)));

describe('aisle serve --api --engine trino://…', () => {
  it('runs the notebook on the cluster, its tables bound as the runner binds them, and says so in /health', async () => {
    expect(logged).toContain('the API: Trino ' + `${trinoServer()}/hive/${SCHEMA}`);
    expect(logged.some((line) => /^bound sales to hive\.retail\.lines: 50,000 rows; online-retail layout, sales_clean: 36,244 rows/.test(line))).toBe(true);
    expect(server.data).toEqual([expect.objectContaining({ table: 'sales', path: 'hive.retail.lines', rows: 50_000, cleanRows: 36_244 })]);
    const health = await call('/health');
    expect(health).toEqual({ status: 200, body: { status: 'ok', notebook: 'Countries API', engine: `Trino ${trinoServer()}/hive/${SCHEMA}`, cells: { done: 4, failed: 0 } } });
  });

  it('answers a lookup with the rows DuckDB computes', async () => {
    const germany = await call('/api/tables/by_country?country=Germany');
    expect(germany.status).toBe(200);
    const expected = await onDuckDb(`SELECT * FROM by_country WHERE country = 'Germany'`);
    expect(expected).toHaveLength(1);
    expect(germany.body).toEqual({ cell: 'by_country', rows: near(expected) });
    // The model's table, made in a worker thread from rows Trino sent, found by a product.
    const [product] = await onDuckDb('SELECT product_id FROM abc ORDER BY revenue DESC, product_id LIMIT 1');
    const found = await call(`/api/tables/abc?product_id=${encodeURIComponent(String(product!.product_id))}`);
    expect(found.body.rows).toEqual(near(await onDuckDb(`SELECT * FROM abc WHERE product_id = '${String(product!.product_id)}'`)));
    expect(found.body.rows).toHaveLength(1);
    // The model's output was written back into the cluster's schema, where the API read it.
    const written = await (await TrinoDatabase.open(url)).query('SELECT count(*) AS n FROM abc');
    expect(Number(written.get(0)?.n)).toBe(Number((await duck.db.query('SELECT count(*) AS n FROM abc')).get(0)?.n));
  });

  it('re-runs a cell with another input on the cluster, as DuckDB computes it', async () => {
    const germany = await call('/api/run/country_customers?limit=1000', { method: 'POST', body: JSON.stringify({ country: 'Germany' }) });
    expect(germany.status).toBe(200);
    const expected = await onDuckDb(`SELECT customer_id, count(*) AS lines, round(sum(amount), 2) AS spend FROM sales_clean WHERE country = 'Germany' GROUP BY customer_id`);
    expect(expected.length).toBeGreaterThan(2);
    expect({ ...germany.body, rows: byCustomer(germany.body.rows) }).toEqual({ cell: 'country_customers', inputs: { country: 'Germany' }, rowCount: expected.length, rows: near(byCustomer(expected)) });
    // A lookup sees the notebook's own value (France) again.
    const france = await call('/api/tables/country_customers?limit=1000');
    expect(byCustomer(france.body.rows)).toEqual(near(byCustomer(await onDuckDb('SELECT * FROM country_customers'))));
    expect(france.body.rows.length).toBeGreaterThan(2);
  });
});

describe('aisle serve --engine trino://… (the app): the page\'s remote Database', () => {
  const appSchema = 'engines_serve_app';
  const appUrl = `trino://aisle@${trinoServer()}/hive/${appSchema}`;
  const dist = mkdtempSync(join(tmpdir(), 'aisle-trino-dist-'));
  let app: RunningServer;
  let remote: RemoteDatabase;

  beforeAll(async () => {
    writeFileSync(join(dist, 'index.html'), '<!doctype html><html><head><title>Aisle</title></head><body></body></html>');
    app = await startServer({ api: false, distDir: dist, port: 0, trino: { url: appUrl, tables: { sales: 'hive.retail.lines' } } });
    const page = await fetch(new URL(`?token=${app.token}`, app.url), { redirect: 'manual' });
    const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
    const meta = readMeta(await (await fetch(app.url, { headers: { cookie } })).text());
    remote = new RemoteDatabase(app.url, undefined, { cookie }, meta.dialect);
  });

  afterAll(async () => {
    await app?.close();
    rmSync(dist, { recursive: true, force: true });
    await dropSchema(await TrinoDatabase.open(appUrl), appSchema);
  });

  /** The `<meta name="aisle-server">` the page reads at start. */
  function readMeta(html: string): { engine: string; native: boolean; dialect?: DialectName; catalogTables?: string[] } {
    const content = /<meta name="aisle-server" content="([^"]*)"/.exec(html)?.[1] ?? '{}';
    return JSON.parse(content.replaceAll('&quot;', '"').replaceAll('&lt;', '<').replaceAll('&amp;', '&'));
  }

  it('tells the page the engine, its dialect and the bound tables', async () => {
    const page = await fetch(new URL(`?token=${app.token}`, app.url), { redirect: 'manual' });
    const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
    expect(readMeta(await (await fetch(app.url, { headers: { cookie } })).text())).toEqual({
      engine: `Trino ${trinoServer()}/hive/${appSchema}`,
      native: false,
      inPlace: false,
      dialect: 'trino',
      catalogTables: ['sales'],
    });
  });

  it('lists the bound table, its canonical view and clean table, and pages them as DuckDB shows them', async () => {
    const tables = await listTables(remote);
    const byName = Object.fromEntries(tables.map((table) => [table.name, table]));
    expect(Object.keys(byName).sort()).toEqual(['sales', 'sales_canonical', 'sales_clean']);
    expect(byName.sales_clean!.rowCount).toBe(Number((await duck.db.query('SELECT count(*) AS n FROM sales_clean')).get(0)?.n));
    const columns = byName.sales_clean!.columns;
    const sort = { column: 'amount', descending: true };
    const onTrino = await displayReader(remote, byName.sales_clean!, columns, 'en-US').page({ offset: 0, limit: 5, sort });
    const onDuck = await displayReader(duck.db, { name: 'sales_clean', kind: 'table' }, columns, 'en-US').page({ offset: 0, limit: 5, sort });
    expect(onTrino).toEqual(onDuck);
    expect(onTrino).toHaveLength(5);
  });

  it('runs the notebook\'s SQL and model cells through the page\'s remote Database, as DuckDB computes them', async () => {
    const scheduler = new Scheduler({ evaluate: createEvaluator(remote, inProcessModelRunner), onStates: () => {} });
    const notebook = parseNotebook(NOTEBOOK);
    scheduler.update(notebook);
    scheduler.setDataTables(['sales']);
    await scheduler.runAll();
    expect(notebook.cells.filter((one) => one.kind !== 'markdown').map((one) => scheduler.cellStates[one.id]?.status)).toEqual(['done', 'done', 'done', 'done']);
    expect(near(jsonRows(await remote.query('SELECT * FROM by_country ORDER BY country')))).toEqual(jsonRows(await duck.db.query('SELECT * FROM by_country ORDER BY country')));
  });

  it('refuses a file the page sends, in words', async () => {
    const bytes = new TextEncoder().encode('a,b\n1,2\n');
    await expect(remote.registerFile('orders.csv', { kind: 'bytes', bytes })).rejects.toThrow('orders.csv: a Trino engine reads tables from its catalog and uploads no file');
  });
});
