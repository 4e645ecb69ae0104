import type { ColumnInfo } from '../catalog.ts';
import { isDoubleType, isIntegerType, isTextType } from '../../util/column-types.ts';
import type { JsonRow, JsonValue } from './rows.ts';

/** Tables up to this many rows are held as JSON rows for lookups; larger ones are looked up in the database. */
export const MAX_INDEXED_ROWS = 200_000;

/** One `column = value` of a lookup, the value as the query string gave it. */
export interface LookupCondition {
  readonly column: ColumnInfo;
  readonly value: string;
}

type Key = string | number;

/** How a column's values become index keys, and how a query-string value becomes the key it equals in DuckDB. */
interface KeyKind {
  readonly ofRow: (value: JsonValue) => Key | undefined;
  /** The key a value matches; null when it matches no row; undefined when only DuckDB's own cast can tell. */
  readonly ofQuery: (text: string) => Key | null | undefined;
}

/** A plain decimal number, which JavaScript and DuckDB read alike (`0x10`, `Infinity` or `1_000` are left to DuckDB). */
const DECIMAL = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

const KEY_KINDS: Readonly<Record<string, KeyKind>> = {
  text: { ofRow: (value) => (typeof value === 'string' ? value : undefined), ofQuery: (text) => text },
  // rows.ts writes whole numbers beyond 2^53 as their digits: both sides become canonical digits.
  integer: {
    ofRow: (value) => (typeof value === 'number' ? String(value) : typeof value === 'string' ? value : undefined),
    ofQuery: (text) => (/^\s*[+-]?\d+\s*$/.test(text) ? BigInt(text.trim()).toString() : null),
  },
  double: {
    ofRow: (value) => (typeof value === 'number' ? value : undefined),
    ofQuery: (text) => (DECIMAL.test(text) ? Number(text) : undefined),
  },
};

function keyKindOf(type: string): KeyKind | undefined {
  if (isTextType(type)) return KEY_KINDS.text;
  if (isIntegerType(type)) return KEY_KINDS.integer;
  // A FLOAT holds 0.1 as a nearby 32-bit value, which only DuckDB's own cast matches.
  if (isDoubleType(type)) return KEY_KINDS.double;
  return undefined;
}

/**
 * A cell's table as JSON rows with, per column looked up, a map from value to the rows holding it: a lookup is a map
 * read, not a scan. It matches as the lookup's SQL does (`"customer" = ?`, `"rank" = TRY_CAST(? AS BIGINT)`, NULL
 * equals nothing) and keeps the table's row order; for a condition it cannot decide (a DATE, a DECIMAL, a value
 * like `0x10`) `find` says so and the caller asks the database.
 */
export class LookupIndex {
  private readonly byColumn = new Map<string, Map<Key, number[]>>();

  constructor(readonly rows: readonly JsonRow[]) {}

  /** The first `limit` rows meeting every condition; undefined when a condition needs DuckDB to decide. */
  find(conditions: readonly LookupCondition[], limit: number): JsonRow[] | undefined {
    const wanted: { name: string; kind: KeyKind; key: Key }[] = [];
    for (const { column, value } of conditions) {
      const kind = keyKindOf(column.type);
      const key = kind?.ofQuery(value);
      if (kind === undefined || key === undefined) return undefined;
      if (key === null) return [];
      wanted.push({ name: column.name, kind, key });
    }
    if (wanted.length === 0) return this.rows.slice(0, limit);
    let candidates: readonly number[] | undefined;
    for (const { name, kind, key } of wanted) {
      const found = this.postings(name, kind).get(key) ?? [];
      if (candidates === undefined || found.length < candidates.length) candidates = found;
    }
    const rows: JsonRow[] = [];
    for (const index of candidates ?? []) {
      const row = this.rows[index]!;
      if (wanted.every(({ name, kind, key }) => kind.ofRow(row[name] ?? null) === key)) rows.push(row);
      if (rows.length === limit) break;
    }
    return rows;
  }

  private postings(column: string, kind: KeyKind): Map<Key, number[]> {
    let map = this.byColumn.get(column);
    if (map !== undefined) return map;
    map = new Map();
    this.rows.forEach((row, index) => {
      const key = kind.ofRow(row[column] ?? null);
      if (key === undefined) return;
      const list = map!.get(key);
      if (list === undefined) map!.set(key, [index]);
      else list.push(index);
    });
    this.byColumn.set(column, map);
    return map;
  }
}
