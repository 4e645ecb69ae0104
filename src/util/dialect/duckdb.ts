import type { SqlDialect } from './index.ts';
import { quoteIdent, quoteLiteral } from '../sql.ts';

/** DuckDB's SQL (the tab, the Node runner): the text Aisle has always written. */
export const duckdbDialect: SqlDialect = {
  name: 'duckdb',
  createTableAs: (table, query) => `CREATE OR REPLACE TABLE ${quoteIdent(table)} AS ${query}`,
  shape: (table) =>
    `SELECT column_name, column_type, (SELECT count(*) FROM ${quoteIdent(table)})::DOUBLE AS n FROM (DESCRIBE ${quoteIdent(table)})`,
  describe: (relation) => `DESCRIBE ${relation}`,
  listTables: () => `SELECT table_name AS name, table_type AS type FROM information_schema.tables
    WHERE table_schema = 'main' AND table_catalog = current_database() AND NOT starts_with(table_name, '__aisle')
    ORDER BY table_name`,
  displayFloat: (expression) => `printf('%.10g', ${expression})`,
  displayTimestamp: (expression) => `CAST(${expression} AS VARCHAR)`,
  rowOrder: 'rowid',
  limitOffset: (limit, offset) => ` LIMIT ${limit} OFFSET ${offset}`,
  createView: (view, query) => `CREATE OR REPLACE VIEW ${quoteIdent(view)} AS ${query}`,
  toDouble: (expression) => `${expression}::DOUBLE`,
  typed: (literal, type) => `${literal}::${type}`,
  groupByFirst: (keys) => (keys > 0 ? ' GROUP BY ALL' : ''),
  sampledSelect: (columns, from, rows, orderBy) => `SELECT ${columns} FROM ${from} USING SAMPLE ${rows} ROWS (reservoir, 42)${orderBy}`,
  regexpFullMatch: (text, pattern) => `regexp_full_match(${text}, ${quoteLiteral(pattern)})`,
  tryParseTimestamp: (text, format) => `try_strptime(${text}, ${quoteLiteral(format)})`,
  tryCastTimestamp: (text) => `try_cast(${text} AS TIMESTAMP)`,
  left: (text, n) => `left(${text}, ${n})`,
  containsText: (text, needle) => `contains(${text}, ${needle})`,
  isFinite: (expression) => `isfinite(${expression})`,
  addDays: (date, days) => `${date} + ${days}`,
  addMonths: (date, months) => `${date} + to_months(${months})`,
  integerRange: (count, alias, column) => `range(0, ${count}) ${alias}(${column})`,
  intDivide: (dividend, divisor) => `(${dividend} // ${divisor})`,
  isoWeekday: (date) => `isodow(${date})`,
  listFromText: (text, type) => `CAST(string_split(${text}, chr(31)) AS ${type}[])`,
  textList: (text) => `coalesce(string_split(${text}, chr(31)), []::VARCHAR[])`,
  concatText: (parts) => `concat(${parts.join(', ')})`,
  // The kept rows are copied in the view's order (every thread reads, the insert keeps the order), then the repeats of
  // a row go by row id: only rows whose hash occurs twice are compared whole. Grouping every row by all its columns
  // and sorting by first place cost 10M rows 6.2 s on two native threads against 4.5 + 1.5 s, and 3.9 GB against 3.1.
  // The copy is staged and swapped in, so a cancelled or failed clean leaves the previous clean table as it was (in
  // one transaction instead, the delete made DuckDB append the whole copy again at commit: 3 s more).
  cleanScript: ({ canonicalView, cleanTable, columns, ruleCase, countsSelect }) => {
    const staging = quoteIdent(`__aisle_staging_${cleanTable}`);
    return `
CREATE OR REPLACE TABLE ${staging} AS SELECT ${columns} FROM ${quoteIdent(canonicalView)} WHERE ${ruleCase} = 0;
DELETE FROM ${staging} WHERE rowid IN (
  SELECT __aisle_row FROM (
    SELECT rowid AS __aisle_row, row_number() OVER (PARTITION BY ${columns} ORDER BY rowid) AS __aisle_place FROM ${staging}
    WHERE hash(${columns}) IN (SELECT hash(${columns}) AS __aisle_hash FROM ${staging} GROUP BY __aisle_hash HAVING count(*) > 1)
  ) WHERE __aisle_place > 1
);
BEGIN; DROP TABLE IF EXISTS ${quoteIdent(cleanTable)}; ALTER TABLE ${staging} RENAME TO ${quoteIdent(cleanTable)}; COMMIT;
${countsSelect};`;
  },
};
