import { describe, expect, it } from 'vitest';
import { customerSummary } from '../../../../src/models/forward/clv-summary.ts';
import lifetimes from '../../../fixtures/models/clv-lifetimes.json';

const t = (iso: string) => Date.parse(`${iso}Z`);

describe('customerSummary', () => {
  it('counts purchase days as lifetimes does (freq="D"), by hand', () => {
    // A buys on 1 Jan (two lines), 11 Jan and 31 Jan; B once on 21 Jan; C returns more than it bought on 5 Jan (a net
    // return, not a purchase) and D buys and returns the same on 7 Jan (nets to 0: a purchase day, as in lifetimes).
    // The last day in the data is 31 Jan. A: 3 days → frequency 2, recency 30, T 30, repeat days worth 20 and 40 → 30.
    const summary = customerSummary(
      ['A', 'A', 'A', 'A', 'B', 'C', 'C', 'D', 'D', null],
      [t('2011-01-01T09:00:00'), t('2011-01-01T17:00:00'), t('2011-01-11T10:00:00'), t('2011-01-31T10:00:00'), t('2011-01-21T12:00:00'), t('2011-01-05T10:00:00'), t('2011-01-05T11:00:00'), t('2011-01-07T10:00:00'), t('2011-01-07T11:00:00'), t('2011-02-20T00:00:00')],
      [10, 5, 20, 40, 7, 9, -12, 9, -9, 100],
    );
    expect(summary.ids).toEqual(['A', 'B', 'D']);
    expect(Array.from(summary.frequency)).toEqual([2, 0, 0]);
    expect(Array.from(summary.recency)).toEqual([30, 0, 0]);
    expect(Array.from(summary.age)).toEqual([30, 10, 24]);
    expect(Array.from(summary.spend.frequency)).toEqual([2, 0, 0]);
    expect(Array.from(summary.spend.monetaryValue)).toEqual([30, 0, 0]);
    expect(new Date(summary.end).toISOString().slice(0, 10)).toBe('2011-01-31');
  });

  it('counts a free day as a purchase, as lifetimes does, and leaves it out of the spend Gamma-Gamma reads', () => {
    // lifetimes 0.11.3's summary_data_from_transaction_data on these lines (tests/fixtures/models/clv_reference.py):
    // A pays 10, gets something free on 11 Jan and pays 40 on 31 Jan; B's first day is free, then it pays 8.
    const { transactions, summary: reference } = lifetimes.zero_value_days;
    const summary = customerSummary(transactions.customer, transactions.date.map((day) => t(`${day}T12:00:00`)), transactions.amount, t('2011-01-31T00:00:00'));
    expect(summary.ids).toEqual(['A', 'B']);
    expect(Array.from(summary.frequency)).toEqual([reference.frequency.A, reference.frequency.B]);
    expect(Array.from(summary.recency)).toEqual([reference.recency.A, reference.recency.B]);
    expect(Array.from(summary.age)).toEqual([reference.T.A, reference.T.B]);
    // lifetimes averages every repeat day (A: (0 + 40)/2 = 20); Gamma-Gamma models positive spend, so by hand: A's one
    // paid repeat day is worth 40, B's is worth 8.
    expect([reference.monetary_value.A, reference.monetary_value.B]).toEqual([20, 8]);
    expect(Array.from(summary.spend.frequency)).toEqual([1, 1]);
    expect(Array.from(summary.spend.monetaryValue)).toEqual([40, 8]);
  });

  it('lists only customers who bought by the end, and counts only the days up to it', () => {
    const summary = customerSummary(['A', 'A', 'B'], [t('2011-01-01T09:00:00'), t('2011-01-20T09:00:00'), t('2011-01-15T09:00:00')], [5, 6, 7], t('2011-01-10T00:00:00'));
    expect(summary.ids).toEqual(['A']);
    expect([summary.frequency[0], summary.recency[0], summary.age[0]]).toEqual([0, 0, 9]);
  });
});
