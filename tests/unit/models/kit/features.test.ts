import { describe, expect, it } from 'vitest';
import { applyTransform, invertTransform, prepareFeatures } from '../../../../src/models/kit/features.ts';
import { fromRows, toRows } from '../../../../src/models/kit/matrix.ts';

const e = Math.E;
// recency in days, monetary in pounds chosen so log1p(monetary) is 0, 1, 2; a constant column of 7s.
const customers = fromRows([
  [10, 0, 7],
  [20, e - 1, 7],
  [30, e * e - 1, 7],
]);
const columns = ['recency', 'monetary', 'country_code'];
const closeRows = (actual: number[][], expected: number[][]) =>
  actual.forEach((row, i) => row.forEach((value, j) => expect(value).toBeCloseTo(expected[i]?.[j] ?? Number.NaN, 12)));

describe('prepareFeatures', () => {
  it('z-scores with the population sd after log1p of the chosen columns; an sd of 0 gives 0', () => {
    const { matrix, transform } = prepareFeatures(customers, { columns, log1p: ['monetary'] });
    // Both columns become (-1, 0, 1) / sqrt(2/3) once logged: mean 20 and sd sqrt(200/3); mean 1 and sd sqrt(2/3).
    const z = 1 / Math.sqrt(2 / 3);
    closeRows(toRows(matrix), [[-z, -z, 0], [0, 0, 0], [z, z, 0]]);
    expect(transform.log1p).toEqual([false, true, false]);
    expect(transform.scaling.kind).toBe('standard');
    if (transform.scaling.kind === 'standard') {
      expect(transform.scaling.means).toEqual([20, expect.closeTo(1, 12), 7]);
      expect(transform.scaling.sds[0]).toBeCloseTo(Math.sqrt(200 / 3), 12);
      expect(transform.scaling.sds[2]).toBe(0);
    }
  });

  it('min-max scales to [0, 1] (a constant column to 0), or leaves values alone with none', () => {
    closeRows(toRows(prepareFeatures(customers, { columns, log1p: ['monetary'], scaling: 'minmax' }).matrix), [[0, 0, 0], [0.5, 0.5, 0], [1, 1, 0]]);
    closeRows(toRows(prepareFeatures(customers, { columns, log1p: ['monetary'], scaling: 'none' }).matrix), [[10, 0, 7], [20, 1, 7], [30, 2, 7]]);
  });

  it('serialises to JSON and back without losing the transform', () => {
    const { transform } = prepareFeatures(customers, { columns, log1p: ['monetary'] });
    const revived = JSON.parse(JSON.stringify(transform)) as typeof transform;
    expect(Array.from(applyTransform(revived, [25, 3, 7]))).toEqual(Array.from(applyTransform(transform, [25, 3, 7])));
  });

  it('applies the fitted transform to one new customer, and inverts centroids back to days and pounds', () => {
    for (const scaling of ['standard', 'minmax', 'none'] as const) {
      const { matrix, transform } = prepareFeatures(customers, { columns, log1p: ['monetary'], scaling });
      expect(Array.from(applyTransform(transform, [20, e - 1, 7]))).toEqual(toRows(matrix)[1]);
      const back = toRows(invertTransform(transform, matrix));
      closeRows(back.map((row) => row.slice(0, 2)), toRows(customers).map((row) => row.slice(0, 2)));
      // A constant column carries no information; it comes back as its constant.
      expect(back.map((row) => row[2])).toEqual([7, 7, 7]);
    }
  });

  it('fails fast on log1p of a net-return customer, unknown columns and non-finite values, naming them', () => {
    const returns = fromRows([[3, -5], [4, 10]]);
    expect(() => prepareFeatures(returns, { columns: ['recency', 'monetary'], log1p: ['monetary'] })).toThrow(/column "monetary" has -5 at row 0/);
    expect(() => prepareFeatures(customers, { columns, log1p: ['monetry'] })).toThrow(/log1p column "monetry" is not one of recency, monetary/);
    expect(() => prepareFeatures(customers, { columns: ['recency'] })).toThrow(/expected 3 column names, got 1/);
    expect(() => prepareFeatures(fromRows([[Number.NaN]]), { columns: ['recency'] })).toThrow(/column "recency" has a non-finite value NaN at row 0/);
    const { transform } = prepareFeatures(customers, { columns });
    expect(() => applyTransform(transform, [1, 2])).toThrow(/expected 3 values \(recency, monetary, country_code\), got 2/);
    expect(() => applyTransform(transform, [1, Number.NaN, 3])).toThrow(/"monetary" must be a finite number/);
  });
});
