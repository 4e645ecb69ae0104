/**
 * The dashboard layout of app mode: front matter `layout: grid` puts a notebook's outputs on a 12-column grid,
 * with per-cell hints in a front-matter map keyed by cell name:
 *
 * ```yaml
 * layout: grid
 * cells:
 *   monthly_trend: { width: 12, height: 360 }
 *   kpis: { tiles: false }
 * ```
 *
 * Hints live in the front matter rather than in each fence's info string so that notebooks without them read
 * exactly as before, the fence grammar (`<kind> <name>`) stays one rule, and the layout is one diffable block.
 */
import type { Cell, Notebook } from './notebook.ts';
import { isNamed } from './notebook.ts';
import type { CellOutput } from './status.ts';
import { assertNever } from '../util/assert.ts';

export const GRID_COLUMNS = 12;
/** Heights a hint may ask for, in CSS pixels. */
export const MIN_HEIGHT = 80;
export const MAX_HEIGHT = 2000;
/** A one-row result with more columns than this is a table, not a row of tiles. */
export const MAX_TILES = 12;

/** What the notebook asks of one cell's place in the grid. */
export interface CellHint {
  /** Columns out of 12. */
  readonly width?: number;
  /** Height of the cell's box in CSS pixels; its output scrolls inside. */
  readonly height?: number;
  /** `false` shows a one-row result as a table instead of tiles. */
  readonly tiles?: boolean;
}

/** The layout a notebook asks for in app mode: the flowing default, or the grid with its hints. */
export type DashboardLayout =
  | { readonly kind: 'flow'; readonly problems: readonly string[] }
  | { readonly kind: 'grid'; readonly hints: ReadonlyMap<string, CellHint>; readonly problems: readonly string[] };

/** Where one cell sits: 1-based grid row and column, and its span in columns. */
export interface GridPlacement {
  readonly cellId: string;
  readonly row: number;
  readonly column: number;
  readonly width: number;
  readonly height?: number;
}

const HINT_KEYS: ReadonlySet<string> = new Set(['width', 'height', 'tiles']);

/**
 * Read `layout` and `cells` from the front matter. Bad hints are dropped and named in `problems`, so a typo never
 * stops the dashboard from opening. `dashboardLayout({ …, extra: { layout: 'grid' } })` → `{ kind: 'grid', hints: Map{} }`.
 */
export function dashboardLayout(notebook: Notebook): DashboardLayout {
  const { layout, cells } = notebook.extra;
  if (layout === undefined) return { kind: 'flow', problems: [] };
  if (layout !== 'grid') return { kind: 'flow', problems: [`front matter \`layout: ${String(layout)}\` is not a layout Aisle knows (write \`layout: grid\`)`] };
  const problems: string[] = [];
  const hints = new Map<string, CellHint>();
  if (cells !== undefined && (typeof cells !== 'object' || cells === null || Array.isArray(cells))) {
    return { kind: 'grid', hints, problems: ['front matter `cells` must map cell names to hints like `{ width: 6 }`'] };
  }
  const names = new Set(notebook.cells.filter(isNamed).map((cell) => cell.name));
  for (const [name, raw] of Object.entries((cells ?? {}) as Record<string, unknown>)) {
    if (!names.has(name)) {
      problems.push(`\`cells\` gives hints for ${name}, but no cell has that name`);
      continue;
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      problems.push(`\`cells.${name}\` must be hints like \`{ width: 6 }\`, got ${JSON.stringify(raw)}`);
      continue;
    }
    const hint: { width?: number; height?: number; tiles?: boolean } = {};
    for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
      if (!HINT_KEYS.has(key)) problems.push(`\`cells.${name}.${key}\` is not a hint (the hints are width, height and tiles)`);
      else if (key === 'width') {
        if (Number.isInteger(value) && (value as number) >= 1 && (value as number) <= GRID_COLUMNS) hint.width = value as number;
        else problems.push(`\`cells.${name}.width\` must be a whole number of columns from 1 to ${GRID_COLUMNS}, got ${JSON.stringify(value)}`);
      } else if (key === 'height') {
        if (typeof value === 'number' && value >= MIN_HEIGHT && value <= MAX_HEIGHT) hint.height = value;
        else problems.push(`\`cells.${name}.height\` must be pixels from ${MIN_HEIGHT} to ${MAX_HEIGHT}, got ${JSON.stringify(value)}`);
      } else if (typeof value === 'boolean') hint.tiles = value;
      else problems.push(`\`cells.${name}.tiles\` must be true or false, got ${JSON.stringify(value)}`);
    }
    hints.set(name, hint);
  }
  return { kind: 'grid', hints, problems };
}

/** The width a cell takes when no hint says: charts two to a row, inputs three to a row, the rest across. */
export function defaultWidth(cell: Cell): number {
  const kind = cell.kind;
  switch (kind) {
    case 'chart':
      return GRID_COLUMNS / 2;
    case 'input':
      return GRID_COLUMNS / 3;
    case 'markdown':
    case 'sql':
    case 'model':
      return GRID_COLUMNS;
    default:
      return assertNever(kind);
  }
}

/**
 * Place cells left to right, a new row when the next does not fit. Prose always starts a row of its own and takes
 * the whole width, so a heading stays above its section.
 * `placeCells([chart a, chart b, chart c], new Map())` → rows 1, 1, 2 at columns 1, 7, 1.
 */
export function placeCells(cells: readonly Cell[], hints: ReadonlyMap<string, CellHint>): GridPlacement[] {
  const placements: GridPlacement[] = [];
  let row = 1;
  let column = 1;
  for (const cell of cells) {
    const hint = isNamed(cell) ? hints.get(cell.name) : undefined;
    const width = cell.kind === 'markdown' ? GRID_COLUMNS : (hint?.width ?? defaultWidth(cell));
    if (column > 1 && column + width - 1 > GRID_COLUMNS) {
      row += 1;
      column = 1;
    }
    placements.push({ cellId: cell.id, row, column, width, ...(hint?.height !== undefined ? { height: hint.height } : {}) });
    column += width;
    if (column > GRID_COLUMNS) {
      row += 1;
      column = 1;
    }
  }
  return placements;
}

/**
 * Whether a SQL cell's result shows as value boxes: one row, at most MAX_TILES columns, unless its hint says
 * `tiles: false`. Other kinds never do (a model's one-row summary reads better as its own output).
 */
export function showsAsTiles(cell: Cell, output: CellOutput | undefined, hint: CellHint | undefined): boolean {
  if (cell.kind !== 'sql' || output?.kind !== 'table' || hint?.tiles === false) return false;
  return output.rowCount === 1 && output.columns.length >= 1 && output.columns.length <= MAX_TILES;
}

/** A column name as a tile's label: `avg_order_value` → `Avg order value`, `AvgOrderValue` → `Avg order value`. */
export function tileLabel(column: string): string {
  const words = column
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[_\s]+/)
    .filter((word) => word !== '')
    .map((word) => (/^[A-Z0-9]+$/.test(word) && word.length > 1 ? word : word.toLowerCase()));
  const sentence = words.join(' ');
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}
