import { describe, expect, it } from 'vitest';
import { RecordBatch, Table, tableFromIPC, tableFromArrays, tableToIPC, vectorFromArray, Utf8 } from 'apache-arrow';
import { concatIpc, frameFromIpc, frameToIpc } from '../../../../src/models/kit/frame.ts';

describe('frameFromIpc', () => {
  it('reads text with nulls, non-ASCII and several record batches, as Arrow itself does', () => {
    const batches = [
      ['85123A', null, 'WHITE HANGING HEART T-LIGHT HOLDER'],
      ['Café crème', '', null, '日本'],
      [null, 'ASCII again'],
    ];
    const table = new Table(batches.map((values) => new RecordBatch({ code: vectorFromArray(values, new Utf8()).data[0]! })));
    const frame = frameFromIpc(tableToIPC(table, 'stream'));
    expect(frame.rowCount).toBe(9);
    expect(frame.columns.code).toEqual(batches.flat());
    // The reference: Arrow's own per-row get.
    expect(frame.columns.code).toEqual(Array.from({ length: 9 }, (_, row) => table.getChild('code')!.get(row)));
  });

  it('round-trips numbers and text through frameToIpc', () => {
    const frame = { rowCount: 3, columns: { id: ['a', null, 'c'], n: Float64Array.of(1.5, Number.NaN, -2), k: Int32Array.of(1, 2, 3) } };
    const ipc = frameToIpc(frame);
    // NaN travels as NULL, so SQL's aggregates skip it rather than turn NaN.
    expect(tableFromIPC(ipc).getChild('n')!.nullCount).toBe(1);
    const back = frameFromIpc(ipc);
    expect(back.columns.id).toEqual(['a', null, 'c']);
    expect(Array.from(back.columns.n as Float64Array)).toEqual([1.5, Number.NaN, -2]);
    expect(Array.from(back.columns.k as Float64Array)).toEqual([1, 2, 3]);
  });

  it('writes text as Arrow itself writes it: the same values, nulls, offsets and bytes, any script or length', () => {
    // Seeded so a failure can be replayed: ASCII, Latin-1, CJK, emoji (surrogate pairs), empty strings, nulls and a
    // long value that outgrows the first buffer.
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const alphabet = ['a', 'Z', '0', ' ', 'é', 'ß', '日', '本', '😀', '\u00a0', '"', ','];
    const values: (string | null)[] = Array.from({ length: 2000 }, () => {
      const roll = random();
      if (roll < 0.05) return null;
      if (roll < 0.08) return '';
      return Array.from({ length: Math.floor(random() * 12) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    });
    values.push('x'.repeat(50_000));
    const ipc = frameToIpc({ rowCount: values.length, columns: { text: values, n: Float64Array.from(values, (_, row) => (row % 3 === 0 ? Number.NaN : row)) } });
    const written = tableFromIPC(ipc).getChild('text')!;
    const reference = vectorFromArray(values, new Utf8());
    expect(written.type.toString()).toBe('Utf8');
    expect(written.nullCount).toBe(values.filter((value) => value === null).length);
    expect(written.toArray()).toEqual(reference.toArray());
    expect(Array.from({ length: values.length }, (_, row) => written.get(row))).toEqual(values);
    const numbers = tableFromIPC(ipc).getChild('n')!;
    expect(numbers.nullCount).toBe(Math.ceil(values.length / 3));
    expect(numbers.get(3)).toBeNull();
    expect(numbers.get(4)).toBe(4);
  });

  it('reads a sliced text vector at its offset', () => {
    const sliced = tableFromArrays({ t: ['x', 'yy', 'zzz', 'w'] }).slice(1, 3);
    expect(frameFromIpc(tableToIPC(sliced, 'stream')).columns.t).toEqual(['yy', 'zzz']);
  });
});

describe('concatIpc', () => {
  it('joins streams of one schema in order, each column keeping its type', () => {
    const a = frameToIpc({ rowCount: 2, columns: { split: ['time', null], k: Int32Array.of(10, 10), map: Float64Array.of(0.5, Number.NaN) } });
    const b = frameToIpc({ rowCount: 1, columns: { split: ['last basket'], k: Int32Array.of(5), map: Float64Array.of(0.25) } });
    const joined = tableFromIPC(concatIpc([a, b]));
    expect(joined.schema.fields.map((field) => `${field.name} ${field.type}`)).toEqual(['split Utf8', 'k Int32', 'map Float64']);
    expect(joined.toArray().map((row) => row.toJSON())).toEqual([
      { split: 'time', k: 10, map: 0.5 },
      { split: null, k: 10, map: null },
      { split: 'last basket', k: 5, map: 0.25 },
    ]);
  });

  it('refuses parts whose columns differ, naming both', () => {
    const a = frameToIpc({ rowCount: 1, columns: { k: Int32Array.of(1) } });
    const b = frameToIpc({ rowCount: 1, columns: { k: Float64Array.of(1) } });
    expect(() => concatIpc([a, b])).toThrow('the parts of one run have different columns: k Int32 against k Float64');
  });
});
