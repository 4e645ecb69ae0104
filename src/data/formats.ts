import { quoteIdent, quoteLiteral } from '../util/sql.ts';

/** File formats a user can load. JSON lines would need DuckDB's json extension, which we cannot load. */
export type FileFormat = 'csv' | 'tsv' | 'parquet';

/** The format named by a file's extension: `formatOf('sales.TSV')` → `'tsv'`; unknown → null. */
export function formatOf(fileName: string): FileFormat | null {
  const extension = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  switch (extension) {
    case 'csv':
    case 'txt':
      return 'csv';
    case 'tsv':
    case 'tab':
      return 'tsv';
    case 'parquet':
    case 'pq':
      return 'parquet';
    default:
      return null;
  }
}

export interface CsvReadOptions {
  readonly format: 'csv' | 'tsv';
  /** Force a delimiter instead of DuckDB's sniffing (TSV always uses a tab). */
  readonly delimiter?: string;
  /** Columns DuckDB must keep as text (ids like `17850.0` or `85123A`). */
  readonly textColumns?: readonly string[];
}

/**
 * The `read_csv(...)` call for a registered file:
 * `readCsvSql('a.csv', { format: 'csv', textColumns: ['CustomerID'] })`
 * → `read_csv('a.csv', header = true, types = {'CustomerID': 'VARCHAR'})`.
 */
export function readCsvSql(fileName: string, options: CsvReadOptions): string {
  const parts = [quoteLiteral(fileName), 'header = true'];
  const delimiter = options.format === 'tsv' ? '\t' : options.delimiter;
  if (delimiter !== undefined) parts.push(`delim = ${quoteLiteral(delimiter)}`);
  const text = options.textColumns ?? [];
  if (text.length > 0) {
    parts.push(`types = {${text.map((column) => `${quoteLiteral(column)}: 'VARCHAR'`).join(', ')}}`);
  }
  return `read_csv(${parts.join(', ')})`;
}

/**
 * DuckDB's sniffer falls back to one column when rows are ragged, which hides the real problem. A lone
 * column whose name holds a delimiter means that happened: `hiddenDelimiter(['a,b'])` → `','`.
 */
export function hiddenDelimiter(columnNames: readonly string[]): string | null {
  if (columnNames.length !== 1) return null;
  return /[,;|\t]/.exec(columnNames[0] ?? '')?.[0] ?? null;
}

/** `CREATE OR REPLACE TABLE` from a read expression; replacing is atomic, so a failed read keeps the old table. */
export function createTableFromSql(table: string, readExpression: string): string {
  return `CREATE OR REPLACE TABLE ${quoteIdent(table)} AS SELECT * FROM ${readExpression}`;
}
