import { describe, expect, it } from 'vitest';
import { DateDay, Float64, Int32, Table, TimestampMillisecond, Uint64, Utf8, tableFromArrays, vectorFromArray } from 'apache-arrow';
import { MAX_VALUES, valuesInsert } from '../../../src/db/arrow-values.ts';

describe('valuesInsert', () => {
  it('binds every value as a parameter, row by row, and names each column by its cast', () => {
    const rows = new Table({ id: vectorFromArray([7, null], new Int32()), note: vectorFromArray(["a'b", '?'], new Utf8()) });
    const insert = valuesInsert('out put', rows);
    expect(insert?.sql).toBe('CREATE OR REPLACE TABLE "out put" AS SELECT * FROM (VALUES (CAST(? AS INTEGER), CAST(? AS VARCHAR)), (CAST(? AS INTEGER), CAST(? AS VARCHAR))) AS v("id", "note")');
    expect(insert?.params).toEqual([7, "a'b", null, '?']);
    expect(insert?.shape).toEqual({ columns: [{ name: 'id', type: 'INTEGER' }, { name: 'note', type: 'VARCHAR' }], rowCount: 2 });
  });

  it('takes up to MAX_VALUES values and leaves larger tables to the Parquet path', () => {
    const table = (rows: number) => tableFromArrays({ a: new Float64Array(rows), b: new Float64Array(rows) });
    expect(valuesInsert('t', table(MAX_VALUES / 2))?.params).toHaveLength(MAX_VALUES);
    expect(valuesInsert('t', table(MAX_VALUES / 2 + 1))).toBeUndefined();
  });

  it('leaves to the Parquet path the types whose values would not bind exactly, and names DuckDB would take as one', () => {
    expect(valuesInsert('t', new Table({ day: vectorFromArray([1], new DateDay()) }))).toBeUndefined();
    expect(valuesInsert('t', new Table({ at: vectorFromArray([1], new TimestampMillisecond()) }))).toBeUndefined();
    expect(valuesInsert('t', new Table({ big: vectorFromArray([2n ** 63n], new Uint64()) }))).toBeUndefined();
    expect(valuesInsert('t', new Table({ a: vectorFromArray([1], new Float64()), A: vectorFromArray([2], new Float64()) }))).toBeUndefined();
    expect(valuesInsert('t', new Table({}))).toBeUndefined();
  });
});
