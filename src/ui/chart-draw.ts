import * as Plot from '@observablehq/plot';
import { plotPlan, type CellOutput } from '../engine/index.ts';

export type ChartOutput = Extract<CellOutput, { kind: 'chart' }>;

/** The chart drawn by Observable Plot at `width`: the figure to put in the page (throws Plot's complaint about a spec). */
export function drawChart(output: ChartOutput, width: number, dark: boolean): SVGSVGElement | HTMLElement {
  const plan = plotPlan(output.chart, output.rows, { width, dark, columns: output.columns });
  const marks = plan.marks.map((mark) => {
    const make = Plot[mark.type] as (data: unknown, options: Record<string, unknown>) => Plot.Markish;
    return make(mark.data, { ...mark.channels, ...mark.options });
  });
  return Plot.plot({ marginLeft: leftMargin(plan), ...plan.options, marks } as Plot.PlotOptions);
}

/**
 * Room on the left for the y tick labels: Plot's default fits four digits, so revenue-sized numbers and product
 * names on a horizontal bar chart would be cut off. About 6 px a character, within [60, 280].
 */
function leftMargin(plan: ReturnType<typeof plotPlan>): number {
  let longest = 0;
  for (const mark of plan.marks) {
    const column = mark.channels.y;
    if (column === undefined) continue;
    for (const row of mark.data) {
      const value = row[column];
      if (typeof value === 'string') longest = Math.max(longest, value.length);
    }
  }
  return Math.min(280, Math.max(60, longest * 6 + 16));
}
