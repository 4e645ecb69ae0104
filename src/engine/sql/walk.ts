/**
 * The walk over a statement's queries that finds the relations they read. Not a parser: it tracks only what
 * decides whether a name is a relation — bracket groups, FROM/JOIN item lists, query starts and CTE scopes —
 * so it keeps going through SQL it does not understand.
 */
import { isWord, wordOf, type Token } from './tokenize.ts';

/** A relation named in the SQL, as written: `"My Schema".sales` → `{ name: 'sales', schema: 'My Schema' }`. */
export interface TableReference {
  /** The last part of the name, unquoted, case as written. */
  readonly name: string;
  readonly schema?: string;
  readonly catalog?: string;
  /** Offsets of the whole qualified name in the SQL text. */
  readonly start: number;
  readonly end: number;
}

/** The CTE names visible at a point of a query; lookups are case-insensitive, as in DuckDB (quoted names too). */
export class Scope {
  constructor(
    private readonly parent: Scope | undefined,
    private readonly names: ReadonlySet<string>,
  ) {}

  has(name: string): boolean {
    const lower = name.toLowerCase();
    for (let scope: Scope | undefined = this; scope !== undefined; scope = scope.parent) if (scope.names.has(lower)) return true;
    return false;
  }

  with(names: readonly string[]): Scope {
    return names.length === 0 ? this : new Scope(this, new Set(names.map((name) => name.toLowerCase())));
  }
}

/** A relation a statement changes, replaces, creates or drops, and the statement that does it (`DROP TABLE`, `INSERT`). */
export interface TableWrite extends TableReference {
  readonly statement: string;
  /** What kind of object it is, lower case, when the statement says: `table`, `view`, `macro`, `schema`… */
  readonly object?: string;
}

/**
 * A statement that changes where every later name resolves or which databases are there (`USE`, `SET search_path`,
 * `DETACH`, `ATTACH … AS name`, `IMPORT DATABASE`): `name` is the database or schema it names, when it names one.
 */
export interface NamespaceChange {
  readonly statement: string;
  readonly name?: string;
  readonly start: number;
  readonly end: number;
}

export const EMPTY_SCOPE = new Scope(undefined, new Set());

/** How a scan starts: at a query (`SELECT`, `TABLE t`, `WITH`…), in a FROM list, in a PIVOT-like single item, or mid-expression. */
export type Start = 'query' | 'items' | 'single-item' | 'expression';

/** Where the scan is: an expression, a FROM item expected, just past one, or in its join condition. */
type Mode = 'expression' | 'item' | 'after-item' | 'condition';

/** PIVOT and its synonyms: a statement (or subquery) whose single source item comes first. */
const PIVOTS = new Set(['PIVOT', 'UNPIVOT', 'PIVOT_WIDER', 'PIVOT_LONGER']);
/** Words that begin a query, so a bracket group starting with one is a subquery. */
const QUERY_STARTS = new Set(['SELECT', 'WITH', 'FROM', 'VALUES', 'TABLE', 'DESCRIBE', 'SUMMARIZE', 'SHOW', ...PIVOTS]);
/** Clauses that end a FROM list (`DO` and `SET` for `INSERT … SELECT … FROM u ON CONFLICT DO UPDATE SET a = 1, b = 2`). */
const FROM_LIST_ENDS = new Set(['WHERE', 'GROUP', 'HAVING', 'QUALIFY', 'WINDOW', 'ORDER', 'LIMIT', 'OFFSET', 'FETCH', 'SELECT', 'RETURNING', 'DO', 'SET']);
const SET_OPERATIONS = new Set(['UNION', 'INTERSECT', 'EXCEPT']);
/** Deeper bracket nesting than this is not walked (a guard against stack overflow on pathological input). */
const MAX_DEPTH = 200;

export const isOpener = (token: Token | undefined): boolean =>
  token?.kind === 'punctuation' && (token.text === '(' || token.text === '[' || token.text === '{');
export const isPunctuation = (token: Token | undefined, text: string): boolean => token?.kind === 'punctuation' && token.text === text;

/**
 * For each opening bracket of `tokens`, the index of its closing bracket (`tokens.length` when it is never
 * closed); -1 elsewhere. A closing bracket that matches nothing is left as an ordinary token.
 */
function matchBrackets(tokens: readonly Token[]): Int32Array {
  const close = new Int32Array(tokens.length).fill(-1);
  const open: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token?.kind !== 'punctuation') continue;
    if (isOpener(token)) {
      open.push(i);
    } else if (token.text === ')' || token.text === ']' || token.text === '}') {
      const top = open[open.length - 1];
      if (top !== undefined && PAIRS[tokens[top]?.text ?? ''] === token.text) {
        close[top] = i;
        open.pop();
      }
    }
  }
  for (const unclosed of open) close[unclosed] = tokens.length;
  return close;
}

const PAIRS: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}' };

/** A dotted name: up to catalog.schema.name, each part an identifier or a quoted identifier. */
export interface QualifiedName {
  readonly parts: readonly string[];
  readonly start: number;
  readonly end: number;
  /** Index of the first token after the name. */
  readonly next: number;
}

/**
 * Walks the queries of one statement (`tokens`: that statement's tokens, no trivia, no `;`) and collects what
 * they read; `statement.ts` handles the statement around them and fills `writes`, `created` (the names a
 * CREATE TABLE/VIEW makes), `namespaceChanges` and `objects`.
 */
export class QueryWalker {
  readonly reads: TableReference[] = [];
  readonly writes: TableWrite[] = [];
  readonly created: TableReference[] = [];
  readonly namespaceChanges: NamespaceChange[] = [];
  /**
   * Objects a statement creates or drops that hold no rows (a schema, a macro, a sequence, a secret…): not data, so
   * the data guard does not look at them; the effects of a notebook list them.
   */
  readonly objects: TableWrite[] = [];
  private readonly close: Int32Array;
  private depth = 0;

  constructor(readonly tokens: readonly Token[]) {
    this.close = matchBrackets(tokens);
  }

  /**
   * The heart of the walk: a left-to-right pass over `tokens[from, to)` at one bracket level. FROM and JOIN
   * open an item list; a name at an item position is a relation unless a CTE in scope shadows it; bracket
   * groups are subqueries, parenthesised joins or expressions, each walked in turn.
   */
  scan(from: number, to: number, outer: Scope, start: Start): void {
    let scope = outer;
    let atQueryStart = start === 'query';
    let singleItem = start === 'single-item';
    let mode: Mode = start === 'items' || start === 'single-item' ? 'item' : 'expression';
    let i = from;
    while (i < to) {
      const token = this.tokens[i];
      if (token === undefined) break;
      const word = wordOf(token);
      if (atQueryStart) {
        atQueryStart = false;
        if (word === 'WITH') {
          const ctes = this.ctes(i, to, scope);
          scope = ctes.scope;
          i = ctes.next;
          atQueryStart = true;
          continue;
        }
        if (word === 'TABLE') {
          mode = 'item';
          singleItem = true;
          i++;
          continue;
        }
        if (word === 'DESCRIBE' || word === 'SUMMARIZE' || word === 'SHOW') {
          i = this.describe(i, to);
          if (i >= to) return;
          if (isOpener(this.tokens[i]) || QUERY_STARTS.has(wordOf(this.tokens[i]) ?? '')) atQueryStart = true;
          else {
            mode = 'item';
            singleItem = true;
          }
          continue;
        }
        if (word !== undefined && PIVOTS.has(word)) {
          mode = 'item';
          singleItem = true;
          i++;
          continue;
        }
      }
      if (isOpener(token)) {
        if (mode === 'item') {
          this.fromGroup(i, scope);
          mode = 'after-item';
        } else {
          this.group(i, scope, i > from ? wordOf(this.tokens[i - 1]) : undefined);
        }
        i = this.after(i);
        continue;
      }
      if (mode === 'item' && token.kind !== 'keyword') {
        i = this.item(i, to, scope);
        mode = 'after-item';
        continue;
      }
      if (mode === 'item' && word === 'LATERAL') {
        i++;
        continue;
      }
      if (word === 'FROM' && !this.isDistinctFrom(i, from)) {
        mode = 'item';
      } else if (word === 'JOIN') {
        mode = 'item';
      } else if ((word === 'ON' || word === 'USING') && (mode === 'after-item' || mode === 'condition')) {
        mode = singleItem ? 'expression' : 'condition';
      } else if (isPunctuation(token, ',') && (mode === 'after-item' || mode === 'condition') && !singleItem) {
        mode = 'item';
      } else if (word !== undefined && FROM_LIST_ENDS.has(word)) {
        mode = 'expression';
        singleItem = false;
      } else if (word !== undefined && SET_OPERATIONS.has(word)) {
        mode = 'expression';
        singleItem = false;
        atQueryStart = true;
        i++;
        if (isWord(this.tokens[i], 'ALL') || isWord(this.tokens[i], 'DISTINCT')) i++;
        if (isWord(this.tokens[i], 'BY') && isWord(this.tokens[i + 1], 'NAME')) i += 2;
        continue;
      }
      i++;
    }
  }

  /** One FROM item at `i`: a relation name (recorded), a table function `f(…)` (its arguments walked) or a literal. */
  private item(i: number, to: number, scope: Scope): number {
    const name = this.name(i, to);
    if (name === undefined) return i + 1; // 'file.csv', $param…: not a relation name
    if (isPunctuation(this.tokens[name.next], '(')) {
      this.group(name.next, scope, name.parts[name.parts.length - 1]?.toUpperCase());
      return this.after(name.next);
    }
    this.emit(name, scope);
    return name.next;
  }

  /** A bracket group where a FROM item belongs: a subquery, or a parenthesised join list `(a JOIN b ON …)`. */
  private fromGroup(open: number, scope: Scope): void {
    if (!this.enter()) return;
    const inner = open + 1;
    const end = this.close[open] ?? inner;
    if (this.startsQuery(inner, end)) this.scan(inner, end, scope, 'query');
    else if (isPunctuation(this.tokens[open], '(')) this.scan(inner, end, scope, 'items');
    else this.expression(inner, end, scope);
    this.depth--;
  }

  /**
   * A bracket group inside an expression: a subquery when it starts like one, else an expression whose own
   * groups are walked. `callee` is the word before it: `TRIM(FROM x)` is a function call, not `(FROM x)`.
   */
  group(open: number, scope: Scope, callee: string | undefined): void {
    if (!this.enter()) return;
    const inner = open + 1;
    const end = this.close[open] ?? inner;
    const trimFrom = callee === 'TRIM' && isWord(this.tokens[inner], 'FROM');
    if (isPunctuation(this.tokens[open], '(') && !trimFrom && this.startsQuery(inner, end)) this.scan(inner, end, scope, 'query');
    else this.expression(inner, end, scope);
    this.depth--;
  }

  /** Inside an expression only nested groups matter: `EXTRACT(year FROM d)` has no relation, `x IN (SELECT …)` may. */
  private expression(from: number, to: number, scope: Scope): void {
    for (let i = from; i < to; ) {
      if (isOpener(this.tokens[i])) {
        this.group(i, scope, i > from ? wordOf(this.tokens[i - 1]) : undefined);
        i = this.after(i);
      } else {
        i++;
      }
    }
  }

  /**
   * `WITH [RECURSIVE] a [(cols)] [USING KEY (…)] AS [NOT] [MATERIALIZED] (…), …` at `from`: walks each body and
   * returns the scope the rest of the query sees. As DuckDB resolves them, a body sees the CTEs before it but not
   * later ones, which name real tables; it sees itself only under RECURSIVE and with a UNION (DuckDB reads the
   * real table from `WITH RECURSIVE t AS (SELECT … FROM t)`).
   */
  ctes(from: number, to: number, scope: Scope): { next: number; scope: Scope } {
    let i = from + 1;
    const recursive = isWord(this.tokens[i], 'RECURSIVE');
    if (recursive) i++;
    const names: string[] = [];
    for (;;) {
      const nameToken = this.tokens[i];
      const name = nameToken?.kind === 'identifier' ? nameToken.text : nameToken?.kind === 'quoted-identifier' ? nameToken.value : undefined;
      if (name === undefined || i >= to) break;
      i++;
      if (isPunctuation(this.tokens[i], '(')) i = this.after(i);
      if (isWord(this.tokens[i], 'USING') && isWord(this.tokens[i + 1], 'KEY')) {
        i += 2;
        if (isPunctuation(this.tokens[i], '(')) i = this.after(i);
      }
      if (!isWord(this.tokens[i], 'AS')) break;
      i++;
      if (isWord(this.tokens[i], 'NOT')) i++;
      if (isWord(this.tokens[i], 'MATERIALIZED')) i++;
      if (!isPunctuation(this.tokens[i], '(')) break;
      const end = this.close[i] ?? i + 1;
      const selfReferent = recursive && this.hasUnion(i + 1, end);
      if (this.enter()) {
        this.scan(i + 1, end, scope.with(selfReferent ? [...names, name] : names), 'query');
        this.depth--;
      }
      names.push(name);
      i = this.after(i);
      if (!isPunctuation(this.tokens[i], ',')) break;
      i++;
    }
    return { next: Math.min(i, to), scope: scope.with(names) };
  }

  /**
   * Past `DESCRIBE`/`SUMMARIZE`/`SHOW` (and an optional TABLE) at `i`; `SHOW TABLES`, `SHOW ALL TABLES` and
   * `SHOW DATABASES` name no relation, so they skip to `to`.
   */
  private describe(i: number, to: number): number {
    const next = this.tokens[i + 1];
    if (isWord(this.tokens[i], 'SHOW') && (isWord(next, 'TABLES') || isWord(next, 'ALL') || isWord(next, 'DATABASES'))) return to;
    return isWord(next, 'TABLE') ? i + 2 : i + 1;
  }

  /** True if `tokens[from, to)` has a UNION outside brackets. */
  private hasUnion(from: number, to: number): boolean {
    for (let i = from; i < to; i = isOpener(this.tokens[i]) ? this.after(i) : i + 1) if (isWord(this.tokens[i], 'UNION')) return true;
    return false;
  }

  /** `x IS [NOT] DISTINCT FROM y`: a comparison, not a FROM clause. */
  private isDistinctFrom(i: number, from: number): boolean {
    if (i - 2 < from || !isWord(this.tokens[i - 1], 'DISTINCT')) return false;
    return isWord(this.tokens[i - 2], 'IS') || isWord(this.tokens[i - 2], 'NOT');
  }

  /** True if `tokens[i, to)` begins a query (looking through leading brackets: `((SELECT 1) UNION …)`). */
  private startsQuery(i: number, to: number): boolean {
    for (let at = i; at < to; at++) {
      const token = this.tokens[at];
      if (!isPunctuation(token, '(')) return QUERY_STARTS.has(wordOf(token) ?? '');
    }
    return false;
  }

  /** The dotted name at `i`, if any. Only the first part must not be a keyword (`main.select` is a name). */
  name(i: number, to: number): QualifiedName | undefined {
    const first = this.tokens[i];
    if (first === undefined || i >= to || (first.kind !== 'identifier' && first.kind !== 'quoted-identifier')) return undefined;
    const parts = [namePart(first) ?? ''];
    let next = i + 1;
    for (;;) {
      const part = this.tokens[next + 1];
      const partName = namePart(part);
      if (next + 1 >= to || !isPunctuation(this.tokens[next], '.') || partName === undefined) break;
      parts.push(partName);
      next += 2;
    }
    return { parts, start: first.start, end: this.tokens[next - 1]?.end ?? first.end, next };
  }

  /** Record a relation read, unless it is a CTE in scope (only an unqualified name can be one). */
  emit(name: QualifiedName, scope: Scope): void {
    if (name.parts.length === 1 && scope.has(name.parts[0] ?? '')) return;
    this.reads.push(reference(name));
  }

  /** The index just past the group opened at `open`. */
  after(open: number): number {
    return (this.close[open] ?? open) + 1;
  }

  private enter(): boolean {
    if (this.depth >= MAX_DEPTH) return false;
    this.depth++;
    return true;
  }
}

function namePart(token: Token | undefined): string | undefined {
  if (token === undefined) return undefined;
  switch (token.kind) {
    case 'identifier':
    case 'keyword':
      return token.text;
    case 'quoted-identifier':
      return token.value;
    default:
      return undefined;
  }
}

/** The reference a dotted name makes: its last three parts are catalog, schema and name. */
export function reference({ parts, start, end }: QualifiedName): TableReference {
  const name = parts[parts.length - 1] ?? '';
  const schema = parts[parts.length - 2];
  const catalog = parts[parts.length - 3];
  if (schema === undefined) return { name, start, end };
  if (catalog === undefined) return { name, schema, start, end };
  return { name, schema, catalog, start, end };
}
