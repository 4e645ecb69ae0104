/**
 * The runner's Trino engine: `--engine trino://user@host:port/catalog/schema` with `--table name=catalog.schema.table`.
 * Nothing is uploaded: each notebook table is a view over a catalog table, prepared by the retail profile as the app
 * prepares a loaded file. The engine choice (`--engine`) hands a trino:// address here.
 */
import { TrinoDatabase } from '../db/trino.ts';
import { describe, prepareRetailTable, type Notebook } from '../engine/index.ts';
import { messageOf } from '../util/errors.ts';
import { quoteIdent } from '../util/sql.ts';
import { pairs, UsageError } from './arguments.ts';
import { ENGINE_CHOICES, type EngineChoice } from './engine.ts';
import type { LoadedTable } from './data.ts';
import { RunSetupError, count, round, seconds } from './setup.ts';

const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const CATALOG_TABLE = /^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/;

/** `['sales=hive.retail.lines']` → `{ sales: 'hive.retail.lines' }`; a malformed one is a UsageError naming it. */
export function parseTableBindings(values: readonly string[]): Record<string, string> {
  const bindings = pairs('--table', 'name=catalog.schema.table', values);
  for (const [name, table] of Object.entries(bindings)) {
    const value = `${name}=${table}`;
    if (!TABLE_NAME.test(name)) throw new UsageError(`--table ${value}: "${name}" is not a table name (letters, digits and _)`);
    if (!CATALOG_TABLE.test(table)) throw new UsageError(`--table ${value}: name the catalog table as catalog.schema.table`);
  }
  return bindings;
}

/** `--engine trino://…` with its `--table` bindings: where a notebook runs when it runs on Trino. */
export interface TrinoTarget {
  readonly url: string;
  /** Notebook table name → `catalog.schema.table`. */
  readonly tables: Readonly<Record<string, string>>;
}

/** True for an engine address the Trino engine takes. */
export function isTrinoEngine(engine: string): boolean {
  return engine.startsWith('trino://');
}

/**
 * `--engine` and `--table` as `aisle run` and `aisle serve` both read them: a DuckDB choice, or a Trino cluster with its
 * bindings. `--data` (`dataGiven`) is refused with Trino, which uploads nothing, and `--table` without it.
 */
export function readEngineArguments(engine: string | undefined, tables: readonly string[] | undefined, dataGiven: boolean): { engine: EngineChoice; trino?: TrinoTarget } {
  const given = engine ?? 'auto';
  if (!isTrinoEngine(given)) {
    if (!(ENGINE_CHOICES as readonly string[]).includes(given)) throw new UsageError(`--engine must be auto, native, wasm or trino://user@host:port/catalog/schema, got "${given}"`);
    if (tables !== undefined) throw new UsageError('--table names a catalog table of a Trino engine; give --engine trino://…');
    return { engine: given as EngineChoice };
  }
  if (dataGiven) throw new UsageError('--data uploads a file, which a Trino engine does not; name catalog tables with --table name=catalog.schema.table');
  return { engine: 'auto', trino: { url: given, tables: parseTableBindings(tables ?? []) } };
}

/** What the run summary, the header and `/health` say runs the SQL: `Trino 127.0.0.1:8080/hive/work` (no user). */
export function trinoLabel(url: string): string {
  return `Trino ${url.replace(/^trino:\/\/[^@/]*@/, '').replace(/^trino:\/\//, '')}`;
}

/**
 * A notebook's Trino engine: every table its front matter loads must be bound to a catalog table (Trino reads no local
 * file), then the engine is opened as `openTrinoEngine` opens it.
 */
export async function openTrinoForNotebook(
  notebook: Notebook,
  target: TrinoTarget,
  log: (line: string) => void,
): Promise<{ db: TrinoDatabase; label: string; data: LoadedTable[] }> {
  const unbound = Object.keys(notebook.data).filter((table) => !(table in target.tables));
  if (unbound.length > 0) {
    throw new RunSetupError(`the notebook loads ${unbound.join(', ')}; on a Trino engine bind each with --table ${unbound[0]}=catalog.schema.table`);
  }
  const label = trinoLabel(target.url);
  log(`engine: ${label}`);
  const { db, data } = await openTrinoEngine(target.url, target.tables, log);
  return { db, label, data };
}

/** Connect, bind every table, and prepare each as the app prepares a loaded file (canonical view, cleaned table). */
export async function openTrinoEngine(
  url: string,
  tables: Readonly<Record<string, string>>,
  log: (line: string) => void,
): Promise<{ db: TrinoDatabase; data: LoadedTable[] }> {
  let db: TrinoDatabase;
  try {
    db = await TrinoDatabase.open(url);
  } catch (error) {
    throw new RunSetupError(`--engine ${url}: ${messageOf(error)}`, { cause: error });
  }
  const data: LoadedTable[] = [];
  for (const [table, qualified] of Object.entries(tables)) {
    const started = performance.now();
    try {
      await db.bindTable(table, qualified);
      const rows = Number((await db.query(`SELECT count(*) AS n FROM ${quoteIdent(table)}`)).get(0)?.n ?? 0);
      const report = await prepareRetailTable(db, table, await describe(db, quoteIdent(table)));
      const loaded: LoadedTable = {
        table,
        path: qualified,
        rows,
        layout: report?.profile.layout,
        cleanRows: report?.cleaning?.rowsOut,
        durationMs: round(performance.now() - started),
      };
      const profile = report?.cleanTable ? `; ${report.profile.layout} layout, ${report.cleanTable}: ${count(loaded.cleanRows ?? 0, 'row')}` : '';
      log(`bound ${table} to ${qualified}: ${count(rows, 'row')}${profile} (${seconds(loaded.durationMs)})`);
      data.push(loaded);
    } catch (error) {
      throw new RunSetupError(`--table ${table}=${qualified}: ${messageOf(error)}`, { cause: error });
    }
  }
  return { db, data };
}
