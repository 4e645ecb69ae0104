import { WeightedPicker, type Rng } from '../../models/kit/random.ts';

/** A calendar day as seen by a demand curve; `month` is 1–12, `weekday` 0 = Sunday. */
export interface CalendarDay {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly weekday: number;
  /** Months since the calendar's first month (0 for the first). */
  readonly monthIndex: number;
  readonly iso: string;
}

/** Days from `start` to `end` (inclusive) with a demand weight each, for drawing trading days. */
export class TradingCalendar {
  readonly days: readonly CalendarDay[];
  readonly weights: Float64Array;
  private readonly picker: WeightedPicker;

  /** `new TradingCalendar('2010-12-01', '2011-12-09', (day) => (day.weekday === 6 ? 0 : 1))` — closed on Saturdays. */
  constructor(start: string, end: string, dayWeight: (day: CalendarDay) => number) {
    const first = parseIsoDate(start);
    const last = parseIsoDate(end);
    if (last < first) throw new RangeError(`calendar end ${end} is before start ${start}`);
    const days: CalendarDay[] = [];
    const firstDate = new Date(first);
    for (let time = first; time <= last; time += 86_400_000) {
      const date = new Date(time);
      const year = date.getUTCFullYear();
      const month = date.getUTCMonth() + 1;
      const monthIndex = (year - firstDate.getUTCFullYear()) * 12 + (month - 1 - firstDate.getUTCMonth());
      days.push({ year, month, day: date.getUTCDate(), weekday: date.getUTCDay(), monthIndex, iso: date.toISOString().slice(0, 10) });
    }
    this.days = days;
    this.weights = Float64Array.from(days, (day) => Math.max(0, dayWeight(day)));
    this.picker = new WeightedPicker(this.weights);
  }

  get dayCount(): number {
    return this.days.length;
  }

  /** A day index drawn by demand, within [from, to] (inclusive). */
  pickDay(rng: Rng, from = 0, to = this.days.length - 1): number {
    return this.picker.pickBetween(rng, Math.max(0, from), Math.min(this.days.length - 1, to));
  }

  /** The first day index on or after `iso`, clamped to the calendar. */
  indexOf(iso: string): number {
    const offset = Math.round((parseIsoDate(iso) - parseIsoDate(this.dayAt(0).iso)) / 86_400_000);
    return Math.min(this.days.length - 1, Math.max(0, offset));
  }

  dayAt(index: number): CalendarDay {
    const day = this.days[index];
    if (day === undefined) throw new RangeError(`day ${index} is outside the calendar`);
    return day;
  }

  /** The UCI file's timestamp form, `12/1/2010 8:26` (M/D/YYYY H:MM). */
  ukTimestamp(dayIndex: number, minuteOfDay: number): string {
    const day = this.dayAt(dayIndex);
    const minute = minuteOfDay % 60;
    return `${day.month}/${day.day}/${day.year} ${Math.floor(minuteOfDay / 60)}:${minute < 10 ? '0' : ''}${minute}`;
  }
}

function parseIsoDate(iso: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (match === null) throw new RangeError(`expected a YYYY-MM-DD date, got "${iso}"`);
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
}
