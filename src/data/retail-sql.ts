/**
 * SQL built from a retail profile: the canonical view, the validation checks and the cleaning steps.
 * Pure string building; `src/engine/profile.ts` runs it. Only core DuckDB functions (no extensions).
 */
import { CANONICAL_COLUMNS, MappingError, suggestion, type CanonicalColumn, type RetailProfile } from './retail.ts';
import { CLEANING_RULES, type CleaningRule, type NumericColumn, type RowCheckTarget } from './retail-reports.ts';
import { assertNever } from '../util/assert.ts';
import { quoteIdent, quoteLiteral } from '../util/sql.ts';
import { isFloatingType, isNumericType, isTemporalType, isTextType } from '../util/column-types.ts';
import { duckdbDialect, type SqlDialect } from '../util/dialect/index.ts';

/** DuckDB type names by source column, as `DESCRIBE` reports them (`VARCHAR`, `DOUBLE`, `TIMESTAMP`…). */
export type SourceTypes = Readonly<Record<string, string>>;

/**
 * Where a profile's rows come from: a table or view by name, or rows made by a query (an orders + order lines pair
 * joined), named for messages. `{ name: 'order_lines', sql: 'SELECT … JOIN …' }`.
 */
export type RetailSource = string | { readonly name: string; readonly sql: string };

/** The source as it stands after FROM. */
export function fromClause(source: RetailSource): string {
  return typeof source === 'string' ? quoteIdent(source) : `(${source.sql}) AS ${quoteIdent(source.name)}`;
}

/** The source's name, for messages and reports. */
export function sourceName(source: RetailSource): string {
  return typeof source === 'string' ? source : source.name;
}

/**
 * Text date shapes, each with how to read it. A row is matched to its shape by a regular expression first and
 * parsed once: a failing `try_strptime` costs microseconds, so trying a list of formats on every row made
 * 541,909 rows take 8 s instead of 0.3 s. Two-digit years get their own shapes (`%Y` would read `12/1/10` as
 * the year 10). `format` is a strptime format, `iso` for a cast, which also takes a `T`, seconds fractions and a bare date,
 * or `local` for an ISO date-time followed by a UTC offset, read without the offset.
 */
export const DATE_SHAPES: readonly { readonly pattern: string; readonly format: string }[] = [
  // Shopify's `2023-01-15 10:23:45 -0500`: the shop's wall-clock time is kept (a cast drops such an offset to NULL),
  // so an order at 23:00 on 31 January stays in January.
  { pattern: String.raw`\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [+-]\d{4}`, format: 'local' },
  { pattern: String.raw`\d{4}-\d{1,2}-\d{1,2}([ T].*)?`, format: 'iso' },
  { pattern: String.raw`\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}`, format: '%m/%d/%Y %H:%M' },
  { pattern: String.raw`\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}:\d{2}`, format: '%m/%d/%Y %H:%M:%S' },
  { pattern: String.raw`\d{1,2}/\d{1,2}/\d{4}`, format: '%m/%d/%Y' },
  { pattern: String.raw`\d{1,2}/\d{1,2}/\d{2} \d{1,2}:\d{2}`, format: '%m/%d/%y %H:%M' },
  { pattern: String.raw`\d{1,2}/\d{1,2}/\d{2} \d{1,2}:\d{2}:\d{2}`, format: '%m/%d/%y %H:%M:%S' },
  { pattern: String.raw`\d{1,2}/\d{1,2}/\d{2}`, format: '%m/%d/%y' },
];

const CANONICAL_TYPES: Readonly<Record<CanonicalColumn, 'VARCHAR' | 'TIMESTAMP' | 'DOUBLE'>> = {
  invoice_id: 'VARCHAR',
  invoice_date: 'TIMESTAMP',
  customer_id: 'VARCHAR',
  product_id: 'VARCHAR',
  description: 'VARCHAR',
  category: 'VARCHAR',
  quantity: 'DOUBLE',
  unit_price: 'DOUBLE',
  amount: 'DOUBLE',
  country: 'VARCHAR',
};


/** The source column's type, failing with its name (and the closest real one) when the table lacks it. */
function typeOf(column: string, sourceTypes: SourceTypes): string {
  const type = sourceTypes[column];
  if (type === undefined) {
    throw new MappingError(`column "${column}" is not in the source table${suggestion(column, Object.keys(sourceTypes))}`, column);
  }
  return type;
}

/**
 * A source column as text without surrounding spaces. `trim` costs ~0.4 µs a row, so VARCHAR values are
 * trimmed only when they start or end with a space (a LIKE prefix/suffix test is nearly free).
 */
function trimmedText(column: string, sourceTypes: SourceTypes): string {
  const quoted = quoteIdent(column);
  const type = typeOf(column, sourceTypes);
  if (isNumericType(type)) return `CAST(${quoted} AS VARCHAR)`;
  if (!isTextType(type)) return `trim(CAST(${quoted} AS VARCHAR))`;
  return `(CASE WHEN ${quoted} LIKE ' %' OR ${quoted} LIKE '% ' THEN trim(${quoted}) ELSE ${quoted} END)`;
}

/** An identifier as trimmed text, without the `.0` a spreadsheet adds to numbers (`17850.0` → `17850`); blank → NULL. */
function idExpression(column: string, sourceTypes: SourceTypes, dialect: SqlDialect): string {
  const text = trimmedText(column, sourceTypes);
  return `nullif(CASE WHEN ${dialect.containsText(text, "'.'")} THEN regexp_replace(${text}, '\\.0+$', '') ELSE ${text} END, '')`;
}

/** Free text, trimmed; blank → NULL. */
function labelExpression(column: string, sourceTypes: SourceTypes): string {
  return `nullif(${trimmedText(column, sourceTypes)}, '')`;
}

/** True for a non-blank source value. */
function filledCondition(column: string, sourceTypes: SourceTypes): string {
  return `nullif(${trimmedText(column, sourceTypes)}, '') IS NOT NULL`;
}

/** A number as DOUBLE; text that is not a number → NULL (a cast to DOUBLE allows surrounding spaces). */
function numberExpression(column: string, sourceTypes: SourceTypes): string {
  const quoted = quoteIdent(column);
  if (isNumericType(typeOf(column, sourceTypes))) return `CAST(${quoted} AS DOUBLE)`;
  return `try_cast(${trimmedText(column, sourceTypes)} AS DOUBLE)`;
}

/** A date as TIMESTAMP from DATE/TIMESTAMP columns or text (`12/1/2010 8:26`, `2010-12-01T08:26:00`…); else NULL. */
function dateExpression(column: string, sourceTypes: SourceTypes, dialect: SqlDialect): string {
  if (isTemporalType(typeOf(column, sourceTypes))) return `CAST(${quoteIdent(column)} AS TIMESTAMP)`;
  const text = trimmedText(column, sourceTypes);
  const branches = DATE_SHAPES.map(({ pattern, format }) => {
    const parse =
      format === 'iso'
        ? dialect.tryCastTimestamp(text)
        : format === 'local'
          ? dialect.tryCastTimestamp(dialect.left(text, 19))
          : dialect.tryParseTimestamp(text, format);
    return `WHEN ${dialect.regexpFullMatch(text, pattern)} THEN ${parse}`;
  });
  return `CASE ${branches.join(' ')} END`;
}

/**
 * The SQL expression computing one canonical column from the source.
 * Without a quantity a row is one item; without a unit price it is amount / quantity; without an amount,
 * quantity × unit price (so the simple layout's PurchaseAmount is both price and amount).
 */
export function canonicalExpression(
  column: CanonicalColumn,
  profile: RetailProfile,
  sourceTypes: SourceTypes,
  dialect: SqlDialect = duckdbDialect,
): string {
  const source = profile.mapping[column];
  const { quantity, unit_price: unitPrice, amount } = profile.mapping;
  switch (column) {
    case 'invoice_id':
    case 'customer_id':
    case 'product_id': {
      if (source === undefined) return dialect.typed('NULL', 'VARCHAR');
      const fallback = profile.fallbacks?.[column];
      const id = idExpression(source, sourceTypes, dialect);
      return fallback === undefined ? id : `coalesce(${id}, ${idExpression(fallback, sourceTypes, dialect)})`;
    }
    case 'description':
    case 'category':
    case 'country': {
      if (source === undefined) return dialect.typed('NULL', 'VARCHAR');
      const label = labelExpression(source, sourceTypes);
      const invoice = profile.mapping.invoice_id;
      if (!profile.perOrder?.includes(column) || invoice === undefined) return label;
      return `coalesce(${label}, max(${label}) OVER (PARTITION BY ${idExpression(invoice, sourceTypes, dialect)}))`;
    }
    case 'invoice_date':
      return source === undefined ? dialect.typed('NULL', 'TIMESTAMP') : dateExpression(source, sourceTypes, dialect);
    case 'quantity':
      return source === undefined ? dialect.typed('1', 'DOUBLE') : numberExpression(source, sourceTypes);
    case 'unit_price':
      if (source !== undefined) return numberExpression(source, sourceTypes);
      if (amount === undefined) return dialect.typed('NULL', 'DOUBLE');
      if (quantity === undefined) return numberExpression(amount, sourceTypes);
      return `${numberExpression(amount, sourceTypes)} / nullif(${numberExpression(quantity, sourceTypes)}, 0)`;
    case 'amount':
      if (source !== undefined) return numberExpression(source, sourceTypes);
      if (unitPrice === undefined) return dialect.typed('NULL', 'DOUBLE');
      return `${canonicalExpression('quantity', profile, sourceTypes, dialect)} * ${numberExpression(unitPrice, sourceTypes)}`;
    default:
      return assertNever(column);
  }
}

/**
 * `CREATE OR REPLACE VIEW view AS SELECT …` giving exactly CANONICAL_COLUMNS, typed, from `source`.
 * Throws naming a mapped column that `sourceTypes` does not list.
 */
export function canonicalViewSql(
  view: string,
  source: RetailSource,
  profile: RetailProfile,
  sourceTypes: SourceTypes,
  dialect: SqlDialect = duckdbDialect,
): string {
  const columns = CANONICAL_COLUMNS.map((column) => {
    const expression = canonicalExpression(column, profile, sourceTypes, dialect);
    return `  CAST(${expression} AS ${CANONICAL_TYPES[column]}) AS ${quoteIdent(column)}`;
  });
  return dialect.createView(view, `SELECT\n${columns.join(',\n')}\nFROM ${fromClause(source)}`);
}

/** One row-level validation check: what it looks at, and the SQL condition true for the source rows that fail. */
export type ValidationCheck = RowCheckTarget & { readonly condition: string };

/** Numeric canonical columns whose text must parse as a number. */
export const NUMERIC_COLUMNS: readonly NumericColumn[] = ['quantity', 'unit_price', 'amount'];

/**
 * The row-level checks that apply to this source: unparsable text dates, text that is not a number, rows
 * without a customer. Mapped columns absent from `sourceTypes` are skipped (they are reported as missing).
 */
export function validationChecks(profile: RetailProfile, sourceTypes: SourceTypes, dialect: SqlDialect = duckdbDialect): ValidationCheck[] {
  const checks: ValidationCheck[] = [];
  const present = (column: string | undefined): column is string => column !== undefined && sourceTypes[column] !== undefined;

  const date = profile.mapping.invoice_date;
  if (present(date) && !isTemporalType(typeOf(date, sourceTypes))) {
    const condition = `${filledCondition(date, sourceTypes)} AND (${dateExpression(date, sourceTypes, dialect)}) IS NULL`;
    checks.push({ kind: 'unparsable-date', column: date, condition });
  }
  for (const canonical of NUMERIC_COLUMNS) {
    const column = profile.mapping[canonical];
    if (!present(column)) continue;
    const type = typeOf(column, sourceTypes);
    const number = numberExpression(column, sourceTypes);
    // NaN and ±Infinity parse as DOUBLE (and arrive in Parquet), but every sum over them is NaN or infinite.
    let condition: string;
    if (isFloatingType(type)) condition = `NOT ${dialect.isFinite(number)}`;
    else if (isNumericType(type)) continue;
    else condition = `${filledCondition(column, sourceTypes)} AND ((${number}) IS NULL OR NOT ${dialect.isFinite(number)})`;
    checks.push({ kind: 'non-numeric', canonical, column, condition });
  }
  const customer = profile.mapping.customer_id;
  if (present(customer)) {
    checks.push({ kind: 'missing-customer', column: customer, condition: `(${idExpression(customer, sourceTypes, dialect)}) IS NULL` });
  }
  return checks;
}

/** One row: `total` (all rows) and `failed_<i>` (rows failing check i), both BIGINT. */
export function validationCountsSql(source: RetailSource, checks: readonly ValidationCheck[]): string {
  const counts = checks.map((check, i) => `count(*) FILTER (WHERE ${check.condition}) AS failed_${i}`);
  return `SELECT ${['count(*) AS total', ...counts].join(', ')} FROM ${fromClause(source)}`;
}

/** Column of `validationExamplesSql` results naming the check a row illustrates. */
export const EXAMPLE_CHECK_COLUMN = '__aisle_check';

/**
 * Up to `limit` failing rows (every source column as VARCHAR) for each check listed in `checkIndexes`,
 * tagged with the check's index in EXAMPLE_CHECK_COLUMN.
 */
export function validationExamplesSql(
  source: RetailSource,
  columns: readonly string[],
  checks: readonly ValidationCheck[],
  checkIndexes: readonly number[],
  limit = 5,
): string {
  const selectList = columns.map((column) => `CAST(${quoteIdent(column)} AS VARCHAR) AS ${quoteIdent(column)}`).join(', ');
  const parts = checkIndexes.map((i) => {
    const check = checks[i];
    if (check === undefined) throw new Error(`no validation check number ${i} (there are ${checks.length})`);
    const failing = `SELECT ${i} AS ${EXAMPLE_CHECK_COLUMN}, ${selectList} FROM ${fromClause(source)} WHERE ${check.condition}`;
    return `SELECT * FROM (${failing} LIMIT ${limit})`;
  });
  return parts.join('\nUNION ALL\n');
}

/** Rules decided row by row (duplicates need the whole table). */
type RowCleaningRule = Exclude<CleaningRule, 'duplicate'>;

/** The SQL condition under which a canonical row is dropped by one cleaning rule. */
function dropCondition(rule: RowCleaningRule, dialect: SqlDialect): string {
  switch (rule) {
    case 'missing-customer':
      return 'customer_id IS NULL';
    case 'cancelled':
      return "coalesce(starts_with(invoice_id, 'C'), false)";
    case 'non-positive':
      // NULL (a number that did not parse) is not positive either; NaN compares above every number in DuckDB.
      return `NOT coalesce(quantity > 0 AND unit_price > 0 AND ${dialect.isFinite('quantity')} AND ${dialect.isFinite('unit_price')} AND coalesce(${dialect.isFinite('amount')}, true), false)`;
    case 'unparsable-date':
      return 'invoice_date IS NULL';
    default:
      return assertNever(rule);
  }
}

/**
 * One multi-statement script: creates `cleanTable` from the canonical rows no rule drops, minus exact duplicates (the
 * first one stays, order kept), then returns one row of BIGINT counts: `rows_in`, `rows_out` and one column per rule
 * named as in CLEANING_RULES, each row counted under the first rule that drops it. The canonical rows are never staged:
 * the view is read twice, streamed both times, so the only copy of the rows besides the source is the clean table (in
 * DuckDB written under a staging name and swapped in) and what finding its repeats takes (with ten million rows a staged
 * copy of every canonical row ran DuckDB-WASM out of memory).
 */
export function cleanSql(canonicalView: string, cleanTable: string, dialect: SqlDialect = duckdbDialect): string {
  const columns = CANONICAL_COLUMNS.map(quoteIdent).join(', ');
  const rowRules = CLEANING_RULES.filter((rule): rule is RowCleaningRule => rule !== 'duplicate');
  const ruleCase = `CASE ${rowRules.map((rule, i) => `WHEN ${dropCondition(rule, dialect)} THEN ${i + 1}`).join(' ')} ELSE 0 END`;
  const ruleCounts = rowRules.map((rule, i) => `count(*) FILTER (WHERE __aisle_rule = ${i + 1}) AS ${quoteIdent(rule)}`);
  const clean = quoteIdent(cleanTable);
  const countsSelect = `SELECT count(*) AS rows_in, ${ruleCounts.join(', ')},
  count(*) FILTER (WHERE __aisle_rule = 0) - (SELECT count(*) FROM ${clean}) AS ${quoteIdent('duplicate')},
  (SELECT count(*) FROM ${clean}) AS rows_out
FROM (SELECT ${ruleCase} AS __aisle_rule FROM ${quoteIdent(canonicalView)})`;
  return dialect.cleanScript({ canonicalView, cleanTable, columns, ruleCase, countsSelect });
}
