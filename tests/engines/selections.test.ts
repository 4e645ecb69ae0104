import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNotebook } from '../../src/format/notebook-text.ts';
import { evaluateSql } from '../../src/engine/evaluate/sql.ts';
import type { NamedCell } from '../../src/engine/notebook.ts';
import type { Database } from '../../src/engine/ports.ts';
import type { InputValue } from '../../src/engine/specs.ts';
import { dropSchema, openDuckDbSales, openTrinoSales, rowsOf, tableDifference } from './compare.ts';

const SAMPLE = new URL('../../public/sample/online_retail_50k.parquet', import.meta.url).pathname;
const SCHEMA = 'engines_selections';
let duck: Database;
let trino: Database;

beforeAll(async () => {
  [duck, trino] = await Promise.all([openDuckDbSales(SAMPLE), openTrinoSales('hive.retail.lines', SCHEMA)]);
});
afterAll(async () => {
  await duck?.close();
  if (trino) await dropSchema(trino, SCHEMA);
});

/** Run a SQL cell with one chart selection bound, and read back the table it made. */
async function runWithSelection(db: Database, cell: NamedCell, name: string, value: InputValue) {
  const context = { signal: new AbortController().signal, inputs: new Map([[name, value]]), dataNames: new Set<string>(), selections: new Set([name]) };
  await evaluateSql(db, cell, context);
  return db.query(`SELECT * FROM ${cell.name}`);
}

describe("a chart's selection bound in a SQL cell, on DuckDB and on Trino", () => {
  it("the dashboard's countries under a brushed interval of months are the SQL sums over those months", async () => {
    const dashboard = parseNotebook(readFileSync(new URL('../../notebooks/retail-dashboard.md', import.meta.url), 'utf8'));
    const cell = dashboard.cells.find((candidate): candidate is NamedCell => candidate.kind === 'sql' && candidate.name === 'country_sales');
    if (!cell) throw new Error('the dashboard has no country_sales cell');
    // Brushed from midday on 1 February to midday on 1 April 2011: the months starting in it are March and April.
    const brushed = ['2011-02-01 12:00:00.000', '2011-04-01 12:00:00.000'];
    const expected = await duck.query(`SELECT country, sum(amount) AS amount FROM sales_clean
      WHERE invoice_date >= TIMESTAMP '2011-03-01' AND invoice_date < TIMESTAMP '2011-05-01' GROUP BY country`);
    expect(expected.numRows).toBeGreaterThan(3);
    expect(tableDifference(expected, await runWithSelection(duck, cell, 'period', brushed))).toBeUndefined();
    expect(tableDifference(expected, await runWithSelection(trino, cell, 'period', brushed))).toBeUndefined();
  });

  it('a numeric interval binds as two doubles, and a cleared selection as NULL', async () => {
    const cell: NamedCell = { id: 'units', kind: 'sql', name: 'units_in_band', source: 'SELECT count(*) AS n FROM sales_clean WHERE $band IS NULL OR quantity BETWEEN $band[1] AND $band[2]' };
    const [inBand] = rowsOf(await duck.query('SELECT count(*) AS n FROM sales_clean WHERE quantity >= 10 AND quantity <= 40'));
    const [all] = rowsOf(await duck.query('SELECT count(*) AS n FROM sales_clean'));
    expect(inBand![0]).toBeGreaterThan(0);
    expect(inBand![0]).toBeLessThan(all![0] as number);
    for (const db of [duck, trino]) {
      expect(rowsOf(await runWithSelection(db, cell, 'band', [10, 40]))).toEqual([inBand]);
      expect(rowsOf(await runWithSelection(db, cell, 'band', null))).toEqual([all]);
    }
  });
});

describe('a list input (a multi-select) bound in a SQL cell, on DuckDB and on Trino', () => {
  it('binds as a list of text in each dialect: the countries picked, or none', async () => {
    const run = async (db: Database, source: string, value: InputValue) => {
      const cell: NamedCell = { id: 'picked', kind: 'sql', name: 'picked_countries', source };
      await evaluateSql(db, cell, { signal: new AbortController().signal, inputs: new Map([['countries', value]]), dataNames: new Set<string>(), selections: new Set() });
      return rowsOf(await db.query('SELECT * FROM picked_countries'));
    };
    // Each engine's own SQL (a user's cell is in its engine's dialect); the count is computed apart, by a plain IN.
    const duckSql = 'SELECT count(*) AS n, len($countries) AS picked FROM sales_clean WHERE list_contains($countries, country)';
    const trinoSql = 'SELECT count(*) AS n, cardinality($countries) AS picked FROM sales_clean WHERE contains($countries, country)';
    const [expected] = rowsOf(await duck.query("SELECT count(*) AS n FROM sales_clean WHERE country IN ('France', 'Spain')"));
    expect(expected![0]).toBeGreaterThan(0);
    expect(await run(duck, duckSql, ['France', 'Spain'])).toEqual([[expected![0], 2]]);
    expect(await run(trino, trinoSql, ['France', 'Spain'])).toEqual([[expected![0], 2]]);
    expect(await run(duck, duckSql, [])).toEqual([[0, 0]]);
    expect(await run(trino, trinoSql, [])).toEqual([[0, 0]]);
  });
});
