import { describe, expect, it } from 'vitest';
import { Dictionary, Int32, RecordBatch, Table, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import { frameFromIpc, frameToIpc } from '../../../../src/models/kit/frame.ts';
import { codeIndex, presentValues, textCodes, withoutValues } from '../../../../src/models/kit/text-codes.ts';

/** Every row's code names its own value (−1 for null), and each value is there once. */
function expectCodesOf(column: readonly (string | null)[]): void {
  const { codes, values } = textCodes(column);
  expect(codes).toHaveLength(column.length);
  expect(Array.from(codes, (code) => (code < 0 ? null : values[code]))).toEqual(column);
  expect(new Set(values).size).toBe(values.length);
}

describe('textCodes', () => {
  it('codes a plain column in one pass, values in order of first appearance, nulls as −1, and keeps them', () => {
    const column = ['b', 'b', null, 'a', 'b', 'c', null, 'a'];
    const codes = textCodes(column);
    expect(Array.from(codes.codes)).toEqual([0, 0, -1, 1, 0, 2, -1, 1]);
    expect(codes.values).toEqual(['b', 'a', 'c']);
    expect(textCodes(column)).toBe(codes);
    expect(textCodes([...column])).not.toBe(codes);
    expect(presentValues(codes, (x, y) => (x < y ? -1 : 1))).toEqual(['a', 'b', 'c']);
    expect(Array.from(codeIndex(codes.values, ['c', 'b']))).toEqual([1, -1, 0]);
  });

  it('takes a dictionary-coded column\'s codes from the decode, batches with dictionaries of their own included', () => {
    const names = ['Champions', 'At risk', 'Café crème', '', '日本'];
    const repeated = Array.from({ length: 5000 }, (_, row) => (row % 97 === 0 ? null : names[(row * 7) % names.length]!));
    const decoded = frameFromIpc(frameToIpc({ rowCount: 5000, columns: { segment: repeated } })).columns.segment as (string | null)[];
    expect(decoded).toEqual(repeated);
    expectCodesOf(decoded);
    expect([...textCodes(decoded).values].sort()).toEqual([...names].sort());

    const type = new Dictionary(new Utf8(), new Int32());
    const parts = [['x', 'y', 'x', null], ['z', 'x', 'z'], ['y', null, 'w', 'w']];
    const table = new Table(parts.map((values) => new RecordBatch({ t: vectorFromArray(values, type).data[0]! })));
    const column = frameFromIpc(tableToIPC(table, 'stream')).columns.t as (string | null)[];
    expect(column).toEqual(parts.flat());
    expectCodesOf(column);
    expect([...textCodes(column).values].sort()).toEqual(['w', 'x', 'y', 'z']);
  });

  it('drops values with their codes, asking about each value once', () => {
    const decoded = frameFromIpc(frameToIpc({ rowCount: 3000, columns: { p: Array.from({ length: 3000 }, (_, row) => ['POST', 'A1', null, 'B2', 'M'][row % 5]!) } })).columns.p as (string | null)[];
    const asked: string[] = [];
    const kept = withoutValues(decoded, (value) => {
      asked.push(value);
      return value === 'POST' || value === 'M';
    });
    expect(kept).toEqual(decoded.map((value) => (value === 'POST' || value === 'M' ? null : value)));
    expect(asked.sort()).toEqual(['A1', 'B2', 'M', 'POST']);
    expectCodesOf(kept);
    expect(presentValues(textCodes(kept), (x, y) => (x < y ? -1 : 1))).toEqual(['A1', 'B2']);
  });
});
