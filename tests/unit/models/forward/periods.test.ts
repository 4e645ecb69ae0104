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

  it('refuses a table without a single dated value', () => {
    expect(() => periodSeries([Number.NaN], [1], 'month')).toThrow(/no dated values/);
  });
});
