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
});
