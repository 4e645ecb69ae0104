import type { Database } from './ports.ts';
import { describe, type ColumnInfo } from './catalog.ts';
import { quoteIdent } from '../util/sql.ts';
import { isTextType } from '../util/column-types.ts';

/**
 * What to do with text that a spreadsheet would run as a formula (`=HYPERLINK(…)`, `+cmd|' /C calc'!A0`,
 * `@SUM(…)`): `neutralise` prefixes it with `'` (OWASP's advice for CSV injection); `keep` writes it as it is.
 */
export type FormulaHandling = 'neutralise' | 'keep';

/** The first characters that make a spreadsheet cell a formula (or its start: tab and carriage return), as SQL both engines read. */
const FORMULA_START = "('=', '+', '-', '@', chr(9), chr(13))";

/**
 * The SELECT whose result is written as CSV: text columns that start like a formula get a leading `'`.
 * `csvExportQuery('t', [{ name: 'note', type: 'VARCHAR' }], 'neutralise')`
 * → `SELECT CASE WHEN substr("note", 1, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || "note" ELSE "note" END AS "note" FROM "t"`
 */
export function csvExportQuery(relation: string, columns: readonly ColumnInfo[], formulas: FormulaHandling): string {
  if (formulas === 'keep' || !columns.some(isText)) return `SELECT * FROM ${quoteIdent(relation)}`;
  const select = columns.map((column) => {
    const name = quoteIdent(column.name);
    if (!isText(column)) return name;
    return `CASE WHEN substr(${name}, 1, 1) IN ${FORMULA_START} THEN '''' || ${name} ELSE ${name} END AS ${name}`;
  });
  return `SELECT ${select.join(', ')} FROM ${quoteIdent(relation)}`;
}

/** A table or view as CSV bytes, formulas neutralised unless asked to keep them. */
export async function exportTableCsv(db: Database, relation: string, formulas: FormulaHandling = 'neutralise'): Promise<Uint8Array> {
  const columns = formulas === 'keep' ? [] : await describe(db, quoteIdent(relation));
  return db.exportCsv(csvExportQuery(relation, columns, formulas));
}

const isText = (column: ColumnInfo): boolean => isTextType(column.type);
