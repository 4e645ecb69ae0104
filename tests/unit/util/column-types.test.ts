import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeDatabase } from '../../../src/db/duckdb-node.ts';
import type { Database } from '../../../src/engine/ports.ts';
import { decimalScale, isBooleanType, isDecimalType, isDoubleType, isEnumType, isFloatingType, isIntegerType, isNumericType, isTemporalType, isTextType, isWideNumericType } from '../../../src/util/column-types.ts';

/** Each value cast to a type, with what a reader of retail data would call it. */
const CASES: readonly { sql: string; kind: 'integer' | 'floating' | 'decimal' | 'temporal' | 'text' | 'enum' | 'boolean' | 'other'; wide?: boolean }[] = [
  { sql: '1::TINYINT', kind: 'integer' },
  { sql: '1::SMALLINT', kind: 'integer' },
  { sql: '1::INTEGER', kind: 'integer' },
  { sql: '1::INT', kind: 'integer' },
  { sql: '1::BIGINT', kind: 'integer', wide: true },
  { sql: '1::HUGEINT', kind: 'integer', wide: true },
  { sql: '1::UTINYINT', kind: 'integer' },
  { sql: '1::USMALLINT', kind: 'integer' },
  { sql: '1::UINTEGER', kind: 'integer' },
  { sql: '1::UBIGINT', kind: 'integer', wide: true },
  { sql: '1::UHUGEINT', kind: 'integer', wide: true },
  { sql: '1::DOUBLE', kind: 'floating' },
  { sql: '1::FLOAT', kind: 'floating' },
  { sql: '1::REAL', kind: 'floating' },
  { sql: '1::DECIMAL(18,3)', kind: 'decimal', wide: true },
  { sql: '1::NUMERIC(10,2)', kind: 'decimal', wide: true },
  { sql: "INTERVAL '1 day'", kind: 'other' },
  { sql: "DATE '2011-12-09'", kind: 'temporal' },
  { sql: "TIMESTAMP '2011-12-09 12:50'", kind: 'temporal' },
  { sql: "TIMESTAMPTZ '2011-12-09 12:50'", kind: 'temporal' },
  { sql: "'2011-12-09 12:50'::TIMESTAMP_NS", kind: 'temporal' },
  { sql: "'2011-12-09 12:50'::TIMESTAMP_MS", kind: 'temporal' },
  { sql: "'2011-12-09 12:50'::TIMESTAMP_S", kind: 'temporal' },
  { sql: "TIME '12:50'", kind: 'other' },
  { sql: "'United Kingdom'::VARCHAR", kind: 'text' },
  { sql: "'United Kingdom'::TEXT", kind: 'text' },
  { sql: 'true', kind: 'boolean' },
  { sql: "'gold'::ENUM('gold', 'silver')", kind: 'enum' },
  { sql: '[1, 2]::BIGINT[]', kind: 'other' },
  { sql: "['a']::VARCHAR[]", kind: 'other' },
  { sql: '[1.5]::DOUBLE[]', kind: 'other' },
  { sql: "{'quantity': 1}", kind: 'other' },
  { sql: "MAP {'a': 1}", kind: 'other' },
  { sql: "'\\x01'::BLOB", kind: 'other' },
  { sql: "'4b8a1c2e-0f2e-4c3a-9b1e-2d3f4a5b6c7d'::UUID", kind: 'other' },
];

let db: Database;
/** The type names as DuckDB itself writes them in DESCRIBE, one per case. */
let types: string[];

beforeAll(async () => {
  db = await openNodeDatabase();
  const select = CASES.map((c, i) => `${c.sql} AS c${i}`).join(', ');
  const described = (await db.query(`DESCRIBE SELECT ${select}`)).toArray();
  types = described.map((row) => String(row.column_type));
});
afterAll(async () => {
  await db.close();
});

describe('column types as DuckDB names them', () => {
  it('reads the names DESCRIBE writes, such as DECIMAL(18,3) and TIMESTAMP WITH TIME ZONE', () => {
    expect(types).toContain('DECIMAL(18,3)');
    expect(types).toContain('TIMESTAMP WITH TIME ZONE');
    expect(types).toContain('INTERVAL');
    expect(types).toContain('BIGINT[]');
  });

  it('calls integers, floats and decimals numeric, and nothing else — not INTERVAL, not a list of numbers', () => {
    CASES.forEach((c, i) => {
      const type = types[i]!;
      expect({ type, integer: isIntegerType(type) }).toEqual({ type, integer: c.kind === 'integer' });
      expect({ type, floating: isFloatingType(type) }).toEqual({ type, floating: c.kind === 'floating' });
      expect({ type, decimal: isDecimalType(type) }).toEqual({ type, decimal: c.kind === 'decimal' });
      expect({ type, numeric: isNumericType(type) }).toEqual({ type, numeric: ['integer', 'floating', 'decimal'].includes(c.kind) });
      expect({ type, wide: isWideNumericType(type) }).toEqual({ type, wide: c.wide === true });
    });
  });

  it('calls only 64-bit floats doubles: DOUBLE and its alias FLOAT8, not FLOAT or REAL', () => {
    const doubles = types.filter((type) => isDoubleType(type));
    expect(doubles).toEqual(['DOUBLE']);
    expect(isDoubleType('FLOAT8')).toBe(true);
    expect(isDoubleType('DOUBLE[]')).toBe(false);
  });

  it('calls dates and timestamps temporal, but not a time of day or a duration', () => {
    CASES.forEach((c, i) => expect({ type: types[i], temporal: isTemporalType(types[i]!) }).toEqual({ type: types[i], temporal: c.kind === 'temporal' }));
  });

  it('tells text from enums, booleans and lists of text', () => {
    CASES.forEach((c, i) => {
      const type = types[i]!;
      expect({ type, text: isTextType(type), enum: isEnumType(type), boolean: isBooleanType(type) }).toEqual({ type, text: c.kind === 'text', enum: c.kind === 'enum', boolean: c.kind === 'boolean' });
    });
  });

  it('reads the scale of a decimal, and none of any other type', () => {
    expect(decimalScale('DECIMAL(18,3)')).toBe(3);
    expect(decimalScale('DECIMAL(10, 0)')).toBe(0);
    expect(decimalScale('DOUBLE')).toBeUndefined();
    expect(decimalScale('DECIMAL')).toBeUndefined();
  });

  it('ignores case and surrounding spaces, as a hand-written type may have them', () => {
    expect(isNumericType(' bigint ')).toBe(true);
    expect(isTemporalType('timestamp with time zone')).toBe(true);
    expect(isIntegerType('interval')).toBe(false);
  });
});
