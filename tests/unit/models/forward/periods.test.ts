import { describe, expect, it } from 'vitest';
import { periodSeries, periodStart } from '../../../../src/models/forward/periods.ts';

const t = (iso: string) => Date.parse(`${iso}Z`);

describe('periodSeries', () => {
  it('sums by month, fills a month without sales with 0, and names the months to come', () => {
    const series = periodSeries(
      [t('2011-01-03T10:00:00'), t('2011-01-31T23:59:00'), t('2011-03-01T00:00:00'), Number.NaN],
      [10, 5, 7, 99],
      'month',
    );
    expect(series.labels).toEqual(['2011-01-01', '2011-02-01', '2011-03-01']);
    expect(Array.from(series.values)).toEqual([15, 0, 7]);
    expect(series.future(2)).toEqual(['2011-04-01', '2011-05-01']);
  });

  it('starts ISO weeks on Monday and days at midnight UTC', () => {
    // 2011-01-02 was a Sunday: its week began on Monday 2010-12-27.
    expect(new Date(periodStart(t('2011-01-02T15:00:00'), 'week')).toISOString().slice(0, 10)).toBe('2010-12-27');
    expect(new Date(periodStart(t('2011-01-03T15:00:00'), 'week')).toISOString().slice(0, 10)).toBe('2011-01-03');
    const days = periodSeries([t('2011-01-01T08:00:00'), t('2011-01-03T09:00:00')], [1, 2], 'day');
    expect(days.labels).toEqual(['2011-01-01', '2011-01-02', '2011-01-03']);
    expect(Array.from(days.values)).toEqual([1, 0, 2]);
  });

  it('skips days without sales as closed: a week is the weekdays the shop trades on, and the days ahead are trading days', () => {
    // Three weeks from Monday 2011-01-03 of a shop closed on Sundays, and on Wednesday 2011-01-12 (a holiday).
    const days: number[] = [];
    for (let day = 3; day <= 22; day++) if (day !== 9 && day !== 16 && day !== 12) days.push(t(`2011-01-${String(day).padStart(2, '0')}T10:00:00`));
    const skipped = periodSeries(days, days.map(() => 5), 'day', 'skip');
    expect(skipped.labels).toHaveLength(17);
    expect(skipped.labels.slice(5, 10)).toEqual(['2011-01-08', '2011-01-10', '2011-01-11', '2011-01-13', '2011-01-14']);
    expect(Array.from(skipped.values).every((value) => value === 5)).toBe(true);
    // Wednesdays sold on 2 of 3 dates (at least half): a trading weekday. Sundays never did.
    expect(skipped.tradingWeekdays).toEqual([1, 2, 3, 4, 5, 6]);
    // The last day is Saturday 22 January: next come Monday 24 … Saturday 29, then Monday 31.
    expect(skipped.future(7)).toEqual(['2011-01-24', '2011-01-25', '2011-01-26', '2011-01-27', '2011-01-28', '2011-01-29', '2011-01-31']);
    const zero = periodSeries(days, days.map(() => 5), 'day', 'zero');
    expect(zero.labels).toHaveLength(20);
    expect(zero.tradingWeekdays).toBeUndefined();
    expect(Array.from(zero.values).filter((value) => value === 0)).toHaveLength(3);
  });

  it('refuses a table without a single dated value', () => {
    expect(() => periodSeries([Number.NaN], [1], 'month')).toThrow(/no dated values/);
  });
});
