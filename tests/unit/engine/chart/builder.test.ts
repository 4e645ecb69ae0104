import { describe, expect, it } from 'vitest';
import { newChartSpec, newChartTable, retargetChart } from '../../../../src/engine/chart/builder.ts';
import { chartSpec } from '../../../../src/engine/chart/index.ts';
import type { TableInfo } from '../../../../src/engine/catalog.ts';
import type { CellStates } from '../../../../src/engine/status.ts';
import type { Notebook } from '../../../../src/engine/notebook.ts';

const table = (name: string, columns: Record<string, string>): TableInfo => ({
  name,
  kind: 'table',
  rowCount: 3,
  columns: Object.entries(columns).map(([column, type]) => ({ name: column, type })),
});

describe('the table a new chart draws', () => {
  const sales = table('sales', { Country: 'VARCHAR', Quantity: 'BIGINT' });
  const monthly = table('monthly', { month: 'DATE', revenue: 'DOUBLE' });
  const top = table('top_products', { description: 'VARCHAR', revenue: 'DOUBLE' });
  const notebook: Notebook = {
    title: 't',
    data: {},
    extra: {},
    cells: [
      { id: 'a', kind: 'sql', name: 'monthly', source: '' },
      { id: 'b', kind: 'sql', name: 'top_products', source: '' },
      { id: 'c', kind: 'sql', name: 'not_run', source: '' },
      { id: 'd', kind: 'markdown', source: '# Notes' },
    ],
  };
  const done = (result: TableInfo) => ({ status: 'done' as const, version: 1, output: { kind: 'table' as const, table: result.name, rowCount: result.rowCount, columns: result.columns } });

  it('is the last table a cell made, in notebook order, with the columns its run gave', () => {
    const states: CellStates = { a: done(monthly), b: done(top) };
    expect(newChartTable(notebook, states, [sales, monthly, top])).toEqual({ name: 'top_products', columns: top.columns, rowCount: 3 });
    // The data panel's list may lag behind a run that just finished: the run's own output is enough.
    expect(newChartTable(notebook, states, [sales])?.name).toBe('top_products');
    expect(newChartTable(notebook, { a: done(monthly) }, [sales])?.name).toBe('monthly');
  });

  it('passes over a one-row result (a headline) for an earlier table of several rows, unless there is none', () => {
    const headline = { ...table('kpis', { revenue: 'DOUBLE', orders: 'BIGINT' }), rowCount: 1 };
    const withHeadline: Notebook = { ...notebook, cells: [...notebook.cells, { id: 'e', kind: 'sql', name: 'kpis', source: '' }] };
    expect(newChartTable(withHeadline, { a: done(monthly), e: done(headline) }, [sales, monthly, headline])?.name).toBe('monthly');
    expect(newChartTable(withHeadline, { e: done(headline) }, [sales, headline])?.name).toBe('kpis');
  });

  it('is the first listed table when no cell has made one, and none when nothing is listed', () => {
    expect(newChartTable(notebook, {}, [sales, monthly])?.name).toBe('sales');
    expect(newChartTable(notebook, {}, [])).toBeUndefined();
  });
});

describe('the spec a new chart starts from', () => {
  it('sums the first measure by the first text column that is not a key, largest bars first', () => {
    const spec = newChartSpec(table('sales', { InvoiceNo: 'VARCHAR', StockCode: 'VARCHAR', Description: 'VARCHAR', Quantity: 'BIGINT', CustomerID: 'DOUBLE', UnitPrice: 'DOUBLE' }));
    expect(spec).toEqual({ data: 'sales', mark: 'barY', x: 'Description', y: 'Quantity', aggregate: 'sum', top: 20 });
    // A spec the chart engine accepts as it is.
    expect(() => chartSpec(spec)).not.toThrow();
  });

  it('draws a line over the first date when there is no text column', () => {
    expect(newChartSpec(table('monthly', { month: 'DATE', revenue: 'DOUBLE', orders: 'BIGINT' }))).toEqual({ data: 'monthly', mark: 'lineY', x: 'month', y: 'revenue', aggregate: 'sum' });
    expect(newChartSpec(table('daily', { customer_id: 'BIGINT', day: 'TIMESTAMP' }))).toEqual({ data: 'daily', mark: 'lineY', x: 'day', aggregate: 'count' });
  });

  it('counts rows by category when there is no measure', () => {
    const spec = newChartSpec(table('customers', { customer_id: 'BIGINT', country: 'VARCHAR' }));
    expect(spec).toEqual({ data: 'customers', mark: 'barY', x: 'country', aggregate: 'count', top: 20 });
    expect(() => chartSpec(spec)).not.toThrow();
  });

  it('plots two measures against each other when there are only numbers', () => {
    expect(newChartSpec(table('choose_k', { k: 'INTEGER', inertia: 'DOUBLE', silhouette: 'DOUBLE' }))).toEqual({ data: 'choose_k', mark: 'dot', x: 'k', y: 'inertia' });
  });

  it('leaves the fields for the reader to fill when there is no table', () => {
    expect(newChartSpec(undefined)).toEqual({ data: '', mark: 'barY', x: '', y: '' });
  });
});

describe('pointing a chart at another table', () => {
  const regions = table('regions', { region: 'VARCHAR', category: 'VARCHAR', amount: 'DOUBLE' });

  it('keeps the fields when the new table has every column they name, colours included', () => {
    const spec = { data: 'old', mark: 'barX', x: 'category', y: 'amount', fill: 'steelblue', aggregate: 'mean', title: 'Mean by category' };
    expect(retargetChart(spec, regions)).toEqual({ ...spec, data: 'regions' });
  });

  it("takes the new table's starting columns when a column is missing, keeping the title", () => {
    const spec = { data: 'old', mark: 'dot', x: 'k', y: 'inertia', sort: '-y', title: 'Elbow' };
    expect(retargetChart(spec, regions)).toEqual({ title: 'Elbow', data: 'regions', mark: 'barY', x: 'region', y: 'amount', aggregate: 'sum', top: 20 });
  });
});
