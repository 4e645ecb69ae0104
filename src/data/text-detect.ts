/** Finding how a delimited text file is read (delimiter, quote, header, layout, formats) from its first bytes. */
import { tableNameFromFile } from '../util/sql.ts';
import type { Delimiter, TextImportOptions } from './text-dialect.ts';
import { decodeText, detectEncoding, type TextEncoding } from './text-encoding.ts';
import { DETECT_BYTES, SAMPLE_RECORDS, SLASH_DATE, WHITESPACE, basketItems, columnType, gunzipHead, isGzip, slashFormat, splitRecords, valueType } from './text-records.ts';

const CHAR_DELIMITERS = [',', '\t', ';', '|'] as const;

/** Decoded text of a head, with the compression and encoding read off it. */
function headText(bytesHead: Uint8Array, encoding: TextEncoding, complete: boolean): { text: string; complete: boolean } {
  const gzip = isGzip(bytesHead);
  const content = gzip ? gunzipHead(bytesHead) : bytesHead;
  const whole = complete && !gzip;
  return { text: decodeText(content, encoding, { truncated: !whole }), complete: whole };
}

interface DelimiterFit {
  readonly delimiter: Delimiter;
  /** The most common number of fields. */
  readonly fields: number;
  /** Share of records (after the skipped lines) with that number. */
  readonly share: number;
  readonly skip: number;
  readonly records: string[][];
}

function modeOf(counts: readonly number[]): number {
  const tally = new Map<number, number>();
  let best = 0;
  let bestCount = 0;
  for (const count of counts) {
    const seen = (tally.get(count) ?? 0) + 1;
    tally.set(count, seen);
    if (seen > bestCount || (seen === bestCount && count > best)) [best, bestCount] = [count, seen];
  }
  return best;
}

function fitOf(text: string, delimiter: Delimiter, quote: string, incomplete: boolean): DelimiterFit {
  const records = splitRecords(text, delimiter, quote, SAMPLE_RECORDS, incomplete);
  const counts = records.map((record) => record.length);
  const fields = modeOf(counts);
  // Leading lines that do not have the common shape (a title, a note above the table) are skipped, up to ten.
  let skip = 0;
  while (skip < Math.min(10, counts.length - 1) && counts[skip] !== fields) skip++;
  if (skip === counts.length - 1 || counts[skip] !== fields) skip = 0;
  const rest = counts.slice(skip);
  const share = rest.length === 0 ? 0 : rest.filter((count) => count === fields).length / rest.length;
  return { delimiter, fields, share, skip, records };
}


/** The char delimiter basket lines use: the one found on most lines (commas first on ties); WHITESPACE when none is. */
function basketDelimiter(text: string, incomplete: boolean): Delimiter {
  const lines = splitRecords(text, '\n', '', SAMPLE_RECORDS, incomplete).map((record) => record.join(''));
  let best: Delimiter = WHITESPACE;
  let bestLines = 0;
  for (const candidate of CHAR_DELIMITERS) {
    const count = lines.filter((line) => line.includes(candidate)).length;
    if (count > bestLines) [best, bestLines] = [candidate, count];
  }
  return bestLines >= Math.max(1, lines.length * 0.3) ? best : WHITESPACE;
}

/**
 * Do these records look like baskets? Their lengths vary, items recur across lines, and no line looks like a header
 * (the first line's items recur below too).
 */
function looksLikeBaskets(records: readonly string[][]): boolean {
  if (records.length < 3) return false;
  const lengths = new Set(records.map((record) => record.length));
  if (lengths.size < 2) return false;
  const linesWith = new Map<string, number>();
  let total = 0;
  for (const record of records) {
    const items = new Set(basketItems(record, false));
    total += items.size;
    for (const item of items) linesWith.set(item, (linesWith.get(item) ?? 0) + 1);
  }
  const recurring = [...linesWith.values()].filter((lines) => lines >= 2).length;
  if (recurring === 0 || total / linesWith.size < 1.1) return false;
  // A header names things that do not recur as items; a first basket shares items with later ones.
  const first = new Set(basketItems(records[0] as string[], false));
  return [...first].some((item) => (linesWith.get(item) ?? 0) >= 2);
}

/** True when the first field of each basket line is an id: distinct on every line and never an item elsewhere. */
function hasBasketIdColumn(records: readonly string[][]): boolean {
  if (records.length < 3 || records.some((record) => record.length < 2)) return false;
  const ids = records.map((record) => (record[0] as string).trim());
  if (new Set(ids).size !== ids.length) return false;
  const items = new Set(records.flatMap((record) => basketItems(record, true)));
  return ids.every((id) => !items.has(id));
}

/** The first record is data, not names: all its fields are numbers or dates, or each typed column's value fits its type. */
function firstRecordIsData(records: readonly string[][], options: Pick<TextImportOptions, 'decimalSeparator' | 'dateFormat' | 'timestampFormat'>): boolean {
  const [first, ...body] = records;
  if (first === undefined) return false;
  const firstTypes = first.map((value) => valueType(value, options));
  if (firstTypes.length > 0 && firstTypes.every((type) => type !== null && type !== 'VARCHAR' && type !== 'BOOLEAN')) return true;
  if (body.length === 0) return false;
  let typed = 0;
  for (let column = 0; column < first.length; column++) {
    const type = columnType(body.map((record) => record[column] ?? ''), options);
    if (type === 'VARCHAR') continue;
    typed++;
    const own = firstTypes[column] ?? null;
    if (own !== null && columnType([first[column] as string], options) !== type && !(type === 'DOUBLE' && own === 'BIGINT') && !(type === 'TIMESTAMP' && own === 'DATE')) return false;
    if (own === null) return false;
  }
  return typed > 0;
}

/** A decimal comma: the delimiter is not a comma and number-like fields use commas for their decimals. */
function detectDecimalComma(records: readonly string[][], delimiter: Delimiter): boolean {
  if (delimiter === ',') return false;
  let comma = 0;
  let point = 0;
  for (const record of records) {
    for (const value of record) {
      const text = value.trim();
      if (/^[+-]?\d+,\d+$/.test(text) || /^[+-]?\d{1,3}(\.\d{3})+,\d+$/.test(text)) comma++;
      else if (/^[+-]?\d+\.\d+$/.test(text)) point++;
    }
  }
  return comma > 0 && comma >= point * 4;
}

/** Date and timestamp formats for d/m/y-like columns (ISO needs none): day first when a first part is over 12, month first when a second is. */
function detectDateFormats(records: readonly string[][]): { dateFormat?: string; timestampFormat?: string } {
  let dayFirst = false;
  let monthFirst = false;
  let date: string | undefined;
  let timestamp: string | undefined;
  for (const record of records) {
    for (const value of record) {
      const match = SLASH_DATE.exec(value.trim());
      if (!match) continue;
      if (Number(match[1]) > 12) dayFirst = true;
      if (Number(match[3]) > 12) monthFirst = true;
      if (match[5] === undefined) date ??= value.trim();
      else timestamp ??= value.trim();
    }
  }
  // Without a part over 12 the order is a guess, and a wrong one would fail (or misread) the rows after the head:
  // such columns are left to DuckDB, which keeps them as text, and to the retail profile.
  if (dayFirst === monthFirst) return {};
  const result: { dateFormat?: string; timestampFormat?: string } = {};
  if (date !== undefined) result.dateFormat = slashFormat(date, dayFirst) ?? undefined;
  if (timestamp !== undefined) result.timestampFormat = slashFormat(timestamp, dayFirst) ?? undefined;
  return result;
}

/** The quote character: `'` when fields are wrapped in it more often than in `"`. */
function detectQuote(text: string): string {
  const wrapped = (quote: string) => (text.match(new RegExp(`(^|[,;|\\t ])${quote}[^${quote}\\n]*${quote}(?=[,;|\\t ]|\\r?$)`, 'gm')) ?? []).length;
  return wrapped("'") > wrapped('"') ? "'" : '"';
}

/**
 * How to read a text file, from its first bytes (DETECT_BYTES are plenty; gzip is decompressed first). Finds the
 * encoding, the delimiter (runs of whitespace included), the quote, lines to skip, whether the first line is a
 * header, a decimal comma, d/m/y date formats, and whether lines are baskets. `complete`: the bytes are the
 * whole file (default: when fewer than DETECT_BYTES). `fixed`: options already chosen (a delimiter, a layout…); the
 * rest is detected to fit them, so changing one option in the import sheet re-detects the others.
 * `detect(bytes('196 242 3 881250949\n186 302 3 891717742\n'), 'u.data')` → `{ delimiter: 'whitespace', header: false, … }`.
 */
export function detect(
  bytesHead: Uint8Array,
  fileName: string,
  complete = bytesHead.length < DETECT_BYTES,
  fixed: Partial<TextImportOptions> = {},
): TextImportOptions {
  const gzip = isGzip(bytesHead);
  const content = gzip ? gunzipHead(bytesHead) : bytesHead;
  const encoding = fixed.encoding ?? detectEncoding(content, !complete || gzip);
  const { text, complete: whole } = headText(bytesHead, encoding, complete);
  const incomplete = !whole;
  const quote = fixed.quote ?? detectQuote(text);
  const base = {
    quote,
    encoding,
    compression: gzip ? 'gzip' : 'none',
    tableName: tableNameFromFile(fileName.replace(/\.gz$/i, '')),
    basketIdColumn: false,
    decimalSeparator: '.',
  } as const;
  const result = (options: TextImportOptions): TextImportOptions => ({ ...options, ...definedOnly(fixed) });

  const candidates = fixed.delimiter === undefined ? [...CHAR_DELIMITERS, WHITESPACE] : [fixed.delimiter];
  const fits = candidates.map((delimiter) => fitOf(text, delimiter, quote, incomplete));
  // The best table shape; ties keep the order above (commas first, whitespace last).
  const tables = fits.filter((fit) => fit.fields >= 2);
  const best = tables.reduce<DelimiterFit | null>((a, b) => (a === null || betterFit(b, a) ? b : a), null);

  const layout = fixed.layout;
  if (layout === 'baskets' || (layout === undefined && (best === null || best.share < 0.8))) {
    const delimiter = fixed.delimiter ?? basketDelimiter(text, incomplete);
    const records = splitRecords(text, delimiter, quote, SAMPLE_RECORDS, incomplete);
    if (layout === 'baskets' || looksLikeBaskets(records)) {
      return result({ ...base, delimiter, header: false, skipLines: 0, layout: 'baskets', basketIdColumn: hasBasketIdColumn(records) });
    }
  }
  const fit = best ?? fits[0]!;
  const skipLines = fixed.skipLines ?? fit.skip;
  const records = splitRecords(text, fit.delimiter, quote, SAMPLE_RECORDS + skipLines, incomplete).slice(skipLines);
  const decimalSeparator = fixed.decimalSeparator ?? (detectDecimalComma(records, fit.delimiter) ? ',' : '.');
  const formats = detectDateFormats(records.slice(1));
  const header = !firstRecordIsData(records, { decimalSeparator, ...formats, ...definedOnly({ dateFormat: fixed.dateFormat, timestampFormat: fixed.timestampFormat }) });
  return result({ ...base, delimiter: fit.delimiter, header, skipLines, decimalSeparator, ...formats, layout: 'table' });
}

/** The entries of an object that are not undefined (so spreading it over defaults keeps them where it says nothing). */
export function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}

/** Most records alike first, then fewer lines skipped, then a real delimiter over whitespace, then more fields. */
function betterFit(candidate: DelimiterFit, current: DelimiterFit): boolean {
  if (Math.abs(candidate.share - current.share) > 1e-9) return candidate.share > current.share;
  if (candidate.skip !== current.skip) return candidate.skip < current.skip;
  if ((candidate.delimiter === WHITESPACE) !== (current.delimiter === WHITESPACE)) return current.delimiter === WHITESPACE;
  return candidate.fields > current.fields;
}
