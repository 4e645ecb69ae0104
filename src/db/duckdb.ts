import { MessageHeader, MessageReader, type RecordBatch, type Table } from 'apache-arrow';
import type { AsyncDuckDB, AsyncDuckDBConnection, DuckDBDataProtocol } from '@duckdb/duckdb-wasm';
import type { Database, FileSource, QueryOptions, TableShape } from '../engine/ports.ts';
import { CancelledError, QueryError, messageOf, plainDuckDbMessage } from '../util/errors.ts';
import { quoteIdent, quoteLiteral } from '../util/sql.ts';
import { swapIn } from '../data/formats.ts';
import { arrowColumns } from './arrow-values.ts';

/**
 * The only directory DuckDB may read or write: files the app registers (picked, dropped, fetched) and export
 * scratch files live under it. It is a name in DuckDB's virtual file table, not a folder on any disk.
 */
export const FILES_DIRECTORY = '/aisle-files/';

/**
 * Settings applied once at start, then locked so notebook SQL cannot switch them back.
 * - Extensions are fetched from DuckDB's server at run time: autoloading is off, and loading any is refused.
 * - External access is off: `read_csv('http://…')`, `ATTACH`, `COPY … TO`, `read_text('/etc/…')` fail with a
 *   Permission Error, except under the allowed directories. DuckDB-WASM fetches http(s) URLs itself, from its
 *   worker, where the page's CSP does not reach, so this is what keeps a notebook from sending data away.
 * - No checkpoint unless asked (`importFile` asks after a big load): in memory a checkpoint only compresses, and DuckDB
 *   ran one whenever 16 MB had changed, so after nearly every row group a load inserted.
 */
function startSql(allowedDirectories: readonly string[]): string {
  return `
SET GLOBAL autoinstall_known_extensions = false;
SET GLOBAL autoload_known_extensions = false;
SET GLOBAL allow_community_extensions = false;
SET GLOBAL checkpoint_threshold = '1TB';
SET GLOBAL allowed_directories = [${allowedDirectories.map(quoteLiteral).join(', ')}];
SET GLOBAL enable_external_access = false;
SET GLOBAL lock_configuration = true;
`;
}

/** Where `COPY … TO` may write a scratch file: the browser's is in memory; Node's is on disk and must be removed. */
export interface ScratchFiles {
  /** A directory path ending in `/`; DuckDB is allowed to write there and nowhere else. */
  readonly directory: string;
  /** Delete a scratch file, or the directory itself once the database is closed. */
  remove(path: string): void;
}

/** DuckDBDataProtocol.BROWSER_FILEREADER, by value: importing the enum would load DuckDB-WASM wherever this file is bundled. */
const BROWSER_FILEREADER = 2 as DuckDBDataProtocol.BROWSER_FILEREADER;

const IN_MEMORY: ScratchFiles = { directory: FILES_DIRECTORY, remove: () => {} };

/** The parts of apache-arrow the adapter needs, from the same module instance DuckDB's build uses. */
export interface ArrowModule {
  readonly Table: new (batches: RecordBatch[]) => Table;
}

/** `Database` over an instantiated AsyncDuckDB; shared by the browser and the Node builds. */
export class DuckDbDatabase implements Database {
  private constructor(
    private readonly db: AsyncDuckDB,
    private readonly arrow: ArrowModule,
    private readonly scratch: ScratchFiles,
  ) {}

  /**
   * Open the database and apply the start settings. `db` must already be instantiated. `arrow` is the
   * very Arrow module DuckDB's build imports: under Node its CommonJS build and our ES imports load two
   * copies of Arrow, and one copy's Table cannot hold the other's batches.
   */
  static async open(db: AsyncDuckDB, arrow: ArrowModule, scratch: ScratchFiles = IN_MEMORY): Promise<DuckDbDatabase> {
    // Arrow JS has no usable decimal value; results reaching JavaScript carry DECIMAL as DOUBLE (tables keep DECIMAL).
    await db.open({ query: { castBigIntToDouble: false, castDecimalToDouble: true } });
    const database = new DuckDbDatabase(db, arrow, scratch);
    await database.query(startSql([...new Set([FILES_DIRECTORY, scratch.directory])]));
    return database;
  }

  async query(sql: string, options: QueryOptions = {}): Promise<Table> {
    const { params, signal } = options;
    if (signal?.aborted) throw new CancelledError();
    // A connection per query: each can be cancelled on its own, and a failed one leaves no state behind.
    const connection = await this.db.connect();
    const cancel = () => void connection.cancelSent();
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      const batches = await collect(connection, sql, params);
      if (signal?.aborted) throw new CancelledError();
      return new this.arrow.Table(batches);
    } catch (error) {
      // A cancelled (or failed) query can leave its transaction open, and closing the connection does not
      // end it: the next write to the same table would fail with a write-write conflict.
      await connection.query('ROLLBACK').catch(() => undefined);
      if (signal?.aborted) throw new CancelledError();
      throw new QueryError(plainDuckDbMessage(messageOf(error)), sql, { cause: error });
    } finally {
      signal?.removeEventListener('abort', cancel);
      await connection.close();
    }
  }

  async registerFile(fileName: string, source: FileSource): Promise<string> {
    const path = `${FILES_DIRECTORY}${fileName.replaceAll('/', '_')}`;
    switch (source.kind) {
      case 'handle':
        await this.db.registerFileHandle(path, source.file, BROWSER_FILEREADER, true);
        return path;
      case 'bytes':
        await this.db.registerFileBuffer(path, source.bytes);
        return path;
    }
  }

  async dropFile(path: string): Promise<void> {
    await this.db.dropFile(path);
  }

  async insertArrowIpc(table: string, ipc: Uint8Array | AsyncIterable<Uint8Array>): Promise<TableShape | void> {
    // Read before the bytes go to DuckDB's worker (which takes them over): the caller then need not ask for the shape.
    const shape = ipc instanceof Uint8Array ? shapeOfIpc(ipc) : undefined;
    // Inserted beside the old relation and swapped in one transaction: a failed insert leaves the old one (table or
    // view) as it was.
    const staging = `__aisle_insert_${crypto.randomUUID().replaceAll('-', '')}`;
    const connection = await this.db.connect();
    const insert = async (part: Uint8Array, create: boolean) => {
      try {
        await connection.insertArrowFromIPCStream(part, { name: staging, create });
      } catch (error) {
        throw new QueryError(plainDuckDbMessage(messageOf(error)), `-- insert Arrow into ${table}`, { cause: error });
      }
    };
    try {
      if (ipc instanceof Uint8Array) await insert(ipc, true);
      else {
        // Each part is appended and let go before the next is asked for: memory holds one part, not the file.
        let create = true;
        for await (const part of ipc) {
          await insert(part, create);
          create = false;
        }
        if (create) throw new QueryError('There is no data to insert.', `-- insert Arrow into ${table}`);
      }
    } catch (error) {
      // A failed or cancelled insert (or a part that could not be read) leaves nothing behind.
      await this.query(`DROP TABLE IF EXISTS ${quoteIdent(staging)}`).catch(() => undefined);
      throw error;
    } finally {
      await connection.close();
    }
    try {
      await swapIn((sql) => this.query(sql), staging, table);
    } catch (error) {
      await this.query(`DROP TABLE IF EXISTS ${quoteIdent(staging)}`).catch(() => undefined);
      throw error;
    }
    return shape;
  }

  async exportCsv(query: string): Promise<Uint8Array> {
    const fileName = `${this.scratch.directory}__aisle_export_${crypto.randomUUID()}.csv`;
    try {
      await this.query(`COPY (${query}\n) TO ${quoteLiteral(fileName)} (HEADER, DELIMITER ',')`);
      return await this.db.copyFileToBuffer(fileName);
    } finally {
      await this.db.dropFile(fileName);
      this.scratch.remove(fileName);
    }
  }

  async exportArrowIpc(relation: string): Promise<Uint8Array> {
    // The worker's own IPC bytes, passed through: decoding them into a Table and encoding again would block
    // the page for hundreds of ms on half a million rows.
    const connection = await this.db.connect();
    try {
      return await connection.useUnsafe((db, id) => db.runQuery(id, `SELECT * FROM ${quoteIdent(relation)}`));
    } catch (error) {
      throw new QueryError(plainDuckDbMessage(messageOf(error)), `-- export ${relation}`, { cause: error });
    } finally {
      await connection.close();
    }
  }

  async close(): Promise<void> {
    await this.db.terminate();
    if (this.scratch.directory !== FILES_DIRECTORY) this.scratch.remove(this.scratch.directory);
  }
}

/**
 * The table DuckDB makes of Arrow IPC bytes, when every type maps exactly: from the schema and the batches' headers,
 * their bodies skipped (a 395,154-row stream of 194 batches took 4 ms, where decoding it as a Table took 20).
 */
function shapeOfIpc(ipc: Uint8Array): TableShape | undefined {
  try {
    const reader = new MessageReader(ipc);
    const schema = reader.readSchema();
    const columns = schema === undefined ? undefined : arrowColumns(schema);
    if (columns === undefined) return undefined;
    let rowCount = 0;
    for (let message = reader.readMessage(); message !== null; message = reader.readMessage()) {
      if (message.headerType === MessageHeader.RecordBatch) rowCount += Number((message.header() as { length: number | bigint }).length);
      reader.readMessageBody(message.bodyLength);
    }
    return { columns, rowCount };
  } catch {
    return undefined; // bytes that are not Arrow: DuckDB's insert says so
  }
}

/** Stream the result so the query stays cancellable (a pending query is polled; `query()` is not). */
async function collect(
  connection: AsyncDuckDBConnection,
  sql: string,
  params: readonly unknown[] | undefined,
): Promise<RecordBatch[]> {
  const batches: RecordBatch[] = [];
  if (params && params.length > 0) {
    const statement = await connection.prepare(sql);
    try {
      for await (const batch of await statement.send(...params)) batches.push(batch);
    } finally {
      await statement.close();
    }
  } else {
    for await (const batch of await connection.send(sql, true)) batches.push(batch);
  }
  return batches;
}
