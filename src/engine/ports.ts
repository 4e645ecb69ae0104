import type { Table } from 'apache-arrow';
import type { DamagedRecord, RecordKind } from '../util/store-errors.ts';
import type { TranscodeRequest, TranscodeResult } from '../data/transcode.ts';
import type { TextImportOptions, TextPreview } from '../data/text-dialect.ts';
import type { SheetInfo } from '../data/excel/index.ts';
import type { DialectName } from '../util/dialect/index.ts';
import type { TablePreview } from '../data/column-builder.ts';

/** Where the bytes of a data file come from. */
export type FileSource =
  /** A File from a picker or a drop: registered by handle and read lazily, never copied into the heap. */
  | { readonly kind: 'handle'; readonly file: Blob }
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array };

export interface QueryOptions {
  /** Values for `?` / `$1` placeholders, bound by DuckDB, never spliced into the text. */
  readonly params?: readonly unknown[];
  /** Aborting cancels the query inside DuckDB; the promise then rejects with an AbortError. */
  readonly signal?: AbortSignal;
}

/** A table's columns, by DuckDB's type names (`DESCRIBE`'s), and its row count. */
export interface TableShape {
  readonly columns: readonly { readonly name: string; readonly type: string }[];
  readonly rowCount: number;
}

/** The SQL engine as the rest of the app sees it. Implemented over DuckDB-WASM in `src/db`. */
export interface Database {
  /** The SQL dialect Aisle writes its own SQL in for this engine; DuckDB's when absent. */
  readonly dialect?: DialectName;
  /** Run SQL (one or more statements) and return the last statement's result. */
  query(sql: string, options?: QueryOptions): Promise<Table>;
  /**
   * Make a file readable in SQL; resolves to the path SQL reads it by (`read_csv('/aisle-files/sales.csv')`).
   * Notebook SQL can read registered files and nothing else: no other path, no URL.
   */
  registerFile(fileName: string, source: FileSource): Promise<string>;
  /** Forget a registered file, by the path `registerFile` gave. */
  dropFile(path: string): Promise<void>;
  /**
   * A path this database reads `source` by while a view reads it: its own copy, in its scratch folder, which SQL may
   * read once locked down (gone once no view reads it, or by `dropFile`). Only a database that reads files by path
   * has it (native DuckDB, and the page's adapter to a server running it): `importFile` then serves a Parquet file in
   * place, as a view over that copy, instead of copying its rows into a table.
   */
  keepFile?(fileName: string, source: FileSource): Promise<string>;
  /**
   * Create or replace `table` from an Arrow IPC stream (Parquet arrives this way), or from several streams of one
   * schema appended in turn (a Parquet file row group by row group), so no single buffer holds the whole table.
   * Resolves to the table's shape when the adapter knows it without a query (native DuckDB's small inserts).
   */
  insertArrowIpc(table: string, ipc: Uint8Array | AsyncIterable<Uint8Array>): Promise<TableShape | void>;
  /** A query's result as CSV bytes with a header, written by DuckDB (`SELECT * FROM t`). */
  exportCsv(query: string): Promise<Uint8Array>;
  /** A table or view as Arrow IPC bytes, stream or file format (the codec turns either into Parquet). */
  exportArrowIpc(relation: string): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** Parquet ↔ Arrow IPC, done outside DuckDB because its parquet extension cannot be loaded offline. */
export interface ParquetCodec {
  toArrowIpc(parquet: Uint8Array): Promise<Uint8Array>;
  /** Open a Parquet file to read one row group at a time: only its footer is read here. */
  openRowGroups(parquet: FileSource): Promise<ParquetRowGroups>;
  /**
   * Arrow IPC bytes in the stream or the file format → Parquet bytes, ZSTD-compressed unless `compression` is 'none'
   * (a file read once, at once: native DuckDB's inserts, where compressing is time spent for nothing).
   */
  fromArrowIpc(ipc: Uint8Array, compression?: ParquetCompression): Promise<Uint8Array>;
}

export type ParquetCompression = 'zstd' | 'none';

/** A Parquet file opened by row group; `close` frees what the reader holds. */
export interface ParquetRowGroups {
  /** Rows per row group, in file order (from the file's footer). */
  readonly rowGroupRows: readonly number[];
  /** Row group `index` as Arrow IPC stream bytes. */
  read(index: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

/**
 * Rewrites a text file as UTF-8 with one-character delimiters (another encoding, gzip around a rewrite, runs of
 * whitespace), off the page's thread in the browser.
 */
export interface TextTranscoder {
  toUtf8(source: FileSource, request: TranscodeRequest, signal?: AbortSignal): Promise<TranscodeResult>;
}

export interface GenerateRequest {
  readonly layout: 'online-retail' | 'simple';
  readonly rows: number;
  readonly seed: number;
}

/** The seeded sample-data generator, run off the main thread; resolves to Arrow IPC stream bytes. */
export interface SampleGenerator {
  generate(request: GenerateRequest, onProgress: (fraction: number) => void, signal: AbortSignal): Promise<Uint8Array>;
}

/** A model run: the registry's model name, its spec's parameters, and each input table as Arrow IPC bytes. */
export interface ModelRequest {
  readonly model: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly inputs: Readonly<Record<string, Uint8Array>>;
  /** Columns the model's own table carries from its input that the engine keeps in the database (not sent, not returned). */
  readonly carried?: readonly string[];
}

/**
 * Runs models off the main thread (a worker in the browser, in-process in Node). Resolves to output tables
 * as Arrow IPC by suffix: '' is the cell's own table, 'centroids' becomes `<cell>__centroids`.
 */
export interface ModelRunner {
  run(request: ModelRequest, onProgress: (fraction: number) => void, signal: AbortSignal): Promise<Record<string, Uint8Array>>;
  /** Start the workers the runs will need now (a notebook with model cells opened), if the runner keeps any. */
  warm?(): void;
}

/** Whether the workspace has a passphrase, and whether its key is in memory. */
export type LockState = 'unprotected' | 'locked' | 'unlocked';

/** A saved notebook's id and save time; a notebook whose sealed name is damaged is listed by its opaque key. */
export interface NotebookEntry {
  readonly id: string;
  readonly savedAt: number;
  readonly damaged?: DamagedRecord;
}

/** The tables that opened, and the ones that are damaged (by name). */
export interface LoadedTables {
  readonly tables: Map<string, Uint8Array>;
  readonly damaged: readonly DamagedRecord[];
}

/**
 * The user's saved notebooks and tables, encrypted at rest once a passphrase is set; implemented over IndexedDB
 * in `src/store`. Operations fail with a StoreError (a DamagedRecordError for a record changed on disk), and a
 * wrong passphrase with the envelope's error. Writes commit whole or not at all.
 */
export interface Workspace {
  readonly state: LockState;
  saveNotebook(id: string, text: string): Promise<void>;
  /** A notebook's text, or undefined if there is none. */
  loadNotebook(id: string): Promise<string | undefined>;
  listNotebooks(): Promise<NotebookEntry[]>;
  deleteNotebook(id: string): Promise<void>;
  /** Keep a table's Parquet bytes under its name. */
  saveTable(name: string, bytes: Uint8Array): Promise<void>;
  /** Every stored table by name, in name order; a damaged one is reported, not thrown, so the others still open. */
  loadTables(): Promise<LoadedTables>;
  deleteTable(name: string): Promise<void>;
  /** Delete a damaged record, and only while it is still damaged (one that opens again is kept: 'conflict'). */
  removeDamaged(record: DamagedRecord): Promise<void>;
  /** The key a record named `name` is stored under (with a passphrase an opaque tag, which names a damaged-name record). */
  storedKeyOf(kind: RecordKind, name: string): Promise<string>;
  /** Remember `id` as the open notebook for the next visit; best effort. */
  rememberNotebook(id: string): Promise<void>;
  /** The notebook last remembered as open, if it can be told. */
  rememberedNotebook(): Promise<string | undefined>;
  /** Set a passphrase: every record is re-written sealed. */
  lock(passphrase: string): Promise<void>;
  /** Check the passphrase and keep its key in memory. */
  unlock(passphrase: string): Promise<void>;
  /** Drop the key from memory ("Lock now"). */
  forget(): void;
  changePassphrase(current: string, next: string): Promise<void>;
  /** Remove the passphrase: every record is re-written as plaintext. */
  removeLock(passphrase: string): Promise<void>;
}

/** Passphrase encryption of an exported notebook file, in the same envelope as a locked workspace. */
export interface FileSealer {
  /** The text sealed under `passphrase`, as the envelope's text. */
  seal(text: string, passphrase: string): Promise<string>;
  /** The text inside an envelope's text; fails on a wrong passphrase or an altered or malformed file. */
  open(envelopeText: string, passphrase: string): Promise<string>;
}

/** What a file offered for import is, found from its first bytes (and, for a workbook, its sheet list). */
export type FileInspection =
  | { readonly kind: 'text'; readonly detected: TextImportOptions }
  | { readonly kind: 'excel'; readonly sheets: readonly SheetInfo[] }
  | { readonly kind: 'json' }
  /** Parquet, or bytes that are no text: loaded straight away, so the importer names any problem. */
  | { readonly kind: 'direct' };

/** One file held open for the import sheet: previews under the options the user sets, read off the main thread. */
export interface InspectedFile {
  readonly inspection: FileInspection;
  previewText(options: TextImportOptions): Promise<TextPreview>;
  previewSheet(sheet: string, headerRow: number): Promise<TablePreview>;
  previewJson(nested: 'flatten' | 'json'): Promise<TablePreview>;
  /** Let go of the file (ends the worker holding it). */
  close(): void;
}

/** Opens files for the import sheet; only the head of a text file is read. */
export interface FileInspector {
  open(fileName: string, source: FileSource): Promise<InspectedFile>;
}
