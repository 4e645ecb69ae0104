import type { Database, DataFile, FileInspector, FileSealer, ModelRunner, ParquetCodec, RecordFileReader, SampleGenerator, TextTranscoder } from '../../engine/index.ts';

/** The adapters the UI works through; built in main.ts. */
export interface Services {
  readonly db: Database;
  readonly parquet: ParquetCodec;
  /** Reads Excel and JSON files into Arrow off the main thread. */
  readonly records: RecordFileReader;
  /** Opens a picked file for the import sheet: detection and previews in a worker. */
  readonly inspector: FileInspector;
  readonly generator: SampleGenerator;
  /** Rewrites text files DuckDB cannot read as they are (another encoding, runs of whitespace), in a worker. */
  readonly textTranscoder: TextTranscoder;
  /** Runs model cells off the main thread. */
  readonly models: ModelRunner;
  /** Seals and opens exported notebook files with a passphrase. */
  readonly sealer: FileSealer;
  /** Which DuckDB build runs, shown in the header. */
  readonly engineLabel: string;
  /**
   * Set when `aisle serve` runs the SQL and models: who reads Parquet files there (native DuckDB reads them itself),
   * and, when its engine reads its tables from a catalog (Trino) and takes no file, the tables bound there.
   */
  readonly server?: { readonly parquetReader: 'codec' | 'duckdb'; readonly catalogTables?: readonly string[] };
  /** Fetch a file from the app's own origin; cross-origin URLs are refused (privacy). */
  readonly fetchSameOrigin: (url: string) => Promise<DataFile>;
}
