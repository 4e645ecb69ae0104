import { describe, expect, it } from 'vitest';
import { dashboardLayout, placeCells, showsAsTiles, tileLabel } from '../../../src/engine/dashboard-layout.ts';
import type { Cell, Notebook } from '../../../src/engine/notebook.ts';
import type { CellOutput } from '../../../src/engine/status.ts';

const chart = (name: string): Cell => ({ id: name, kind: 'chart', name, source: '{}' });
const sql = (name: string): Cell => ({ id: name, kind: 'sql', name, source: 'SELECT 1' });
const prose = (id: string): Cell => ({ id, kind: 'markdown', source: '## Section' });
const book = (cells: Cell[], extra: Record<string, unknown>): Notebook => ({ title: 'T', data: {}, cells, extra });
const oneRow = (columns: number, rowCount = 1): CellOutput => ({
  kind: 'table',
  table: 'kpis',
  rowCount,
  columns: Array.from({ length: columns }, (_, index) => ({ name: `c${index}`, type: 'BIGINT' })),
});

describe('dashboard layout from the front matter', () => {
  it('a notebook without `layout` keeps the flowing app view', () => {
    expect(dashboardLayout(book([chart('a')], {}))).toEqual({ kind: 'flow', problems: [] });
  });

  it('`layout: grid` reads the hints of named cells', () => {
    const layout = dashboardLayout(book([chart('a'), sql('k')], { layout: 'grid', cells: { a: { width: 12, height: 360 }, k: { tiles: false } } }));
    expect(layout.kind).toBe('grid');
    if (layout.kind !== 'grid') return;
    expect(layout.problems).toEqual([]);
    expect(layout.hints.get('a')).toEqual({ width: 12, height: 360 });
    expect(layout.hints.get('k')).toEqual({ tiles: false });
  });

  it('names each bad hint and keeps the good ones', () => {
    const layout = dashboardLayout(
      book([chart('a'), chart('b')], { layout: 'grid', cells: { a: { width: 13, colour: 'red' }, b: { width: 4, height: 5 }, gone: { width: 6 } } }),
    );
    if (layout.kind !== 'grid') throw new Error('expected grid');
    expect(layout.hints.get('a')).toEqual({});
    expect(layout.hints.get('b')).toEqual({ width: 4 });
    expect(layout.problems).toEqual([
      '`cells.a.width` must be a whole number of columns from 1 to 12, got 13',
      '`cells.a.colour` is not a hint (the hints are width, height and tiles)',
      '`cells.b.height` must be pixels from 80 to 2000, got 5',
      '`cells` gives hints for gone, but no cell has that name',
    ]);
  });

  it('an unknown layout falls back to the flow, saying so', () => {
    expect(dashboardLayout(book([], { layout: 'masonry' }))).toEqual({
      kind: 'flow',
      problems: ['front matter `layout: masonry` is not a layout Aisle knows (write `layout: grid`)'],
    });
  });
});

describe('placing cells on the 12-column grid', () => {
  it('puts charts two to a row and prose on a row of its own', () => {
    const cells = [prose('p1'), sql('kpis'), prose('p2'), chart('a'), chart('b'), chart('c'), prose('p3'), chart('d')];
    const rows = placeCells(cells, new Map()).map(({ cellId, row, column, width }) => [cellId, row, column, width]);
    expect(rows).toEqual([
      ['p1', 1, 1, 12],
      ['kpis', 2, 1, 12],
      ['p2', 3, 1, 12],
      ['a', 4, 1, 6],
      ['b', 4, 7, 6],
      ['c', 5, 1, 6],
      ['p3', 6, 1, 12],
      ['d', 7, 1, 6],
    ]);
  });

  it('follows width hints, wrapping what does not fit, and carries the height', () => {
    const hints = new Map([
      ['a', { width: 12 }],
      ['b', { width: 8, height: 300 }],
      ['c', { width: 5 }],
      ['d', { width: 4 }],
    ]);
    const placed = placeCells([chart('a'), chart('b'), chart('c'), chart('d')], hints);
    expect(placed).toEqual([
      { cellId: 'a', row: 1, column: 1, width: 12 },
      { cellId: 'b', row: 2, column: 1, width: 8, height: 300 },
      { cellId: 'c', row: 3, column: 1, width: 5 },
      { cellId: 'd', row: 3, column: 6, width: 4 },
    ]);
  });
});

describe('value boxes', () => {
  it('a one-row SQL result shows as tiles; more rows, too many columns, other kinds or `tiles: false` do not', () => {
    expect(showsAsTiles(sql('k'), oneRow(5), undefined)).toBe(true);
    expect(showsAsTiles(sql('k'), oneRow(5, 2), undefined)).toBe(false);
    expect(showsAsTiles(sql('k'), oneRow(13), undefined)).toBe(false);
    expect(showsAsTiles(sql('k'), oneRow(5), { tiles: false })).toBe(false);
    expect(showsAsTiles(chart('k'), oneRow(5), undefined)).toBe(false);
    expect(showsAsTiles(sql('k'), undefined, undefined)).toBe(false);
  });

  it('labels a tile with its column name in words', () => {
    expect(tileLabel('avg_order_value')).toBe('Avg order value');
    expect(tileLabel('AvgOrderValue')).toBe('Avg order value');
    expect(tileLabel('revenue')).toBe('Revenue');
    expect(tileLabel('total_GBP')).toBe('Total GBP');
  });
});
