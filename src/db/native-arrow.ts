/**
 * Native DuckDB results as apache-arrow Tables of the same types DuckDB-WASM's Arrow export gives (DECIMAL and
 * HUGEINT as DOUBLE, BIGINT as Int64, DATE as days, TIMESTAMP in microseconds), so the engine cannot tell the two
 * apart. Fixed-width columns are copied into typed arrays; text and nested columns go through Arrow's builders.
 */
import {
  Binary,
  Bool,
  DataType,
  DateDay,
  Dictionary,
  Field,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  Interval,
  IntervalUnit,
  List,
  RecordBatch,
  Schema,
  Struct,
  Table,
  TimeMicrosecond,
  TimeUnit,
  Timestamp,
  Uint16,
  Uint32,
  Uint64,
  Uint8,
  Utf8,
  makeBuilder,
  makeData,
  tableFromIPC,
  tableToIPC,
  vectorFromArray,
  type Data,
} from 'apache-arrow';

/** DuckDB's type ids (`DuckDBTypeId` in @duckdb/node-api) that the conversion tells apart. */
export const TYPE_ID = {
  BOOLEAN: 1,
  TINYINT: 2,
  SMALLINT: 3,
  INTEGER: 4,
  BIGINT: 5,
  UTINYINT: 6,
  USMALLINT: 7,
  UINTEGER: 8,
  UBIGINT: 9,
  FLOAT: 10,
  DOUBLE: 11,
  TIMESTAMP: 12,
  DATE: 13,
  TIME: 14,
  INTERVAL: 15,
  HUGEINT: 16,
  VARCHAR: 17,
  BLOB: 18,
  DECIMAL: 19,
  TIMESTAMP_S: 20,
  TIMESTAMP_MS: 21,
  TIMESTAMP_NS: 22,
  LIST: 24,
  STRUCT: 25,
  ARRAY: 33,
  UHUGEINT: 32,
  TIMESTAMP_TZ: 31,
} as const;

/** The slice of a `DuckDBType` the conversion reads (list and array element types, struct entries). */
export interface NativeType {
  readonly typeId: number;
  readonly valueType?: NativeType;
  readonly entryNames?: readonly string[];
  readonly entryTypes?: readonly NativeType[];
  toString(): string;
}

/** The slice of a `DuckDBVector`. */
export interface NativeVector {
  readonly itemCount: number;
  getItem(index: number): unknown;
}

/** The slice of a `DuckDBDataChunk`. */
export interface NativeChunk {
  readonly rowCount: number;
  getColumnVector(index: number): NativeVector;
}

/** Values of the types DuckDB's node client hands out, as far as the conversion reads them. */
interface DateValue {
  readonly days: number;
}
interface MicrosValue {
  readonly micros: bigint;
}
interface DecimalValue {
  toDouble(): number;
}
interface IntervalValue {
  readonly months: number;
  readonly days: number;
  readonly micros: bigint;
}

/** How one DuckDB type becomes one Arrow type. */
interface Conversion {
  readonly type: DataType;
  /** A typed-array column: its array constructor and how one value is stored. */
  readonly fixed?: { readonly array: new (length: number) => ArrayLike<unknown> & { [index: number]: unknown }; readonly store: (value: unknown) => unknown };
  /** An INTERVAL column, written by hand. */
  readonly interval?: true;
  /** Any column: a value as an Arrow builder takes it (nested and text columns). */
  readonly plain: (value: unknown) => unknown;
}

const identity = (value: unknown) => value;
const days = (value: unknown) => (value as DateValue).days;
const micros = (value: unknown) => (value as MicrosValue).micros;
const field = (name: string) => (value: unknown) => (value as Record<string, bigint>)[name];

/** The Arrow type and converters for a DuckDB type; one WASM does not give (ENUM, UUID, BIT, MAP…) becomes text. */
export function conversionOf(type: NativeType): Conversion {
  switch (type.typeId) {
    case TYPE_ID.BOOLEAN:
      return { type: new Bool(), plain: identity };
    case TYPE_ID.TINYINT:
      return fixedOf(new Int8(), Int8Array, identity);
    case TYPE_ID.SMALLINT:
      return fixedOf(new Int16(), Int16Array, identity);
    case TYPE_ID.INTEGER:
      return fixedOf(new Int32(), Int32Array, identity);
    case TYPE_ID.BIGINT:
      return fixedOf(new Int64(), BigInt64Array, identity);
    case TYPE_ID.UTINYINT:
      return fixedOf(new Uint8(), Uint8Array, identity);
    case TYPE_ID.USMALLINT:
      return fixedOf(new Uint16(), Uint16Array, identity);
    case TYPE_ID.UINTEGER:
      return fixedOf(new Uint32(), Uint32Array, identity);
    case TYPE_ID.UBIGINT:
      return fixedOf(new Uint64(), BigUint64Array, identity);
    case TYPE_ID.FLOAT:
      return fixedOf(new Float32(), Float32Array, identity);
    case TYPE_ID.DOUBLE:
      return fixedOf(new Float64(), Float64Array, identity);
    case TYPE_ID.HUGEINT:
    case TYPE_ID.UHUGEINT:
      return fixedOf(new Float64(), Float64Array, (value) => Number(value as bigint));
    case TYPE_ID.DECIMAL:
      return fixedOf(new Float64(), Float64Array, (value) => (value as DecimalValue).toDouble());
    case TYPE_ID.DATE:
      // Arrow's DateDay builder takes milliseconds; the typed array holds days.
      return { type: new DateDay(), fixed: { array: Int32Array, store: days }, plain: (value) => days(value) * 86_400_000 };
    case TYPE_ID.TIMESTAMP:
      return timestampOf(TimeUnit.MICROSECOND, micros);
    case TYPE_ID.TIMESTAMP_TZ:
      return timestampOf(TimeUnit.MICROSECOND, micros, 'UTC');
    case TYPE_ID.TIMESTAMP_S:
      return timestampOf(TimeUnit.SECOND, field('seconds'));
    case TYPE_ID.TIMESTAMP_MS:
      return timestampOf(TimeUnit.MILLISECOND, field('millis'));
    case TYPE_ID.TIMESTAMP_NS:
      return timestampOf(TimeUnit.NANOSECOND, field('nanos'));
    case TYPE_ID.TIME:
      return { type: new TimeMicrosecond(), fixed: { array: BigInt64Array, store: micros }, plain: micros };
    case TYPE_ID.INTERVAL:
      // Arrow JS has no builder for it: months, days (int32) and nanoseconds (int64) are written four int32s a value.
      return { type: new Interval(IntervalUnit.MONTH_DAY_NANO), interval: true, plain: identity };
    case TYPE_ID.BLOB:
      return { type: new Binary(), plain: (value) => (value as { bytes: Uint8Array }).bytes };
    case TYPE_ID.LIST:
    case TYPE_ID.ARRAY: {
      const element = conversionOf(type.valueType as NativeType);
      return {
        type: new List(new Field('l', element.type, true)),
        plain: (value) => (value as { items: readonly unknown[] }).items.map((item) => (item === null ? null : element.plain(item))),
      };
    }
    case TYPE_ID.STRUCT: {
      const names = type.entryNames ?? [];
      const entries = (type.entryTypes ?? []).map(conversionOf);
      return {
        type: new Struct(names.map((name, i) => new Field(name, (entries[i] as Conversion).type, true))),
        plain: (value) => {
          const given = (value as { entries: Record<string, unknown> }).entries;
          return Object.fromEntries(names.map((name, i) => {
            const item = given[name] ?? null;
            return [name, item === null ? null : (entries[i] as Conversion).plain(item)];
          }));
        },
      };
    }
    default:
      return { type: new Utf8(), plain: (value) => (typeof value === 'string' ? value : String(value)) };
  }
}

function fixedOf(
  type: DataType,
  array: new (length: number) => ArrayLike<unknown> & { [index: number]: unknown },
  store: (value: unknown) => unknown,
): Conversion {
  return { type, fixed: { array, store }, plain: store };
}

function timestampOf(unit: TimeUnit, store: (value: unknown) => unknown, timezone?: string): Conversion {
  const perMs = unit === TimeUnit.SECOND ? 0.001 : unit === TimeUnit.MILLISECOND ? 1 : unit === TimeUnit.MICROSECOND ? 1000 : 1_000_000;
  // Arrow's Timestamp builders take milliseconds; the typed array holds the unit's own integers.
  return {
    type: new Timestamp(unit, timezone),
    fixed: { array: BigInt64Array, store },
    plain: (value) => Number(store(value) as bigint) / perMs,
  };
}

/** One column of a result, across its chunks, as Arrow data. */
function columnData(conversion: Conversion, chunks: readonly NativeChunk[], column: number, length: number): Data {
  const { fixed } = conversion;
  if (fixed !== undefined) {
    const values = new fixed.array(length);
    const validity = new Uint8Array((length + 7) >> 3);
    let nulls = 0;
    let row = 0;
    for (const chunk of chunks) {
      const vector = chunk.getColumnVector(column);
      const count = chunk.rowCount;
      for (let i = 0; i < count; i++, row++) {
        const value = vector.getItem(i);
        if (value === null) nulls++;
        else {
          values[row] = fixed.store(value);
          validity[row >> 3] = (validity[row >> 3] as number) | (1 << (row & 7));
        }
      }
    }
    return makeData({ type: conversion.type, length, nullCount: nulls, nullBitmap: nulls === 0 ? null : validity, data: values } as never);
  }
  if (conversion.interval) return intervalData(conversion.type, chunks, column, length);
  const builder = makeBuilder({ type: conversion.type, nullValues: [null] });
  for (const chunk of chunks) {
    const vector = chunk.getColumnVector(column);
    const count = chunk.rowCount;
    for (let i = 0; i < count; i++) {
      const value = vector.getItem(i);
      builder.append(value === null ? null : conversion.plain(value));
    }
  }
  return builder.finish().flush();
}

function intervalData(type: DataType, chunks: readonly NativeChunk[], column: number, length: number): Data {
  const values = new Int32Array(length * 4);
  const validity = new Uint8Array((length + 7) >> 3);
  let nulls = 0;
  let row = 0;
  for (const chunk of chunks) {
    const vector = chunk.getColumnVector(column);
    for (let i = 0; i < chunk.rowCount; i++, row++) {
      const value = vector.getItem(i) as IntervalValue | null;
      if (value === null) {
        nulls++;
        continue;
      }
      const nanos = BigInt.asUintN(64, value.micros * 1000n);
      values.set([value.months, value.days, Number(nanos & 0xffffffffn) | 0, Number(nanos >> 32n) | 0], row * 4);
      validity[row >> 3] = (validity[row >> 3] as number) | (1 << (row & 7));
    }
  }
  return makeData({ type, length, nullCount: nulls, nullBitmap: nulls === 0 ? null : validity, data: values } as never);
}

/** A parameter as the node client binds it: numbers as DOUBLE need no change; anything else not a scalar as text. */
export function bindable(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean' || typeof value === 'bigint') return value;
  return String(value);
}

/** A whole result (its column names, types and chunks) as one Arrow Table; names may repeat, as in SQL. */
export function tableOfChunks(names: readonly string[], types: readonly NativeType[], chunks: readonly NativeChunk[]): Table {
  const length = chunks.reduce((sum, chunk) => sum + chunk.rowCount, 0);
  const conversions = types.map(conversionOf);
  const fields = conversions.map((conversion, i) => new Field(names[i] as string, conversion.type, true));
  const children = conversions.map((conversion, i) => columnData(conversion, chunks, i, length));
  const schema = new Schema(fields);
  const data = makeData({ type: new Struct(fields), length, nullCount: 0, children });
  return new Table([new RecordBatch(schema, data)]);
}

/**
 * Arrow IPC `ipc` with each column named in `dictionaries` turned from ENUM codes (`enum_code`: unsigned integers) into an
 * Arrow dictionary of those values, as DuckDB-WASM exports an ENUM: the worker then reads each distinct text once, not
 * once per row (a Parquet file gives ENUMs back as plain text). The codes' buffers are kept as they are.
 */
export function enumsAsDictionaries(ipc: Uint8Array, dictionaries: ReadonlyMap<string, readonly (string | null)[]>): Uint8Array {
  const table = tableFromIPC(ipc);
  const coded = table.schema.fields.map((field, index) => {
    const values = dictionaries.get(field.name);
    if (values === undefined || !DataType.isInt(field.type)) return null;
    const type = new Dictionary(new Utf8(), field.type as never, index);
    return { field: new Field(field.name, type, true), type, dictionary: vectorFromArray(values, new Utf8()) };
  });
  const fields = table.schema.fields.map((field, index) => coded[index]?.field ?? field);
  const schema = new Schema(fields, table.schema.metadata);
  const batches = table.batches.map((batch) => {
    const children = batch.data.children.map((child, index) => {
      const code = coded[index];
      if (!code) return child;
      const { offset, length, nullCount, nullBitmap, values } = child;
      return makeData({ type: code.type, offset, length, nullCount, nullBitmap, data: values, dictionary: code.dictionary } as never);
    });
    return new RecordBatch(schema, makeData({ type: new Struct(fields), length: batch.numRows, nullCount: 0, children }));
  });
  return tableToIPC(new Table(schema, batches), 'stream');
}
