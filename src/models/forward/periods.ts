/** Dated values summed into a regular series of months, ISO weeks or days (UTC), the input of the forecasts. */

export type Period = 'month' | 'week' | 'day';

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
  /** Period start dates as `YYYY-MM-DD`, consecutive from the first dated value to the last. */
  readonly labels: string[];
  /** The sum per period; a period with no values is 0 (no sales that month). */
  readonly values: Float64Array;
  /** The labels of the `h` periods after the last. */
  future(h: number): string[];
}

/**
 * Sums `values` by the period of `times` (epoch ms; rows with a missing time or value are skipped):
 * `periodSeries(invoiceDates, amounts, 'month')`.
 */
export function periodSeries(times: ArrayLike<number>, values: ArrayLike<number>, period: Period): PeriodSeries {
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
    labels.push(isoDate(start));
    series.push(sums.get(start) ?? 0);
  }
  return { labels, values: Float64Array.from(series), future: (h) => Array.from({ length: h }, (_, k) => isoDate(nextPeriod(last, period, k + 1))) };
}

const isoDate = (time: number): string => new Date(time).toISOString().slice(0, 10);
