import type { SqlDialect } from './index.ts';
import { quoteIdent, quoteLiteral } from '../sql.ts';

/** Trino's type names (`varchar(5)`, `timestamp(3)`, `array(varchar)`) as DuckDB writes them, in SQL over `column`. */
function duckdbTypeName(column: string): string {
  return `CASE
  WHEN ${column} LIKE 'varchar%' OR ${column} LIKE 'char%' THEN 'VARCHAR'
  WHEN ${column} LIKE 'timestamp%with time zone' THEN 'TIMESTAMP WITH TIME ZONE'
  WHEN ${column} LIKE 'timestamp%' THEN 'TIMESTAMP'
  WHEN ${column} LIKE 'array(varchar%' THEN 'VARCHAR[]'
  ELSE upper(${column}) END`;
}

/** A strptime format as the MySQL-style format Trino's `date_parse` reads (`%M` is minutes in strptime, `%i` here). */
function mysqlFormat(strptime: string): string {
  return strptime.replace(/%(.)/g, (_, code: string) => {
    switch (code) {
      case 'M':
        return '%i';
      case 'm':
        return '%c';
      case 'd':
        return '%e';
      case 'H':
        return '%k';
      default:
        return `%${code}`;
    }
  });
}

/** A name unlikely to meet another: staging tables live in the same schema as cells' tables. */
const stagingName = (table: string) => `__aisle_stage_${table}_${crypto.randomUUID().slice(0, 8)}`;

/**
 * Trino's SQL over the Hive connector: no CREATE OR REPLACE TABLE (a staging table is renamed in), no DESCRIBE of a
 * query, no GROUP BY ALL, no `::` casts, `date_parse` for strptime, `regexp_like` for full matches.
 */
export const trinoDialect: SqlDialect = {
  name: 'trino',
  createTableAs: (table, query) => {
    const staging = quoteIdent(stagingName(table));
    return `CREATE TABLE ${staging} AS ${query}\n;\nDROP TABLE IF EXISTS ${quoteIdent(table)};\nALTER TABLE ${staging} RENAME TO ${quoteIdent(table)}`;
  },
  shape: (table) =>
    `SELECT column_name, ${duckdbTypeName('data_type')} AS column_type, CAST((SELECT count(*) FROM ${quoteIdent(table)}) AS DOUBLE) AS n
FROM information_schema.columns WHERE table_schema = current_schema AND table_name = ${quoteLiteral(table)} ORDER BY ordinal_position`,
  describe: (relation) => {
    const name = /^"((?:[^"]|"")*)"$/.exec(relation)?.[1]?.replaceAll('""', '"');
    if (name === undefined) throw new Error('Trino describes tables and views by name only, not a query');
    return `SELECT column_name, ${duckdbTypeName('data_type')} AS column_type FROM information_schema.columns
WHERE table_schema = current_schema AND table_name = ${quoteLiteral(name)} ORDER BY ordinal_position`;
  },
  listTables: (names) => `SELECT table_name AS name, table_type AS type FROM information_schema.tables
    WHERE table_schema = current_schema AND ${names === undefined ? "NOT starts_with(table_name, '__aisle')" : `table_name IN (${names.map(quoteLiteral).join(', ')})`}
    ORDER BY table_name`,
  // Java's %g keeps trailing zeros (212.2200000); the page formats every number to its column's decimals anyway.
  displayFloat: (expression) => `format('%.10g', ${expression})`,
  // A Hive table keeps no row order: ties in a sort fall in any order.
  displayTimestamp: (expression) => `regexp_replace(CAST(${expression} AS VARCHAR), '\\.0+$', '')`,
  rowOrder: null,
  limitOffset: (limit, offset) => ` OFFSET ${offset} LIMIT ${limit}`,
  createView: (view, query) => `CREATE OR REPLACE VIEW ${quoteIdent(view)} AS ${query}`,
  toDouble: (expression) => `CAST(${expression} AS DOUBLE)`,
  typed: (literal, type) => `CAST(${literal} AS ${type})`,
  groupByFirst: (keys) => (keys > 0 ? ` GROUP BY ${Array.from({ length: keys }, (_, i) => i + 1).join(', ')}` : ''),
  // Trino has no fixed-size seeded sample (TABLESAMPLE keeps a fraction): a random ranking, not repeatable between runs.
  sampledSelect: (columns, from, rows, orderBy) =>
    `SELECT * FROM (SELECT ${columns} FROM ${from} ORDER BY random() LIMIT ${rows})${orderBy}`,
  regexpFullMatch: (text, pattern) => `regexp_like(${text}, ${quoteLiteral(`^(?:${pattern})$`)})`,
  tryParseTimestamp: (text, format) => `try(date_parse(${text}, ${quoteLiteral(mysqlFormat(format))}))`,
  tryCastTimestamp: (text) => `try_cast(replace(${text}, 'T', ' ') AS TIMESTAMP)`,
  left: (text, n) => `substr(${text}, 1, ${n})`,
  containsText: (text, needle) => `strpos(${text}, ${needle}) > 0`,
  isFinite: (expression) => `is_finite(${expression})`,
  addDays: (date, days) => `date_add('day', ${days}, ${date})`,
  addMonths: (date, months) => `date_add('month', ${months}, ${date})`,
  integerRange: (count, alias, column) => `UNNEST(sequence(0, ${count} - 1)) AS ${alias}(${column})`,
  // Trino's / on two integers truncates.
  intDivide: (dividend, divisor) => `(${dividend} / ${divisor})`,
  isoWeekday: (date) => `day_of_week(${date})`,
  listFromText: (text, type) => `CAST(split(${text}, chr(31)) AS ARRAY(${type}))`,
  textList: (text) => `coalesce(split(${text}, chr(31)), CAST(ARRAY[] AS ARRAY(VARCHAR)))`,
  concatText: (parts) => `concat(${parts.map((part) => `CAST(${part} AS VARCHAR)`).join(', ')})`,
  cleanScript: ({ canonicalView, cleanTable, columns, ruleCase, countsSelect }) => `
${trinoDialect.createTableAs(
  cleanTable,
  `SELECT ${columns} FROM (
    SELECT ${columns}, min(__aisle_row) AS __aisle_first FROM (
      SELECT ${columns}, row_number() OVER () AS __aisle_row FROM ${quoteIdent(canonicalView)} WHERE ${ruleCase} = 0
    ) GROUP BY ${columns}
  ) ORDER BY __aisle_first`,
)};
${countsSelect};`,
};
