import { describe, expect, it } from 'vitest';
import { carryIn, carryOut } from '../../../../src/models/kit/carried.ts';
import { frameFromIpc, frameToIpc } from '../../../../src/models/kit/frame.ts';
import { runModel } from '../../../../src/models/registry.ts';

describe('carried columns', () => {
  const input = { rowCount: 3, columns: { spend: Float64Array.of(1, 2, 50) } };

  it('are nulls for the model to copy, and come off its own table after', () => {
    const [given] = carryIn([input], ['customer_id']);
    expect(given?.columns.customer_id).toEqual([null, null, null]);
    expect(given?.columns.spend).toBe(input.columns.spend);
    const own = { rowCount: 3, columns: { customer_id: [null, null, null], cluster: Int32Array.of(0, 0, 1) } };
    const summary = { rowCount: 1, columns: { k: Int32Array.of(2) } };
    expect(carryOut({ '': own, summary }, ['customer_id'], 3)).toEqual({ '': { rowCount: 3, columns: { cluster: Int32Array.of(0, 0, 1) } }, summary });
  });

  it('must begin the model\'s table, a row per input row', () => {
    const own = { rowCount: 3, columns: { cluster: Int32Array.of(0, 0, 1), customer_id: [null, null, null] } };
    expect(() => carryOut({ '': own }, ['customer_id'], 3)).toThrow(/must begin with customer_id/);
    expect(() => carryOut({ '': { rowCount: 2, columns: { customer_id: [null, null] } } }, ['customer_id'], 3)).toThrow(/a row per input row/);
    expect(() => carryIn([input, input], ['customer_id'])).toThrow(/one input/);
  });

  it('are left out of K-Means\' table by the registry, and refused for a model that does not carry them', () => {
    const params = { model: 'kmeans', input: 't', id: 'customer_id', features: ['spend'], k: 2, scaling: 'none', seed: 1 };
    const outputs = runModel('kmeans', params, [frameToIpc(input)], {}, ['customer_id']);
    const own = frameFromIpc(outputs['']!);
    expect(Object.keys(own.columns)).toEqual(['cluster', 'segment', 'spend']);
    // 1 and 2 together, 50 alone.
    const cluster = own.columns.cluster as Int32Array;
    expect([cluster[0] === cluster[1], cluster[0] === cluster[2]]).toEqual([true, false]);
    expect(() => runModel('kmeans', params, [frameToIpc(input)], {}, ['spend'])).toThrow(/does not carry spend/);
  });
});
