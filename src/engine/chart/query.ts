import type { ColumnInfo } from '../catalog.ts';
import { SpecError } from '../specs.ts';
import { closestName } from '../../util/names.ts';
import { quoteIdent } from '../../util/sql.ts';
import { duckdbDialect, type SqlDialect } from '../../util/dialect/index.ts';
import { isNumericType, isWideNumericType } from '../../util/column-types.ts';
import type { Aggregate, Channel, MarkSpec, MarkType } from './mark.ts';
import { MARKS } from './marks/index.ts';
import type { ChartSpec } from './spec.ts';

/** The result of one mark's query: raw rows, a seeded sample of them, or rows aggregated by DuckDB. */
export interface ChartQuery {
  readonly sql: string;
  readonly sampled: 'none' | 'sampled' | 'aggregated';
  /** Said under the chart: `5,000 of 541,909 points, sampled`. */
  readonly note?: string;
}

/** The table a chart reads: its columns (DESCRIBE) and row count, as `shapeOf` gives them. */
export interface TableShape {
  readonly columns: readonly ColumnInfo[];
  readonly rowCount: number;
}

/**
 * The SQL fetching exactly what each mark draws, one query per mark (identical ones can be run once):
 * aggregated marks GROUP BY their other columns in DuckDB; raw marks over `maxPoints` rows are a seeded
 * reservoir sample. `tables` is the chart's table, or every table of `chartTables` by name.
 * Throws a SpecError for a column the table lacks, with the nearest name.
 */
export function chartQuery(
  chart: ChartSpec,
  tables: TableShape | ReadonlyMap<string, TableShape>,
  maxPoints = 5000,
  dialect: SqlDialect = duckdbDialect,
): ChartQuery[] {
  return chart.marks.map((mark) => {
    const data = mark.data ?? chart.data;
    const table = tables instanceof Map ? tables.get(data) : (tables as TableShape);
    if (table === undefined) throw new Error(`chartQuery was not given the shape of ${data}`);
    return markQuery(data, mark, table, maxPoints, dialect);
  });
}

function markQuery(data: string, mark: MarkSpec, table: TableShape, maxPoints: number, dialect: SqlDialect): ChartQuery {
  const from = quoteIdent(data);
  const sources = new Map<string, ColumnInfo>();
  for (const [channel, name] of Object.entries(mark.channels)) sources.set(name, findColumn(name, channel, mark.mark, data, table.columns));
  const select = (name: string) => {
    const source = sources.get(name)!;
    const expression = isWideNumericType(source.type) ? dialect.toDouble(quoteIdent(source.name)) : quoteIdent(source.name);
    return expression === quoteIdent(name) ? expression : `${expression} AS ${quoteIdent(name)}`;
  };
  const outputs = outputChannels(mark);
  const valueName = outputs[MARKS[mark.mark].valueChannel];
  const sortBy = mark.sort === undefined ? [] : [orderTerm(outputs[mark.sort.replace(/^-/, '') as Channel]!, mark.sort.startsWith('-'))];
  if (mark.aggregate === undefined) {
    const columns = [...sources.keys()];
    if (mark.top !== undefined && valueName !== undefined) {
      const sql = `SELECT ${columns.map(select).join(', ')} FROM ${from} ORDER BY ${orderTerm(valueName, true)} LIMIT ${mark.top}`;
      return { sql, sampled: 'none' };
    }
    const sampled = table.rowCount > maxPoints;
    const order = sortBy.length > 0 ? sortBy : MARKS[mark.mark].series && mark.channels.x !== undefined ? [quoteIdent(mark.channels.x)] : [];
    const selected = columns.map(select).join(', ');
    const sql = sampled ? dialect.sampledSelect(selected, from, maxPoints, orderBy(order)) : `SELECT ${selected} FROM ${from}${orderBy(order)}`;
    return sampled ? { sql, sampled: 'sampled', note: `${count(maxPoints)} of ${count(table.rowCount)} points, sampled` } : { sql, sampled: 'none' };
  }
  const valueColumn = mark.channels[MARKS[mark.mark].valueChannel];
  const measure = aggregateSql(mark.aggregate, valueColumn === undefined ? undefined : sources.get(valueColumn)!, mark, MARKS[mark.mark].valueChannel, dialect);
  const keys = [...sources.keys()].filter((name) => name !== valueColumn);
  const topColumn = topKey(mark);
  let where = '';
  let limit = '';
  let order = sortBy.length > 0 ? [...sortBy, ...keys.map(quoteIdent)] : keys.map(quoteIdent);
  if (mark.top !== undefined && topColumn !== undefined && topColumn !== valueColumn) {
    // Rank the groups of one key over all the others, so a stacked or multi-series chart keeps every series of its top groups.
    const key = quoteIdent(sources.get(topColumn)!.name);
    where = ` WHERE ${key} IN (SELECT ${key} FROM ${from} GROUP BY 1 ORDER BY ${measure} DESC NULLS LAST, 1 LIMIT ${mark.top})`;
  } else if (mark.top !== undefined) {
    order = [orderTerm(valueName!, true), ...keys.map(quoteIdent)];
    limit = ` LIMIT ${mark.top}`;
  }
  const columns = [...keys.map(select), `${measure} AS ${quoteIdent(valueName!)}`];
  const sql = `SELECT ${columns.join(', ')} FROM ${from}${where}${dialect.groupByFirst(keys.length)}${orderBy(order)}${limit}`;
  return { sql, sampled: 'aggregated' };
}


function aggregateSql(aggregate: Aggregate, column: ColumnInfo | undefined, mark: MarkSpec, channel: Channel, dialect: SqlDialect): string {
  if (column === undefined) return dialect.toDouble('count(*)');
  const ident = quoteIdent(column.name);
  if ((aggregate === 'sum' || aggregate === 'mean' || aggregate === 'median') && !isNumericType(column.type)) {
    throw new SpecError(`the ${mark.mark} mark's "aggregate": ${aggregate} needs a numeric column in "${channel}"; "${column.name}" is ${column.type}`);
  }
  switch (aggregate) {
    case 'count':
      return dialect.toDouble(`count(${ident})`);
    case 'mean':
      return dialect.toDouble(`avg(${ident})`);
    case 'sum':
    case 'median':
      return dialect.toDouble(`${aggregate}(${ident})`);
    case 'min':
    case 'max':
      // Dates stay dates; only numbers become DOUBLE.
      return isNumericType(column.type) ? dialect.toDouble(`${aggregate}(${ident})`) : `${aggregate}(${ident})`;
  }
}

function findColumn(name: string, channel: string, mark: MarkType, table: string, columns: readonly ColumnInfo[]): ColumnInfo {
  const found = columns.find((c) => c.name === name) ?? columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
  if (found) return found;
  const names = columns.map((c) => c.name);
  const near = closestName(name, names);
  const listed = names.length > 30 ? `${names.slice(0, 30).join(', ')}, …` : names.join(', ');
  throw new SpecError(`unknown column "${name}" in "${channel}" of the ${mark} mark${near ? ` (did you mean "${near}"?)` : ''}; ${table} has ${listed}`);
}

/** Channel → column of the rows the query returns: the spec's columns, plus `count` for a count of rows. */
export function outputChannels(mark: MarkSpec): Partial<Record<Channel, string>> {
  const value = MARKS[mark.mark].valueChannel;
  return mark.aggregate === 'count' && mark.channels[value] === undefined ? { ...mark.channels, [value]: 'count' } : { ...mark.channels };
}

/** The column whose groups `top` ranks: the series of a line or area, else the band axis (x for other marks). */
function topKey(mark: MarkSpec): string | undefined {
  const { channels } = mark;
  if (MARKS[mark.mark].series) return channels.stroke ?? channels.fill ?? channels.x;
  return MARKS[mark.mark].bandAxis === 'y' ? channels.y : channels.x;
}

function orderTerm(column: string, descending: boolean): string {
  return descending ? `${quoteIdent(column)} DESC NULLS LAST` : quoteIdent(column);
}

function orderBy(terms: readonly string[]): string {
  return terms.length > 0 ? ` ORDER BY ${[...new Set(terms)].join(', ')}` : '';
}

const count = (n: number) => n.toLocaleString('en');
