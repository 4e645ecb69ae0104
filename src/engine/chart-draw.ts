import * as Plot from '@observablehq/plot';
import { plotPlan } from './chart/index.ts';
import type { CellOutput } from './status.ts';
import type { View3d } from './chart/scatter-3d.ts';

export type ChartOutput = Extract<CellOutput, { kind: 'chart' }>;

/**
 * The chart drawn by Observable Plot at `width`: the figure to put in the page (throws Plot's complaint about a spec).
 * `document` is where its elements are made: the page's by default, a jsdom window's in Node (the headless report).
 * `accent` colours the marks that have no colour of their own (the theme's accent in the page).
 */
export function drawChart(output: ChartOutput, width: number, dark: boolean, document: Document = globalThis.document, view?: View3d, accent?: string): SVGSVGElement | HTMLElement {
  const plan = plotPlan(output.chart, output.rows, { width, dark, columns: output.columns, view, accent });
  const marks = plan.marks.map((mark) => {
    const make = Plot[mark.type] as (data: unknown, options: Record<string, unknown>) => Plot.Markish;
    return make(mark.data, { ...mark.channels, ...mark.options });
  });
  return Plot.plot({ marginLeft: leftMargin(plan), marginRight: rightMargin(plan), ...plan.options, marks, document } as Plot.PlotOptions);
}

/**
 * Room beside the plot for tick labels Plot's defaults would cut off: on the left for y (Plot's default fits four
 * digits, not revenue-sized numbers or product names), on the right for facet rows. About 6 px a character.
 */
function leftMargin(plan: ReturnType<typeof plotPlan>): number {
  // +28: room for the rotated axis label beside the longest tick label.
  return Math.min(290, Math.max(60, longestLabel(plan, 'y') * 6 + 28));
}

function rightMargin(plan: ReturnType<typeof plotPlan>): number | undefined {
  const longest = longestLabel(plan, 'fy');
  return longest > 0 ? Math.min(240, Math.max(40, longest * 6 + 28)) : undefined;
}

/** The most characters of a text value any mark puts on `channel`. */
function longestLabel(plan: ReturnType<typeof plotPlan>, channel: 'y' | 'fy'): number {
  let longest = 0;
  for (const mark of plan.marks) {
    const column = mark.channels[channel];
    if (column === undefined) continue;
    for (const row of mark.data) {
      const value = row[column];
      if (typeof value === 'string') longest = Math.max(longest, value.length);
    }
  }
  return longest;
}
