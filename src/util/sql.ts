/** Quote an identifier for DuckDB: `quoteIdent('my "t"')` → `"my ""t"""`. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quote a string literal for DuckDB: `quoteLiteral("O'Neil")` → `'O''Neil'`. */
export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * A table name a user can type without quotes, derived from a file name:
 * `tableNameFromFile('Online Retail (2011).csv')` → `online_retail_2011`.
 */
export function tableNameFromFile(fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/, '').replace(/\.(csv|tsv|txt|parquet|pq|jsonl|ndjson|json|xlsx|xlsm|xls)(\.gz)?$/i, '');
  const cleaned = base
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .replace(/_+/g, '_');
  const name = cleaned || 'data';
  return /^[0-9]/.test(name) ? `t_${name}` : name;
}
