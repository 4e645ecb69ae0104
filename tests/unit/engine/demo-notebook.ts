import { readFileSync } from 'node:fs';
import { openNodeDatabase } from '../../../src/db/duckdb-node.ts';
import { nodeParquetCodec } from '../../../src/db/parquet-node.ts';
import { inProcessModelRunner } from '../../../src/workers/node-runner.ts';
import { createEvaluator } from '../../../src/engine/evaluate/index.ts';
import { Scheduler, type RunLogEvent } from '../../../src/engine/scheduler.ts';
import { importFile } from '../../../src/engine/datasets.ts';
import { prepareRetailTable } from '../../../src/engine/retail-table.ts';
import { parseNotebook } from '../../../src/format/notebook-text.ts';
import type { Database } from '../../../src/engine/ports.ts';

/** A demo notebook run headless on the 50k-row sample, as the app opens it: `await runDemo('segmentation')`. */
export async function runDemo(slug: string) {
  const notebook = parseNotebook(readFileSync(new URL(`../../../notebooks/${slug}.md`, import.meta.url), 'utf8'));
  const db: Database = await openNodeDatabase();
  const bytes = new Uint8Array(readFileSync(new URL('../../../public/sample/online_retail_50k.parquet', import.meta.url)));
  const info = await importFile(db, nodeParquetCodec, { fileName: 'sample.parquet', size: bytes.length, source: { kind: 'bytes', bytes } }, { tableName: 'sales' });
  await prepareRetailTable(db, 'sales', info.columns);
  const log: RunLogEvent[] = [];
  const scheduler = new Scheduler({ evaluate: createEvaluator(db, inProcessModelRunner), onStates: () => {}, onLog: (event) => log.push(event) });
  scheduler.update(notebook);
  await scheduler.runAll();
  return {
    db,
    scheduler,
    log,
    idOf: (name: string) => notebook.cells.find((cell) => cell.kind !== 'markdown' && cell.name === name)!.id,
    rows: async (sql: string) => (await db.query(sql)).toArray().map((row) => ({ ...row }) as Record<string, unknown>),
  };
}
