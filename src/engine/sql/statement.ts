/**
 * The statement around the queries: which name an INSERT, CREATE, UPDATE, DELETE, MERGE or COPY writes, and
 * where the queries it reads begin. The queries themselves are walked by `QueryWalker`.
 */
import { isWord, wordOf } from './tokenize.ts';
import { EMPTY_SCOPE, isOpener, isPunctuation, reference, type QueryWalker, type Scope } from './walk.ts';

/**
 * Walk one statement, `walker.tokens[from, to)` without its `;`, into `walker.reads`, `walker.writes` and
 * `walker.created`: `walkStatement(walker, 0, walker.tokens.length)`.
 */
export function walkStatement(walker: QueryWalker, from: number, to: number, scope: Scope = EMPTY_SCOPE): void {
  const tokens = walker.tokens;
  switch (wordOf(tokens[from])) {
    case 'WITH': {
      const { next, scope: inner } = walker.ctes(from, to, scope);
      return walkStatement(walker, next, to, inner);
    }
    case 'EXPLAIN': {
      const next = isWord(tokens[from + 1], 'ANALYZE') || isWord(tokens[from + 1], 'ANALYSE') ? from + 2 : from + 1;
      return walkStatement(walker, next, to, scope);
    }
    case 'INSERT':
      return insert(walker, from + 1, to, scope);
    case 'CREATE':
      return create(walker, from + 1, to, scope);
    case 'UPDATE':
      return target(walker, from + 1, to, scope, 'expression');
    case 'DELETE':
      return target(walker, isWord(tokens[from + 1], 'FROM') ? from + 2 : from + 1, to, scope, 'items');
    case 'MERGE':
      return target(walker, isWord(tokens[from + 1], 'INTO') ? from + 2 : from + 1, to, scope, 'single-item');
    case 'COPY':
      return copy(walker, from + 1, to, scope);
    default:
      return walker.scan(from, to, scope, 'query');
  }
}

/** `INSERT [OR REPLACE|IGNORE] INTO t [AS a] [(cols)] [BY NAME|POSITION] <query>`: t is written. */
function insert(walker: QueryWalker, from: number, to: number, scope: Scope): void {
  const tokens = walker.tokens;
  let i = from;
  if (isWord(tokens[i], 'OR')) i += 2;
  if (isWord(tokens[i], 'INTO')) i++;
  const written = walker.name(i, to);
  if (written === undefined) return walker.scan(i, to, scope, 'query');
  walker.writes.push(reference(written));
  i = written.next;
  if (isWord(tokens[i], 'AS')) i += 2;
  if (isPunctuation(tokens[i], '(')) {
    walker.group(i, scope, undefined);
    i = walker.after(i);
  }
  if (isWord(tokens[i], 'BY')) i += 2;
  walker.scan(i, to, scope, 'query');
}

/** `CREATE [OR REPLACE] [TEMP] TABLE|VIEW [IF NOT EXISTS] t [(…)] [AS <query>]`: t is created; other CREATEs are scanned. */
function create(walker: QueryWalker, from: number, to: number, scope: Scope): void {
  const tokens = walker.tokens;
  const isTableOrView = (at: number): boolean => isWord(tokens[at], 'TABLE') || isWord(tokens[at], 'VIEW');
  let i = from;
  while (i < to && !isTableOrView(i) && !isWord(tokens[i], 'AS') && !isOpener(tokens[i])) i++;
  if (!isTableOrView(i)) return walker.scan(from, to, scope, 'expression');
  i++;
  if (isWord(tokens[i], 'IF')) i += 3;
  const created = walker.name(i, to);
  if (created === undefined) return walker.scan(i, to, scope, 'expression');
  walker.writes.push(reference(created));
  walker.created.push(reference(created));
  i = created.next;
  if (isOpener(tokens[i])) {
    walker.group(i, scope, undefined);
    i = walker.after(i);
  }
  if (isWord(tokens[i], 'AS')) return walker.scan(i + 1, to, scope, 'query');
  walker.scan(i, to, scope, 'expression');
}

/**
 * UPDATE/DELETE/MERGE: the target is written; what is read follows `FROM` (UPDATE), `USING a, b` (DELETE) or
 * `USING source` (MERGE, a single item: its ON condition is followed by `WHEN … SET a = 1, b = 2`, not more items).
 */
function target(walker: QueryWalker, from: number, to: number, scope: Scope, using: 'expression' | 'items' | 'single-item'): void {
  const tokens = walker.tokens;
  const written = walker.name(from, to);
  if (written === undefined) return walker.scan(from, to, scope, 'expression');
  walker.writes.push(reference(written));
  let i = written.next;
  if (using !== 'expression') {
    if (isWord(tokens[i], 'AS')) i += 2;
    else if (tokens[i]?.kind === 'identifier' || tokens[i]?.kind === 'quoted-identifier') i++;
    if (isWord(tokens[i], 'USING')) return walker.scan(i + 1, to, scope, using);
  }
  walker.scan(i, to, scope, 'expression');
}

/** `COPY t TO …` reads t, `COPY t FROM …` writes it, `COPY (query) TO …` reads what the query reads. */
function copy(walker: QueryWalker, from: number, to: number, scope: Scope): void {
  const tokens = walker.tokens;
  if (isWord(tokens[from], 'FROM')) return; // COPY FROM DATABASE a TO b: databases, not tables
  const source = walker.name(from, to);
  if (source === undefined) return walker.scan(from, to, scope, 'query');
  let i = source.next;
  if (isOpener(tokens[i])) i = walker.after(i);
  if (isWord(tokens[i], 'FROM')) walker.writes.push(reference(source));
  else walker.emit(source, scope);
  walker.scan(i + 1, to, scope, 'expression');
}
