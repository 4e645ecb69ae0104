/**
 * The SQL Aisle writes itself (cell tables and their shapes, the retail canonical view and cleaning, chart
 * aggregation and sampling) in the dialect of the engine at hand: one module per engine, covering the functions that
 * differ. A user's SQL cell is passed through as written. It lives in util because the retail SQL (src/data) and the
 * engine both build SQL with it, and layers import downward only.
 */
import { duckdbDialect } from './duckdb.ts';
import { trinoDialect } from './trino.ts';

export type DialectName = 'duckdb' | 'trino';

export interface SqlDialect {
  readonly name: DialectName;
  /** Statements that keep a query's rows as `table`, replacing it only once the query has succeeded. */
  createTableAs(table: string, query: string): string;
  /** One query: `column_name`, `column_type` (as DuckDB names types: VARCHAR, DOUBLE, TIMESTAMP…) and the row count `n`. */
  shape(table: string): string;
  /**
   * Where one query can give several relations' shapes: `name`, then `column_name`, `column_type` and `n` as in
   * `shape`, a row per column, in column order. On DuckDB-WASM each query is a round trip to its worker, and the data
   * panel lists every table after each load and run.
   */
  shapes?(tables: readonly string[]): string;
  /** Columns of a relation (a quoted name or a parenthesised query): `column_name`, `column_type` as in `shape`. */
  describe(relation: string): string;
  /**
   * One query listing the work schema's tables and views by name (`name`, `type`: VIEW, FILE for a loaded file read in
   * place, or another for a table): those named (any of them), or all but Aisle's own staging ones.
   */
  listTables(names?: readonly string[]): string;
  /** A floating-point expression as text to ten significant digits (what the page shows before it formats it). */
  displayFloat(expression: string): string;
  /** A TIMESTAMP as text as DuckDB writes it (`2011-08-05 11:29:00`, no trailing zero milliseconds). */
  displayTimestamp(expression: string): string;
  /** What keeps a table's rows in the order they were written when a sort ties (DuckDB's `rowid`); null where there is none. */
  readonly rowOrder: string | null;
  /** The clause that keeps `limit` rows after skipping `offset`, with its leading space. */
  limitOffset(limit: number, offset: number): string;
  /** `CREATE OR REPLACE VIEW view AS query`. */
  createView(view: string, query: string): string;
  /** An expression as DOUBLE. */
  toDouble(expression: string): string;
  /** A typed NULL or literal: `typed('NULL', 'VARCHAR')`. */
  typed(literal: string, type: 'VARCHAR' | 'TIMESTAMP' | 'DOUBLE'): string;
  /** GROUP BY the first `keys` select-list columns. */
  groupByFirst(keys: number): string;
  /** `SELECT columns FROM from` reduced to a seeded sample of `rows` rows, then ordered by `orderBy` (may be empty). */
  sampledSelect(columns: string, from: string, rows: number, orderBy: string): string;
  /** True when the whole text matches a regular expression. */
  regexpFullMatch(text: string, pattern: string): string;
  /** Text as TIMESTAMP by a strptime format (`%m/%d/%Y %H:%M`), NULL when it does not parse. */
  tryParseTimestamp(text: string, strptimeFormat: string): string;
  /** Text as TIMESTAMP by a cast (ISO dates), NULL when it does not parse. */
  tryCastTimestamp(text: string): string;
  /** The first `n` characters. */
  left(text: string, n: number): string;
  /** True when the text contains `needle` (a literal). */
  containsText(text: string, needleLiteral: string): string;
  /** A DATE `days` days later. */
  addDays(date: string, days: number): string;
  /** A DATE `months` (an INTEGER expression) months later. */
  addMonths(date: string, months: string): string;
  /** A FROM item of the integers 0 … count − 1 as column `column` of `alias` (none when count is NULL). */
  integerRange(count: string, alias: string, column: string): string;
  /** Integer division of two integer expressions, truncating. */
  intDivide(dividend: string, divisor: string): string;
  /** ISO weekday of a date or timestamp: 1 = Monday … 7 = Sunday. */
  isoWeekday(date: string): string;
  /** A text of values joined by chr(31) (a bound parameter) as a list of `type`, indexed from 1; NULL stays NULL. */
  listFromText(text: string, type: 'TIMESTAMP' | 'DOUBLE'): string;
  /** A list input's values (text joined by chr(31); NULL for none) as a list of text, empty for none. */
  textList(text: string): string;
  /** Values joined as text (numbers written as they print). */
  concatText(parts: readonly string[]): string;
  /** True for a finite number. */
  isFinite(expression: string): string;
  /**
   * The cleaning script: keep the canonical rows no rule drops (`ruleCase` is 0) minus exact duplicates as `cleanTable`,
   * the first of each kept, and end with one row of counts (`countsSelect`, which reads the view again).
   */
  cleanScript(parts: CleanScriptParts): string;
}

export interface CleanScriptParts {
  readonly canonicalView: string;
  readonly cleanTable: string;
  /** Quoted canonical column names, comma-separated. */
  readonly columns: string;
  readonly ruleCase: string;
  /** The final counts query; it reads the view again rather than a staged copy. */
  readonly countsSelect: string;
}

/** The dialect an engine speaks; engines that name none speak DuckDB's. */
export function dialectOf(engine: { readonly dialect?: DialectName }): SqlDialect {
  switch (engine.dialect) {
    case 'trino':
      return trinoDialect;
    case 'duckdb':
    case undefined:
      return duckdbDialect;
  }
}

export { duckdbDialect, trinoDialect };
