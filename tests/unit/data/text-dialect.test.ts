import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { WHITESPACE, defaultColumnNames, detect, preview, splitRecords, type TextImportOptions } from '../../../src/data/text-dialect.ts';

const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`../../fixtures/text/${name}`, import.meta.url)));
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('detect', () => {
  it('reads a headerless ratings file aligned with runs of spaces (MovieLens u.data layout)', () => {
    const options = detect(fixture('ratings.data'), 'ratings.data');
    expect(options).toMatchObject({ delimiter: WHITESPACE, header: false, layout: 'table', skipLines: 0, encoding: 'utf-8', tableName: 'ratings_data' });
    const shown = preview(fixture('ratings.data'), options);
    expect(shown.columns).toEqual(defaultColumnNames(4).map((name) => ({ name, type: 'BIGINT' })));
    // By hand: 8 lines, the third starts with a space and reads 22 377 1 878887116.
    expect(shown.rows).toHaveLength(8);
    expect(shown.rows[2]).toEqual(['22', '377', '1', '878887116']);
    expect(shown.rows[3]).toEqual(['244', '51', '2', '880606923']);
  });

  it('reads a headerless tab-separated file with a tab, and any extension', () => {
    const options = detect(fixture('u.tsv.data'), 'u.data');
    expect(options).toMatchObject({ delimiter: '\t', header: false, layout: 'table' });
    expect(preview(fixture('u.tsv.data'), options).rows[0]).toEqual(['196', '242', '3', '881250949']);
  });

  it('keeps a header whose names are text over numeric columns', () => {
    const options = detect(utf8('user item rating\n1 2 3\n4 5 6\n'), 'r.txt');
    expect(options).toMatchObject({ delimiter: WHITESPACE, header: true });
    expect(preview(utf8('user item rating\n1 2 3\n4 5 6\n'), options).columns.map((column) => column.name)).toEqual(['user', 'item', 'rating']);
  });

  it('finds basket lines (groceries layout) and counts baskets and distinct items', () => {
    const bytes = fixture('groceries.csv');
    const options = detect(bytes, 'groceries.csv');
    expect(options).toMatchObject({ layout: 'baskets', delimiter: ',', header: false, basketIdColumn: false });
    const shown = preview(bytes, options);
    // Counted by hand: 10 lines; 22 distinct items (whole milk, yogurt, other vegetables… recur); 31 item rows.
    expect(shown.baskets).toEqual({ count: 10, distinctItems: 22 });
    expect(shown.columns).toEqual([{ name: 'basket_id', type: 'BIGINT' }, { name: 'item', type: 'VARCHAR' }]);
    expect(shown.rows.slice(0, 6)).toEqual([['1', 'whole milk'], ['1', 'butter'], ['1', 'yogurt'], ['1', 'rice'], ['1', 'abrasive cleaner'], ['2', 'tropical fruit']]);
    // "cream cheese " is trimmed.
    expect(shown.rows).toContainEqual(['4', 'cream cheese']);
  });

  it('finds space-separated numeric baskets (FIMI retail.dat layout) and a basket id column', () => {
    const dat = utf8('0 1 2 3\n4 5 6\n1 4 7\n2 3 5 8\n');
    expect(detect(dat, 'retail.dat')).toMatchObject({ layout: 'baskets', delimiter: WHITESPACE, basketIdColumn: false });
    const withIds = utf8('T1,milk,bread\nT2,milk\nT3,bread,eggs,milk\n');
    const options = detect(withIds, 'orders.txt');
    expect(options).toMatchObject({ layout: 'baskets', basketIdColumn: true });
    expect(preview(withIds, options).rows).toEqual([['T1', 'milk'], ['T1', 'bread'], ['T2', 'milk'], ['T3', 'bread'], ['T3', 'eggs'], ['T3', 'milk']]);
  });

  it('does not take a ragged table with a header for baskets', () => {
    expect(detect(utf8('a,b\n1,2\n3,4,5,6\n"unterminated,7\n'), 'bad.csv')).toMatchObject({ layout: 'table', delimiter: ',', header: true });
  });

  it('reads Latin-1 bytes that are not UTF-8 as Windows-1252, with semicolons and a decimal comma', () => {
    const bytes = fixture('latin1.csv');
    const options = detect(bytes, 'latin1.csv');
    expect(options).toMatchObject({ encoding: 'windows-1252', delimiter: ';', header: true, decimalSeparator: ',' });
    const shown = preview(bytes, options);
    expect(shown.rows[0]).toEqual(['André', 'München', '12,5']);
    expect(shown.rows[1]?.[1]).toBe('Besançon');
    expect(shown.columns.map((column) => column.type)).toEqual(['VARCHAR', 'VARCHAR', 'DOUBLE']);
  });

  it('skips a title line above the table and reads day-first dates', () => {
    const bytes = utf8('Sales export 2020\nday;store;units\n13/01/2020;A;3\n14/02/2020;B;4\n');
    const options = detect(bytes, 'export.csv');
    expect(options).toMatchObject({ skipLines: 1, delimiter: ';', header: true, dateFormat: '%d/%m/%Y' });
    expect(preview(bytes, options).columns).toEqual([{ name: 'day', type: 'DATE' }, { name: 'store', type: 'VARCHAR' }, { name: 'units', type: 'BIGINT' }]);
  });

  it('reads month-first timestamps as the UCI Online Retail file writes them', () => {
    const bytes = utf8('InvoiceNo,InvoiceDate,Quantity\n536365,12/1/2010 8:26,6\n536366,12/13/2010 10:05,2\n');
    expect(detect(bytes, 'Online Retail.csv')).toMatchObject({ timestampFormat: '%m/%d/%Y %H:%M', header: true, tableName: 'online_retail' });
  });

  it('decompresses a gzip head to detect what is inside', () => {
    const bytes = new Uint8Array(gzipSync(readFileSync(new URL('../../fixtures/text/ratings.data', import.meta.url))));
    expect(detect(bytes, 'ratings.data.gz')).toMatchObject({ compression: 'gzip', delimiter: WHITESPACE, header: false, tableName: 'ratings_data' });
  });

  it('reads UTF-16 LE with its BOM', () => {
    const text = 'name,n\ncafé,1\nthé,2\n';
    const bytes = new Uint8Array(2 + text.length * 2);
    bytes.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) [bytes[2 + 2 * i], bytes[3 + 2 * i]] = [text.charCodeAt(i) & 0xff, text.charCodeAt(i) >> 8];
    const options = detect(bytes, 'u16.csv');
    expect(options).toMatchObject({ encoding: 'utf-16le', delimiter: ',', header: true });
    expect(preview(bytes, options).rows).toEqual([['café', '1'], ['thé', '2']]);
  });

  it('drops the cut-off last line of a head', () => {
    const head = new Uint8Array(64 * 1024).fill(0x20);
    head.set(utf8('a,b\n1,2\n3,4\n5,'));
    const text = new TextDecoder().decode(head.subarray(0, 14));
    expect(splitRecords(text, ',', '"', Infinity, true)).toEqual([['a', 'b'], ['1', '2'], ['3', '4']]);
  });
});

describe('preview with options a person chose', () => {
  const base: TextImportOptions = {
    delimiter: ',', quote: '"', header: true, skipLines: 0, decimalSeparator: '.', encoding: 'utf-8',
    compression: 'none', tableName: 't', layout: 'table', basketIdColumn: false,
  };

  it('names headerless columns as told', () => {
    const shown = preview(utf8('1,2\n3,4\n'), { ...base, header: false, columnNames: ['user', 'item'] });
    expect(shown.columns.map((column) => column.name)).toEqual(['user', 'item']);
    expect(shown.rows).toEqual([['1', '2'], ['3', '4']]);
  });

  it('honours the quote character', () => {
    const bytes = utf8("a,b\n'x,y',1\n");
    expect(preview(bytes, { ...base, quote: "'" }).rows).toEqual([['x,y', '1']]);
    const unquoted = preview(bytes, { ...base, quote: '' });
    expect(unquoted.rows[0]).toEqual(["'x", "y'"]);
    expect(unquoted.notes).toContain('Record 2 has 3 fields; the table has 2.');
  });

  it('says which bytes do not decode in the chosen encoding, and where', () => {
    // 'café' in Latin-1 is 63 61 66 E9: E9 starts no UTF-8 sequence.
    const bytes = Uint8Array.of(...utf8('name\n'), 0x63, 0x61, 0x66, 0xe9, 0x0a);
    const shown = preview(bytes, base);
    expect(shown.notes[0]).toBe('Bytes E9 0A at offset 8 (line 2) do not decode as UTF-8; they are shown as �. Another encoding may fit.');
    expect(preview(bytes, { ...base, encoding: 'windows-1252' }).rows).toEqual([['café']]);
  });

  it('reads a decimal comma as a number only when asked', () => {
    const bytes = utf8('p;q\n1,5;2\n');
    expect(preview(bytes, { ...base, delimiter: ';' }).columns[0]?.type).toBe('VARCHAR');
    expect(preview(bytes, { ...base, delimiter: ';', decimalSeparator: ',' }).columns[0]?.type).toBe('DOUBLE');
  });

  it('skips the lines it is told to', () => {
    expect(preview(utf8('junk\nmore junk\na,b\n1,2\n'), { ...base, skipLines: 2 }).columns.map((column) => column.name)).toEqual(['a', 'b']);
  });
});
