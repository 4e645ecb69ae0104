/**
 * Renaming and removing loaded tables from the data panel: the checks (a free, valid name; which cells read a table
 * before it goes) and the statements. A loaded table `t` comes with `t_canonical` (a view) and `t_clean` (a table)
 * when its layout was recognised; both go or move with it.
 */
import type { Database } from './ports.ts';
import { analyzeCell } from './analyze.ts';
import { buildGraph, runOrder } from './graph.ts';
import { isNamed, type Notebook } from './notebook.ts';
import { protectedNames, tableAndDerived } from './data-tables.ts';
import { cellNameProblem, quotedName } from '../util/names.ts';
import { quoteIdent } from '../util/sql.ts';
import { dialectOf } from '../util/dialect/index.ts';
import { relationKeyword } from '../data/formats.ts';
import { kindOfType } from './catalog.ts';

/**
 * Why loaded table `from` cannot be renamed `to`, or undefined when it can: the rule for names, and neither `to` nor
 * its canonical view or clean table may be taken by another relation or claimed by a cell.
 * `tableRenameProblem('a', 'rfm', ['a', 'rfm'], () => false)` → `there is already a table or view named "rfm"`.
 */
export function tableRenameProblem(from: string, to: string, relations: readonly string[], claimedByCell: (name: string) => boolean): string | undefined {
  const problem = cellNameProblem(to);
  if (problem !== undefined) return problem;
  if (to.toLowerCase().startsWith('__aisle')) return 'names starting with __aisle are kept for Aisle itself';
  if (to.toLowerCase() === from.toLowerCase()) return undefined;
  const own = protectedNames([from]);
  const taken = new Set(relations.map((relation) => relation.toLowerCase()).filter((relation) => !own.has(relation)));
  for (const name of protectedNames([to])) {
    if (taken.has(name)) return `there is already a table or view named ${quotedName(name)}`;
    if (claimedByCell(name)) return `a cell of this notebook is named ${quotedName(name)}`;
  }
  return undefined;
}

/** The cells that would lose their input: those reading one of `tables` directly, and every cell downstream of them. */
export interface TableReaders {
  /** Names of the cells that read one of the tables, in notebook order. */
  readonly direct: readonly string[];
  /** Names of the cells that read those cells' results, directly or not, in run order. */
  readonly downstream: readonly string[];
}

/**
 * Which cells of `notebook` read any of `tables` (names compared without case), through the dependency graph:
 * `tableReaders(notebook, ['sales', 'sales_clean'])` → `{ direct: ['kpis', 'monthly'], downstream: ['monthly_chart'] }`.
 */
export function tableReaders(notebook: Notebook, tables: readonly string[]): TableReaders {
  const wanted = new Set(tables.map((table) => table.toLowerCase()));
  const analyses = notebook.cells.map(analyzeCell);
  const inputs = new Set(notebook.cells.filter((cell) => cell.kind === 'input').map((cell) => cell.id));
  const graph = buildGraph(analyses, (id) => inputs.has(id));
  const nameOf = new Map(notebook.cells.flatMap((cell) => (isNamed(cell) ? [[cell.id, cell.name] as const] : [])));
  const directIds = analyses.filter((analysis) => analysis.readsTables.some((table) => wanted.has(table))).map((analysis) => analysis.cellId);
  const direct = new Set(directIds);
  const downstream = runOrder(graph, directIds).filter((id) => !direct.has(id));
  return { direct: directIds.map((id) => nameOf.get(id) ?? id), downstream: downstream.map((id) => nameOf.get(id) ?? id) };
}

/** A notebook table played by a loaded table, and what its front matter loads otherwise (`sample/online_retail_50k.parquet`). */
export interface BoundNotebookTable {
  readonly name: string;
  readonly source: string;
}

/** What plays a notebook table when no loaded table does, as the data bar says it: `the bundled sample (online_retail_50k.parquet)`. */
export function ownDataLabel(source: string): string {
  return source.startsWith('sample/') ? `the bundled sample (${source.slice('sample/'.length)})` : `its own data (${source})`;
}

/** `a, b` and, when there are any, the cells after them: `a, b; and after them one more cell (c)`. */
function cellList(readers: TableReaders): string {
  const { direct, downstream } = readers;
  if (downstream.length === 0) return direct.join(', ');
  return `${direct.join(', ')}; and after them ${downstream.length === 1 ? 'one more cell' : `${downstream.length} more cells`} (${downstream.join(', ')})`;
}

/**
 * What removing loaded table `table` does to `notebook`, said before it is done. Cells reading it by its own name (or
 * its canonical view or clean table) fail. A notebook table bound to it goes back to the notebook's own data (the
 * table set aside when it was bound, or its source loaded again), and the cells reading it re-run on that.
 * `removalWarning(nb, 'shop', [{ name: 'sales', source: 'sample/a.parquet' }])`
 * → `sales goes back to the bundled sample (a.parquet), and these cells re-run on it: kpis, by_country.`
 */
export function removalWarning(notebook: Notebook, table: string, bound: readonly BoundNotebookTable[]): string {
  const failing = tableReaders(notebook, tableAndDerived(table));
  const sentences: string[] = [];
  if (failing.direct.length > 0) sentences.push(`These cells read ${table} and will fail: ${cellList(failing)}.`);
  const failed = new Set([...failing.direct, ...failing.downstream]);
  for (const { name, source } of bound) {
    const readers = tableReaders(notebook, tableAndDerived(name));
    const rerun = { direct: readers.direct.filter((cell) => !failed.has(cell)), downstream: readers.downstream.filter((cell) => !failed.has(cell)) };
    if (rerun.direct.length === 0) continue;
    sentences.push(`${name} goes back to ${ownDataLabel(source)}, and these cells re-run on it: ${cellList(rerun)}.`);
  }
  return sentences.length > 0 ? sentences.join(' ') : 'No cell of this notebook reads it.';
}

/** A loaded table's own kind (a table, or a file read in place), and whether Aisle made its canonical view and clean table. */
async function relationsOf(db: Database, table: string): Promise<{ own: 'TABLE' | 'VIEW'; canonical: boolean; clean: boolean }> {
  const result = await db.query(dialectOf(db).listTables([table, `${table}_canonical`, `${table}_clean`]));
  const kinds = new Map(result.toArray().map((row) => [String(row.name), kindOfType(row.type)]));
  return { own: relationKeyword(kinds.get(table) ?? 'table'), canonical: kinds.has(`${table}_canonical`), clean: kinds.has(`${table}_clean`) };
}

/**
 * Rename loaded table `from` to `to` in one transaction. Its canonical view reads it by name, so it is dropped with the
 * clean table: the caller prepares the renamed table again (which makes `to_canonical` and `to_clean`).
 */
export async function renameLoadedTable(db: Database, from: string, to: string): Promise<void> {
  const { own, canonical, clean } = await relationsOf(db, from);
  const statements = [
    ...(canonical ? [`DROP VIEW ${quoteIdent(`${from}_canonical`)};`] : []),
    ...(clean ? [`DROP TABLE ${quoteIdent(`${from}_clean`)};`] : []),
    `ALTER ${own} ${quoteIdent(from)} RENAME TO ${quoteIdent(to)};`,
  ];
  await transaction(db, statements);
}

/** Drop loaded table `table` with its canonical view and clean table, in one transaction. */
export async function removeLoadedTable(db: Database, table: string): Promise<void> {
  const { own, canonical, clean } = await relationsOf(db, table);
  await transaction(db, [
    ...(canonical ? [`DROP VIEW ${quoteIdent(`${table}_canonical`)};`] : []),
    ...(clean ? [`DROP TABLE ${quoteIdent(`${table}_clean`)};`] : []),
    `DROP ${own} ${quoteIdent(table)};`,
  ]);
}

async function transaction(db: Database, statements: readonly string[]): Promise<void> {
  try {
    await db.query(['BEGIN;', ...statements, 'COMMIT;'].join('\n'));
  } catch (error) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
