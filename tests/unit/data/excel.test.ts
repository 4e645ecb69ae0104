import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Table } from 'apache-arrow';
import { excelSerialToMs, isDateFormat, listSheets, previewSheet, readSheet } from '../../../src/data/excel/index.ts';
import type { TablePreview } from '../../../src/data/column-builder.ts';
import { RecordFileError } from '../../../src/data/record-file-error.ts';
import { readRecordFile } from '../../../src/data/record-files.ts';
import { SheetTable } from '../../../src/data/excel/sheet-table.ts';
import { SheetXmlScanner } from '../../../src/data/excel/sheet-xml.ts';
import { openWorkbook, sheetContext } from '../../../src/data/excel/workbook.ts';
import { entryBytes } from '../../../src/data/excel/zip.ts';
import { writeXlsx } from '../helpers/write-xlsx.ts';

// The fixtures are written by reference writers (openpyxl 3.1.5, XlsxWriter 3.3.1), not by this reader:
// scripts/make-xlsx-fixtures.py. The expected values below are what pandas 3.1.1's read_excel (openpyxl engine)
// read from them, as that script prints them; pandas' NaN/NaT are null here, and its float64 columns that hold
// only integers and NaN (Quantity, CustomerID) are BIGINT here, its 1.0/0.0 of a boolean column with a blank BOOLEAN.
const fixture = (name: string) => new Uint8Array(readFileSync(join(__dirname, '..', '..', 'fixtures', 'excel', name)));

/** Rows as plain objects: timestamps as ISO text, BIGINT as numbers. */
function rows(table: Table): Record<string, unknown>[] {
  return table.toArray().map((row) =>
    Object.fromEntries(
      Object.entries(row.toJSON() as Record<string, unknown>).map(([key, value]) => [key, typeof value === 'bigint' ? Number(value) : value]),
    ),
  );
}

function types(table: Table): Record<string, string> {
  return Object.fromEntries(table.schema.fields.map((field) => [field.name, String(field.type)]));
}

const at = (iso: string) => Date.parse(`${iso}Z`);

describe('listSheets', () => {
  it('lists the worksheets in workbook order', () => {
    expect(listSheets(fixture('basic.xlsx'))).toEqual([
      { name: 'Sales', hidden: false },
      { name: 'Notes', hidden: false },
    ]);
  });
});

describe('readSheet', () => {
  it('reads openpyxl inline strings, dates, integers, decimals, booleans and blanks as pandas does', () => {
    const table = readSheet(fixture('basic.xlsx'));
    expect(types(table)).toEqual({
      InvoiceNo: 'Utf8',
      InvoiceDate: 'Timestamp<MILLISECOND>',
      Quantity: 'Int64',
      UnitPrice: 'Float64',
      Description: 'Utf8',
      CustomerID: 'Int64',
      Paid: 'Bool',
    });
    // pandas: InvoiceNo object ['536365', 536366, 'C536379', nan, 536381] — a mixed column, read here as text.
    expect(rows(table)).toEqual([
      { InvoiceNo: '536365', InvoiceDate: at('2010-12-01T08:26:00'), Quantity: 6, UnitPrice: 2.55, Description: 'WHITE HANGING HEART T-LIGHT HOLDER', CustomerID: 17850, Paid: true },
      { InvoiceNo: '536366', InvoiceDate: at('2010-12-01T08:28:00'), Quantity: 6, UnitPrice: 1.85, Description: 'HAND WARMER UNION JACK', CustomerID: null, Paid: false },
      { InvoiceNo: 'C536379', InvoiceDate: at('2010-12-01T09:41:00'), Quantity: -1, UnitPrice: 27.5, Description: 'Discount & <more>', CustomerID: 14527, Paid: null },
      // The blank row between data rows stays, as in pandas.
      { InvoiceNo: null, InvoiceDate: null, Quantity: null, UnitPrice: null, Description: null, CustomerID: null, Paid: null },
      // Before 1 March 1900 the 1900 system's phantom 29 February shifts serials by a day: pandas reads 1900-01-15 12:00.
      { InvoiceNo: '536381', InvoiceDate: at('1900-01-15T12:00:00'), Quantity: 12, UnitPrice: 0.1, Description: null, CustomerID: 15311, Paid: true },
    ]);
  });

  it('reads another sheet by name or position', () => {
    const expected = [
      { Key: 'alpha', Value: 1.5 },
      { Key: 'beta', Value: 2.25 },
    ];
    expect(rows(readSheet(fixture('basic.xlsx'), { sheet: 'Notes' }))).toEqual(expected);
    expect(rows(readSheet(fixture('basic.xlsx'), { sheet: 1 }))).toEqual(expected);
  });

  it('reads XlsxWriter shared strings (one rich text) and a custom date format', () => {
    const table = readSheet(fixture('shared-strings.xlsx'));
    expect(types(table)).toEqual({ Country: 'Utf8', OrderDate: 'Timestamp<MILLISECOND>', Amount: 'Float64', Item: 'Utf8' });
    expect(rows(table)).toEqual([
      { Country: 'United Kingdom', OrderDate: at('2011-01-04T10:00:00'), Amount: 15.3, Item: 'mug' },
      { Country: 'France', OrderDate: at('2011-01-05T13:30:00'), Amount: 120, Item: null },
      { Country: 'United Kingdom', OrderDate: null, Amount: 7, Item: 'mug' },
      { Country: 'Germany', OrderDate: at('2011-02-01T00:00:00'), Amount: 3.25, Item: 'plate' },
    ]);
  });

  it('counts dates from 1904 in a workbook that says so', () => {
    expect(rows(readSheet(fixture('date1904.xlsx')))).toEqual([
      { Day: at('2011-12-09T12:50:00'), Count: 3 },
      { Day: at('1904-01-02T00:00:00'), Count: 4 },
    ]);
  });

  it('takes the column names from another header row, or none', () => {
    const second = readSheet(fixture('basic.xlsx'), { sheet: 'Notes', headerRow: 2 });
    expect(second.schema.fields.map((field) => field.name)).toEqual(['alpha', '1.5']);
    expect(second.numRows).toBe(1);
    const none = readSheet(fixture('basic.xlsx'), { sheet: 'Notes', headerRow: 0 });
    expect(none.schema.fields.map((field) => field.name)).toEqual(['A', 'B']);
    expect(rows(none)[0]).toEqual({ A: 'Key', B: 'Value' });
  });

  it('refuses merged cells in the header row, naming the sheet and the cells', () => {
    expect(() => readSheet(fixture('merged-header.xlsx'), { fileName: 'report.xlsx' })).toThrow(
      'Sheet "Report" of "report.xlsx" has merged cells in its header row 1 (A1:B1)',
    );
    // The merge is above a header on row 2: fine.
    expect(readSheet(fixture('merged-header.xlsx'), { headerRow: 2 }).numRows).toBe(0);
  });

  it('names the sheets there are when the one asked for is not', () => {
    expect(() => readSheet(fixture('basic.xlsx'), { sheet: 'Returns', fileName: 'b.xlsx' })).toThrow('"b.xlsx" has no sheet "Returns"; its sheets are "Sales", "Notes".');
    // Digits no sheet is named are a position counted from 1; a sheet named with digits is found by its name first.
    expect(readSheet(fixture('basic.xlsx'), { sheet: '2' }).numRows).toBe(2);
    expect(() => readSheet(fixture('basic.xlsx'), { sheet: '3', fileName: 'b.xlsx' })).toThrow('"b.xlsx" has no sheet named "3" nor a sheet number 3; its sheets are "Sales", "Notes".');
    const years = writeXlsx([
      { name: '2', rows: [['Year'], [2011]] },
      { name: 'Other', rows: [['Year'], [2010], [2009]] },
    ]);
    expect(readSheet(years, { sheet: '2' }).numRows).toBe(1);
    expect(readSheet(years, { sheet: 1 }).numRows).toBe(2);
  });

  it('gives a preview of the first rows before the sheet is read, and stops early when only a preview is wanted', () => {
    const previews: TablePreview[] = [];
    readSheet(fixture('shared-strings.xlsx'), { onPreview: (preview) => previews.push(preview) });
    expect(previews).toHaveLength(1);
    expect(previews[0]?.columns).toEqual([
      { name: 'Country', type: 'VARCHAR' },
      { name: 'OrderDate', type: 'TIMESTAMP' },
      { name: 'Amount', type: 'DOUBLE' },
      { name: 'Item', type: 'VARCHAR' },
    ]);
    expect(previews[0]?.rows[0]).toEqual(['United Kingdom', '2011-01-04 10:00:00', 15.3, 'mug']);
    expect(previewSheet(fixture('shared-strings.xlsx'), { rows: 2 }).rows).toHaveLength(2);
  });

  it('refuses what is not an .xlsx workbook, naming the file', () => {
    expect(() => readSheet(new TextEncoder().encode('a,b\n1,2\n'), { fileName: 'x.xlsx' })).toThrow(RecordFileError);
    const xls = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    expect(() => readRecordFile({ format: 'xlsx', fileName: 'old.xls', bytes: xls })).toThrow('"old.xls" is an Excel 97–2003 workbook (.xls)');
  });
});

describe('SheetXmlScanner', () => {
  it('reads the same rows whatever pieces the inflated XML arrives in', () => {
    const workbook = openWorkbook(fixture('basic.xlsx'), 'basic.xlsx');
    const entry = workbook.entries.get(workbook.sheets[0]!.path.toLowerCase())!;
    const xml = new TextDecoder().decode(entryBytes(workbook.bytes, entry, 'basic.xlsx'));
    const scan = (size: number) => {
      const table = new SheetTable(1, Number.POSITIVE_INFINITY);
      const scanner = new SheetXmlScanner(sheetContext(workbook), table);
      for (let at = 0; at < xml.length; at += size) scanner.feed(xml.slice(at, at + size));
      return rows(table.toArrow());
    };
    const whole = scan(xml.length);
    expect(whole).toHaveLength(5);
    for (const size of [1, 7, 64, 333]) expect(scan(size), `pieces of ${size}`).toEqual(whole);
  });
});

describe('Excel dates', () => {
  // Serials as Excel shows them (Format Cells → General on a typed date): 1 = 1900-01-01, 59 = 1900-02-28,
  // 61 = 1900-03-01, 40513 = 2010-12-01; the 1904 system's 0 = 1904-01-01.
  it.each([
    [1, false, '1900-01-01T00:00:00'],
    [59, false, '1900-02-28T00:00:00'],
    [61, false, '1900-03-01T00:00:00'],
    [40513.35138888889, false, '2010-12-01T08:26:00'],
    [0, true, '1904-01-01T00:00:00'],
    [39051.5, true, '2010-12-01T12:00:00'],
  ])('serial %d (1904: %s) is %s', (serial, date1904, iso) => {
    expect(excelSerialToMs(serial, date1904)).toBe(at(iso));
  });

  it('knows date formats from number formats', () => {
    expect(isDateFormat(14, undefined)).toBe(true);
    expect(isDateFormat(2, undefined)).toBe(false);
    expect(isDateFormat(164, 'yyyy-mm-dd hh:mm')).toBe(true);
    expect(isDateFormat(165, '[$-409]mmm-yy;@')).toBe(true);
    expect(isDateFormat(166, '#,##0.00_);[Red](#,##0.00)')).toBe(false);
    expect(isDateFormat(167, '0.0 "days"')).toBe(false);
    expect(isDateFormat(168, '[h]:mm:ss')).toBe(false);
  });
});
