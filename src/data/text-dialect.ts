/**
 * How a delimited text file is read (its dialect and layout), found from its first bytes, and what it will look
 * like once read. Pure: the import sheet, the importer and the runner all start from `detect` (text-detect.ts) and
 * `preview` (text-preview.ts); this file holds the options they share and is the one the rest of the app imports.
 */
import type { TextEncoding } from './text-encoding.ts';
import { WHITESPACE } from './text-records.ts';

export { TEXT_ENCODINGS, encodingLabel, parseEncoding, type TextEncoding } from './text-encoding.ts';
export { DETECT_BYTES, WHITESPACE, gunzipHead, isGzip, splitRecords } from './text-records.ts';
export { definedOnly, detect } from './text-detect.ts';
export { BASKET_COLUMNS, PREVIEW_ROWS, defaultColumnNames, preview } from './text-preview.ts';

/** One character, or WHITESPACE. */
export type Delimiter = string;

/**
 * `table`: one record per line, the same fields in each.
 * `baskets`: one basket per line, its items separated by the delimiter (optionally a basket id first), read into a long
 * table `(basket_id, item)`.
 */
export type TextLayout = 'table' | 'baskets';

export type Compression = 'none' | 'gzip';

/** Everything that says how a text file becomes a table. */
export interface TextImportOptions {
  readonly delimiter: Delimiter;
  /** The quote character; '' reads quotes as ordinary characters. */
  readonly quote: string;
  /** True when the first line (after `skipLines`) names the columns. */
  readonly header: boolean;
  /** Column names when there is no header; absent: DuckDB's `column0`, `column1`, … (see `defaultColumnNames`). */
  readonly columnNames?: readonly string[];
  /** Types the user chose for columns, by position (0-based); the others are as DuckDB detects them. */
  readonly columnTypes?: Readonly<Record<number, PreviewType>>;
  /** Lines before the header (or the first record) that are not data: a title, a note. */
  readonly skipLines: number;
  readonly decimalSeparator: '.' | ',';
  readonly encoding: TextEncoding;
  /** A strptime format for dates (`%d/%m/%Y`); absent: DuckDB detects ISO and common formats itself. */
  readonly dateFormat?: string;
  /** A strptime format for timestamps (`%m/%d/%Y %H:%M`); absent: DuckDB detects it. */
  readonly timestampFormat?: string;
  readonly compression: Compression;
  readonly tableName: string;
  readonly layout: TextLayout;
  /** Baskets only: the first field of each line is the basket's id (else the basket id is the line's number, from 1). */
  readonly basketIdColumn: boolean;
}

/** The types the preview shows and a user can choose for a column, as DuckDB names them. */
export const PREVIEW_TYPES = ['BIGINT', 'DOUBLE', 'BOOLEAN', 'DATE', 'TIMESTAMP', 'VARCHAR'] as const;
export type PreviewType = (typeof PREVIEW_TYPES)[number];

export interface PreviewColumn {
  readonly name: string;
  readonly type: PreviewType;
}

/** The first rows as they will be read, and what the reader noticed. */
export interface TextPreview {
  readonly columns: readonly PreviewColumn[];
  /** Up to PREVIEW_ROWS rows, values as text ('' for empty). */
  readonly rows: readonly (readonly string[])[];
  /** Sentences for the person importing: what was detected, what is odd. */
  readonly notes: readonly string[];
  /** Baskets layout: how many baskets and distinct items the previewed bytes hold. */
  readonly baskets?: { readonly count: number; readonly distinctItems: number };
  /** False when the previewed bytes are only the head of the file, so counts are of that head. */
  readonly complete: boolean;
}

/** How a delimiter is called to a person. */
export function delimiterLabel(delimiter: Delimiter): string {
  switch (delimiter) {
    case WHITESPACE:
      return 'runs of spaces or tabs';
    case '\t':
      return 'tab';
    case ',':
      return 'comma';
    case ';':
      return 'semicolon';
    case '|':
      return 'vertical bar';
    case ' ':
      return 'space';
    default:
      return `"${delimiter}"`;
  }
}
