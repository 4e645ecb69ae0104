import { describe, expect, it } from 'vitest';
import { CellNameError, renameCell, renameProblem, type Notebook } from '../../../src/engine/notebook.ts';
import { analyzeCell } from '../../../src/engine/analyze.ts';
import { describeCellError } from '../../../src/engine/errors.ts';
import { cellNameProblem } from '../../../src/util/names.ts';

const notebook: Notebook = {
  title: 'Names',
  data: {},
  extra: {},
  cells: [
    { id: 'a', kind: 'sql', name: 'monthly', source: 'SELECT 1' },
    { id: 'b', kind: 'markdown', source: 'Prose.' },
    { id: 'c', kind: 'sql', name: 'Top_Customers', source: 'SELECT 2' },
  ],
};

describe('the cell name rule', () => {
  it('accepts letters, digits and _ not starting with a digit, up to 64 characters', () => {
    for (const name of ['monthly', '_x', 'query_2', 'A1', 'q'.repeat(64)]) expect(cellNameProblem(name), name).toBeUndefined();
  });

  it('refuses the names the issue found, saying why', () => {
    expect(cellNameProblem('1st-query')).toBe('a name cannot start with a digit ("1")');
    expect(cellNameProblem('first-query')).toBe('a name holds only letters, digits and _ (not "-")');
    expect(cellNameProblem('my query')).toBe('a name holds only letters, digits and _ (not a space)');
    expect(cellNameProblem('x'.repeat(100_000))).toBe('a name is at most 64 characters (this one has 100,000)');
    expect(cellNameProblem('q'.repeat(65))).toBe('a name is at most 64 characters (this one has 65)');
    expect(cellNameProblem('')).toBe('a name is needed');
    expect(cellNameProblem('café')).toBe('a name holds only letters, digits and _ (not "é")');
  });
});

describe('renaming a cell', () => {
  it('refuses a name the rule refuses, and leaves the notebook as it was', () => {
    expect(() => renameCell(notebook, 'a', '1st-query')).toThrow(CellNameError);
    expect(() => renameCell(notebook, 'a', 'my query')).toThrow(/cannot rename the cell "my query": a name holds only letters, digits and _ \(not a space\)/);
    expect(() => renameCell(notebook, 'a', 'x'.repeat(100_000))).toThrow(/at most 64 characters/);
    expect(notebook.cells[0]).toMatchObject({ name: 'monthly' });
  });

  it('refuses the name of another cell, whatever its case, but not a new case of its own name', () => {
    expect(renameProblem(notebook, 'a', 'top_customers')).toBe('another cell is already named "Top_Customers"');
    expect(() => renameCell(notebook, 'a', 'TOP_CUSTOMERS')).toThrow(CellNameError);
    expect(renameCell(notebook, 'c', 'top_customers').cells[2]).toMatchObject({ name: 'top_customers' });
  });

  it('applies a valid name to that cell only', () => {
    const renamed = renameCell(notebook, 'a', 'revenue_by_month');
    expect(renamed.cells.map((cell) => (cell.kind === 'markdown' ? null : cell.name))).toEqual(['revenue_by_month', null, 'Top_Customers']);
  });
});

describe('a cell with a name the rule refuses', () => {
  it('is marked with an error naming the name and asking for a rename, and reads nothing', () => {
    const analysis = analyzeCell({ id: 'x', kind: 'sql', name: '1st-query', source: 'SELECT * FROM monthly' });
    expect(analysis.error).toBeDefined();
    expect(describeCellError(analysis.error!)).toBe(`this cell's name "1st-query" is not valid: a name cannot start with a digit ("1"); rename it`);
    expect(analysis.readsTables).toEqual([]);
  });

  it('quotes a very long name cut short', () => {
    const analysis = analyzeCell({ id: 'x', kind: 'sql', name: 'n'.repeat(100_000), source: 'SELECT 1' });
    const message = describeCellError(analysis.error!);
    expect(message).toBe(`this cell's name "${'n'.repeat(40)}…" is not valid: a name is at most 64 characters (this one has 100,000); rename it`);
  });
});
