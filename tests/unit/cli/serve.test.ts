import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, parseServeArguments, serveMain, type RunningServer } from '../../../src/cli/serve.ts';
import { UsageError } from '../../../src/cli/arguments.ts';

/** Ports 18700–18749 are this suite's. */
const PORT = 18731;

const ORDERS_CSV = `order_id,customer,region,amount
1,ann,north,10.5
2,bob,south,20
3,ann,north,7.25
4,cid,east,3
5,bob,south,1.5
6,ann,west,4
7,"x' OR '1'='1",north,2
`;

const cell = (kind: string, name: string, source: string) => `\`\`\`${kind} ${name}\n${source}\n\`\`\``;

const NOTEBOOK = `---
aisle: 1
title: Orders API
data:
  orders: orders.csv
---

${[
  cell('input', 'min_amount', '{ "input": "number", "min": 0, "value": 5 }'),
  cell('input', 'region', '{ "input": "select", "options": ["north", "south", "east", "west"], "value": "north" }'),
  cell('sql', 'by_customer', 'SELECT customer, sum(amount) AS spend, count(*)::INTEGER AS orders FROM orders\nWHERE amount >= $min_amount GROUP BY customer ORDER BY customer'),
  cell('sql', 'in_region', 'SELECT order_id, customer, amount FROM orders WHERE region = $region ORDER BY order_id'),
  cell('sql', 'regions', 'SELECT region, count(*)::INTEGER AS n FROM orders GROUP BY region ORDER BY region'),
  cell('chart', 'regions_chart', '{ "data": "regions", "marks": [{ "mark": "barY", "x": "region", "y": "n" }] }'),
  cell('sql', 'broken', 'SELECT no_such_column FROM orders'),
].join('\n\n')}
`;

let workDir: string;
let server: RunningServer;
let base: string;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'aisle-serve-'));
  await writeFile(join(workDir, 'orders.csv'), ORDERS_CSV);
  await writeFile(join(workDir, 'orders.md'), NOTEBOOK);
  server = await startServer({ notebookPath: join(workDir, 'orders.md'), port: PORT });
  base = `http://127.0.0.1:${PORT}`;
}, 60_000);

afterAll(async () => {
  await server?.close();
  await rm(workDir, { recursive: true, force: true });
});

interface Reply {
  status: number;
  body: any; // any: JSON read by path in the assertions
  headers: Headers;
}

async function call(path: string, init: RequestInit & { token?: string | null } = {}): Promise<Reply> {
  const { token = server.token, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (token !== null) headers.set('Authorization', `Bearer ${token}`);
  const response = await fetch(`${base}${path}`, { ...rest, headers });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

const post = (path: string, body: unknown, token?: string | null) => call(path, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), token });

describe('aisle serve --api, over real HTTP on 127.0.0.1', () => {
  it('listens on loopback with a fresh random token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${PORT}/`);
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('refuses every endpoint without the token, or with a wrong one, with 401 JSON', async () => {
    for (const path of ['/health', '/api/openapi.json', '/api/tables/regions', '/api/tables/nope']) {
      const reply = await call(path, { token: null });
      expect(reply.status).toBe(401);
      expect(reply.body.error).toContain('a token is required');
      expect(reply.headers.get('www-authenticate')).toBe('Bearer');
    }
    expect((await post('/api/run/by_customer', { min_amount: 1 }, null)).status).toBe(401);
    expect((await call('/health', { token: `${server.token.slice(0, -1)}x` })).status).toBe(401);
    expect((await call(`/health?token=wrong`, { token: null })).status).toBe(401);
    expect((await call(`/health?token=${server.token}`, { token: null })).status).toBe(200);
  });

  it('GET /health says the notebook and the engine', async () => {
    const reply = await call('/health');
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('application/json; charset=utf-8');
    // 4 tables and 2 inputs ran; the chart too; broken failed.
    expect(reply.body).toEqual({ status: 'ok', notebook: 'Orders API', engine: expect.stringContaining('DuckDB'), cells: { done: 6, failed: 1 } });
  });

  it('GET /api/tables/<cell> finds rows by column values, as bound parameters', async () => {
    const ann = await call('/api/tables/by_customer?customer=ann');
    expect(ann.status).toBe(200);
    // min_amount = 5 keeps orders 1, 2, 3: ann 10.5 + 7.25 over 2 orders.
    expect(ann.body).toEqual({ cell: 'by_customer', rows: [{ customer: 'ann', spend: 17.75, orders: 2 }] });
    expect((await call('/api/tables/regions?n=2')).body.rows).toEqual([{ region: 'south', n: 2 }]);
    expect((await call('/api/tables/regions?region=north&n=3')).body.rows).toEqual([{ region: 'north', n: 3 }]);
    expect((await call('/api/tables/regions?limit=1')).body.rows).toEqual([{ region: 'east', n: 1 }]);
    expect((await call('/api/tables/in_region?customer=ann&amount=7.25')).body.rows).toEqual([{ order_id: 3, customer: 'ann', amount: 7.25 }]);
    expect((await call('/api/tables/by_customer?customer=nobody')).body.rows).toEqual([]);
  });

  it('a value with SQL in it matches only itself, literally, or nothing', async () => {
    const injection = `x' OR '1'='1`;
    const literal = await call(`/api/tables/in_region?customer=${encodeURIComponent(injection)}`);
    expect(literal.status).toBe(200);
    expect(literal.body.rows).toEqual([{ order_id: 7, customer: injection, amount: 2 }]);
    for (const value of [`ann' OR 1=1 --`, `'; DROP TABLE orders; --`, `" OR ""="`]) {
      const reply = await call(`/api/tables/in_region?customer=${encodeURIComponent(value)}`);
      expect(reply).toMatchObject({ status: 200, body: { rows: [] } });
    }
    expect((await call('/api/tables/regions')).body.rows).toHaveLength(4);
    const numeric = await call(`/api/tables/regions?n=${encodeURIComponent('1 OR 1=1')}`);
    expect(numeric).toMatchObject({ status: 400, body: { error: 'column n of regions holds whole numbers (INTEGER); "1 OR 1=1" is not one' } });
    // The same from the rows held for lookups, asked again and again, on a cell no input feeds and on a number column.
    for (let round = 0; round < 3; round++) {
      expect((await call(`/api/tables/regions?region=${encodeURIComponent(`north' OR '1'='1`)}`)).body.rows).toEqual([]);
      expect((await call(`/api/tables/regions?region=${encodeURIComponent('north')}`)).body.rows).toEqual([{ region: 'north', n: 3 }]);
      expect((await call(`/api/tables/in_region?amount=${encodeURIComponent('2 OR 1=1')}`)).status).toBe(400);
    }
  });

  it('answers an unknown cell with 404, a cell without a table with 404, a failed cell with 409, an unknown column with 400', async () => {
    expect(await call('/api/tables/nope')).toMatchObject({ status: 404, body: { error: expect.stringContaining('no cell named "nope"; the cells with tables are by_customer, in_region, regions') } });
    expect(await call('/api/tables/regions_chart')).toMatchObject({ status: 404, body: { error: 'cell regions_chart is a chart cell; it makes no table' } });
    expect(await call('/api/tables/min_amount')).toMatchObject({ status: 404 });
    expect(await call('/api/tables/broken')).toMatchObject({ status: 409, body: { error: expect.stringContaining('cell broken did not run') } });
    expect(await call('/api/tables/regions?regoin=north')).toMatchObject({ status: 400, body: { error: 'unknown column "regoin" in cell regions (did you mean "region"?); its columns are region, n' } });
    expect(await call('/api/tables/regions?limit=0')).toMatchObject({ status: 400 });
    expect(await call('/api/nothing')).toMatchObject({ status: 404 });
    const wrongMethod = await call('/api/tables/regions', { method: 'POST' });
    expect(wrongMethod).toMatchObject({ status: 405 });
    expect(wrongMethod.headers.get('allow')).toBe('GET, HEAD');
  });

  it('POST /api/run/<cell> re-runs the cell with the inputs given and returns its rows', async () => {
    const reply = await post('/api/run/by_customer', { min_amount: 2 });
    expect(reply.status).toBe(200);
    // min_amount = 2 keeps every order but 5 (1.5): ann 10.5 + 7.25 + 4, bob 20, cid 3, and the quoted customer's 2.
    expect(reply.body).toEqual({
      cell: 'by_customer',
      inputs: { min_amount: 2 },
      rowCount: 4,
      rows: [
        { customer: 'ann', spend: 21.75, orders: 3 },
        { customer: 'bob', spend: 20, orders: 1 },
        { customer: 'cid', spend: 3, orders: 1 },
        { customer: `x' OR '1'='1`, spend: 2, orders: 1 },
      ],
    });
    const south = await post('/api/run/in_region?limit=1', { region: 'south' });
    expect(south.body).toEqual({ cell: 'in_region', inputs: { region: 'south' }, rowCount: 2, rows: [{ order_id: 2, customer: 'bob', amount: 20 }] });
    // Without a body the notebook's own values are used.
    expect((await post('/api/run/by_customer', '')).body).toMatchObject({ inputs: { min_amount: 5 }, rowCount: 2 });
  });

  it('a lookup after a run sees the notebook\'s own inputs, not the run\'s', async () => {
    await post('/api/run/by_customer', { min_amount: 0 });
    expect((await call('/api/tables/by_customer?customer=bob')).body.rows).toEqual([{ customer: 'bob', spend: 20, orders: 1 }]);
    expect((await call('/api/tables/by_customer')).body.rows.map((row: { customer: string }) => row.customer)).toEqual(['ann', 'bob']);
  });

  it('concurrent runs and lookups each see only their own inputs', async () => {
    const minimums = [0, 2, 5, 10, 15, 21];
    // Spend per customer of the orders at or above each minimum, computed from the CSV rows.
    const orders: [string, number][] = [['ann', 10.5], ['bob', 20], ['ann', 7.25], ['cid', 3], ['bob', 1.5], ['ann', 4], [`x' OR '1'='1`, 2]];
    const expected = (minimum: number) => {
      const spend = new Map<string, number>();
      for (const [customer, amount] of orders) if (amount >= minimum) spend.set(customer, (spend.get(customer) ?? 0) + amount);
      return [...spend].sort(([a], [b]) => (a < b ? -1 : 1)).map(([customer, total]) => [customer, total]);
    };
    const runs = minimums.map((minimum) => post('/api/run/by_customer', { min_amount: minimum }));
    const lookups = minimums.map(() => call('/api/tables/by_customer'));
    const [runReplies, lookupReplies] = await Promise.all([Promise.all(runs), Promise.all(lookups)]);
    runReplies.forEach((reply, index) => {
      const minimum = minimums[index]!;
      expect(reply.body.inputs).toEqual({ min_amount: minimum });
      expect(reply.body.rows.map((row: { customer: string; spend: number }) => [row.customer, row.spend])).toEqual(expected(minimum));
    });
    for (const reply of lookupReplies) expect(reply.body.rows.map((row: { customer: string; spend: number }) => [row.customer, row.spend])).toEqual(expected(5));
  });

  it('refuses bad input values, unknown inputs and bodies that are not JSON with 400 naming the problem', async () => {
    expect(await post('/api/run/by_customer', { min_amount: 'five' })).toMatchObject({ status: 400, body: { error: 'input min_amount expects a number (it is a number); got "five"' } });
    expect(await post('/api/run/by_customer', { min_amount: -1 })).toMatchObject({ status: 400, body: { error: 'input min_amount expects a number of at least 0; got -1' } });
    expect(await post('/api/run/in_region', { region: `north' OR '1'='1` })).toMatchObject({ status: 400, body: { error: expect.stringContaining('is not one of its options') } });
    expect(await post('/api/run/by_customer', { region: 'south' })).toMatchObject({ status: 400, body: { error: 'input region does not feed by_customer; the inputs by_customer reads are min_amount' } });
    expect(await post('/api/run/by_customer', { min_amout: 1 })).toMatchObject({ status: 400, body: { error: expect.stringContaining('"min_amout" is not an input of this notebook (did you mean "min_amount"?)') } });
    expect(await post('/api/run/by_customer', '{"min_amount": ')).toMatchObject({ status: 400, body: { error: expect.stringContaining('the body is not JSON') } });
    expect(await post('/api/run/by_customer', [1])).toMatchObject({ status: 400, body: { error: expect.stringContaining('must be a JSON object') } });
    expect(await post('/api/run/nope', {})).toMatchObject({ status: 404 });
    expect(await post('/api/run/broken', {})).toMatchObject({ status: 409, body: { error: expect.stringContaining('no_such_column') } });
    expect(await call('/api/run/by_customer')).toMatchObject({ status: 405 });
    // After all of those the notebook's values still hold.
    expect((await call('/api/tables/by_customer')).body.rows).toHaveLength(2);
  });

  it('GET /api/openapi.json describes the cells with tables, their columns and the inputs each takes', async () => {
    const reply = await call('/api/openapi.json');
    expect(reply.status).toBe(200);
    const { paths } = reply.body;
    expect(Object.keys(paths)).toEqual(['/health', '/api/tables/by_customer', '/api/run/by_customer', '/api/tables/in_region', '/api/run/in_region', '/api/tables/regions', '/api/run/regions']);
    expect(paths['/api/tables/by_customer'].get.parameters.map((p: { name: string }) => p.name)).toEqual(['customer', 'spend', 'orders', 'limit']);
    expect(paths['/api/run/in_region'].post.requestBody.content['application/json'].schema.properties).toEqual({
      region: { type: ['string', 'number'], enum: ['north', 'south', 'east', 'west'], default: 'north' },
    });
    expect(paths['/api/run/regions'].post.requestBody.content['application/json'].schema.properties).toEqual({});
  });
});

describe('aisle serve arguments', () => {
  it('reads the notebook, data, port and host, on 127.0.0.1:8765 by default', () => {
    expect(parseServeArguments(['book.md', '--api', '--data', 'sales=big.parquet'])).toEqual({
      notebookPath: 'book.md',
      data: { sales: 'big.parquet' },
      port: 8765,
      host: '127.0.0.1',
      api: true,
      app: false,
      quiet: false,
      engine: 'auto',
    });
    expect(parseServeArguments(['book.md', '--api', '--port', '0', '--host', '0.0.0.0'])).toMatchObject({ port: 0, host: '0.0.0.0' });
  });

  it('takes --engine auto|native|wasm and --db for the app\'s tables, refusing what cannot work', () => {
    expect(parseServeArguments(['--engine', 'wasm'])).toMatchObject({ engine: 'wasm', app: true });
    expect(parseServeArguments(['--db', 'shop.duckdb'])).toMatchObject({ engine: 'auto', databasePath: 'shop.duckdb' });
    expect(() => parseServeArguments(['--engine', 'gpu'])).toThrow('--engine must be auto, native, wasm or trino://user@host:port/catalog/schema, got "gpu"');
    expect(() => parseServeArguments(['--db', 'shop.duckdb', '--engine', 'wasm'])).toThrow('--db needs native DuckDB');
    expect(() => parseServeArguments(['book.md', '--api', '--db', 'shop.duckdb'])).toThrow('--db keeps the app\'s tables');
    expect(parseServeArguments(['--memory-limit', '8GB'])).toMatchObject({ memoryLimit: '8GB' });
    expect(() => parseServeArguments(['--memory-limit', 'lots'])).toThrow('--memory-limit takes a size like 8GB or 512MB, got "lots"');
    expect(() => parseServeArguments(['--memory-limit', '8GB', '--engine', 'wasm'])).toThrow('--memory-limit is native DuckDB');
  });

  it('takes a Trino engine with its --table bindings, for the API or the app, refusing what it cannot do', () => {
    const cluster = 'trino://aisle@127.0.0.1:18080/hive/work';
    expect(parseServeArguments(['book.md', '--api', '--engine', cluster, '--table', 'sales=hive.retail.lines'])).toEqual({
      notebookPath: 'book.md',
      data: {},
      port: 8765,
      host: '127.0.0.1',
      api: true,
      app: false,
      quiet: false,
      engine: 'auto',
      trino: { url: cluster, tables: { sales: 'hive.retail.lines' } },
    });
    expect(parseServeArguments(['--engine', cluster, '--table', 'sales=hive.retail.lines', '--table', 'orders=hive.shop.orders'])).toMatchObject({
      api: false,
      app: true,
      trino: { url: cluster, tables: { sales: 'hive.retail.lines', orders: 'hive.shop.orders' } },
    });
    expect(() => parseServeArguments(['book.md', '--api', '--engine', cluster, '--data', 'sales=a.parquet'])).toThrow(
      '--data uploads a file, which a Trino engine does not; name catalog tables with --table name=catalog.schema.table',
    );
    expect(() => parseServeArguments(['--table', 'sales=hive.retail.lines'])).toThrow('--table names a catalog table of a Trino engine; give --engine trino://…');
    expect(() => parseServeArguments(['--engine', cluster, '--db', 'shop.duckdb'])).toThrow("--db keeps the app's tables in a DuckDB file; a Trino engine keeps them in its catalog.schema");
    expect(() => parseServeArguments(['book.md', '--api', '--app', '--engine', cluster])).toThrow(/--api --app on a Trino engine .* start two servers/);
    expect(() => parseServeArguments(['--engine', cluster, '--table', 'sales=lines'])).toThrow('--table sales=lines: name the catalog table as catalog.schema.table');
  });

  it('serves the app without --api, and both with --api --app', () => {
    expect(parseServeArguments([])).toMatchObject({ notebookPath: undefined, api: false, app: true });
    expect(parseServeArguments(['book.md', '--api', '--app'])).toMatchObject({ api: true, app: true });
    expect(() => parseServeArguments(['--api'])).toThrow("--api serves a notebook's results");
    expect(() => parseServeArguments(['book.md'])).toThrow("the app opens notebooks itself; to serve book.md's results add --api");
  });

  it('refuses what it cannot serve, naming the argument', () => {
    expect(() => parseServeArguments(['a.md', 'b.md', '--api'])).toThrow('one notebook per server');
    expect(() => parseServeArguments(['book.md', '--api', '--port', '70000'])).toThrow('--port must be a whole number from 0 to 65535, got "70000"');
    expect(() => parseServeArguments(['book.md', '--api', '--data', 'sales'])).toThrow('--data expects name=path, got "sales"');
    expect(() => parseServeArguments(['book.md', '--api', '--nope'])).toThrow(UsageError);
  });

  it('warns when told to listen beyond this machine, and exits 2 when the notebook cannot be read', async () => {
    const err: string[] = [];
    const status = await serveMain(['missing.md', '--api', '--host', '0.0.0.0', '--port', '18732'], { out: () => {}, err: (line) => err.push(line) }, Promise.resolve());
    expect(status).toBe(2);
    expect(err[0]).toMatch(/^warning: listening on 0\.0\.0\.0, not only this machine/);
    expect(err[1]).toContain('cannot read notebook "missing.md"');
  });
});
