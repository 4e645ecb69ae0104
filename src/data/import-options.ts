/**
 * Import options as people write them: on the runner's command line (`header=false,delim=ws,encoding=latin1`) and in
 * a notebook's front matter (`data: { ratings: { path: u.data, header: false, delim: ws } }`). One vocabulary for
 * both, read into the options `detect` completes.
 */
import { WHITESPACE, parseEncoding, type TextImportOptions } from './text-dialect.ts';

/** An option that cannot be read, naming the key and the value. */
export class ImportOptionsError extends Error {
  override readonly name = 'ImportOptionsError';
}

/** The keys, for messages and the usage text. */
export const IMPORT_OPTION_KEYS = ['delim', 'header', 'names', 'quote', 'skip', 'decimal', 'encoding', 'dateformat', 'timestampformat', 'layout', 'basket_id'] as const;

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
 * Options from key → value pairs (strings from a command line, or YAML scalars and lists):
 * `importOptionsFrom({ header: 'false', delim: 'ws', encoding: 'latin1' })` → `{ header: false, delimiter: 'whitespace', encoding: 'windows-1252' }`.
 * Throws an ImportOptionsError naming an unknown key or a bad value.
 */
export function importOptionsFrom(entries: Readonly<Record<string, unknown>>): Partial<TextImportOptions> {
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
        throw new ImportOptionsError(`unknown import option "${rawKey}" (the options are ${IMPORT_OPTION_KEYS.join(', ')})`);
    }
  }
  return options;
}

/**
 * Options from the command line's text, `key=value` pairs separated by commas:
 * `parseImportOptions('header=false,delim=ws,encoding=latin1,layout=baskets')`. A comma as a value is written by name
 * (`delim=comma`, `decimal=comma`).
 */
export function parseImportOptions(text: string): Partial<TextImportOptions> {
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
