import type { Database } from './ports.ts';
import { shapeOf, shapeSql, type ColumnInfo } from './catalog.ts';
import { dialectOf } from '../util/dialect/index.ts';

/** What running a SQL cell produced. A query's rows live in DuckDB as a table named after the cell. */
export type SqlOutcome =
  | { readonly kind: 'table'; readonly table: string; readonly rowCount: number; readonly columns: readonly ColumnInfo[] }
  | { readonly kind: 'statement' };

/** Statements whose rows can be kept with `CREATE TABLE … AS <sql>` directly. */
const QUERY_START = /^(select|with|from|values|table)\b/i;
/** Statements DuckDB only accepts as a subquery in CTAS (`AS SELECT * FROM (DESCRIBE t)`). */
const SUBQUERY_START = /^(describe|show|summarize|pivot|unpivot|explain)\b/i;

/**
 * Run a SQL cell. A query's result replaces the table `name` (atomically: a failing query leaves the previous
 * result in place); any other statement (CREATE, INSERT, SET…) runs as written.
 */
export async function runSql(
  db: Database,
  name: string,
  source: string,
  signal?: AbortSignal,
  params: readonly unknown[] = [],
): Promise<SqlOutcome> {
  const sql = stripTrailing(source);
  if (sql === '') return { kind: 'statement' };
  const start = leadingKeywordText(sql);
  const dialect = dialectOf(db);
  let create: string | null = null;
  if (QUERY_START.test(start)) create = dialect.createTableAs(name, sql);
  // Line breaks before what follows the user's SQL, so a trailing `-- comment` cannot swallow it.
  else if (SUBQUERY_START.test(start)) create = dialect.createTableAs(name, `SELECT * FROM (${sql}\n)`);
  if (create === null) {
    await db.query(sql, { signal, params });
    return { kind: 'statement' };
  }
  // One round trip when there is nothing to bind: a prepared statement holds a single statement only.
  const shape =
    params.length === 0
      ? await db.query(`${create}\n;\n${shapeSql(name, dialect)}`, { signal })
      : (await db.query(create, { signal, params }), await db.query(shapeSql(name, dialect), { signal }));
  return { kind: 'table', table: name, ...shapeOf(shape) };
}

/** True when `runSql` keeps the text's rows as the cell's table (a query), false when it runs it as a statement. */
export function keepsResult(source: string): boolean {
  const start = leadingKeywordText(source);
  return QUERY_START.test(start) || SUBQUERY_START.test(start);
}

/** The SQL from its first keyword on: comments, blank space and opening parentheses skipped. */
export function leadingKeywordText(sql: string): string {
  let rest = sql;
  for (;;) {
    const next = rest.replace(/^\s+/, '').replace(/^\(+/, '');
    if (next.startsWith('--')) {
      const newline = next.indexOf('\n');
      rest = newline === -1 ? '' : next.slice(newline + 1);
    } else if (next.startsWith('/*')) {
      const close = next.indexOf('*/');
      rest = close === -1 ? '' : next.slice(close + 2);
    } else {
      return next;
    }
  }
}

/** Drop trailing semicolons, blank space and line comments so the text can be wrapped in CTAS. */
function stripTrailing(source: string): string {
  const lines = source.split('\n');
  while (lines.length > 0 && /^\s*(--.*)?$/.test(lines[lines.length - 1] ?? '')) lines.pop();
  return lines.join('\n').replace(/[\s;]+$/, '');
}
