/**
 * Import options as people write them: on the runner's command line (`header=false,delim=ws,encoding=latin1`) and in
 * a notebook's front matter (`data: { ratings: { path: u.data, header: false, delim: ws } }`). One vocabulary for
 * both, read into the options the importer takes: a text file's (which `detect` completes), an Excel workbook's
 * (`sheet=2,header_row=2`) and a JSON file's (`nested=json`).
 */
import { recordFormatOf, type ExcelImportOptions, type JsonImportOptions } from './record-files.ts';
import { WHITESPACE, parseEncoding, type TextImportOptions } from './text-dialect.ts';

/** An option that cannot be read, naming the key and the value. */
export class ImportOptionsError extends Error {
  override readonly name = 'ImportOptionsError';
}

/** The keys, for messages and the usage text. */
export const IMPORT_OPTION_KEYS = ['delim', 'header', 'names', 'quote', 'skip', 'decimal', 'encoding', 'dateformat', 'timestampformat', 'layout', 'basket_id'] as const;
export const EXCEL_OPTION_KEYS = ['sheet', 'header_row'] as const;
export const JSON_OPTION_KEYS = ['nested'] as const;

/** How one file is to be read, by the part that applies to its format; what is not given is detected or defaulted. */
export interface GivenImportOptions {
  readonly text?: Partial<TextImportOptions>;
  readonly excel?: ExcelImportOptions;
  readonly json?: JsonImportOptions;
}

const DELIMITER_NAMES: Readonly<Record<string, string>> = {
  ws: WHITESPACE,
  whitespace: WHITESPACE,
  tab: '\t',
  '\\t': '\t',
  comma: ',',
  semicolon: ';',
  pipe: '|',
  space: ' ',
};

function bool(key: string, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  const text = String(value).trim().toLowerCase();
  if (['true', 'yes', '1'].includes(text)) return true;
  if (['false', 'no', '0'].includes(text)) return false;
  throw new ImportOptionsError(`${key} must be true or false, got "${String(value)}"`);
}

/**
 * Options from key → value pairs (strings from a command line, or YAML scalars and lists), each key to the part of
 * the format it applies to: `importOptionsFrom({ header: 'false', delim: 'ws' })` → `{ text: { header: false, delimiter: 'whitespace' } }`,
 * `importOptionsFrom({ sheet: 2, header_row: 2 })` → `{ excel: { sheet: '2', headerRow: 2 } }`.
 * Throws an ImportOptionsError naming an unknown key or a bad value.
 */
export function importOptionsFrom(entries: Readonly<Record<string, unknown>>): GivenImportOptions {
  const text: Record<string, unknown> = {};
  const excel: { sheet?: string; headerRow?: number } = {};
  const json: { nested?: 'flatten' | 'json' } = {};
  for (const [rawKey, value] of Object.entries(entries)) {
    const given = typeof value === 'string' ? value.trim() : String(value);
    switch (rawKey.trim().toLowerCase()) {
      case 'sheet':
        // A name, or a position counted from 1; the reader prefers a sheet of that name (a sheet may be named "2019").
        if (given === '') throw new ImportOptionsError(`${rawKey} must be a sheet's name or its position (1, 2, …); got nothing`);
        excel.sheet = given;
        break;
      case 'header_row': {
        const row = Number(given);
        if (given === '' || !Number.isInteger(row) || row < 0) throw new ImportOptionsError(`${rawKey} must be the row holding the column names (1, 2, …) or 0 for none; got "${given}"`);
        excel.headerRow = row;
        break;
      }
      case 'nested':
        if (given !== 'flatten' && given !== 'json') throw new ImportOptionsError(`${rawKey} must be flatten (a.b columns) or json (kept as JSON text); got "${given}"`);
        json.nested = given;
        break;
      default:
        text[rawKey] = value;
    }
  }
  return {
    ...(Object.keys(text).length > 0 ? { text: textOptionsFrom(text) } : {}),
    ...(Object.keys(excel).length > 0 ? { excel } : {}),
    ...(Object.keys(json).length > 0 ? { json } : {}),
  };
}

/** The options of a text file, from its keys. */
function textOptionsFrom(entries: Readonly<Record<string, unknown>>): Partial<TextImportOptions> {
  const options: { -readonly [K in keyof TextImportOptions]?: TextImportOptions[K] } = {};
  for (const [rawKey, value] of Object.entries(entries)) {
    const key = rawKey.trim().toLowerCase();
    const text = typeof value === 'string' ? value : String(value);
    switch (key) {
      case 'delim':
      case 'delimiter':
      case 'sep': {
        const delimiter = DELIMITER_NAMES[text.toLowerCase()] ?? text;
        if (delimiter !== WHITESPACE && [...delimiter].length !== 1) {
          throw new ImportOptionsError(`${rawKey} must be one character, or ws (runs of whitespace), tab, comma, semicolon, pipe or space; got "${text}"`);
        }
        options.delimiter = delimiter;
        break;
      }
      case 'header':
        options.header = bool(rawKey, value);
        break;
      case 'names':
      case 'columns': {
        const names = Array.isArray(value) ? value.map(String) : text.split('/');
        if (names.some((name) => name.trim() === '')) throw new ImportOptionsError(`${rawKey} must list column names separated by /, like user/item/rating; got "${text}"`);
        options.columnNames = names.map((name) => name.trim());
        options.header ??= false;
        break;
      }
      case 'quote': {
        const quote = text === 'none' || text === '' ? '' : text === 'single' ? "'" : text === 'double' ? '"' : text;
        if ([...quote].length > 1) throw new ImportOptionsError(`${rawKey} must be one character or none; got "${text}"`);
        options.quote = quote;
        break;
      }
      case 'skip': {
        const skip = Number(text);
        if (!Number.isInteger(skip) || skip < 0) throw new ImportOptionsError(`${rawKey} must be a whole number of lines, got "${text}"`);
        options.skipLines = skip;
        break;
      }
      case 'decimal':
      case 'decimal_separator': {
        const separator = text === 'comma' ? ',' : text === 'point' || text === 'dot' ? '.' : text;
        if (separator !== '.' && separator !== ',') throw new ImportOptionsError(`${rawKey} must be . or , (or point, comma); got "${text}"`);
        options.decimalSeparator = separator;
        break;
      }
      case 'encoding': {
        const encoding = parseEncoding(text);
        if (encoding === null) throw new ImportOptionsError(`${rawKey} must be utf-8, utf-8-bom, utf-16le, utf-16be or latin1 (windows-1252); got "${text}"`);
        options.encoding = encoding;
        break;
      }
      case 'dateformat':
        options.dateFormat = text;
        break;
      case 'timestampformat':
        options.timestampFormat = text;
        break;
      case 'layout':
        if (text !== 'table' && text !== 'baskets') throw new ImportOptionsError(`${rawKey} must be table or baskets, got "${text}"`);
        options.layout = text;
        break;
      case 'basket_id':
        options.basketIdColumn = bool(rawKey, value);
        break;
      default:
        throw new ImportOptionsError(
          `unknown import option "${rawKey}" (the options are ${IMPORT_OPTION_KEYS.join(', ')} for text; ${EXCEL_OPTION_KEYS.join(', ')} for Excel; ${JSON_OPTION_KEYS.join(', ')} for JSON)`,
        );
    }
  }
  return options;
}

/**
 * Options from the command line's text, `key=value` pairs separated by commas:
 * `parseImportOptions('header=false,delim=ws,encoding=latin1,layout=baskets')`. A comma as a value is written by name
 * (`delim=comma`, `decimal=comma`).
 */
export function parseImportOptions(text: string): GivenImportOptions {
  const entries: Record<string, string> = {};
  for (const part of text.split(',')) {
    if (part.trim() === '') continue;
    const equals = part.indexOf('=');
    if (equals <= 0) throw new ImportOptionsError(`import options are key=value pairs separated by commas, like header=false,delim=ws; got "${part}"`);
    const key = part.slice(0, equals).trim();
    if (key in entries) throw new ImportOptionsError(`import option ${key} is given twice`);
    entries[key] = part.slice(equals + 1);
  }
  return importOptionsFrom(entries);
}

/** `later`'s options laid over `earlier`'s, part by part and key by key (a `--import` flag over the front matter). */
export function mergeImportOptions(earlier: GivenImportOptions, later: GivenImportOptions): GivenImportOptions {
  const merged: { -readonly [K in keyof GivenImportOptions]: GivenImportOptions[K] } = {};
  if (earlier.text !== undefined || later.text !== undefined) merged.text = { ...earlier.text, ...later.text };
  if (earlier.excel !== undefined || later.excel !== undefined) merged.excel = { ...earlier.excel, ...later.excel };
  if (earlier.json !== undefined || later.json !== undefined) merged.json = { ...earlier.json, ...later.json };
  return merged;
}

/**
 * Options given for a format other than the file's, in one sentence naming the file, or null: `sheet` for a CSV file,
 * `delim` for a workbook. (Which part applies is known by the name: Excel and JSON files are recognised by extension.)
 */
export function misplacedOptions(fileName: string, given: GivenImportOptions): string | null {
  const format = recordFormatOf(fileName);
  const has = (part: object | undefined): boolean => part !== undefined && Object.keys(part).length > 0;
  const textKeys = Object.keys(given.text ?? {}).filter((key) => key !== 'tableName');
  if (format !== 'xlsx' && has(given.excel)) return `"${fileName}" is not an Excel workbook (.xlsx); ${EXCEL_OPTION_KEYS.join(' and ')} apply only to one.`;
  if (format !== 'json' && has(given.json)) return `"${fileName}" is not a JSON file; ${JSON_OPTION_KEYS.join(', ')} applies only to one.`;
  if (format !== null && textKeys.length > 0) {
    const keys = format === 'xlsx' ? `${EXCEL_OPTION_KEYS.join(', ')} (header_row=0 for no header)` : JSON_OPTION_KEYS.join(', ');
    return `"${fileName}" is ${format === 'xlsx' ? 'an Excel workbook' : 'a JSON file'}, not delimited text: its options are ${keys}.`;
  }
  return null;
}
