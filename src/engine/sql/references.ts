/**
 * What a SQL cell reads: the relations it names and its `$name` parameters, found with our own tokenizer
 * (DuckDB's `json_serialize_sql` lives in the json extension, which we cannot load).
 */
import { closestName } from '../../util/names.ts';
import { tokenize, type Token } from './tokenize.ts';
import { walkStatement } from './statement.ts';
import { QueryWalker, type NamespaceChange, type TableReference, type TableWrite } from './walk.ts';

export type { NamespaceChange, TableReference, TableWrite } from './walk.ts';

/** The relations and parameters of a SQL text, in source order. */
export interface SqlReads {
  /** Every relation read (each occurrence, CTEs and aliases excluded); the caller resolves names case-insensitively. */
  readonly tables: readonly TableReference[];
  /**
   * Relations written, each with its statement: targets of CREATE TABLE/VIEW, INSERT, UPDATE, DELETE, MERGE,
   * `COPY t FROM`, DROP, ALTER (and the new name of `RENAME TO`), TRUNCATE and COMMENT ON.
   */
  readonly writes: readonly TableWrite[];
  /** Statements that move where names resolve or which databases exist: USE, SET search_path, DETACH, ATTACH … AS… */
  readonly namespaceChanges: readonly NamespaceChange[];
  /** `$name` parameters in order of first use, each once (positional `$1` and `?` are not listed). */
  readonly parameters: readonly string[];
}

/**
 * The relations a SQL text reads and writes, and its named parameters. Never throws.
 * A relation created by an earlier statement of the same text (`CREATE TEMP TABLE x …; SELECT * FROM x`) is the
 * text's own, so later reads of it (same spelling, case aside) are not listed.
 * `sqlReads('WITH a AS (SELECT * FROM b) SELECT * FROM a, main.c WHERE d > $min').tables.map((t) => t.name)` → `['b', 'c']`.
 */
export function sqlReads(sql: string): SqlReads {
  const tokens = tokenize(sql, { trivia: false });
  const tables: TableReference[] = [];
  const writes: TableWrite[] = [];
  const namespaceChanges: NamespaceChange[] = [];
  const created = new Set<string>();
  for (const statement of statements(tokens)) {
    const walker = new QueryWalker(statement);
    walkStatement(walker, 0, statement.length);
    for (const read of walker.reads) if (created.size === 0 || !created.has(referenceKey(read))) tables.push(read);
    writes.push(...walker.writes);
    namespaceChanges.push(...walker.namespaceChanges);
    for (const table of walker.created) created.add(referenceKey(table));
  }
  const bySource = (a: TableReference, b: TableReference): number => a.start - b.start;
  return { tables: tables.sort(bySource), writes: writes.sort(bySource), namespaceChanges, parameters: namedParameters(tokens) };
}

/** Raised by `bindParameters` for a `$name` that is not among the known names. */
export class UnknownParameterError extends Error {
  override readonly name = 'UnknownParameterError';
  constructor(
    readonly parameter: string,
    readonly suggestion: string | undefined,
    known: readonly string[],
  ) {
    const hint =
      suggestion !== undefined
        ? ` (did you mean $${suggestion}?)`
        : known.length === 0
          ? ' (no parameters are defined)'
          : ` (known: ${known.map((name) => `$${name}`).join(', ')})`;
    super(`unknown parameter $${parameter}${hint}`);
  }
}

/**
 * Rewrite each `$name` to a positional `$k` so a prepared statement can bind the values (DuckDB-WASM binds
 * by position); values are never spliced into the SQL. `order[k - 1]` is the name bound to `$k`, spelled as in
 * `names`; a name used twice gets the same `$k`; everything else is left byte for byte.
 * Throws UnknownParameterError for a name not in `names` (matched exactly, else case-insensitively), and an
 * Error when the SQL also has positional parameters, whose numbers would clash.
 * `bindParameters('SELECT * FROM sales WHERE country = $country AND amount > $min OR country = $country', ['min', 'country'])`
 * → `{ sql: 'SELECT * FROM sales WHERE country = $1 AND amount > $2 OR country = $1', order: ['country', 'min'] }`.
 */
export function bindParameters(sql: string, names: readonly string[]): { sql: string; order: readonly string[] } {
  const order: string[] = [];
  const positionOf = new Map<string, number>();
  const pieces: string[] = [];
  let copiedTo = 0;
  let positional: Token | undefined;
  for (const token of tokenize(sql)) {
    if (token.kind === 'positional-parameter') positional ??= token;
    if (token.kind !== 'named-parameter') continue;
    const name = resolveParameter(token.name, names);
    let position = positionOf.get(name);
    if (position === undefined) {
      order.push(name);
      position = order.length;
      positionOf.set(name, position);
    }
    pieces.push(sql.slice(copiedTo, token.start), `$${position}`);
    copiedTo = token.end;
  }
  if (positional !== undefined && order.length > 0) {
    throw new Error(
      `cannot bind $${order[0] ?? ''}: the SQL also has the positional parameter ${positional.text} (at offset ${positional.start}); use $name parameters only`,
    );
  }
  pieces.push(sql.slice(copiedTo));
  return { sql: pieces.join(''), order };
}

function resolveParameter(parameter: string, names: readonly string[]): string {
  if (names.includes(parameter)) return parameter;
  const lower = parameter.toLowerCase();
  const caseless = names.find((name) => name.toLowerCase() === lower);
  if (caseless !== undefined) return caseless;
  throw new UnknownParameterError(parameter, closestName(parameter, names), names);
}

/** The statements of a token list: runs between `;` tokens, empty ones dropped. */
function statements(tokens: readonly Token[]): Token[][] {
  const result: Token[][] = [];
  let from = 0;
  for (let i = 0; i <= tokens.length; i++) {
    const token = tokens[i];
    if (token !== undefined && !(token.kind === 'punctuation' && token.text === ';')) continue;
    if (i > from) result.push(tokens.slice(from, i));
    from = i + 1;
  }
  return result;
}

function namedParameters(tokens: readonly Token[]): string[] {
  const seen = new Set<string>();
  for (const token of tokens) if (token.kind === 'named-parameter') seen.add(token.name);
  return [...seen];
}

/** `Main.Sales` and `main.sales` are one relation to DuckDB. */
function referenceKey(table: TableReference): string {
  return [table.catalog, table.schema, table.name].map((part) => part?.toLowerCase() ?? '').join('\u0000');
}

export { statements as splitStatements };
