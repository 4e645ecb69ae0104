/**
 * Reading delimited text without DuckDB, for detection and the preview: records split by a delimiter (quotes as RFC
 * 4180 has them, or runs of whitespace), gzip heads, and the type a column's values read as.
 */
import { Gunzip } from 'fflate';
import type { Delimiter, PreviewType, TextImportOptions } from './text-dialect.ts';

/** The delimiter meaning "one or more spaces or tabs" (DuckDB has no such delimiter: such files are rewritten with tabs). */
export const WHITESPACE = 'whitespace';

/** How much of a file detection reads. */
export const DETECT_BYTES = 64 * 1024;

/** Records looked at to decide the dialect and a column's type. */
export const SAMPLE_RECORDS = 200;

/** True when the bytes start like a gzip stream. */
export const isGzip = (bytes: Uint8Array): boolean => bytes[0] === 0x1f && bytes[1] === 0x8b;

/** As much of a gzip stream's content as a head of it yields (decompression stops where the head ends). */
export function gunzipHead(head: Uint8Array, limit = 4 * DETECT_BYTES): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const gunzip = new Gunzip((chunk) => {
    if (total < limit) chunks.push(chunk);
    total += chunk.length;
  });
  try {
    gunzip.push(head, false);
  } catch {
    // A head cut inside a block, or a damaged stream: what came out before is what there is.
  }
  const out = new Uint8Array(Math.min(total, limit));
  let at = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, out.length - at);
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * Split text into records of fields. A char delimiter follows RFC 4180 quoting (a doubled quote inside quotes is one
 * quote); WHITESPACE splits on runs of spaces and tabs, ignoring them at both ends of a line. Blank lines are skipped.
 * `incomplete`: the text is a head, so its last line may be cut and is dropped. At most `limit` records.
 * `splitRecords('a,"b,c"\n1,2\n', ',', '"')` → `[['a', 'b,c'], ['1', '2']]`.
 */
export function splitRecords(text: string, delimiter: Delimiter, quote: string, limit = Infinity, incomplete = false): string[][] {
  const records: string[][] = [];
  const whitespace = delimiter === WHITESPACE;
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let wasQuoted = false;
  let i = 0;
  const endField = () => {
    fields.push(wasQuoted ? field : whitespace ? field : field.replace(/\r$/, ''));
    field = '';
    wasQuoted = false;
  };
  const endRecord = () => {
    if (!(fields.length === 0 && field.trim() === '' && !wasQuoted)) {
      if (!whitespace || field !== '' || wasQuoted) endField();
      records.push(fields);
    }
    fields = [];
    field = '';
    wasQuoted = false;
  };
  for (; i < text.length && records.length < limit; i++) {
    const char = text[i] as string;
    if (quoted) {
      if (char === quote) {
        if (text[i + 1] === quote) {
          field += quote;
          i++;
        } else quoted = false;
      } else field += char;
    } else if (char === '\n') {
      endRecord();
    } else if (quote !== '' && char === quote && (whitespace ? field === '' : field === '' || field.trim() === '')) {
      quoted = true;
      wasQuoted = true;
      field = '';
    } else if (whitespace ? char === ' ' || char === '\t' || char === '\r' : char === delimiter) {
      if (whitespace && field === '' && !wasQuoted) continue;
      endField();
    } else field += char;
  }
  if (records.length < limit && !incomplete && (field !== '' || fields.length > 0 || wasQuoted)) endRecord();
  return records.slice(0, limit);
}


const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const COMMA_NUMBER = /^[+-]?(\d{1,3}(\.\d{3})+|\d+),\d+$/;
const INTEGER = /^[+-]?\d+$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?$/;
export const SLASH_DATE = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?:[ T](\d{1,2}):(\d{2})(:\d{2})?)?$/;

/** A strptime format matching `value` (day/month order given), or null: `slashFormat('12/1/2010 8:26', false)` → `'%m/%d/%Y %H:%M'`. */
export function slashFormat(value: string, dayFirst: boolean): string | null {
  const match = SLASH_DATE.exec(value);
  if (!match) return null;
  const separator = match[2] as string;
  const date = dayFirst ? `%d${separator}%m${separator}%Y` : `%m${separator}%d${separator}%Y`;
  if (match[5] === undefined) return date;
  return `${date} %H:%M${match[7] === undefined ? '' : ':%S'}`;
}

/** The type a value reads as, given the decimal separator and the date formats in use. */
export function valueType(value: string, options: Pick<TextImportOptions, 'decimalSeparator' | 'dateFormat' | 'timestampFormat'>): PreviewType | null {
  const text = value.trim();
  if (text === '') return null;
  if (INTEGER.test(text)) return 'BIGINT';
  if (options.decimalSeparator === ',' ? COMMA_NUMBER.test(text) || NUMBER.test(text) : NUMBER.test(text)) return 'DOUBLE';
  if (/^(true|false)$/i.test(text)) return 'BOOLEAN';
  if (ISO_DATE.test(text)) return 'DATE';
  if (ISO_TIMESTAMP.test(text)) return 'TIMESTAMP';
  const match = SLASH_DATE.exec(text);
  if (match) {
    const format = match[5] === undefined ? options.dateFormat : options.timestampFormat;
    if (format !== undefined && (format === slashFormat(text, true) || format === slashFormat(text, false))) return match[5] === undefined ? 'DATE' : 'TIMESTAMP';
  }
  return 'VARCHAR';
}

/** The common type of a column's values: integers widen to doubles, dates to timestamps, anything else to text. */
export function columnType(values: readonly string[], options: Pick<TextImportOptions, 'decimalSeparator' | 'dateFormat' | 'timestampFormat'>): PreviewType {
  let type: PreviewType | null = null;
  for (const value of values) {
    const next = valueType(value, options);
    if (next === null || next === type) continue;
    if (type === null) type = next;
    else if ((type === 'BIGINT' && next === 'DOUBLE') || (type === 'DOUBLE' && next === 'BIGINT')) type = 'DOUBLE';
    else if ((type === 'DATE' && next === 'TIMESTAMP') || (type === 'TIMESTAMP' && next === 'DATE')) type = 'TIMESTAMP';
    else return 'VARCHAR';
  }
  return type ?? 'VARCHAR';
}

/** Items of basket records, trimmed, without empty ones; the first field is the id when `idColumn`. */
export function basketItems(record: readonly string[], idColumn: boolean): string[] {
  return record.slice(idColumn ? 1 : 0).map((item) => item.trim()).filter((item) => item !== '');
}
