import type { Database } from '../ports.ts';
import type { NamedCell } from '../notebook.ts';
import type { RunContext } from '../scheduler.ts';
import type { CellOutput } from '../status.ts';
import type { InputValue } from '../specs.ts';
import { runSql } from '../run-sql.ts';
import { bindParameters } from '../sql/references.ts';
import { tokenize } from '../sql/tokenize.ts';
import { refuseDataWrites } from '../data-tables.ts';
import { selectionSql } from '../chart/select.ts';
import { dialectOf, duckdbDialect, type SqlDialect } from '../../util/dialect/index.ts';

/** Lists (multi-select, date range) travel as one text joined by this character, split back in SQL. */
const LIST_SEPARATOR = '\u001f';

/**
 * Run a SQL cell with its `$inputs` bound as prepared-statement parameters — values never enter the SQL
 * text. A list input becomes a list of text in the engine's dialect: on DuckDB `string_split($k, chr(31))`, a
 * VARCHAR[] (`list_contains($countries, country)`); on Trino an ARRAY(VARCHAR) (`contains($countries, country)`).
 * SQL that would change loaded data is refused before DuckDB sees any of it (a DataProtectionError).
 */
export async function evaluateSql(db: Database, cell: NamedCell, context: RunContext): Promise<CellOutput> {
  refuseDataWrites(cell.source, context.dataNames);
  const { sql, params } = bindInputs(cell.source, context.inputs, context.selections, dialectOf(db));
  return runSql(db, cell.name, sql, context.signal, params);
}

/**
 * `$name` → positional parameters plus their values, in order. `selections` names the inputs that are charts'
 * selections: they bind as `selectionSql` says in the engine's `dialect` (a cleared one is NULL), not as a list input;
 * list inputs bind as the dialect's `textList`.
 */
export function bindInputs(
  source: string,
  inputs: ReadonlyMap<string, InputValue>,
  selections: ReadonlySet<string> = new Set(),
  dialect: SqlDialect = duckdbDialect,
): { sql: string; params: unknown[] } {
  // Input names are lower-cased; bindParameters matches `$Name` to them regardless of case.
  const { sql, order } = bindParameters(source, [...inputs.keys()]);
  if (order.length === 0) return { sql: source, params: [] };
  const wrapped = new Map<string, string>();
  order.forEach((name, index) => {
    const parameter = `$${index + 1}`;
    const value = inputs.get(name) ?? null;
    if (selections.has(name)) wrapped.set(parameter, selectionSql(parameter, value, dialect));
    else if (Array.isArray(value)) wrapped.set(parameter, dialect.textList(parameter));
  });
  const expanded = wrapped.size === 0 ? sql : tokenize(sql).map((token) => wrapped.get(token.text) ?? token.text).join('');
  const params = order.map((name) => {
    const value = inputs.get(name) ?? null;
    if (!Array.isArray(value)) return value;
    return value.length === 0 ? null : value.map(String).join(LIST_SEPARATOR);
  });
  return { sql: expanded, params };
}
