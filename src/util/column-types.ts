/**
 * What kind of value a column holds, from the type name DuckDB writes in DESCRIBE (`BIGINT`, `DECIMAL(18,3)`,
 * `TIMESTAMP WITH TIME ZONE`, `VARCHAR[]`). The one place the app answers "is this column numeric?": a name is
 * matched whole, so `INTERVAL` is not an integer and a list such as `BIGINT[]` is not a number.
 */

const INTEGERS = new Set(['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT', 'INT', 'INT1', 'INT2', 'INT4', 'INT8']);
const FLOATS = new Set(['FLOAT', 'REAL', 'DOUBLE', 'FLOAT4', 'FLOAT8']);
/** Integers that reach JavaScript as bigint, where a number would lose digits past 2^53. */
const BIG_INTEGERS = new Set(['BIGINT', 'HUGEINT', 'UBIGINT', 'UHUGEINT', 'INT8']);
const DECIMAL = /^(?:DECIMAL|NUMERIC)(?:\(\s*\d+\s*(?:,\s*(\d+)\s*)?\))?$/;
// DATETIME and TIMESTAMPTZ are DuckDB's aliases; TIME (a time of day) and INTERVAL (a duration) are not points in time.
const TEMPORALS = new Set(['DATE', 'TIMESTAMP', 'TIMESTAMP WITH TIME ZONE', 'TIMESTAMPTZ', 'TIMESTAMP_S', 'TIMESTAMP_MS', 'TIMESTAMP_NS', 'DATETIME']);
// DuckDB writes every string type as VARCHAR; the aliases may still reach us from a spec or a hand-written type.
const TEXTS = new Set(['VARCHAR', 'TEXT', 'STRING', 'CHAR', 'BPCHAR']);

const normal = (type: string): string => type.trim().toUpperCase();

/** Whole numbers, signed or not: `INTEGER`, `UBIGINT`, `HUGEINT` — not `INTERVAL`, not `BIGINT[]`. */
export function isIntegerType(type: string): boolean {
  return INTEGERS.has(normal(type));
}

/** Binary floating point: `DOUBLE`, `FLOAT`, `REAL` (which can hold NaN and ±Infinity). */
export function isFloatingType(type: string): boolean {
  return FLOATS.has(normal(type));
}

/** 64-bit floating point (`DOUBLE`, `FLOAT8`), which holds every value exactly as a JavaScript number does; `FLOAT` and `REAL` are 32-bit. */
export function isDoubleType(type: string): boolean {
  return ['DOUBLE', 'FLOAT8'].includes(normal(type));
}

/** Fixed-point numbers: `DECIMAL(18,3)`, `DECIMAL`, `NUMERIC(10,2)`. */
export function isDecimalType(type: string): boolean {
  return DECIMAL.test(normal(type));
}

/** The digits after the point of a `DECIMAL(p,s)` type (`DECIMAL(18,3)` → 3); undefined for any other type. */
export function decimalScale(type: string): number | undefined {
  const scale = DECIMAL.exec(normal(type))?.[1];
  return scale === undefined ? undefined : Number(scale);
}

/** Any number: an integer, a float or a decimal. */
export function isNumericType(type: string): boolean {
  return isIntegerType(type) || isFloatingType(type) || isDecimalType(type);
}

/** Numbers that reach JavaScript as bigint or Decimal objects rather than as numbers: 64- and 128-bit integers, decimals. */
export function isWideNumericType(type: string): boolean {
  return BIG_INTEGERS.has(normal(type)) || isDecimalType(type);
}

/** A point in time: `DATE`, `TIMESTAMP` and its variants (with time zone, `_S`, `_MS`, `_NS`). */
export function isTemporalType(type: string): boolean {
  return TEMPORALS.has(normal(type));
}

/** Text: `VARCHAR` (and its aliases); not `VARCHAR[]`, not an ENUM. */
export function isTextType(type: string): boolean {
  return TEXTS.has(normal(type));
}

/** An ENUM, which DESCRIBE writes with its values: `ENUM('gold', 'silver')`. */
export function isEnumType(type: string): boolean {
  return /^ENUM\s*\(/.test(normal(type));
}

export function isBooleanType(type: string): boolean {
  return ['BOOLEAN', 'BOOL'].includes(normal(type));
}
