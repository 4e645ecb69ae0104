import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/engine/ports.ts';
import { clean, createCanonicalView } from '../../../src/engine/profile.ts';
import { CANONICAL_COLUMNS, detectProfile } from '../../../src/data/retail.ts';
import { duckDbEngines } from '../helpers/engines.ts';

/**
 * Cleaning's duplicates against brute force: rows every rule keeps, drawn from few values so most of them repeat, some
 * with a NULL description or country (repeats all the same). The expected table is the first of each distinct row, in
 * the table's order, found here with a Set over the rows read back. Enough rows for several of DuckDB's row groups (122,880 rows), read by two
 * threads on native DuckDB, so the copy must keep the order across groups and threads.
 */
const ROWS = 300_000;

interface Line {
  readonly invoice: string;
  readonly stock: string;
  readonly description: string | null;
  readonly quantity: number;
  readonly day: number;
  readonly price: number;
  readonly customer: string;
  readonly country: string | null;
}

/**
 * The table as the app's loader leaves it (the UCI layout, text identifiers), its values drawn by DuckDB from few
 * choices (hashes of the row number): 20 × 5 × 4 × 2 × 3 × 2 × 3 × 3 = 86,400 possible lines, 300,000 rows.
 */
const LOAD = `CREATE OR REPLACE TABLE lines AS SELECT
  '5' || lpad((hash(i, 1) % 20)::VARCHAR, 5, '0') AS "InvoiceNo",
  'P' || (hash(i, 2) % 5)::VARCHAR AS "StockCode",
  CASE WHEN hash(i, 3) % 4 = 0 THEN NULL ELSE 'ITEM ' || (hash(i, 4) % 3)::VARCHAR END AS "Description",
  (1 + hash(i, 5) % 2)::INTEGER AS "Quantity",
  make_timestamp(2011, 3, (1 + hash(i, 6) % 3)::BIGINT, 10, 0, 0) AS "InvoiceDate",
  CASE WHEN hash(i, 7) % 2 = 0 THEN 0.85 ELSE 2.5 END::DOUBLE AS "UnitPrice",
  (12000 + hash(i, 8) % 3)::VARCHAR AS "CustomerID",
  CASE hash(i, 9) % 3 WHEN 0 THEN NULL WHEN 1 THEN 'United Kingdom' ELSE 'France' END AS "Country"
FROM range(${ROWS}) AS t(i) ORDER BY i`;

/** The loaded rows in the table's order, as plain values. */
async function loaded(db: Database): Promise<Line[]> {
  const table = await db.query(
    `SELECT "InvoiceNo" AS invoice, "StockCode" AS stock, "Description" AS description, "Quantity" AS quantity, day("InvoiceDate")::INTEGER AS day,
      "UnitPrice" AS price, "CustomerID" AS customer, "Country" AS country FROM lines ORDER BY rowid`,
  );
  return table.toArray().map((row) => ({ ...(row as { toJSON(): Line }).toJSON() }));
}

/** What cleaning must keep: the first of each distinct line, in order. */
function firstOfEach(rows: readonly Line[]): Line[] {
  const seen = new Set<string>();
  return rows.filter((line) => {
    const key = JSON.stringify(line);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}


describe.each(duckDbEngines(2))('clean on %s', (_, open) => {
  let db: Database;
  let expected: Line[];
  beforeAll(async () => {
    db = await open();
    await db.query(LOAD);
    expected = firstOfEach(await loaded(db));
  }, 60_000);
  afterAll(async () => db?.close());

  it('keeps the first of each repeated row, in the file order, and counts the rest as duplicates', async () => {
    const profile = detectProfile(['InvoiceNo', 'StockCode', 'Description', 'Quantity', 'InvoiceDate', 'UnitPrice', 'CustomerID', 'Country'])!;
    await createCanonicalView(db, 'lines_canonical', 'lines', profile);
    const report = await clean(db, 'lines_canonical', 'lines_clean');
    // Most lines repeat, and many first ones come late in the file.
    expect(expected.length).toBeLessThan(ROWS / 2);
    expect(report.rowsIn).toBe(ROWS);
    expect(report.dropped.duplicate).toBe(ROWS - expected.length);
    expect(report.rowsOut).toBe(expected.length);
    const kept = (
      await db.query(
        `SELECT invoice_id, product_id, description, quantity::INTEGER AS quantity, day(invoice_date)::INTEGER AS day, unit_price, customer_id, country FROM lines_clean`,
      )
    )
      .toArray()
      .map((row) => {
        const r = (row as { toJSON(): Record<string, unknown> }).toJSON();
        return { invoice: r.invoice_id, stock: r.product_id, description: r.description, quantity: r.quantity, day: r.day, price: r.unit_price, customer: r.customer_id, country: r.country };
      });
    expect(kept).toEqual(expected);
    // The hash that found the repeats was a column of the copy only.
    const columns = (await db.query(`SELECT column_name FROM (DESCRIBE lines_clean)`)).toArray().map((row) => String(row.column_name));
    expect(columns).toEqual([...CANONICAL_COLUMNS]);
    // The copy was staged and swapped in: nothing of it is left beside the clean table.
    expect(Number((await db.query(`SELECT count(*) AS n FROM duckdb_tables() WHERE starts_with(table_name, '__aisle_staging')`)).get(0)?.n)).toBe(0);
  }, 60_000);

  it('a clean that fails leaves the clean table before it as it was', async () => {
    const before = Number((await db.query('SELECT count(*) AS n FROM lines_clean')).get(0)?.n);
    expect(before).toBe(expected.length);
    // A canonical view whose reading fails part way, as a cancelled or out-of-memory clean would.
    await db.query(
      `CREATE OR REPLACE VIEW failing_canonical AS SELECT * REPLACE (CASE WHEN quantity > 1 THEN error('stopped part way') ELSE quantity END AS quantity) FROM lines_canonical`,
    );
    await expect(clean(db, 'failing_canonical', 'lines_clean')).rejects.toThrow(/stopped part way/);
    expect(Number((await db.query('SELECT count(*) AS n FROM lines_clean')).get(0)?.n)).toBe(before);
  }, 60_000);
});
