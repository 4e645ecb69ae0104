/**
 * A run notebook as a Report (src/format/report.ts): the one path from cells and their states to the blocks of the
 * HTML report, shared by the app's export and the headless runner. Drawing charts and rendering markdown need a
 * DOM, so the caller hands them in: the page's own document in the app, a jsdom window in Node.
 */
import type { Report, ReportBlock } from '../format/report.ts';
import { holdsData, type TableInfo } from './catalog.ts';
import type { Database } from './ports.ts';
import type { CellOutput, CellStates } from './status.ts';
import { describeCellError } from './errors.ts';
import type { Notebook } from './notebook.ts';
import { protectedNames } from './data-tables.ts';
import { displayReader } from './result-page.ts';
import { isNumericType } from './number-display.ts';
import { messageOf } from '../util/errors.ts';
import { dashboardLayout, placeCells, showsAsTiles, tileLabel } from './dashboard-layout.ts';

export type ChartOutput = Extract<CellOutput, { kind: 'chart' }>;

/** Rows of each table a report shows; the rest are counted, not listed. */
export const REPORT_ROWS = 50;

/** Charts are drawn again at this width, which prints on A4 and fits the report's column. */
export const REPORT_CHART_WIDTH = 900;

export interface ReportSources {
  readonly notebook: Notebook;
  readonly states: CellStates;
  /** Every table and view in the database; the report lists the loaded data among them, not what cells made. */
  readonly tables: readonly TableInfo[];
  /** The loaded data tables (files, generated or restored data); their `_clean` tables are listed with them. */
  readonly dataTables: readonly string[];
  readonly db: Database;
  /** A chart as SVG (or Plot's figure) markup in the light theme at `width` pixels; may throw Plot's complaint. */
  readonly drawChart: (output: ChartOutput, width: number) => string;
  /** Markdown as sanitised HTML. */
  readonly renderMarkdown: (source: string) => string;
  readonly madeAt: Date;
  /** The locale numbers are shown in (`en-GB`, `de-DE`); the runtime's when undefined. */
  readonly locale?: string;
}

/**
 * The report of a notebook as its cells stand: prose, each cell's table (first REPORT_ROWS rows), chart (drawn
 * again at print width), input value or error, and the data tables it read.
 * `reportHtml(await buildReport({ notebook, states, tables: await listTables(db), dataTables: ['sales'], db, drawChart, renderMarkdown, madeAt: new Date() }))`
 */
export async function buildReport(sources: ReportSources): Promise<Report> {
  const { notebook, states } = sources;
  const layout = dashboardLayout(notebook);
  const hints = layout.kind === 'grid' ? layout.hints : undefined;
  // A `layout: grid` notebook keeps its grid in the report: each block spans its cell's columns, in the same order.
  const widths = hints ? new Map(placeCells(notebook.cells, hints).map((place) => [place.cellId, place.width])) : undefined;
  const blocks: ReportBlock[] = [];
  for (const cell of notebook.cells) {
    const width = widths?.get(cell.id);
    const push = (block: ReportBlock) => blocks.push(width === undefined ? block : { ...block, width });
    if (cell.kind === 'markdown') {
      push({ kind: 'markdown', html: sources.renderMarkdown(cell.source) });
      continue;
    }
    const state = states[cell.id];
    const output = state?.output;
    if (state?.error) push({ kind: 'error', name: cell.name, message: describeCellError(state.error) });
    else if (output?.kind === 'table' && hints && showsAsTiles(cell, output, hints.get(cell.name))) {
      const reader = displayReader(sources.db, { name: output.table, kind: 'table' }, output.columns, sources.locale);
      const [row = []] = await reader.page({ offset: 0, limit: 1, sort: null });
      push({ kind: 'tiles', name: cell.name, tiles: output.columns.map((column, index) => ({ label: tileLabel(column.name), value: row[index] ?? null })) });
    } else if (output?.kind === 'table') {
      const reader = displayReader(sources.db, { name: output.table, kind: 'table' }, output.columns, sources.locale);
      const rows = await reader.page({ offset: 0, limit: REPORT_ROWS, sort: null });
      const columns = output.columns.map((column) => column.name);
      const numeric = output.columns.map((column) => isNumericType(column.type));
      push({ kind: 'table', name: cell.name, table: { columns, rows, numeric, rowCount: output.rowCount } });
    } else if (output?.kind === 'chart') {
      push(chartBlock(cell.name, output, sources.drawChart));
    } else if (output?.kind === 'value') {
      push({ kind: 'value', name: cell.name, value: JSON.stringify(output.value) });
    }
  }
  // Known as data when it was loaded, never guessed from what the cells are named: another notebook's results are not data.
  const dataNames = protectedNames(sources.dataTables);
  const data = sources.tables
    .filter((table) => holdsData(table.kind) && dataNames.has(table.name.toLowerCase()))
    .map((table) => ({ name: table.name, rowCount: table.rowCount, columns: table.columns.length }));
  const date = sources.madeAt.toLocaleString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' });
  return { title: notebook.title, date, data, blocks };
}

/** The chart as SVG; a spec Plot refuses becomes an error block naming the cell, not a report that fails whole. */
function chartBlock(name: string, output: ChartOutput, drawChart: ReportSources['drawChart']): ReportBlock {
  let svg: string;
  try {
    svg = drawChart(output, REPORT_CHART_WIDTH);
  } catch (error) {
    return { kind: 'error', name, message: `the chart could not be drawn: ${messageOf(error)}` };
  }
  return { kind: 'chart', name, svg, note: output.notes.join('; ') || undefined };
}
