import type { SqlDialect } from './index.ts';
import { quoteIdent, quoteLiteral } from '../sql.ts';

/**
 * The comment a loaded table carries (`aisle serve` marks them, so every page sharing the database knows them as data),
 * and the mark of a loaded file read in place: a view over native DuckDB's own copy of a Parquet file (see
 * `importFile`). A mark follows a rename and goes with a drop.
 */
export const LOADED_DATA_COMMENT = 'aisle: loaded data';

/** A view's kind by its comment: `file` (a loaded file read in place) when it carries the loaded-data mark, else `view`. */
export function viewKindSql(comment: string): string {
  return `CASE WHEN ${comment} = ${quoteLiteral(LOADED_DATA_COMMENT)} THEN 'file' ELSE 'view' END`;
}

/** DuckDB's SQL (the tab, the Node runner): the text Aisle has always written. */
export const duckdbDialect: SqlDialect = {
  name: 'duckdb',
  createTableAs: (table, query) => `CREATE OR REPLACE TABLE ${quoteIdent(table)} AS ${query}`,
  shape: (table) =>
    `SELECT column_name, column_type, (SELECT count(*) FROM ${quoteIdent(table)})::DOUBLE AS n FROM (DESCRIBE ${quoteIdent(table)})`,
  shapes: (tables) => `SELECT c.table_name AS name, c.column_name, c.data_type AS column_type, counts.n
    FROM duckdb_columns() AS c
    JOIN (${tables.map((table) => `SELECT ${quoteLiteral(table)} AS name, count(*)::DOUBLE AS n FROM ${quoteIdent(table)}`).join(' UNION ALL ')}) AS counts ON counts.name = c.table_name
    WHERE c.database_name = current_database() AND c.schema_name = 'main'
    ORDER BY c.table_name, c.column_index`,
  describe: (relation) => `DESCRIBE ${relation}`,
  listTables: (names) => `SELECT name, type FROM (
      SELECT table_name AS name, 'BASE TABLE' AS type FROM duckdb_tables() WHERE NOT temporary AND schema_name = 'main' AND database_name = current_database()
      UNION ALL
      SELECT view_name, upper(${viewKindSql('comment')}) FROM duckdb_views() WHERE NOT temporary AND NOT internal AND schema_name = 'main' AND database_name = current_database()
    ) WHERE ${names === undefined ? "NOT starts_with(name, '__aisle')" : `name IN (${names.map(quoteLiteral).join(', ')})`}
    ORDER BY name`,
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
  // The kept rows are copied in the view's order (every thread reads, the insert keeps the order), each with the hash of
  // its columns, then the repeats of a row go by row id: only rows whose hash occurs twice are compared whole. Grouping
  // every row by all its columns and sorting by first place cost 10M rows 6.2 s on two native threads against 4.5 + 1.5 s,
  // and 3.9 GB against 3.1. The hash is computed as the row is copied and its column dropped after (a change of the
  // table's schema, not a copy): hashing the copy again to find repeats took 150 ms of DuckDB-WASM's 541,909-row clean,
  // 75 ms this way. The copy is staged and swapped in, so a cancelled or failed clean leaves the previous clean table as
  // it was (in one transaction instead, the delete made DuckDB append the whole copy again at commit: 3 s more).
  cleanScript: ({ canonicalView, cleanTable, columns, ruleCase, countsSelect }) => {
    const staging = quoteIdent(`__aisle_staging_${cleanTable}`);
    return `
CREATE OR REPLACE TABLE ${staging} AS SELECT ${columns}, hash(${columns}) AS __aisle_hash FROM ${quoteIdent(canonicalView)} WHERE ${ruleCase} = 0;
DELETE FROM ${staging} WHERE rowid IN (
  SELECT __aisle_row FROM (
    SELECT rowid AS __aisle_row, row_number() OVER (PARTITION BY ${columns} ORDER BY rowid) AS __aisle_place FROM ${staging}
    WHERE __aisle_hash IN (SELECT __aisle_hash FROM ${staging} GROUP BY __aisle_hash HAVING count(*) > 1)
  ) WHERE __aisle_place > 1
);
ALTER TABLE ${staging} DROP COLUMN __aisle_hash;
BEGIN; DROP TABLE IF EXISTS ${quoteIdent(cleanTable)}; ALTER TABLE ${staging} RENAME TO ${quoteIdent(cleanTable)}; COMMIT;
${countsSelect};`;
  },
};
