/** What a delimited text file will look like once read with given options: its first rows, columns, types and notes. */
import { textColumns } from './retail.ts';
import type { PreviewColumn, TextImportOptions, TextPreview } from './text-dialect.ts';
import { decodeText, encodingLabel, invalidOffset, EncodingError } from './text-encoding.ts';
import { DETECT_BYTES, SAMPLE_RECORDS, WHITESPACE, basketItems, columnType, gunzipHead, isGzip, splitRecords } from './text-records.ts';

export const PREVIEW_ROWS = 20;

/** DuckDB's names for the columns of a file without a header: `defaultColumnNames(3)` → `['column0', 'column1', 'column2']`. */
export function defaultColumnNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `column${i}`);
}

/** The columns a baskets import makes. */
export const BASKET_COLUMNS = { basket: 'basket_id', item: 'item' } as const;

/** Header names as DuckDB makes them: blanks become `columnN`, repeats get `_1`, `_2`. */
function headerNames(record: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return record.map((raw, i) => {
    const name = raw.trim() === '' ? `column${i}` : raw;
    const count = seen.get(name) ?? 0;
    seen.set(name, count + 1);
    return count === 0 ? name : `${name}_${count}`;
  });
}

/**
 * The first rows of the file as `options` read it, their columns and types, and notes on what was detected. For
 * the baskets layout the rows are the long table `(basket_id, item)`, and `baskets` counts baskets and distinct items.
 */
export function preview(bytesHead: Uint8Array, options: TextImportOptions, complete = bytesHead.length < DETECT_BYTES): TextPreview {
  const notes: string[] = [];
  const content = isGzip(bytesHead) ? gunzipHead(bytesHead) : bytesHead;
  const whole = complete && !isGzip(bytesHead);
  const bad = invalidOffset(content, options.encoding, !whole);
  if (bad !== -1) {
    try {
      decodeText(content, options.encoding, { strict: true, truncated: !whole });
    } catch (error) {
      if (error instanceof EncodingError) notes.push(`${capitalised(error.message)}; they are shown as �. Another encoding may fit.`);
    }
  }
  if (options.encoding !== 'utf-8') notes.push(`Encoding: ${encodingLabel(options.encoding)}.`);
  const text = decodeText(content, options.encoding, { truncated: !whole });
  const all = splitRecords(text, options.delimiter, options.quote, Infinity, !whole).slice(options.skipLines);
  if (options.skipLines > 0) notes.push(options.skipLines === 1 ? 'The first line is skipped.' : `The first ${options.skipLines} lines are skipped.`);
  if (options.delimiter === WHITESPACE) notes.push('Fields are separated by runs of spaces or tabs.');
  if (options.layout === 'baskets') return basketPreview(all, options, notes, whole);

  const width = all.reduce((max, record) => Math.max(max, record.length), 0);
  const names = options.header
    ? headerNames(all[0] ?? [])
    : defaultColumnNames(width).map((fallback, i) => options.columnNames?.[i] ?? fallback);
  if (!options.header) notes.push(`No header row: columns are named ${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : '.'}`);
  const body = all.slice(options.header ? 1 : 0);
  // Retail identifiers (`InvoiceNo`, `CustomerID`) are read as text, as the importer does.
  const identifiers = new Set(textColumns(names));
  const columns = names.map((name, i): PreviewColumn => ({
    name,
    type: options.columnTypes?.[i] ?? (identifiers.has(name) ? 'VARCHAR' : columnType(body.slice(0, SAMPLE_RECORDS).map((record) => record[i] ?? ''), options)),
  }));
  const ragged = body.findIndex((record) => record.length !== names.length);
  if (ragged !== -1) {
    const line = options.skipLines + (options.header ? 2 : 1) + ragged;
    notes.push(`Record ${line.toLocaleString('en-US')} has ${body[ragged]!.length} fields; the table has ${names.length}.`);
  }
  return { columns, rows: body.slice(0, PREVIEW_ROWS).map((record) => names.map((_, i) => record[i] ?? '')), notes, complete: whole };
}

function basketPreview(records: readonly string[][], options: TextImportOptions, notes: string[], complete: boolean): TextPreview {
  const rows: string[][] = [];
  const distinct = new Set<string>();
  records.forEach((record, line) => {
    const id = options.basketIdColumn ? (record[0] ?? '').trim() : String(line + 1);
    for (const item of basketItems(record, options.basketIdColumn)) {
      distinct.add(item);
      if (rows.length < PREVIEW_ROWS) rows.push([id, item]);
    }
  });
  const scope = complete ? '' : ' in the first part of the file';
  notes.push(`${records.length.toLocaleString('en-US')} baskets with ${distinct.size.toLocaleString('en-US')} distinct items${scope}, one basket per line.`);
  return {
    columns: [
      { name: BASKET_COLUMNS.basket, type: options.basketIdColumn ? 'VARCHAR' : 'BIGINT' },
      { name: BASKET_COLUMNS.item, type: 'VARCHAR' },
    ],
    rows,
    notes,
    baskets: { count: records.length, distinctItems: distinct.size },
    complete,
  };
}

const capitalised = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
