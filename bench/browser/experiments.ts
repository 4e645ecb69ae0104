// Experiments behind bench/experiments.mjs: variants of the app's load path, timed in the same page, to show
// where the browser spends its time and what would make it faster. Nothing here is used by the app.
import * as duckdb from '@duckdb/duckdb-wasm';
import { Table } from 'apache-arrow';
import * as Comlink from 'comlink';
import mvpWasm from '@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url';
import mvpWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-mvp.worker.js?url';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import ehWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import { DuckDbDatabase } from '../../src/db/duckdb.ts';
import { browserParquetCodec } from '../../src/db/parquet-browser.ts';
import type { FileSource, ParquetCodec } from '../../src/engine/index.ts';
// The page stays as small as the bench page it is compared with: the engine's index would bundle every engine module.
import { importFile } from '../../src/engine/datasets.ts';
import { tableInfo } from '../../src/engine/catalog.ts';
import { readCsvSql } from '../../src/data/formats.ts';
import { quoteIdent } from '../../src/util/sql.ts';

const createTableFromSql = (table: string, read: string): string => `CREATE OR REPLACE TABLE ${quoteIdent(table)} AS SELECT * FROM ${read}`;
import { textColumns } from '../../src/data/retail.ts';
import type { RowGroupWorkerApi } from './rowgroups.worker.ts';

export const EXPERIMENTS = [
  'csv:app-handle',
  'csv:app-bytes',
  'csv:one-pass-handle',
  'csv:one-pass-bytes',
  'csv:create-only-bytes',
  'parquet:app',
  'parquet:app-batch64k',
  'parquet:decode',
  'parquet:decode-batch64k',
  'parquet:insert',
  'parquet:insert-batch64k',
  'parquet:pipelined-row-groups',
] as const;
export type Experiment = (typeof EXPERIMENTS)[number];

const BATCH = 65_536;

async function open() {
  // As src/db/duckdb-browser.ts, but keeping the AsyncDuckDB for appends (the Database port has none).
  const bundles: duckdb.DuckDBBundles = {
    mvp: { mainModule: mvpWasm, mainWorker: mvpWorker },
    eh: { mainModule: ehWasm, mainWorker: ehWorker },
  };
  const selected = await duckdb.selectBundle(bundles);
  const raw = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), new Worker(selected.mainWorker!));
  await raw.instantiate(selected.mainModule, selected.pthreadWorker);
  const db = await DuckDbDatabase.open(raw, { Table });
  const worker = Comlink.wrap<RowGroupWorkerApi>(
    new Worker(new URL('./rowgroups.worker.ts', import.meta.url), { type: 'module', name: 'rowgroups' }),
  );
  const codec64k: ParquetCodec = {
    toArrowIpc: (parquet) => worker.toIpc(Comlink.transfer(parquet, [parquet.buffer as ArrayBuffer]), BATCH),
    fromArrowIpc: () => Promise.reject(new Error('unused')),
    openRowGroups: () => Promise.reject(new Error('unused')),
  };
  return { raw, db, codec: browserParquetCodec(), codec64k, worker, bundle: selected.mainModule === ehWasm ? 'eh' : 'mvp' };
}

let state: ReturnType<typeof open> | undefined;
let fetched: { url: string; bytes: Uint8Array } | undefined;

async function bytesOf(url: string): Promise<Uint8Array> {
  if (fetched?.url !== url) {
    fetched = undefined;
    const response = await fetch(url);
    if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
    fetched = { url, bytes: new Uint8Array(await response.arrayBuffer()) };
  }
  return fetched.bytes;
}

/** Column names from the header line, read in JS (a real implementation would honour quoting). */
async function headerOf(file: Blob): Promise<string[]> {
  const head = await file.slice(0, 64 * 1024).text();
  return (head.split(/\r?\n/)[0] ?? '').split(',').map((name) => name.replace(/^"|"$/g, ''));
}

export async function runExperiment(name: Experiment, url: string): Promise<{ ms: number; rows: number; bundle: string }> {
  const { raw, db, codec, codec64k, worker, bundle } = await (state ??= open());
  const fileName = url.split('/').pop()!;
  const bytes = await bytesOf(url);
  await db.query('DROP TABLE IF EXISTS t');
  const handle = (): FileSource => ({ kind: 'handle', file: new File([bytes as Uint8Array<ArrayBuffer>], fileName) });
  const copy = (): FileSource => ({ kind: 'bytes', bytes: bytes.slice() });
  const dataFile = (source: FileSource) => ({ fileName, size: bytes.byteLength, source });

  // Untimed preparation for the insert-only variants.
  let ipc: Uint8Array | undefined;
  if (name === 'parquet:insert') ipc = await codec.toArrowIpc(bytes.slice());
  if (name === 'parquet:insert-batch64k') ipc = await codec64k.toArrowIpc(bytes.slice());
  const source = name.endsWith('-handle') ? handle() : copy();

  const start = performance.now();
  switch (name) {
    case 'csv:app-handle':
    case 'csv:app-bytes':
      await importFile(db, codec, dataFile(source), { tableName: 't' });
      break;
    case 'csv:one-pass-handle':
    case 'csv:one-pass-bytes': {
      // importFile without its DESCRIBE sniff: column names from the header line, DuckDB sniffs once.
      const columns = source.kind === 'handle' ? await headerOf(source.file) : await headerOf(new Blob([source.bytes as Uint8Array<ArrayBuffer>]));
      const registered = await db.registerFile(`${crypto.randomUUID()}-${fileName}`, source);
      await db.query(createTableFromSql('t', readCsvSql(registered, { format: 'csv', textColumns: textColumns(columns) })));
      await db.dropFile(registered);
      await tableInfo(db, 't', 'table');
      break;
    }
    case 'csv:create-only-bytes': {
      // The engine alone, as native does it: one CREATE TABLE AS read_csv (no sniff query, no tableInfo).
      const registered = await db.registerFile(`${crypto.randomUUID()}-${fileName}`, source);
      await db.query(
        createTableFromSql('t', readCsvSql(registered, { format: 'csv', textColumns: ['InvoiceNo', 'StockCode', 'CustomerID'] })),
      );
      await db.dropFile(registered);
      break;
    }
    case 'parquet:app':
      await importFile(db, codec, dataFile(source), { tableName: 't' });
      break;
    case 'parquet:app-batch64k':
      await importFile(db, codec64k, dataFile(source), { tableName: 't' });
      break;
    case 'parquet:decode':
      await codec.toArrowIpc((source as { bytes: Uint8Array }).bytes);
      break;
    case 'parquet:decode-batch64k':
      await codec64k.toArrowIpc((source as { bytes: Uint8Array }).bytes);
      break;
    case 'parquet:insert':
    case 'parquet:insert-batch64k':
      await db.insertArrowIpc('t', ipc!);
      break;
    case 'parquet:pipelined-row-groups': {
      // Decode row group i+1 in the parquet worker while DuckDB's worker appends row group i.
      const parquet = (source as { bytes: Uint8Array }).bytes;
      const count = await worker.open(Comlink.transfer(parquet, [parquet.buffer as ArrayBuffer]));
      const connection = await raw.connect();
      try {
        let next = worker.rowGroupIpc(0, BATCH);
        for (let index = 0; index < count; index++) {
          const current = await next;
          if (index + 1 < count) next = worker.rowGroupIpc(index + 1, BATCH);
          await connection.insertArrowFromIPCStream(current, { name: 't', create: index === 0 });
        }
      } finally {
        await connection.close();
      }
      await tableInfo(db, 't', 'table');
      break;
    }
  }
  const ms = performance.now() - start;
  const rows = name.endsWith('decode')
    || name.endsWith('decode-batch64k')
    ? 0
    : Number((await db.query('SELECT count(*)::DOUBLE AS n FROM t')).getChild('n')?.get(0) ?? 0);
  await db.query('DROP TABLE IF EXISTS t');
  return { ms, rows, bundle };
}
