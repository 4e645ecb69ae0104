// A Parquet file loaded on native DuckDB is served in place: a view over the database's own copy of the file, data
// like a loaded table (listed, renamed, removed, bound and set aside as one), with the same rows as the file's table.
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadNativeDuckDb, NativeDatabase } from '../../../src/db/duckdb-native.ts';
import { nodeParquetCodec } from '../../../src/db/parquet-node.ts';
import { DataFileError, importFile } from '../../../src/engine/datasets.ts';
import { listTables } from '../../../src/engine/catalog.ts';
import { bindTable, setAsideName, unbindTable } from '../../../src/engine/bindings.ts';
import { removeLoadedTable, renameLoadedTable } from '../../../src/engine/loaded-tables.ts';
import { markLoadedTable, markedLoadedTables } from '../../../src/engine/data-tables.ts';
import { prepareRetailTable } from '../../../src/engine/retail-table.ts';

const SAMPLE = new URL('../../../public/sample/online_retail_50k.parquet', import.meta.url).pathname;
let folder: string;
let db: NativeDatabase;

/** importFile as `aisle run` and `aisle serve --data` call it: the file by its path, read by native DuckDB. */
async function loadByPath(path: string, tableName: string) {
  const source = await db.fileSource(path);
  return importFile(db, nodeParquetCodec, { fileName: 'sales.parquet', size: statSync(path).size, source }, { tableName, parquetReader: 'duckdb' });
}

async function rows(sql: string): Promise<Record<string, unknown>[]> {
  return (await db.query(sql)).toArray().map((row) => ({ ...row.toJSON() }));
}

async function kinds(): Promise<Record<string, string>> {
  return Object.fromEntries((await listTables(db)).map((table) => [table.name, table.kind]));
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'aisle-in-place-'));
  const api = await loadNativeDuckDb();
  if (api === null) throw new Error('native DuckDB is not installed in native/node_modules; run npm install');
  db = await NativeDatabase.open(api, { parquet: nodeParquetCodec, threads: 2 });
});
afterAll(async () => {
  await db?.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('a Parquet file loaded on native DuckDB', () => {
  it('is a view over its own copy with the rows, in the order, the row-group import gives; the user\'s file may change or go', async () => {
    const userFile = join(folder, 'mine.parquet');
    copyFileSync(SAMPLE, userFile);
    const info = await loadByPath(userFile, 'sales');
    expect(info).toMatchObject({ name: 'sales', kind: 'file', rowCount: 50_000 });
    // The reference: the same file decoded row group by row group and inserted as a table (the tab's way).
    const bytes = new Uint8Array(await import('node:fs').then((fs) => fs.readFileSync(SAMPLE)));
    const table = await importFile(db, nodeParquetCodec, { fileName: 'sales.parquet', size: bytes.length, source: { kind: 'bytes', bytes } }, { tableName: 'sales_table' });
    expect(table.kind).toBe('table');
    expect(info.columns).toEqual(table.columns);
    const differing = await rows('SELECT (SELECT count(*) FROM (SELECT * FROM sales EXCEPT ALL SELECT * FROM sales_table)) AS a, (SELECT count(*) FROM (SELECT * FROM sales_table EXCEPT ALL SELECT * FROM sales)) AS b');
    expect(differing).toEqual([{ a: 0n, b: 0n }]);
    // Row order too: the first and last lines as the file has them.
    expect(await rows('SELECT * FROM sales LIMIT 3')).toEqual(await rows('SELECT * FROM sales_table LIMIT 3'));
    expect(await rows('SELECT * FROM sales OFFSET 49998')).toEqual(await rows('SELECT * FROM sales_table OFFSET 49998'));
    // What DuckDB holds: a view marked as loaded data.
    expect(await rows("SELECT view_name, comment FROM duckdb_views() WHERE view_name = 'sales'")).toEqual([{ view_name: 'sales', comment: 'aisle: loaded data' }]);
    expect(await kinds()).toMatchObject({ sales: 'file', sales_table: 'table' });
    // The user's file is overwritten, then deleted: the loaded data does not move.
    writeFileSync(userFile, 'not parquet any more');
    expect(await rows('SELECT count(*) AS n FROM sales')).toEqual([{ n: 50_000n }]);
    rmSync(userFile);
    expect(await rows('SELECT count(*) AS n FROM sales')).toEqual([{ n: 50_000n }]);
    await db.query('DROP TABLE sales_table');
  });

  it('is cleaned like a table: the same clean table and counts as the file\'s table gives', async () => {
    const report = await prepareRetailTable(db, 'sales', (await listTables(db)).find((table) => table.name === 'sales')!.columns);
    expect(report?.cleanTable).toBe('sales_clean');
    const bytes = new Uint8Array(await import('node:fs').then((fs) => fs.readFileSync(SAMPLE)));
    await importFile(db, nodeParquetCodec, { fileName: 'shop.parquet', size: bytes.length, source: { kind: 'bytes', bytes } }, { tableName: 'shop' });
    const reference = await prepareRetailTable(db, 'shop', (await listTables(db)).find((table) => table.name === 'shop')!.columns);
    expect(report?.cleaning).toEqual(reference?.cleaning);
    expect(await rows('SELECT count(*) AS n FROM (SELECT * FROM sales_clean EXCEPT ALL SELECT * FROM shop_clean)')).toEqual([{ n: 0n }]);
    await removeLoadedTable(db, 'shop');
  });

  it('is renamed, marked, set aside by a binding and put back, and removed, as a loaded table is', async () => {
    await renameLoadedTable(db, 'sales', 'orders');
    expect(await kinds()).toMatchObject({ orders: 'file' });
    expect((await kinds()).sales).toBeUndefined();
    await markLoadedTable(db, 'orders');
    expect(await markedLoadedTables(db)).toContain('orders');
    // A notebook binds its `orders` to another loaded table: the file is set aside (not dropped) and comes back.
    await db.query("CREATE TABLE other AS SELECT 1 AS x");
    await bindTable(db, 'orders', { table: 'other' });
    expect(await rows('SELECT * FROM orders')).toEqual([{ x: 1 }]);
    expect(await rows(`SELECT count(*) AS n FROM "${setAsideName('orders')}"`)).toEqual([{ n: 50_000n }]);
    expect(await unbindTable(db, 'orders')).toBe(true);
    expect(await rows('SELECT count(*) AS n FROM orders')).toEqual([{ n: 50_000n }]);
    expect(await kinds()).toMatchObject({ orders: 'file' });
    await removeLoadedTable(db, 'orders');
    expect((await kinds()).orders).toBeUndefined();
    await db.query('DROP TABLE other');
  });

  it('replaces a table of its name, and is replaced by a model output or a table of its name', async () => {
    await db.query('CREATE TABLE sales AS SELECT 1 AS x');
    const userFile = join(folder, 'again.parquet');
    copyFileSync(SAMPLE, userFile);
    await loadByPath(userFile, 'sales');
    expect(await kinds()).toMatchObject({ sales: 'file' });
    const bytes = new Uint8Array(await import('node:fs').then((fs) => fs.readFileSync(SAMPLE)));
    await importFile(db, nodeParquetCodec, { fileName: 'sales.parquet', size: bytes.length, source: { kind: 'bytes', bytes } }, { tableName: 'sales' });
    expect(await kinds()).toMatchObject({ sales: 'table' });
    await loadByPath(userFile, 'sales');
    const { tableFromArrays, tableToIPC } = await import('apache-arrow');
    await db.insertArrowIpc('sales', tableToIPC(tableFromArrays({ x: Int32Array.from([7]) }), 'stream'));
    expect(await rows('SELECT * FROM sales')).toEqual([{ x: 7 }]);
    expect(await kinds()).toMatchObject({ sales: 'table' });
    await db.query('DROP TABLE sales');
  });

  it('that is not Parquet fails naming the file, and what held the name stays', async () => {
    await db.query('CREATE TABLE sales AS SELECT 1 AS x');
    const bad = join(folder, 'bad.parquet');
    writeFileSync(bad, 'PAR1 but nothing after it');
    const failure = await loadByPath(bad, 'sales').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DataFileError);
    expect((failure as Error).message).toMatch(/^Could not read "sales\.parquet" as PARQUET: /);
    expect(await rows('SELECT * FROM sales')).toEqual([{ x: 1 }]);
    await db.query('DROP TABLE sales');
  });

  it('keeps only the copies its views read: a replaced file\'s copy goes before the next copy is made', async () => {
    const viewedPath = async (view: string) => /read_parquet\('([^']+)'\)/.exec(String((await rows(`SELECT sql FROM duckdb_views() WHERE view_name = '${view}'`))[0]?.sql))![1]!;
    const userFile = join(folder, 'reloaded.parquet');
    copyFileSync(SAMPLE, userFile);
    await loadByPath(userFile, 'reloaded');
    const first = await viewedPath('reloaded');
    await loadByPath(userFile, 'reloaded');
    const second = await viewedPath('reloaded');
    expect(second).not.toBe(first);
    expect([existsSync(first), existsSync(second)]).toEqual([true, true]);
    await loadByPath(userFile, 'another');
    expect([existsSync(first), existsSync(second), existsSync(await viewedPath('another'))]).toEqual([false, true, true]);
    expect(await rows('SELECT count(*) AS n FROM reloaded')).toEqual([{ n: 50_000n }]);
    // Removed: its copy goes with the next load, and the other view's stays.
    await removeLoadedTable(db, 'reloaded');
    await loadByPath(userFile, 'third');
    expect([existsSync(second), existsSync(await viewedPath('another'))]).toEqual([false, true]);
    expect(await rows('SELECT count(*) AS n FROM another')).toEqual([{ n: 50_000n }]);
  });

  it('is still read once SQL is locked out of every folder but the scratch one', async () => {
    const userFile = join(folder, 'locked.parquet');
    copyFileSync(SAMPLE, userFile);
    await loadByPath(userFile, 'locked');
    await db.lockDown();
    expect(await rows('SELECT count(*) AS n FROM locked')).toEqual([{ n: 50_000n }]);
    await expect(db.query(`SELECT count(*) FROM read_parquet('${userFile}')`)).rejects.toThrow(/cannot read or write files on this machine/);
  });
});
