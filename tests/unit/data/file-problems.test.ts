import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeDatabase } from '../../../src/db/duckdb-node.ts';
import { nodeParquetCodec } from '../../../src/db/parquet-node.ts';
import { DataFileError, importFile } from '../../../src/engine/datasets.ts';
import type { Database } from '../../../src/engine/ports.ts';
import { raggedRecord, unclosedQuoteLine } from '../../../src/data/file-problems.ts';

let db: Database;
beforeAll(async () => {
  db = await openNodeDatabase();
});
afterAll(async () => {
  await db.close();
});

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
const HEADER = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n';
const ROW = '536365,85123A,WHITE HEART,6,12/1/2010 8:26,2.55,17850,United Kingdom\n';

/** The malformed files of issue #13 item 18, each with the one sentence a person should read. */
const CORPUS: Record<string, [Uint8Array, RegExp]> = {
  // UTF-16, Latin-1 and gzip files are read now (tests/unit/engine/text-import.test.ts); a file whose bytes stop being
  // UTF-8 after the part read for detection still fails, naming the bytes and where they are.
  'Latin-1 after 4 MB of ASCII': [
    new Uint8Array([...encode(HEADER + ROW.repeat(61_000)), ...Array.from('536365,85123A,CAF\xc9 CR\xc8ME,6,12/1/2010 8:26,2.55,17850,France\n').map((char) => char.charCodeAt(0))]),
    // By hand: the header is 82 bytes, each row 69 (4.2 MB in all); the É (C9) is at index 17 of the last row, line 61,002.
    new RegExp(`^"f\\.csv" is not UTF-8 text: bytes C9 20 43 52 at offset 4,209,099 \\(line 61,002\\) do not decode\\. It may be Latin-1`),
  ],
  'a ragged row': [encode(HEADER + ROW + ROW + '536366,22633,HAND WARMER,6,12/1/2010 8:28\n' + ROW), /^Line 4 of "f\.csv" has 5 fields; the header has 8\.$/],
  'a 3 MB line': [encode(HEADER + ROW + "x".repeat(3_000_000) + "\n"), /^Line 3 of "f\.csv" is longer than 2 MB, the most one line may hold\.$/],
  'a 5 MB quoted field': [encode('a,b\n1,"' + 'y'.repeat(5_000_000) + '"\n'), /^Line 2 of "f\.csv" is longer than 2 MB/],
  'binary garbage': [new Uint8Array(Array.from({ length: 4000 }, (_, i) => (i * 7919) % 256)), /^"f\.csv" is not text: it holds zero bytes/],
  'a PNG': [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Uint8Array(64)]), /^"f\.csv" is a PNG image, not a CSV file\.$/],
  'a ZIP (an .xlsx)': [new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...encode('xl/workbook.xml'), ...new Uint8Array(64)]), /^"f\.csv" is a ZIP archive \(an Excel \.xlsx workbook is one\)/],
  'blank lines only': [encode('\n\n \n\n\n'), /^"f\.csv" has no data: every line is blank\.$/],
};

describe('a file that cannot be read says why in one sentence (issue #13 item 18)', () => {
  it.each(Object.keys(CORPUS))('%s', async (name) => {
    const [bytes, expected] = CORPUS[name]!;
    const error = await importFile(db, nodeParquetCodec, { fileName: 'f.csv', size: bytes.length, source: { kind: 'bytes', bytes } }).then(
      () => null,
      (rejection: unknown) => rejection,
    );
    expect(error).toBeInstanceOf(DataFileError);
    const { message, details } = error as DataFileError;
    expect(message).toMatch(expected);
    // One sentence: no internal file name, no sniffer search space, no line dumped.
    expect(message.length).toBeLessThan(200);
    expect(message).not.toMatch(/aisle-files|[0-9a-f]{8}-[0-9a-f]{4}-|search space|strict_mode|xxxxxxxxxx/);
    expect(details ?? '').not.toMatch(/aisle-files|x{300}|y{300}/);
    expect((details ?? '').length).toBeLessThan(4100);
  });

  it('reads a file with an unclosed quote, and warns naming its line', async () => {
    const bytes = encode('a,b\n1,"two\n3,4\n');
    const table = await importFile(db, nodeParquetCodec, { fileName: 'q.csv', size: bytes.length, source: { kind: 'bytes', bytes } });
    expect(table.warnings).toEqual(['Line 2 of "q.csv" opens a quote (") that is never closed, so the rest of the file may have been read into one field.']);
  });

  it('has no warnings for a well-formed file with quoted commas and doubled quotes', async () => {
    const bytes = encode('a,b\n1,"two, ""2"""\n3,"four\nlines"\n');
    const table = await importFile(db, nodeParquetCodec, { fileName: 'ok.csv', size: bytes.length, source: { kind: 'bytes', bytes } });
    expect(table.warnings).toEqual([]);
    expect(table.rowCount).toBe(2);
  });
});

describe('raggedRecord', () => {
  it.each([
    ['a,b\n1,2\n', null],
    ['a,b\n1,2\n3\n', { line: 3, fields: 1, expected: 2 }],
    ['a,b\n"x,\ny",2\n\n3,4,5\n', { line: 5, fields: 3, expected: 2 }],
    ['a;b;c\n1;2;3\n4;5\n', { line: 3, fields: 2, expected: 3 }],
  ] as const)('%j → %j', (text, found) => {
    expect(raggedRecord(text, text.includes(';') ? ';' : ',')).toEqual(found);
  });
});

describe('unclosedQuoteLine', () => {
  it.each([
    ['a,b\n1,2\n', null],
    ['a,b\n1,"x""y"\n', null],
    ['a,b\n1,"x\n2,3\n', 2],
    ['"a\nb",c\n"d', 3],
  ] as const)('%j → %s', (text, line) => {
    expect(unclosedQuoteLine(text)).toBe(line);
  });
});
