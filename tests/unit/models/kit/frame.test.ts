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

  it('writes text whose values repeat as a dictionary of the same values, nulls kept; unique or short text stays plain', () => {
    const names = ['Champions', 'At risk', 'Café crème', '', '日本'];
    const repeated = Array.from({ length: 5000 }, (_, row) => (row % 97 === 0 ? null : names[(row * 7) % names.length]!));
    const unique = Array.from({ length: 5000 }, (_, row) => `C${row}`);
    const short = repeated.slice(0, 1000);
    const table = tableFromIPC(frameToIpc({ rowCount: 5000, columns: { segment: repeated, id: unique } }));
    const segment = table.getChild('segment')!;
    expect(segment.type.toString()).toBe('Dictionary<Int32, Utf8>');
    expect(segment.nullCount).toBe(Math.ceil(5000 / 97));
    expect(Array.from({ length: 5000 }, (_, row) => segment.get(row))).toEqual(repeated);
    expect(table.getChild('id')!.type.toString()).toBe('Utf8');
    expect(tableFromIPC(frameToIpc({ rowCount: 1000, columns: { segment: short } })).getChild('segment')!.type.toString()).toBe('Utf8');
    // Unique values after a repetitive start: given up once past one distinct value per two rows.
    const late = [...Array.from({ length: 3000 }, () => 'same'), ...Array.from({ length: 7000 }, (_, row) => `v${row}`)];
    const written = tableFromIPC(frameToIpc({ rowCount: late.length, columns: { late } })).getChild('late')!;
    expect(written.type.toString()).toBe('Utf8');
    expect(written.toArray()).toEqual(late);
    expect(frameFromIpc(frameToIpc({ rowCount: 5000, columns: { segment: repeated } })).columns.segment).toEqual(repeated);
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

  it('joins parts whose text is coded in one and plain in another, or coded by other dictionaries, as plain text', () => {
    const coded = Array.from({ length: 2000 }, (_, row) => ['ALS', 'Item-kNN', null][row % 3]!);
    const otherCodes = Array.from({ length: 1500 }, (_, row) => ['Popularity', 'ALS'][row % 2]!);
    const plain = ['Hybrid', null, 'ALS'];
    const parts = [coded, plain, otherCodes].map((method) => frameToIpc({ rowCount: method.length, columns: { method, k: Int32Array.from(method, (_, row) => row) } }));
    expect(parts.map((part) => tableFromIPC(part).getChild('method')!.type.toString())).toEqual(['Dictionary<Int32, Utf8>', 'Utf8', 'Dictionary<Int32, Utf8>']);
    const joined = tableFromIPC(concatIpc(parts));
    expect(joined.schema.fields.map((field) => `${field.name} ${field.type}`)).toEqual(['method Utf8', 'k Int32']);
    expect(joined.getChild('method')!.toArray()).toEqual([...coded, ...plain, ...otherCodes]);
    expect(Array.from(joined.getChild('k')!.toArray() as Int32Array)).toEqual([...coded.keys(), ...plain.keys(), ...otherCodes.keys()]);
  });

  it('refuses parts whose columns differ, naming both', () => {
    const a = frameToIpc({ rowCount: 1, columns: { k: Int32Array.of(1) } });
    const b = frameToIpc({ rowCount: 1, columns: { k: Float64Array.of(1) } });
    expect(() => concatIpc([a, b])).toThrow('the parts of one run have different columns: k Int32 against k Float64');
  });
});
