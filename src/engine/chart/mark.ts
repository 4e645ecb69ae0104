/** What every chart mark is: the encodings it binds, its SQL shape and its part in the Plot plan. */

/** The Plot mark functions a chart can draw; a spec's `"rule"` becomes `ruleX` (given x only) or `ruleY`. */
export const MARK_TYPES = ['barY', 'barX', 'line', 'lineY', 'area', 'areaY', 'dot', 'cell', 'ruleX', 'ruleY', 'text', 'boxY', 'tickX', 'tickY', 'link'] as const;
export type MarkType = (typeof MARK_TYPES)[number];

/** Encodings a mark can bind to a column. */
export const CHANNELS = ['x', 'y', 'z', 'fill', 'stroke', 'r', 'text', 'fx', 'fy', 'x1', 'y1', 'x2', 'y2'] as const;
export type Channel = (typeof CHANNELS)[number];

export const AGGREGATES = ['sum', 'count', 'mean', 'median', 'min', 'max'] as const;
export type Aggregate = (typeof AGGREGATES)[number];

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

/** The channels a mark cannot be drawn without, and the message naming them (`at` is the mark's place in the spec). */
export interface RequiredChannels {
  readonly channels: readonly Channel[];
  readonly message: (at: string) => string;
}

/**
 * One kind of mark, declared in its own file under `marks/`:
 * its channels (which it needs, which one it measures), how its rows are aggregated and ordered in SQL, and how
 * Plot draws it (the axis it bands, the axis it starts at zero, the colour it takes from the theme).
 */
export interface MarkDefinition {
  readonly type: MarkType;
  /** The channel holding the measured value, which `aggregate` and `top` apply to. */
  readonly valueChannel: Channel;
  /** Channels the mark needs besides x or y. */
  readonly requires?: RequiredChannels;
  /** Whether the mark needs `x` or `y` (a link is placed by its ends instead). */
  readonly needsPosition: boolean;
  /** Whether `aggregate` applies: a box summarises its own rows and a link joins two points. */
  readonly aggregates: boolean;
  /** Whether `z` may make it a rotatable 3-D mark. */
  readonly threeD: boolean;
  /** Drawn in data order (a line, an area), so its rows come sorted by x and `top` ranks its series. */
  readonly series: boolean;
  /** The ordinal axis whose order `sort` and `top` set, for marks that have one. */
  readonly bandAxis?: 'x' | 'y';
  /** Both axes are bands (a heatmap), so neither gets whole-number ticks. */
  readonly bandsBoth?: boolean;
  /** The value axis that starts at zero (bars and areas). */
  readonly startsAtZero?: 'x' | 'y';
  /**
   * The colour option the theme's accent fills in, unless the mark sets any of `unless` itself; none keeps Plot's
   * own (text keeps the text colour, links, boxes and cells Plot's defaults).
   */
  readonly accent?: { readonly option: 'fill' | 'stroke'; readonly unless: readonly ('fill' | 'stroke')[] };
}

/** A mark that binds x and y and measures y, the shape most marks share; a definition overrides what differs. */
export function markDefinition(type: MarkType, own: Partial<Omit<MarkDefinition, 'type'>>): MarkDefinition {
  return { type, valueChannel: 'y', needsPosition: true, aggregates: true, threeD: false, series: false, ...own };
}
