import { describe, expect, it } from 'vitest';
import { NotebookFormatError, parseNotebook, serializeNotebook } from '../../../src/format/notebook-text.ts';

const CANONICAL = `---
aisle: 1
title: Retail tour
data:
  sales: sample/online_retail_50k.parquet
owner: ana
---

# Monthly revenue

Some prose with a \`code span\`.

\`\`\`sql monthly
SELECT date_trunc('month', invoice_date) AS month, sum(amount) AS revenue
FROM sales GROUP BY 1 ORDER BY 1
\`\`\`

More prose.

\`\`\`python
print("not a cell: stays prose")
\`\`\`

\`\`\`\`sql with_fence
SELECT '\`\`\`' AS fence
\`\`\`\`
`;

describe('notebook text format', () => {
  it('reads front matter, prose and named SQL cells', () => {
    const notebook = parseNotebook(CANONICAL);
    expect(notebook.title).toBe('Retail tour');
    expect(notebook.data).toEqual({ sales: 'sample/online_retail_50k.parquet' });
    expect(notebook.cells.map((cell) => cell.kind)).toEqual(['markdown', 'sql', 'markdown', 'sql']);
    const monthly = notebook.cells[1];
    expect(monthly).toMatchObject({ kind: 'sql', name: 'monthly' });
    expect(monthly?.source).toBe(
      "SELECT date_trunc('month', invoice_date) AS month, sum(amount) AS revenue\nFROM sales GROUP BY 1 ORDER BY 1",
    );
  });

  it('keeps code blocks of other languages as prose', () => {
    const prose = parseNotebook(CANONICAL).cells[2];
    expect(prose?.source).toBe('More prose.\n\n```python\nprint("not a cell: stays prose")\n```');
  });

  it('serializes canonical text back to the same text, unknown fields included', () => {
    expect(serializeNotebook(parseNotebook(CANONICAL))).toBe(CANONICAL);
  });

  it('uses a longer fence when the SQL contains backticks', () => {
    const notebook = parseNotebook(CANONICAL);
    const text = serializeNotebook(notebook);
    expect(text).toContain("````sql with_fence\nSELECT '```' AS fence\n````");
    expect(parseNotebook(text).cells[3]?.source).toBe("SELECT '```' AS fence");
  });

  it('refuses a newer format version, naming it', () => {
    expect(() => parseNotebook('---\naisle: 2\n---\n')).toThrow(/format version 2/);
  });

  it('names the line of a cell that is never closed', () => {
    const text = '---\naisle: 1\n---\n\nprose\n\n```sql broken\nSELECT 1\n';
    const error = (() => {
      try {
        parseNotebook(text);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(NotebookFormatError);
    expect((error as NotebookFormatError).line).toBe(7);
  });

  it('asks for a valid name on a SQL cell', () => {
    expect(() => parseNotebook('```sql 2bad\nSELECT 1\n```\n')).toThrow(/line 1: .*got "2bad"/);
    expect(() => parseNotebook('```sql\nSELECT 1\n```\n')).toThrow(/line 1: .*got none/);
  });

  it('reads a notebook without front matter', () => {
    const notebook = parseNotebook('# Title only\n');
    expect(notebook.title).toBe('Untitled');
    expect(notebook.cells).toEqual([{ id: expect.any(String), kind: 'markdown', source: '# Title only' }]);
  });
});
