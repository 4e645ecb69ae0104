/**
 * The import sheet's state: how a picked, dropped or fetched file will be read, as the user edits it, what the
 * preview must be asked again for, what stops an import, and what "Import" sends. Pure: the sheet component holds
 * one `ImportSheet` and replaces it with `editSheet` on every change.
 */
import type { SheetInfo } from '../data/excel/index.ts';
import type { TablePreview, PreviewValue } from '../data/column-builder.ts';
import {
  WHITESPACE,
  defaultColumnNames,
  delimiterLabel,
  type Delimiter,
  type TextEncoding,
  type TextImportOptions,
  type PreviewType,
  type TextLayout,
  type TextPreview,
} from '../data/text-dialect.ts';
import type { FileInspection } from './ports.ts';
import { cellNameProblem } from '../util/names.ts';
import { tableNameFromFile } from '../util/sql.ts';
import { assertNever } from '../util/assert.ts';

/** A delimited text file: the options as detected, and as the user has them now. */
export interface TextSheet {
  readonly kind: 'text';
  readonly fileName: string;
  readonly detected: TextImportOptions;
  readonly options: TextImportOptions;
}

/** An Excel workbook: its sheets, the one picked, and the row holding the column names (0: none). */
export interface ExcelSheet {
  readonly kind: 'excel';
  readonly fileName: string;
  readonly sheets: readonly SheetInfo[];
  readonly sheet: string;
  readonly headerRow: number;
  readonly tableName: string;
}

/** JSON records: nested objects flattened into `a.b` columns, or kept as JSON text. */
export interface JsonSheet {
  readonly kind: 'json';
  readonly fileName: string;
  readonly nested: 'flatten' | 'json';
  readonly tableName: string;
}

export type ImportSheet = TextSheet | ExcelSheet | JsonSheet;

export function textSheet(fileName: string, detected: TextImportOptions): TextSheet {
  return { kind: 'text', fileName, detected, options: detected };
}

/** The first visible sheet is picked, its first row taken as the header. */
export function excelSheet(fileName: string, sheets: readonly SheetInfo[]): ExcelSheet {
  const first = sheets.find((sheet) => !sheet.hidden) ?? sheets[0];
  return { kind: 'excel', fileName, sheets, sheet: first?.name ?? '', headerRow: 1, tableName: defaultTableName(fileName) };
}

export function jsonSheet(fileName: string): JsonSheet {
  return { kind: 'json', fileName, nested: 'flatten', tableName: defaultTableName(fileName) };
}

/** The sheet a file opens, or null when it is loaded straight away (Parquet, or not text: the importer says why). */
export function sheetFor(fileName: string, inspection: FileInspection): ImportSheet | null {
  switch (inspection.kind) {
    case 'text':
      return textSheet(fileName, inspection.detected);
    case 'excel':
      return excelSheet(fileName, inspection.sheets);
    case 'json':
      return jsonSheet(fileName);
    case 'direct':
      return null;
    default:
      return assertNever(inspection);
  }
}

/** A workbook or JSON file's table is named after the file without its extension: `Online Retail.xlsx` → `online_retail`. */
function defaultTableName(fileName: string): string {
  return tableNameFromFile(fileName.replace(/\.(xlsx|xlsm|xls|json)$/i, ''));
}

/** One change the user makes in the sheet. */
export type SheetEdit =
  | { readonly kind: 'delimiter'; readonly value: Delimiter }
  | { readonly kind: 'quote'; readonly value: string }
  | { readonly kind: 'header'; readonly value: boolean }
  | { readonly kind: 'skip-lines'; readonly value: number }
  | { readonly kind: 'decimal-separator'; readonly value: '.' | ',' }
  | { readonly kind: 'encoding'; readonly value: TextEncoding }
  | { readonly kind: 'date-format'; readonly value: string }
  | { readonly kind: 'timestamp-format'; readonly value: string }
  | { readonly kind: 'layout'; readonly value: TextLayout }
  | { readonly kind: 'basket-id-column'; readonly value: boolean }
  /** A column's name when there is no header; `width` is how many columns the preview shows. */
  | { readonly kind: 'column-name'; readonly index: number; readonly value: string; readonly width: number }
  /** A type for the column at `index`; null goes back to the detected one. */
  | { readonly kind: 'column-type'; readonly index: number; readonly value: PreviewType | null }
  | { readonly kind: 'table-name'; readonly value: string }
  | { readonly kind: 'sheet'; readonly value: string }
  | { readonly kind: 'header-row'; readonly value: number }
  | { readonly kind: 'nested'; readonly value: 'flatten' | 'json' };

/** The sheet after one edit; an edit that does not apply to the file's kind leaves it as it was. */
export function editSheet(sheet: ImportSheet, edit: SheetEdit): ImportSheet {
  if (edit.kind === 'table-name') {
    return sheet.kind === 'text' ? { ...sheet, options: { ...sheet.options, tableName: edit.value } } : { ...sheet, tableName: edit.value };
  }
  switch (sheet.kind) {
    case 'excel':
      if (edit.kind === 'sheet') return { ...sheet, sheet: edit.value };
      if (edit.kind === 'header-row') return { ...sheet, headerRow: edit.value };
      return sheet;
    case 'json':
      return edit.kind === 'nested' ? { ...sheet, nested: edit.value } : sheet;
    case 'text':
      return { ...sheet, options: editText(sheet.options, edit) };
    default:
      return assertNever(sheet);
  }
}

function editText(options: TextImportOptions, edit: Exclude<SheetEdit, { kind: 'table-name' }>): TextImportOptions {
  switch (edit.kind) {
    case 'delimiter':
      return withoutColumnTypes({ ...options, delimiter: edit.value });
    case 'quote':
      return { ...options, quote: edit.value };
    case 'header':
      return edit.value ? withoutColumnNames({ ...options, header: true }) : { ...options, header: false };
    case 'skip-lines':
      return { ...options, skipLines: edit.value };
    case 'decimal-separator':
      return { ...options, decimalSeparator: edit.value };
    case 'encoding':
      return { ...options, encoding: edit.value };
    case 'date-format':
      return withFormat(options, 'dateFormat', edit.value);
    case 'timestamp-format':
      return withFormat(options, 'timestampFormat', edit.value);
    case 'layout':
      return withoutColumnTypes({ ...options, layout: edit.value });
    case 'basket-id-column':
      return { ...options, basketIdColumn: edit.value };
    case 'column-name': {
      const names = defaultColumnNames(Math.max(edit.width, edit.index + 1)).map((fallback, i) => options.columnNames?.[i] ?? fallback);
      names[edit.index] = edit.value;
      return { ...options, columnNames: names };
    }
    case 'column-type': {
      const { [edit.index]: _dropped, ...others } = options.columnTypes ?? {};
      const types = edit.value === null ? others : { ...others, [edit.index]: edit.value };
      const { columnTypes: _old, ...rest } = options;
      return Object.keys(types).length === 0 ? rest : { ...rest, columnTypes: types };
    }
    case 'sheet':
    case 'header-row':
    case 'nested':
      return options;
    default:
      return assertNever(edit);
  }
}

/** Another delimiter or layout makes other columns: types chosen by position no longer apply. */
function withoutColumnTypes(options: TextImportOptions): TextImportOptions {
  const { columnTypes: _dropped, ...rest } = options;
  return rest;
}

function withoutColumnNames(options: TextImportOptions): TextImportOptions {
  const { columnNames: _dropped, ...rest } = options;
  return rest;
}

/** An empty format means "let the reader find it", so the key goes. */
function withFormat(options: TextImportOptions, key: 'dateFormat' | 'timestampFormat', value: string): TextImportOptions {
  const { [key]: _dropped, ...rest } = options;
  return value.trim() === '' ? rest : { ...rest, [key]: value };
}

export function sheetTableName(sheet: ImportSheet): string {
  return sheet.kind === 'text' ? sheet.options.tableName : sheet.tableName;
}

/**
 * What the preview depends on, as one string: the preview is asked again only when it changes (renaming the table
 * does not re-read the file), and a preview that arrives for an older key is dropped.
 */
export function previewKey(sheet: ImportSheet): string {
  if (sheet.kind === 'excel') return JSON.stringify(['excel', sheet.sheet, sheet.headerRow]);
  if (sheet.kind === 'json') return JSON.stringify(['json', sheet.nested]);
  const { tableName: _name, ...rest } = sheet.options;
  return JSON.stringify(['text', Object.entries(rest).sort(([a], [b]) => a.localeCompare(b))]);
}

/** The preview as the sheet shows it, whatever the file's kind. */
export interface SheetPreview {
  readonly columns: readonly { readonly name: string; readonly type: string }[];
  readonly rows: readonly (readonly string[])[];
  readonly notes: readonly string[];
  readonly baskets?: { readonly count: number; readonly distinctItems: number };
  /** False when the counts and types come from the head of the file only. */
  readonly complete: boolean;
}

/** A text file's preview; the baskets count is shown on its own, so its note is not repeated below it. */
export function textSheetPreview(preview: TextPreview): SheetPreview {
  if (preview.baskets === undefined) return preview;
  const counted = `${preview.baskets.count.toLocaleString('en-US')} baskets with `;
  return { ...preview, notes: preview.notes.filter((note) => !note.startsWith(counted)) };
}

/** An Excel sheet's or JSON file's first rows as text: numbers as read (`2.5`), blanks empty, booleans `true`/`false`. */
export function recordSheetPreview(preview: TablePreview): SheetPreview {
  const text = (value: PreviewValue) => (value === null ? '' : String(value));
  return { columns: preview.columns, rows: preview.rows.map((row) => row.map(text)), notes: [], complete: false };
}

/** A problem that stops the import, and the control it belongs to (for the message beside it). */
export interface SheetProblem {
  readonly field: 'table-name' | 'column-name' | 'delimiter' | 'quote' | 'skip-lines' | 'header-row' | 'sheet' | 'preview';
  /** The column, for a column-name problem. */
  readonly index?: number;
  readonly message: string;
}

export interface SheetContext {
  /** True when a cell of the open notebook claims the name (its table, canonical view or clean table would clash). */
  readonly isCellName: (name: string) => boolean;
}

/**
 * Everything that stops an import now, each naming the value: a table name the name rule refuses or a cell owns,
 * an empty or repeated column name, a delimiter that is not one character, a negative line count, a missing sheet.
 * `preview` is the latest preview, or an Error when reading the head failed.
 */
export function sheetProblems(sheet: ImportSheet, preview: SheetPreview | Error | null, context: SheetContext): SheetProblem[] {
  const problems: SheetProblem[] = [];
  const tableName = sheetTableName(sheet);
  const nameProblem = cellNameProblem(tableName);
  if (nameProblem !== undefined) problems.push({ field: 'table-name', message: `Table name: ${nameProblem}.` });
  else {
    const clash = [tableName, `${tableName}_canonical`, `${tableName}_clean`].find((name) => context.isCellName(name));
    if (clash !== undefined) problems.push({ field: 'table-name', message: `Table name: a cell of this notebook is named ${clash}.` });
  }
  if (preview instanceof Error) problems.push({ field: 'preview', message: preview.message });
  if (sheet.kind === 'excel') {
    if (!sheet.sheets.some((info) => info.name === sheet.sheet)) problems.push({ field: 'sheet', message: `The workbook has no sheet "${sheet.sheet}".` });
    if (!Number.isInteger(sheet.headerRow) || sheet.headerRow < 0) {
      problems.push({ field: 'header-row', message: `Header row: a row number (1, 2, …) or 0 for none, not ${String(sheet.headerRow)}.` });
    }
    return problems;
  }
  if (sheet.kind === 'json') return problems;
  const { options } = sheet;
  if (options.delimiter !== WHITESPACE && (options.delimiter.length !== 1 || options.delimiter === '\n' || options.delimiter === '\r')) {
    problems.push({ field: 'delimiter', message: `Delimiter: one character, or runs of spaces or tabs (not ${JSON.stringify(options.delimiter)}).` });
  }
  if (options.quote.length > 1) problems.push({ field: 'quote', message: `Quote: one character or none (not ${JSON.stringify(options.quote)}).` });
  else if (options.quote !== '' && options.quote === options.delimiter) {
    problems.push({ field: 'quote', message: `Quote: the quote and the delimiter are both ${delimiterLabel(options.delimiter)}.` });
  }
  if (!Number.isInteger(options.skipLines) || options.skipLines < 0) {
    problems.push({ field: 'skip-lines', message: `Skip lines: a whole number of lines, 0 or more (not ${String(options.skipLines)}).` });
  }
  if (!options.header && options.layout === 'table' && preview !== null && !(preview instanceof Error)) {
    const seen = new Map<string, number>();
    preview.columns.forEach((column, index) => {
      const name = column.name.trim();
      if (name === '') {
        problems.push({ field: 'column-name', index, message: `Column ${index + 1} needs a name.` });
        return;
      }
      const earlier = seen.get(name.toLowerCase());
      if (earlier !== undefined) problems.push({ field: 'column-name', index, message: `Columns ${earlier + 1} and ${index + 1} are both named ${name}.` });
      else seen.set(name.toLowerCase(), index);
    });
  }
  return problems;
}

/** What "Import" hands the importer. */
export type ImportRequest =
  | { readonly kind: 'text'; readonly fileName: string; readonly options: TextImportOptions }
  | { readonly kind: 'excel'; readonly fileName: string; readonly sheet: string; readonly headerRow: number; readonly tableName: string }
  | { readonly kind: 'json'; readonly fileName: string; readonly nested: 'flatten' | 'json'; readonly tableName: string };

/**
 * The import as the sheet stands. Column names go only with a headerless table (a header or the baskets layout
 * names the columns itself), trimmed, and exactly as many as the preview shows.
 */
export function importRequest(sheet: ImportSheet, preview: SheetPreview | null): ImportRequest {
  if (sheet.kind === 'excel') {
    return { kind: 'excel', fileName: sheet.fileName, sheet: sheet.sheet, headerRow: sheet.headerRow, tableName: sheet.tableName.trim() };
  }
  if (sheet.kind === 'json') return { kind: 'json', fileName: sheet.fileName, nested: sheet.nested, tableName: sheet.tableName.trim() };
  const options = { ...sheet.options, tableName: sheet.options.tableName.trim() };
  if (options.header || options.layout === 'baskets' || options.columnNames === undefined) {
    return { kind: 'text', fileName: sheet.fileName, options: withoutColumnNames(options) };
  }
  const width = preview?.columns.length ?? options.columnNames.length;
  const names = defaultColumnNames(width).map((fallback, i) => options.columnNames?.[i]?.trim() || fallback);
  return { kind: 'text', fileName: sheet.fileName, options: { ...options, columnNames: names } };
}

/** "Import as detected": everything as detection found it, the table named after the file. */
export function detectedRequest(sheet: ImportSheet): ImportRequest {
  if (sheet.kind === 'excel') return importRequest(excelSheet(sheet.fileName, sheet.sheets), null);
  if (sheet.kind === 'json') return importRequest(jsonSheet(sheet.fileName), null);
  return { kind: 'text', fileName: sheet.fileName, options: sheet.detected };
}

/** The importer's options for a request (`importFile`'s `tableName`, `text`, `excel`, `json`). */
export function importOptionsOf(request: ImportRequest):
  | { readonly tableName: string; readonly text: TextImportOptions }
  | { readonly tableName: string; readonly excel: { readonly sheet: string; readonly headerRow: number } }
  | { readonly tableName: string; readonly json: { readonly nested: 'flatten' | 'json' } } {
  switch (request.kind) {
    case 'text':
      return { tableName: request.options.tableName, text: request.options };
    case 'excel':
      return { tableName: request.tableName, excel: { sheet: request.sheet, headerRow: request.headerRow } };
    case 'json':
      return { tableName: request.tableName, json: { nested: request.nested } };
    default:
      return assertNever(request);
  }
}
