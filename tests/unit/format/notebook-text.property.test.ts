import { describe, expect, it } from 'vitest';
import { parseNotebook, serializeNotebook } from '../../../src/format/notebook-text.ts';
import { NAMED_CELL_KINDS, type Cell, type Notebook } from '../../../src/engine/notebook.ts';
import { Rng } from '../../../src/models/kit/random.ts';

/** Pieces of text chosen to be awkward: quotes, colons, fences of every length, unicode, blank lines. */
const FRAGMENTS = [
  'SELECT 1', "'quoted'", '"ident"', 'a: b', '# heading', '```', '````', '~~~', '`x`', 'é ü 日本', '---', '', '  indented', '$param', '{ "input": "slider" }', 'tab\there',
];

function text(rng: Rng, lines: number): string {
  return Array.from({ length: lines }, () => {
    const count = rng.integer(1, 3);
    return Array.from({ length: count }, () => FRAGMENTS[rng.integer(0, FRAGMENTS.length - 1)]).join(' ');
  }).join('\n');
}

/** Prose as the format keeps it: no blank edges, and no line that would open a cell fence. */
function prose(rng: Rng): string {
  const body = text(rng, rng.integer(1, 5))
    .split('\n')
    .map((line) => (/^\s*(`{3,}|~{3,})/.test(line) ? `> ${line}` : line))
    .join('\n')
    .trim();
  return body === '' ? 'Some prose.' : body;
}

/** A random canonical notebook: unique names, and never two prose cells in a row (they would merge). */
function randomNotebook(rng: Rng): Notebook {
  const cells: Cell[] = [];
  const count = rng.integer(0, 8);
  for (let i = 0; i < count; i += 1) {
    const previousIsProse = cells.at(-1)?.kind === 'markdown';
    if (!previousIsProse && rng.chance(0.35)) cells.push({ id: `m${i}`, kind: 'markdown', source: prose(rng) });
    else {
      const kind = NAMED_CELL_KINDS[rng.integer(0, NAMED_CELL_KINDS.length - 1)]!;
      cells.push({ id: `n${i}`, kind, name: `cell_${i}`, source: text(rng, rng.integer(0, 4)) });
    }
  }
  const extra = rng.chance(0.5) ? { owner: text(rng, 1), tags: ['a', 'b: c'] } : {};
  return { title: text(rng, 1) || 'T', data: rng.chance(0.5) ? { sales: 'sample/x y.parquet' } : {}, cells, extra };
}

const withoutIds = (notebook: Notebook) => ({ ...notebook, cells: notebook.cells.map(({ id: _id, ...rest }) => rest) });

describe('notebook text format, on 400 generated notebooks', () => {
  it('parse(serialize(notebook)) gives the notebook back, and serialize(parse(text)) the text', () => {
    const rng = new Rng(2011, 'format');
    for (let run = 0; run < 400; run += 1) {
      const notebook = randomNotebook(rng);
      const text = serializeNotebook(notebook);
      const parsed = parseNotebook(text);
      expect(withoutIds(parsed), text).toEqual(withoutIds(notebook));
      expect(serializeNotebook(parsed)).toBe(text);
    }
  });
});
