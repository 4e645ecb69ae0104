import { describe, expect, it } from 'vitest';
import { RecordBatch, Table, tableFromIPC, tableFromArrays, tableToIPC, vectorFromArray, Utf8 } from 'apache-arrow';
import { frameFromIpc, frameToIpc } from '../../../../src/models/kit/frame.ts';

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

  it('reads a sliced text vector at its offset', () => {
    const sliced = tableFromArrays({ t: ['x', 'yy', 'zzz', 'w'] }).slice(1, 3);
    expect(frameFromIpc(tableToIPC(sliced, 'stream')).columns.t).toEqual(['yy', 'zzz']);
  });
});
