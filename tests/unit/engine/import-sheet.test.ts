import { describe, expect, it } from 'vitest';
import {
  detectedRequest,
  editSheet,
  excelSheet,
  importOptionsOf,
  importRequest,
  jsonSheet,
  previewKey,
  recordSheetPreview,
  sheetFor,
  sheetProblems,
  textSheet,
  textSheetPreview,
  type ImportSheet,
  type SheetPreview,
} from '../../../src/engine/import-sheet.ts';
import { WHITESPACE, type TextImportOptions } from '../../../src/data/text-dialect.ts';
import { importKind } from '../../../src/data/import-kind.ts';

/** What detection finds in a headerless whitespace file such as MovieLens' u.data, written out by hand. */
const DETECTED: TextImportOptions = {
  delimiter: WHITESPACE,
  quote: '"',
  header: false,
  skipLines: 0,
  decimalSeparator: '.',
  encoding: 'utf-8',
  compression: 'none',
  tableName: 'u_data',
  layout: 'table',
  basketIdColumn: false,
};

const FOUR_COLUMNS: SheetPreview = {
  columns: ['column0', 'column1', 'column2', 'column3'].map((name) => ({ name, type: 'BIGINT' })),
  rows: [['196', '242', '3', '881250949']],
  notes: [],
  complete: true,
};

const noCells = { isCellName: () => false };

function text(sheet: ImportSheet): TextImportOptions {
  if (sheet.kind !== 'text') throw new Error(`expected a text sheet, got ${sheet.kind}`);
  return sheet.options;
}

describe('editing the sheet', () => {
  it('changes one option and keeps what was detected apart', () => {
    const sheet = editSheet(textSheet('u.data', DETECTED), { kind: 'delimiter', value: '\t' });
    expect(text(sheet).delimiter).toBe('\t');
    expect(sheet.kind === 'text' && sheet.detected.delimiter).toBe(WHITESPACE);
  });

  it('names a column of a headerless file, keeping the default names of the others', () => {
    const sheet = editSheet(textSheet('u.data', DETECTED), { kind: 'column-name', index: 2, value: 'rating', width: 4 });
    expect(text(sheet).columnNames).toEqual(['column0', 'column1', 'rating', 'column3']);
    const again = editSheet(sheet, { kind: 'column-name', index: 0, value: 'user', width: 4 });
    expect(text(again).columnNames).toEqual(['user', 'column1', 'rating', 'column3']);
  });

  it('sets a column type by position, goes back to the detected one on null, and forgets types when the delimiter changes', () => {
    const typed = editSheet(textSheet('u.data', DETECTED), { kind: 'column-type', index: 2, value: 'DOUBLE' });
    expect(text(typed).columnTypes).toEqual({ 2: 'DOUBLE' });
    const both = editSheet(typed, { kind: 'column-type', index: 0, value: 'VARCHAR' });
    expect(text(both).columnTypes).toEqual({ 0: 'VARCHAR', 2: 'DOUBLE' });
    expect(text(editSheet(both, { kind: 'column-type', index: 2, value: null })).columnTypes).toEqual({ 0: 'VARCHAR' });
    expect('columnTypes' in text(editSheet(typed, { kind: 'column-type', index: 2, value: null }))).toBe(false);
    expect('columnTypes' in text(editSheet(both, { kind: 'delimiter', value: ',' }))).toBe(false);
  });

  it('drops typed column names when the first line becomes the header', () => {
    const named = editSheet(textSheet('u.data', DETECTED), { kind: 'column-name', index: 0, value: 'user', width: 4 });
    const withHeader = editSheet(named, { kind: 'header', value: true });
    expect(text(withHeader).header).toBe(true);
    expect(text(withHeader).columnNames).toBeUndefined();
  });

  it('an empty date format means "detect it": the key goes', () => {
    const set = editSheet(textSheet('a.csv', DETECTED), { kind: 'date-format', value: '%d/%m/%Y' });
    expect(text(set).dateFormat).toBe('%d/%m/%Y');
    const cleared = editSheet(set, { kind: 'date-format', value: '  ' });
    expect('dateFormat' in text(cleared)).toBe(false);
  });

  it('an edit that does not apply to the kind of file leaves the sheet as it was', () => {
    const workbook = excelSheet('Shop.xlsx', [{ name: 'Sales', hidden: false }]);
    expect(editSheet(workbook, { kind: 'delimiter', value: ';' })).toBe(workbook);
    const json = jsonSheet('orders.json');
    expect(editSheet(json, { kind: 'sheet', value: 'Sales' })).toBe(json);
  });
});

describe('the preview key', () => {
  it('renaming the table does not ask for a new preview; changing the delimiter does', () => {
    const sheet = textSheet('u.data', DETECTED);
    expect(previewKey(editSheet(sheet, { kind: 'table-name', value: 'ratings' }))).toBe(previewKey(sheet));
    expect(previewKey(editSheet(sheet, { kind: 'delimiter', value: ',' }))).not.toBe(previewKey(sheet));
    expect(previewKey(editSheet(sheet, { kind: 'column-name', index: 0, value: 'user', width: 4 }))).not.toBe(previewKey(sheet));
  });

  it('for a workbook, the sheet and header row make the key', () => {
    const workbook = excelSheet('Shop.xlsx', [
      { name: 'Sales', hidden: false },
      { name: 'Notes', hidden: false },
    ]);
    expect(previewKey(editSheet(workbook, { kind: 'table-name', value: 'x' }))).toBe(previewKey(workbook));
    expect(previewKey(editSheet(workbook, { kind: 'sheet', value: 'Notes' }))).not.toBe(previewKey(workbook));
    expect(previewKey(editSheet(workbook, { kind: 'header-row', value: 2 }))).not.toBe(previewKey(workbook));
  });
});

describe('what stops an import', () => {
  it('a table name the name rule refuses, with the rule\'s reason', () => {
    const problems = sheetProblems(editSheet(textSheet('u.data', DETECTED), { kind: 'table-name', value: '2011 sales' }), FOUR_COLUMNS, noCells);
    expect(problems).toEqual([{ field: 'table-name', message: 'Table name: a name cannot start with a digit ("2").' }]);
    const spaced = sheetProblems(editSheet(textSheet('u.data', DETECTED), { kind: 'table-name', value: 'my sales' }), FOUR_COLUMNS, noCells);
    expect(spaced[0]?.message).toBe('Table name: a name holds only letters, digits and _ (not a space).');
    expect(sheetProblems(editSheet(textSheet('u.data', DETECTED), { kind: 'table-name', value: '' }), FOUR_COLUMNS, noCells)[0]?.message).toBe('Table name: a name is needed.');
  });

  it('a table name whose canonical view a cell of the notebook owns', () => {
    const sheet = editSheet(textSheet('u.data', DETECTED), { kind: 'table-name', value: 'orders' });
    const problems = sheetProblems(sheet, FOUR_COLUMNS, { isCellName: (name) => name === 'orders_clean' });
    expect(problems).toEqual([{ field: 'table-name', message: 'Table name: a cell of this notebook is named orders_clean.' }]);
  });

  it('empty and repeated column names (case aside) of a headerless table, each naming its column', () => {
    const preview: SheetPreview = { ...FOUR_COLUMNS, columns: [{ name: 'user', type: 'BIGINT' }, { name: '', type: 'BIGINT' }, { name: 'User', type: 'BIGINT' }] };
    expect(sheetProblems(textSheet('u.data', DETECTED), preview, noCells)).toEqual([
      { field: 'column-name', index: 1, message: 'Column 2 needs a name.' },
      { field: 'column-name', index: 2, message: 'Columns 1 and 3 are both named User.' },
    ]);
    // With a header the file names its columns (DuckDB makes repeats unique), so nothing is asked of the user.
    expect(sheetProblems(editSheet(textSheet('u.data', DETECTED), { kind: 'header', value: true }), preview, noCells)).toEqual([]);
  });

  it('a delimiter of two characters, a quote equal to the delimiter, a negative line count', () => {
    const sheet = [
      { kind: 'delimiter', value: ';;' },
      { kind: 'skip-lines', value: -1 },
    ].reduce<ImportSheet>((current, edit) => editSheet(current, edit as Parameters<typeof editSheet>[1]), textSheet('a.csv', DETECTED));
    expect(sheetProblems(sheet, FOUR_COLUMNS, noCells).map((problem) => problem.message)).toEqual([
      'Delimiter: one character, or runs of spaces or tabs (not ";;").',
      'Skip lines: a whole number of lines, 0 or more (not -1).',
    ]);
    const same = editSheet(editSheet(textSheet('a.csv', DETECTED), { kind: 'delimiter', value: "'" }), { kind: 'quote', value: "'" });
    expect(sheetProblems(same, FOUR_COLUMNS, noCells).map((problem) => problem.field)).toEqual(['quote']);
  });

  it('a preview that failed, in its own words; a sheet the workbook lacks', () => {
    expect(sheetProblems(textSheet('a.csv', DETECTED), new Error('bytes FF at offset 3 do not decode'), noCells)).toEqual([
      { field: 'preview', message: 'bytes FF at offset 3 do not decode' },
    ]);
    const workbook = editSheet(excelSheet('Shop.xlsx', [{ name: 'Sales', hidden: false }]), { kind: 'sheet', value: 'Gone' });
    expect(sheetProblems(workbook, null, noCells).map((problem) => problem.message)).toEqual(['The workbook has no sheet "Gone".']);
  });
});

describe('what Import sends', () => {
  it('a headerless table sends one trimmed name per previewed column, defaults where none was typed', () => {
    let sheet: ImportSheet = textSheet('u.data', DETECTED);
    sheet = editSheet(sheet, { kind: 'column-name', index: 0, value: ' user ', width: 4 });
    sheet = editSheet(sheet, { kind: 'table-name', value: ' ratings ' });
    const request = importRequest(sheet, FOUR_COLUMNS);
    expect(request).toEqual({ kind: 'text', fileName: 'u.data', options: { ...DETECTED, tableName: 'ratings', columnNames: ['user', 'column1', 'column2', 'column3'] } });
    expect(importOptionsOf(request)).toEqual({ tableName: 'ratings', text: { ...DETECTED, tableName: 'ratings', columnNames: ['user', 'column1', 'column2', 'column3'] } });
  });

  it('column names never go with a header or the baskets layout', () => {
    const named = editSheet(textSheet('u.data', DETECTED), { kind: 'column-name', index: 0, value: 'user', width: 4 });
    const baskets = editSheet(named, { kind: 'layout', value: 'baskets' });
    const request = importRequest(baskets, FOUR_COLUMNS);
    expect(request.kind === 'text' && 'columnNames' in request.options).toBe(false);
  });

  it('"Import as detected" sends the detection, whatever was edited', () => {
    const edited = editSheet(editSheet(textSheet('u.data', DETECTED), { kind: 'delimiter', value: ',' }), { kind: 'table-name', value: 'mine' });
    expect(detectedRequest(edited)).toEqual({ kind: 'text', fileName: 'u.data', options: DETECTED });
    const workbook = editSheet(excelSheet('Online Retail.xlsx', [{ name: 'Online Retail', hidden: false }, { name: 'Notes', hidden: false }]), { kind: 'sheet', value: 'Notes' });
    expect(detectedRequest(workbook)).toEqual({ kind: 'excel', fileName: 'Online Retail.xlsx', sheet: 'Online Retail', headerRow: 1, tableName: 'online_retail' });
  });

  it('a workbook sends its sheet and header row; JSON its nesting', () => {
    const workbook = editSheet(excelSheet('Shop.xlsx', [{ name: 'Hidden', hidden: true }, { name: 'Sales', hidden: false }]), { kind: 'header-row', value: 3 });
    expect(importOptionsOf(importRequest(workbook, null))).toEqual({ tableName: 'shop', excel: { sheet: 'Sales', headerRow: 3 } });
    const json = editSheet(jsonSheet('orders.json'), { kind: 'nested', value: 'json' });
    expect(importOptionsOf(importRequest(json, null))).toEqual({ tableName: 'orders', json: { nested: 'json' } });
  });
});

describe('which sheet a file gets', () => {
  const bytes = (text: string) => new TextEncoder().encode(text);

  it('text by content whatever the extension; Excel by ZIP and extension; JSON by extension; Parquet and binaries straight to the importer', () => {
    expect(importKind('u.data', bytes('196\t242\t3\t881250949\n'))).toBe('text');
    expect(importKind('sales.csv.gz', Uint8Array.of(0x1f, 0x8b, 8, 0))).toBe('text');
    expect(importKind('utf16.txt', Uint8Array.of(0xff, 0xfe, 0x61, 0))).toBe('text');
    expect(importKind('Shop.xlsx', Uint8Array.of(0x50, 0x4b, 3, 4))).toBe('excel');
    expect(importKind('archive.zip', Uint8Array.of(0x50, 0x4b, 3, 4))).toBe('direct');
    expect(importKind('orders.ndjson', bytes('{"a":1}\n'))).toBe('json');
    expect(importKind('data.bin', bytes('PAR1xxxx'))).toBe('direct');
    expect(importKind('photo.csv', Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0))).toBe('direct');
  });

  it('sheetFor opens the first visible sheet of a workbook and nothing for a direct load', () => {
    expect(sheetFor('Shop.xlsx', { kind: 'excel', sheets: [{ name: 'Cover', hidden: true }, { name: 'Sales', hidden: false }] })).toMatchObject({ kind: 'excel', sheet: 'Sales', headerRow: 1, tableName: 'shop' });
    expect(sheetFor('a.parquet', { kind: 'direct' })).toBeNull();
    expect(sheetFor('u.data', { kind: 'text', detected: DETECTED })).toEqual(textSheet('u.data', DETECTED));
  });

  it('a workbook preview shows blanks as empty and numbers as read', () => {
    const preview = recordSheetPreview({ columns: [{ name: 'Key', type: 'VARCHAR' }, { name: 'Value', type: 'DOUBLE' }], rows: [['alpha', 1.5], [null, true]] });
    expect(preview.rows).toEqual([['alpha', '1.5'], ['', 'true']]);
  });
});

describe('the preview of a text file', () => {
  it('a baskets preview drops the note that repeats its count, and keeps the others', () => {
    const preview = textSheetPreview({
      columns: [{ name: 'basket_id', type: 'BIGINT' }, { name: 'item', type: 'VARCHAR' }],
      rows: [['1', 'milk']],
      notes: ['Encoding: Latin-1 (Windows-1252).', '3 baskets with 4 distinct items, one basket per line.'],
      baskets: { count: 3, distinctItems: 4 },
      complete: true,
    });
    expect(preview.notes).toEqual(['Encoding: Latin-1 (Windows-1252).']);
  });
});
