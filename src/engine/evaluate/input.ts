import type { Database } from '../ports.ts';
import type { NamedCell } from '../notebook.ts';
import type { CellAnalysis } from '../analyze.ts';
import type { RunContext } from '../scheduler.ts';
import type { CellOutput } from '../status.ts';
import type { InputValue } from '../specs.ts';
import { quoteIdent } from '../../util/sql.ts';

/** Most options a select offers from a table (more would not fit a dropdown), and a search (it filters as you type). */
const MAX_OPTIONS = 5000;
const MAX_SEARCH_OPTIONS = 50_000;

/** An input's output is its value; a select whose options come from a table reads them from DuckDB. */
export async function evaluateInput(
  db: Database,
  cell: NamedCell,
  analysis: CellAnalysis,
  value: InputValue | undefined,
  context: RunContext,
): Promise<CellOutput> {
  const spec = analysis.input;
  if (!spec) throw new Error(`input ${cell.name} has no spec`);
  const current = value ?? spec.initial;
  if (spec.options?.kind !== 'table') {
    return { kind: 'value', value: current, options: spec.options?.values };
  }
  const column = quoteIdent(spec.options.column);
  const label = spec.options.label === undefined ? undefined : quoteIdent(spec.options.label);
  const limit = spec.control === 'search' ? MAX_SEARCH_OPTIONS : MAX_OPTIONS;
  const result = await db.query(
    label === undefined
      ? `SELECT DISTINCT ${column} AS option FROM ${quoteIdent(spec.options.table)} WHERE ${column} IS NOT NULL ORDER BY 1 LIMIT ${limit}`
      : `SELECT ${column} AS option, CAST(min(${label}) AS VARCHAR) AS label FROM ${quoteIdent(spec.options.table)} WHERE ${column} IS NOT NULL GROUP BY 1 ORDER BY 1 LIMIT ${limit}`,
    { signal: context.signal },
  );
  const rows = result.toArray() as { option: unknown; label?: unknown }[];
  const options = rows.map(({ option }) => (typeof option === 'number' ? option : String(option)));
  const single = spec.control === 'select' || spec.control === 'search';
  // A value from a link is text ("17850") where the column's options are numbers: it picks the option it spells.
  const spelled = (value: unknown) => options.find((option) => option === value || (value !== null && typeof value !== 'object' && String(option) === String(value)));
  const fallback = single
    ? (spelled(current) ?? options[0] ?? null)
    : Array.isArray(current)
      ? current.map((value) => spelled(value) ?? value)
      : current;
  if (label === undefined) return { kind: 'value', value: fallback, options };
  return { kind: 'value', value: fallback, options, labels: rows.map((row) => (row.label == null ? '' : String(row.label))) };
}
