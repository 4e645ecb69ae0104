import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeDatabase } from '../../../src/db/duckdb-node.ts';
import type { Database } from '../../../src/engine/ports.ts';

// A canary on loopback: any request that reaches it is a leak.
let canary: Server;
let canaryUrl: string;
const received: string[] = [];
let db: Database;

beforeAll(async () => {
  canary = createServer((request, response) => {
    received.push(request.url ?? '');
    response.end('id\n1\n');
  });
  await new Promise<void>((resolve) => canary.listen(0, '127.0.0.1', resolve));
  canaryUrl = `http://127.0.0.1:${(canary.address() as AddressInfo).port}`;
  db = await openNodeDatabase();
  await db.query("CREATE TABLE sales AS SELECT * FROM (VALUES ('12346', 10.0), ('12347', 20.5)) t(customer_id, amount)");
});

afterAll(async () => {
  await db.close();
  await new Promise((resolve) => canary.close(resolve));
});

/** The statements of issue #13 item 10, each a way notebook SQL could reach the network or the disk. */
const ATTACKS = (url: string): Record<string, string> => ({
  'read_csv of a URL': `SELECT * FROM read_csv('${url}/a.csv')`,
  'a URL as a table': `SELECT * FROM '${url}/b.csv'`,
  'read_text of a URL': `SELECT * FROM read_text('${url}/c')`,
  'read_blob of a URL': `SELECT * FROM read_blob('${url}/d')`,
  'a URL built in a variable': `SET VARIABLE leak = '${url}/x?ids=' || (SELECT string_agg(customer_id, '-') FROM sales); SELECT * FROM read_csv(getvariable('leak'))`,
  'ATTACH a URL': `ATTACH '${url}/e.db' AS remote`,
  'COPY to a URL': `COPY (SELECT * FROM sales) TO '${url}/f.csv'`,
  'a local file': `SELECT * FROM read_text('/etc/hostname')`,
  'COPY to a local file': `COPY sales TO '/tmp/aisle-leak.csv'`,
  'loading httpfs': 'LOAD httpfs',
  'switching external access back on': 'SET enable_external_access = true',
  'switching it back on globally': 'SET GLOBAL enable_external_access = true',
  'resetting it': 'RESET enable_external_access',
  'unlocking the configuration': 'SET lock_configuration = false',
  'allowing another directory': "SET allowed_directories = ['/']",
});

describe('notebook SQL cannot leave the page', () => {
  it.each(Object.keys(ATTACKS('')))('refuses %s, in plain words', async (attack) => {
    const sql = ATTACKS(canaryUrl)[attack] ?? '';
    const error: Error = await db.query(sql).then(
      () => new Error('ran'),
      (rejection: Error) => rejection,
    );
    expect(error.name).toBe('QueryError');
    expect(error.message).toMatch(/^(SQL in Aisle cannot|DuckDB's setting ".*" is fixed by Aisle)/);
    expect(received).toEqual([]);
  });

  it('still reads files the app registered, and writes its own exports', async () => {
    const path = await db.registerFile('small.csv', { kind: 'bytes', bytes: new TextEncoder().encode('a\n1\n2\n') });
    const table = await db.query(`SELECT sum(a)::INTEGER AS total FROM read_csv('${path}')`);
    expect(table.getChild('total')?.get(0)).toBe(3);
    await db.dropFile(path);
    expect(new TextDecoder().decode(await db.exportCsv('SELECT * FROM sales'))).toBe('customer_id,amount\n12346,10.0\n12347,20.5\n');
    expect(received).toEqual([]);
  });

  it('names the URL it refused', async () => {
    await expect(db.query(`SELECT * FROM read_csv('${canaryUrl}/a.csv')`)).rejects.toThrow(
      `SQL in Aisle cannot reach the network ("${canaryUrl}/a.csv"): your data stays in this page.`,
    );
  });
});
