/**
 * The server's side of the app's remote adapters: `/db/*` answers the `Database` port's calls and `/models/run` the
 * `ModelRunner`'s, with Arrow IPC bytes on the wire. A query whose connection closes before it is answered (the page
 * aborted its fetch) is interrupted.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { tableToIPC, type Table } from 'apache-arrow';
import type { ModelRequest } from '../engine/index.ts';
import { frameParts, unframeParts } from '../util/byte-frames.ts';
import { ModelRunError, QueryError, isCancelled, messageOf } from '../util/errors.ts';
import type { ServerEngine } from './serve-engine.ts';

const require = createRequire(import.meta.url);
// The Arrow module DuckDB-WASM's Node build made its tables with: another copy cannot write them (see duckdb-node.ts).
// Native DuckDB's tables are made with this module's own copy.
const wasmArrow = require('apache-arrow') as typeof import('apache-arrow');

/** A query's table as an Arrow IPC stream, written by the Arrow copy that made it. */
function streamOf(table: Table): Uint8Array {
  return table instanceof wasmArrow.Table ? wasmArrow.tableToIPC(table, 'stream') : tableToIPC(table, 'stream');
}

const MAX_UPLOAD_BYTES = 2 * 1024 ** 3;

/** Answer a `/db/…` or `/models/run` request; false when the path is neither. */
export async function answerRemote(
  engine: ServerEngine,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  log: (line: string) => void = () => {},
): Promise<boolean> {
  if (!url.pathname.startsWith('/db/') && url.pathname !== '/models/run') return false;
  if (request.method !== 'POST') {
    sendJson(response, 405, { error: `${request.method} is not allowed here; use POST` });
    return true;
  }
  const controller = new AbortController();
  // 'close' comes after the answer too; only a connection closed before it means the page gave up.
  response.on('close', () => {
    if (!response.writableFinished) controller.abort();
  });
  const { db } = engine;
  try {
    // Read on first use: a file upload is streamed to disk instead.
    let read: Promise<Buffer> | undefined;
    const body = () => (read ??= readBody(request));
    const json = async () => JSON.parse((await body()).toString('utf8')) as Record<string, unknown>;
    switch (url.pathname) {
      case '/db/query': {
        const { sql, params } = await json();
        if (typeof sql !== 'string') throw new TypeError('the body needs "sql"');
        const table = await db.query(sql, { params: Array.isArray(params) ? params : [], signal: controller.signal });
        return sendBytes(response, streamOf(table), 'application/vnd.apache.arrow.stream');
      }
      case '/db/files': {
        const name = url.searchParams.get('name') ?? 'file';
        // Native DuckDB reads the file from its scratch folder, written as it arrives; WASM takes the bytes whole.
        const path = engine.receiveFile ? await engine.receiveFile(name, request, url.searchParams.get('keep') === '1') : await db.registerFile(name, { kind: 'bytes', bytes: new Uint8Array(await readBody(request)) });
        return sendJson(response, 200, { path });
      }
      case '/db/drop-file':
        await db.dropFile(String((await json()).path));
        return sendJson(response, 200, {});
      case '/db/insert':
        await db.insertArrowIpc(url.searchParams.get('table') ?? '', new Uint8Array(await body()));
        return sendJson(response, 200, {});
      case '/db/insert-parts': {
        const { parts } = unframeParts<object>(new Uint8Array(await body()));
        await db.insertArrowIpc(url.searchParams.get('table') ?? '', inOrder(Object.values(parts)));
        return sendJson(response, 200, {});
      }
      case '/db/export-csv':
        return sendBytes(response, await db.exportCsv(String((await json()).query)), 'text/csv');
      case '/db/export-arrow':
        return sendBytes(response, await db.exportArrowIpc(String((await json()).relation)), 'application/vnd.apache.arrow.stream');
      case '/models/run': {
        const { header, parts } = unframeParts<Pick<ModelRequest, 'model' | 'params' | 'carried'>>(new Uint8Array(await body()));
        const outputs = await engine.models.run({ model: header.model, params: header.params, inputs: parts, carried: Array.isArray(header.carried) ? header.carried.map(String) : undefined }, () => {}, controller.signal);
        return sendBytes(response, frameParts({}, outputs), 'application/octet-stream');
      }
      default:
        sendJson(response, 404, { error: `no such path ${url.pathname}` });
        return true;
    }
  } catch (error) {
    if (controller.signal.aborted || isCancelled(error)) {
      log(`interrupted ${url.pathname}: the page closed its request`);
      return sendJson(response, 499, { error: 'cancelled', kind: 'cancelled' });
    }
    if (error instanceof ModelRunError) return sendJson(response, 400, { error: error.message, failure: error.failure });
    return sendJson(response, 400, { error: messageOf(error), kind: error instanceof QueryError ? 'query' : 'other' });
  }
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_UPLOAD_BYTES) throw new Error('the upload is over 2 GiB');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function sendBytes(response: ServerResponse, bytes: Uint8Array, type: string): true {
  if (response.destroyed) return true;
  response.writeHead(200, { 'Content-Type': type, 'Content-Length': bytes.byteLength, 'Cache-Control': 'no-store' });
  response.end(bytes);
  return true;
}

export function sendJson(response: ServerResponse, status: number, body: unknown): true {
  if (response.destroyed) return true;
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
  response.end(text);
  return true;
}

/** Framed parts as the stream `Database.insertArrowIpc` appends one by one (their names are their order). */
async function* inOrder(parts: readonly Uint8Array[]): AsyncIterable<Uint8Array> {
  yield* parts;
}
