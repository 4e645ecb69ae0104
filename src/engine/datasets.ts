import type { Database, FileSource, ParquetCodec } from './ports.ts';
import { describe, tableInfo, type ColumnInfo, type TableInfo } from './catalog.ts';
import { createTableFromSql, formatOf, hiddenDelimiter, readCsvSql, type FileFormat } from '../data/formats.ts';
import { textColumns } from '../data/retail.ts';
import { MAX_LINE_BYTES, contentProblem, csvReadProblem, headerDelimiter, isBlank, overlongLine, raggedRecord, unclosedQuoteLine } from '../data/file-problems.ts';
import { QueryError, isCancelled, messageOf } from '../util/errors.ts';
import { isRecordFileError, recordFormatOf } from '../data/record-files.ts';
import { importRecordFile, type RecordImportOptions } from './record-import.ts';
import { quoteIdent, tableNameFromFile } from '../util/sql.ts';

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
}

/** DuckDB's words when no dialect reads every line alike. */
const SNIFF_FAILED = /not possible to automatically detect the CSV parsing dialect/;

/** Files up to this size are read whole in JavaScript to check what DuckDB accepts silently (blank, unclosed quotes). */
const CHECKED_TEXT_BYTES = 4 * 1024 * 1024;

/**
 * Load a CSV, TSV or Parquet file into a DuckDB table and describe it. CSV is read by DuckDB itself from the
 * registered file (never parsed in JavaScript); Parquet goes through the codec as Arrow IPC. A failed import
 * leaves any table of the same name as it was.
 */
export async function importFile(
  db: Database,
  parquet: ParquetCodec,
  file: DataFile,
  options: ImportOptions = {},
): Promise<ImportedTable> {
  // Excel and JSON are read into Arrow by Aisle's own readers (record-import.ts).
  const records = recordFormatOf(file.fileName);
  if (records !== null) {
    if (file.size === 0) throw new DataFileError(file.fileName, `"${file.fileName}" is empty.`);
    const table = options.tableName ?? tableNameFromFile(file.fileName);
    const info = await importRecordFile(db, file, records, table, options).catch((error: unknown) => {
      throw isRecordFileError(error) ? new DataFileError(file.fileName, error.message, { cause: error }) : error;
    });
    return { ...info, warnings: [] };
  }
  const format = formatOf(file.fileName);
  if (format === null) {
    throw new DataFileError(file.fileName, `"${file.fileName}" is not a CSV, TSV or Parquet file (by its extension).`);
  }
  if (file.size === 0) throw new DataFileError(file.fileName, `"${file.fileName}" is empty.`);
  const table = options.tableName ?? tableNameFromFile(file.fileName);
  let warnings: readonly string[] = [];
  try {
    if (format === 'parquet') await importParquet(db, parquet, file, table);
    else warnings = await importDelimited(db, file, table, format, options.signal);
  } catch (error) {
    if (isCancelled(error) || error instanceof DataFileError) throw error;
    const reason = error instanceof QueryError ? error.message : messageOf(error);
    throw new DataFileError(file.fileName, `Could not read "${file.fileName}" as ${format.toUpperCase()}: ${reason}`, {
      cause: error,
    });
  }
  return { ...(await tableInfo(db, table, 'table')), warnings };
}

async function importDelimited(
  db: Database,
  file: DataFile,
  table: string,
  format: Extract<FileFormat, 'csv' | 'tsv'>,
  signal: AbortSignal | undefined,
): Promise<string[]> {
  const checked = await headBytes(file.source, Math.min(file.size, CHECKED_TEXT_BYTES));
  const problem = contentProblem(file.fileName, checked);
  if (problem) throw new DataFileError(file.fileName, problem.summary);
  const text = new TextDecoder().decode(checked);
  // DuckDB finds an overlong line too, but only after seconds of sniffing, and then quotes all of it.
  const overlong = overlongLine(text);
  if (overlong) {
    throw new DataFileError(
      file.fileName,
      `Line ${overlong.line.toLocaleString('en-US')} of "${file.fileName}" is longer than ${MAX_LINE_BYTES / 1024 ** 2} MB, the most one line may hold.`,
    );
  }
  const warnings: string[] = [];
  if (file.size <= CHECKED_TEXT_BYTES) {
    if (isBlank(text)) throw new DataFileError(file.fileName, `"${file.fileName}" has no data: every line is blank.`);
    const quoteLine = unclosedQuoteLine(text);
    if (quoteLine !== null) {
      warnings.push(`Line ${quoteLine} of "${file.fileName}" opens a quote (") that is never closed, so the rest of the file may have been read into one field.`);
    }
  }
  // A unique registered name, so loading a second file of the same name cannot disturb a running read.
  const registered = await db.registerFile(`${crypto.randomUUID()}-${file.fileName.replace(/[^\w.-]+/g, '_')}`, file.source);
  try {
    // When rows are ragged, DuckDB's sniffer either falls back to one column (read again with the delimiter
    // the header shows, so DuckDB names the ragged line) or gives up, even when told the delimiter: then the
    // line is found here.
    let sniffed: ColumnInfo[];
    let delimiter: string | undefined;
    try {
      sniffed = await describe(db, `SELECT * FROM ${readCsvSql(registered, { format })}`, signal);
      delimiter = hiddenDelimiter(sniffed.map((column) => column.name)) ?? undefined;
      if (delimiter !== undefined) sniffed = await describe(db, `SELECT * FROM ${readCsvSql(registered, { format, delimiter })}`, signal);
    } catch (error) {
      if (!(error instanceof QueryError && SNIFF_FAILED.test(error.message))) throw error;
      const ragged = raggedLine(text, format);
      if (ragged === null) throw error;
      const { details } = csvReadProblem(error.message, file.fileName, registered);
      const fields = `${ragged.fields} field${ragged.fields === 1 ? '' : 's'}`;
      throw new DataFileError(file.fileName, `Line ${ragged.line.toLocaleString('en-US')} of "${file.fileName}" has ${fields}; the header has ${ragged.expected}.`, {
        cause: error,
        details,
      });
    }
    if (sniffed.length === 0) throw new DataFileError(file.fileName, `"${file.fileName}" has no columns.`);
    const read = readCsvSql(registered, { format, delimiter, textColumns: textColumns(sniffed.map((column) => column.name)) });
    await db.query(createTableFromSql(table, read), { signal });
  } catch (error) {
    if (!(error instanceof QueryError)) throw error;
    const { summary, details } = csvReadProblem(error.message, file.fileName, registered);
    throw new DataFileError(file.fileName, summary, { cause: error, details });
  } finally {
    // The table holds the data now; a file handle stays registered only while it is read.
    await db.dropFile(registered);
  }
  return warnings;
}

/** The first record of `text` whose field count differs from the header's, split by the header's delimiter. */
function raggedLine(text: string, format: 'csv' | 'tsv'): ReturnType<typeof raggedRecord> {
  const delimiter = format === 'tsv' ? '\t' : headerDelimiter(text.slice(0, text.indexOf('\n') >>> 0));
  return delimiter === null ? null : raggedRecord(text, delimiter);
}

/** The first `length` bytes of a file, read without loading the rest. */
async function headBytes(source: FileSource, length: number): Promise<Uint8Array> {
  if (source.kind === 'bytes') return source.bytes.subarray(0, length);
  return new Uint8Array(await source.file.slice(0, length).arrayBuffer());
}

async function importParquet(db: Database, parquet: ParquetCodec, file: DataFile, table: string): Promise<void> {
  if (file.size > MAX_PARQUET_BYTES) {
    const gib = (file.size / 1024 ** 3).toFixed(1);
    throw new DataFileError(
      file.fileName,
      `"${file.fileName}" is ${gib} GiB; Parquet files up to ${MAX_PARQUET_BYTES / 1024 ** 3} GiB can be loaded in the browser. Convert it to CSV or load a subset.`,
    );
  }
  const bytes = file.source.kind === 'bytes' ? file.source.bytes : new Uint8Array(await file.source.file.arrayBuffer());
  if (new TextDecoder().decode(bytes.subarray(0, 4)) !== 'PAR1') {
    throw new DataFileError(file.fileName, `"${file.fileName}" is not a Parquet file (it does not start with PAR1).`);
  }
  const ipc = await parquet.toArrowIpc(bytes);
  // Insert beside the old table and swap, so a failure leaves the old one untouched.
  const staging = `__aisle_import_${crypto.randomUUID().replaceAll('-', '')}`;
  await db.insertArrowIpc(staging, ipc);
  await db.query(
    `BEGIN; DROP TABLE IF EXISTS ${quoteIdent(table)}; ALTER TABLE ${quoteIdent(staging)} RENAME TO ${quoteIdent(table)}; COMMIT;`,
  );
}
