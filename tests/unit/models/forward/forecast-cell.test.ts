import { describe, expect, it } from 'vitest';
import { listModels } from '../../../../src/models/registry.ts';
import type { Frame } from '../../../../src/models/kit/frame.ts';

const forecastModel = listModels().find((model) => model.name === 'forecast');
if (forecastModel?.kind !== 'worker') throw new Error('the forecast model is a worker model');

// Six weeks from Monday 2011-01-03 of a shop closed on Sundays, selling 100, 120, … 300 Monday to Saturday.
const WEEK = [100, 120, 140, 160, 180, 300];
const DAY = 86_400_000;
const times: number[] = [];
const amounts: number[] = [];
for (let week = 0; week < 6; week++) {
  WEEK.forEach((amount, weekday) => {
    times.push(Date.UTC(2011, 0, 3 + 7 * week + weekday, 11));
    amounts.push(amount);
  });
}
const sales: Frame = { rowCount: times.length, columns: { invoice_date: Float64Array.from(times), amount: Float64Array.from(amounts) } };
const run = (spec: Record<string, unknown>) => forecastModel.run([sales], { period: 'day', method: 'seasonal_naive', horizon: 7, backtest_origins: 2, ...spec }, {});

describe('the forecast cell with closed days', () => {
  it('skip: Sundays are not trading days, a week is six of them, and the days ahead skip Sunday', () => {
    const result = run({ closed_days: 'skip' });
    expect(result.summary?.columns).toMatchObject({ season: Int32Array.of(6), periods: Int32Array.of(36), closed_days: ['skip'] });
    const table = result['']!;
    const kinds = table.columns.kind as string[];
    const future = (table.columns.period as string[]).filter((_, row) => kinds[row] === 'forecast');
    expect(future).toEqual(['2011-02-14', '2011-02-15', '2011-02-16', '2011-02-17', '2011-02-18', '2011-02-19', '2011-02-21']);
    const forecast = Array.from(table.columns.forecast as Float64Array).filter((_, row) => kinds[row] === 'forecast');
    expect(forecast).toEqual([...WEEK, WEEK[0]]);
  });

  it('zero (the default): Sundays are days that sold nothing, in a season of seven', () => {
    const result = run({});
    expect(result.summary?.columns).toMatchObject({ season: Int32Array.of(7), periods: Int32Array.of(41), closed_days: ['zero'] });
    const kinds = result['']!.columns.kind as string[];
    expect((result['']!.columns.period as string[]).filter((_, row) => kinds[row] === 'forecast')[0]).toBe('2011-02-13');
  });

  it('the backtest table reports the 80% and 95% coverage of each candidate', () => {
    // The pattern repeats exactly, so seasonal naive has zero errors and zero-width intervals that still hold every value.
    const backtest = run({ closed_days: 'skip' }).backtest!;
    expect(backtest.columns).toMatchObject({ method: ['Seasonal naive'], coverage_80: Float64Array.of(1), coverage_95: Float64Array.of(1) });
  });

  it('refuses an unknown closed_days', () => {
    expect(() => run({ closed_days: 'closed' })).toThrow(/"closed_days" must be one of zero, skip/);
  });
});
