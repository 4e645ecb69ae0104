import { describe, expect, it } from 'vitest';
import { inflateSync } from 'node:zlib';
import type { Table } from 'apache-arrow';
import { JSDOM } from 'jsdom';
import { notebookReportHtml } from '../../../src/cli/report.ts';
import type { CellOutput, CellStates, ChartSpec, Database, Notebook } from '../../../src/engine/index.ts';

/** A database with no tables: these reports hold prose and charts only, whose rows travel in the cell state. */
const EMPTY_DB: Database = {
  query: async () => ({ toArray: () => [], numRows: 0, getChild: () => null }) as unknown as Table,
  registerFile: async (fileName) => fileName,
  dropFile: async () => {},
  insertArrowIpc: async () => {},
  exportCsv: async () => new Uint8Array(),
  exportArrowIpc: async () => new Uint8Array(),
  close: async () => {},
};

/** A heatmap of three cells coloured by `revenue` with `scheme`, as the chart evaluator would hand it over. */
function heatmap(scheme: string): CellOutput {
  const chart: ChartSpec = {
    data: 'hours',
    marks: [{ mark: 'cell', channels: { x: 'hour', y: 'weekday', fill: 'revenue' }, constants: {} }],
    color: { scheme, legend: true },
    tooltip: false,
  };
  const rows = [{ hour: 9, weekday: 'Mon', revenue: 10 }, { hour: 10, weekday: 'Mon', revenue: 40 }, { hour: 9, weekday: 'Tue', revenue: 25 }];
  const columns = [{ name: 'hour', type: 'INTEGER' }, { name: 'weekday', type: 'VARCHAR' }, { name: 'revenue', type: 'DOUBLE' }];
  return { kind: 'chart', chart, rows: [rows], columns, notes: [], rowCount: rows.length };
}

const notebook = (...charts: string[]): Notebook => ({
  title: 'Hours',
  data: {},
  extra: {},
  cells: [{ id: 'prose', kind: 'markdown', source: 'When people *buy*.' }, ...charts.map((name) => ({ id: name, kind: 'chart' as const, name, source: '{}' }))],
});

const done = (output: CellOutput) => ({ status: 'done' as const, version: 1, output });

/** RGBA bytes of the PNG in a data URL: one IDAT chunk, unfiltered rows, as src/cli/canvas.ts writes them. */
function pngPixels(dataUrl: string): { width: number; height: number; rgba: number[] } {
  const png = Buffer.from(dataUrl.replace(/^data:image\/png;base64,/, ''), 'base64');
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const idat = png.indexOf('IDAT', 0, 'latin1');
  const raw = inflateSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4)));
  const rgba = [...raw].filter((_, i) => i % (width * 4 + 1) !== 0);
  return { width, height, rgba };
}

describe('notebookReportHtml', () => {
  it('draws a continuous colour legend as Plot does in the page: a 256-pixel ramp embedded as a PNG', async () => {
    const states: CellStates = { heat: done(heatmap('greens')) };

    const html = await notebookReportHtml(notebook('heat'), states, EMPTY_DB, new Date(2026, 10, 22, 3, 20));

    const page = new JSDOM(html).window.document;
    // ICU versions differ on the joint: "22 November 2026, 03:20" or "22 November 2026 at 03:20".
    expect(page.querySelector('.meta')?.textContent).toMatch(/^Report made 22 November 2026(,| at) 03:20 with Aisle$/);
    expect(page.querySelector('.prose')?.innerHTML).toBe('<p>When people <em>buy</em>.</p>\n');
    const chart = page.querySelector('section.chart');
    expect(chart?.querySelectorAll('g[aria-label="cell"] rect')).toHaveLength(3);
    const ramp = chart?.querySelector('image');
    const href = ramp?.getAttribute('href') ?? ramp?.getAttribute('xlink:href') ?? '';
    expect(href).toMatch(/^data:image\/png;base64,/);
    const { width, height, rgba } = pngPixels(href);
    expect([width, height]).toEqual([256, 1]);
    // ColorBrewer Greens runs from #f7fcf5 to #00441b.
    expect(rgba.slice(0, 4)).toEqual([0xf7, 0xfc, 0xf5, 255]);
    expect(rgba.slice(-4)).toEqual([0x00, 0x44, 0x1b, 255]);
  });

  it('reports a chart Plot refuses as an error naming the cell, and keeps the rest of the report', async () => {
    const states: CellStates = { heat: done(heatmap('greens')), broken: done(heatmap('no-such-scheme')) };

    const html = await notebookReportHtml(notebook('heat', 'broken'), states, EMPTY_DB);

    const page = new JSDOM(html).window.document;
    expect(page.querySelectorAll('section.chart svg g[aria-label="cell"]')).toHaveLength(1);
    const error = page.querySelector('section.error');
    expect(error?.querySelector('h3')?.textContent).toBe('broken');
    expect(error?.querySelector('p')?.textContent).toMatch(/^the chart could not be drawn: .*no-such-scheme/);
  });
});
