/** What validating and cleaning a retail table found, as data, and how to say it in plain English. Pure. */
import type { RetailProfile } from './retail.ts';
import { assertNever } from '../util/assert.ts';

export type Severity = 'error' | 'warning' | 'info';

/** A source row shown as evidence: every column as text (NULL stays null). */
export type ExampleRow = Readonly<Record<string, string | null>>;

/** Required columns the table does not have. */
export interface MissingColumnsIssue {
  readonly kind: 'missing-columns';
  readonly severity: 'error';
  readonly columns: readonly string[];
  readonly message: string;
}

/** The table has a header but no rows. */
export interface EmptyIssue {
  readonly kind: 'empty';
  readonly severity: 'error';
  readonly message: string;
}

interface RowIssueFields {
  readonly severity: Severity;
  /** The source column at fault, as named in the file. */
  readonly column: string;
  /** How many rows have the problem. */
  readonly count: number;
  /** Up to five of those rows. */
  readonly examples: readonly ExampleRow[];
  readonly message: string;
}

/** Rows whose date text no known format parses (`31/02/2011 25:00`, `yesterday`). */
export interface UnparsableDateIssue extends RowIssueFields {
  readonly kind: 'unparsable-date';
}

/** Rows whose quantity, unit price or amount is not a finite number (`12,50`, `abc`, `NaN`, `inf`). */
export interface NonNumericIssue extends RowIssueFields {
  readonly kind: 'non-numeric';
  readonly canonical: NumericColumn;
}

/** Rows without a customer: fine for revenue, left out of customer analyses. */
export interface MissingCustomerIssue extends RowIssueFields {
  readonly kind: 'missing-customer';
}

export type RowIssue = UnparsableDateIssue | NonNumericIssue | MissingCustomerIssue;
export type RowIssueKind = RowIssue['kind'];
export type ValidationIssue = MissingColumnsIssue | EmptyIssue | RowIssue;

export interface ValidationReport {
  readonly source: string;
  readonly layout: RetailProfile['layout'];
  readonly totalRows: number;
  /** Most severe first; within a severity in the order the checks ran. */
  readonly issues: readonly ValidationIssue[];
  /** False when any issue is an error: the canonical view would be empty or meaningless. */
  readonly ok: boolean;
}

/** `1 row has` / `1,234 rows have`. */
function rowsHave(count: number): string {
  return count === 1 ? '1 row has' : `${count.toLocaleString('en-US')} rows have`;
}

/** `an InvoiceDate`, `a UnitPrice`, `an Amount`: a column name with its indefinite article (a heuristic). */
function withArticle(name: string): string {
  return /^([aeio]|u(?!ni|s[aeiu]))/i.test(name) ? `an ${name}` : `a ${name}`;
}

/** The issue for required columns the table lacks, e.g. `Required columns are missing: InvoiceDate, UnitPrice`. */
export function missingColumnsIssue(columns: readonly string[], hints: Readonly<Record<string, string>> = {}): MissingColumnsIssue {
  const named = columns.map((column) => `${column}${hints[column] ?? ''}`).join(', ');
  const message = columns.length === 1 ? `Required column ${named} is missing` : `Required columns are missing: ${named}`;
  return { kind: 'missing-columns', severity: 'error', columns, message };
}

/** The issue for a table with no rows. */
export function emptyIssue(source: string): EmptyIssue {
  return { kind: 'empty', severity: 'error', message: `The table "${source}" has no rows` };
}

/** Numeric canonical columns whose text must parse as a number. */
export type NumericColumn = 'quantity' | 'unit_price' | 'amount';

/** What a row-level check looks at: its kind and the source column (as named in the file). */
export type RowCheckTarget =
  | { readonly kind: 'unparsable-date'; readonly column: string }
  | { readonly kind: 'non-numeric'; readonly canonical: NumericColumn; readonly column: string }
  | { readonly kind: 'missing-customer'; readonly column: string };

/** What a row-level check found, before it is phrased. */
export interface RowCheckResult {
  readonly target: RowCheckTarget;
  readonly count: number;
  readonly totalRows: number;
  readonly examples: readonly ExampleRow[];
}

/**
 * A row-level issue with its severity and message, or null when no row failed. A date or number problem is an
 * error when every row has it (nothing usable is left), a warning otherwise; a missing customer is info.
 */
export function rowIssue(result: RowCheckResult): RowIssue | null {
  const { target, count, totalRows, examples } = result;
  const { column } = target;
  if (count === 0) return null;
  const example = examples[0]?.[column] ?? undefined;
  const quoted = example === undefined ? '' : JSON.stringify(example);
  const severity: Severity = count === totalRows ? 'error' : 'warning';
  switch (target.kind) {
    case 'unparsable-date': {
      const eg = example === undefined ? '' : ` (e.g. ${quoted})`;
      const message = `${rowsHave(count)} ${withArticle(column)} that is not a date${eg}`;
      return { kind: target.kind, severity, column, count, examples, message };
    }
    case 'non-numeric': {
      const comma = example !== undefined && /^\s*-?\d+,\d+\s*$/.test(example) ? '; decimal commas are not read as numbers' : '';
      const eg = example === undefined ? '' : ` (e.g. ${quoted}${comma})`;
      const infinite = example !== undefined && /^\s*[-+]?inf(inity)?\s*$/i.test(example);
      const message = `${rowsHave(count)} ${withArticle(column)} that is not a ${infinite ? 'finite number' : 'number'}${eg}`;
      return { kind: target.kind, canonical: target.canonical, severity, column, count, examples, message };
    }
    case 'missing-customer':
      return {
        kind: target.kind,
        severity: 'info',
        column,
        count,
        examples,
        message: `${rowsHave(count)} no ${column}; customer analyses leave them out`,
      };
    default:
      return assertNever(target);
  }
}

const SEVERITY_ORDER: Readonly<Record<Severity, number>> = { error: 0, warning: 1, info: 2 };

/** Assemble the report: issues sorted most severe first (stable), `ok` when none is an error. */
export function validationReport(
  source: string,
  profile: RetailProfile,
  totalRows: number,
  issues: readonly (ValidationIssue | null)[],
): ValidationReport {
  const found = issues.filter((issue): issue is ValidationIssue => issue !== null);
  const sorted = found
    .map((issue, index) => ({ issue, index }))
    .sort((a, b) => SEVERITY_ORDER[a.issue.severity] - SEVERITY_ORDER[b.issue.severity] || a.index - b.index)
    .map(({ issue }) => issue);
  return { source, layout: profile.layout, totalRows, issues: sorted, ok: sorted.every((issue) => issue.severity !== 'error') };
}

/** Cleaning rules in the order they apply; a row is counted under the first rule that drops it. */
export const CLEANING_RULES = ['missing-customer', 'cancelled', 'non-positive', 'unparsable-date', 'duplicate'] as const;
export type CleaningRule = (typeof CLEANING_RULES)[number];

export interface CleaningReport {
  readonly rowsIn: number;
  readonly rowsOut: number;
  /** Rows dropped by each rule; `rowsIn − Σ dropped = rowsOut`. */
  readonly dropped: Readonly<Record<CleaningRule, number>>;
}

/** What a cleaning rule drops, in a few words, for the report UI. */
export function describeCleaningRule(rule: CleaningRule): string {
  switch (rule) {
    case 'missing-customer':
      return 'rows without a customer';
    case 'cancelled':
      return 'cancelled invoices (number starting with C)';
    case 'non-positive':
      return 'rows whose quantity or unit price is zero, negative, not a number or infinite';
    case 'unparsable-date':
      return 'rows whose date could not be read';
    case 'duplicate':
      return 'exact duplicates (one copy kept)';
    default:
      return assertNever(rule);
  }
}

/**
 * The cleaning report from the counts row of `cleanSql` (numbers or BigInts), checking that the counts add up.
 * `cleaningReport({ rows_in: 10n, rows_out: 7n, 'missing-customer': 2n, cancelled: 1n, … })`.
 */
export function cleaningReport(row: Readonly<Record<string, unknown>>): CleaningReport {
  const count = (key: string): number => {
    const value = row[key];
    if (typeof value === 'bigint') return Number(value);
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    throw new Error(`cleaning count "${key}" is ${String(value)}, not a number`);
  };
  const dropped = Object.fromEntries(CLEANING_RULES.map((rule) => [rule, count(rule)])) as Record<CleaningRule, number>;
  const report: CleaningReport = { rowsIn: count('rows_in'), rowsOut: count('rows_out'), dropped };
  const droppedTotal = CLEANING_RULES.reduce((sum, rule) => sum + dropped[rule], 0);
  if (report.rowsIn - droppedTotal !== report.rowsOut) {
    throw new Error(`cleaning counts do not add up: ${report.rowsIn} in − ${droppedTotal} dropped ≠ ${report.rowsOut} out`);
  }
  return report;
}
