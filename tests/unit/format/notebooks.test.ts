import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseNotebook, serializeNotebook } from '../../../src/format/notebook-text.ts';
import { analyzeCell } from '../../../src/engine/analyze.ts';
import { buildGraph } from '../../../src/engine/graph.ts';

const folder = new URL('../../../notebooks/', import.meta.url);
const files = readdirSync(folder).filter((file) => file.endsWith('.md'));

describe('demo notebooks', () => {
  it('there is at least the welcome notebook and the retail tour', () => {
    expect(files).toEqual(expect.arrayContaining(['welcome.md', 'retail-tour.md']));
  });

  it.each(files)('%s is canonical text: serialize(parse(text)) = text', (file) => {
    const text = readFileSync(new URL(file, folder), 'utf8');
    expect(serializeNotebook(parseNotebook(text))).toBe(text);
  });

  it.each(files)('%s has no static errors (names unique, no cycles, every $input known)', (file) => {
    const notebook = parseNotebook(readFileSync(new URL(file, folder), 'utf8'));
    const analyses = notebook.cells.map(analyzeCell);
    const graph = buildGraph(analyses, (id) => notebook.cells.find((cell) => cell.id === id)?.kind === 'input');
    expect([...graph.errors.values()]).toEqual([]);
  });

  // A demo runs on whatever table the user binds to `sales`: its prose may not state the sample's size or dates, and
  // its cells may not hard-code them or read the sample's own column names (another layout has other ones).
  const SAMPLE_FIGURES = /\b\d{1,3}(,\d{3})+\b|\b\d+k\b|\bthousands?\b|\bmillions?\b|\b(19|20)\d{2}\b/i;
  it.each(files)('%s states no figure of the sample in its prose, nor hard-codes one in a cell', (file) => {
    const notebook = parseNotebook(readFileSync(new URL(file, folder), 'utf8'));
    const prose = notebook.cells.flatMap((cell) => (cell.kind === 'markdown' ? cell.source.split('\n') : []));
    expect(prose.filter((line) => SAMPLE_FIGURES.test(line))).toEqual([]);
    const sql = notebook.cells.flatMap((cell) => (cell.kind === 'sql' ? [cell.source] : []));
    expect(sql.filter((source) => /TIMESTAMP\s*'|DATE\s*'\d/i.test(source))).toEqual([]);
    expect(sql.filter((source) => /\b(InvoiceNo|CustomerID|StockCode|UnitPrice|InvoiceDate)\b/.test(source))).toEqual([]);
  });
});
