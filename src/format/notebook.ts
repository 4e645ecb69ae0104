/**
 * The notebook document: an ordered list of cells with their kinds, names and sources, and the front matter's data
 * sources. The text format reads and writes it; the engine edits it (engine/notebook.ts).
 */

export type CellKind = 'markdown' | 'sql' | 'chart' | 'model' | 'input';
/** Kinds whose cells have a name and an output (a DuckDB table, or a value for inputs). */
export type NamedCellKind = Exclude<CellKind, 'markdown'>;
export const NAMED_CELL_KINDS: readonly NamedCellKind[] = ['sql', 'chart', 'model', 'input'];

export interface MarkdownCell {
  readonly id: string;
  readonly kind: 'markdown';
  readonly source: string;
}

/** A cell with a name. `source` is what stands inside its fence: SQL, or a JSON/YAML spec. */
export interface NamedCell {
  readonly id: string;
  readonly kind: NamedCellKind;
  readonly name: string;
  readonly source: string;
}

export interface SqlCell extends NamedCell {
  readonly kind: 'sql';
}

export type Cell = MarkdownCell | NamedCell;

export interface Notebook {
  readonly title: string;
  /** Data sources: table name → path or URL, relative to the app. */
  readonly data: Readonly<Record<string, string>>;
  /**
   * Import options of data sources, as written (`ratings: { path: u.data, header: false, delim: ws }` in the front
   * matter); read by `importOptionsFrom` when the table is loaded. Absent for sources given as a bare path.
   */
  readonly dataOptions?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly cells: readonly Cell[];
  /** Front-matter fields this version does not know, kept so they survive a save. */
  readonly extra: Readonly<Record<string, unknown>>;
}

/** True for cells that have a name. */
export function isNamed(cell: Cell): cell is NamedCell {
  return cell.kind !== 'markdown';
}

let nextId = 0;
/** A fresh cell id, unique within this page. */
export function newCellId(): string {
  nextId += 1;
  return `c${nextId}`;
}
