import { describe, expect, it } from 'vitest';
import { ImportOptionsError, importOptionsFrom, mergeImportOptions, misplacedOptions, parseImportOptions } from '../../../src/data/import-options.ts';

describe('import options as people write them', () => {
  it('reads every key of the command-line syntax', () => {
    expect(parseImportOptions('header=false,delim=ws,encoding=latin1,layout=baskets,basket_id=true')).toEqual({
      text: { header: false, delimiter: 'whitespace', encoding: 'windows-1252', layout: 'baskets', basketIdColumn: true },
    });
    expect(parseImportOptions('delim=semicolon,decimal=comma,skip=2,quote=none,dateformat=%d/%m/%Y,timestampformat=%d/%m/%Y %H:%M')).toEqual({
      text: { delimiter: ';', decimalSeparator: ',', skipLines: 2, quote: '', dateFormat: '%d/%m/%Y', timestampFormat: '%d/%m/%Y %H:%M' },
    });
    expect(parseImportOptions('delim=tab,encoding=utf-16le')).toEqual({ text: { delimiter: '\t', encoding: 'utf-16le' } });
    expect(parseImportOptions('names=user/item/rating')).toEqual({ text: { columnNames: ['user', 'item', 'rating'], header: false } });
    expect(parseImportOptions('delim=|,encoding=UTF-8-BOM')).toEqual({ text: { delimiter: '|', encoding: 'utf-8-bom' } });
  });

  it('reads YAML values from front matter', () => {
    expect(importOptionsFrom({ header: false, names: ['a', 'b'], skip: 1, delim: 'ws' })).toEqual({ text: { header: false, columnNames: ['a', 'b'], skipLines: 1, delimiter: 'whitespace' } });
  });

  it('names the key and the value it cannot read', () => {
    expect(() => parseImportOptions('delim=ab')).toThrow(new ImportOptionsError('delim must be one character, or ws (runs of whitespace), tab, comma, semicolon, pipe or space; got "ab"'));
    expect(() => parseImportOptions('header=maybe')).toThrow('header must be true or false, got "maybe"');
    expect(() => parseImportOptions('encoding=ebcdic')).toThrow(/encoding must be utf-8, .*got "ebcdic"/);
    expect(() => parseImportOptions('skip=-1')).toThrow('skip must be a whole number of lines, got "-1"');
    expect(() => parseImportOptions('layout=wide')).toThrow('layout must be table or baskets, got "wide"');
    expect(() => parseImportOptions('colour=red')).toThrow(/unknown import option "colour"/);
    expect(() => parseImportOptions('header')).toThrow(/key=value pairs/);
    expect(() => parseImportOptions('skip=1,skip=2')).toThrow('import option skip is given twice');
  });
});

describe('Excel and JSON import options', () => {
  it('reads the sheet, the header row and the JSON nesting into their own parts', () => {
    expect(parseImportOptions('sheet=Year 2010-2011,header_row=2')).toEqual({ excel: { sheet: 'Year 2010-2011', headerRow: 2 } });
    expect(parseImportOptions('sheet=2,header_row=0')).toEqual({ excel: { sheet: '2', headerRow: 0 } });
    expect(parseImportOptions('nested=json')).toEqual({ json: { nested: 'json' } });
    expect(importOptionsFrom({ sheet: 2, header_row: 3, nested: 'flatten' })).toEqual({ excel: { sheet: '2', headerRow: 3 }, json: { nested: 'flatten' } });
    expect(() => parseImportOptions('header_row=-1')).toThrow('header_row must be the row holding the column names (1, 2, …) or 0 for none; got "-1"');
    expect(() => parseImportOptions('nested=deep')).toThrow('nested must be flatten (a.b columns) or json (kept as JSON text); got "deep"');
    expect(() => parseImportOptions('sheet=')).toThrow(/sheet must be a sheet's name or its position/);
    expect(() => parseImportOptions('colour=red')).toThrow(/sheet, header_row for Excel; nested for JSON/);
  });

  it('lays later options over earlier ones, part by part', () => {
    expect(mergeImportOptions({ text: { header: false, delimiter: ';' }, excel: { sheet: 'A' } }, { text: { delimiter: ',' } })).toEqual({
      text: { header: false, delimiter: ',' },
      excel: { sheet: 'A' },
    });
    expect(mergeImportOptions({}, {})).toEqual({});
  });

  it('names the file when options are for another format', () => {
    expect(misplacedOptions('sales.csv', { excel: { sheet: '2' } })).toBe('"sales.csv" is not an Excel workbook (.xlsx); sheet and header_row apply only to one.');
    expect(misplacedOptions('u.data', { json: { nested: 'json' } })).toBe('"u.data" is not a JSON file; nested applies only to one.');
    expect(misplacedOptions('people.json', { text: { header: false } })).toBe('"people.json" is a JSON file, not delimited text: its options are nested.');
    expect(misplacedOptions('retail.xlsx', { excel: { sheet: '2' }, text: { tableName: 'retail' } })).toBeNull();
    expect(misplacedOptions('retail.xlsx', { excel: {}, json: {} })).toBeNull();
  });
});

