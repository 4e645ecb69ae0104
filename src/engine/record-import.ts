import type { Database, FileSource } from './ports.ts';
import { tableInfo, type TableInfo } from './catalog.ts';
import type { TablePreview } from '../data/column-builder.ts';
import { inProcessRecordReader, type ExcelImportOptions, type JsonImportOptions, type RecordFileFormat, type RecordFileReader } from '../data/record-files.ts';

/** How an Excel or JSON file is read, and who hears about it. */
export interface RecordImportOptions {
  /** Where the file is parsed: a worker in the browser; in-process by default (Node). */
  readonly records?: RecordFileReader;
  readonly excel?: ExcelImportOptions;
  readonly json?: JsonImportOptions;
  /** Fraction of the file read. */
  readonly onProgress?: (fraction: number) => void;
  /** The first rows, as soon as they are read. */
  readonly onPreview?: (preview: TablePreview) => void;
  readonly signal?: AbortSignal;
}

/**
 * Read an Excel or JSON file into Arrow (off the main thread in the browser) and load it as `table`. It is inserted
 * beside any table or view of that name and swapped in one transaction, so a failed or cancelled read leaves the old one as it was.
 */
export async function importRecordFile(
  db: Database,
  file: { readonly fileName: string; readonly source: FileSource },
  format: RecordFileFormat,
  table: string,
  options: RecordImportOptions,
): Promise<TableInfo> {
  const { fileName, source } = file;
  const bytes = source.kind === 'bytes' ? source.bytes : new Uint8Array(await source.file.arrayBuffer());
  const request = format === 'xlsx' ? { format, fileName, bytes, ...options.excel } : { format, fileName, bytes, ...options.json };
  const reader = options.records ?? inProcessRecordReader;
  const signal = options.signal ?? new AbortController().signal;
  const ipc = await reader.read(request, options.onProgress ?? (() => {}), options.onPreview ?? (() => {}), signal);
  signal.throwIfAborted();
  // Written beside any table or view of that name and swapped in one transaction by the database.
  await db.insertArrowIpc(table, ipc);
  return tableInfo(db, table, 'table');
}
