import type { Database, FileSource, ParquetCodec } from './ports.ts';
import { describe, tableInfo, type TableInfo } from './catalog.ts';
import { createTableFromSql, formatOf, hiddenDelimiter, readCsvSql, type FileFormat } from '../data/formats.ts';
import { textColumns } from '../data/retail.ts';
import { QueryError, isCancelled, messageOf } from '../util/errors.ts';
import { quoteIdent, tableNameFromFile } from '../util/sql.ts';

/** Parquet must be held in memory to decode; beyond this a clear message beats a tab that runs out of memory. */
export const MAX_PARQUET_BYTES = 1.5 * 1024 ** 3;

/** A file the user offered: picked, dropped or fetched from a URL. */
export interface DataFile {
  readonly fileName: string;
  readonly size: number;
  readonly source: FileSource;
}

export interface ImportOptions {
  /** Table to create; defaults to a name derived from the file name. */
  readonly tableName?: string;
  readonly signal?: AbortSignal;
}

/** A problem with the file itself, phrased for the person who chose it. */
export class DataFileError extends Error {
  override readonly name = 'DataFileError';
  constructor(
    readonly fileName: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

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
): Promise<TableInfo> {
  const format = formatOf(file.fileName);
  if (format === null) {
    throw new DataFileError(file.fileName, `"${file.fileName}" is not a CSV, TSV or Parquet file (by its extension).`);
  }
  if (file.size === 0) throw new DataFileError(file.fileName, `"${file.fileName}" is empty.`);
  const table = options.tableName ?? tableNameFromFile(file.fileName);
  try {
    if (format === 'parquet') await importParquet(db, parquet, file, table);
    else await importDelimited(db, file, table, format, options.signal);
  } catch (error) {
    if (isCancelled(error) || error instanceof DataFileError) throw error;
    const reason = error instanceof QueryError ? error.message : messageOf(error);
    throw new DataFileError(file.fileName, `Could not read "${file.fileName}" as ${format.toUpperCase()}: ${reason}`, {
      cause: error,
    });
  }
  return tableInfo(db, table, 'table');
}

async function importDelimited(
  db: Database,
  file: DataFile,
  table: string,
  format: Extract<FileFormat, 'csv' | 'tsv'>,
  signal: AbortSignal | undefined,
): Promise<void> {
  // A unique registered name, so loading a second file of the same name cannot disturb a running read.
  const registered = await db.registerFile(`${crypto.randomUUID()}-${file.fileName.replace(/[^\w.-]+/g, '_')}`, file.source);
  try {
    let sniffed = await describe(db, `SELECT * FROM ${readCsvSql(registered, { format })}`, signal);
    // Re-read with the delimiter the header shows, so DuckDB names the ragged line instead of hiding it.
    const delimiter = hiddenDelimiter(sniffed.map((column) => column.name)) ?? undefined;
    if (delimiter !== undefined) sniffed = await describe(db, `SELECT * FROM ${readCsvSql(registered, { format, delimiter })}`, signal);
    if (sniffed.length === 0) throw new DataFileError(file.fileName, `"${file.fileName}" has no columns.`);
    const read = readCsvSql(registered, { format, delimiter, textColumns: textColumns(sniffed.map((column) => column.name)) });
    await db.query(createTableFromSql(table, read), { signal });
  } finally {
    // The table holds the data now; a file handle stays registered only while it is read.
    await db.dropFile(registered);
  }
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
