import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeDatabase } from '../../../src/db/duckdb-node.ts';
import { describe as describeRelation } from '../../../src/engine/catalog.ts';
import { columnDisplay, displayFormatter, floatDecimals, isIdentifierName } from '../../../src/engine/number-display.ts';
import type { Database } from '../../../src/engine/ports.ts';
import { displayReader, fetchPage } from '../../../src/engine/result-page.ts';
import { exportTableCsv } from '../../../src/engine/csv-export.ts';
import { buildReport } from '../../../src/engine/report.ts';
import { reportHtml } from '../../../src/format/report.ts';
import type { Notebook } from '../../../src/engine/notebook.ts';

describe('the decimal count of a column', () => {
  it('integers show none, DECIMAL(p,s) shows s, text stays text', () => {
    expect(columnDisplay({ name: 'units', type: 'BIGINT' })).toEqual({ kind: 'number', decimals: 0, grouped: true });
    expect(columnDisplay({ name: 'units', type: 'HUGEINT' })).toEqual({ kind: 'number', decimals: 0, grouped: true });
    expect(columnDisplay({ name: 'revenue', type: 'DECIMAL(38,2)' })).toEqual({ kind: 'number', decimals: 2, grouped: true });
    expect(columnDisplay({ name: 'rate', type: 'DECIMAL(9,4)' })).toEqual({ kind: 'number', decimals: 4, grouped: true });
    expect(columnDisplay({ name: 'StockCode', type: 'VARCHAR' })).toEqual({ kind: 'text' });
    expect(columnDisplay({ name: 'invoice_date', type: 'TIMESTAMP' })).toEqual({ kind: 'text' });
  });

  it('floats get enough decimals for four significant digits of their largest value, at least two, fewer when none are needed', () => {
    expect(floatDecimals({ maxAbs: 8887208.89, decimalsNeeded: 10 })).toBe(2);
    expect(floatDecimals({ maxAbs: 722.1034, decimalsNeeded: 10 })).toBe(2);
    expect(floatDecimals({ maxAbs: 3.2146, decimalsNeeded: 10 })).toBe(3);
    expect(floatDecimals({ maxAbs: 0.93456, decimalsNeeded: 10 })).toBe(4);
    expect(floatDecimals({ maxAbs: 0.000123456, decimalsNeeded: 10 })).toBe(7);
    expect(floatDecimals({ maxAbs: 0.5, decimalsNeeded: 1 })).toBe(1);
    expect(floatDecimals({ maxAbs: 17850, decimalsNeeded: 0 })).toBe(0);
    expect(floatDecimals({ maxAbs: 0, decimalsNeeded: 0 })).toBe(0);
  });

  it('ids, codes and years are not grouped; quantities are', () => {
    for (const name of ['customer_id', 'CustomerID', 'id', 'InvoiceNo', 'product_code', 'StockCode', 'year', 'order_year', 'invoice_number'])
      expect(isIdentifierName(name), name).toBe(true);
    for (const name of ['quantity', 'paid', 'yearly_revenue', 'customers', 'video', 'orders', 'Amount'])
      expect(isIdentifierName(name), name).toBe(false);
    expect(columnDisplay({ name: 'customer_id', type: 'BIGINT' })).toEqual({ kind: 'number', decimals: 0, grouped: false });
  });
});

describe('formatting a value for display', () => {
  const money = displayFormatter({ kind: 'number', decimals: 2, grouped: true }, 'en-US');
  it('groups in the locale and keeps the column decimals', () => {
    expect(money('8887208.89')).toBe('8,887,208.89');
    expect(money('12.5')).toBe('12.50');
    expect(money('-1234.5')).toBe('-1,234.50');
    expect(money('-0.004')).toBe('0.00');
    expect(displayFormatter({ kind: 'number', decimals: 2, grouped: true }, 'de-DE')('8887208.89')).toBe('8.887.208,89');
    expect(displayFormatter({ kind: 'number', decimals: 0, grouped: false }, 'en-US')('17850')).toBe('17850');
  });

  it('keeps every digit of integers past 2^53, and leaves null, inf and nan as they are', () => {
    expect(displayFormatter({ kind: 'number', decimals: 0, grouped: true }, 'en-US')('123456789012345678901')).toBe('123,456,789,012,345,678,901');
    expect(money(null)).toBeNull();
    expect(money('inf')).toBe('inf');
    expect(money('nan')).toBe('nan');
    expect(money('1.5e-07')).toBe('0.00');
    expect(displayFormatter({ kind: 'text' }, 'en-US')('00123')).toBe('00123');
  });
});

describe('a table read for display (issue #13 item 8)', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openNodeDatabase();
    // Revenue is a sum of doubles with float noise; p_alive a probability; ids and years are integers.
    await db.query(`CREATE TABLE shown AS SELECT * FROM (VALUES
      (17850, 2011, 570422.7300000167::DOUBLE, 0.93456789::DOUBLE, 1234567, 8887208.89::DECIMAL(18,2), 'A-1', 3.0::DOUBLE),
      (12346, 2010, 12.5::DOUBLE, 0.5::DOUBLE, 3, 0.10::DECIMAL(18,2), '00123', 4.0::DOUBLE),
      (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
    ) t(customer_id, year, revenue, p_alive, units, paid, code, visits)`);
  });
  afterAll(async () => {
    await db.close();
  });

  it('shows numbers grouped with one decimal count per column, ids and text untouched', async () => {
    const columns = await describeRelation(db, 'shown');
    const reader = displayReader(db, { name: 'shown', kind: 'table' }, columns, 'en-US');
    expect(await reader.page({ offset: 0, limit: 10 })).toEqual([
      ['17850', '2011', '570,422.73', '0.9346', '1,234,567', '8,887,208.89', 'A-1', '3'],
      ['12346', '2010', '12.50', '0.5000', '3', '0.10', '00123', '4'],
      [null, null, null, null, null, null, null, null],
    ]);
    // The decimals come from the whole column: a page holding only the second row shows it the same way.
    expect((await reader.page({ offset: 1, limit: 1 }))[0]).toEqual(['12346', '2010', '12.50', '0.5000', '3', '0.10', '00123', '4']);
    const german = displayReader(db, { name: 'shown', kind: 'table' }, columns, 'de-DE');
    expect((await german.page({ offset: 0, limit: 1 }))[0]).toEqual(['17850', '2011', '570.422,73', '0,9346', '1.234.567', '8.887.208,89', 'A-1', '3']);
  });

  it('shows the report tables the same way, numbers aligned right', async () => {
    const columns = await describeRelation(db, 'shown');
    const notebook: Notebook = { title: 'Shown', data: {}, extra: {}, cells: [{ id: 'c1', kind: 'sql', name: 'shown', source: 'SELECT 1' }] };
    const report = await buildReport({
      notebook,
      states: { c1: { status: 'done', version: 1, output: { kind: 'table', table: 'shown', rowCount: 3, columns } } },
      tables: [],
      dataTables: [],
      db,
      drawChart: () => '',
      renderMarkdown: (source) => source,
      madeAt: new Date(2026, 0, 1),
      locale: 'en-US',
    });
    const html = reportHtml(report);
    expect(html).toContain(
      '<tr><td class="num">17850</td><td class="num">2011</td><td class="num">570,422.73</td><td class="num">0.9346</td>' +
        '<td class="num">1,234,567</td><td class="num">8,887,208.89</td><td>A-1</td><td class="num">3</td></tr>',
    );
  });

  it('leaves the raw page and the CSV export as stored', async () => {
    const columns = await describeRelation(db, 'shown');
    expect((await fetchPage(db, { name: 'shown', kind: 'table' }, columns, { offset: 0, limit: 1 }))[0]).toEqual(
      ['17850', '2011', '570422.73', '0.93456789', '1234567', '8887208.89', 'A-1', '3'],
    );
    const csv = new TextDecoder().decode(await exportTableCsv(db, 'shown')).split('\n');
    expect(csv[1]).toBe('17850,2011,570422.7300000167,0.93456789,1234567,8887208.89,A-1,3.0');
  });
});
