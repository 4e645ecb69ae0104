/** The engine `aisle serve` runs notebooks on: the one place to choose it. */
import { openNodeDatabase } from '../db/duckdb-node.ts';
import { inProcessModelRunner } from '../workers/node-runner.ts';
import { taggedModelRunner } from '../workers/model-failure.ts';
import type { Database, ModelRunner } from '../engine/index.ts';

export interface ServerEngine {
  readonly db: Database;
  readonly models: ModelRunner;
  /** What the header and `/health` say runs the SQL. */
  readonly label: string;
}

/** The server's Database and ModelRunner: today the runner's own (DuckDB-WASM's Node build, models in this thread). */
export async function openServerEngine(): Promise<ServerEngine> {
  return { db: await openNodeDatabase(), models: taggedModelRunner(inProcessModelRunner), label: 'DuckDB-WASM (Node), 1 thread' };
}
