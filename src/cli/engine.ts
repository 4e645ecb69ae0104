/**
 * Which DuckDB runs a notebook outside the browser: native (all cores, files read by path, spilling to disk) when
 * it is installed, else DuckDB-WASM's Node build, the browser's engine. The runner and the server both open theirs here.
 */
import { readFile } from 'node:fs/promises';
import { openNodeDatabase } from '../db/duckdb-node.ts';
import { NativeDatabase, openNativeDatabase, NATIVE_PACKAGE } from '../db/duckdb-native.ts';
import { nodeParquetCodec } from '../db/parquet-node.ts';
import type { Database, FileSource } from '../engine/index.ts';

export type EngineKind = 'native' | 'wasm';
/** What was asked for: `auto` is native when it is installed, else WASM. */
export type EngineChoice = EngineKind | 'auto';
export const ENGINE_CHOICES: readonly EngineChoice[] = ['auto', 'native', 'wasm'];

/** An open engine, and how the data files reach it. */
export interface Engine {
  readonly kind: EngineKind;
  readonly db: Database;
  /** `DuckDB 1.4.3 native, 16 threads`, `DuckDB 1.4.3 WASM, 1 thread`. */
  readonly label: string;
  /** Why native was asked for (or was the default) and WASM runs instead, in one line; absent otherwise. */
  readonly fallback?: string;
  /** A data file as the importer takes it: by path, read by DuckDB itself (native), or its bytes read whole (WASM). */
  source(path: string): Promise<FileSource>;
}

export interface EngineOptions {
  readonly engine: EngineChoice;
  /**
   * Loads the data (with `engine.source`). Native DuckDB reads files by path only while it runs; then SQL is
   * locked out of every file for good, so nothing but Aisle's own loading may run here, never notebook SQL.
   */
  readonly load?: (engine: Engine) => Promise<void>;
  /** Native worker threads; default one per core. */
  readonly threads?: number;
  /** Native DuckDB's install (its package.json); default the one the root postinstall makes. */
  readonly nativePackage?: string;
  /** A database file to open (created when missing) and keep tables in; native only. Default: in memory. */
  readonly databasePath?: string;
  /** Native DuckDB's memory limit (`8GB`), past which it spills to disk; native only. Default: 80% of the RAM. */
  readonly memoryLimit?: string;
}

/** The line said when native DuckDB cannot be used: `native DuckDB is not installed (…); using DuckDB-WASM`. */
export function fallbackLine(choice: EngineChoice): string {
  const asked = choice === 'native' ? '--engine native: ' : '';
  return `${asked}native DuckDB is not installed here (npm install puts it in native/node_modules when this platform has a build); running on DuckDB-WASM, single-threaded`;
}

/**
 * Open the engine asked for, load the data into it, and lock it down: native when asked or by default and
 * installed; when it is not, WASM with `fallback` saying so. SQL run on the engine returned reaches no file on disk.
 * `const engine = await openEngine({ engine: 'auto', load: (e) => loadTable(e, 'sales', source, log).then(() => {}) })`.
 */
export async function openEngine(options: EngineOptions): Promise<Engine> {
  const engine = await openUnlocked(options);
  try {
    await options.load?.(engine);
    if (engine.db instanceof NativeDatabase) await engine.db.lockDown();
    return engine;
  } catch (error) {
    await engine.db.close();
    throw error;
  }
}

async function openUnlocked(options: EngineOptions): Promise<Engine> {
  if (options.engine !== 'wasm') {
    const native = await openNativeDatabase({
      threads: options.threads,
      parquet: nodeParquetCodec,
      packageJson: options.nativePackage ?? NATIVE_PACKAGE,
      databasePath: options.databasePath,
      memoryLimit: options.memoryLimit,
    });
    if (native !== null) return { kind: 'native', db: native, label: native.label, source: (path) => native.fileSource(path) };
  }
  // DuckDB-WASM in Node keeps its tables in memory only: a database file would silently not be written.
  if (options.memoryLimit !== undefined) throw new Error(`a memory limit (${options.memoryLimit}) is native DuckDB's, ${options.engine === 'wasm' ? 'and --engine wasm was asked for' : 'which is not installed here'}`);
  if (options.databasePath !== undefined) throw new Error(`a database file (${options.databasePath}) needs native DuckDB, ${options.engine === 'wasm' ? 'and --engine wasm was asked for' : 'which is not installed here'}`);
  // DuckDB-WASM locks itself at start: files reach it as registered bytes.
  const db = await openNodeDatabase();
  const version = String((await db.query('SELECT version() AS v')).get(0)?.v ?? '').replace(/^v/, '');
  return {
    kind: 'wasm',
    db,
    label: `DuckDB ${version} WASM, 1 thread`,
    ...(options.engine === 'wasm' ? {} : { fallback: fallbackLine(options.engine) }),
    source: async (path) => ({ kind: 'bytes', bytes: wholeBuffer(await readFile(path)) }),
  };
}

/** The bytes as a Uint8Array owning its whole ArrayBuffer, which DuckDB transfers to its worker; a copy only when shared. */
function wholeBuffer(buffer: Buffer): Uint8Array {
  const { buffer: backing, byteOffset, byteLength } = buffer;
  return byteOffset === 0 && byteLength === backing.byteLength ? new Uint8Array(backing, 0, byteLength) : new Uint8Array(buffer);
}
