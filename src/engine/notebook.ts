/** The notebook as data: an ordered list of cells. Edits are pure functions returning a new notebook. */

export type CellKind = 'markdown' | 'sql';

export interface MarkdownCell {
  readonly id: string;
  readonly kind: 'markdown';
  readonly source: string;
}

export interface SqlCell {
  readonly id: string;
  readonly kind: 'sql';
  /** The cell's result becomes a DuckDB table of this name. */
  readonly name: string;
  readonly source: string;
}

export type Cell = MarkdownCell | SqlCell;

export interface Notebook {
  readonly title: string;
  /** Data sources: table name → path or URL, relative to the app. */
  readonly data: Readonly<Record<string, string>>;
  readonly cells: readonly Cell[];
  /** Front-matter fields this version does not know, kept so they survive a save. */
  readonly extra: Readonly<Record<string, unknown>>;
}

let nextId = 0;
/** A fresh cell id, unique within this page. */
export function newCellId(): string {
  nextId += 1;
  return `c${nextId}`;
}

/** Replace one cell's source. */
export function editSource(notebook: Notebook, cellId: string, source: string): Notebook {
  return { ...notebook, cells: notebook.cells.map((cell) => (cell.id === cellId ? { ...cell, source } : cell)) };
}

/** Insert a new SQL cell after `afterId` (or at the end), named so it does not clash. */
export function addSqlCell(notebook: Notebook, afterId?: string, source = ''): { notebook: Notebook; cell: SqlCell } {
  const cell: SqlCell = { id: newCellId(), kind: 'sql', name: freshName(notebook, 'query'), source };
  const at = afterId === undefined ? -1 : notebook.cells.findIndex((c) => c.id === afterId);
  const cells = [...notebook.cells];
  cells.splice(at === -1 ? cells.length : at + 1, 0, cell);
  return { notebook: { ...notebook, cells }, cell };
}

/** Remove a cell. */
export function removeCell(notebook: Notebook, cellId: string): Notebook {
  return { ...notebook, cells: notebook.cells.filter((cell) => cell.id !== cellId) };
}

/** `prefix`, `prefix_2`, … — the first not used by any cell. */
export function freshName(notebook: Notebook, prefix: string): string {
  const used = new Set(notebook.cells.flatMap((cell) => (cell.kind === 'markdown' ? [] : [cell.name])));
  if (!used.has(prefix)) return prefix;
  for (let n = 2; ; n += 1) if (!used.has(`${prefix}_${n}`)) return `${prefix}_${n}`;
}
