import type { Database } from '../ports.ts';
import type { NamedCell } from '../notebook.ts';
import type { CellAnalysis } from '../analyze.ts';
import type { RunContext } from '../scheduler.ts';
import type { CellOutput } from '../status.ts';
import type { InputValue } from '../specs.ts';
import { quoteIdent } from '../../util/sql.ts';

/** Most options a select offers from a table; more would not fit a dropdown anyway. */
const MAX_OPTIONS = 5000;

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
  const result = await db.query(
    `SELECT DISTINCT ${column} AS option FROM ${quoteIdent(spec.options.table)} WHERE ${column} IS NOT NULL ORDER BY 1 LIMIT ${MAX_OPTIONS}`,
    { signal: context.signal },
  );
  const options = result.toArray().map((row) => {
    const option = (row as { option: unknown }).option;
    return typeof option === 'number' ? option : String(option);
  });
  const fallback = spec.control === 'select' && (current === null || !options.includes(current as string | number)) ? (options[0] ?? null) : current;
  return { kind: 'value', value: fallback, options };
}
