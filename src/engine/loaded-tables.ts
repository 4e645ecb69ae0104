/**
 * Renaming and removing loaded tables from the data panel: the checks (a free, valid name; which cells read a table
 * before it goes) and the statements. A loaded table `t` comes with `t_canonical` (a view) and `t_clean` (a table)
 * when its layout was recognised; both go or move with it.
 */
import type { Database } from './ports.ts';
import { analyzeCell } from './analyze.ts';
import { buildGraph, runOrder } from './graph.ts';
import { isNamed, type Notebook } from './notebook.ts';
import { protectedNames } from './data-tables.ts';
import { cellNameProblem, quotedName } from '../util/names.ts';
import { quoteIdent, quoteLiteral } from '../util/sql.ts';

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

/** What Aisle made from a loaded table: its canonical view and clean table, by kind. */
async function derivedKinds(db: Database, table: string): Promise<{ canonical: boolean; clean: boolean }> {
  const result = await db.query(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'main' AND table_catalog = current_database()
     AND table_name IN (${quoteLiteral(`${table}_canonical`)}, ${quoteLiteral(`${table}_clean`)})`,
  );
  const names = new Set(result.toArray().map((row) => String(row.name)));
  return { canonical: names.has(`${table}_canonical`), clean: names.has(`${table}_clean`) };
}

/**
 * Rename loaded table `from` to `to` in one transaction. Its canonical view reads it by name, so it is dropped with the
 * clean table: the caller prepares the renamed table again (which makes `to_canonical` and `to_clean`).
 */
export async function renameLoadedTable(db: Database, from: string, to: string): Promise<void> {
  const { canonical, clean } = await derivedKinds(db, from);
  const statements = [
    ...(canonical ? [`DROP VIEW ${quoteIdent(`${from}_canonical`)};`] : []),
    ...(clean ? [`DROP TABLE ${quoteIdent(`${from}_clean`)};`] : []),
    `ALTER TABLE ${quoteIdent(from)} RENAME TO ${quoteIdent(to)};`,
  ];
  await transaction(db, statements);
}

/** Drop loaded table `table` with its canonical view and clean table, in one transaction. */
export async function removeLoadedTable(db: Database, table: string): Promise<void> {
  const { canonical, clean } = await derivedKinds(db, table);
  await transaction(db, [
    ...(canonical ? [`DROP VIEW ${quoteIdent(`${table}_canonical`)};`] : []),
    ...(clean ? [`DROP TABLE ${quoteIdent(`${table}_clean`)};`] : []),
    `DROP TABLE ${quoteIdent(table)};`,
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
