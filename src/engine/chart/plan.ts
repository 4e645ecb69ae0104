import type { ColumnInfo } from '../catalog.ts';
import type { Channel, MarkSpec, MarkType } from './mark.ts';
import { MARKS } from './marks/index.ts';
import { outputChannels } from './query.ts';
import { isTemporalType } from '../../util/column-types.ts';
import { omitUndefined, type ChartSpec, type ScaleSpec } from './spec.ts';
import { axisLines, DEFAULT_VIEW, EXTENT, projectRows, SCREEN_X, SCREEN_Y, type View3d } from './scatter-3d.ts';

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
    return type !== undefined && isTemporalType(type);
  };
  const marks = chart.marks.map((mark, i): PlotMarkPlan => {
    const channels = outputChannels(mark);
    const columns = Object.entries(channels).map(([channel, column]) => {
      const axis = channel.startsWith('x') ? chart.x : channel.startsWith('y') ? chart.y : undefined;
      return { column, time: axis?.type === 'time' || isTemporal(column) };
    });
    const data = (rows[i] ?? []).map((row) => Object.fromEntries(columns.map(({ column, time }) => [column, time ? asDate(row[column]) : asPlain(row[column])])));
    const band = MARKS[mark.mark].bandAxis;
    const sort = mark.sort ?? (mark.top !== undefined ? `-${MARKS[mark.mark].valueChannel}` : undefined);
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
  const aggregated = chart.marks.find((mark) => mark.aggregate !== undefined && MARKS[mark.mark].valueChannel === axis);
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
    if (MARKS[mark.type].bandsBoth === true || MARKS[mark.type].bandAxis === axis) return undefined;
    // Bars and areas start at zero on their value axis.
    if (MARKS[mark.type].startsAtZero === axis) {
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


/**
 * The theme's accent for a mark with no colour of its own: filled marks get a fill, stroked ones a stroke. Text
 * keeps the text colour, and links, boxes and cells keep Plot's own.
 */
function defaultColour(mark: MarkSpec, accent: string | undefined): { fill?: string; stroke?: string } {
  const rule = MARKS[mark.mark].accent;
  if (accent === undefined || rule === undefined) return {};
  const coloured = rule.unless.some((key) => mark.channels[key] !== undefined || mark.constants[key] !== undefined);
  return coloured ? {} : { [rule.option]: accent };
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

