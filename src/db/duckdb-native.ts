/**
 * `Database` over native DuckDB (@duckdb/node-api): all cores, spilling to a temp directory, files read by path with
 * DuckDB's own readers. It is installed apart from the app's dependencies (native/, by the root postinstall) and may
 * be missing: `loadNativeDuckDb` then resolves to null and the caller falls back to DuckDB-WASM.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { tableFromIPC, tableToIPC, type Table } from 'apache-arrow';
import type { Database, FileSource, ParquetCodec, QueryOptions, TableShape } from '../engine/ports.ts';
import { CancelledError, QueryError, messageOf, plainDuckDbMessage } from '../util/errors.ts';
import { quoteIdent, quoteLiteral } from '../util/sql.ts';
import { swapIn } from '../data/formats.ts';
import { bindable, enumsAsDictionaries, tableOfChunks, type NativeChunk, type NativeType } from './native-arrow.ts';
import { valuesInsert } from './arrow-values.ts';
import { ScratchFiles, folder } from './native-files.ts';

/** Where the root postinstall puts native DuckDB: its own package, beside the app's. */
export const NATIVE_PACKAGE = fileURLToPath(new URL('../../native/package.json', import.meta.url));

/** The slice of `DuckDBResult` the adapter reads. */
interface NativeResult {
  readonly columnCount: number;
  columnNames(): string[];
  columnTypes(): NativeType[];
  fetchAllChunks(): Promise<NativeChunk[]>;
}

/** The slice of `DuckDBConnection`. */
interface NativeConnection {
  run(sql: string, values?: unknown[], types?: unknown[]): Promise<NativeResult>;
  interrupt(): void;
  closeSync(): void;
}

/** The slice of `DuckDBInstance`. */
interface NativeInstance {
  connect(): Promise<NativeConnection>;
  closeSync(): void;
}

/** The slice of the @duckdb/node-api module the adapter uses. */
export interface NativeDuckDbModule {
  readonly DuckDBInstance: { create(path?: string, options?: Record<string, string>): Promise<NativeInstance> };
  readonly DOUBLE: unknown;
  readonly VARCHAR: unknown;
  readonly BOOLEAN: unknown;
  readonly BIGINT: unknown;
}

/**
 * Native DuckDB from `packageJson`'s install (by default native/package.json), or null when it is not installed or
 * its binary does not load on this machine; `loadNativeDuckDb()`.
 */
export async function loadNativeDuckDb(packageJson: string = NATIVE_PACKAGE): Promise<NativeDuckDbModule | null> {
  try {
    const resolved = createRequire(packageJson).resolve('@duckdb/node-api');
    const module = (await import(pathToFileURL(resolved).href)) as NativeDuckDbModule & { default?: NativeDuckDbModule };
    // Its CommonJS exports may arrive as the default export only.
    const api = typeof module.DuckDBInstance === 'function' ? module : module.default;
    return api && typeof api.DuckDBInstance === 'function' ? api : null;
  } catch {
    return null;
  }
}

export interface NativeDatabaseOptions {
  /** Worker threads; default one per core. */
  readonly threads?: number;
  /** A database file to open; default in memory. */
  readonly databasePath?: string;
  /** DuckDB's `memory_limit` (`8GB`); past it, operators spill to the temp folder. Default DuckDB's: 80% of the RAM. */
  readonly memoryLimit?: string;
  /** Converts model outputs (Arrow IPC) to Parquet, which native DuckDB reads without the arrow extension. */
  readonly parquet: ParquetCodec;
}

/**
 * Applied at start: no extension is fetched or loaded, ever (DuckDB-WASM's start settings, see duckdb.ts). Nor is a
 * file's content cached by its path: each model output and imported part is a scratch file read once under a fresh
 * name, and the cache kept ~57 KB for each (an API serving 20 runs a second grew 80 MB a minute).
 */
const START_SETTINGS = `
SET GLOBAL autoinstall_known_extensions = false;
SET GLOBAL autoload_known_extensions = false;
SET GLOBAL allow_community_extensions = false;
SET GLOBAL enable_external_file_cache = false;
`;

/**
 * An in-memory database checkpoints on a commit once 16 MB have changed, and a checkpoint compresses every new table:
 * 3.5-4.3 s on two threads for a 10M-row load (whatever the file's row-group size), and again after the cleaned table.
 * Nothing is made durable by it, so it runs only when asked: `importFile` compresses a big loaded table once, and
 * derived tables stay as written. A database file (`--db`) keeps the default: there the checkpoint is what writes the
 * data.
 */
const IN_MEMORY_CHECKPOINT_THRESHOLD = '1TB';

/**
 * Applied once the data files are loaded, then locked so SQL cannot switch them back: SQL may read and write its
 * scratch folder and nothing else (no URL, no other path, no ATTACH). The data files are not left readable: DuckDB
 * lets SQL write to any path it may read (`COPY … TO` a data file with USE_TMP_FILE false overwrites it).
 */
function lockDownSql(scratch: string): string {
  return `
SET GLOBAL allowed_directories = [${quoteLiteral(scratch)}];
SET GLOBAL enable_external_access = false;
SET GLOBAL lock_configuration = true;
`;
}

/** `Database` over a native DuckDB instance. */
export class NativeDatabase implements Database {
  /** True once `lockDown` ran: SQL reaches no file but the scratch folder's. */
  private lockedDown = false;

  /**
   * The database's own copy of a file, in its scratch folder (see `Database.keepFile`): in memory only, as a database
   * file (`--db`) would keep views over copies that go when the process ends.
   */
  readonly keepFile?: (fileName: string, source: FileSource) => Promise<string>;
  private readonly files: ScratchFiles;
  /** Copies `keepFile` made → whether a view has been seen reading it. */
  private readonly kept = new Map<string, boolean>();

  private constructor(
    private readonly api: NativeDuckDbModule,
    private readonly instance: NativeInstance,
    private readonly parquet: ParquetCodec,
    /** Our own folder: `scratch/` (registered bytes, exports, model outputs) and `spill/` (DuckDB's temp files). */
    private readonly home: string,
    /** `DuckDB 1.4.3 native, 16 threads`. */
    readonly label: string,
    readonly version: string,
    readonly threads: number,
    inMemory: boolean,
  ) {
    this.files = new ScratchFiles(join(home, 'scratch'));
    if (inMemory) this.keepFile = (fileName, source) => this.keeping(() => this.files.keep(fileName, source));
  }

  private get scratch(): string {
    return this.files.directory;
  }

  static async open(api: NativeDuckDbModule, options: NativeDatabaseOptions): Promise<NativeDatabase> {
    const home = mkdtempSync(join(tmpdir(), 'aisle-native-'));
    mkdirSync(join(home, 'scratch'));
    mkdirSync(join(home, 'spill'));
    const threads = Math.max(1, Math.floor(options.threads ?? availableParallelism()));
    let instance: NativeInstance | undefined;
    try {
      instance = await api.DuckDBInstance.create(options.databasePath ?? ':memory:', {
        threads: String(threads),
        temp_directory: join(home, 'spill'),
        ...(options.memoryLimit === undefined ? {} : { memory_limit: options.memoryLimit }),
        ...(options.databasePath === undefined ? { checkpoint_threshold: IN_MEMORY_CHECKPOINT_THRESHOLD } : {}),
        autoinstall_known_extensions: 'false',
        autoload_known_extensions: 'false',
      });
      const connection = await instance.connect();
      let version: string;
      try {
        await connection.run(START_SETTINGS);
        const result = await connection.run('SELECT version() AS v');
        version = String(tableOfChunks(result.columnNames(), result.columnTypes(), await result.fetchAllChunks()).get(0)?.v ?? '').replace(/^v/, '');
      } finally {
        connection.closeSync();
      }
      return new NativeDatabase(api, instance, options.parquet, home, `DuckDB ${version} native, ${threads} thread${threads === 1 ? '' : 's'}`, version, threads, options.databasePath === undefined);
    } catch (error) {
      instance?.closeSync();
      rmSync(home, { recursive: true, force: true });
      throw error;
    }
  }

  /**
   * Confine SQL to the scratch folder, for good. Until this runs any path is readable, so nothing but Aisle's own
   * loading may run before it: notebook SQL must never.
   */
  async lockDown(): Promise<void> {
    await this.query(lockDownSql(folder(this.scratch)));
    this.lockedDown = true;
  }

  /**
   * A file on disk as a FileSource the importer can read the head of (lazily, not into memory) and `registerFile`
   * turns back into its path, so DuckDB reads the file itself. Only before `lockDown`.
   */
  async fileSource(path: string): Promise<FileSource> {
    if (this.lockedDown) throw new Error(`native DuckDB is locked down: ${path} can no longer be read by path`);
    return this.files.source(path);
  }

  async query(sql: string, options: QueryOptions = {}): Promise<Table> {
    const { params, signal } = options;
    if (signal?.aborted) throw new CancelledError();
    // A connection per query, as the WASM adapter does: each can be interrupted on its own.
    const connection = await this.instance.connect();
    const cancel = () => connection.interrupt();
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      const result = params && params.length > 0 ? await connection.run(sql, params.map(bindable), params.map((value) => this.typeOf(value))) : await connection.run(sql);
      const chunks = await result.fetchAllChunks();
      if (signal?.aborted) throw new CancelledError();
      return tableOfChunks(result.columnNames(), result.columnTypes(), chunks);
    } catch (error) {
      await connection.run('ROLLBACK').catch(() => undefined);
      if (signal?.aborted) throw new CancelledError();
      if (error instanceof CancelledError) throw error;
      throw new QueryError(plainDuckDbMessage(messageOf(error)), sql, { cause: error });
    } finally {
      signal?.removeEventListener('abort', cancel);
      connection.closeSync();
    }
  }

  /** Parameters bind as DuckDB-WASM binds them: every number as DOUBLE, null as a VARCHAR null. */
  private typeOf(value: unknown): unknown {
    switch (typeof value) {
      case 'number':
        return this.api.DOUBLE;
      case 'boolean':
        return this.api.BOOLEAN;
      case 'bigint':
        return this.api.BIGINT;
      default:
        return this.api.VARCHAR;
    }
  }

  async registerFile(fileName: string, source: FileSource): Promise<string> {
    return this.files.register(fileName, source);
  }

  /**
   * A file arriving in pieces (a request body), written to the scratch folder as it comes: the path DuckDB reads it by.
   * `keep`: the copy a page's `keepFile` asks for, reclaimed as `keepFile`'s are (in memory only).
   */
  async receiveFile(fileName: string, pieces: AsyncIterable<Uint8Array>, keep = false): Promise<string> {
    return keep && this.keepFile !== undefined ? this.keeping(() => this.files.receive(fileName, pieces)) : this.files.receive(fileName, pieces);
  }

  /** A copy made by `copy` after the copies no view reads any more are reclaimed, and tracked from then on. */
  private async keeping(copy: () => Promise<string>): Promise<string> {
    await this.reclaimCopies();
    const path = await copy();
    this.kept.set(path, false);
    return path;
  }

  async dropFile(path: string): Promise<void> {
    this.kept.delete(path);
    this.files.drop(path);
  }

  /**
   * Before a new copy is made, the copies no view reads any more (replaced, removed) are deleted, so a server that
   * loads file after file keeps only what its views read. A copy is reclaimed only once a view was seen reading it: one
   * whose view is still being made (another page's load) stays.
   */
  private async reclaimCopies(): Promise<void> {
    if (this.kept.size === 0) return;
    const views = (await this.query('SELECT sql FROM duckdb_views() WHERE NOT internal')).toArray().map((row) => String(row.sql));
    for (const [path, seen] of this.kept) {
      const read = views.some((sql) => sql.includes(path));
      if (read) this.kept.set(path, true);
      else if (seen) await this.dropFile(path);
    }
  }

  /**
   * Native DuckDB reads Arrow only through an extension that cannot be loaded offline: each part is written as a
   * Parquet file in the scratch folder, appended to a staging table, and deleted before the next is read, so a
   * stream of row groups costs one part of memory. The staging table is swapped in at the end; a failure leaves the
   * old relation as it was. One part (a model's output) replaces the table in one statement instead: a small one
   * (a model's answer) as bound values, which resolves to the table's shape, a larger one from one Parquet file.
   */
  async insertArrowIpc(table: string, ipc: Uint8Array | AsyncIterable<Uint8Array>): Promise<TableShape | void> {
    if (ipc instanceof Uint8Array) {
      const small = valuesInsert(table, tableFromIPC(ipc));
      if (small !== undefined) {
        if (await this.replaced(this.query(small.sql, { params: small.params }))) return small.shape;
      } else if (await this.replaceTable(table, ipc)) return;
    }
    const staging = `__aisle_insert_${crypto.randomUUID().replaceAll('-', '')}`;
    const append = async (part: Uint8Array, create: boolean) => {
      const file = join(this.scratch, `__aisle_insert_${crypto.randomUUID()}.parquet`);
      try {
        writeFileSync(file, await this.parquet.fromArrowIpc(part, 'none'));
        const rows = `SELECT * FROM read_parquet(${quoteLiteral(file)})`;
        await this.query(create ? `CREATE TABLE ${quoteIdent(staging)} AS ${rows}` : `INSERT INTO ${quoteIdent(staging)} ${rows}`);
      } finally {
        rmSync(file, { force: true });
      }
    };
    try {
      if (ipc instanceof Uint8Array) await append(ipc, true);
      else {
        let create = true;
        for await (const part of ipc) {
          await append(part, create);
          create = false;
        }
        if (create) throw new QueryError('There is no data to insert.', `-- insert Arrow into ${table}`);
      }
      await swapIn((sql) => this.query(sql), staging, table);
    } catch (error) {
      if (error instanceof QueryError) throw new QueryError(error.message, `-- insert Arrow into ${table}`, { cause: error });
      throw error;
    } finally {
      await this.query(`DROP TABLE IF EXISTS ${quoteIdent(staging)}`).catch(() => undefined);
    }
  }

  /**
   * `CREATE OR REPLACE TABLE` from one Parquet file: no staging table, no catalog look-up, no swap, and atomic as
   * the swap is. False, having changed nothing, when DuckDB refuses it (a view holds the name: the caller swaps).
   */
  private async replaceTable(table: string, ipc: Uint8Array): Promise<boolean> {
    const file = join(this.scratch, `__aisle_insert_${crypto.randomUUID()}.parquet`);
    try {
      writeFileSync(file, await this.parquet.fromArrowIpc(ipc, 'none'));
      return await this.replaced(this.query(`CREATE OR REPLACE TABLE ${quoteIdent(table)} AS SELECT * FROM read_parquet(${quoteLiteral(file)})`));
    } finally {
      rmSync(file, { force: true });
    }
  }

  /** True once a `CREATE OR REPLACE TABLE` ran; false when DuckDB refused it (a view holds the name). */
  private async replaced(statement: Promise<unknown>): Promise<boolean> {
    try {
      await statement;
      return true;
    } catch (error) {
      if (error instanceof QueryError) return false;
      throw error;
    }
  }

  async exportCsv(query: string): Promise<Uint8Array> {
    const file = join(this.scratch, `__aisle_export_${crypto.randomUUID()}.csv`);
    try {
      await this.query(`COPY (${query}\n) TO ${quoteLiteral(file)} (HEADER, DELIMITER ',')`);
      return new Uint8Array(readFileSync(file));
    } finally {
      rmSync(file, { force: true });
    }
  }

  /**
   * Through a Parquet file in the scratch folder, written by DuckDB and read by the codec: a million rows in about a
   * second, where converting every value to JS (the `query` path) took 25 µs a row and a model's 1.5M-row input ran
   * the heap out. Types as the WASM export gives them: DECIMAL and HUGEINT as DOUBLE, ENUM as a dictionary of its text.
   * A relation with a type Parquet would not give back the same (INTERVAL, TIME, nested, UUID…) goes the `query` path.
   */
  async exportArrowIpc(relation: string): Promise<Uint8Array> {
    const columns = (await this.query(`SELECT column_name, column_type FROM (DESCRIBE ${quoteIdent(relation)})`)).toArray().map((row) => ({ name: String(row.column_name), type: String(row.column_type) }));
    if (columns.length === 0 || !columns.every(({ type }) => PARQUET_EXACT.test(type))) return tableToIPC(await this.query(`SELECT * FROM ${quoteIdent(relation)}`), 'stream');
    // ENUMs go as their codes and come back as dictionaries (see enumsAsDictionaries); DECIMALs as DOUBLE.
    const enums = columns.filter(({ type }) => type.startsWith('ENUM(')).map(({ name }) => name);
    const sent = ({ name, type }: { name: string; type: string }) =>
      /^(DECIMAL|HUGEINT|UHUGEINT)/.test(type) ? `CAST(${quoteIdent(name)} AS DOUBLE)` : type.startsWith('ENUM(') ? `enum_code(${quoteIdent(name)})` : quoteIdent(name);
    const select = columns.map((column) => `${sent(column)} AS ${quoteIdent(column.name)}`);
    const file = join(this.scratch, `__aisle_export_${crypto.randomUUID()}.parquet`);
    try {
      await this.query(`COPY (SELECT ${select.join(', ')} FROM ${quoteIdent(relation)}) TO ${quoteLiteral(file)} (FORMAT parquet, COMPRESSION uncompressed)`);
      const ipc = await this.parquet.toArrowIpc(new Uint8Array(readFileSync(file)));
      if (enums.length === 0) return ipc;
      const ranges = (await this.query(`SELECT ${enums.map((name, i) => `(SELECT enum_range(${quoteIdent(name)}) FROM ${quoteIdent(relation)} WHERE ${quoteIdent(name)} IS NOT NULL LIMIT 1) AS r${i}`).join(', ')}`)).get(0);
      return enumsAsDictionaries(ipc, new Map(enums.map((name, i) => [name, [...((ranges?.[`r${i}`] as Iterable<string> | null) ?? [])]])));
    } finally {
      rmSync(file, { force: true });
    }
  }

  async close(): Promise<void> {
    this.instance.closeSync();
    rmSync(this.home, { recursive: true, force: true });
  }
}

/** Column types a Parquet round trip gives back as the WASM export does (ENUMs as codes, made dictionaries again; DECIMALs cast). */
const PARQUET_EXACT = /^(BOOLEAN|TINYINT|SMALLINT|INTEGER|BIGINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DATE|TIMESTAMP|VARCHAR|DECIMAL\(\d+,\d+\)|HUGEINT|UHUGEINT|ENUM\(.*\))$/s;

/**
 * Open native DuckDB, not yet locked down (load the data, then call `lockDown`), or null when it is not installed
 * here; errors opening an installed one are thrown. `await openNativeDatabase({ parquet: nodeParquetCodec })`.
 */
export async function openNativeDatabase(options: NativeDatabaseOptions & { readonly packageJson?: string }): Promise<NativeDatabase | null> {
  const api = await loadNativeDuckDb(options.packageJson);
  return api === null ? null : NativeDatabase.open(api, options);
}
