import type { Database } from '../ports.ts';
import type { NamedCell } from '../notebook.ts';
import type { RunContext } from '../scheduler.ts';
import type { CellOutput } from '../status.ts';
import { bindSpecInputs, parseSpec } from '../specs.ts';
import { shapeOf, shapeSql } from '../catalog.ts';
import { dialectOf } from '../../util/dialect/index.ts';
import { chartQuery, chartSpec, chartTables, type Row, type TableShape } from '../chart/index.ts';

/**
 * Run a chart cell: check the spec, fetch each mark's data aggregated (or sampled) by DuckDB, and hand the rows to the
 * page, which draws them with Observable Plot. A chart never pulls a whole large table onto the main thread.
 */
export async function evaluateChart(db: Database, cell: NamedCell, context: RunContext): Promise<CellOutput> {
  const chart = chartSpec(bindSpecInputs(parseSpec(cell.source), context.inputs));
  const tables = new Map<string, TableShape>();
  const dialect = dialectOf(db);
  for (const name of chartTables(chart)) tables.set(name, shapeOf(await db.query(shapeSql(name, dialect), { signal: context.signal })));
  const queries = chartQuery(chart, tables, undefined, dialect);
  const fetched = new Map<string, Row[]>();
  for (const { sql } of queries) {
    if (!fetched.has(sql)) fetched.set(sql, (await db.query(sql, { signal: context.signal })).toArray().map((row) => ({ ...row }) as Row));
  }
  const rows = queries.map(({ sql }) => fetched.get(sql)!);
  return {
    kind: 'chart',
    chart,
    rows,
    // The types of every column drawn (the chart's table first), so the page knows which hold dates.
    columns: [...tables.values()].flatMap((table) => table.columns).filter((column, i, all) => all.findIndex((c) => c.name === column.name) === i),
    notes: queries.flatMap((query) => (query.note ? [query.note] : [])),
    rowCount: rows.reduce((sum, list) => sum + list.length, 0),
  };
}
