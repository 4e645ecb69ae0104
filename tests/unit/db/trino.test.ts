import { describe, expect, it } from 'vitest';
import { parseTrinoUrl, positionalToQuestionMarks, splitStatements, trinoLiteral } from '../../../src/db/trino.ts';
import { arrowFromTrino } from '../../../src/db/trino-arrow.ts';

describe('parseTrinoUrl', () => {
  it('reads user, host, port, catalog and schema', () => {
    expect(parseTrinoUrl('trino://ana@127.0.0.1:18080/hive/work')).toEqual({
      server: 'http://127.0.0.1:18080',
      user: 'ana',
      catalog: 'hive',
      schema: 'work',
    });
  });

  it('defaults the user and the port', () => {
    expect(parseTrinoUrl('trino://db.example/hive/retail')).toEqual({ server: 'http://db.example:8080', user: 'aisle', catalog: 'hive', schema: 'retail' });
  });

  it('says what is missing', () => {
    expect(() => parseTrinoUrl('trino://127.0.0.1:18080/hive')).toThrow(/catalog and a schema/);
    expect(() => parseTrinoUrl('http://127.0.0.1:18080/hive/x')).toThrow(/must start with trino:\/\//);
    expect(() => parseTrinoUrl('hive.retail')).toThrow(/not a Trino address/);
  });
});

describe('splitStatements', () => {
  it('splits at top-level semicolons only', () => {
    const script = `CREATE TABLE "a;b" AS SELECT 'x;y' AS v -- c;d
;
/* e;f */ SELECT 1;  ;
SELECT 2`;
    expect(splitStatements(script)).toEqual([`CREATE TABLE "a;b" AS SELECT 'x;y' AS v -- c;d`, '/* e;f */ SELECT 1', 'SELECT 2']);
  });

  it('drops statements that are only comments', () => {
    expect(splitStatements('SELECT 1;\n-- done\n')).toEqual(['SELECT 1']);
  });
});

describe('parameters', () => {
  it('turns $1, $2 into ? outside quotes and comments', () => {
    expect(positionalToQuestionMarks(`SELECT '$1', $1 + "$2" -- $9\n, $2`)).toEqual({ sql: `SELECT '$1', ? + "$2" -- $9\n, ?`, positions: [1, 2] });
  });

  it('binds a parameter used twice, or out of order, once per place it appears', () => {
    expect(positionalToQuestionMarks('SELECT $2, $1 WHERE $1 IS NULL OR x BETWEEN $1[1] AND $1[2]')).toEqual({
      sql: 'SELECT ?, ? WHERE ? IS NULL OR x BETWEEN ?[1] AND ?[2]',
      positions: [2, 1, 1, 1, 1],
    });
  });

  it('writes values as typed literals', () => {
    expect([null, true, 3, 2.5, "O'Neil", 7n].map(trinoLiteral)).toEqual(['NULL', 'true', '3', "DOUBLE '2.5'", "VARCHAR 'O''Neil'", "BIGINT '7'"]);
  });
});

describe('arrowFromTrino', () => {
  it('maps Trino types to the Arrow types DuckDB gives', () => {
    const table = arrowFromTrino(
      [
        { name: 'n', type: 'bigint' },
        { name: 'i', type: 'integer' },
        { name: 'x', type: 'double' },
        { name: 'd', type: 'decimal(10,2)' },
        { name: 's', type: 'varchar(5)' },
        { name: 'day', type: 'date' },
        { name: 'at', type: 'timestamp(3)' },
        { name: 'items', type: 'array(varchar)' },
      ],
      [
        [9007199254740993, 1, 'NaN', '12.50', 'ab', '2011-03-01', '2010-12-01 08:26:00.250', ['p', 'q']],
        [null, null, 1.5, null, null, null, null, null],
      ],
    );
    expect(table.schema.fields.map((field) => String(field.type))).toEqual([
      'Int64',
      'Int32',
      'Float64',
      'Float64',
      'Utf8',
      'Date32<DAY>',
      'Timestamp<MICROSECOND>',
      'List<Utf8>',
    ]);
    const [first, second] = table.toArray().map((row) => row.toJSON());
    expect(typeof first?.n).toBe('bigint');
    expect(first?.i).toBe(1);
    expect(Number.isNaN(first?.x)).toBe(true);
    expect(first?.d).toBe(12.5);
    expect(first?.s).toBe('ab');
    expect(first?.day).toBe(Date.UTC(2011, 2, 1));
    expect(first?.at).toBe(Date.UTC(2010, 11, 1, 8, 26, 0, 250));
    expect([...(first?.items ?? [])]).toEqual(['p', 'q']);
    expect(second).toEqual({ n: null, i: null, x: 1.5, d: null, s: null, day: null, at: null, items: null });
  });
});
