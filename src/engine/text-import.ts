/**
 * Loading a delimited text file into DuckDB with import options (detected, or given by a person, a runner flag or a
 * notebook's front matter). DuckDB reads the file itself; a worker rewrites it first only when DuckDB cannot read it
 * as it is (another encoding, runs of whitespace as the delimiter).
 */
import type { Database, FileSource, TextTranscoder } from './ports.ts';
import { describe, type ColumnInfo } from './catalog.ts';
import { basketSelectSql, readCsvSql, relationKindSql, swapIn, type RelationKind } from '../data/formats.ts';
import { textColumns } from '../data/retail.ts';
import { DETECT_BYTES, WHITESPACE, definedOnly, delimiterLabel, detect, gunzipHead, isGzip, type TextImportOptions } from '../data/text-dialect.ts';
import { EncodingError, decodeText, encodingLabel, hexBytes, invalidUtf8Offset } from '../data/text-encoding.ts';
import { transcode, type TranscodeRequest } from '../data/transcode.ts';
import { CancelledError } from '../util/errors.ts';
import { quoteIdent } from '../util/sql.ts';

/** Rewrites in this thread: for Node (tests, the runner), where no page is waiting. */
export const localTextTranscoder: TextTranscoder = {
  async toUtf8(source: FileSource, request: TranscodeRequest) {
    const bytes = source.kind === 'bytes' ? source.bytes : new Uint8Array(await source.file.arrayBuffer());
    return transcode([bytes], request);
  },
};

/** The options to read a file with: detected from its head, with what was given laid over them. */
export function resolveTextOptions(head: Uint8Array, fileName: string, fileSize: number, given: Partial<TextImportOptions> = {}): TextImportOptions {
  let detected = detect(head.subarray(0, DETECT_BYTES), fileName, fileSize <= DETECT_BYTES, given);
  // The encoding is checked over all of the head, not only the part the dialect is read from: one accented name a
  // few thousand lines down is enough to tell Latin-1 from UTF-8.
  if (given.encoding === undefined && detected.encoding === 'utf-8' && !isGzip(head) && invalidUtf8Offset(head, fileSize > head.length) !== -1) {
    detected = { ...detected, encoding: 'windows-1252' };
  }
  const options = { ...detected, ...definedOnly(given) };
  // A header named by hand replaces the default names only when there is no header row.
  return options.header ? { ...options, columnNames: undefined } : options;
}

/** The head's text as the options read it (decompressed, decoded), for the checks DuckDB does not make. */
export function headText(head: Uint8Array, options: TextImportOptions, whole: boolean, fileName: string): string {
  const content = isGzip(head) ? gunzipHead(head, 4 * 1024 * 1024) : head;
  try {
    return decodeText(content, options.encoding, { strict: true, truncated: !whole || isGzip(head) });
  } catch (error) {
    if (!(error instanceof EncodingError)) throw error;
    throw new TextImportError(encodingProblem(fileName, error.encoding, error.offset, error.bytes, error.line, isGzip(head)));
  }
}

/** A text import refused, in one sentence naming the file. */
export class TextImportError extends Error {
  override readonly name = 'TextImportError';
}

function encodingProblem(fileName: string, encoding: TextImportOptions['encoding'], offset: number, bytes: readonly number[], line: number, gzip: boolean): string {
  const where = `at ${gzip ? 'decompressed ' : ''}offset ${offset.toLocaleString('en-US')} (line ${line.toLocaleString('en-US')})`;
  const hint = encoding === 'utf-8' || encoding === 'utf-8-bom' ? ' It may be Latin-1 (Windows-1252): choose that encoding.' : '';
  return `"${fileName}" is not ${encodingLabel(encoding)} text: bytes ${hexBytes(bytes)} ${where} do not decode.${hint}`;
}

/** What DuckDB must be told once the file is registered, and the registered path. */
interface Registered {
  readonly path: string;
  readonly options: TextImportOptions;
}

/**
 * Register the file as DuckDB will read it: as it is when DuckDB can, else rewritten as UTF-8 (tabs for runs of
 * whitespace in a table) by the transcoder.
 */
export async function registerText(
  db: Database,
  file: { readonly fileName: string; readonly source: FileSource },
  options: TextImportOptions,
  transcoder: TextTranscoder,
  signal?: AbortSignal,
): Promise<Registered> {
  const safeName = file.fileName.replace(/[^\w.-]+/g, '_');
  const rewriteWhitespace = options.layout === 'table' && options.delimiter === WHITESPACE;
  const utf8 = options.encoding === 'utf-8' || options.encoding === 'utf-8-bom';
  if (utf8 && !rewriteWhitespace) {
    // A unique registered name, so loading a second file of the same name cannot disturb a running read.
    return { path: await db.registerFile(`${crypto.randomUUID()}-${safeName}`, file.source), options };
  }
  const result = await transcoder.toUtf8(
    file.source,
    { encoding: options.encoding, gzip: options.compression === 'gzip', whitespaceToTab: rewriteWhitespace, quote: options.quote },
    signal,
  );
  if (result.kind === 'undecodable') {
    throw new TextImportError(encodingProblem(file.fileName, result.encoding, result.offset, result.bytes, result.line, options.compression === 'gzip'));
  }
  const path = await db.registerFile(`${crypto.randomUUID()}-${safeName.replace(/\.gz$/i, '')}.utf8.csv`, { kind: 'bytes', bytes: result.bytes });
  return {
    path,
    options: { ...options, encoding: 'utf-8', compression: 'none', delimiter: rewriteWhitespace ? '\t' : options.delimiter },
  };
}

/**
 * Where a file DuckDB found not to be UTF-8 stops being UTF-8 (DuckDB says only the line): the transcoder reads it
 * strictly and the problem names the bytes and their offset. Null when it decodes after all.
 */
export async function locateUndecodable(file: { readonly fileName: string; readonly source: FileSource }, options: TextImportOptions, transcoder: TextTranscoder, signal?: AbortSignal): Promise<TextImportError | null> {
  const result = await transcoder.toUtf8(file.source, { encoding: options.encoding, gzip: options.compression === 'gzip', whitespaceToTab: false, quote: options.quote }, signal);
  if (result.kind === 'ok') return null;
  return new TextImportError(encodingProblem(file.fileName, result.encoding, result.offset, result.bytes, result.line, options.compression === 'gzip'));
}

/**
 * The `read_csv` of a registered table-layout file with its options; `text` lists columns to keep as VARCHAR, and
 * `names` (the file's column names, as sniffed) lets the user's types by position be given by name.
 */
export function readTableSql(path: string, options: TextImportOptions, text: readonly string[] = [], names: readonly string[] = []): string {
  const chosen = Object.entries(options.columnTypes ?? {}).flatMap(([index, type]) => {
    const name = names[Number(index)];
    return name === undefined ? [] : [[name, type] as const];
  });
  return readCsvSql(path, {
    format: 'csv',
    delimiter: options.delimiter,
    header: options.header,
    names: options.header ? undefined : options.columnNames,
    quote: options.quote,
    skip: options.skipLines,
    decimalSeparator: options.decimalSeparator,
    dateFormat: options.dateFormat,
    timestampFormat: options.timestampFormat,
    gzip: options.compression === 'gzip',
    textColumns: text,
    columnTypes: Object.fromEntries(chosen),
  });
}

/** The SELECT that reads the registered file into its final shape (a table, or the long basket table). */
export async function selectFromText(db: Database, path: string, options: TextImportOptions, signal?: AbortSignal): Promise<{ select: string; columns: ColumnInfo[] }> {
  switch (options.layout) {
    case 'baskets': {
      const select = basketSelectSql(path, {
        delimiter: options.delimiter,
        quote: options.quote,
        skip: options.skipLines,
        basketIdColumn: options.basketIdColumn,
        gzip: options.compression === 'gzip',
      });
      return { select, columns: await describe(db, select, signal) };
    }
    case 'table': {
      const sniffed = await describe(db, `SELECT * FROM ${readTableSql(path, options)}`, signal);
      const names = sniffed.map((column) => column.name);
      const select = `SELECT * FROM ${readTableSql(path, options, textColumns(names), names)}`;
      return { select, columns: options.columnTypes === undefined ? sniffed : await describe(db, select, signal) };
    }
  }
}

/**
 * Write `select` into `table` without ever leaving it half-done: into a staging table first, then swapped in one
 * transaction, whether `table` was a table, a view or nothing. A failure or a cancel leaves the old one as it was.
 */
export async function replaceTable(db: Database, table: string, select: string, signal?: AbortSignal): Promise<void> {
  const staging = `__aisle_import_${crypto.randomUUID().replaceAll('-', '')}`;
  try {
    await db.query(`CREATE TABLE ${quoteIdent(staging)} AS ${select}`, { signal });
    if (signal?.aborted) throw new CancelledError();
    await swapIn((sql) => db.query(sql), staging, table);
  } catch (error) {
    await db.query(`DROP TABLE IF EXISTS ${quoteIdent(staging)}`).catch(() => undefined);
    throw error;
  }
}

export async function relationKind(db: Database, name: string): Promise<RelationKind> {
  const row = (await db.query(relationKindSql(name))).get(0);
  const kind = (row?.t ?? row?.v ?? null) as RelationKind;
  return kind;
}

/** What was detected, said in one sentence when it is not the plain case (comma, header, UTF-8, a table). */
export function readAsNote(options: TextImportOptions): string | null {
  const parts: string[] = [];
  if (options.layout === 'baskets') parts.push(`as baskets, one per line (items separated by ${delimiterLabel(options.delimiter)}${options.basketIdColumn ? ', the first field the basket id' : ''})`);
  else if (options.delimiter !== ',') parts.push(`with fields separated by ${delimiterLabel(options.delimiter)}`);
  if (options.layout === 'table' && !options.header) parts.push(`without a header row (columns ${options.columnNames?.length ? options.columnNames.join(', ') : 'column0, column1, …'})`);
  if (options.skipLines > 0) parts.push(`skipping ${options.skipLines} line${options.skipLines === 1 ? '' : 's'}`);
  if (options.encoding !== 'utf-8' && options.encoding !== 'utf-8-bom') parts.push(`as ${encodingLabel(options.encoding)}`);
  if (options.decimalSeparator === ',') parts.push('with a decimal comma');
  if (options.compression === 'gzip') parts.push('from gzip');
  return parts.length === 0 ? null : `Read ${parts.join(', ')}.`;
}
