// One timed load + aggregate through the app's own `importFile`, shared by Node and the browser page.
import type { Database, FileSource } from '../../src/engine/index.ts';
// Bundled into the bench page too: the engine's index would add every engine module (Plot and all) to it.
import { importFile } from '../../src/engine/datasets.ts';
import { prepareRetailTable } from '../../src/engine/retail-table.ts';
import type { Instrumented, Phases } from './instrument.ts';
import { AGGREGATE_SQL, CHECK_SQL } from './common.mjs';

export interface RunResult {
  /** What the user waits for: `importFile`, then the retail profile's validation and cleaning (`prepareRetailTable`). */
  loadMs: number;
  importMs: number;
  prepareMs: number;
  aggregateMs: number;
  /** Where the load went, by step of `importFile`. */
  phases: Phases;
  check: { tableRows: number; aggRows: number; spend: number };
}

async function dropTables(db: Database): Promise<void> {
  await db.query('DROP TABLE IF EXISTS agg; DROP TABLE IF EXISTS t_clean; DROP VIEW IF EXISTS t_canonical; DROP TABLE IF EXISTS t;');
}

/** Load `source` as table `t` (fresh), then materialise the aggregate. Untimed: dropping, checking. */
export async function loadAndAggregate(
  tools: Instrumented,
  fileName: string,
  size: number,
  source: FileSource,
): Promise<RunResult> {
  await dropTables(tools.db);
  tools.take();
  let start = performance.now();
  const info = await importFile(tools.db, tools.codec, { fileName, size, source }, { tableName: 't' });
  const importMs = performance.now() - start;
  await prepareRetailTable(tools.db, info.name, info.columns);
  const loadMs = performance.now() - start;
  const prepareMs = loadMs - importMs;
  const phases = tools.take();
  start = performance.now();
  await tools.db.query(AGGREGATE_SQL);
  const aggregateMs = performance.now() - start;
  const check = (await tools.db.query(CHECK_SQL)).toArray()[0] as { n: number; spend: number };
  const result: RunResult = {
    loadMs,
    importMs,
    prepareMs,
    aggregateMs,
    phases,
    check: { tableRows: info.rowCount, aggRows: Number(check.n), spend: Number(check.spend) },
  };
  await dropTables(tools.db);
  return result;
}
