import { isNamed, type Cell, type NamedCell } from './notebook.ts';
import { SpecError, inputSpec, parseSpec, specInputs, specTables, type InputSpec } from './specs.ts';
import { sqlReads } from './sql/references.ts';
import { chartSpecReads, selectSpec, type SelectSpec } from './chart/index.ts';
import type { CellError } from './errors.ts';
import { assertNever } from '../util/assert.ts';
import { cellNameProblem, quotedName } from '../util/names.ts';

/** What a cell is seen to read and define, before anything runs. */
export interface CellAnalysis {
  readonly cellId: string;
  /** Lower-cased: DuckDB matches names case-insensitively. */
  readonly defines: readonly string[];
  /** Names of tables or cells it reads (lower-cased), whether or not a cell defines them. */
  readonly readsTables: readonly string[];
  /** Names after `$`: inputs whose values are bound as parameters (lower-cased). */
  readonly readsInputs: readonly string[];
  /** For input cells: the checked spec. */
  readonly input?: InputSpec;
  /** For a chart whose selection is an input: its `select` (the input's lower-cased name is in `defines` too). */
  readonly selects?: SelectSpec;
  /** A problem found without running, e.g. a spec that does not parse. */
  readonly error?: CellError;
}

/** Read one cell: its name, the tables its SQL or spec names, the inputs it binds. Never throws. */
export function analyzeCell(cell: Cell): CellAnalysis {
  if (!isNamed(cell)) return { cellId: cell.id, defines: [], readsTables: [], readsInputs: [] };
  const base = { cellId: cell.id, defines: [cell.name.toLowerCase()], readsTables: [] as string[], readsInputs: [] as string[] };
  const nameProblem = cellNameProblem(cell.name);
  if (nameProblem !== undefined) {
    const named = cell.name === '' ? 'this cell has no name' : `this cell's name ${quotedName(cell.name)} is not valid`;
    return { ...base, error: { kind: 'invalid', message: `${named}: ${nameProblem}; rename it` } };
  }
  try {
    return { ...base, ...readsOf(cell) };
  } catch (error) {
    if (error instanceof SpecError) return { ...base, error: { kind: 'invalid', message: error.message } };
    throw error;
  }
}

function readsOf(cell: NamedCell): Partial<CellAnalysis> {
  switch (cell.kind) {
    case 'sql': {
      const reads = sqlReads(cell.source);
      return {
        // A schema other than main (information_schema, a catalog's tables) is never a cell.
        readsTables: unique(reads.tables.filter((t) => t.schema === undefined || t.schema.toLowerCase() === 'main').map((t) => t.name)),
        readsInputs: unique(reads.parameters),
      };
    }
    case 'chart': {
      const spec = parseSpec(cell.source);
      const selects = selectSpec(spec);
      const reads = { readsTables: unique(chartSpecReads(spec)), readsInputs: specInputs(spec) };
      return selects === undefined ? reads : { ...reads, selects, defines: unique([cell.name, selects.as]) };
    }
    case 'model': {
      const spec = parseSpec(cell.source);
      return { readsTables: unique(specTables(spec, 'input')), readsInputs: specInputs(spec) };
    }
    case 'input': {
      const input = inputSpec(parseSpec(cell.source));
      return { input, readsTables: input.options?.kind === 'table' ? [input.options.table.toLowerCase()] : [] };
    }
    default:
      return assertNever(cell.kind);
  }
}

function unique(names: readonly string[]): string[] {
  return [...new Set(names.map((name) => name.toLowerCase()))];
}
