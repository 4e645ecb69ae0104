import { describe, expect, it } from 'vitest';
import { ImportOptionsError, importOptionsFrom, parseImportOptions } from '../../../src/data/import-options.ts';

describe('import options as people write them', () => {
  it('reads every key of the command-line syntax', () => {
    expect(parseImportOptions('header=false,delim=ws,encoding=latin1,layout=baskets,basket_id=true')).toEqual({
      header: false, delimiter: 'whitespace', encoding: 'windows-1252', layout: 'baskets', basketIdColumn: true,
    });
    expect(parseImportOptions('delim=semicolon,decimal=comma,skip=2,quote=none,dateformat=%d/%m/%Y,timestampformat=%d/%m/%Y %H:%M')).toEqual({
      delimiter: ';', decimalSeparator: ',', skipLines: 2, quote: '', dateFormat: '%d/%m/%Y', timestampFormat: '%d/%m/%Y %H:%M',
    });
    expect(parseImportOptions('delim=tab,encoding=utf-16le')).toEqual({ delimiter: '\t', encoding: 'utf-16le' });
    expect(parseImportOptions('names=user/item/rating')).toEqual({ columnNames: ['user', 'item', 'rating'], header: false });
    expect(parseImportOptions('delim=|,encoding=UTF-8-BOM')).toEqual({ delimiter: '|', encoding: 'utf-8-bom' });
  });

  it('reads YAML values from front matter', () => {
    expect(importOptionsFrom({ header: false, names: ['a', 'b'], skip: 1, delim: 'ws' })).toEqual({ header: false, columnNames: ['a', 'b'], skipLines: 1, delimiter: 'whitespace' });
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
