import type { ColumnInfo, TableInfo } from '../catalog.ts';
import type { CellStates } from '../status.ts';
import type { Notebook } from '../notebook.ts';
import { isColour } from './colour.ts';
import { isBooleanType, isEnumType, isNumericType, isTemporalType, isTextType } from '../../util/column-types.ts';

/** The most bars a new chart draws before the reader asks for more: enough to compare, few enough to read. */
export const NEW_CHART_TOP = 20;

/** What a new chart needs to know of a table. */
export type ChartTable = Pick<TableInfo, 'name' | 'columns' | 'rowCount'>;

/**
 * The table a new chart cell should draw: the last table of several rows a cell of the notebook made (in notebook
 * order; its columns as the cell's run gave them, so a result not yet listed counts), else the last one-row result,
 * else the first table listed, else none.
 */
export function newChartTable(notebook: Notebook, states: CellStates, tables: readonly TableInfo[]): ChartTable | undefined {
  const results = [...notebook.cells].reverse().flatMap((cell): ChartTable[] => {
    const output = states[cell.id]?.output;
    return output?.kind === 'table' ? [{ name: output.table, columns: output.columns, rowCount: output.rowCount }] : [];
  });
  // A one-row result (a headline of KPIs) makes a chart of one point: an earlier, longer table is a better start.
  return results.find((table) => table.rowCount > 1) ?? results[0] ?? tables[0];
}

/**
 * The spec a new chart cell starts from, for the builder to refine: a measure (the first numeric column that is not
 * an identifier) summed by the first text column (bars, the largest first) or over the first date column (a line).
 * `newChartSpec({ name: 'monthly', columns: [{ name: 'month', type: 'DATE' }, { name: 'revenue', type: 'DOUBLE' }] })`
 * → `{ data: 'monthly', mark: 'lineY', x: 'month', y: 'revenue', aggregate: 'sum' }`.
 */
export function newChartSpec(table: Pick<TableInfo, 'name' | 'columns'> | undefined): Record<string, unknown> {
  if (table === undefined) return { data: '', mark: 'barY', x: '', y: '' };
  const { columns } = table;
  const text = columns.filter(isText);
  const dates = columns.filter((column) => isTemporalType(column.type));
  const numbers = columns.filter((column) => isNumericType(column.type));
  const measure = numbers.find((column) => !isIdentifier(column));
  const category = text.find((column) => !isIdentifier(column)) ?? text[0];
  const value = measure === undefined ? { aggregate: 'count' } : { y: measure.name, aggregate: 'sum' };
  if (category !== undefined) return { data: table.name, mark: 'barY', x: category.name, ...value, top: NEW_CHART_TOP };
  if (dates[0] !== undefined) return { data: table.name, mark: 'lineY', x: dates[0].name, ...value };
  // Numbers only: the first two measures against each other.
  const [x, y] = numbers.filter((column) => !isIdentifier(column));
  if (x !== undefined && y !== undefined) return { data: table.name, mark: 'dot', x: x.name, y: y.name };
  const first = columns[0];
  return first === undefined ? { data: table.name, mark: 'barY', x: '', y: '' } : { data: table.name, mark: 'barY', x: first.name, aggregate: 'count', top: NEW_CHART_TOP };
}

function isText(column: ColumnInfo): boolean {
  return isTextType(column.type) || isEnumType(column.type) || isBooleanType(column.type);
}

/** Keys and codes (`customer_id`, `InvoiceNo`, `StockCode`) are poor measures and poor categories to chart first. */
function isIdentifier(column: ColumnInfo): boolean {
  return /(id|no|code|key|number)$/i.test(column.name.replace(/[^a-z0-9]/gi, ''));
}

/** The fields of a one-mark spec that name columns or depend on them. */
const COLUMN_FIELDS = ['mark', 'x', 'y', 'fill', 'stroke', 'aggregate', 'sort', 'top'];
const CHANNEL_FIELDS = ['x', 'y', 'fill', 'stroke'];

/**
 * A one-mark spec pointed at another table: kept as it is when the table has every column it names, else given the
 * new table's starting columns (titles and other fields stay).
 */
export function retargetChart(spec: Readonly<Record<string, unknown>>, table: Pick<TableInfo, 'name' | 'columns'>): Record<string, unknown> {
  const names = new Set(table.columns.map((column) => column.name.toLowerCase()));
  const fits = CHANNEL_FIELDS.every((field) => {
    const value = spec[field];
    return typeof value !== 'string' || value === '' || names.has(value.toLowerCase()) || ((field === 'fill' || field === 'stroke') && isColour(value));
  });
  if (fits) return { ...spec, data: table.name };
  const kept = Object.fromEntries(Object.entries(spec).filter(([field]) => !COLUMN_FIELDS.includes(field)));
  return { ...kept, ...newChartSpec(table) };
}
