/**
 * Values between Trino and Arrow: a Trino result (JSON rows typed as Trino writes them) read as an Arrow table, and an
 * Arrow table's columns written as text Trino casts back to their types.
 */
import { Bool, DateDay, Float32, Float64, Int8, Int16, Int32, Int64, List, Field, TimestampMicrosecond, Utf8, Table, vectorFromArray, DataType, type Vector } from 'apache-arrow';

/** A column of a Trino result: its name and type as Trino writes it (`bigint`, `varchar(10)`, `timestamp(3)`, `array(varchar)`). */
export interface TrinoColumn {
  readonly name: string;
  readonly type: string;
}

/** The Arrow type Aisle keeps a Trino column as; decimals become DOUBLE as they do from DuckDB, unknown types text. */
export function arrowTypeOf(trinoType: string): DataType {
  const type = trinoType.trim().toLowerCase();
  const array = /^array\((.*)\)$/.exec(type);
  if (array) return new List(new Field('item', arrowTypeOf(array[1] ?? 'varchar'), true));
  const base = type.replace(/\(.*$/, '').trim();
  switch (base) {
    case 'boolean':
      return new Bool();
    case 'tinyint':
      return new Int8();
    case 'smallint':
      return new Int16();
    case 'integer':
      return new Int32();
    case 'bigint':
      return new Int64();
    case 'real':
      return new Float32();
    case 'double':
    case 'decimal':
      return new Float64();
    case 'date':
      return new DateDay();
    case 'timestamp':
      return type.includes('with time zone') ? new Utf8() : new TimestampMicrosecond();
    default:
      return new Utf8();
  }
}

/** One JSON value from Trino's REST protocol as the value Arrow's builder takes for `type`. */
function arrowValue(value: unknown, type: DataType): unknown {
  if (value === null || value === undefined) return null;
  if (type instanceof Int64) return BigInt(value as number | string);
  if (type instanceof Float64 || type instanceof Float32) {
    // Trino writes NaN and the infinities as strings.
    if (typeof value === 'string') return value === 'NaN' ? Number.NaN : value === 'Infinity' ? Infinity : value === '-Infinity' ? -Infinity : Number(value);
    return value;
  }
  if (type instanceof DateDay) return new Date(`${String(value)}T00:00:00Z`);
  if (type instanceof TimestampMicrosecond) return timestampMs(String(value));
  if (type instanceof List) return (value as unknown[]).map((item) => arrowValue(item, type.children[0]?.type as DataType));
  if (type instanceof Utf8) return typeof value === 'string' ? value : JSON.stringify(value);
  return value;
}

/** `2010-12-01 08:26:00.000` (a Trino timestamp, no zone) → epoch milliseconds, read as UTC as DuckDB does. */
function timestampMs(text: string): number {
  const match = /^(-?\d{4,})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?$/.exec(text);
  if (!match) throw new Error(`unexpected Trino timestamp "${text}"`);
  const [, y, mo, d, h, mi, s, fraction = ''] = match;
  const ms = Number(`0.${fraction || '0'}`) * 1000;
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) + ms;
}

/** Rows of a Trino result (JSON arrays, column by column typed as Trino says) as an Arrow table. */
export function arrowFromTrino(columns: readonly TrinoColumn[], rows: readonly (readonly unknown[])[]): Table {
  const vectors: Record<string, Vector> = {};
  columns.forEach((column, index) => {
    const type = arrowTypeOf(column.type);
    vectors[column.name] = vectorFromArray(
      rows.map((row) => arrowValue(row[index], type)),
      type,
    );
  });
  return new Table(vectors);
}

/**
 * Trino's type for an Arrow field of a model's output table. Read from IPC, Arrow's types are the generic classes
 * (`Int_` with a bit width, `Date_` with a unit), so they are told apart by their predicates, not by class.
 */
export function trinoTypeOf(type: DataType): string {
  if (DataType.isBool(type)) return 'BOOLEAN';
  if (DataType.isInt(type)) return type.bitWidth === 64 ? 'BIGINT' : 'INTEGER';
  if (DataType.isFloat(type) || DataType.isDecimal(type)) return 'DOUBLE';
  if (DataType.isDate(type)) return 'DATE';
  // The Hive connector keeps timestamps to the millisecond (its default precision), as JavaScript dates do.
  if (DataType.isTimestamp(type)) return 'TIMESTAMP(3)';
  if (DataType.isList(type)) return `ARRAY(${trinoTypeOf(type.children[0]?.type as DataType)})`;
  return 'VARCHAR';
}

/**
 * A value of a model's output as text Trino casts back to `trinoType` exactly (doubles in their shortest round-trip
 * form, `NaN` and `Infinity` as Java reads them), or null. Arrays are JSON, which `json_parse` reads back.
 */
export function textOf(value: unknown, trinoType: string): string | null {
  if (value === null || value === undefined) return null;
  if (trinoType === 'DOUBLE') return String(Number(value));
  if (trinoType === 'DATE') return new Date(Number(value)).toISOString().slice(0, 10);
  if (trinoType === 'TIMESTAMP(3)') return new Date(Number(value)).toISOString().replace('T', ' ').replace('Z', '');
  if (trinoType.startsWith('ARRAY(')) {
    const item = trinoType.slice(6, -1);
    return JSON.stringify([...(value as Iterable<unknown>)].map((entry) => (item === 'DOUBLE' || item === 'INTEGER' || item === 'BIGINT' ? Number(entry) : textOf(entry, item))));
  }
  return String(value);
}

/** The SQL that turns one column's text (an element of the unnested array `column`) back into `trinoType`. */
export function fromText(column: string, trinoType: string): string {
  if (trinoType === 'VARCHAR') return column;
  if (trinoType.startsWith('ARRAY(')) return `CAST(json_parse(${column}) AS ${trinoType})`;
  return `CAST(${column} AS ${trinoType})`;
}
