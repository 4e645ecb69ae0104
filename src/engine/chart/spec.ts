import { SpecError, specTables, type Spec } from '../specs.ts';
import { closestName } from '../../util/names.ts';
import { schemaProblem, type SpecRule, type SpecSchema } from '../../util/spec-schema.ts';
import { isColour, SCHEMES } from './colour.ts';
import { AGGREGATES, CHANNELS, MARK_TYPES, type Aggregate, type Channel, type MarkSpec, type MarkType } from './mark.ts';
import { MARKS } from './marks/index.ts';
import { SELECT_SCHEMA, selectSpec, type SelectSpec } from './select.ts';

export type ScaleType = 'linear' | 'log' | 'sqrt' | 'time' | 'band' | 'point';
const SCALE_TYPES: readonly ScaleType[] = ['linear', 'log', 'sqrt', 'time', 'band', 'point'];

export interface ScaleSpec {
  readonly type?: ScaleType;
  readonly label?: string;
  /** false hides the axis (a network's coordinates mean nothing to the reader). */
  readonly axis?: boolean;
}

/** A checked chart spec; column names are checked against the table by `chartQuery`. */
export interface ChartSpec {
  readonly data: string;
  readonly marks: readonly MarkSpec[];
  readonly title?: string;
  readonly subtitle?: string;
  readonly caption?: string;
  readonly x?: ScaleSpec;
  readonly y?: ScaleSpec;
  readonly color?: { readonly scheme?: string; readonly legend?: boolean };
  readonly height?: number;
  /** Pixels kept clear inside the frame, so labels at the edge of a network or a scatter are not cut off. */
  readonly inset?: number;
  readonly tooltip: boolean;
  /** What the reader brushes or clicks, published as an input other cells read. */
  readonly select?: SelectSpec;
}

const SPEC_MARKS = [...MARK_TYPES, 'rule'];

const channelRule = (channel: Channel): SpecRule => {
  if (channel === 'r') return { type: ['string', 'number'], must: 'name a column or be a radius' };
  return { type: 'string', must: channel === 'fill' || channel === 'stroke' ? 'name a column or a colour' : 'name a column' };
};
/** The keys of one mark, and their types; what a value means (a column, a channel the mark sets) `markSpec` checks. */
const MARK_SCHEMA: SpecSchema = {
  mark: { type: 'string', must: `be one of ${SPEC_MARKS.join(', ')}` },
  ...Object.fromEntries(CHANNELS.map((channel) => [channel, channelRule(channel)])),
  opacity: { type: 'number', must: 'be a number in (0, 1], e.g. 0.3' },
  dx: { type: 'number', must: 'be a shift in pixels, e.g. 8 (a label beside its dot)' },
  dy: { type: 'number', must: 'be a shift in pixels, e.g. 8 (a label beside its dot)' },
  aggregate: { type: 'string', must: `be one of ${AGGREGATES.join(', ')}` },
  sort: { type: 'string', must: 'name a channel the mark sets, "-" first for descending' },
  top: { type: 'number', must: 'be a whole number of groups, e.g. 10' },
};
const MARK_FIELDS = Object.keys(MARK_SCHEMA);
/** A mark in a `marks` list may also read its own table. */
const LIST_MARK_SCHEMA: SpecSchema = { ...MARK_SCHEMA, data: { type: 'string', must: 'name the table this mark draws, e.g. "nodes"' } };
// A string passes here so that `scaleSpec` can say where a column named at the top of a chart with marks belongs.
const axisSchema = (axis: 'x' | 'y'): SpecSchema => ({
  [axis]: { type: ['object', 'string'], must: 'be an axis like { "type": "log", "label": "Revenue" }' },
  [`${axis}.type`]: { type: 'string', must: `be one of ${SCALE_TYPES.join(', ')}` },
  [`${axis}.label`]: 'string',
  [`${axis}.axis`]: 'boolean',
});
/** The keys of a chart around its marks. */
const CHART_SCHEMA: SpecSchema = {
  data: { type: 'string', must: 'name the table to chart, e.g. "monthly"' },
  marks: { type: 'list', must: 'be a list of marks, [{ "mark": "barY", "x": …, "y": … }]' },
  title: 'string',
  subtitle: 'string',
  caption: 'string',
  ...axisSchema('x'),
  ...axisSchema('y'),
  color: { type: 'object', must: 'be like { "scheme": "tableau10", "legend": true }' },
  'color.scheme': 'string',
  'color.legend': 'boolean',
  height: { type: 'number', must: 'be a positive number' },
  inset: { type: 'number', must: 'be a positive number' },
  tooltip: 'boolean',
  ...SELECT_SCHEMA,
};
/** The short form `{ data, mark, x, y, … }`: one mark's keys beside the chart's; there `x` is a column or an axis. */
const SHORT_SCHEMA: SpecSchema = {
  ...CHART_SCHEMA,
  ...MARK_SCHEMA,
  x: { type: ['string', 'object'], must: 'name a column, or be an axis like { "type": "log" }' },
  y: { type: ['string', 'object'], must: 'name a column, or be an axis like { "type": "log" }' },
};

/**
 * Check a chart spec, naming the field at fault:
 * `chartSpec({ data: 'sales', marks: [{ mark: 'barY', x: 'country', y: 'amount', aggregate: 'sum' }] })`.
 * The short form `{ data, mark, x, y, … }` is one mark; there a string `x` is a column and an object `x` a scale.
 */
export function chartSpec(spec: Spec): ChartSpec {
  const data = spec.data;
  if (typeof data !== 'string' || data === '') throw new SpecError('"data" must name the table to chart, e.g. "monthly"');
  let marks: MarkSpec[];
  const scales: Record<string, unknown> = { x: spec.x, y: spec.y };
  if (spec.mark !== undefined) {
    if (spec.marks !== undefined) throw new SpecError('give either "mark" (one mark) or "marks" (a list), not both');
    checkKeys(spec, SHORT_SCHEMA, '');
    const fields = Object.fromEntries(Object.entries(spec).filter(([field, value]) => MARK_FIELDS.includes(field) && !((field === 'x' || field === 'y') && typeof value === 'object')));
    for (const axis of ['x', 'y']) if (typeof scales[axis] === 'string') scales[axis] = undefined;
    marks = [markSpec(fields, '')];
  } else {
    checkKeys(spec, CHART_SCHEMA, '');
    if (!Array.isArray(spec.marks) || spec.marks.length === 0) throw new SpecError('a chart needs "marks": [{ "mark": "barY", "x": …, "y": … }], or one "mark"');
    marks = spec.marks.map((mark: unknown, i) => {
      if (!isRecord(mark)) throw new SpecError(`"marks[${i}]" must be an object like { "mark": "barY", "x": …, "y": … }`);
      checkKeys(mark, LIST_MARK_SCHEMA, `marks[${i}].`);
      return markSpec(mark, `marks[${i}].`);
    });
  }
  return omitUndefined({
    data,
    marks,
    title: text(spec, 'title'),
    subtitle: text(spec, 'subtitle'),
    caption: text(spec, 'caption'),
    x: scaleSpec(scales.x, 'x'),
    y: scaleSpec(scales.y, 'y'),
    color: colorSpec(spec.color),
    height: positive(spec.height, 'height'),
    inset: positive(spec.inset, 'inset'),
    tooltip: flag(spec.tooltip, 'tooltip') ?? true,
    select: selectSpec(spec),
  });
}

function markSpec(fields: Record<string, unknown>, at: string): MarkSpec {
  const name = fields.mark;
  if (typeof name !== 'string' || !SPEC_MARKS.includes(name)) throw new SpecError(`"${at}mark" must be one of ${SPEC_MARKS.join(', ')}; got ${JSON.stringify(name)}`);
  const channels: Partial<Record<Channel, string>> = {};
  const constants: { fill?: string; stroke?: string; r?: number; opacity?: number; dx?: number; dy?: number } = {};
  for (const channel of CHANNELS) {
    const value = fields[channel];
    if (value === undefined) continue;
    if (channel === 'r' && typeof value === 'number' && value > 0) constants.r = value;
    else if (typeof value !== 'string' || value === '') throw new SpecError(`"${at}${channel}" must name a column${channel === 'fill' || channel === 'stroke' ? ' or a colour' : channel === 'r' ? ' or be a radius' : ''}; got ${JSON.stringify(value)}`);
    else if ((channel === 'fill' || channel === 'stroke') && isColour(value)) constants[channel] = value;
    else channels[channel] = value;
  }
  const opacity = fields.opacity;
  if (opacity !== undefined && !(typeof opacity === 'number' && opacity > 0 && opacity <= 1)) throw new SpecError(`"${at}opacity" must be a number in (0, 1], e.g. 0.3; got ${JSON.stringify(opacity)}`);
  if (opacity !== undefined) constants.opacity = opacity;
  for (const shift of ['dx', 'dy'] as const) {
    const value = fields[shift];
    if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value))) throw new SpecError(`"${at}${shift}" must be a shift in pixels, e.g. 8 (a label beside its dot); got ${JSON.stringify(value)}`);
    if (value !== undefined) constants[shift] = value;
  }
  const table = fields.data;
  if (table !== undefined && (typeof table !== 'string' || table === '')) throw new SpecError(`"${at}data" must name the table this mark draws, e.g. "nodes"; got ${JSON.stringify(table)}`);
  const mark: MarkType = name === 'rule' ? (channels.x !== undefined && channels.y === undefined ? 'ruleX' : 'ruleY') : (name as MarkType);
  const aggregate = fields.aggregate;
  if (aggregate !== undefined && !AGGREGATES.includes(aggregate as Aggregate)) throw new SpecError(`"${at}aggregate" must be one of ${AGGREGATES.join(', ')}; got ${JSON.stringify(aggregate)}`);
  const definition = MARKS[mark];
  if (aggregate !== undefined && !definition.aggregates) throw new SpecError(`"${at}aggregate" does not apply to a ${mark} mark`);
  const value = definition.valueChannel;
  if (aggregate !== undefined && aggregate !== 'count' && channels[value] === undefined) throw new SpecError(`"${at}aggregate": ${aggregate} needs a column in "${at}${value}"`);
  const required = definition.requires;
  if (required !== undefined && !required.channels.every((c) => channels[c] !== undefined)) throw new SpecError(required.message(at));
  if (channels.z !== undefined && (!definition.threeD || channels.x === undefined || channels.y === undefined)) throw new SpecError(`"${at}z" makes a rotatable 3-D scatter: it needs a dot mark with "${at}x" and "${at}y" too`);
  if (channels.z !== undefined && aggregate !== undefined) throw new SpecError(`"${at}aggregate" does not apply to a 3-D scatter; aggregate in SQL first`);
  if (definition.needsPosition && channels.x === undefined && channels.y === undefined && aggregate !== 'count') throw new SpecError(`a ${name} mark needs "${at}x" or "${at}y"`);
  const sort = fields.sort;
  if (sort !== undefined) {
    const channel = typeof sort === 'string' ? sort.replace(/^-/, '') : '';
    const bound = channels[channel as Channel] !== undefined || (aggregate === 'count' && channel === value);
    if (!bound) throw new SpecError(`"${at}sort" must name a channel the mark sets, "-" first for descending, e.g. "-${value}"; got ${JSON.stringify(sort)}`);
  }
  const top = fields.top;
  if (top !== undefined && !(typeof top === 'number' && Number.isInteger(top) && top > 0)) throw new SpecError(`"${at}top" must be a whole number of groups, e.g. 10; got ${JSON.stringify(top)}`);
  if (top !== undefined && aggregate !== 'count' && channels[value] === undefined) throw new SpecError(`"${at}top" ranks by "${at}${value}", which the mark does not set`);
  return omitUndefined({ mark, data: table as string | undefined, channels, constants, aggregate: aggregate as Aggregate | undefined, sort: sort as string | undefined, top: top as number | undefined });
}

/** Every table a chart reads: its `data`, then any mark's own, without repeats. */
export function chartTables(chart: ChartSpec): string[] {
  return [...new Set([chart.data, ...chart.marks.flatMap((mark) => (mark.data === undefined ? [] : [mark.data]))])];
}

/** The tables an unchecked chart spec names, for the dependency graph (which must not fail on a bad spec). */
export function chartSpecReads(spec: Spec): string[] {
  const marks = Array.isArray(spec.marks) ? spec.marks : [];
  const own = marks.flatMap((mark: unknown) => (isRecord(mark) && typeof mark.data === 'string' ? [mark.data] : []));
  return [...specTables(spec, 'data'), ...own];
}

function scaleSpec(value: unknown, axis: 'x' | 'y'): ScaleSpec | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') throw new SpecError(`"${axis}" at the top of a chart with "marks" is its axis, e.g. { "type": "log", "label": "Revenue" }; put the column in a mark`);
  if (!isRecord(value)) throw new SpecError(`"${axis}" must be an axis like { "type": "log", "label": "Revenue" }`);
  const type = value.type;
  if (type !== undefined && !SCALE_TYPES.includes(type as ScaleType)) throw new SpecError(`"${axis}.type" must be one of ${SCALE_TYPES.join(', ')}; got ${JSON.stringify(type)}`);
  return omitUndefined({ type: type as ScaleType | undefined, label: text(value, 'label', `${axis}.`), axis: flag(value.axis, `${axis}.axis`) });
}

function colorSpec(value: unknown): ChartSpec['color'] {
  if (value === undefined) return undefined;
  if (!isRecord(value)) throw new SpecError('"color" must be like { "scheme": "tableau10", "legend": true }');
  const scheme = value.scheme;
  if (scheme !== undefined && (typeof scheme !== 'string' || !SCHEMES.includes(scheme.toLowerCase()))) {
    const near = typeof scheme === 'string' ? closestName(scheme, SCHEMES) : undefined;
    throw new SpecError(`"color.scheme" must be a Plot colour scheme such as tableau10, observable10, blues, viridis or rdbu; got ${JSON.stringify(scheme)}${near ? ` (did you mean "${near}"?)` : ''}`);
  }
  return omitUndefined({ scheme: (scheme as string | undefined)?.toLowerCase(), legend: flag(value.legend, 'color.legend') });
}


/** Unknown keys and values of the wrong type, by the one spec checker; `at` prefixes keys (`marks[0].`). */
function checkKeys(object: Record<string, unknown>, schema: SpecSchema, at: string): void {
  const problem = schemaProblem(object, schema, { at });
  if (problem !== undefined) throw new SpecError(problem);
}

function text(object: Record<string, unknown>, field: string, at = ''): string | undefined {
  const value = object[field];
  if (value !== undefined && typeof value !== 'string') throw new SpecError(`"${at}${field}" must be text; got ${JSON.stringify(value)}`);
  return value as string | undefined;
}

function positive(value: unknown, field: string): number | undefined {
  if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value > 0)) throw new SpecError(`"${field}" must be a positive number; got ${JSON.stringify(value)}`);
  return value as number | undefined;
}

function flag(value: unknown, field: string): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') throw new SpecError(`"${field}" must be true or false; got ${JSON.stringify(value)}`);
  return value as boolean | undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object without its undefined fields, so checked specs compare and serialise cleanly. */
export function omitUndefined<T extends object>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as T;
}
