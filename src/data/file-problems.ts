/**
 * What is wrong with a data file, in one sentence a person can act on. DuckDB's own messages run to thousands
 * of characters (the sniffer's search space, options Aisle does not offer, the whole offending line); they are
 * kept, shortened, as details.
 */

/** A problem in one sentence, and what DuckDB said (shortened) for whoever wants to look closer. */
export interface FileProblem {
  readonly summary: string;
  readonly details?: string;
}

/** Leading bytes of formats people rename or mistake for CSV: [bytes, what the file is]. */
const SIGNATURES: ReadonlyArray<readonly [readonly number[], string]> = [
  [[0x50, 0x4b, 0x03, 0x04], 'a ZIP archive (an Excel .xlsx workbook is one), not a CSV file; save the sheet as CSV first'],
  [[0x50, 0x4b, 0x05, 0x06], 'an empty ZIP archive, not a CSV file'],
  [[0x1f, 0x8b], 'gzip-compressed; decompress it first'],
  [[0x28, 0xb5, 0x2f, 0xfd], 'zstd-compressed; decompress it first'],
  [[0x42, 0x5a, 0x68], 'bzip2-compressed; decompress it first'],
  [[0x50, 0x41, 0x52, 0x31], 'a Parquet file; rename it to .parquet'],
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image, not a CSV file'],
  [[0xff, 0xd8, 0xff], 'a JPEG image, not a CSV file'],
  [[0x47, 0x49, 0x46, 0x38], 'a GIF image, not a CSV file'],
  [[0x25, 0x50, 0x44, 0x46], 'a PDF document, not a CSV file'],
  [[0xd0, 0xcf, 0x11, 0xe0], 'an old Excel .xls (or other Office) file, not a CSV file; save the sheet as CSV first'],
  [[0x53, 0x51, 0x4c, 0x69, 0x74, 0x65], 'an SQLite database, not a CSV file'],
];

const startsWith = (head: Uint8Array, bytes: readonly number[]): boolean => bytes.every((byte, i) => head[i] === byte);

/**
 * A problem visible in the first bytes of a file meant to be delimited text, or null:
 * `contentProblem('sales.csv', zipBytes)` → `"sales.csv" is a ZIP archive (…), not a CSV file; …`.
 */
export function contentProblem(fileName: string, head: Uint8Array): FileProblem | null {
  const named = `"${fileName}"`;
  if (startsWith(head, [0xff, 0xfe]) || startsWith(head, [0xfe, 0xff])) {
    return { summary: `${named} is UTF-16 text; Aisle reads UTF-8. Save it as "CSV UTF-8" and load it again.` };
  }
  for (const [bytes, what] of SIGNATURES) if (startsWith(head, bytes)) return { summary: `${named} is ${what}.` };
  const sample = head.subarray(0, 4096);
  let control = 0;
  for (const byte of sample) {
    if (byte === 0) return { summary: `${named} is not text: it holds zero bytes, as binary files do.` };
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) control++;
  }
  if (sample.length > 0 && control / sample.length > 0.05) return { summary: `${named} is not text: it is full of control characters.` };
  return null;
}

/** DuckDB's message without the internal file path, the SQL it ran, or more than a glimpse of a quoted line. */
function shortened(message: string, fileName: string, registeredPath: string): string {
  const sqlContext = message.search(/\nLINE \d+:/);
  const withoutSql = (sqlContext >= 0 ? message.slice(0, sqlContext) : message).trimEnd();
  const lines = withoutSql.replaceAll(registeredPath, fileName).split('\n');
  const kept = lines.map((line) => (line.length > 240 ? `${line.slice(0, 240)}… (${(line.length - 240).toLocaleString('en-US')} more characters)` : line));
  const text = kept.join('\n');
  return text.length > 4000 ? `${text.slice(0, 4000)}…` : text;
}

/**
 * DuckDB's refusal to read a delimited file, said in one sentence naming the line:
 * `csvReadProblem('CSV Error on Line: 4\nExpected Number of Columns: 8 Found: 5…', 'a.csv', '/aisle-files/…')`
 * → `{ summary: 'Line 4 of "a.csv" has 5 fields; the header has 8.', details: … }`.
 */
export function csvReadProblem(message: string, fileName: string, registeredPath: string): FileProblem {
  const details = shortened(message, fileName, registeredPath);
  const named = `"${fileName}"`;
  const line = /CSV Error on Line: (\d+)/.exec(message)?.[1];
  const onLine = line === undefined ? '' : ` (line ${Number(line).toLocaleString('en-US')})`;
  const columns = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(message);
  if (columns && line !== undefined) {
    const found = Number(columns[2]);
    return {
      summary: `Line ${Number(line).toLocaleString('en-US')} of ${named} has ${found} field${found === 1 ? '' : 's'}; the header has ${columns[1]}.`,
      details,
    };
  }
  if (/Invalid unicode|not utf-8 encoded/i.test(message)) {
    return {
      summary: `${named} is not UTF-8 text${onLine}; it may be Latin-1 or Windows-1252. Save it as "CSV UTF-8" and load it again.`,
      details,
    };
  }
  const maximum = /Maximum line size of (\d+) bytes exceeded/i.exec(message);
  if (maximum) {
    const megabytes = Math.round(Number(maximum[1]) / 1e6);
    return { summary: `${named} has a line longer than ${megabytes} MB${onLine}, the most one line may hold.`, details };
  }
  if (/Value with unterminated quote|unterminated quote/i.test(message)) {
    return { summary: `${named} opens a quote that is never closed${onLine}.`, details };
  }
  if (/not possible to automatically detect the CSV parsing dialect/i.test(message)) {
    return {
      summary: `${named} could not be read as CSV: its lines do not split into the same number of fields with any delimiter (, ; | or tab).`,
      details,
    };
  }
  const first = details.split('\n').find((text) => text.trim() !== '') ?? details;
  return { summary: `${named} could not be read as CSV: ${first.replace(/^Invalid Input Error: /, '')}`, details };
}

/** Where the text ends inside a quoted field: the 1-based line the quote opened on, or null when every quote closes. */
export function unclosedQuoteLine(text: string, quote = '"'): number | null {
  let line = 1;
  let openedOn: number | null = null;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '\n') line++;
    else if (char === quote) openedOn = openedOn === null ? line : null; // a doubled quote inside a field toggles twice
  }
  return openedOn;
}

/** DuckDB's `max_line_size` default (2 MiB): a longer line fails the read. */
export const MAX_LINE_BYTES = 2 * 1024 * 1024;

/**
 * The first line longer than DuckDB reads, as its 1-based number and length, or null:
 * `overlongLine('a\n' + 'x'.repeat(3e6))` → `{ line: 2, length: 3000000 }`.
 */
export function overlongLine(text: string, limit = MAX_LINE_BYTES): { line: number; length: number } | null {
  let line = 1;
  for (let start = 0; start < text.length; line++) {
    const end = text.indexOf('\n', start);
    const stop = end === -1 ? text.length : end;
    if (stop - start > limit) return { line, length: stop - start };
    start = stop + 1;
  }
  return null;
}

/** The delimiter a header line uses most (`,` `;` `|` or tab), or null: `headerDelimiter('a;b;c')` → `';'`. */
export function headerDelimiter(headerLine: string): string | null {
  let best: string | null = null;
  let bestCount = 0;
  for (const candidate of [',', ';', '|', '\t']) {
    const count = headerLine.split(candidate).length - 1;
    if (count > bestCount) [best, bestCount] = [candidate, count];
  }
  return best;
}

/**
 * The first record whose number of fields differs from the header's, reading quotes as RFC 4180 does; null when
 * all agree. Blank lines are skipped; a last record cut off by the end of `text` is not judged.
 * `raggedRecord('a,b\n1,2\n3\n', ',')` → `{ line: 3, fields: 1, expected: 2 }`.
 */
export function raggedRecord(text: string, delimiter: string, quote = '"'): { line: number; fields: number; expected: number } | null {
  let expected: number | null = null;
  let line = 1;
  let recordLine = 1;
  let fields = 1;
  let quoted = false;
  let empty = true;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === quote) quoted = !quoted;
    else if (char === delimiter && !quoted) fields++;
    if (char === '\n') {
      line++;
      if (quoted) continue;
      if (!empty) {
        if (expected === null) expected = fields;
        else if (fields !== expected) return { line: recordLine, fields, expected };
      }
      [recordLine, fields, empty] = [line, 1, true];
    } else if (char !== '\r' && char !== ' ') {
      empty = false;
    }
  }
  return null;
}

/** True when the text has no character but blank space and line breaks. */
export const isBlank = (text: string): boolean => !/\S/.test(text);
