/** The two DuckDB engines Aisle runs on, for tests that must give the same answer on both. */
import { openNodeDatabase } from '../../../src/db/duckdb-node.ts';
import { loadNativeDuckDb, NativeDatabase } from '../../../src/db/duckdb-native.ts';
import { nodeParquetCodec } from '../../../src/db/parquet-node.ts';
import type { Database } from '../../../src/engine/ports.ts';

/** Native DuckDB with `threads` threads (its default: one per core); a missing install fails the test, never skips it. */
export async function openNative(threads?: number): Promise<NativeDatabase> {
  const api = await loadNativeDuckDb();
  if (api === null) throw new Error('native DuckDB is not installed in native/node_modules; run npm install');
  return NativeDatabase.open(api, { parquet: nodeParquetCodec, ...(threads === undefined ? {} : { threads }) });
}

/** `describe.each(duckDbEngines(2))`: DuckDB-WASM (one thread) and native DuckDB with `nativeThreads`. */
export function duckDbEngines(nativeThreads?: number): [string, () => Promise<Database>][] {
  return [
    ['DuckDB-WASM (one thread)', () => openNodeDatabase()],
    [nativeThreads === undefined ? 'native DuckDB' : `native DuckDB (${nativeThreads === 1 ? 'one thread' : `${nativeThreads} threads`})`, () => openNative(nativeThreads)],
  ];
}
