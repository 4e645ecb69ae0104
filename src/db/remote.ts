import { tableFromIPC, type Table } from 'apache-arrow';
import type { Database, FileSource, QueryOptions } from '../engine/ports.ts';
import { CancelledError, QueryError } from '../util/errors.ts';
import { frameParts } from '../util/byte-frames.ts';
import type { DialectName } from '../util/dialect/index.ts';

/** How a failed remote call comes back: the error's kind and message. */
export interface RemoteFailure {
  readonly error: string;
  readonly kind?: 'query' | 'cancelled' | 'other';
}

/**
 * `Database` over HTTP to `aisle serve`: every call is one same-origin POST under `/db/` (the session cookie the
 * server set carries the token), results come back as Arrow IPC streams. Aborting a query aborts its fetch, and the
 * server interrupts the query when the connection closes.
 */
export class RemoteDatabase implements Database {
  /**
   * `Database.keepFile`, when the server's database keeps files in place (native DuckDB in memory): the upload itself,
   * which the server writes to its scratch folder and keeps while a view reads it (see `NativeDatabase.receiveFile`).
   */
  readonly keepFile?: (fileName: string, source: FileSource) => Promise<string>;

  constructor(
    /** The server's origin with a trailing slash, `http://127.0.0.1:8765/`. */
    private readonly base: string,
    private readonly fetchImpl: typeof fetch = (...args) => fetch(...args),
    private readonly headers: Readonly<Record<string, string>> = {},
    /** The server's engine's dialect (Trino's when it runs on a cluster): the page writes its own SQL in it. */
    readonly dialect?: DialectName,
    /** The server reads Parquet in place (`ServedEngine.inPlace`). */
    inPlace = false,
  ) {
    if (inPlace) this.keepFile = (fileName, source) => this.upload(fileName, source, true);
  }

  async query(sql: string, options: QueryOptions = {}): Promise<Table> {
    const { params, signal } = options;
    const bytes = await this.call('db/query', JSON.stringify({ sql, params: params ?? [] }), sql, signal);
    return tableFromIPC(bytes);
  }

  async registerFile(fileName: string, source: FileSource): Promise<string> {
    return this.upload(fileName, source, false);
  }

  /** `keep`: the server's copy for `keepFile`, which it reclaims once no view reads it. */
  private async upload(fileName: string, source: FileSource, keep: boolean): Promise<string> {
    // A picked file goes up as the Blob itself, which the browser streams from disk: it is never read into memory.
    const reply = await this.call(`db/files?name=${encodeURIComponent(fileName)}${keep ? '&keep=1' : ''}`, source.kind === 'bytes' ? source.bytes : source.file, `-- register ${fileName}`);
    return (JSON.parse(new TextDecoder().decode(reply)) as { path: string }).path;
  }

  async dropFile(path: string): Promise<void> {
    await this.call('db/drop-file', JSON.stringify({ path }), `-- drop ${path}`);
  }

  async insertArrowIpc(table: string, ipc: Uint8Array | AsyncIterable<Uint8Array>): Promise<void> {
    if (ipc instanceof Uint8Array) {
      await this.call(`db/insert?table=${encodeURIComponent(table)}`, ipc, `-- insert Arrow into ${table}`);
      return;
    }
    // Row groups read one by one (a large Parquet file) go up in one framed body; the server appends them in order.
    const parts: Record<string, Uint8Array> = {};
    let index = 0;
    for await (const part of ipc) parts[String(index++)] = part;
    await this.call(`db/insert-parts?table=${encodeURIComponent(table)}`, frameParts({}, parts), `-- insert Arrow into ${table}`);
  }

  exportCsv(query: string): Promise<Uint8Array> {
    return this.call('db/export-csv', JSON.stringify({ query }), query);
  }

  exportArrowIpc(relation: string): Promise<Uint8Array> {
    return this.call('db/export-arrow', JSON.stringify({ relation }), `-- export ${relation}`);
  }

  async close(): Promise<void> {
    // The server owns the database; closing the page leaves it running for the next one.
  }

  private async call(path: string, body: string | Uint8Array | Blob, sql: string, signal?: AbortSignal): Promise<Uint8Array> {
    if (signal?.aborted) throw new CancelledError();
    const contentType = typeof body === 'string' ? 'application/json' : 'application/octet-stream';
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.base}${path}`, {
        method: 'POST',
        body: body as BodyInit,
        signal,
        credentials: 'same-origin',
        headers: { 'Content-Type': contentType, ...this.headers },
      });
    } catch (error) {
      if (signal?.aborted) throw new CancelledError();
      throw new QueryError(`the server could not be reached: ${(error as Error).message}`, sql, { cause: error });
    }
    if (response.ok) return new Uint8Array(await response.arrayBuffer());
    const failure = (await response.json().catch(() => ({ error: `the server answered ${response.status}` }))) as RemoteFailure;
    if (failure.kind === 'cancelled' || signal?.aborted) throw new CancelledError();
    throw new QueryError(failure.error, sql);
  }
}
