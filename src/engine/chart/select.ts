/**
 * Linked charts: a chart's `select` publishes what the reader brushes or clicks as an input other cells read as
 * `$name`. This file holds the pure parts: the spec, pixel → value on a Plot scale, and how a value binds in SQL.
 */
import { SpecError, type InputValue, type Spec } from '../specs.ts';
import { cellNameProblem, quotedName } from '../../util/names.ts';
import { schemaProblem, type SpecSchema } from '../../util/spec-schema.ts';
import { duckdbDialect, type SqlDialect } from '../../util/dialect/index.ts';

export type SelectType = 'interval' | 'point';
export type SelectChannel = 'x' | 'y';
export const SELECT_TYPES: readonly SelectType[] = ['interval', 'point'];
export const SELECT_CHANNELS: readonly SelectChannel[] = ['x', 'y'];

/** `{ "as": "period", "type": "interval", "channel": "x" }`: brush an interval on x, published as `$period`. */
export interface SelectSpec {
  readonly as: string;
  readonly type: SelectType;
  readonly channel: SelectChannel;
}

/**
 * What a selection holds: null when nothing is selected; an interval's `[start, end]` (numbers, or timestamps as
 * text `2011-03-01 00:00:00.000`); a point's one value.
 */
export type SelectionValue = null | string | number | readonly [string, string] | readonly [number, number];

/** The `select` key of a chart spec, for the one spec checker (the chart's schema includes it). */
export const SELECT_SCHEMA: SpecSchema = {
  select: { type: 'object', must: 'be like { "as": "period", "type": "interval", "channel": "x" }' },
  'select.as': { type: 'string', must: 'name the input the selection becomes, e.g. "period"' },
  'select.type': { type: 'string', must: `be one of ${SELECT_TYPES.join(', ')}` },
  'select.channel': { type: 'string', must: `be one of ${SELECT_CHANNELS.join(', ')}` },
};

/**
 * The chart's `select`, checked, or undefined when it has none: `{ "as": "period" }` brushes an interval on x.
 * Read before the chart runs (the notebook's graph must know the input it defines), so it checks its own keys.
 */
export function selectSpec(spec: Spec): SelectSpec | undefined {
  const select = spec.select;
  if (select === undefined || select === null) return undefined;
  const keyProblem = schemaProblem({ select }, SELECT_SCHEMA);
  if (keyProblem !== undefined) throw new SpecError(keyProblem);
  const { as, type = 'interval', channel = 'x' } = select as Record<string, unknown>;
  if (typeof as !== 'string') throw new SpecError('"select.as" must name the input the selection becomes, e.g. "period"');
  const problem = cellNameProblem(as);
  if (problem !== undefined) throw new SpecError(`"select.as" ${quotedName(as)} cannot name an input: ${problem}`);
  if (!SELECT_TYPES.includes(type as SelectType)) throw new SpecError(`"select.type" must be one of ${SELECT_TYPES.join(', ')}; got ${JSON.stringify(type)}`);
  if (!SELECT_CHANNELS.includes(channel as SelectChannel)) throw new SpecError(`"select.channel" must be one of ${SELECT_CHANNELS.join(', ')}; got ${JSON.stringify(channel)}`);
  return { as, type: type as SelectType, channel: channel as SelectChannel };
}

/** What the page reads of a Plot scale (`plot.scale('x')`): Plot's own description of it. */
export interface PlotScale {
  readonly type: string;
  readonly domain: readonly unknown[];
  readonly range?: readonly number[];
  readonly bandwidth?: number;
  readonly apply?: (value: unknown) => number;
  readonly invert?: (pixel: number) => unknown;
}

const CONTINUOUS = new Set(['linear', 'log', 'sqrt', 'pow', 'symlog', 'time', 'utc']);
const ORDINAL = new Set(['band', 'point', 'ordinal']);

/** Why a selection cannot be made on this scale, or undefined when it can. */
export function selectProblem(select: SelectSpec, scale: PlotScale | undefined): string | undefined {
  if (scale === undefined) return `the chart has no ${select.channel} axis to select on`;
  if (select.type === 'interval' && (!CONTINUOUS.has(scale.type) || scale.invert === undefined)) {
    return `an interval selection needs a numeric or time ${select.channel} axis; this one is ${scale.type} (use "type": "point" to click its ${scale.type === 'band' ? 'bars' : 'values'})`;
  }
  if (select.type === 'point' && !ORDINAL.has(scale.type) && scale.invert === undefined) return `a point selection cannot read a ${scale.type} ${select.channel} axis`;
  return undefined;
}

/**
 * The interval a brush spans, `[from, to]` in pixels of the plot, as values of the scale, in ascending order:
 * a time scale gives timestamps as text (UTC, as DuckDB's TIMESTAMP values reach the page), a numeric scale numbers.
 */
export function intervalAt(scale: PlotScale, pixels: readonly [number, number]): readonly [string, string] | readonly [number, number] {
  if (scale.invert === undefined) throw new Error(`a ${scale.type} scale cannot be inverted`);
  const ends = [scale.invert(pixels[0]), scale.invert(pixels[1])];
  if (ends.every((end) => end instanceof Date)) {
    const [a, b] = (ends as Date[]).map((end) => end.getTime()).sort((x, y) => x - y);
    return [timestampText(a!), timestampText(b!)];
  }
  if (ends.every((end) => typeof end === 'number')) {
    const [a, b] = (ends as number[]).sort((x, y) => x - y);
    return [a!, b!];
  }
  throw new Error(`a ${scale.type} scale gave ${JSON.stringify(ends)}`);
}

/** The pixels an interval spans on the scale, to draw a kept selection again after a re-run. */
export function intervalPixels(scale: PlotScale, value: InputValue | undefined): [number, number] | undefined {
  if (!Array.isArray(value) || value.length !== 2 || scale.apply === undefined) return undefined;
  const time = scale.type === 'time' || scale.type === 'utc';
  const ends = (value as readonly (string | number)[]).map((end) => scale.apply!(time && typeof end === 'string' ? timestampDate(end) : end));
  if (!ends.every(Number.isFinite)) return undefined;
  return [Math.min(ends[0]!, ends[1]!), Math.max(ends[0]!, ends[1]!)];
}

/**
 * The value a click at `pixel` picks: on a band or point scale the category whose band holds (or whose point is
 * nearest to) the pixel; on a continuous scale the nearest of `values` (the marks' data) within `reach` pixels.
 * Undefined when the click hits nothing, which clears the selection.
 */
export function pointAt(scale: PlotScale, pixel: number, values: readonly unknown[] = [], reach = 12): string | number | undefined {
  const apply = scale.apply;
  if (apply === undefined) return undefined;
  if (scale.type === 'band') {
    const width = scale.bandwidth ?? 0;
    const hit = scale.domain.find((value) => pixel >= apply(value) && pixel <= apply(value) + width);
    return hit === undefined ? undefined : pointValue(hit);
  }
  const candidates = ORDINAL.has(scale.type) ? scale.domain : values;
  let best: { value: unknown; distance: number } | undefined;
  for (const value of candidates) {
    const distance = Math.abs(apply(value) - pixel);
    if (Number.isFinite(distance) && (best === undefined || distance < best.distance)) best = { value, distance };
  }
  const limit = ORDINAL.has(scale.type) ? Math.max(reach, (scale.bandwidth ?? 0) / 2) : reach;
  return best === undefined || best.distance > limit ? undefined : pointValue(best.value);
}

/** Where a picked point's category sits, to mark it: its band `[from, to]`, or a point's pixel either side of it. */
export function pointPixels(scale: PlotScale, value: InputValue | undefined): [number, number] | undefined {
  if (value === null || value === undefined || typeof value === 'boolean' || Array.isArray(value) || scale.apply === undefined) return undefined;
  const time = scale.type === 'time' || scale.type === 'utc';
  const match = scale.domain.find((candidate) => pointValue(candidate) === value);
  const at = scale.apply(match ?? (time && typeof value === 'string' ? timestampDate(value) : value));
  if (!Number.isFinite(at)) return undefined;
  return scale.type === 'band' ? [at, at + (scale.bandwidth ?? 0)] : [at - 4, at + 4];
}

function pointValue(value: unknown): string | number {
  if (value instanceof Date) return timestampText(value.getTime());
  return typeof value === 'number' ? value : String(value);
}

/** `2011-03-01 00:00:00.000` for an instant, in UTC: the text DuckDB casts to the TIMESTAMP it came from. */
export function timestampText(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('T', ' ').replace('Z', '');
}

function timestampDate(text: string): Date {
  return new Date(`${text.replace(' ', 'T')}Z`);
}

/**
 * How a selection's `$name` stands in SQL, around its positional parameter `$n`: an interval is a two-element list
 * typed by its values (`$period[1]`, `$period[2]`; TIMESTAMP or DOUBLE so comparisons with a column need no cast),
 * sent as one text and split in SQL; a cleared selection is NULL (`$period IS NULL OR …`). A point is its value.
 * The values are always parameters, never part of the SQL text.
 */
export function selectionSql(parameter: string, value: InputValue, dialect: SqlDialect = duckdbDialect): string {
  if (!Array.isArray(value)) return parameter;
  return dialect.listFromText(parameter, value.every((end) => typeof end === 'number') ? 'DOUBLE' : 'TIMESTAMP');
}

/** True when `value` is something a selection can hold (a saved or restored value is checked before it is used). */
export function isSelectionValue(select: SelectSpec, value: unknown): value is SelectionValue {
  if (value === null) return true;
  if (select.type === 'point') return typeof value === 'string' || typeof value === 'number';
  if (!Array.isArray(value) || value.length !== 2) return false;
  return value.every((end) => typeof end === 'number' && Number.isFinite(end)) || value.every((end) => typeof end === 'string' && !Number.isNaN(timestampDate(end).getTime()));
}

/**
 * A selection in words, for the line under the chart: `2011-03-01 → 2011-05-31 18:00`, `France`, or undefined when
 * cleared. Timestamps drop their seconds, and their time when it is midnight.
 */
export function selectionLabel(value: InputValue | undefined): string | undefined {
  const shown = (end: string | number) => (typeof end === 'number' ? String(Number(end.toPrecision(6))) : /^\d{4}-\d{2}-\d{2} /.test(end) ? end.slice(0, 16).replace(/ 00:00$/, '') : end);
  if (value === null || value === undefined || typeof value === 'boolean') return undefined;
  if (Array.isArray(value)) return value.map(shown).join(' → ');
  return shown(value as string | number);
}
