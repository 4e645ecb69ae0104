/**
 * The run's HTML report, made by the same code as the app's export (src/engine/report.ts). Node has no DOM, so
 * Observable Plot and DOMPurify work in a jsdom window: both libraries test themselves against it.
 */
import { listTables, type CellStates, type Database, type Notebook } from '../engine/index.ts';
import { buildReport, drawChart } from '../engine/index.ts';
import { reportHtml } from '../format/report.ts';
import { markdownRenderer } from '../format/markdown.ts';
import { installPixelCanvas } from './canvas.ts';

/**
 * The notebook as the app's self-contained report, from the states its run left and the tables in `db`;
 * `dataTables` are the tables loaded as data, listed under "Data".
 */
export async function notebookReportHtml(
  notebook: Notebook,
  states: CellStates,
  db: Database,
  madeAt = new Date(),
  dataTables: readonly string[] = [],
): Promise<string> {
  // Imported only when a report is asked for: loading jsdom takes about a second.
  const { JSDOM } = await import('jsdom');
  const { window } = new JSDOM('<!doctype html><html><head></head><body></body></html>');
  installPixelCanvas(window);
  try {
    const report = await buildReport({
      notebook,
      states,
      tables: await listTables(db),
      dataTables,
      db,
      drawChart: (output, width) => drawChart(output, width, false, window.document).outerHTML,
      renderMarkdown: markdownRenderer(window),
      madeAt,
    });
    return reportHtml(report);
  } finally {
    window.close();
  }
}
