import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { DuckDbDatabase } from './duckdb.ts';

const require = createRequire(import.meta.url);

/**
 * DuckDB-WASM's Node build, the same engine the browser runs (tests, CLI, benchmarks).
 * Its worker expects a browser-like global `onmessage`/`postMessage`; a few lines of bootstrap provide them.
 */
export async function openNodeDatabase(): Promise<DuckDbDatabase> {
  // Imported here, not above: the runner on native DuckDB never loads it (a quarter second of its start).
  const { AsyncDuckDB, VoidLogger } = await import('@duckdb/duckdb-wasm');
  const workerFile = require.resolve('@duckdb/duckdb-wasm/dist/duckdb-node-eh.worker.cjs');
  const wasmFile = require.resolve('@duckdb/duckdb-wasm/dist/duckdb-eh.wasm');
  const bootstrap = `
const { parentPort } = require('node:worker_threads');
// The worker prints every failed query; the caller gets the same error as a rejection.
console.error = console.warn = console.log = () => {};
globalThis.postMessage = (message, transfer) => parentPort.postMessage(message, transfer);
parentPort.on('message', (data) => globalThis.onmessage?.({ data }));
require(${JSON.stringify(workerFile)});`;
  const db = new AsyncDuckDB(new VoidLogger(), webWorkerFacade(new Worker(bootstrap, { eval: true })));
  await db.instantiate(wasmFile);
  const arrow = require('apache-arrow') as typeof import('apache-arrow');
  // COPY … TO writes real files under Node: keep them in a folder of their own, the only one DuckDB may write.
  const directory = `${mkdtempSync(join(tmpdir(), 'aisle-scratch-'))}/`;
  return DuckDbDatabase.open(db, arrow, { directory, remove: (path) => rmSync(path, { force: true, recursive: true }) });
}

type Listener = (event: unknown) => void;

/** The slice of the Web Worker interface AsyncDuckDB uses, over a Node worker thread. */
function webWorkerFacade(worker: Worker): globalThis.Worker {
  const wrapped = new Map<Listener, (data: unknown) => void>();
  const facade = {
    addEventListener(type: string, listener: Listener) {
      const handler = type === 'message' ? (data: unknown) => listener({ data }) : listener;
      wrapped.set(listener, handler);
      worker.on(type, handler);
    },
    removeEventListener(type: string, listener: Listener) {
      const handler = wrapped.get(listener);
      if (handler) worker.off(type, handler);
      wrapped.delete(listener);
    },
    postMessage(message: unknown, transfer?: readonly Transferable[]) {
      // Node's transfer list type differs from the DOM's; the values are the same ArrayBuffers.
      worker.postMessage(message, transfer as never);
    },
    terminate() {
      void worker.terminate();
    },
  };
  return facade as unknown as globalThis.Worker;
}
