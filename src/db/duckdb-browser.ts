import * as duckdb from '@duckdb/duckdb-wasm';
import { Table } from 'apache-arrow';
// Bundled from node_modules by Vite (never a CDN). mvp and eh only: coi needs COOP/COEP headers static hosts lack.
import mvpWasm from '@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url';
import mvpWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-mvp.worker.js?url';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import ehWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import { DuckDbDatabase } from './duckdb.ts';

/** Which DuckDB build the browser got: `eh` (wasm exceptions, faster) when supported, else `mvp`. */
export type DuckDbBundle = 'eh' | 'mvp';

/** Start DuckDB-WASM in its own worker with the best bundle this browser supports. */
export async function openBrowserDatabase(): Promise<{ database: DuckDbDatabase; bundle: DuckDbBundle }> {
  const bundles: duckdb.DuckDBBundles = {
    mvp: { mainModule: mvpWasm, mainWorker: mvpWorker },
    eh: { mainModule: ehWasm, mainWorker: ehWorker },
  };
  const selected = await duckdb.selectBundle(bundles);
  const worker = new Worker(selected.mainWorker!);
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate(selected.mainModule, selected.pthreadWorker);
  const database = await DuckDbDatabase.open(db, { Table });
  return { database, bundle: selected.mainModule === ehWasm ? 'eh' : 'mvp' };
}
