import type { Database, FileSource, ParquetCodec, TextTranscoder } from './ports.ts';
import { tableInfo, type TableInfo } from './catalog.ts';
import { formatOf, inPlaceViewSql, type FileFormat } from '../data/formats.ts';
import { MAX_LINE_BYTES, contentProblem, csvReadProblem, headerDelimiter, isBlank, overlongLine, raggedRecord, unclosedQuoteLine } from '../data/file-problems.ts';
import { WHITESPACE, gunzipHead, isGzip, splitRecords, type TextImportOptions } from '../data/text-dialect.ts';
import { CancelledError, QueryError, isCancelled, messageOf } from '../util/errors.ts';
import { parquetMemoryEstimate, tooLargeMessage } from '../data/memory-estimate.ts';
import { quoteLiteral, tableNameFromFile } from '../util/sql.ts';
import { TextImportError, headText, localTextTranscoder, locateUndecodable, readAsNote, registerText, relationKind, replaceTable, resolveTextOptions, selectFromText } from './text-import.ts';
import { isRecordFileError, recordFormatOf } from '../data/record-files.ts';
import { misplacedOptions } from '../data/import-options.ts';
import { importRecordFile, type RecordImportOptions } from './record-import.ts';
import { dialectOf } from '../util/dialect/index.ts';

/** Parquet must be held in memory to decode; beyond this a clear message beats a tab that runs out of memory. */
export const MAX_PARQUET_BYTES = 1.5 * 1024 ** 3;

/** A file the user offered: picked, dropped or fetched from a URL. */
export interface DataFile {
  readonly fileName: string;
  readonly size: number;
  readonly source: FileSource;
}

export interface ImportOptions extends RecordImportOptions {
  /** Table to create; defaults to a name derived from the file name. */
  readonly tableName?: string;
  readonly signal?: AbortSignal;
  /** How to read a text file; what is not given is detected from its first bytes. */
  readonly text?: Partial<TextImportOptions>;
  /** Rewrites text DuckDB cannot read as it is (another encoding, runs of whitespace); default: in this thread. */
  readonly transcoder?: TextTranscoder;
  /** Memory the database may use for a Parquet file and its cleaning; default: what DuckDB-WASM can address. */
  readonly memoryLimitBytes?: number;
  /**
   * Who reads Parquet: the codec, into Arrow in memory (the browser, whose DuckDB cannot load its parquet extension),
   * or DuckDB itself from the registered file (native DuckDB, which reads it by path). Default: the codec.
   */
  readonly parquetReader?: 'codec' | 'duckdb';
}

/** A problem with the file itself, phrased for the person who chose it; `details` holds DuckDB's own words. */
export class DataFileError extends Error {
  override readonly name = 'DataFileError';
  readonly details?: string;
  constructor(
    readonly fileName: string,
    message: string,
    options?: { cause?: unknown; details?: string },
  ) {
    super(message, options);
    this.details = options?.details;
  }
}

/** A loaded table, and what the user should know about how it was read (an unclosed quote…). */
export interface ImportedTable extends TableInfo {
  readonly warnings: readonly string[];
  /** A text file: the options it was read with. */
  readonly readAs?: TextImportOptions;
  /** A text file read other than as a plain comma-separated table with a header: how, in one sentence. */
  readonly readAsNote?: string;
}

/** DuckDB's words when no dialect reads every line alike. */
const SNIFF_FAILED = /not possible to automatically detect the CSV parsing dialect/;

/** DuckDB's words for bytes that are not UTF-8. */
const INVALID_UNICODE = /Invalid unicode|not utf-8 encoded/i;

/** Files up to this size are read whole in JavaScript to check what DuckDB accepts silently (blank, unclosed quotes). */
const CHECKED_TEXT_BYTES = 4 * 1024 * 1024;

const PARQUET_MAGIC = [0x50, 0x41, 0x52, 0x31];

/**
 * Load a delimited text file (any extension, `.gz` too) or a Parquet file into a DuckDB table and describe it. Text is
 * read by DuckDB itself from the registered file with the options detected or given; Parquet goes through the codec
 * as Arrow IPC. A failed or cancelled import leaves any table or view of the same name as it was.
 */
export async function importFile(
  db: Database,
  parquet: ParquetCodec,
  file: DataFile,
  options: ImportOptions = {},
): Promise<ImportedTable> {
  const misplaced = misplacedOptions(file.fileName, options);
  if (misplaced !== null) throw new DataFileError(file.fileName, misplaced);
  // Excel and JSON are read into Arrow by Aisle's own readers (record-import.ts).
  const records = recordFormatOf(file.fileName);
  if (records !== null) {
    if (file.size === 0) throw new DataFileError(file.fileName, `"${file.fileName}" is empty.`);
    const table = options.tableName ?? tableNameFromFile(file.fileName);
    const info = await importRecordFile(db, file, records, table, options).catch((error: unknown) => {
      if (isCancelled(error)) throw error;
      if (isRecordFileError(error)) throw new DataFileError(file.fileName, error.message, { cause: error });
      throw new DataFileError(file.fileName, `Could not read "${file.fileName}" as ${records.toUpperCase()}: ${messageOf(error)}`, { cause: error });
    });
    return { ...info, warnings: [] };
  }
  if (file.size === 0) throw new DataFileError(file.fileName, `"${file.fileName}" is empty.`);
  const head = await headBytes(file.source, Math.min(file.size, CHECKED_TEXT_BYTES));
  // An unknown extension is read by its content: Parquet by its magic bytes, anything else as text if it is text.
  const format: FileFormat = formatOf(file.fileName) ?? (PARQUET_MAGIC.every((byte, i) => head[i] === byte) ? 'parquet' : 'csv');
  const table = options.tableName ?? options.text?.tableName ?? tableNameFromFile(file.fileName.replace(/\.gz$/i, ''));
  try {
    if (format === 'parquet') {
      if (options.parquetReader === 'duckdb' && db.keepFile !== undefined) {
        await readParquetInPlace(db, file, table, options.signal);
        return { ...(await tableInfo(db, table, 'file')), warnings: [] };
      }
      if (options.parquetReader === 'duckdb') await readParquetInDuckDb(db, file, table, options.signal);
      else await importParquet(db, parquet, file, table, options);
      return { ...(await compressLoaded(db, await tableInfo(db, table, 'table'))), warnings: [] };
    }
    const { warnings, readAs } = await importDelimited(db, file, head, table, options);
    const note = readAsNote(readAs) ?? undefined;
    return { ...(await compressLoaded(db, await tableInfo(db, table, 'table'))), warnings, readAs, ...(note ? { readAsNote: note } : {}) };
  } catch (error) {
    if (isCancelled(error) || error instanceof DataFileError) throw error;
    if (error instanceof TextImportError) throw new DataFileError(file.fileName, error.message, { cause: error });
    const reason = error instanceof QueryError ? error.message : messageOf(error);
    throw new DataFileError(file.fileName, `Could not read "${file.fileName}" as ${format.toUpperCase()}: ${reason}`, {
      cause: error,
    });
  }
}

/**
 * Loaded tables from this many rows are compressed at once. From about here the checkpoint pays for itself in the
 * cleaning that follows every load: the 541,909-row UCI layout's checkpoint, validation and clean took 1,191 ms in
 * DuckDB-WASM against 1,348 ms for the last two alone (native: 546 against 600); at 100,000 rows it made no difference.
 */
const COMPRESS_FROM_ROWS = 500_000;

/**
 * DuckDB compresses a table when it checkpoints, and Aisle's in-memory databases checkpoint only when asked (see
 * duckdb.ts): left to itself, DuckDB-WASM checkpointed after each row group a load inserted (10M rows: 24 s to load
 * instead of 6.6 s), and native DuckDB after each big statement. A loaded table is read again and again, so a big one is
 * compressed once, here: it then takes a third of the memory (the tab's peak for 10M rows 2.06 GiB instead of 3.07) and
 * every pass over its text is faster (compressed text hands each distinct value to an expression once). A derived table
 * (the clean table, a cell's result) stays as written. Not cancellable, and never a failure: a checkpoint DuckDB declines
 * (another transaction open) leaves the table uncompressed, which costs memory, not results. Every way a table is
 * loaded ends here: a file (`importFile`), or Arrow (generated, restored from the workspace, a published site's).
 */
export async function compressLoaded(db: Database, info: TableInfo): Promise<TableInfo> {
  if (info.kind === 'table' && dialectOf(db).name === 'duckdb' && info.rowCount >= COMPRESS_FROM_ROWS) await db.query('CHECKPOINT').catch(() => undefined);
  return info;
}

async function importDelimited(
  db: Database,
  file: DataFile,
  head: Uint8Array,
  table: string,
  importOptions: ImportOptions,
): Promise<{ warnings: string[]; readAs: TextImportOptions }> {
  const { signal } = importOptions;
  const given = { ...importOptions.text, ...(formatOf(file.fileName) === 'tsv' && importOptions.text?.delimiter === undefined ? { delimiter: '\t' } : {}) };
  const options: TextImportOptions = { ...resolveTextOptions(head, file.fileName, file.size, given), tableName: table };
  const content = isGzip(head) ? gunzipHead(head, CHECKED_TEXT_BYTES) : head;
  if (options.encoding !== 'utf-16le' && options.encoding !== 'utf-16be') {
    const problem = contentProblem(file.fileName, content);
    if (problem) throw new DataFileError(file.fileName, problem.summary);
  }
  const whole = file.size <= CHECKED_TEXT_BYTES && !isGzip(head);
  const text = headText(head, options, whole, file.fileName);
  // DuckDB finds an overlong line too, but only after seconds of sniffing, and then quotes all of it.
  const overlong = overlongLine(text);
  if (overlong) {
    throw new DataFileError(
      file.fileName,
      `Line ${overlong.line.toLocaleString('en-US')} of "${file.fileName}" is longer than ${MAX_LINE_BYTES / 1024 ** 2} MB, the most one line may hold.`,
    );
  }
  const warnings: string[] = [];
  if (whole) {
    if (isBlank(text)) throw new DataFileError(file.fileName, `"${file.fileName}" has no data: every line is blank.`);
    const quoteLine = options.quote === '' || options.layout === 'baskets' ? null : unclosedQuoteLine(text, options.quote);
    if (quoteLine !== null) {
      warnings.push(`Line ${quoteLine} of "${file.fileName}" opens a quote (${options.quote}) that is never closed, so the rest of the file may have been read into one field.`);
    }
  }
  const transcoder = importOptions.transcoder ?? localTextTranscoder;
  const registered = await registerText(db, file, options, transcoder, signal);
  try {
    let read: Awaited<ReturnType<typeof selectFromText>>;
    try {
      read = await selectFromText(db, registered.path, registered.options, signal);
    } catch (error) {
      // When rows are ragged DuckDB's sniffer may give up even when told the delimiter: then the line is found here.
      if (!(error instanceof QueryError && SNIFF_FAILED.test(error.message))) throw error;
      const ragged = raggedLine(text, options.delimiter);
      if (ragged === null) throw error;
      const { details } = csvReadProblem(error.message, file.fileName, registered.path);
      const fields = `${ragged.fields} field${ragged.fields === 1 ? '' : 's'}`;
      throw new DataFileError(file.fileName, `Line ${ragged.line.toLocaleString('en-US')} of "${file.fileName}" has ${fields}; the header has ${ragged.expected}.`, {
        cause: error,
        details,
      });
    }
    if (read.columns.length === 0) throw new DataFileError(file.fileName, `"${file.fileName}" has no columns.`);
    // With a ragged line DuckDB may settle on its width, or read no rows at all, without an error: a width other
    // than the header's is that, and the ragged line is named.
    if (options.layout === 'table' && options.delimiter !== WHITESPACE) {
      const header = splitRecords(text, options.delimiter, options.quote, options.skipLines + 1)[options.skipLines];
      const ragged = header !== undefined && header.length !== read.columns.length ? raggedLine(text, options.delimiter) : null;
      if (ragged !== null) {
        const fields = `${ragged.fields} field${ragged.fields === 1 ? '' : 's'}`;
        throw new DataFileError(file.fileName, `Line ${ragged.line.toLocaleString('en-US')} of "${file.fileName}" has ${fields}; the header has ${ragged.expected}.`);
      }
    }
    await replaceTable(db, table, read.select, signal);
  } catch (error) {
    if (!(error instanceof QueryError)) throw error;
    if (INVALID_UNICODE.test(error.message) && (options.encoding === 'utf-8' || options.encoding === 'utf-8-bom')) {
      // The registered bytes may have moved to DuckDB's worker: read them back from there, on this failure path only.
      const content = (await db.query(`SELECT content FROM read_blob(${quoteLiteral(registered.path)})`, { signal })).getChild('content')?.get(0) as Uint8Array | undefined;
      const located = content && (await locateUndecodable({ fileName: file.fileName, source: { kind: 'bytes', bytes: content } }, options, transcoder, signal));
      if (located) throw located;
    }
    const { summary, details } = csvReadProblem(error.message, file.fileName, registered.path);
    throw new DataFileError(file.fileName, summary, { cause: error, details });
  } finally {
    // The table holds the data now; a file handle stays registered only while it is read.
    await db.dropFile(registered.path);
  }
  return { warnings, readAs: options };
}

/** The first record of `text` whose field count differs from the header's, split by the delimiter used. */
function raggedLine(text: string, delimiter: string): ReturnType<typeof raggedRecord> {
  const used = delimiter === WHITESPACE ? null : delimiter.length === 1 ? delimiter : headerDelimiter(text.slice(0, text.indexOf('\n') >>> 0));
  return used === null ? null : raggedRecord(text, used);
}

/** The first `length` bytes of a file, read without loading the rest. */
async function headBytes(source: FileSource, length: number): Promise<Uint8Array> {
  if (source.kind === 'bytes') return source.bytes.subarray(0, length);
  return new Uint8Array(await source.file.slice(0, length).arrayBuffer());
}

/** Parquet read by DuckDB from the registered file, without passing through JavaScript. */
async function readParquetInDuckDb(db: Database, file: DataFile, table: string, signal?: AbortSignal): Promise<void> {
  const path = await db.registerFile(`${crypto.randomUUID()}-${file.fileName.replace(/[^\w.-]+/g, '_')}`, file.source);
  try {
    await replaceTable(db, table, `SELECT * FROM read_parquet(${quoteLiteral(path)})`, signal);
  } finally {
    await db.dropFile(path);
  }
}

/**
 * A Parquet file served in place: a view over the database's own copy of it (`Database.keepFile`), marked as loaded
 * data. Native DuckDB then reads the file's row groups on every query, on every thread, and its text through the
 * file's dictionaries, instead of copying every row into a table and compressing it again: 10M rows were ready in
 * 0.2 s (the file's copy) instead of 7.7 s (the table 2.4 s, its compression 5.3 s; two threads), and their clean took
 * 7.3 s instead of 6.6 s. A copy no view reads any more (the view replaced or removed) goes before the next is made.
 */
async function readParquetInPlace(db: Database, file: DataFile, table: string, signal?: AbortSignal): Promise<void> {
  const path = await db.keepFile!(`${crypto.randomUUID()}-${file.fileName.replace(/[^\w.-]+/g, '_')}`, file.source);
  try {
    // Read now, so a file that is not Parquet fails here, naming it, and whatever held the name stays.
    await db.query(`DESCRIBE SELECT * FROM read_parquet(${quoteLiteral(path)})`, { signal });
    await db.query(inPlaceViewSql(table, path, await relationKind(db, table)), { signal });
  } catch (error) {
    await db.dropFile(path);
    throw error;
  }
}

async function importParquet(db: Database, parquet: ParquetCodec, file: DataFile, table: string, options: ImportOptions): Promise<void> {
  const { signal, onProgress } = options;
  // Bytes are held whole already; a File is read by row group, so its size alone does not rule it out.
  if (file.source.kind === 'bytes' && file.size > MAX_PARQUET_BYTES) {
    const gib = (file.size / 1024 ** 3).toFixed(1);
    throw new DataFileError(
      file.fileName,
      `"${file.fileName}" is ${gib} GiB; Parquet files up to ${MAX_PARQUET_BYTES / 1024 ** 3} GiB can be loaded in the browser. Convert it to CSV or load a subset.`,
    );
  }
  const magic = await headBytes(file.source, 4);
  if (new TextDecoder().decode(magic) !== 'PAR1') {
    throw new DataFileError(file.fileName, `"${file.fileName}" is not a Parquet file (it does not start with PAR1).`);
  }
  const groups = await parquet.openRowGroups(file.source);
  try {
    const totalRows = groups.rowGroupRows.reduce((sum, rows) => sum + rows, 0);
    const first = groups.rowGroupRows.length > 0 ? await groups.read(0) : undefined;
    // The first row group's decoded size gives the row width; the footer gives the rows.
    const estimate = parquetMemoryEstimate(totalRows, groups.rowGroupRows[0] ?? 0, first?.byteLength ?? 0, options.memoryLimitBytes);
    if (!estimate.fits) throw new DataFileError(file.fileName, tooLargeMessage(file.fileName, estimate));
    const parts = async function* (): AsyncGenerator<Uint8Array> {
      let rowsRead = 0;
      for (let index = 0; index < groups.rowGroupRows.length; index++) {
        if (signal?.aborted) throw new CancelledError();
        yield index === 0 && first !== undefined ? first : await groups.read(index);
        rowsRead += groups.rowGroupRows[index] ?? 0;
        onProgress?.(totalRows === 0 ? 1 : rowsRead / totalRows);
      }
    };
    // insertArrowIpc writes beside the old table and swaps, so a failure leaves the old one untouched.
    await db.insertArrowIpc(table, first === undefined ? await parquet.toArrowIpc(await wholeBytes(file.source)) : parts());
  } finally {
    await groups.close();
  }
}

async function wholeBytes(source: FileSource): Promise<Uint8Array> {
  return source.kind === 'bytes' ? source.bytes : new Uint8Array(await source.file.arrayBuffer());
}
