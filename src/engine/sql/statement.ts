/**
 * The statement around the queries: which name an INSERT, CREATE, UPDATE, DELETE, MERGE, COPY, DROP, ALTER,
 * TRUNCATE or COMMENT ON writes, which statements move where names resolve (USE, SET search_path, DETACH…), and
 * where the queries it reads begin. The queries themselves are walked by `QueryWalker`.
 */
import { isWord, wordOf, type Token } from './tokenize.ts';
import { EMPTY_SCOPE, isOpener, isPunctuation, reference, type QualifiedName, type QueryWalker, type Scope } from './walk.ts';

/**
 * Walk one statement, `walker.tokens[from, to)` without its `;`, into `walker.reads`, `walker.writes`,
 * `walker.created`, `walker.namespaceChanges` and `walker.objects`: `walkStatement(walker, 0, walker.tokens.length)`.
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
    case 'PREPARE': {
      // `PREPARE name [(types)] AS <statement>`: the statement is what EXECUTE will run.
      let i = from + 2;
      if (isOpener(tokens[i])) i = walker.after(i);
      return isWord(tokens[i], 'AS') ? walkStatement(walker, i + 1, to, scope) : undefined;
    }
    case 'INSERT':
      return insert(walker, from + 1, to, scope);
    case 'CREATE':
      return create(walker, from + 1, to, scope);
    case 'UPDATE':
      return target(walker, 'UPDATE', from + 1, to, scope, 'expression');
    case 'DELETE':
      return target(walker, 'DELETE', isWord(tokens[from + 1], 'FROM') ? from + 2 : from + 1, to, scope, 'items');
    case 'MERGE':
      return target(walker, 'MERGE', isWord(tokens[from + 1], 'INTO') ? from + 2 : from + 1, to, scope, 'single-item');
    case 'COPY':
      return copy(walker, from + 1, to, scope);
    case 'DROP':
      return drop(walker, from + 1, to);
    case 'ALTER':
      return alter(walker, from + 1, to, scope);
    case 'TRUNCATE':
      return written(walker, 'TRUNCATE', walker.name(isWord(tokens[from + 1], 'TABLE') ? from + 2 : from + 1, to), 'table');
    case 'COMMENT':
      return comment(walker, from + 1, to);
    case 'USE':
      return changeNamespace(walker, 'USE', from + 1, to);
    case 'DETACH':
      return changeNamespace(walker, 'DETACH', from + 1, to);
    case 'IMPORT':
      return changeNamespace(walker, 'IMPORT DATABASE', from + 1, to);
    case 'ATTACH':
      return attach(walker, from, to);
    case 'SET':
    case 'RESET':
      return setting(walker, from, to, scope);
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
  const target = walker.name(i, to);
  if (target === undefined) return walker.scan(i, to, scope, 'query');
  written(walker, 'INSERT', target, 'table');
  i = target.next;
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
  if (!isTableOrView(i)) {
    createdObject(walker, from, to);
    return walker.scan(from, to, scope, 'expression');
  }
  const statement = words(tokens, from - 1, i + 1);
  const object = wordOf(tokens[i])?.toLowerCase();
  i++;
  if (isWord(tokens[i], 'IF')) i += 3;
  const created = walker.name(i, to);
  if (created === undefined) return walker.scan(i, to, scope, 'expression');
  written(walker, statement, created, object);
  walker.created.push(reference(created));
  i = created.next;
  if (isOpener(tokens[i])) {
    walker.group(i, scope, undefined);
    i = walker.after(i);
  }
  if (isWord(tokens[i], 'AS')) return walker.scan(i + 1, to, scope, 'query');
  walker.scan(i, to, scope, 'expression');
}

/** Words between CREATE and the kind of object: `CREATE OR REPLACE TEMP MACRO`, `CREATE UNIQUE INDEX`. */
const CREATE_MODIFIERS = new Set(['OR', 'REPLACE', 'TEMP', 'TEMPORARY', 'PERSISTENT', 'UNIQUE']);

/** `CREATE [modifiers] MACRO|SEQUENCE|SCHEMA|SECRET|… [IF NOT EXISTS] name …`: an object that holds no rows. */
function createdObject(walker: QueryWalker, from: number, to: number): void {
  const tokens = walker.tokens;
  let i = from;
  while (CREATE_MODIFIERS.has(wordOf(tokens[i]) ?? '')) i++;
  const kind = wordOf(tokens[i]);
  if (kind === undefined || !OBJECT_KINDS.has(kind)) return;
  const statement = words(tokens, from - 1, i + 1);
  i++;
  if (isWord(tokens[i], 'IF')) i += 3;
  const name = walker.name(i, to);
  if (name !== undefined) walker.objects.push({ ...reference(name), statement, object: kind.toLowerCase() });
}

/**
 * UPDATE/DELETE/MERGE: the target is written; what is read follows `FROM` (UPDATE), `USING a, b` (DELETE) or
 * `USING source` (MERGE, a single item: its ON condition is followed by `WHEN … SET a = 1, b = 2`, not more items).
 */
function target(walker: QueryWalker, statement: string, from: number, to: number, scope: Scope, using: 'expression' | 'items' | 'single-item'): void {
  const tokens = walker.tokens;
  const target = walker.name(from, to);
  if (target === undefined) return walker.scan(from, to, scope, 'expression');
  written(walker, statement, target, 'table');
  let i = target.next;
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
  // COPY FROM DATABASE a TO b copies every table of a into b, whatever their names.
  if (isWord(tokens[from], 'FROM')) return changeNamespace(walker, 'COPY FROM DATABASE', from + 1, to);
  const source = walker.name(from, to);
  if (source === undefined) return walker.scan(from, to, scope, 'query');
  let i = source.next;
  if (isOpener(tokens[i])) i = walker.after(i);
  if (isWord(tokens[i], 'FROM')) written(walker, 'COPY … FROM', source, 'table');
  else walker.emit(source, scope);
  walker.scan(i + 1, to, scope, 'expression');
}

/** Kinds of object a DROP or ALTER names before the object's name. */
const OBJECT_KINDS = new Set(['TABLE', 'VIEW', 'SEQUENCE', 'MACRO', 'FUNCTION', 'INDEX', 'TYPE', 'SCHEMA', 'SECRET', 'DATABASE']);

/** Past the object kind at `from` (`[TEMP|PERSISTENT] TABLE`, `MACRO TABLE`, `VIEW`…) and an optional IF EXISTS. */
function pastObjectKind(tokens: readonly Token[], from: number): { kind: string | undefined; next: number } {
  let i = from;
  if (isWord(tokens[i], 'TEMP') || isWord(tokens[i], 'TEMPORARY') || isWord(tokens[i], 'PERSISTENT')) i++;
  const kind = OBJECT_KINDS.has(wordOf(tokens[i]) ?? '') ? wordOf(tokens[i]) : undefined;
  if (kind !== undefined) i++;
  if (kind === 'MACRO' && isWord(tokens[i], 'TABLE')) i++;
  const next = isWord(tokens[i], 'IF') && isWord(tokens[i + 1], 'EXISTS') ? i + 2 : i;
  return { kind, next };
}

/**
 * `DROP [TEMP] TABLE|VIEW|… [IF EXISTS] a, b [CASCADE]`: each name is written. `DROP SCHEMA main` (or temp) would
 * take every table with it, so it is a namespace change; other schemas hold no loaded data.
 */
function drop(walker: QueryWalker, from: number, to: number): void {
  const tokens = walker.tokens;
  const { kind, next } = pastObjectKind(tokens, from);
  const statement = kind === undefined ? 'DROP' : `DROP ${kind}`;
  let i = next;
  for (;;) {
    const name = walker.name(i, to);
    if (name === undefined) return;
    const last = name.parts[name.parts.length - 1]?.toLowerCase() ?? '';
    if (kind === 'DATABASE' || (kind === 'SCHEMA' && (last === 'main' || last === 'temp'))) {
      walker.namespaceChanges.push({ statement, name: last, start: name.start, end: name.end });
    }
    if (kind === 'DATABASE' || kind === 'SCHEMA') walker.objects.push({ ...reference(name), statement, object: kind.toLowerCase() });
    else written(walker, statement, name, kind?.toLowerCase());
    i = name.next;
    if (!isPunctuation(tokens[i], ',')) return;
    i++;
  }
}

/**
 * `ALTER TABLE|VIEW|… [IF EXISTS] t …`: t is written; `… RENAME TO u` writes u too (a relation renamed onto a
 * loaded table's name would stand in for it). `ALTER TABLE t RENAME [COLUMN] a TO b` renames a column, not t.
 */
function alter(walker: QueryWalker, from: number, to: number, scope: Scope): void {
  const tokens = walker.tokens;
  const { kind, next } = pastObjectKind(tokens, from);
  const altered = walker.name(next, to);
  if (altered === undefined) return walker.scan(next, to, scope, 'expression');
  written(walker, kind === undefined ? 'ALTER' : `ALTER ${kind}`, altered, kind?.toLowerCase());
  for (let at = altered.next; at < to; at++) {
    if (isWord(tokens[at], 'RENAME') && isWord(tokens[at + 1], 'TO')) written(walker, 'RENAME TO', walker.name(at + 2, to), kind?.toLowerCase());
  }
  walker.scan(altered.next, to, scope, 'expression');
}

/** `COMMENT ON TABLE t IS …` writes t; `COMMENT ON COLUMN t.c IS …` writes t (the name's last part is the column). */
function comment(walker: QueryWalker, from: number, to: number): void {
  const tokens = walker.tokens;
  if (!isWord(tokens[from], 'ON')) return;
  const isColumn = isWord(tokens[from + 1], 'COLUMN');
  const name = walker.name(from + 2, to);
  if (name === undefined) return;
  if (!isColumn) return written(walker, 'COMMENT ON', name, wordOf(tokens[from + 1])?.toLowerCase());
  if (name.parts.length < 2) return;
  written(walker, 'COMMENT ON', { ...name, parts: name.parts.slice(0, -1) }, 'table');
}

/**
 * `USE db.schema`, `DETACH [DATABASE] [IF EXISTS] db`, `IMPORT DATABASE 'dir'`, `COPY FROM DATABASE a TO b`: every
 * later name may resolve elsewhere, or tables appear whose names the text does not show.
 */
function changeNamespace(walker: QueryWalker, statement: string, from: number, to: number): void {
  const tokens = walker.tokens;
  let i = from;
  while (isWord(tokens[i], 'DATABASE') || isWord(tokens[i], 'IF') || isWord(tokens[i], 'EXISTS')) i++;
  const name = walker.name(i, to);
  const last = name?.parts[name.parts.length - 1]?.toLowerCase();
  const start = tokens[from - 1]?.start ?? 0;
  const end = tokens[to - 1]?.end ?? start;
  walker.namespaceChanges.push(last === undefined ? { statement, start, end } : { statement, name: last, start, end });
}

/** `ATTACH 'file' [AS name] (…)`: a database named `name`. Without AS DuckDB names it after the file. */
function attach(walker: QueryWalker, from: number, to: number): void {
  const tokens = walker.tokens;
  for (let i = from + 1; i < to; i++) {
    if (!isWord(tokens[i], 'AS')) continue;
    const alias = walker.name(i + 1, to);
    if (alias !== undefined) {
      walker.namespaceChanges.push({ statement: 'ATTACH … AS', name: alias.parts[alias.parts.length - 1]?.toLowerCase(), start: alias.start, end: alias.end });
    }
    return;
  }
}

/** `SET [SESSION|GLOBAL|LOCAL] search_path|schema …` and `RESET` of them move where unqualified names resolve. */
function setting(walker: QueryWalker, from: number, to: number, scope: Scope): void {
  const tokens = walker.tokens;
  let i = from + 1;
  if (isWord(tokens[i], 'SESSION') || isWord(tokens[i], 'GLOBAL') || isWord(tokens[i], 'LOCAL')) i++;
  const variable = wordOf(tokens[i]);
  if (variable === 'SEARCH_PATH' || variable === 'SCHEMA') {
    walker.namespaceChanges.push({ statement: `${wordOf(tokens[from])} ${variable.toLowerCase()}`, start: tokens[from]?.start ?? 0, end: tokens[to - 1]?.end ?? 0 });
  }
  walker.scan(i, to, scope, 'expression');
}

/** Record a write of `name` (when there is one) by `statement`, of an `object` (`table`, `view`…) when the statement says. */
function written(walker: QueryWalker, statement: string, name: QualifiedName | undefined, object?: string): void {
  if (name !== undefined) walker.writes.push({ ...reference(name), statement, ...(object === undefined ? {} : { object }) });
}

/** The bare words of `tokens[from, to)` in upper case, one space apart: `CREATE OR REPLACE VIEW`. */
function words(tokens: readonly Token[], from: number, to: number): string {
  const spelled: string[] = [];
  for (let i = Math.max(0, from); i < to; i++) {
    const word = wordOf(tokens[i]);
    if (word !== undefined) spelled.push(word);
  }
  return spelled.join(' ');
}
