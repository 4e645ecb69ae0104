import type { ColumnInfo } from './catalog.ts';
import { SpecError, specTables, type Spec } from './specs.ts';
import { closestName } from '../util/names.ts';
import { quoteIdent } from '../util/sql.ts';
import { axisLines, DEFAULT_VIEW, EXTENT, projectRows, SCREEN_X, SCREEN_Y, type View3d } from './chart-3d.ts';

/** The Plot mark functions a chart can draw; a spec's `"rule"` becomes `ruleX` (given x only) or `ruleY`. */
export const MARK_TYPES = ['barY', 'barX', 'line', 'lineY', 'area', 'areaY', 'dot', 'cell', 'ruleX', 'ruleY', 'text', 'boxY', 'tickX', 'tickY', 'link'] as const;
export type MarkType = (typeof MARK_TYPES)[number];

/** Encodings a mark can bind to a column. */
export const CHANNELS = ['x', 'y', 'z', 'fill', 'stroke', 'r', 'text', 'fx', 'fy', 'x1', 'y1', 'x2', 'y2'] as const;
export type Channel = (typeof CHANNELS)[number];

export const AGGREGATES = ['sum', 'count', 'mean', 'median', 'min', 'max'] as const;
export type Aggregate = (typeof AGGREGATES)[number];

export type ScaleType = 'linear' | 'log' | 'sqrt' | 'time' | 'band' | 'point';
const SCALE_TYPES: readonly ScaleType[] = ['linear', 'log', 'sqrt', 'time', 'band', 'point'];

/** One checked mark: channels name columns; colours and a fixed radius are constants. */
export interface MarkSpec {
  readonly mark: MarkType;
  /** The mark's own table, when it is not the chart's `data` (a network's links and its nodes). */
  readonly data?: string;
  readonly channels: Readonly<Partial<Record<Channel, string>>>;
  readonly constants: { readonly fill?: string; readonly stroke?: string; readonly r?: number; readonly opacity?: number; readonly dx?: number; readonly dy?: number };
  /** Applied to the value channel (y; x for barX, tickX and ruleX; fill for cell), grouping by every other column. */
  readonly aggregate?: Aggregate;
  /** A channel, `-` first for descending: `"-y"`. */
  readonly sort?: string;
  /** Keep the N groups with the largest value. */
  readonly top?: number;
}

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
}

const SPEC_MARKS = [...MARK_TYPES, 'rule'];
const MARK_FIELDS = ['mark', ...CHANNELS, 'opacity', 'dx', 'dy', 'aggregate', 'sort', 'top'];
/** A mark in a `marks` list may also read its own table. */
const LIST_MARK_FIELDS = [...MARK_FIELDS, 'data'];
const CHART_FIELDS = ['data', 'marks', 'title', 'subtitle', 'caption', 'x', 'y', 'color', 'height', 'inset', 'tooltip'];

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
    checkFields(spec, [...CHART_FIELDS, ...MARK_FIELDS], '');
    const fields = Object.fromEntries(Object.entries(spec).filter(([field, value]) => MARK_FIELDS.includes(field) && !((field === 'x' || field === 'y') && typeof value === 'object')));
    for (const axis of ['x', 'y']) if (typeof scales[axis] === 'string') scales[axis] = undefined;
    marks = [markSpec(fields, '')];
  } else {
    checkFields(spec, CHART_FIELDS, '');
    if (!Array.isArray(spec.marks) || spec.marks.length === 0) throw new SpecError('a chart needs "marks": [{ "mark": "barY", "x": …, "y": … }], or one "mark"');
    marks = spec.marks.map((mark: unknown, i) => {
      if (!isRecord(mark)) throw new SpecError(`"marks[${i}]" must be an object like { "mark": "barY", "x": …, "y": … }`);
      checkFields(mark, LIST_MARK_FIELDS, `marks[${i}].`);
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
  if (aggregate !== undefined && (mark === 'boxY' || mark === 'link')) throw new SpecError(`"${at}aggregate" does not apply to a ${mark} mark`);
  const value = valueChannel(mark);
  if (aggregate !== undefined && aggregate !== 'count' && channels[value] === undefined) throw new SpecError(`"${at}aggregate": ${aggregate} needs a column in "${at}${value}"`);
  if (mark === 'link' && !(['x1', 'y1', 'x2', 'y2'] as const).every((c) => channels[c] !== undefined)) throw new SpecError(`a link mark needs "${at}x1", "${at}y1", "${at}x2" and "${at}y2"`);
  if (channels.z !== undefined && (mark !== 'dot' || channels.x === undefined || channels.y === undefined)) throw new SpecError(`"${at}z" makes a rotatable 3-D scatter: it needs a dot mark with "${at}x" and "${at}y" too`);
  if (channels.z !== undefined && aggregate !== undefined) throw new SpecError(`"${at}aggregate" does not apply to a 3-D scatter; aggregate in SQL first`);
  if (mark === 'text' && channels.text === undefined) throw new SpecError(`a text mark needs "${at}text", the column to write`);
  if (mark !== 'link' && channels.x === undefined && channels.y === undefined && aggregate !== 'count') throw new SpecError(`a ${name} mark needs "${at}x" or "${at}y"`);
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

/** The result of one mark's query: raw rows, a seeded sample of them, or rows aggregated by DuckDB. */
export interface ChartQuery {
  readonly sql: string;
  readonly sampled: 'none' | 'sampled' | 'aggregated';
  /** Said under the chart: `5,000 of 541,909 points, sampled`. */
  readonly note?: string;
}

/** The table a chart reads: its columns (DESCRIBE) and row count, as `shapeOf` gives them. */
export interface TableShape {
  readonly columns: readonly ColumnInfo[];
  readonly rowCount: number;
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

/**
 * The SQL fetching exactly what each mark draws, one query per mark (identical ones can be run once):
 * aggregated marks GROUP BY their other columns in DuckDB; raw marks over `maxPoints` rows are a seeded
 * reservoir sample. `tables` is the chart's table, or every table of `chartTables` by name.
 * Throws a SpecError for a column the table lacks, with the nearest name.
 */
export function chartQuery(chart: ChartSpec, tables: TableShape | ReadonlyMap<string, TableShape>, maxPoints = 5000): ChartQuery[] {
  return chart.marks.map((mark) => {
    const data = mark.data ?? chart.data;
    const table = tables instanceof Map ? tables.get(data) : (tables as TableShape);
    if (table === undefined) throw new Error(`chartQuery was not given the shape of ${data}`);
    return markQuery(data, mark, table, maxPoints);
  });
}

function markQuery(data: string, mark: MarkSpec, table: TableShape, maxPoints: number): ChartQuery {
  const from = quoteIdent(data);
  const sources = new Map<string, ColumnInfo>();
  for (const [channel, name] of Object.entries(mark.channels)) sources.set(name, findColumn(name, channel, mark.mark, data, table.columns));
  const select = (name: string) => {
    const source = sources.get(name)!;
    const expression = WIDE.test(source.type) ? `${quoteIdent(source.name)}::DOUBLE` : quoteIdent(source.name);
    return expression === quoteIdent(name) ? expression : `${expression} AS ${quoteIdent(name)}`;
  };
  const outputs = outputChannels(mark);
  const valueName = outputs[valueChannel(mark.mark)];
  const sortBy = mark.sort === undefined ? [] : [orderTerm(outputs[mark.sort.replace(/^-/, '') as Channel]!, mark.sort.startsWith('-'))];
  if (mark.aggregate === undefined) {
    const columns = [...sources.keys()];
    if (mark.top !== undefined && valueName !== undefined) {
      const sql = `SELECT ${columns.map(select).join(', ')} FROM ${from} ORDER BY ${orderTerm(valueName, true)} LIMIT ${mark.top}`;
      return { sql, sampled: 'none' };
    }
    const sampled = table.rowCount > maxPoints;
    const order = sortBy.length > 0 ? sortBy : SERIES_MARKS.has(mark.mark) && mark.channels.x !== undefined ? [quoteIdent(mark.channels.x)] : [];
    const sql = `SELECT ${columns.map(select).join(', ')} FROM ${from}${sampled ? ` USING SAMPLE ${maxPoints} ROWS (reservoir, 42)` : ''}${orderBy(order)}`;
    return sampled ? { sql, sampled: 'sampled', note: `${count(maxPoints)} of ${count(table.rowCount)} points, sampled` } : { sql, sampled: 'none' };
  }
  const valueColumn = mark.channels[valueChannel(mark.mark)];
  const measure = aggregateSql(mark.aggregate, valueColumn === undefined ? undefined : sources.get(valueColumn)!, mark, valueChannel(mark.mark));
  const keys = [...sources.keys()].filter((name) => name !== valueColumn);
  const topColumn = topKey(mark);
  let where = '';
  let limit = '';
  let order = sortBy.length > 0 ? [...sortBy, ...keys.map(quoteIdent)] : keys.map(quoteIdent);
  if (mark.top !== undefined && topColumn !== undefined && topColumn !== valueColumn) {
    // Rank the groups of one key over all the others, so a stacked or multi-series chart keeps every series of its top groups.
    const key = quoteIdent(sources.get(topColumn)!.name);
    where = ` WHERE ${key} IN (SELECT ${key} FROM ${from} GROUP BY 1 ORDER BY ${measure} DESC NULLS LAST, 1 LIMIT ${mark.top})`;
  } else if (mark.top !== undefined) {
    order = [orderTerm(valueName!, true), ...keys.map(quoteIdent)];
    limit = ` LIMIT ${mark.top}`;
  }
  const columns = [...keys.map(select), `${measure} AS ${quoteIdent(valueName!)}`];
  const sql = `SELECT ${columns.join(', ')} FROM ${from}${where}${keys.length > 0 ? ' GROUP BY ALL' : ''}${orderBy(order)}${limit}`;
  return { sql, sampled: 'aggregated' };
}

/** Types that reach JavaScript as bigint or Decimal objects; charts want numbers. */
const WIDE = /^(BIGINT|HUGEINT|UBIGINT|UHUGEINT|DECIMAL)/i;
export const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|REAL|DOUBLE|DECIMAL)\b/i;
export const TEMPORAL = /^(DATE|TIMESTAMP)/i;
/** Marks drawn in data order, so their rows come sorted by x. */
const SERIES_MARKS: ReadonlySet<MarkType> = new Set(['line', 'lineY', 'area', 'areaY']);

function aggregateSql(aggregate: Aggregate, column: ColumnInfo | undefined, mark: MarkSpec, channel: Channel): string {
  if (column === undefined) return 'count(*)::DOUBLE';
  const ident = quoteIdent(column.name);
  if ((aggregate === 'sum' || aggregate === 'mean' || aggregate === 'median') && !NUMERIC.test(column.type)) {
    throw new SpecError(`the ${mark.mark} mark's "aggregate": ${aggregate} needs a numeric column in "${channel}"; "${column.name}" is ${column.type}`);
  }
  switch (aggregate) {
    case 'count':
      return `count(${ident})::DOUBLE`;
    case 'mean':
      return `avg(${ident})::DOUBLE`;
    case 'sum':
    case 'median':
      return `${aggregate}(${ident})::DOUBLE`;
    case 'min':
    case 'max':
      // Dates stay dates; only numbers become DOUBLE.
      return NUMERIC.test(column.type) ? `${aggregate}(${ident})::DOUBLE` : `${aggregate}(${ident})`;
  }
}

function findColumn(name: string, channel: string, mark: MarkType, table: string, columns: readonly ColumnInfo[]): ColumnInfo {
  const found = columns.find((c) => c.name === name) ?? columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
  if (found) return found;
  const names = columns.map((c) => c.name);
  const near = closestName(name, names);
  const listed = names.length > 30 ? `${names.slice(0, 30).join(', ')}, …` : names.join(', ');
  throw new SpecError(`unknown column "${name}" in "${channel}" of the ${mark} mark${near ? ` (did you mean "${near}"?)` : ''}; ${table} has ${listed}`);
}

/** A row as a mark receives it. */
export type Row = Record<string, unknown>;

/** One Plot mark: `Plot[type](data, { ...channels, ...options })`. */
export interface PlotMarkPlan {
  readonly type: MarkType;
  readonly data: readonly Row[];
  readonly channels: Readonly<Partial<Record<Channel, string>>>;
  readonly options: Readonly<Record<string, unknown>>;
}

export interface ScalePlan {
  readonly type?: 'linear' | 'log' | 'sqrt' | 'utc' | 'band' | 'point';
  readonly label?: string;
  readonly domain?: readonly [number, number];
  /** Where the axis puts its ticks: whole numbers for an axis of whole numbers (`k` of k-means), never 2.5. */
  readonly ticks?: readonly number[];
  /** A d3-format pattern for the ticks: `"d"` for whole numbers, which Plot would write as 2.0. */
  readonly tickFormat?: string;
  /** `null` hides the axis (a 3-D view draws its own). */
  readonly axis?: null;
}

/** Everything `Plot.plot` needs but the DOM: `Plot.plot({ ...plan.options, marks: plan.marks.map(…) })`. */
export interface PlotPlan {
  readonly marks: readonly PlotMarkPlan[];
  readonly options: {
    readonly width: number;
    readonly height?: number;
    readonly aspectRatio?: number;
    readonly marginLeft?: number;
    readonly inset?: number;
    readonly title?: string;
    readonly subtitle?: string;
    readonly caption?: string;
    readonly x?: ScalePlan;
    readonly y?: ScalePlan;
    readonly color?: { readonly scheme: string; readonly legend: boolean };
  };
}

/** Rendering choices the UI passes in; `columns` (the table's types) lets date columns become Dates. */
export interface PlotPlanOptions {
  readonly width: number;
  readonly dark: boolean;
  readonly columns?: readonly ColumnInfo[];
  /** The angle a 3-D scatter (a dot mark with `z`) is seen from; the reader turns it by dragging. */
  readonly view?: View3d;
  /** The colour of a mark given none (the theme's accent); without it Plot draws such marks in the text colour. */
  readonly accent?: string;
}

/** Whether a chart is a 3-D scatter, which the page lets the reader rotate. */
export function isChart3d(chart: ChartSpec): boolean {
  return chart.marks.some((mark) => mark.channels.z !== undefined);
}

/**
 * The Plot options for a chart, given each mark's rows (aligned with `chartQuery`'s list): channels name the
 * rows' columns, date columns and axes of type "time" hold Dates, bigints become numbers, `tooltip` is `tip`.
 */
export function plotPlan(chart: ChartSpec, rows: readonly (readonly Row[])[], options: PlotPlanOptions): PlotPlan {
  if (rows.length !== chart.marks.length) throw new Error(`plotPlan needs one list of rows per mark: ${chart.marks.length} marks, ${rows.length} lists`);
  const isTemporal = (column: string) => {
    const type = (options.columns ?? []).find((c) => c.name === column || c.name.toLowerCase() === column.toLowerCase())?.type;
    return type !== undefined && TEMPORAL.test(type);
  };
  const marks = chart.marks.map((mark, i): PlotMarkPlan => {
    const channels = outputChannels(mark);
    const columns = Object.entries(channels).map(([channel, column]) => {
      const axis = channel.startsWith('x') ? chart.x : channel.startsWith('y') ? chart.y : undefined;
      return { column, time: axis?.type === 'time' || isTemporal(column) };
    });
    const data = (rows[i] ?? []).map((row) => Object.fromEntries(columns.map(({ column, time }) => [column, time ? asDate(row[column]) : asPlain(row[column])])));
    const band = bandAxis(mark.mark);
    const sort = mark.sort ?? (mark.top !== undefined ? `-${valueChannel(mark.mark)}` : undefined);
    const markOptions = omitUndefined({
      ...defaultColour(mark, options.accent),
      ...mark.constants,
      tip: chart.tooltip && mark.mark !== 'text' ? true : undefined,
      sort: band !== undefined && sort !== undefined ? { [band]: sort } : undefined,
    });
    if (mark.channels.z !== undefined) return projectedMark(mark, data, channels, markOptions, options.view ?? DEFAULT_VIEW);
    return { type: mark.mark, data, channels, options: markOptions };
  });
  const view3d = isChart3d(chart) ? cube(chart, options.view ?? DEFAULT_VIEW) : undefined;
  if (view3d) marks.unshift(...view3d.marks);
  // The first value of the first colour column says whether the colour scale is categorical or continuous.
  const colourColumns = marks.flatMap((mark) => [mark.channels.fill, mark.channels.stroke].filter((c) => c !== undefined).map((column) => ({ mark, column })));
  const first = colourColumns[0] && colourColumns[0].mark.data.find((row) => row[colourColumns[0]!.column] != null)?.[colourColumns[0].column];
  const continuous = typeof first === 'number' || first instanceof Date;
  const defaultScheme = continuous ? (options.dark ? 'viridis' : 'blues') : options.dark ? 'observable10' : 'tableau10';
  const color =
    colourColumns.length > 0 || chart.color !== undefined
      ? { scheme: chart.color?.scheme ?? defaultScheme, legend: chart.color?.legend ?? colourColumns.length > 0 }
      : undefined;
  return {
    marks,
    options: omitUndefined({
      width: view3d ? Math.min(options.width, 720) : options.width,
      height: chart.height,
      inset: chart.inset,
      title: chart.title,
      subtitle: chart.subtitle,
      caption: chart.caption,
      x: view3d?.scale ?? scalePlan(chart, 'x', marks, options.width),
      y: view3d?.scale ?? scalePlan(chart, 'y', marks, chart.height ?? DEFAULT_HEIGHT),
      ...(view3d ? { aspectRatio: 1, marginLeft: 20 } : {}),
      color,
    }),
  };
}

/** A 3-D dot mark: x and y become screen positions; the data's own x, y and z stay in the tooltip. */
function projectedMark(mark: MarkSpec, data: Row[], channels: Partial<Record<Channel, string>>, options: Record<string, unknown>, view: View3d): PlotMarkPlan {
  const { x, y, z, ...rest } = channels as Required<Pick<typeof channels, 'x' | 'y' | 'z'>> & typeof channels;
  return {
    type: mark.mark,
    data: projectRows(data, { x, y, z }, view),
    channels: { ...rest, x: SCREEN_X, y: SCREEN_Y },
    options: { ...options, channels: { [x]: x, [y]: y, [z]: z }, ...(options.tip ? { tip: { format: { x: false, y: false } } } : {}) },
  };
}

/** The axes of a 3-D scatter's cube, named after the first 3-D mark's columns, and the square they are drawn in. */
function cube(chart: ChartSpec, view: View3d): { marks: PlotMarkPlan[]; scale: ScalePlan } {
  const { x, y, z } = chart.marks.find((mark) => mark.channels.z !== undefined)!.channels as Record<'x' | 'y' | 'z', string>;
  const axes = axisLines({ x, y, z }, view);
  return {
    marks: [
      { type: 'link', data: axes.links, channels: { x1: 'x1', y1: 'y1', x2: 'x2', y2: 'y2' }, options: { stroke: 'currentColor', strokeOpacity: 0.45 } },
      { type: 'text', data: axes.labels, channels: { x: SCREEN_X, y: SCREEN_Y, text: 'label' }, options: { fontWeight: 'bold' } },
    ],
    scale: { domain: [-EXTENT, EXTENT], axis: null },
  };
}

function scalePlan(chart: ChartSpec, axis: 'x' | 'y', marks: readonly PlotMarkPlan[], length: number): ScalePlan | undefined {
  const spec: ScaleSpec = chart[axis] ?? {};
  // The first aggregated mark whose value is on this axis names it: "sum of amount".
  const aggregated = chart.marks.find((mark) => mark.aggregate !== undefined && valueChannel(mark.mark) === axis);
  const label = spec.label ?? (aggregated ? (aggregated.channels[axis] === undefined ? 'count' : `${aggregated.aggregate} of ${aggregated.channels[axis]}`) : undefined);
  // DuckDB's dates are UTC midnights; a local time scale would shift them by the viewer's offset.
  const type: ScalePlan['type'] = spec.type === 'time' ? 'utc' : spec.type;
  const ticks = spec.axis === false || (type !== undefined && type !== 'linear') ? undefined : wholeTicks(marks, axis, length);
  const plan: ScalePlan = omitUndefined({ type, label, ticks, tickFormat: ticks ? 'd' : undefined, axis: spec.axis === false ? null : undefined });
  return Object.keys(plan).length > 0 ? plan : undefined;
}

/** Plot's default height of a chart with no facets, in pixels. */
const DEFAULT_HEIGHT = 400;
/** Plot's spacing of ticks (about 80 px apart across, 35 px apart up); whole ticks are spaced no tighter. */
const TICK_SPACING = { x: 80, y: 35 } as const;

/**
 * Ticks at whole numbers for a linear axis whose every value is a whole number over a short range, where Plot's
 * own ticks would fall between them (k = 2.5); `undefined` leaves Plot's ticks, for any other axis.
 */
function wholeTicks(marks: readonly PlotMarkPlan[], axis: 'x' | 'y', length: number): number[] | undefined {
  let min = Infinity;
  let max = -Infinity;
  for (const mark of marks) {
    if (mark.type === 'cell' || bandAxis(mark.type) === axis) return undefined;
    // Bars and areas start at zero on their value axis.
    if (STARTS_AT_ZERO[mark.type] === axis) {
      min = Math.min(min, 0);
      max = Math.max(max, 0);
    }
    for (const [channel, column] of Object.entries(mark.channels)) {
      if (!channel.startsWith(axis) || column === undefined) continue;
      for (const row of mark.data) {
        const value = row[column];
        if (value === null || value === undefined) continue;
        if (typeof value !== 'number' || !Number.isInteger(value)) return undefined;
        min = Math.min(min, value);
        max = Math.max(max, value);
      }
    }
  }
  const span = max - min;
  // Past 40, Plot's ticks are whole numbers already (at most ~25 ticks on the widest chart).
  if (!(span > 0 && span <= 40)) return undefined;
  const room = Math.max(2, Math.floor(length / TICK_SPACING[axis]));
  const step = [1, 2, 5, 10, 20].find((candidate) => Math.floor(span / candidate) <= room) ?? 20;
  const ticks: number[] = [];
  for (let tick = Math.ceil(min / step) * step; tick <= max; tick += step) ticks.push(tick);
  return ticks;
}

const STARTS_AT_ZERO: Partial<Record<MarkType, 'x' | 'y'>> = { barY: 'y', barX: 'x', area: 'y', areaY: 'y' };

/**
 * The theme's accent for a mark with no colour of its own: filled marks get a fill, stroked ones a stroke. Text
 * keeps the text colour, and links, boxes and cells keep Plot's own.
 */
function defaultColour(mark: MarkSpec, accent: string | undefined): { fill?: string; stroke?: string } {
  if (accent === undefined) return {};
  const { channels, constants } = mark;
  const coloured = (key: 'fill' | 'stroke') => channels[key] !== undefined || constants[key] !== undefined;
  switch (mark.mark) {
    case 'barY':
    case 'barX':
    case 'area':
    case 'areaY':
      return coloured('fill') ? {} : { fill: accent };
    case 'dot':
      return coloured('fill') || coloured('stroke') ? {} : { stroke: accent };
    case 'line':
    case 'lineY':
    case 'ruleX':
    case 'ruleY':
    case 'tickX':
    case 'tickY':
      return coloured('stroke') ? {} : { stroke: accent };
    case 'text':
    case 'link':
    case 'boxY':
    case 'cell':
      return {};
  }
}

/** Channel → column of the rows the query returns: the spec's columns, plus `count` for a count of rows. */
function outputChannels(mark: MarkSpec): Partial<Record<Channel, string>> {
  const value = valueChannel(mark.mark);
  return mark.aggregate === 'count' && mark.channels[value] === undefined ? { ...mark.channels, [value]: 'count' } : { ...mark.channels };
}

/** The channel holding the measured value, which `aggregate` and `top` apply to. */
function valueChannel(mark: MarkType): Channel {
  switch (mark) {
    case 'barX':
    case 'tickX':
    case 'ruleX':
      return 'x';
    case 'cell':
      return 'fill';
    default:
      return 'y';
  }
}

/** The ordinal axis whose order `sort` and `top` set, for marks that have one. */
function bandAxis(mark: MarkType): 'x' | 'y' | undefined {
  if (mark === 'barY' || mark === 'tickY' || mark === 'boxY' || mark === 'cell') return 'x';
  if (mark === 'barX' || mark === 'tickX') return 'y';
  return undefined;
}

/** The column whose groups `top` ranks: the series of a line or area, else the band axis (x for other marks). */
function topKey(mark: MarkSpec): string | undefined {
  const { channels } = mark;
  if (SERIES_MARKS.has(mark.mark)) return channels.stroke ?? channels.fill ?? channels.x;
  return bandAxis(mark.mark) === 'y' ? channels.y : channels.x;
}

function orderTerm(column: string, descending: boolean): string {
  return descending ? `${quoteIdent(column)} DESC NULLS LAST` : quoteIdent(column);
}

function orderBy(terms: readonly string[]): string {
  return terms.length > 0 ? ` ORDER BY ${[...new Set(terms)].join(', ')}` : '';
}

function asDate(value: unknown): unknown {
  if (value === null || value === undefined || value instanceof Date) return value;
  if (typeof value === 'number' || typeof value === 'string') return new Date(value);
  if (typeof value === 'bigint') return new Date(Number(value));
  return value;
}

function asPlain(value: unknown): unknown {
  return typeof value === 'bigint' ? Number(value) : value;
}

const count = (n: number) => n.toLocaleString('en');

function scaleSpec(value: unknown, axis: 'x' | 'y'): ScaleSpec | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') throw new SpecError(`"${axis}" at the top of a chart with "marks" is its axis, e.g. { "type": "log", "label": "Revenue" }; put the column in a mark`);
  if (!isRecord(value)) throw new SpecError(`"${axis}" must be an axis like { "type": "log", "label": "Revenue" }`);
  checkFields(value, ['type', 'label', 'axis'], `${axis}.`);
  const type = value.type;
  if (type !== undefined && !SCALE_TYPES.includes(type as ScaleType)) throw new SpecError(`"${axis}.type" must be one of ${SCALE_TYPES.join(', ')}; got ${JSON.stringify(type)}`);
  return omitUndefined({ type: type as ScaleType | undefined, label: text(value, 'label', `${axis}.`), axis: flag(value.axis, `${axis}.axis`) });
}

function colorSpec(value: unknown): ChartSpec['color'] {
  if (value === undefined) return undefined;
  if (!isRecord(value)) throw new SpecError('"color" must be like { "scheme": "tableau10", "legend": true }');
  checkFields(value, ['scheme', 'legend'], 'color.');
  const scheme = value.scheme;
  if (scheme !== undefined && (typeof scheme !== 'string' || !SCHEMES.includes(scheme.toLowerCase()))) {
    const near = typeof scheme === 'string' ? closestName(scheme, SCHEMES) : undefined;
    throw new SpecError(`"color.scheme" must be a Plot colour scheme such as tableau10, observable10, blues, viridis or rdbu; got ${JSON.stringify(scheme)}${near ? ` (did you mean "${near}"?)` : ''}`);
  }
  return omitUndefined({ scheme: (scheme as string | undefined)?.toLowerCase(), legend: flag(value.legend, 'color.legend') });
}

/** Plot 0.6.17's schemes (src/scales/schemes.js). */
const SCHEMES = 'accent category10 dark2 observable10 paired pastel1 pastel2 set1 set2 set3 tableau10 brbg prgn piyg puor rdbu rdgy rdylbu rdylgn spectral burd buylrd blues greens greys oranges purples reds turbo viridis magma inferno plasma cividis cubehelix warm cool bugn bupu gnbu orrd pubu pubugn purd rdpu ylgn ylgnbu ylorbr ylorrd rainbow sinebow'.split(' ');

// Plot's own test (isColor in src/options.js) for a colour rather than a column, so the spec reads a string as Plot would.
const NAMED_COLOURS = new Set('none,currentcolor,transparent,aliceblue,antiquewhite,aqua,aquamarine,azure,beige,bisque,black,blanchedalmond,blue,blueviolet,brown,burlywood,cadetblue,chartreuse,chocolate,coral,cornflowerblue,cornsilk,crimson,cyan,darkblue,darkcyan,darkgoldenrod,darkgray,darkgreen,darkgrey,darkkhaki,darkmagenta,darkolivegreen,darkorange,darkorchid,darkred,darksalmon,darkseagreen,darkslateblue,darkslategray,darkslategrey,darkturquoise,darkviolet,deeppink,deepskyblue,dimgray,dimgrey,dodgerblue,firebrick,floralwhite,forestgreen,fuchsia,gainsboro,ghostwhite,gold,goldenrod,gray,green,greenyellow,grey,honeydew,hotpink,indianred,indigo,ivory,khaki,lavender,lavenderblush,lawngreen,lemonchiffon,lightblue,lightcoral,lightcyan,lightgoldenrodyellow,lightgray,lightgreen,lightgrey,lightpink,lightsalmon,lightseagreen,lightskyblue,lightslategray,lightslategrey,lightsteelblue,lightyellow,lime,limegreen,linen,magenta,maroon,mediumaquamarine,mediumblue,mediumorchid,mediumpurple,mediumseagreen,mediumslateblue,mediumspringgreen,mediumturquoise,mediumvioletred,midnightblue,mintcream,mistyrose,moccasin,navajowhite,navy,oldlace,olive,olivedrab,orange,orangered,orchid,palegoldenrod,palegreen,paleturquoise,palevioletred,papayawhip,peachpuff,peru,pink,plum,powderblue,purple,rebeccapurple,red,rosybrown,royalblue,saddlebrown,salmon,sandybrown,seagreen,seashell,sienna,silver,skyblue,slateblue,slategray,slategrey,snow,springgreen,steelblue,tan,teal,thistle,tomato,turquoise,violet,wheat,white,whitesmoke,yellow'.split(','));

export function isColour(value: string): boolean {
  const v = value.toLowerCase().trim();
  return /^#[0-9a-f]{3,8}$/.test(v) || /^(?:url|var|rgb|rgba|hsl|hsla|hwb|lab|lch|oklab|oklch|color|color-mix)\(.*\)$/.test(v) || NAMED_COLOURS.has(v);
}

function checkFields(object: Record<string, unknown>, allowed: readonly string[], at: string): void {
  for (const field of Object.keys(object)) {
    if (allowed.includes(field)) continue;
    const near = closestName(field, allowed);
    throw new SpecError(`unknown field "${at}${field}"${near ? ` (did you mean "${at}${near}"?)` : ''}; allowed: ${allowed.join(', ')}`);
  }
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
function omitUndefined<T extends object>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as T;
}
