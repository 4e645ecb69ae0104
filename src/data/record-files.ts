import { tableToIPC, type Table } from 'apache-arrow';
import type { TablePreview } from './column-builder.ts';
import { readSheet } from './excel/index.ts';
import { readJson } from './json-records.ts';
import { RecordFileError } from './record-file-error.ts';

/** Files read into Arrow by Aisle's own readers, because DuckDB's readers for them are extensions it cannot load. */
export type RecordFileFormat = 'xlsx' | 'json';

/** `recordFormatOf('Online Retail.xlsx')` → `'xlsx'`; `.json`, `.ndjson`, `.jsonl` → `'json'`; `.xls` → `'xlsx'` (refused or read by content); others → null. */
export function recordFormatOf(fileName: string): RecordFileFormat | null {
  const extension = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  switch (extension) {
    case 'xlsx':
    case 'xlsm':
    case 'xls':
      return 'xlsx';
    case 'json':
    case 'ndjson':
    case 'jsonl':
      return 'json';
    default:
      return null;
  }
}

export interface ExcelImportOptions {
  /** Sheet name or 0-based position; the first sheet by default. Digits no sheet is named are a position from 1 (`'2'`: the second). */
  readonly sheet?: string | number;
  /** 1-based header row; 0 for none. Default 1. */
  readonly headerRow?: number;
}

export interface JsonImportOptions {
  /** Nested objects as `a.b` columns (default), or kept as JSON text. */
  readonly nested?: 'flatten' | 'json';
}

/** One file to read, with its options; what crosses to the worker. */
export type RecordFileRequest =
  | ({ readonly format: 'xlsx'; readonly fileName: string; readonly bytes: Uint8Array } & ExcelImportOptions)
  | ({ readonly format: 'json'; readonly fileName: string; readonly bytes: Uint8Array } & JsonImportOptions);

/** Reads Excel and JSON files into Arrow IPC stream bytes: in a worker in the browser, in-process in Node. */
export interface RecordFileReader {
  read(
    request: RecordFileRequest,
    onProgress: (fraction: number) => void,
    onPreview: (preview: TablePreview) => void,
    signal: AbortSignal,
  ): Promise<Uint8Array>;
}

/** Read one Excel or JSON file into an Arrow table. An old binary .xls (not a ZIP) is refused with what to do. */
export function readRecordFile(
  request: RecordFileRequest,
  onProgress?: (fraction: number) => void,
  onPreview?: (preview: TablePreview) => void,
): Table {
  const { fileName, bytes } = request;
  switch (request.format) {
    case 'xlsx':
      if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) {
        throw new RecordFileError(
          `"${fileName}" is an Excel 97–2003 workbook (.xls) or a password-protected one, which Aisle cannot read; save it as .xlsx (without a password) or as CSV.`,
        );
      }
      return readSheet(bytes, { sheet: request.sheet, headerRow: request.headerRow, fileName, onPreview }, onProgress);
    case 'json':
      return readJson(bytes, { nested: request.nested, fileName, onPreview });
  }
}

/** `readRecordFile` as Arrow IPC stream bytes, ready for DuckDB. */
export function readRecordFileIpc(
  request: RecordFileRequest,
  onProgress?: (fraction: number) => void,
  onPreview?: (preview: TablePreview) => void,
): Uint8Array {
  return tableToIPC(readRecordFile(request, onProgress, onPreview), 'stream');
}

/** The reader without a worker (Node: the headless runner, tests). It blocks while it reads; `signal` is checked before. */
export const inProcessRecordReader: RecordFileReader = {
  async read(request, onProgress, onPreview, signal) {
    signal.throwIfAborted();
    return readRecordFileIpc(request, onProgress, onPreview);
  },
};

/** True for a RecordFileError, also after it crossed a worker boundary (which keeps the name, not the class). */
export function isRecordFileError(error: unknown): error is Error {
  return error instanceof Error && error.name === 'RecordFileError';
}
