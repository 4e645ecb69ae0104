import { describe, expect, it } from 'vitest';
import { customerSummary } from '../../../../src/models/forward/clv-summary.ts';

const t = (iso: string) => Date.parse(`${iso}Z`);

describe('customerSummary', () => {
  it('counts purchase days as lifetimes does (freq="D"), by hand', () => {
    // A buys on 1 Jan (two lines), 11 Jan and 31 Jan; B once on 21 Jan; C returns everything it bought on 5 Jan.
    // The last day in the data is 31 Jan. A: 3 days → frequency 2, recency 30, T 30, repeat days worth 20 and 40 → 30.
    const summary = customerSummary(
      ['A', 'A', 'A', 'A', 'B', 'C', 'C', null],
      [t('2011-01-01T09:00:00'), t('2011-01-01T17:00:00'), t('2011-01-11T10:00:00'), t('2011-01-31T10:00:00'), t('2011-01-21T12:00:00'), t('2011-01-05T10:00:00'), t('2011-01-05T11:00:00'), t('2011-02-20T00:00:00')],
      [10, 5, 20, 40, 7, 9, -9, 100],
    );
    expect(summary.ids).toEqual(['A', 'B']);
    expect(Array.from(summary.frequency)).toEqual([2, 0]);
    expect(Array.from(summary.recency)).toEqual([30, 0]);
    expect(Array.from(summary.age)).toEqual([30, 10]);
    expect(Array.from(summary.monetaryValue)).toEqual([30, 0]);
    expect(new Date(summary.end).toISOString().slice(0, 10)).toBe('2011-01-31');
  });
});
