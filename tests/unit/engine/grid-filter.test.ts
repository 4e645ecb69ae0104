import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeDatabase } from '../../../src/db/duckdb-node.ts';
import { describe as describeRelation } from '../../../src/engine/catalog.ts';
import type { Database } from '../../../src/engine/ports.ts';
import { displayReader } from '../../../src/engine/result-page.ts';
import { countFiltered, filterCellSql, filterWhere, parseBound, pickValues, type ColumnFilter } from '../../../src/engine/grid-filter.ts';

interface Line {
  readonly invoice: string;
  readonly country: string | null;
  readonly quantity: number | null;
  readonly price: number;
}

// The fixture, written once as data: the database gets it as VALUES and the expected rows are filtered here by hand.
const LINES: readonly Line[] = [
  { invoice: 'A1', country: 'France', quantity: 1, price: 2.5 },
  { invoice: 'A2', country: 'FRANCE', quantity: 10, price: 10 },
  { invoice: 'A3', country: "Côte d'Ivoire", quantity: 5, price: 0.99 },
  { invoice: 'A4', country: 'United Kingdom', quantity: -3, price: 4.25 },
  { invoice: 'A5', country: null, quantity: 7, price: 1 },
  { invoice: 'A6', country: 'Germany', quantity: null, price: 3 },
  { invoice: 'A7', country: "O'Neil's 100%_land", quantity: 10, price: 9.999 },
  { invoice: 'A8', country: 'Francesca', quantity: 11, price: 12 },
];

function sqlValue(value: string | number | null): string {
  if (value === null) return 'NULL';
  return typeof value === 'number' ? String(value) : `'${value.replaceAll("'", "''")}'`;
}

async function invoicesWhere(db: Database, filters: readonly ColumnFilter[]): Promise<string[]> {
  const sql = filterCellSql('lines', filters);
  const table = await db.query(`SELECT invoice FROM (${sql}) ORDER BY invoice`);
  return table.toArray().map((row: { invoice: string }) => row.invoice);
}

describe('grid filters run by DuckDB (issue #16 item 6)', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openNodeDatabase();
    const values = LINES.map((line) => `(${[line.invoice, line.country, line.quantity, line.price].map(sqlValue).join(', ')})`).join(',\n');
    await db.query(`CREATE TABLE lines AS SELECT invoice, country, quantity::INTEGER AS quantity, price::DOUBLE AS price
      FROM (VALUES ${values}) t(invoice, country, quantity, price)`);
  });
  afterAll(async () => {
    await db.close();
  });

  it('text contains is case-insensitive and leaves out nulls', async () => {
    const filters: ColumnFilter[] = [{ kind: 'contains', column: 'country', text: 'fRaN' }];
    const byHand = LINES.filter((line) => line.country?.toLowerCase().includes('fran')).map((line) => line.invoice);
    expect(byHand).toEqual(['A1', 'A2', 'A8']);
    expect(await invoicesWhere(db, filters)).toEqual(byHand);
    expect(await countFiltered(db, 'lines', filters)).toBe(byHand.length);
  });

  it('a numeric range includes both bounds; an open side is unbounded', async () => {
    const between = LINES.filter((line) => line.quantity !== null && line.quantity >= 5 && line.quantity <= 10).map((line) => line.invoice);
    expect(between).toEqual(['A2', 'A3', 'A5', 'A7']);
    expect(await invoicesWhere(db, [{ kind: 'range', column: 'quantity', min: 5, max: 10 }])).toEqual(between);
    const atLeast = LINES.filter((line) => line.price >= 9.999).map((line) => line.invoice);
    expect(await invoicesWhere(db, [{ kind: 'range', column: 'price', min: 9.999, max: null }])).toEqual(atLeast);
    const atMost = LINES.filter((line) => line.quantity !== null && line.quantity <= -3).map((line) => line.invoice);
    expect(await invoicesWhere(db, [{ kind: 'range', column: 'quantity', min: null, max: -3 }])).toEqual(atMost);
    expect(atMost).toEqual(['A4']);
  });

  it('filters on several columns all apply, and empty ones add nothing', async () => {
    const filters: ColumnFilter[] = [
      { kind: 'contains', column: 'country', text: 'fran' },
      { kind: 'range', column: 'quantity', min: 2, max: null },
      { kind: 'contains', column: 'invoice', text: '' },
      { kind: 'range', column: 'price', min: null, max: null },
    ];
    const byHand = LINES.filter((line) => line.country?.toLowerCase().includes('fran') && line.quantity !== null && line.quantity >= 2).map(
      (line) => line.invoice,
    );
    expect(byHand).toEqual(['A2', 'A8']);
    expect(await invoicesWhere(db, filters)).toEqual(byHand);
    expect(filterWhere([{ kind: 'contains', column: 'country', text: '' }])).toBeNull();
    expect(filterCellSql('lines', [])).toBe('SELECT * FROM "lines"');
  });

  it('quotes, percent signs and underscores in a value are matched literally, never break or inject', async () => {
    expect(await invoicesWhere(db, [{ kind: 'contains', column: 'country', text: "o'neil" }])).toEqual(['A7']);
    expect(await invoicesWhere(db, [{ kind: 'contains', column: 'country', text: '0%_' }])).toEqual(['A7']);
    expect(await invoicesWhere(db, [{ kind: 'contains', column: 'country', text: '%' }])).toEqual(['A7']);
    expect(await invoicesWhere(db, [{ kind: 'pick', column: 'country', values: ["Côte d'Ivoire", 'Germany'] }])).toEqual(['A3', 'A6']);
    const injection = "x'); DROP TABLE lines; --";
    expect(await invoicesWhere(db, [{ kind: 'contains', column: 'country', text: injection }])).toEqual([]);
    expect(Number((await db.query('SELECT count(*) AS n FROM lines')).get(0)?.['n'])).toBe(LINES.length);
    expect(filterWhere([{ kind: 'contains', column: 'country', text: injection }])).toBe(
      `(contains(lower(CAST("country" AS VARCHAR)), lower('x''); DROP TABLE lines; --')))`,
    );
  });

  it('a column name with a quote is quoted as an identifier', () => {
    expect(filterWhere([{ kind: 'range', column: 'unit "net" price', min: 0, max: 1.5 }])).toBe('("unit ""net"" price" >= 0 AND "unit ""net"" price" <= 1.5)');
  });

  it('a bound that is not a finite number is refused, naming the column', () => {
    expect(() => filterWhere([{ kind: 'range', column: 'price', min: Number.NaN, max: null }])).toThrow(/price/);
    expect(parseBound(' 12.5 ')).toEqual({ ok: true, value: 12.5 });
    expect(parseBound('')).toEqual({ ok: true, value: null });
    expect(parseBound('-3')).toEqual({ ok: true, value: -3 });
    expect(parseBound('abc')).toEqual({ ok: false, problem: '"abc" is not a number' });
    expect(parseBound('Infinity').ok).toBe(false);
  });

  it('pages and sorting keep the filter: the pages hold exactly the filtered rows in order', async () => {
    const columns = await describeRelation(db, 'lines');
    const filters: ColumnFilter[] = [{ kind: 'range', column: 'quantity', min: 5, max: null }];
    const reader = displayReader(db, { name: 'lines', kind: 'table' }, columns, 'en-US');
    const where = filterWhere(filters);
    const sorted = LINES.filter((line) => line.quantity !== null && line.quantity >= 5)
      .sort((a, b) => (b.quantity ?? 0) - (a.quantity ?? 0) || LINES.indexOf(a) - LINES.indexOf(b))
      .map((line) => line.invoice);
    expect(sorted).toEqual(['A8', 'A2', 'A7', 'A5', 'A3']);
    const first = await reader.page({ offset: 0, limit: 3, sort: { column: 'quantity', descending: true }, where });
    const second = await reader.page({ offset: 3, limit: 3, sort: { column: 'quantity', descending: true }, where });
    expect([...first, ...second].map((row) => row[0])).toEqual(sorted);
  });

  it('a text column with few distinct values offers them for picking, sorted, without null', async () => {
    const byHand = [...new Set(LINES.map((line) => line.country).filter((country) => country !== null))].sort();
    // DuckDB sorts by byte order, as JavaScript does for these strings.
    expect(await pickValues(db, 'lines', 'country')).toEqual(byHand);
    await db.query('CREATE TABLE many AS SELECT range::VARCHAR AS code FROM range(25)');
    expect(await pickValues(db, 'many', 'code')).toBeNull();
  });
});
