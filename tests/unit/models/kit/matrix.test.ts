import { describe, expect, it } from 'vitest';
import { assertFinite, fromColumns, fromRows, get, getColumn, getRow, matrix, selectRows, squaredDistance, toRows } from '../../../../src/models/kit/matrix.ts';
import { Progress } from '../../../../src/models/kit/progress.ts';
import { abortedSignal } from '../segmentation/segmentation-fixtures.ts';

describe('Matrix', () => {
  it('stores rows row-major, and builds the same matrix from rows or from columns', () => {
    const byRows = fromRows([[12, 5, 430], [200, 1, 35]]);
    const byColumns = fromColumns([Float64Array.of(12, 200), [5, 1], [430, 35]]);
    expect(byRows).toEqual({ rows: 2, cols: 3, values: Float64Array.of(12, 5, 430, 200, 1, 35) });
    expect(byColumns).toEqual(byRows);
    expect(toRows(byRows)).toEqual([[12, 5, 430], [200, 1, 35]]);
    expect(Array.from(getRow(byRows, 1))).toEqual([200, 1, 35]);
    expect(Array.from(getColumn(byRows, 2))).toEqual([430, 35]);
    expect(get(byRows, 1, 2)).toBe(35);
    expect(toRows(selectRows(byRows, [1, 1, 0]))).toEqual([[200, 1, 35], [200, 1, 35], [12, 5, 430]]);
    expect(squaredDistance(byRows.values, 0, byRows.values, 1, 3)).toBe(188 ** 2 + 4 ** 2 + 395 ** 2);
  });

  it('rejects ragged input and wrong sizes, naming the offender', () => {
    expect(() => fromRows([[1, 2], [3]])).toThrow(/row 1 has 1 values, expected 2/);
    expect(() => fromColumns([[1, 2], [3]])).toThrow(/column 1 has 1 values, expected 2/);
    expect(() => matrix(2, 2, new Float64Array(3))).toThrow(/needs 4 values, got 3/);
    expect(() => get(matrix(2, 2), 2, 0)).toThrow(/outside a 2 × 2/);
    expect(() => assertFinite(fromRows([[1, 2], [3, Number.NaN]]), 'K-Means features')).toThrow(/K-Means features: value NaN at row 1, column 1/);
  });
});

describe('Progress', () => {
  it('reports whole percentages once each, monotonically, and exactly 1 at the end; slices map into a range', () => {
    const reported: number[] = [];
    const progress = new Progress({ onProgress: (fraction) => reported.push(fraction) }, 'Test');
    progress.checkpoint(0.005);
    progress.checkpoint(0.25);
    progress.checkpoint(0.251);
    progress.checkpoint(0.1); // a stray lower value is not reported
    progress.slice(0.5, 1).onProgress?.(0.5); // 75%
    progress.checkpoint(1); // 100% is only reported by finish()
    progress.finish();
    expect(reported).toEqual([0.25, 0.75, 1]);
  });

  it('throws an AbortError named for the work once the signal fires', () => {
    const progress = new Progress({ signal: abortedSignal() }, 'K-Means');
    expect(() => progress.checkpoint(0.5)).toThrow(expect.objectContaining({ name: 'AbortError', message: 'K-Means cancelled' }));
  });
});
