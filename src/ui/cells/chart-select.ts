/**
 * The page's side of a linked chart: a d3 brush (an interval) or a click (a point) over the SVG Plot drew. What a
 * pixel means is asked of the engine (`intervalAt`, `pointAt`) with the plot's own scale.
 */
import { brushX, brushY } from 'd3-brush';
import { pointer, select as selectElement } from 'd3-selection';
import { intervalAt, intervalPixels, pointAt, pointPixels, selectProblem, type ChartOutput, type InputValue, type PlotScale, type SelectSpec } from '../../engine/index.ts';

type ScaledFigure = Element & { scale?: (name: string) => PlotScale | undefined };

export interface SelectionHandle {
  /** Clear the selection as the reader would (Escape). */
  clear(): void;
  remove(): void;
}

/**
 * Make the drawn chart selectable: draw `value` on it, and call `onselect` with what the reader brushes or clicks
 * (null when they clear it). Returns a problem in words when the chart's axis cannot carry the selection.
 */
export function attachSelection(
  figure: Element,
  select: SelectSpec,
  output: ChartOutput,
  value: InputValue | undefined,
  onselect: (value: InputValue) => void,
): SelectionHandle | string {
  const svg = plotSvg(figure);
  const scale = (figure as ScaledFigure).scale?.(select.channel);
  const problem = selectProblem(select, scale);
  if (problem !== undefined || scale === undefined || svg === undefined) return problem ?? 'the chart has no plot to select on';
  const frame = frameOf(figure as ScaledFigure, svg);
  const layer = selectElement(svg).append('g').attr('class', 'chart-selection').attr('data-testid', 'chart-selection-layer');

  if (select.type === 'interval') {
    const brush = (select.channel === 'x' ? brushX() : brushY()).extent([
      [frame.left, frame.top],
      [frame.right, frame.bottom],
    ]);
    layer.call(brush);
    const kept = intervalPixels(scale, value);
    if (kept !== undefined) layer.call(brush.move, kept);
    // Only the reader's own moves count: drawing a kept selection (no source event) must not publish it again.
    brush.on('end', (event: { selection: [number, number] | null; sourceEvent?: Event }) => {
      if (event.sourceEvent === undefined) return;
      onselect(event.selection === null ? null : [...intervalAt(scale, event.selection)]);
    });
    return {
      clear: () => {
        layer.call(brush.move, null);
        onselect(null);
      },
      remove: () => layer.remove(),
    };
  }

  const mark = layer.append('rect').attr('class', 'picked').attr('fill', 'none').attr('stroke', 'currentColor').attr('stroke-width', 2).attr('stroke-dasharray', '4 3').attr('pointer-events', 'none');
  const show = (picked: InputValue | undefined) => {
    const span = picked === undefined ? undefined : pointPixels(scale, picked);
    mark.attr('display', span === undefined ? 'none' : null);
    if (span === undefined) return;
    if (select.channel === 'x') mark.attr('x', span[0]).attr('width', span[1] - span[0]).attr('y', frame.top).attr('height', frame.bottom - frame.top);
    else mark.attr('y', span[0]).attr('height', span[1] - span[0]).attr('x', frame.left).attr('width', frame.right - frame.left);
  };
  show(value);
  const candidates = channelValues(output, select.channel, scale);
  const onclick = (event: MouseEvent) => {
    const [x, y] = pointer(event, svg);
    const picked = pointAt(scale, select.channel === 'x' ? x : y, candidates) ?? null;
    show(picked);
    onselect(picked);
  };
  svg.addEventListener('click', onclick);
  svg.style.cursor = 'pointer';
  return {
    clear: () => {
      show(undefined);
      onselect(null);
    },
    remove: () => {
      svg.removeEventListener('click', onclick);
      layer.remove();
    },
  };
}

/** The plot's own SVG: the figure itself, or the largest SVG in it (a legend is a small one). */
function plotSvg(figure: Element): SVGSVGElement | undefined {
  if (figure instanceof SVGSVGElement) return figure;
  const size = (svg: SVGSVGElement) => Number(svg.getAttribute('width') ?? 0) * Number(svg.getAttribute('height') ?? 0);
  return [...figure.querySelectorAll('svg')].sort((a, b) => size(b) - size(a))[0];
}

/** The plotting area in the SVG's pixels: the x and y scales' ranges, or the whole SVG where a scale is missing. */
function frameOf(figure: ScaledFigure, svg: SVGSVGElement): { left: number; right: number; top: number; bottom: number } {
  const x = figure.scale?.('x')?.range;
  const y = figure.scale?.('y')?.range;
  const width = Number(svg.getAttribute('width') ?? 0);
  const height = Number(svg.getAttribute('height') ?? 0);
  return {
    left: x ? Math.min(...x) : 0,
    right: x ? Math.max(...x) : width,
    top: y ? Math.min(...y) : 0,
    bottom: y ? Math.max(...y) : height,
  };
}

/** Every value the chart's marks put on `channel`, as the scale takes them (dates for a time scale). */
function channelValues(output: ChartOutput, channel: 'x' | 'y', scale: PlotScale): unknown[] {
  const time = scale.type === 'time' || scale.type === 'utc';
  return output.chart.marks.flatMap((mark, i) => {
    const column = mark.channels[channel];
    if (column === undefined) return [];
    return (output.rows[i] ?? []).map((row) => {
      const value = row[column];
      return time && (typeof value === 'number' || typeof value === 'string') ? new Date(value) : value;
    });
  });
}
