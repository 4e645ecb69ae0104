import { describe, expect, it } from 'vitest';
import {
  NotebookFormatError,
  NotebookSaveError,
  parseNotebook,
  readNotebook,
  serializeChecked,
  serializeNotebook,
} from '../../../src/format/notebook-text.ts';
import { createAutosaver } from '../../../src/engine/autosave.ts';
import type { Notebook } from '../../../src/engine/notebook.ts';

const fence = '```';

/** A notebook as the app wrote it before names were checked: its third cell was renamed `1st-query`. */
const DAMAGED = [
  '---',
  'aisle: 1',
  'title: Damaged',
  'owner: ana',
  '---',
  '',
  '# Revenue',
  '',
  `${fence}sql monthly`,
  'SELECT 1 AS revenue',
  fence,
  '',
  `${fence}sql 1st-query`,
  'SELECT * FROM monthly',
  fence,
  '',
  `${fence}sql after`,
  'SELECT 2 AS n',
  fence,
  '',
].join('\n');

const withoutIds = (notebook: Notebook) => notebook.cells.map(({ id: _id, ...rest }) => rest);

describe('reading a notebook with a damaged cell', () => {
  it('opens the whole notebook and marks exactly the bad cell, at its line', () => {
    const { notebook, problems } = readNotebook(DAMAGED);
    expect(withoutIds(notebook)).toEqual([
      { kind: 'markdown', source: '# Revenue' },
      { kind: 'sql', name: 'monthly', source: 'SELECT 1 AS revenue' },
      { kind: 'sql', name: '1st-query', source: 'SELECT * FROM monthly' },
      { kind: 'sql', name: 'after', source: 'SELECT 2 AS n' },
    ]);
    expect(notebook.extra).toEqual({ owner: 'ana' });
    expect(problems).toHaveLength(1);
    expect(problems[0]!.cellId).toBe(notebook.cells[2]!.id);
    expect(problems[0]!.line).toBe(13);
    expect(problems[0]!.message).toMatch(/got "1st-query": a name cannot start with a digit/);
  });

  it('reads a name with a space as one damaged name, not as prose that swallows the cells after it', () => {
    const text = DAMAGED.replace('sql 1st-query', 'sql my query');
    const { notebook, problems } = readNotebook(text);
    expect(notebook.cells.map((cell) => (cell.kind === 'markdown' ? 'markdown' : cell.name))).toEqual(['markdown', 'monthly', 'my query', 'after']);
    expect(problems.map((problem) => problem.line)).toEqual([13]);
  });

  it('keeps a 100,000-character name and quotes it cut short', () => {
    const long = 'n'.repeat(100_000);
    const { notebook, problems } = readNotebook(DAMAGED.replace('1st-query', long));
    expect(notebook.cells[2]).toMatchObject({ name: long });
    expect(problems[0]!.message.length).toBeLessThan(300);
  });

  it('keeps a cell whose fence is never closed, running to the end of the file', () => {
    const text = `${fence}sql first\nSELECT 1\n${fence}\n\n${fence}sql open\nSELECT 2\n\nmore`;
    const { notebook, problems } = readNotebook(text);
    expect(withoutIds(notebook).at(-1)).toEqual({ kind: 'sql', name: 'open', source: 'SELECT 2\n\nmore' });
    expect(problems).toEqual([{ line: 5, cellId: notebook.cells[1]!.id, message: `the sql cell opened here is never closed with ${fence}` }]);
  });

  it('writes the damaged file back as it was read, so opening and saving loses nothing', () => {
    expect(serializeNotebook(readNotebook(DAMAGED).notebook)).toBe(DAMAGED);
    expect(serializeChecked(readNotebook(DAMAGED).notebook)).toBe(DAMAGED);
  });

  it('is still refused by the strict reader, naming the line', () => {
    expect(() => parseNotebook(DAMAGED)).toThrow(NotebookFormatError);
    expect(() => parseNotebook(DAMAGED)).toThrow(/^line 13: a sql cell needs a name/);
  });
});

describe('a save checked by reading its text back', () => {
  const good: Notebook = {
    title: 'Good',
    data: {},
    extra: {},
    cells: [
      { id: 'm', kind: 'markdown', source: 'Prose.' },
      { id: 'q', kind: 'sql', name: 'monthly', source: 'SELECT 1' },
    ],
  };

  it('refuses a notebook whose text would open as something else, naming the problem', () => {
    const newlineName: Notebook = { ...good, cells: [{ id: 'q', kind: 'sql', name: 'a\nb', source: 'SELECT 1' }] };
    expect(() => serializeChecked(newlineName)).toThrow(NotebookSaveError);
    expect(() => serializeChecked(newlineName)).toThrow(/the sql cell "a\nb" would not read back as it is/);
    const sqlInProse: Notebook = { ...good, cells: [{ id: 'm', kind: 'markdown', source: `Like this:\n${fence}sql example\nSELECT 1\n${fence}` }, good.cells[1]!] };
    expect(() => serializeChecked(sqlInProse)).toThrow(/a Markdown cell holds a ```sql code block/);
    const openProse: Notebook = { ...good, cells: [{ id: 'm', kind: 'markdown', source: `${fence}python\nprint(1)` }, good.cells[1]!] };
    expect(() => serializeChecked(openProse)).toThrow(/never closes, which would swallow the cells after it/);
  });

  it('lets through what reads back the same, including adjacent prose cells that merge', () => {
    const twoProse: Notebook = { ...good, cells: [good.cells[0]!, { id: 'm2', kind: 'markdown', source: 'More.' }, good.cells[1]!] };
    expect(serializeChecked(twoProse)).toBe(serializeNotebook(twoProse));
    expect(serializeChecked(good)).toBe(serializeNotebook(good));
  });

  it('never overwrites the saved text when the round trip fails: the last good copy stays', async () => {
    let saved: string | undefined;
    const errors: string[] = [];
    const autosaver = createAutosaver<Notebook>(
      async (notebook) => {
        saved = serializeChecked(notebook);
      },
      { delayMs: 0, onError: (error) => errors.push((error as Error).message) },
    );
    autosaver.schedule(good);
    expect(await autosaver.flush()).toBe(true);
    const goodText = saved;
    expect(goodText).toContain('```sql monthly');

    autosaver.schedule({ ...good, cells: [good.cells[0]!, { id: 'q', kind: 'sql', name: 'monthly\nDROP', source: 'SELECT 1' }] });
    expect(await autosaver.flush()).toBe(false);
    expect(saved).toBe(goodText);
    expect(errors).toEqual(['the sql cell "monthly\nDROP" would not read back as it is']);
    // Kept, not dropped: the next flush tries again, and still writes nothing.
    expect(await autosaver.flush()).toBe(false);
    expect(saved).toBe(goodText);
  });
});
