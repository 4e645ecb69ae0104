import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tableFromArrays, tableFromIPC, tableToIPC, type Table } from 'apache-arrow';
import { readParquet } from 'parquet-wasm';
import { runNotebook, type RunSummary } from '../../../src/cli/run.ts';
import { loadTable } from '../../../src/cli/data.ts';
import { main, type Output } from '../../../src/cli/main.ts';
import { fallbackLine, openEngine } from '../../../src/cli/engine.ts';
import { loadNativeDuckDb } from '../../../src/db/duckdb-native.ts';
import { parseNotebook } from '../../../src/format/notebook-text.ts';
import { isNamed } from '../../../src/engine/notebook.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MISSING_PACKAGE = join(ROOT, 'no-such-folder', 'package.json');

/** Native DuckDB is installed by the root postinstall; a missing one is a failure here, never a quiet pass. */
async function requireNative(): Promise<void> {
  if ((await loadNativeDuckDb()) === null) {
    throw new Error(`native DuckDB is not installed in native/node_modules${process.env.CI ? ' (CI must install it: npm ci runs the postinstall)' : ''}; run npm install`);
  }
}

type Row = Record<string, unknown>;

/** Rows as plain values: nested Arrow vectors become arrays, bigints stay bigints. */
function rowsOf(table: Table): Row[] {
  const unwrap = (value: unknown): unknown => {
    if (value !== null && typeof value === 'object' && 'toArray' in value && typeof value.toArray === 'function') return Array.from(value.toArray() as ArrayLike<unknown>, unwrap);
    if (value !== null && typeof value === 'object' && 'toJSON' in value && typeof value.toJSON === 'function') return unwrap(value.toJSON());
    if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrap(v)]));
    return value;
  };
  return table.toArray().map((row) => unwrap(row) as Row);
}

/** A value as compared: numbers (and bigints) as numbers, dates as their time, nested values as JSON. */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.getTime();
  if (value !== null && typeof value === 'object') return JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? Number(v) : v));
  return value;
}

/** A sort key that puts equal rows together whatever the last bits of their doubles. */
function sortKey(row: Row): string {
  return JSON.stringify(Object.values(row).map((value) => {
    const v = plain(value);
    return typeof v === 'number' ? Number(v.toPrecision(8)) : v;
  }));
}

function sameValue(a: unknown, b: unknown): boolean {
  const x = plain(a);
  const y = plain(b);
  if (typeof x === 'number' && typeof y === 'number') {
    if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) && Number.isNaN(y);
    return x === y || Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y));
  }
  return x === y;
}

/** Rows ordered by a query: runs of rows whose numbers are all equal may be in either order (ORDER BY ties). */
function tieGroups(rows: Row[]): Row[][] {
  const numbers = (row: Row) => JSON.stringify(Object.values(row).map(plain).filter((v) => typeof v === 'number').map((v) => Number((v as number).toPrecision(8))));
  const groups: Row[][] = [];
  let last: string | undefined;
  for (const row of rows) {
    const key = numbers(row);
    if (key === last) groups[groups.length - 1]?.push(row);
    else groups.push([row]);
    last = key;
  }
  return groups;
}

const sorted = (rows: Row[]) => [...rows].sort((x, y) => sortKey(x).localeCompare(sortKey(y)));

/** The first difference between two tables' rows (in order, ties aside, or as multisets), or null. */
function difference(expected: Row[], actual: Row[], ordered: boolean): string | null {
  if (expected.length !== actual.length) return `${actual.length} rows, expected ${expected.length}`;
  const [a, b] = ordered ? [tieGroups(expected).flatMap(sorted), actual] : [sorted(expected), sorted(actual)];
  // In order: the actual rows are grouped by the expected rows' tie runs, each run sorted.
  const got = ordered ? cutLike(tieGroups(expected), b).flatMap(sorted) : b;
  for (let i = 0; i < a.length; i++) {
    const want = a[i] as Row;
    const row = got[i] as Row;
    for (const column of Object.keys(want)) {
      if (!sameValue(want[column], row[column])) return `row ${i}, ${column}: ${String(plain(row[column]))}, expected ${String(plain(want[column]))}`;
    }
  }
  return null;
}

/** `rows` cut into runs as long as `groups`' runs. */
function cutLike(groups: Row[][], rows: Row[]): Row[][] {
  let start = 0;
  return groups.map((group) => rows.slice(start, (start += group.length)));
}

/** Cells whose query ends in ORDER BY: their row order is part of the result. */
function orderedCells(text: string): Set<string> {
  const notebook = parseNotebook(text);
  return new Set(notebook.cells.filter(isNamed).filter((cell) => cell.kind === 'sql' && /\border\s+by\b[^()]*$/is.test(cell.source.trim())).map((cell) => cell.name));
}

async function tablesOf(dir: string): Promise<Map<string, Table>> {
  const tables = new Map<string, Table>();
  for (const file of await readdir(dir)) {
    if (!file.endsWith('.parquet')) continue;
    tables.set(file.replace(/\.parquet$/, ''), tableFromIPC(readParquet(new Uint8Array(await readFile(join(dir, file)))).intoIPCStream()));
  }
  return tables;
}

let workDir: string;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'aisle-engine-'));
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

describe('native DuckDB gives the tables DuckDB-WASM gives', () => {
  it.each(['retail-tour', 'retail-dashboard'])('%s on the 50k sample, every cell, row by row', async (name) => {
    await requireNative();
    const notebookPath = join(ROOT, 'notebooks', `${name}.md`);
    const runs: Record<string, RunSummary> = {};
    for (const engine of ['wasm', 'native'] as const) {
      runs[engine] = await runNotebook({ notebookPath, engine, outDir: join(workDir, name, engine), format: 'parquet' });
    }
    const wasm = runs.wasm as RunSummary;
    const native = runs.native as RunSummary;
    expect(wasm.engine).toMatch(/^DuckDB 1\.4\.\d+ WASM, 1 thread$/);
    expect(native.engine).toMatch(/^DuckDB 1\.4\.\d+ native, \d+ threads?$/);
    expect(wasm.ok).toBe(true);
    expect(native.ok).toBe(true);
    expect(native.data.map((d) => [d.table, d.rows, d.cleanRows])).toEqual(wasm.data.map((d) => [d.table, d.rows, d.cleanRows]));
    expect(native.cells.map((c) => [c.cell, c.state, c.rows, c.value])).toEqual(wasm.cells.map((c) => [c.cell, c.state, c.rows, c.value]));

    const ordered = orderedCells(await readFile(notebookPath, 'utf8'));
    const expected = await tablesOf(join(workDir, name, 'wasm'));
    const actual = await tablesOf(join(workDir, name, 'native'));
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    expect(expected.size).toBeGreaterThan(3);
    const problems: string[] = [];
    for (const [cell, want] of expected) {
      const got = actual.get(cell) as Table;
      const types = (table: Table) => table.schema.fields.map((field) => `${field.name}: ${String(field.type)}`);
      if (JSON.stringify(types(got)) !== JSON.stringify(types(want))) problems.push(`${cell}: columns ${types(got).join(', ')}; expected ${types(want).join(', ')}`);
      const problem = difference(rowsOf(want), rowsOf(got), ordered.has(cell));
      if (problem !== null) problems.push(`${cell}: ${problem}`);
    }
    expect(problems).toEqual([]);
  }, 240_000);
});

describe('the native adapter', () => {
  it('returns the Arrow types the WASM adapter returns, value for value', async () => {
    await requireNative();
    const sql = `SELECT 1::TINYINT a, 2::SMALLINT b, 3::INTEGER c, 9007199254740993::BIGINT d, 5::HUGEINT e, 6::UBIGINT f, 1.5::FLOAT g,
      2.5::DOUBLE h, 12.34::DECIMAL(10,2) i, sum(7::BIGINT) j, 'x' k, true l, DATE '2011-01-02' m, TIMESTAMP '2011-01-02 03:04:05.123456' n,
      TIME '01:02:03' o, [1, 2] q, {'a': 1, 'b': 'z'} r, ['a', NULL] s, NULL::INTEGER t, avg(3) u, count(*) v, '\\x01'::BLOB w`;
    const [wasm, native] = await Promise.all([openEngine({ engine: 'wasm' }), openEngine({ engine: 'native' })]);
    try {
      expect(native.kind).toBe('native');
      const want = await wasm.db.query(sql);
      const got = await native.db.query(sql);
      expect(got.schema.fields.map((f) => `${f.name}: ${String(f.type)}`)).toEqual(want.schema.fields.map((f) => `${f.name}: ${String(f.type)}`));
      expect(rowsOf(got)).toEqual(rowsOf(want));
      expect(rowsOf(got)[0]?.d).toBe(9007199254740993n);
      // Parameters are bound, never spliced, and typed as the WASM adapter types them.
      const params = [3, "it's", true, "x'); DROP TABLE t; --"];
      const bound = 'SELECT typeof(?) a, ? b, ? c, ? d';
      expect(rowsOf(await native.db.query(bound, { params }))).toEqual(rowsOf(await wasm.db.query(bound, { params })));
    } finally {
      await Promise.all([wasm.db.close(), native.db.close()]);
    }
  });

  it('exports a relation as the WASM adapter exports it, type for type and value for value, through Parquet or not', async () => {
    await requireNative();
    // The first table takes the Parquet path (every type comes back alike); the second has a TIME and a list, so the
    // value-by-value path. An ENUM goes as a dictionary of its text, a DECIMAL as a double, as WASM's export gives them.
    const tables = {
      flat: `SELECT i::INTEGER a, (i * 9007199254740)::BIGINT b, i / 3 c, (i * 1.25)::DECIMAL(12,2) d, 'n' || i e, i % 2 = 0 f,
        DATE '2011-01-02' + i::INTEGER g, TIMESTAMP '2011-01-02 03:04:05.123456' + i * INTERVAL 1 HOUR h,
        (['x', 'y'])[1 + i % 2]::ENUM('x', 'y') k, CASE WHEN i % 3 = 0 THEN NULL ELSE i END AS m FROM range(2500) t(i)`,
      nested: `SELECT i::INTEGER a, TIME '01:02:03' t, [i, i + 1] l FROM range(10) t(i)`,
    };
    const [wasm, native] = await Promise.all([openEngine({ engine: 'wasm' }), openEngine({ engine: 'native' })]);
    try {
      for (const [name, sql] of Object.entries(tables)) {
        const setup = `CREATE TYPE IF NOT EXISTS xy AS ENUM ('x', 'y'); CREATE TABLE ${name} AS ${sql.replace("ENUM('x', 'y')", 'xy')}`;
        await wasm.db.query(setup);
        await native.db.query(setup);
        const want = tableFromIPC(await wasm.db.exportArrowIpc(name));
        const got = tableFromIPC(await native.db.exportArrowIpc(name));
        expect(got.schema.fields.map((f) => `${f.name}: ${String(f.type)}`), name).toEqual(want.schema.fields.map((f) => `${f.name}: ${String(f.type)}`));
        expect(rowsOf(got), name).toEqual(rowsOf(want));
      }
    } finally {
      await Promise.all([wasm.db.close(), native.db.close()]);
    }
  });

  it('stops a long query when its signal aborts, and stays usable', async () => {
    await requireNative();
    const engine = await openEngine({ engine: 'native' });
    try {
      const controller = new AbortController();
      const started = performance.now();
      setTimeout(() => controller.abort(), 300);
      const error = await engine.db
        .query('SELECT count(*) FROM range(2000000000) a, range(1000) b WHERE a.range + b.range = 1', { signal: controller.signal })
        .then(() => new Error('finished'), (rejection: Error) => rejection);
      expect(error.name).toBe('AbortError');
      expect(error.message).toBe('Cancelled');
      expect(performance.now() - started).toBeLessThan(10_000);
      expect(rowsOf(await engine.db.query('SELECT 41 + 1 AS n'))).toEqual([{ n: 42 }]);
    } finally {
      await engine.db.close();
    }
  });

  it('appends Arrow parts one by one once locked down, and a part that fails leaves the old table as it was', async () => {
    await requireNative();
    const engine = await openEngine({ engine: 'native' });
    try {
      const part = (customers: string[], spend: number[]) => tableToIPC(tableFromArrays({ customer: customers, spend: Float64Array.from(spend) }), 'stream');
      async function* parts() {
        yield part(['ann'], [1.5]);
        yield part(['bob', 'cy'], [2, 3.25]);
      }
      await engine.db.insertArrowIpc('spend', parts());
      const read = async () => rowsOf(await engine.db.query('SELECT * FROM spend ORDER BY customer'));
      expect(await read()).toEqual([{ customer: 'ann', spend: 1.5 }, { customer: 'bob', spend: 2 }, { customer: 'cy', spend: 3.25 }]);
      async function* broken() {
        yield part(['dee'], [9]);
        throw new Error('the second row group could not be read');
      }
      await expect(engine.db.insertArrowIpc('spend', broken())).rejects.toThrow('the second row group could not be read');
      expect(await read()).toEqual([{ customer: 'ann', spend: 1.5 }, { customer: 'bob', spend: 2 }, { customer: 'cy', spend: 3.25 }]);
      expect(rowsOf(await engine.db.query("SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE table_name LIKE '__aisle_insert_%'"))).toEqual([{ n: 0 }]);
    } finally {
      await engine.db.close();
    }
  });

  it('reads the data files while loading them, and afterwards no file but its own scratch files', async () => {
    await requireNative();
    const dataDir = await mkdtemp(join(workDir, 'data-'));
    const elsewhere = await mkdtemp(join(workDir, 'elsewhere-'));
    const orders = join(dataDir, 'orders.csv');
    await writeFile(orders, 'id,amount\n1,10\n2,20\n');
    await writeFile(join(elsewhere, 'secret.csv'), 'id\n7\n');
    const engine = await openEngine({ engine: 'native', load: async (opened) => void (await loadTable(opened, 'orders', { path: orders, options: {} }, () => {})) });
    try {
      expect(rowsOf(await engine.db.query('SELECT sum(amount)::INTEGER AS s FROM orders'))).toEqual([{ s: 30 }]);
      // CSV export writes through the scratch folder.
      const csv = new TextDecoder().decode(await engine.db.exportCsv('SELECT 1 AS one'));
      expect(csv.trim()).toBe('one\n1');
      const refused = {
        'read_csv of the loaded data file': `SELECT * FROM read_csv('${orders}')`,
        'COPY TO the data file, in place': `COPY (SELECT 3 AS id) TO '${orders}' (USE_TMP_FILE false)`,
        'COPY TO beside the data file': `COPY (SELECT 1) TO '${join(dataDir, 'out.csv')}'`,
        'read_csv of another file': `SELECT * FROM read_csv('${join(elsewhere, 'secret.csv')}')`,
        'read_text of a system file': "SELECT * FROM read_text('/etc/hostname')",
        'read_csv of a URL': "SELECT * FROM read_csv('http://127.0.0.1:9/a.csv')",
        'ATTACH the data file': `ATTACH '${orders}' AS x`,
        'ATTACH a new file': `ATTACH '${join(elsewhere, 'x.duckdb')}' AS x`,
        'loading an extension': 'LOAD httpfs',
        'switching external access back on': 'SET GLOBAL enable_external_access = true',
        'allowing another directory': "SET GLOBAL allowed_directories = ['/']",
        'unlocking the configuration': 'SET lock_configuration = false',
      };
      for (const [what, sql] of Object.entries(refused)) {
        const error = await engine.db.query(sql).then(() => new Error(`${what} ran`), (rejection: Error) => rejection);
        expect(`${what}: ${error.name}`).toBe(`${what}: QueryError`);
        expect(error.message, what).toMatch(/^(SQL in Aisle cannot|DuckDB's setting ".*" is fixed by Aisle)/);
      }
      expect(await readdir(dataDir)).toEqual(['orders.csv']);
      expect(await readFile(orders, 'utf8')).toBe('id,amount\n1,10\n2,20\n');
      await expect(engine.source(orders)).rejects.toThrow(/locked down/);
    } finally {
      await engine.db.close();
    }
  });

  it('loads --data files by path with the text options given, and removes its temp folder on close', async () => {
    await requireNative();
    const dataDir = await mkdtemp(join(workDir, 'semi-'));
    // Latin-1, semicolons and a decimal comma: read as the app reads it (the encoding rewritten to scratch first).
    await writeFile(join(dataDir, 'prices.txt'), Buffer.from('item;price\ncaf\xe9;1,5\nth\xe9;2,25\n', 'latin1'));
    await writeFile(
      join(dataDir, 'book.md'),
      "---\naisle: 1\ntitle: Prices\ndata:\n  prices: prices.txt\n---\n\n```sql total\nSELECT string_agg(item, '+' ORDER BY item) AS items, sum(price) AS total FROM prices\n```\n",
    );
    const temps = async () => (await readdir(tmpdir())).filter((name) => name.startsWith('aisle-native-')).sort();
    const before = await temps();
    const lines: string[] = [];
    const summary = await runNotebook({
      notebookPath: join(dataDir, 'book.md'),
      engine: 'native',
      publicDir: join(workDir, 'no-public'),
      dataOptions: { prices: { text: { delimiter: ';', decimalSeparator: ',', encoding: 'windows-1252' } } },
      outDir: join(dataDir, 'out'),
      log: (line) => lines.push(line),
    });
    expect(summary.ok).toBe(true);
    expect(lines[0]).toMatch(/^engine: DuckDB 1\.4\.\d+ native, \d+ threads?$/);
    expect((await readFile(join(dataDir, 'out', 'total.csv'), 'utf8')).trim()).toBe('items,total\ncafé+thé,3.75');
    expect(await temps()).toEqual(before);
  });
});

describe('a memory limit', () => {
  it('reaches native DuckDB as its memory_limit, after the lockdown too; WASM refuses it', async () => {
    await requireNative();
    const engine = await openEngine({ engine: 'native', memoryLimit: '512MB' });
    try {
      // 512 MB = 512,000,000 bytes = 488.28 MiB, which DuckDB shows as 488.2 MiB.
      expect(rowsOf(await engine.db.query("SELECT current_setting('memory_limit') AS m"))).toEqual([{ m: '488.2 MiB' }]);
    } finally {
      await engine.db.close();
    }
    await expect(openEngine({ engine: 'wasm', memoryLimit: '512MB' })).rejects.toThrow('a memory limit (512MB) is native DuckDB\'s, and --engine wasm was asked for');
  });
});

describe('without native DuckDB', () => {
  it('falls back to DuckDB-WASM and says so in one line', async () => {
    const engine = await openEngine({ engine: 'auto', nativePackage: MISSING_PACKAGE });
    try {
      expect(engine.kind).toBe('wasm');
      expect(engine.fallback).toBe(fallbackLine('auto'));
      expect(engine.fallback).toMatch(/native DuckDB is not installed here .*running on DuckDB-WASM/);
      expect(rowsOf(await engine.db.query('SELECT 6 * 7 AS n'))).toEqual([{ n: 42 }]);
    } finally {
      await engine.db.close();
    }
  });

  it('runs the notebook on WASM when --engine native cannot be had, saying so even when quiet', async () => {
    const warned: string[] = [];
    const summary = await runNotebook({
      notebookPath: join(ROOT, 'notebooks', 'retail-tour.md'),
      engine: 'native',
      nativePackage: MISSING_PACKAGE,
      warn: (line) => warned.push(line),
    });
    expect(warned).toEqual([fallbackLine('native')]);
    expect(warned[0]).toMatch(/^--engine native: native DuckDB is not installed/);
    expect(summary.engine).toMatch(/WASM, 1 thread$/);
    expect(summary.ok).toBe(true);
  }, 120_000);

  it('refuses an engine it does not know', async () => {
    const err: string[] = [];
    const output: Output = { out: () => {}, err: (line) => err.push(line) };
    expect(await main(['run', 'x.md', '--engine', 'gpu'], output)).toBe(2);
    expect(err.join('\n')).toContain('--engine must be auto, native, wasm or trino://user@host:port/catalog/schema, got "gpu"');
  });
});
