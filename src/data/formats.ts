import { quoteIdent, quoteLiteral } from '../util/sql.ts';
import { LOADED_DATA_COMMENT, viewKindSql } from '../util/dialect/duckdb.ts';

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
  /** Force a delimiter instead of DuckDB's sniffing (TSV uses a tab unless told otherwise). */
  readonly delimiter?: string;
  /** Columns DuckDB must keep as text (ids like `17850.0` or `85123A`). */
  readonly textColumns?: readonly string[];
  /** Column name → DuckDB type chosen by the user; wins over `textColumns`. */
  readonly columnTypes?: Readonly<Record<string, string>>;
  /** False: the first line is data (default true). */
  readonly header?: boolean;
  /** Column names for a file without a header; DuckDB names them `column0`, `column1`, … otherwise. */
  readonly names?: readonly string[];
  /** The quote character when it is not `"`; '' for none. */
  readonly quote?: string;
  /** Lines to skip before the header or the first record. */
  readonly skip?: number;
  readonly decimalSeparator?: '.' | ',';
  readonly dateFormat?: string;
  readonly timestampFormat?: string;
  readonly gzip?: boolean;
}

/**
 * The `read_csv(...)` call for a registered file:
 * `readCsvSql('a.csv', { format: 'csv', textColumns: ['CustomerID'] })`
 * → `read_csv('a.csv', header = true, types = {'CustomerID': 'VARCHAR'})`.
 */
export function readCsvSql(fileName: string, options: CsvReadOptions): string {
  const parts = [quoteLiteral(fileName), `header = ${options.header ?? true}`];
  const delimiter = options.delimiter ?? (options.format === 'tsv' ? '\t' : undefined);
  if (delimiter !== undefined) parts.push(`delim = ${quoteLiteral(delimiter)}`);
  if (options.quote !== undefined && options.quote !== '"') parts.push(`quote = ${quoteLiteral(options.quote)}`);
  if (options.skip !== undefined && options.skip > 0) parts.push(`skip = ${Math.floor(options.skip)}`);
  if (options.names !== undefined && options.names.length > 0) parts.push(`names = [${options.names.map(quoteLiteral).join(', ')}]`);
  if (options.decimalSeparator === ',') parts.push("decimal_separator = ','");
  if (options.dateFormat !== undefined) parts.push(`dateformat = ${quoteLiteral(options.dateFormat)}`);
  if (options.timestampFormat !== undefined) parts.push(`timestampformat = ${quoteLiteral(options.timestampFormat)}`);
  if (options.gzip) parts.push("compression = 'gzip'");
  const types = new Map<string, string>((options.textColumns ?? []).map((column) => [column, 'VARCHAR']));
  for (const [column, type] of Object.entries(options.columnTypes ?? {})) types.set(column, type);
  if (types.size > 0) {
    parts.push(`types = {${[...types].map(([column, type]) => `${quoteLiteral(column)}: ${quoteLiteral(type)}`).join(', ')}}`);
  }
  return `read_csv(${parts.join(', ')})`;
}

/**
 * What a relation name holds now, so the right DROP or ALTER is issued (DuckDB refuses `DROP TABLE` on a view and the
 * reverse): a table, a view, or a `file` — a loaded file read in place, data like a loaded table but a view to DuckDB.
 */
export type RelationKind = 'table' | 'view' | 'file' | null;

/** `TABLE` or `VIEW`: the word DROP, ALTER and COMMENT ON take for a relation of this kind. */
export function relationKeyword(kind: Exclude<RelationKind, null>): 'TABLE' | 'VIEW' {
  return kind === 'table' ? 'TABLE' : 'VIEW';
}

/** The query answering `RelationKind` for a name (case-insensitively, as DuckDB resolves names): one row, `t` = 'table' or `v` = 'view' or 'file' (else NULL). */
export function relationKindSql(name: string): string {
  const literal = quoteLiteral(name);
  return `SELECT (SELECT 'table' FROM duckdb_tables() WHERE NOT temporary AND lower(table_name) = lower(${literal}) AND schema_name = current_schema() LIMIT 1) AS t,
       (SELECT ${viewKindSql('comment')} FROM duckdb_views() WHERE NOT temporary AND NOT internal AND lower(view_name) = lower(${literal}) AND schema_name = current_schema() LIMIT 1) AS v`;
}

/**
 * One transaction that puts the freshly written `staging` table in place of `table`, whatever `table` was (a table,
 * a view, a file read in place, nothing): until COMMIT the old one is untouched, so a failure leaves it as it was.
 * `swapInSql('__s', 'sales', 'view')` → `BEGIN; DROP VIEW "sales"; ALTER TABLE "__s" RENAME TO "sales"; COMMIT;`.
 */
export function swapInSql(staging: string, table: string, existing: RelationKind): string {
  const drop = existing === null ? '' : ` DROP ${relationKeyword(existing)} ${quoteIdent(table)};`;
  return `BEGIN;${drop} ALTER TABLE ${quoteIdent(staging)} RENAME TO ${quoteIdent(table)}; COMMIT;`;
}

/**
 * Put `staging` in place of `table` (see `swapInSql`) with `query`. The name usually holds a table or nothing, so
 * that is tried first: a view of that name makes DuckDB refuse its DROP TABLE, changing nothing, and the swap is made
 * again for what the catalog says is there. On every model output and import, one catalog query fewer: it took 17–42
 * ms in DuckDB-WASM. Returns once `staging` is gone (renamed); a failure leaves both as they were.
 */
export async function swapIn(query: (sql: string) => Promise<{ get(row: number): unknown }>, staging: string, table: string): Promise<void> {
  try {
    await query(`BEGIN; DROP TABLE IF EXISTS ${quoteIdent(table)}; ALTER TABLE ${quoteIdent(staging)} RENAME TO ${quoteIdent(table)}; COMMIT;`);
  } catch {
    const row = (await query(relationKindSql(table))).get(0) as { t?: RelationKind; v?: RelationKind } | null;
    await query(swapInSql(staging, table, row?.t ?? row?.v ?? null));
  }
}

/**
 * One transaction that makes `view` read the Parquet file at `path` in place of whatever `view` was, marked as loaded
 * data (kind `file`). `inPlaceViewSql('sales', '/scratch/1-sales.parquet', 'table')`.
 */
export function inPlaceViewSql(view: string, path: string, existing: RelationKind): string {
  const drop = existing === null ? '' : ` DROP ${relationKeyword(existing)} ${quoteIdent(view)};`;
  return `BEGIN;${drop} CREATE VIEW ${quoteIdent(view)} AS SELECT * FROM read_parquet(${quoteLiteral(path)}); COMMENT ON VIEW ${quoteIdent(view)} IS ${quoteLiteral(LOADED_DATA_COMMENT)}; COMMIT;`;
}

/** Options of a baskets read: the delimiter (one character, or 'whitespace'), the quote, lines to skip, an id column. */
export interface BasketReadOptions {
  readonly delimiter: string;
  readonly quote: string;
  readonly skip: number;
  readonly basketIdColumn: boolean;
  readonly gzip: boolean;
}

/** Never in a text file's line: DuckDB reads each whole line as the one column. */
const LINE_DELIMITER = '\u001f';

/**
 * `SELECT basket_id, item` over a registered basket file: one basket per non-blank line (numbered from 1, or named by
 * the line's first field), one row per non-empty item, items trimmed and unquoted.
 */
export function basketSelectSql(fileName: string, options: BasketReadOptions): string {
  const read = [
    quoteLiteral(fileName),
    'header = false',
    "columns = {'line': 'VARCHAR'}",
    `delim = ${quoteLiteral(LINE_DELIMITER)}`,
    "quote = ''",
    "escape = ''",
    ...(options.skip > 0 ? [`skip = ${Math.floor(options.skip)}`] : []),
    ...(options.gzip ? ["compression = 'gzip'"] : []),
  ].join(', ');
  const blank = quoteLiteral(' \t\r');
  const split =
    options.delimiter === 'whitespace'
      ? `regexp_split_to_array(trim(line, ${blank}), '[ \t]+')`
      : `string_split(line, ${quoteLiteral(options.delimiter)})`;
  const strip = quoteLiteral(` \t\r${options.quote}`);
  const id = options.basketIdColumn ? `trim(parts[1], ${strip})` : 'line_no';
  const items = options.basketIdColumn ? 'parts[2:]' : 'parts';
  return `SELECT basket_id, item FROM (
  SELECT ${id} AS basket_id, trim(unnest(${items}), ${strip}) AS item
  FROM (SELECT row_number() OVER () AS line_no, ${split} AS parts FROM read_csv(${read}) WHERE trim(line, ${blank}) <> '')
) WHERE item <> ''`;
}
