/** The engine `aisle serve` runs notebooks on: the one place to choose it. */
import { inProcessModelRunner } from '../workers/node-runner.ts';
import { taggedModelRunner } from '../workers/model-failure.ts';
import type { Database, ModelRunner } from '../engine/index.ts';
import { openEngine, type Engine } from './engine.ts';

export interface ServerEngine {
  readonly db: Database;
  readonly models: ModelRunner;
  /** What the header and `/health` say runs the SQL. */
  readonly label: string;
}

/**
 * The server's Database and ModelRunner, with `load` run first (the notebook's data files). Still DuckDB-WASM's Node
 * build: the page registers files and tables as bytes, which the native engine takes only into its scratch folder
 * once locked down; serving on native is the next step.
 */
export async function openServerEngine(load?: (engine: Engine) => Promise<void>): Promise<ServerEngine> {
  const engine = await openEngine({ engine: 'wasm', load });
  return { db: engine.db, models: taggedModelRunner(inProcessModelRunner), label: 'DuckDB-WASM (Node), 1 thread' };
}
