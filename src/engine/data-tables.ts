/**
 * Loaded data is read-only to cells. The names it occupies — each data table, its canonical view `<t>_canonical`
 * and its clean table `<t>_clean` — cannot be written, dropped or replaced by a cell's SQL, and no cell may be
 * named like them: cell names and data names are one namespace.
 */
import type { CellError } from './errors.ts';
import type { Database } from './ports.ts';
import { quoteIdent, quoteLiteral } from '../util/sql.ts';
import { LOADED_DATA_COMMENT } from '../util/dialect/duckdb.ts';
import { sqlReads } from './sql/references.ts';
import { isNamed, type Notebook } from './notebook.ts';

/** A loaded table's name and those of what Aisle makes from it: `tableAndDerived('sales')` → `sales, sales_canonical, sales_clean`. */
export function tableAndDerived(table: string): string[] {
  return [table, `${table}_canonical`, `${table}_clean`];
}

/** Every name loaded data occupies, lower-cased: `protectedNames(['Sales'])` → `{ 'sales', 'sales_canonical', 'sales_clean' }`. */
export function protectedNames(dataTables: Iterable<string>): Set<string> {
  return new Set([...dataTables].flatMap((table) => tableAndDerived(table.toLowerCase())));
}

/** Raised when a cell would change, replace or hide loaded data; carries the cell error to show. */
export class DataProtectionError extends Error {
  override readonly name = 'DataProtectionError';
  constructor(readonly cellError: Exclude<CellError, { kind: 'cancelled' }>) {
    super(cellError.kind);
  }
}

/** Databases and schemas every name resolves through: attaching another database under one of these names is refused. */
const RESERVED_NAMESPACES = new Set(['memory', 'main', 'temp', 'system']);

/**
 * The first way `sql` would change loaded data, as a cell error, or undefined when it leaves it alone.
 * Names are compared case-insensitively and without their schema or catalog, so `memory.main."SALES"` is `sales`.
 * `dataWriteError('DROP TABLE IF EXISTS sales CASCADE', protectedNames(['sales']))`
 * → `{ kind: 'read-only-data', table: 'sales', statement: 'DROP TABLE' }`.
 */
export function dataWriteError(sql: string, names: ReadonlySet<string>): Exclude<CellError, { kind: 'cancelled' }> | undefined {
  const { writes, namespaceChanges } = sqlReads(sql);
  const write = writes.find((table) => names.has(table.name.toLowerCase()));
  const change = namespaceChanges.find(
    (change) => change.statement !== 'ATTACH … AS' || (change.name !== undefined && (names.has(change.name) || RESERVED_NAMESPACES.has(change.name))),
  );
  if (write !== undefined && (change === undefined || write.start < change.start)) {
    return { kind: 'read-only-data', table: write.name, statement: write.statement };
  }
  if (change === undefined) return undefined;
  return change.name === undefined ? { kind: 'namespace-change', statement: change.statement } : { kind: 'namespace-change', statement: change.statement, name: change.name };
}

/** Throw a DataProtectionError when `sql` would change loaded data (see dataWriteError). */
export function refuseDataWrites(sql: string, names: ReadonlySet<string>): void {
  const error = dataWriteError(sql, names);
  if (error !== undefined) throw new DataProtectionError(error);
}

/**
 * The data name a cell named `cellName` would collide with: the name itself, or a `<cell>__<part>` table (a model
 * cell's extra outputs, which readers resolve to the cell). `dataNameClash('segments', names)` → `'segments__centroids'` or undefined.
 */
export function dataNameClash(cellName: string, names: ReadonlySet<string>): string | undefined {
  const lower = cellName.toLowerCase();
  if (names.has(lower)) return lower;
  for (const name of names) if (name.startsWith(`${lower}__`)) return name;
  return undefined;
}

/**
 * The name to load data under so that it takes no name a cell claims: `wanted` when neither it nor its canonical
 * view or clean table is claimed, else `wanted_data`, `wanted_data_2`, …
 * `freeDataName('query', (name) => name === 'query')` → `'query_data'`.
 */
export function freeDataName(wanted: string, claimed: (name: string) => boolean): string {
  const isFree = (name: string) => ![...protectedNames([name])].some(claimed);
  if (isFree(wanted)) return wanted;
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? `${wanted}_data` : `${wanted}_data_${n}`;
    if (isFree(candidate)) return candidate;
  }
}

/**
 * Which of `relations` a notebook's cells made: a named cell's table, a model cell's `<cell>__<part>` tables, and
 * what its SQL cells create or write — never loaded data. They belong to that notebook, not to the next one opened.
 */
export function notebookResults(notebook: Notebook, relations: readonly string[], dataTables: readonly string[]): string[] {
  const data = protectedNames(dataTables);
  const made = new Set<string>();
  for (const cell of notebook.cells) {
    if (!isNamed(cell) || cell.kind === 'input') continue;
    made.add(cell.name.toLowerCase());
    if (cell.kind === 'sql') for (const write of sqlReads(cell.source).writes) made.add(write.name.toLowerCase());
  }
  return relations.filter((relation) => {
    const lower = relation.toLowerCase();
    return !data.has(lower) && (made.has(lower) || made.has(lower.split('__')[0] ?? lower));
  });
}

/** Mark `table` as loaded data in the database itself (the mark follows a rename and goes with a drop). */
export async function markLoadedTable(db: Database, table: string): Promise<void> {
  // COMMENT ON TABLE marks a view too: a file read in place already carries the mark, and keeps it.
  await db.query(`COMMENT ON TABLE ${quoteIdent(table)} IS ${quoteLiteral(LOADED_DATA_COMMENT)}`);
}

/** The tables (and files read in place) marked as loaded data by any page on this database, by name: `['sales']`. */
export async function markedLoadedTables(db: Database): Promise<string[]> {
  const marked = (relations: string, name: string, where: string) =>
    `SELECT ${name} AS name FROM ${relations} WHERE NOT temporary AND ${where} schema_name = current_schema() AND database_name = current_database() AND comment = ${quoteLiteral(LOADED_DATA_COMMENT)}`;
  const result = await db.query(`${marked('duckdb_tables()', 'table_name', '')} UNION ALL ${marked('duckdb_views()', 'view_name', 'NOT internal AND')} ORDER BY name`);
  return result.toArray().map((row) => String(row.name));
}
