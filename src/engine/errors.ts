import { assertNever } from '../util/assert.ts';

/** Why a cell did not produce its output: tagged data, so the UI can say why and the log can record it. */
export type CellError =
  /** The cell reads itself through a chain of cells. */
  | { readonly kind: 'cycle'; readonly names: readonly string[] }
  /** Another cell has the same name; neither runs until one is renamed. */
  | { readonly kind: 'duplicate-name'; readonly name: string }
  /** A chart publishes its selection under a name another cell (`other`) has; neither runs until one is renamed. */
  | { readonly kind: 'selection-name'; readonly name: string; readonly chart: string; readonly other: string }
  /** A `$name` or a spec's table that no cell or table defines. */
  | { readonly kind: 'unknown-name'; readonly name: string; readonly suggestion?: string }
  /** The cell's JSON/YAML spec or its name is not valid. */
  | { readonly kind: 'invalid'; readonly message: string }
  /** A cell it reads failed, was cancelled or has not run. */
  | { readonly kind: 'blocked'; readonly upstream: string }
  /** The SQL would change, replace or drop loaded data (a data table, its canonical view or its clean table). */
  | { readonly kind: 'read-only-data'; readonly table: string; readonly statement: string }
  /** The SQL would move where table names resolve (USE, SET search_path, DETACH…), which could hide or remove loaded data. */
  | { readonly kind: 'namespace-change'; readonly statement: string; readonly name?: string }
  /** The cell's name, or a table it makes (`<cell>__centroids`), is the name of loaded data. */
  | { readonly kind: 'data-name'; readonly name: string; readonly table: string }
  /** The database rejected the SQL: its message, and the statement it was sent (the cell's, or one Aisle wrote for it). */
  | { readonly kind: 'sql'; readonly message: string; readonly sql: string }
  /** Anything else that went wrong while running. */
  | { readonly kind: 'runtime'; readonly message: string }
  /** This kind of cell cannot run in this version. */
  | { readonly kind: 'cancelled' };

/** One line a person can read: `describeCellError({ kind: 'blocked', upstream: 'monthly' })` → `waiting on monthly, which did not run`. */
export function describeCellError(error: CellError): string {
  switch (error.kind) {
    case 'cycle':
      return `these cells read each other in a circle: ${[...error.names, error.names[0]].join(' → ')}`;
    case 'duplicate-name':
      return `another cell is also named "${error.name}"; rename one of them`;
    case 'selection-name':
      return error.other.toLowerCase() === error.name.toLowerCase()
        ? `the chart ${error.chart} publishes its selection as "${error.name}", which is also the name of the cell ${error.other}; rename one of them`
        : `the charts ${error.chart} and ${error.other} both publish a selection as "${error.name}"; rename one of them`;
    case 'unknown-name':
      return `nothing is named "${error.name}"${error.suggestion ? ` (did you mean "${error.suggestion}"?)` : ''}`;
    case 'invalid':
      return error.message;
    case 'blocked':
      return `waiting on ${error.upstream}, which did not run`;
    case 'read-only-data':
      return `"${error.table}" is loaded data and cannot be changed by a cell (${error.statement}); write the result to a new table instead`;
    case 'namespace-change':
      return `${error.statement}${error.name === undefined ? '' : ` ${error.name}`} is not allowed in a cell: it changes where table names resolve and could hide or remove loaded data`;
    case 'data-name':
      return error.table.toLowerCase() === error.name.toLowerCase()
        ? `"${error.name}" is the name of loaded data; give this cell another name`
        : `this cell would write "${error.table}", which is loaded data; give the cell another name`;
    case 'sql':
    case 'runtime':
      return error.message;
    case 'cancelled':
      return 'cancelled';
    default:
      return assertNever(error);
  }
}
