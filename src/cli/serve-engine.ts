/** The engine `aisle serve` runs notebooks on: the one place to choose it. */
import { threadModelRunner } from '../workers/model-threads.ts';
import { NativeDatabase } from '../db/duckdb-native.ts';
import type { Database, Notebook } from '../engine/index.ts';
import type { WarmModelRunner } from '../workers/model-client.ts';
import { openEngine, type Engine, type EngineChoice, type EngineKind } from './engine.ts';
import type { LoadedTable } from './data.ts';
import { openTrinoEngine, openTrinoForNotebook, trinoLabel, type TrinoTarget } from './trino-engine.ts';

export interface ServerEngine {
  readonly db: Database;
  readonly models: WarmModelRunner;
  readonly kind: EngineKind | 'trino';
  /** What the header and `/health` say runs the SQL: `DuckDB 1.4.3 native, 16 threads`, `Trino 127.0.0.1:8080/hive/work`. */
  readonly label: string;
  /** Why native was asked for and WASM runs instead; absent otherwise. */
  readonly fallback?: string;
  /**
   * A file the page sends, written where the database may read it as it arrives (native: its scratch folder), so
   * its size costs no memory; absent when the engine takes bytes only (WASM), which are then read whole.
   */
  readonly receiveFile?: (fileName: string, pieces: AsyncIterable<Uint8Array>, keep?: boolean) => Promise<string>;
  /** A Trino engine's notebook tables, bound to catalog tables and prepared at start; absent for DuckDB. */
  readonly catalogTables?: readonly LoadedTable[];
}

export interface ServerEngineOptions {
  /** Native when installed (default), or one of the two. */
  readonly engine?: EngineChoice;
  /** A database file the app's tables live in (native only). */
  readonly databasePath?: string;
  /** Native DuckDB's memory limit (`8GB`); default 80% of the RAM. */
  readonly memoryLimit?: string;
  /** The notebook's data files, loaded before the lockdown. */
  readonly load?: (engine: Engine) => Promise<void>;
  /** Native worker threads; default one per core. */
  readonly threads?: number;
  /** Native DuckDB's install (its package.json); for tests of the fallback. */
  readonly nativePackage?: string;
  /**
   * Run on this Trino cluster instead, its `--table` bindings made at start (`load` is not called: nothing is uploaded).
   * With `notebook`, every table its front matter loads must be bound, as `aisle run` requires.
   */
  readonly trino?: TrinoTarget;
  readonly notebook?: Notebook;
  /** What binding the tables says (Trino). */
  readonly log?: (line: string) => void;
}

/**
 * The server's Database and ModelRunner, with `load` run first: native DuckDB when installed, locked down as the
 * runner's is (SQL reaches its scratch folder only, where the page's files are written), else DuckDB-WASM's Node
 * build with `fallback` saying why. Models run in worker threads.
 */
export async function openServerEngine(options: ServerEngineOptions = {}): Promise<ServerEngine> {
  if (options.trino !== undefined) return openTrinoServerEngine(options.trino, options.notebook, options.log ?? (() => {}));
  const engine = await openEngine({ engine: options.engine ?? 'auto', load: options.load, databasePath: options.databasePath, memoryLimit: options.memoryLimit, threads: options.threads, nativePackage: options.nativePackage });
  const { db } = engine;
  return {
    db,
    // In worker threads: a model never holds the server's event loop, and cancelling ends its thread.
    models: threadModelRunner(),
    kind: engine.kind,
    label: engine.label,
    ...(engine.fallback === undefined ? {} : { fallback: engine.fallback }),
    ...(db instanceof NativeDatabase ? { receiveFile: (fileName: string, pieces: AsyncIterable<Uint8Array>, keep?: boolean) => db.receiveFile(fileName, pieces, keep) } : {}),
  };
}

/** The Trino engine, its tables bound as `aisle run` binds them; models run in the server's worker threads. */
async function openTrinoServerEngine(target: TrinoTarget, notebook: Notebook | undefined, log: (line: string) => void): Promise<ServerEngine> {
  const { db, label, data } =
    notebook === undefined
      ? { ...(await openTrinoEngine(target.url, target.tables, log)), label: trinoLabel(target.url) }
      : await openTrinoForNotebook(notebook, target, log);
  return { db, models: threadModelRunner(), kind: 'trino', label, catalogTables: data };
}
