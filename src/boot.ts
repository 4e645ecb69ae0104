/**
 * The page's entry. DuckDB-WASM's worker is started and its wasm compiled while the rest of the app (main.ts and the
 * UI, most of the script) is fetched and parsed: the two used to happen one after the other.
 */
import { openBrowserDatabase } from './db/duckdb-browser.ts';
import { browserParquetCodec } from './db/parquet-browser.ts';
import { messageOf } from './util/errors.ts';

// `aisle serve` marks the page it serves: its database is the server's, and none is started here.
const inTab = document.querySelector('meta[name="aisle-server"]') === null ? openBrowserDatabase() : undefined;
// Awaited (and reported) by main.ts; this keeps a failure before then from being reported as unhandled.
inTab?.catch(() => undefined);
// Its worker compiles parquet-wasm meanwhile too: the sample (or a saved table) is decoded as soon as DuckDB is ready.
const parquet = browserParquetCodec({ eager: inTab !== undefined });

const target = document.getElementById('app')!;
import('./main.ts')
  .then(({ start }) => start(target, inTab, parquet))
  .catch((error: unknown) => {
    target.textContent = `Aisle could not start: ${messageOf(error)}`;
  });
