/** Runs the retail profile against a Database: validate a source table, build its canonical view, clean it. */
import type { Table } from 'apache-arrow';
import type { Database } from './ports.ts';
import { describe } from './catalog.ts';
import { closestName, type RetailProfile } from '../data/retail.ts';
import {
  EXAMPLE_CHECK_COLUMN,
  canonicalViewSql,
  cleanSql,
  validationChecks,
  validationCountsSql,
  validationExamplesSql,
  sourceName,
  type RetailSource,
  type SourceTypes,
} from '../data/retail-sql.ts';
import {
  cleaningReport,
  emptyIssue,
  missingColumnsIssue,
  rowIssue,
  validationReport,
  type CleaningReport,
  type ExampleRow,
  type ValidationIssue,
  type ValidationReport,
} from '../data/retail-reports.ts';
import { quoteIdent } from '../util/sql.ts';
import { dialectOf } from '../util/dialect/index.ts';

export type {
  CleaningReport,
  CleaningRule,
  ExampleRow,
  Severity,
  ValidationIssue,
  ValidationReport,
} from '../data/retail-reports.ts';

export interface ProfileOptions {
  readonly signal?: AbortSignal;
}

/** Column name → DuckDB type of a table, view or joined source. */
async function sourceTypesOf(db: Database, source: RetailSource, signal?: AbortSignal): Promise<SourceTypes> {
  const columns = await describe(db, typeof source === 'string' ? quoteIdent(source) : `(${source.sql})`, signal);
  return Object.fromEntries(columns.map((column) => [column.name, column.type]));
}

/** The rows of an Arrow result as plain objects. */
function rowsOf(table: Table): Record<string, unknown>[] {
  return table.toArray().map((row) => (row as { toJSON(): Record<string, unknown> }).toJSON());
}

/** A COUNT result (BigInt from DuckDB) as a number. */
function countOf(value: unknown): number {
  if (typeof value === 'bigint' || typeof value === 'number') return Number(value);
  throw new Error(`expected a count, got ${String(value)}`);
}

/**
 * Check `sourceTable` against `profile` without changing anything: missing required columns, no rows, date
 * text no format reads, number text that is not a number, rows without a customer — each with a count, up to
 * five example rows and a plain-English message. Bad data never throws; a missing table does (QueryError).
 * At most three queries.
 */
export async function validate(
  db: Database,
  source: RetailSource,
  profile: RetailProfile,
  options: ProfileOptions = {},
): Promise<ValidationReport> {
  const { signal } = options;
  const sourceTable = sourceName(source);
  const sourceTypes = await sourceTypesOf(db, source, signal);
  const columns = Object.keys(sourceTypes);
  const mapped = new Set(Object.values(profile.mapping));

  const absentMapped = [...mapped].filter((column) => sourceTypes[column] === undefined);
  const missing = [...new Set([...profile.missing, ...absentMapped])];
  const unmappedColumns = columns.filter((column) => !mapped.has(column));
  const hints = Object.fromEntries(
    missing.flatMap((name) => {
      const closest = closestName(name, unmappedColumns);
      return closest === undefined ? [] : [[name, ` (did you mean "${closest}"?)`]];
    }),
  );
  const issues: (ValidationIssue | null)[] = [missing.length > 0 ? missingColumnsIssue(missing, hints) : null];

  const checks = validationChecks(profile, sourceTypes, dialectOf(db));
  const [countsRow] = rowsOf(await db.query(validationCountsSql(source, checks), { signal }));
  const totalRows = countOf(countsRow?.total);
  if (totalRows === 0) return validationReport(sourceTable, profile, 0, [...issues, emptyIssue(sourceTable)]);

  const failed = checks.map((_, i) => countOf(countsRow?.[`failed_${i}`]));
  const failing = failed.flatMap((count, i) => (count > 0 ? [i] : []));
  const examples = new Map<number, ExampleRow[]>();
  if (failing.length > 0) {
    const rows = rowsOf(await db.query(validationExamplesSql(source, columns, checks, failing), { signal }));
    for (const row of rows) {
      const check = Number(row[EXAMPLE_CHECK_COLUMN]);
      const example = Object.fromEntries(columns.map((column) => [column, row[column] == null ? null : String(row[column])]));
      examples.set(check, [...(examples.get(check) ?? []), example]);
    }
  }
  checks.forEach((target, i) => {
    issues.push(rowIssue({ target, count: failed[i] ?? 0, totalRows, examples: examples.get(i) ?? [] }));
  });
  return validationReport(sourceTable, profile, totalRows, issues);
}

/**
 * Create (or replace) `view` over `sourceTable` with exactly the canonical columns, typed.
 * Throws naming a mapped column the table does not have.
 */
export async function createCanonicalView(
  db: Database,
  view: string,
  source: RetailSource,
  profile: RetailProfile,
  options: ProfileOptions = {},
): Promise<void> {
  const sourceTypes = await sourceTypesOf(db, source, options.signal);
  await db.query(canonicalViewSql(view, source, profile, sourceTypes, dialectOf(db)), { signal: options.signal });
}

/**
 * Create (or replace) TABLE `cleanTable` from `canonicalView`, dropping in order rows without a customer,
 * cancelled invoices, non-positive (or unreadable) quantities and prices, unreadable dates, then exact
 * duplicates; counts each dropped row under the first rule that drops it. One query.
 */
export async function clean(
  db: Database,
  canonicalView: string,
  cleanTable: string,
  options: ProfileOptions = {},
): Promise<CleaningReport> {
  const [row] = rowsOf(await db.query(cleanSql(canonicalView, cleanTable, dialectOf(db)), { signal: options.signal }));
  if (row === undefined) throw new Error(`cleaning "${canonicalView}" returned no counts`);
  return cleaningReport(row);
}
