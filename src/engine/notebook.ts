/** Edits of the notebook (see format/notebook.ts for the document): pure functions returning a new notebook. */

import { cellNameProblem, quotedName } from '../util/names.ts';

export {
  NAMED_CELL_KINDS,
  isNamed,
  newCellId,
  type Cell,
  type CellKind,
  type MarkdownCell,
  type NamedCell,
  type NamedCellKind,
  type Notebook,
  type SqlCell,
} from '../format/notebook.ts';
import { isNamed, newCellId, type Cell, type CellKind, type Notebook } from '../format/notebook.ts';

/** Replace one cell's source. */
export function editSource(notebook: Notebook, cellId: string, source: string): Notebook {
  return { ...notebook, cells: notebook.cells.map((cell) => (cell.id === cellId ? { ...cell, source } : cell)) };
}

/** A rename that breaks the name rule or takes another cell's name. */
export class CellNameError extends Error {
  override readonly name = 'CellNameError';
}

/**
 * Why cell `cellId` cannot be renamed `name`, or undefined when it can: the name rule, and no other cell may
 * have the name (DuckDB matches names without case). `renameProblem(nb, id, '1st')` → `a name cannot start…`.
 */
export function renameProblem(notebook: Notebook, cellId: string, name: string): string | undefined {
  const problem = cellNameProblem(name);
  if (problem !== undefined) return problem;
  const lower = name.toLowerCase();
  const other = notebook.cells.find((cell) => cell.id !== cellId && isNamed(cell) && cell.name.toLowerCase() === lower);
  return other && isNamed(other) ? `another cell is already named ${quotedName(other.name)}` : undefined;
}

/** Rename a named cell; throws CellNameError naming the problem when `renameProblem` finds one. */
export function renameCell(notebook: Notebook, cellId: string, name: string): Notebook {
  const problem = renameProblem(notebook, cellId, name);
  if (problem !== undefined) throw new CellNameError(`cannot rename the cell ${quotedName(name)}: ${problem}`);
  return {
    ...notebook,
    cells: notebook.cells.map((cell) => (cell.id === cellId && isNamed(cell) ? { ...cell, name } : cell)),
  };
}

const NAME_PREFIX: Readonly<Record<CellKind, string>> = {
  markdown: '',
  sql: 'query',
  chart: 'chart',
  model: 'model',
  input: 'input',
};

/** Insert a new cell of `kind` after `afterId` (or at the end); a named cell gets a name no other cell has. */
export function addCell(
  notebook: Notebook,
  kind: CellKind,
  afterId?: string,
  source = '',
): { notebook: Notebook; cell: Cell } {
  const cell: Cell =
    kind === 'markdown'
      ? { id: newCellId(), kind, source }
      : { id: newCellId(), kind, name: freshName(notebook, NAME_PREFIX[kind]), source };
  return { notebook: insertAt(notebook, cell, indexAfter(notebook, afterId)), cell };
}

/** A copy of a cell right below it, renamed so names stay unique. */
export function duplicateCell(notebook: Notebook, cellId: string): { notebook: Notebook; cell: Cell } | null {
  const original = notebook.cells.find((cell) => cell.id === cellId);
  if (!original) return null;
  const cell: Cell = isNamed(original)
    ? { ...original, id: newCellId(), name: freshName(notebook, original.name) }
    : { ...original, id: newCellId() };
  return { notebook: insertAt(notebook, cell, indexAfter(notebook, cellId)), cell };
}

/** Remove a cell; returns where it stood so an undo can put it back. */
export function removeCell(notebook: Notebook, cellId: string): { notebook: Notebook; removed?: { cell: Cell; index: number } } {
  const index = notebook.cells.findIndex((cell) => cell.id === cellId);
  if (index === -1) return { notebook };
  return {
    notebook: { ...notebook, cells: notebook.cells.filter((cell) => cell.id !== cellId) },
    removed: { cell: notebook.cells[index]!, index },
  };
}

/** Put a cell back at `index` (the undo of removeCell). */
export function insertAt(notebook: Notebook, cell: Cell, index: number): Notebook {
  const cells = [...notebook.cells];
  cells.splice(Math.max(0, Math.min(index, cells.length)), 0, cell);
  return { ...notebook, cells };
}

/** Move a cell up (-1) or down (+1); a move past either end does nothing. */
export function moveCell(notebook: Notebook, cellId: string, by: -1 | 1): Notebook {
  const index = notebook.cells.findIndex((cell) => cell.id === cellId);
  const target = index + by;
  if (index === -1 || target < 0 || target >= notebook.cells.length) return notebook;
  const cells = [...notebook.cells];
  [cells[index], cells[target]] = [cells[target]!, cells[index]!];
  return { ...notebook, cells };
}

/** Change a cell's kind (markdown ↔ sql), keeping its text. */
export function changeKind(notebook: Notebook, cellId: string, kind: 'markdown' | 'sql'): Notebook {
  return {
    ...notebook,
    cells: notebook.cells.map((cell) => {
      if (cell.id !== cellId || cell.kind === kind) return cell;
      return kind === 'markdown'
        ? { id: cell.id, kind, source: cell.source }
        : { id: cell.id, kind, name: freshName(notebook, NAME_PREFIX[kind]), source: cell.source };
    }),
  };
}

/** `prefix`, `prefix_2`, … — the first not used by any cell. */
export function freshName(notebook: Notebook, prefix: string): string {
  const used = new Set(notebook.cells.flatMap((cell) => (isNamed(cell) ? [cell.name.toLowerCase()] : [])));
  const base = prefix.replace(/_\d+$/, '');
  if (!used.has(prefix.toLowerCase()) && prefix === base) return prefix;
  for (let n = 2; ; n += 1) if (!used.has(`${base}_${n}`.toLowerCase())) return `${base}_${n}`;
}

function indexAfter(notebook: Notebook, afterId: string | undefined): number {
  const at = afterId === undefined ? -1 : notebook.cells.findIndex((cell) => cell.id === afterId);
  return at === -1 ? notebook.cells.length : at + 1;
}
