import type { Database, ParquetCodec } from './ports.ts';

/**
 * A table or view as Parquet bytes: DuckDB exports Arrow IPC and the codec (a worker in the page, parquet-wasm in
 * Node) encodes it. The one way every export, bundle, saved table and CLI output is made.
 */
export async function exportTableParquet(db: Database, parquet: ParquetCodec, relation: string): Promise<Uint8Array> {
  return parquet.fromArrowIpc(await db.exportArrowIpc(relation));
}

/** Where a loaded table came from: loaded now by the user (a file, a URL, generated, imported), or restored from the workspace. */
export type TableOrigin = 'loaded' | 'restored';

/**
 * How a loaded table is kept for the next visit: as Parquet, encoded when the save runs. A table restored from the
 * workspace is already kept there, so it gets nothing to save (undefined). The store decides when the bytes are written.
 */
export function tableToKeep(db: Database, parquet: ParquetCodec, name: string, origin: TableOrigin): (() => Promise<Uint8Array>) | undefined {
  switch (origin) {
    case 'restored':
      return undefined;
    case 'loaded':
      return () => exportTableParquet(db, parquet, name);
  }
}
