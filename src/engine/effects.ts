/**
 * What a notebook's SQL would do if it ran: per SQL cell the tables it reads, the objects it creates, changes or
 * drops, and the statements that are more than a plain query. Shown before a notebook from outside first runs.
 */
import { isNamed, type Notebook } from './notebook.ts';
import { keepsResult } from './run-sql.ts';
import { splitStatements } from './sql/references.ts';
import { walkStatement } from './sql/statement.ts';
import { isWord, tokenize, wordOf, type Token } from './sql/tokenize.ts';
import { EMPTY_SCOPE, QueryWalker, isPunctuation, type TableReference, type TableWrite } from './sql/walk.ts';

/** What a statement does to a named object. */
export type EffectAction = 'creates' | 'replaces' | 'inserts into' | 'updates' | 'deletes from' | 'merges into' | 'copies into' | 'drops' | 'alters' | 'empties' | 'comments on';

/** One object a statement writes: `{ action: 'drops', object: 'table', name: 'sales' }`. */
export interface ObjectEffect {
  readonly action: EffectAction;
  /** `table`, `view`, `macro`, `sequence`…, lower case. */
  readonly object: string;
  /** As written, qualified parts joined by dots: `main.sales`. */
  readonly name: string;
}

/** A statement that is more than a plain query, and why it is shown. */
export interface FlaggedStatement {
  /** The statement, blanks collapsed, cut at about 100 characters. */
  readonly statement: string;
  /** In words, for a person: `drops table sales`, `reads a file or URL (read_csv)`. */
  readonly reason: string;
}

/** What one SQL cell would do. */
export interface SqlCellEffects {
  readonly cellId: string;
  readonly cellName: string;
  /** Relations read, each once (first spelling kept); names the cell's own statements created are left out. */
  readonly reads: readonly string[];
  /** Objects written, in statement order. */
  readonly writes: readonly ObjectEffect[];
  /** The table the cell's query result is kept as (the cell's name), when the cell is a query. */
  readonly result?: string;
  readonly flagged: readonly FlaggedStatement[];
}

export interface NotebookEffects {
  /** One entry per SQL cell, in notebook order. */
  readonly cells: readonly SqlCellEffects[];
  /** The data the front matter names, fetched when the notebook runs: table name and path. */
  readonly data: readonly { readonly name: string; readonly path: string }[];
  /** How many statements are flagged, over all cells. */
  readonly flaggedCount: number;
}

/** Statements that only read: their rows are the result. */
const QUERY_VERBS = new Set(['SELECT', 'FROM', 'VALUES', 'TABLE', 'DESCRIBE', 'SUMMARIZE', 'SHOW', 'PIVOT', 'UNPIVOT', 'PIVOT_WIDER', 'PIVOT_LONGER']);
const CREATE_MODIFIERS = new Set(['OR', 'REPLACE', 'TEMP', 'TEMPORARY', 'PERSISTENT', 'UNIQUE']);
/** Table functions that read files or URLs (DuckDB core and its usual extensions). */
const FILE_READERS = new Set([
  'READ_CSV', 'READ_CSV_AUTO', 'SNIFF_CSV', 'READ_PARQUET', 'PARQUET_SCAN', 'PARQUET_METADATA', 'PARQUET_SCHEMA',
  'PARQUET_FILE_METADATA', 'PARQUET_KV_METADATA', 'READ_JSON', 'READ_JSON_AUTO', 'READ_JSON_OBJECTS', 'READ_NDJSON',
  'READ_NDJSON_AUTO', 'READ_NDJSON_OBJECTS', 'READ_TEXT', 'READ_BLOB', 'GLOB', 'READ_XLSX', 'ST_READ', 'ICEBERG_SCAN',
  'DELTA_SCAN', 'SQLITE_SCAN', 'POSTGRES_SCAN', 'MYSQL_SCAN', 'HTTP_GET',
]);
/** Why statements of other kinds are flagged. */
const OTHER_VERBS: Readonly<Record<string, string>> = {
  SET: 'changes a setting or a variable',
  RESET: 'changes a setting or a variable',
  ATTACH: 'opens another database',
  DETACH: 'closes a database',
  USE: 'switches the current database',
  INSTALL: 'installs an extension',
  FORCE: 'installs an extension',
  LOAD: 'loads an extension',
  PRAGMA: 'runs a pragma',
  CALL: 'calls a procedure',
  EXPORT: 'writes the database to files',
  IMPORT: 'reads a database from files',
  CHECKPOINT: 'writes the database to storage',
  VACUUM: 'rewrites storage',
  PREPARE: 'prepares a statement to run later',
  EXECUTE: 'runs a prepared statement',
};

/**
 * What the notebook's SQL would do, cell by cell, without running anything. Never throws.
 * For a cell `drop_it` with `DROP TABLE IF EXISTS sales CASCADE`:
 * `{ cellName: 'drop_it', reads: [], writes: [{ action: 'drops', object: 'table', name: 'sales' }], flagged: [{ reason: 'drops table sales', … }] }`.
 */
export function summarizeNotebookEffects(notebook: Notebook): NotebookEffects {
  const cells = notebook.cells.flatMap((cell) => (isNamed(cell) && cell.kind === 'sql' ? [sqlEffects(cell.id, cell.name, cell.source)] : []));
  return {
    cells,
    data: Object.entries(notebook.data).map(([name, path]) => ({ name, path })),
    flaggedCount: cells.reduce((sum, cell) => sum + cell.flagged.length, 0),
  };
}

/** What one SQL cell's text would do. */
export function sqlEffects(cellId: string, cellName: string, sql: string): SqlCellEffects {
  const reads = new Map<string, string>();
  const writes: ObjectEffect[] = [];
  const flagged: FlaggedStatement[] = [];
  const created = new Set<string>();
  for (const tokens of splitStatements(tokenize(sql, { trivia: false }))) {
    const statement = statementEffects(tokens);
    for (const read of statement.reads) {
      const key = read.toLowerCase();
      if (!created.has(key) && !reads.has(key)) reads.set(key, read);
    }
    writes.push(...statement.writes);
    for (const write of statement.writes) if (write.action === 'creates' || write.action === 'replaces') created.add(write.name.toLowerCase());
    const text = abbreviate(sql.slice(tokens[0]?.start ?? 0, tokens[tokens.length - 1]?.end ?? 0));
    for (const reason of statement.reasons) flagged.push({ statement: text, reason });
  }
  return { cellId, cellName, reads: [...reads.values()], writes, ...(keepsResult(sql) ? { result: cellName } : {}), flagged };
}

interface StatementEffects {
  readonly reads: readonly string[];
  readonly writes: readonly ObjectEffect[];
  readonly reasons: readonly string[];
}

/** One statement (its tokens, no trivia, no `;`). */
function statementEffects(tokens: readonly Token[]): StatementEffects {
  const walker = new QueryWalker(tokens);
  walkStatement(walker, 0, tokens.length);
  const reads = walker.reads.map(nameOf);
  const reasons = outsideReads(tokens);
  const at = verbIndex(tokens);
  const verb = wordOf(tokens[at]) ?? '';
  // What the statement writes, as the walker read it: one parser of statements for the data guard and for this.
  const writesAs = (action: EffectAction, keep: (write: TableWrite) => boolean = () => true): ObjectEffect[] =>
    walker.writes.filter(keep).map((write) => effectOf(action, write));
  const flag = (writes: readonly ObjectEffect[], own?: string): StatementEffects => ({
    reads,
    writes,
    reasons: [...(own === undefined ? [] : [own]), ...writes.map((write) => `${write.action} ${write.object} ${write.name}`), ...reasons],
  });
  switch (verb) {
    case 'CREATE':
      return create(walker, at, reads, reasons);
    case 'INSERT':
      return flag(writesAs('inserts into'));
    case 'UPDATE':
      return flag(writesAs('updates'));
    case 'DELETE':
      return flag(writesAs('deletes from'));
    case 'MERGE':
      return flag(writesAs('merges into'));
    case 'COPY':
      return flag(writesAs('copies into'), copyTarget(tokens, at));
    case 'DROP':
      return flag([...walker.writes, ...walker.objects].sort((a, b) => a.start - b.start).map((write) => effectOf('drops', write)));
    case 'ALTER':
      // `ALTER TABLE t RENAME TO u` alters t; the walker also counts u as written, for the data guard.
      return flag(writesAs('alters', (write) => write.statement !== 'RENAME TO'));
    case 'TRUNCATE':
      return flag(writesAs('empties'));
    case 'COMMENT':
      return flag(writesAs('comments on'));
    default:
      if (QUERY_VERBS.has(verb)) return { reads, writes: [], reasons };
      return flag([], OTHER_VERBS[verb] ?? 'is not a plain query');
  }
}

/** `CREATE [OR REPLACE] [TEMP] <object> [IF NOT EXISTS] name …`: a plain CREATE is not flagged; replacing is. */
function create(walker: QueryWalker, at: number, reads: readonly string[], reasons: readonly string[]): StatementEffects {
  const tokens = walker.tokens;
  let i = at + 1;
  let replaces = false;
  while (CREATE_MODIFIERS.has(wordOf(tokens[i]) ?? '')) {
    if (isWord(tokens[i], 'REPLACE')) replaces = true;
    i++;
  }
  const object = wordOf(tokens[i])?.toLowerCase() ?? 'object';
  const action: EffectAction = replaces ? 'replaces' : 'creates';
  const writes = [...walker.writes, ...walker.objects].map((write) => effectOf(action, write));
  const own: string[] = [];
  if (object === 'secret') own.push('stores credentials for remote storage');
  if (replaces) own.push(...writes.map((write) => `replaces ${write.object} ${write.name} if it exists`));
  return { reads, writes, reasons: [...own, ...reasons] };
}

/** What `COPY … TO 'file'` writes; a `COPY … FROM 'file'` is told by `outsideReads`. */
function copyTarget(tokens: readonly Token[], at: number): string | undefined {
  for (let i = at + 1; i < tokens.length; i++) {
    const token = tokens[i];
    if (token?.kind === 'string' && isWord(tokens[i - 1], 'TO')) return `writes the file or URL '${abbreviate(token.value, 60)}'`;
    if (token?.kind === 'string' && isWord(tokens[i - 1], 'FROM')) return undefined;
  }
  return 'reads or writes a file';
}

/** The index of the word that says what the statement does: past `(`, a WITH clause and EXPLAIN [ANALYZE]. */
function verbIndex(tokens: readonly Token[]): number {
  let i = 0;
  while (isPunctuation(tokens[i], '(')) i++;
  if (isWord(tokens[i], 'WITH')) i = new QueryWalker(tokens).ctes(i, tokens.length, EMPTY_SCOPE).next;
  if (isWord(tokens[i], 'EXPLAIN')) i += isWord(tokens[i + 1], 'ANALYZE') || isWord(tokens[i + 1], 'ANALYSE') ? 2 : 1;
  while (isPunctuation(tokens[i], '(')) i++;
  return i;
}

/** Reads that reach past the tables: file-reading table functions, and a quoted file or URL used as a table. */
function outsideReads(tokens: readonly Token[]): string[] {
  const reasons: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const word = wordOf(token);
    if (word !== undefined && FILE_READERS.has(word) && isPunctuation(tokens[i + 1], '(')) {
      reasons.push(`reads a file or URL (${token?.text ?? word})`);
    } else if (token?.kind === 'string' && (isWord(tokens[i - 1], 'FROM') || isWord(tokens[i - 1], 'JOIN'))) {
      reasons.push(`reads the file or URL '${abbreviate(token.value, 60)}'`);
    }
  }
  return reasons;
}

/** A write as the walker found it, as an effect: `{ action: 'drops', object: 'table', name: 'main.sales' }`. */
function effectOf(action: EffectAction, write: TableWrite): ObjectEffect {
  return { action, object: write.object ?? 'object', name: nameOf(write) };
}

function nameOf(table: TableReference): string {
  return [table.catalog, table.schema, table.name].filter((part) => part !== undefined).join('.');
}

function abbreviate(text: string, limit = 100): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= limit ? flat : `${flat.slice(0, limit - 1)}…`;
}
