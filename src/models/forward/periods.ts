/** Dated values summed into a regular series of months, ISO weeks or days (UTC), the input of the forecasts. */

export type Period = 'month' | 'week' | 'day';

/** What a period without sales is: `zero` — a period that sold nothing; `skip` — not a trading period, left out. */
export type ClosedPeriods = 'zero' | 'skip';

const DAY = 86_400_000;

/** The start of the period holding `time` (epoch ms, UTC): the 1st of the month, the Monday of the week, or midnight. */
export function periodStart(time: number, period: Period): number {
  const date = new Date(time);
  if (period === 'month') return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
  const midnight = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  return period === 'day' ? midnight : midnight - ((date.getUTCDay() + 6) % 7) * DAY;
}

/** The start of the period `steps` after the one starting at `start`. */
export function nextPeriod(start: number, period: Period, steps = 1): number {
  if (period === 'month') {
    const date = new Date(start);
    return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + steps, 1);
  }
  return start + steps * (period === 'week' ? 7 : 1) * DAY;
}

export interface PeriodSeries {
  /** Period start dates as `YYYY-MM-DD`, consecutive from the first dated value to the last (only trading ones when skipped). */
  readonly labels: string[];
  /** The sum per period; a period with no values is 0 (no sales that month), or left out when closed ones are skipped. */
  readonly values: Float64Array;
  /**
   * Days skipped as closed: the ISO weekdays (1 = Monday) the shop trades on — those with sales on at least half of
   * their dates — so a week holds `tradingWeekdays.length` periods. Undefined otherwise.
   */
  readonly tradingWeekdays?: readonly number[];
  /** The labels of the `h` periods after the last (the next trading weekdays when closed days are skipped). */
  future(h: number): string[];
}

/**
 * Sums `values` by the period of `times` (epoch ms; rows with a missing time or value are skipped):
 * `periodSeries(invoiceDates, amounts, 'month')`; `periodSeries(invoiceDates, amounts, 'day', 'skip')` keeps only days with sales.
 */
export function periodSeries(times: ArrayLike<number>, values: ArrayLike<number>, period: Period, closed: ClosedPeriods = 'zero'): PeriodSeries {
  if (times.length !== values.length) throw new RangeError(`${times.length} dates but ${values.length} values`);
  const sums = new Map<number, number>();
  for (let row = 0; row < times.length; row++) {
    const time = times[row] as number;
    const value = values[row] as number;
    if (!Number.isFinite(time) || !Number.isFinite(value)) continue;
    const start = periodStart(time, period);
    sums.set(start, (sums.get(start) ?? 0) + value);
  }
  if (sums.size === 0) throw new RangeError('there are no dated values to forecast');
  const starts = [...sums.keys()];
  const first = Math.min(...starts);
  const last = Math.max(...starts);
  const labels: string[] = [];
  const series: number[] = [];
  for (let start = first; start <= last; start = nextPeriod(start, period)) {
    if (closed === 'skip' && !sums.has(start)) continue;
    labels.push(isoDate(start));
    series.push(sums.get(start) ?? 0);
  }
  const sold = Float64Array.from(series);
  if (closed === 'zero' || period !== 'day') {
    return { labels, values: sold, future: (h) => Array.from({ length: h }, (_, k) => isoDate(nextPeriod(last, period, k + 1))) };
  }
  const tradingWeekdays = tradedWeekdays(new Set(sums.keys()), first, last);
  const future = (h: number): string[] => {
    const days: string[] = [];
    for (let day = last + DAY; days.length < h; day += DAY) if (tradingWeekdays.includes(isoWeekday(day))) days.push(isoDate(day));
    return days;
  };
  return { labels, values: sold, tradingWeekdays, future };
}

/** ISO weekdays with sales on at least half of their dates from `first` to `last`; every weekday that sold, if none does. */
function tradedWeekdays(sold: ReadonlySet<number>, first: number, last: number): number[] {
  const dates = new Array<number>(8).fill(0);
  const open = new Array<number>(8).fill(0);
  for (let day = first; day <= last; day += DAY) {
    const weekday = isoWeekday(day);
    dates[weekday] = (dates[weekday] as number) + 1;
    if (sold.has(day)) open[weekday] = (open[weekday] as number) + 1;
  }
  const weekdays = [1, 2, 3, 4, 5, 6, 7];
  const regular = weekdays.filter((weekday) => (open[weekday] as number) > 0 && 2 * (open[weekday] as number) >= (dates[weekday] as number));
  return regular.length > 0 ? regular : weekdays.filter((weekday) => (open[weekday] as number) > 0);
}

const isoWeekday = (time: number): number => ((new Date(time).getUTCDay() + 6) % 7) + 1;

const isoDate = (time: number): string => new Date(time).toISOString().slice(0, 10);
