import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableFromIPC } from 'apache-arrow';
import { openNodeDatabase } from '../../../src/db/duckdb-node.ts';
import type { Database } from '../../../src/engine/ports.ts';
import { exportModelInput } from '../../../src/engine/model-inputs.ts';
import { frameFromIpc } from '../../../src/models/kit/frame.ts';
import { openNative } from '../helpers/engines.ts';

let db: Database;

beforeAll(async () => {
  db = await openNodeDatabase();
  // Nulls in every column, text beyond ASCII (accents, CJK, an emoji), 64-bit ids past 2^32, a repeated value.
  await db.query(`CREATE TABLE lines AS SELECT * FROM (VALUES
    ('C-17850', 'WHITE HANGING HEART T-LIGHT HOLDER', 17850::BIGINT, 6::INTEGER, 2.55::DOUBLE, NULL::VARCHAR),
    (NULL, 'Café crème — 日本 🎁', 4294967311, NULL, -1.25, NULL),
    ('C-13047', NULL, NULL, 8, NULL, NULL),
    ('C-17850', 'Café crème — 日本 🎁', 9007199254740991, -3, 0.1, NULL)
  ) v(customer_id, description, big_id, quantity, price, empty)`);
});

afterAll(async () => {
  await db.close();
});

const expected = {
  customer_id: ['C-17850', null, 'C-13047', 'C-17850'],
  description: ['WHITE HANGING HEART T-LIGHT HOLDER', 'Café crème — 日本 🎁', null, 'Café crème — 日本 🎁'],
  big_id: [17850, 4294967311, Number.NaN, 9007199254740991],
  quantity: [6, Number.NaN, 8, -3],
  price: [2.55, -1.25, Number.NaN, 0.1],
  empty: [null, null, null, null],
};

function values(column: ReturnType<typeof frameFromIpc>['columns'][string] | undefined): unknown[] {
  return column === undefined ? [] : Array.isArray(column) ? [...column] : Array.from(column as Float64Array);
}

function plain(frame: ReturnType<typeof frameFromIpc>) {
  return Object.fromEntries(Object.entries(frame.columns).map(([name, column]) => [name, values(column)]));
}

describe('a model input leaves DuckDB as the worker reads it', () => {
  it('every value round-trips exactly: text with nulls and unicode, integers past 2^32, doubles, NaN for null numbers', async () => {
    const frame = frameFromIpc(await exportModelInput(db, 'lines', undefined));
    expect(frame.rowCount).toBe(4);
    expect(plain(frame)).toEqual(expected);
  });

  it('text that repeats travels as dictionary codes, not as one string per row; unique text as text', async () => {
    await db.query(`CREATE OR REPLACE TABLE repeats AS
      SELECT 'C-' || (i % 3) AS customer_id, ['Café crème', 'WHITE HEART', NULL][1 + (i % 3)::INTEGER] AS description, 'U-' || i AS invoice_id
      FROM range(100) t(i)`);
    const ipc = await exportModelInput(db, 'repeats', ['customer_id', 'description', 'invoice_id']);
    const table = tableFromIPC(ipc);
    // 3 customers and 2 descriptions in 100 rows are codes; 100 distinct invoice ids would make a dictionary as
    // long as the column, so they go as plain text.
    expect(table.schema.fields.map((field) => [field.name, String(field.type)])).toEqual([
      ['customer_id', 'Dictionary<Uint8, Utf8>'],
      ['description', 'Dictionary<Uint8, Utf8>'],
      ['invoice_id', 'Utf8'],
    ]);
    expect(table.getChild('description')!.data[0]!.dictionary!.length).toBe(2);
    const frame = frameFromIpc(ipc);
    expect((frame.columns.invoice_id as string[]).slice(0, 3)).toEqual(['U-0', 'U-1', 'U-2']);
    expect((frame.columns.description as (string | null)[]).slice(0, 4)).toEqual(['Café crème', 'WHITE HEART', null, 'Café crème']);
  });

  it('only the columns the model reads are sent, in the table order', async () => {
    const frame = frameFromIpc(await exportModelInput(db, 'lines', ['price', 'customer_id']));
    expect(plain(frame)).toEqual({ customer_id: expected.customer_id, price: expected.price });
  });

  it('a column the table lacks sends every column, so the model can name what there is', async () => {
    const frame = frameFromIpc(await exportModelInput(db, 'lines', ['price', 'custmer_id']));
    expect(Object.keys(frame.columns)).toEqual(Object.keys(expected));
  });

  it('the same frame as the plain export read row by row (the reference decoder), and nothing left in the catalog', async () => {
    const reference = tableFromIPC(await db.exportArrowIpc('lines'));
    const frame = frameFromIpc(await exportModelInput(db, 'lines', undefined));
    for (const field of reference.schema.fields) {
      const vector = reference.getChild(field.name)!;
      const rows = Array.from({ length: vector.length }, (_, row) => vector.get(row) as unknown);
      const column = values(frame.columns[field.name]);
      expect(column, field.name).toEqual(rows.map((value) => (value === null ? (typeof column[0] === 'number' ? Number.NaN : null) : typeof value === 'bigint' ? Number(value) : value)));
    }
    const left = await db.query(`SELECT count(*)::INTEGER AS n FROM information_schema.tables WHERE starts_with(table_name, '__aisle_model_input')`);
    const types = await db.query(`SELECT count(*)::INTEGER AS n FROM duckdb_types() WHERE starts_with(type_name, '__aisle_model_input')`);
    expect([left.getChild('n')!.get(0), types.getChild('n')!.get(0)]).toEqual([0, 0]);
  });
});

describe('a model input from an engine that keeps no row order (Trino dialect)', () => {
  // DuckDB under Trino's dialect name: the same SQL path as on a cluster, with rows stored out of customer order. Its
  // results are read back through IPC, as Trino's adapter builds them, with this package's Arrow classes.
  const unordered = (): Database => ({
    ...db,
    dialect: 'trino',
    query: async (sql, options) => {
      await db.query(`CREATE OR REPLACE TABLE __as_trino AS ${sql}`, options);
      return tableFromIPC(await db.exportArrowIpc('__as_trino'));
    },
    exportArrowIpc: db.exportArrowIpc.bind(db),
  });

  beforeAll(async () => {
    await db.query(`CREATE TABLE scattered AS SELECT * FROM (VALUES
      ('C-3', 9.0, 1, 'x'), ('C-1', 5.0, 2, 'y'), ('C-2', 5.0, 1, 'z'), ('C-1', 2.0, 7, 'w')
    ) v(customer_id, recency, frequency, note)`);
  });

  it('sends only the columns the model reads, in the order of all the columns sorted left to right', async () => {
    const frame = frameFromIpc(await exportModelInput(unordered(), 'scattered', ['recency', 'frequency']));
    // Sorted by (customer_id, recency, frequency, note): C-1/2.0, C-1/5.0, C-2/5.0, C-3/9.0.
    expect(plain(frame)).toEqual({ recency: [2, 5, 5, 9], frequency: [7, 2, 1, 1] });
  });

  it('a column the table lacks sends every column, sorted', async () => {
    const frame = frameFromIpc(await exportModelInput(unordered(), 'scattered', ['recency', 'monetary']));
    expect(plain(frame)).toEqual({ customer_id: ['C-1', 'C-1', 'C-2', 'C-3'], recency: [2, 5, 5, 9], frequency: [7, 2, 1, 1], note: ['w', 'y', 'z', 'x'] });
  });
});

describe('a model input from native DuckDB (its export goes through Parquet)', () => {
  // More rows than one Parquet row group (122,880), so the codes come back in several batches; NULLs, a quote and text
  // beyond ASCII among the repeated values. The expected rows are computed here from the same formulas.
  const ROWS = 300_000;
  const DESCRIPTIONS = ['Café crème', "it's", '日本 🎁', 'WHITE HEART'];
  let native: Database;
  beforeAll(async () => {
    native = await openNative();
    await native.query(`CREATE TABLE lines AS SELECT 'C-' || (i % 997) AS customer_id,
      CASE WHEN i % 7 = 0 THEN NULL ELSE ['Café crème', 'it''s', '日本 🎁', 'WHITE HEART'][1 + (i % 4)::INTEGER] END AS description,
      'U-' || i AS invoice_id, i * 0.5 AS amount FROM range(${ROWS}) t(i) ORDER BY i`);
  }, 60_000);
  afterAll(async () => native?.close());

  it('sends repeated text as dictionary codes, every value as it was, and leaves nothing in the catalog', async () => {
    const ipc = await exportModelInput(native, 'lines', undefined);
    const table = tableFromIPC(ipc);
    // Codes as DuckDB-WASM's export gives them: unsigned, as wide as the dictionary needs.
    expect(table.schema.fields.map((field) => [field.name, String(field.type)])).toEqual([
      ['customer_id', 'Dictionary<Uint16, Utf8>'],
      ['description', 'Dictionary<Uint8, Utf8>'],
      ['invoice_id', 'Utf8'],
      ['amount', 'Float64'],
    ]);
    expect(table.batches.length).toBeGreaterThan(1);
    expect(table.getChild('customer_id')!.data[0]!.dictionary!.length).toBe(997);
    const frame = frameFromIpc(ipc);
    const rows = Array.from({ length: ROWS }, (_, i) => i);
    expect(frame.columns.customer_id).toEqual(rows.map((i) => `C-${i % 997}`));
    expect(frame.columns.description).toEqual(rows.map((i) => (i % 7 === 0 ? null : DESCRIPTIONS[i % 4])));
    expect((frame.columns.invoice_id as string[]).slice(-2)).toEqual([`U-${ROWS - 2}`, `U-${ROWS - 1}`]);
    expect(Array.from(frame.columns.amount as Float64Array).slice(0, 3)).toEqual([0, 0.5, 1]);
    const types = await native.query(`SELECT count(*)::INTEGER AS n FROM duckdb_types() WHERE starts_with(type_name, '__aisle_model_input')`);
    expect(Number(types.getChild('n')!.get(0))).toBe(0);
  }, 60_000);
});
