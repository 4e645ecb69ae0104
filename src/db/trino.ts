import { tableFromIPC, tableToIPC, Table } from 'apache-arrow';
import type { QueryResult } from 'trino-client';
import type { Database, FileSource, QueryOptions } from '../engine/ports.ts';
import { CancelledError, QueryError, messageOf } from '../util/errors.ts';
import { quoteIdent, quoteLiteral } from '../util/sql.ts';
import { arrowFromTrino, fromText, textOf, trinoTypeOf, type TrinoColumn } from './trino-arrow.ts';

/** Where a Trino engine is: `trino://user@host:port/catalog/schema` parsed. */
export interface TrinoLocation {
  /** `http://host:port`: the coordinator's REST address. */
  readonly server: string;
  readonly user: string;
  readonly catalog: string;
  /** The schema cells' tables are written to and unqualified names are read from. */
  readonly schema: string;
}

/**
 * `trino://aisle@127.0.0.1:18080/hive/work` → its parts. The user defaults to `aisle`; catalog and schema are required,
 * because cells write their tables there. Throws a sentence naming what is wrong.
 */
export function parseTrinoUrl(text: string): TrinoLocation {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`"${text}" is not a Trino address; write trino://user@host:port/catalog/schema`);
  }
  if (url.protocol !== 'trino:') throw new Error(`"${text}" is not a Trino address (it must start with trino://)`);
  const [catalog, schema, ...rest] = url.pathname.replace(/^\/+/, '').split('/').filter((part) => part !== '');
  if (catalog === undefined || schema === undefined || rest.length > 0) {
    throw new Error(`"${text}" must name a catalog and a schema: trino://user@host:port/catalog/schema`);
  }
  if (url.hostname === '') throw new Error(`"${text}" names no host`);
  const port = url.port === '' ? '8080' : url.port;
  return { server: `http://${url.hostname}:${port}`, user: decodeURIComponent(url.username) || 'aisle', catalog, schema };
}

/**
 * Top-level statements of a script, split at `;` outside quotes and comments; empty ones dropped. Trino runs one
 * statement per request, and the engine sends a few as one script (a CTAS then its shape query).
 */
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let start = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    const next = sql[i + 1];
    if (c === "'" || c === '"') {
      const close = skipQuoted(sql, i, c);
      i = close;
    } else if (c === '-' && next === '-') {
      const newline = sql.indexOf('\n', i);
      i = newline === -1 ? sql.length : newline + 1;
    } else if (c === '/' && next === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close === -1 ? sql.length : close + 2;
    } else if (c === ';') {
      statements.push(sql.slice(start, i));
      i += 1;
      start = i;
    } else {
      i += 1;
    }
  }
  statements.push(sql.slice(start));
  return statements.map((statement) => statement.trim()).filter((statement) => !/^(\s|--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/)*$/.test(statement));
}

/** Index just past the quoted text opened at `open` (a doubled quote stays inside). */
function skipQuoted(sql: string, open: number, quote: string): number {
  let i = open + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else {
      i += 1;
    }
  }
  return sql.length;
}

/**
 * `$1`, `$2`… outside quotes and comments → `?`, with the position each `?` stands for: Trino binds `?` in the order
 * they appear, so `$2 … $1 … $1` is bound as values 2, 1, 1.
 */
export function positionalToQuestionMarks(sql: string): { sql: string; positions: number[] } {
  let out = '';
  let i = 0;
  const positions: number[] = [];
  while (i < sql.length) {
    const c = sql[i];
    if (c === "'" || c === '"') {
      const close = skipQuoted(sql, i, c);
      out += sql.slice(i, close);
      i = close;
    } else if (c === '-' && sql[i + 1] === '-') {
      const newline = sql.indexOf('\n', i);
      const end = newline === -1 ? sql.length : newline + 1;
      out += sql.slice(i, end);
      i = end;
    } else if (c === '$' && /\d/.test(sql[i + 1] ?? '')) {
      const digits = /^\d+/.exec(sql.slice(i + 1))?.[0] ?? '';
      positions.push(Number(digits));
      out += '?';
      i += 1 + digits.length;
    } else {
      out += c;
      i += 1;
    }
  }
  return { sql: out, positions };
}

/** A bound value as a Trino literal for `EXECUTE IMMEDIATE … USING`. */
export function trinoLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'bigint') return `BIGINT '${value}'`;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot bind ${value} as a Trino parameter`);
    return Number.isInteger(value) ? String(value) : `DOUBLE '${value}'`;
  }
  if (typeof value === 'string') return `VARCHAR ${quoteLiteral(value)}`;
  throw new Error(`cannot bind a ${typeof value} as a Trino parameter`);
}

/**
 * Characters of column text per INSERT: each batch travels as one JSON literal per column, which Trino parses as one
 * token, far below its 1 MB statement limit. (VALUES rows cost Trino's planner about 3 ms a row.)
 */
const INSERT_BATCH_CHARS = 400_000;

/** Everything a finished Trino statement told us: its rows, its id and its stats. */
export interface TrinoResult {
  readonly table: Table;
  readonly queryId: string;
  readonly stats?: QueryResult['stats'];
}

/**
 * `Database` over a Trino cluster (`trino-client`). Cells' tables are written to the location's schema and every
 * unqualified name is read from there, so a notebook's data tables are views over catalog tables (`bindTable`).
 * Nothing is uploaded: `registerFile` is refused. Each statement's id and stats are kept in `history`.
 */
export class TrinoDatabase implements Database {
  readonly dialect = 'trino';
  /** Every statement run, in order, with its id and Trino's stats (the bench reads where time went). */
  readonly history: { sql: string; queryId: string; stats?: QueryResult['stats']; rows: number; bytes: number }[] = [];

  constructor(readonly location: TrinoLocation) {}

  /** Connect and make sure the work schema exists. */
  static async open(url: string): Promise<TrinoDatabase> {
    const database = new TrinoDatabase(parseTrinoUrl(url));
    const { catalog, schema } = database.location;
    await database.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(catalog)}.${quoteIdent(schema)}`);
    return database;
  }

  /**
   * Name a catalog table as a notebook table: `bindTable('sales', 'hive.retail.lines')` makes the view `sales` in the
   * work schema. Nothing is copied.
   */
  async bindTable(name: string, qualified: string): Promise<void> {
    const parts = qualified.split('.');
    if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(part))) {
      throw new Error(`--table ${name}=${qualified}: name the table as catalog.schema.table`);
    }
    await this.query(`CREATE OR REPLACE VIEW ${quoteIdent(name)} AS SELECT * FROM ${parts.map(quoteIdent).join('.')}`);
  }

  async query(sql: string, options: QueryOptions = {}): Promise<Table> {
    const { params = [], signal } = options;
    const statements = splitStatements(sql);
    let last: Table = new Table();
    for (const statement of statements) {
      // Values are bound by Trino to the statement that has the placeholders (a script's DROP or RENAME has none).
      const marked = params.length === 0 ? { sql: statement, positions: [] } : positionalToQuestionMarks(statement);
      const values = marked.positions.map((position) => {
        if (position < 1 || position > params.length) throw new QueryError(`parameter $${position}: the query was given ${params.length}`, sql);
        return trinoLiteral(params[position - 1]);
      });
      const text = values.length === 0 ? statement : `EXECUTE IMMEDIATE ${quoteLiteral(marked.sql)} USING ${values.join(', ')}`;
      last = (await this.run(text, signal)).table;
    }
    return last;
  }

  /**
   * One statement over Trino's REST protocol: posted, then its pages followed until done. An abort cancels the query
   * in Trino (DELETE of its next page address) before the promise rejects with a CancelledError.
   */
  async run(sql: string, signal?: AbortSignal): Promise<TrinoResult> {
    if (signal?.aborted) throw new CancelledError();
    // trino-client's iterator follows pages until the first one with data, so a running query's id (needed to cancel
    // it) is not seen in time; the protocol is followed here instead, with the client's types.
    const abort = new AbortController();
    let nextUri: string | undefined;
    let queryId: string | undefined;
    const cancel = () => {
      abort.abort();
      if (nextUri !== undefined) void fetch(nextUri, { method: 'DELETE', headers: this.headers() }).catch(() => undefined);
    };
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      let page = await this.request(`${this.location.server}/v1/statement`, { method: 'POST', body: sql }, abort.signal);
      let columns: TrinoColumn[] | undefined;
      const rows: unknown[][] = [];
      let stats: QueryResult['stats'];
      let bytes = 0;
      for (;;) {
        queryId = page.id;
        if (page.error) throw new QueryError(`Trino: ${page.error.message} (query ${page.id})`, sql);
        columns ??= page.columns;
        if (page.data) {
          bytes += page.bytes;
          for (const row of page.data) rows.push(row);
        }
        stats = page.stats ?? stats;
        nextUri = page.nextUri;
        if (nextUri === undefined) break;
        if (signal?.aborted) {
          cancel();
          throw new CancelledError();
        }
        page = await this.request(nextUri, { method: 'GET' }, abort.signal);
      }
      const table = columns === undefined ? new Table() : arrowFromTrino(columns, rows);
      this.history.push({ sql, queryId, stats, rows: rows.length, bytes });
      return { table, queryId, stats };
    } catch (error) {
      if (signal?.aborted) throw new CancelledError();
      if (error instanceof QueryError) throw error;
      throw new QueryError(`Trino at ${this.location.server}: ${messageOf(error)}${queryId ? ` (query ${queryId})` : ''}`, sql, { cause: error });
    } finally {
      signal?.removeEventListener('abort', cancel);
    }
  }

  private headers(): Record<string, string> {
    return {
      'X-Trino-User': this.location.user,
      'X-Trino-Source': 'aisle',
      'X-Trino-Catalog': this.location.catalog,
      'X-Trino-Schema': this.location.schema,
    };
  }

  /** One page of a query, with the size of its body (what crossed the wire to the client). */
  private async request(url: string, init: { method: string; body?: string }, signal: AbortSignal): Promise<QueryResult & { bytes: number }> {
    const response = await fetch(url, { ...init, headers: this.headers(), signal });
    const text = await response.text();
    if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}: ${text.slice(0, 200)}`);
    return { ...(JSON.parse(text) as QueryResult), bytes: text.length };
  }

  async registerFile(fileName: string, _source: FileSource): Promise<string> {
    throw new Error(`${fileName}: a Trino engine reads tables from its catalog and uploads no file; bind one with --table name=catalog.schema.table`);
  }

  async dropFile(_path: string): Promise<void> {}

  /**
   * A model's output written as a table of the work schema: created beside the old one under a staging name, filled in
   * batches (each column one JSON array of text, unnested and cast back), then swapped in (a failed insert leaves the
   * old table as it was).
   */
  async insertArrowIpc(table: string, ipc: Uint8Array): Promise<void> {
    const arrow = tableFromIPC(ipc);
    const fields = arrow.schema.fields.map((field) => ({ name: field.name, type: trinoTypeOf(field.type) }));
    const staging = `__aisle_insert_${crypto.randomUUID().replaceAll('-', '')}`;
    const columns = fields.map((field) => `${quoteIdent(field.name)} ${field.type}`).join(', ');
    await this.query(`CREATE TABLE ${quoteIdent(staging)} (${columns})`);
    try {
      const vectors = fields.map((_, index) => arrow.getChildAt(index));
      const names = fields.map((_, index) => `c${index}`);
      const select = fields.map((field, index) => fromText(names[index]!, field.type)).join(', ');
      let batch: (string | null)[][] = fields.map(() => []);
      let chars = 0;
      const flush = async () => {
        const arrays = batch.map((texts) => `CAST(json_parse(${quoteLiteral(JSON.stringify(texts))}) AS ARRAY(VARCHAR))`);
        await this.query(`INSERT INTO ${quoteIdent(staging)} SELECT ${select} FROM UNNEST(${arrays.join(', ')}) AS t(${names.join(', ')})`);
        batch = fields.map(() => []);
        chars = 0;
      };
      for (let row = 0; row < arrow.numRows; row++) {
        fields.forEach((field, index) => {
          const text = textOf(vectors[index]?.get(row), field.type);
          batch[index]!.push(text);
          chars += (text?.length ?? 4) + 3;
        });
        if (chars >= INSERT_BATCH_CHARS) await flush();
      }
      if (batch[0]!.length > 0) await flush();
      await this.query(`DROP TABLE IF EXISTS ${quoteIdent(table)}`);
      await this.query(`DROP VIEW IF EXISTS ${quoteIdent(table)}`).catch(() => undefined);
      await this.query(`ALTER TABLE ${quoteIdent(staging)} RENAME TO ${quoteIdent(table)}`);
    } catch (error) {
      await this.query(`DROP TABLE IF EXISTS ${quoteIdent(staging)}`).catch(() => undefined);
      throw error;
    }
  }

  async exportCsv(query: string): Promise<Uint8Array> {
    const table = await this.query(query);
    const names = table.schema.fields.map((field) => field.name);
    const cell = (value: unknown) => {
      if (value === null || value === undefined) return '';
      const text = value instanceof Date ? value.toISOString() : String(value);
      return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
    };
    const lines = [names.map(cell).join(',')];
    for (const row of table.toArray()) lines.push(names.map((name) => cell((row as Record<string, unknown>)[name])).join(','));
    return new TextEncoder().encode(`${lines.join('\n')}\n`);
  }

  async exportArrowIpc(relation: string): Promise<Uint8Array> {
    return tableToIPC(await this.query(`SELECT * FROM ${quoteIdent(relation)}`), 'stream');
  }

  async close(): Promise<void> {}
}
