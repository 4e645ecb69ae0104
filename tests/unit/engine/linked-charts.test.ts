import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeCell } from '../../../src/engine/analyze.ts';
import { buildGraph, runOrder } from '../../../src/engine/graph.ts';
import { describeCellError } from '../../../src/engine/errors.ts';
import { Scheduler, type Evaluate } from '../../../src/engine/scheduler.ts';
import { bindInputs, evaluateSql } from '../../../src/engine/evaluate/sql.ts';
import { openNodeDatabase } from '../../../src/db/duckdb-node.ts';
import type { Database } from '../../../src/engine/ports.ts';
import type { Cell, Notebook } from '../../../src/engine/notebook.ts';
import type { InputValue } from '../../../src/engine/specs.ts';

const sql = (name: string, source: string): Cell => ({ id: name, kind: 'sql', name, source });
const chart = (name: string, spec: object): Cell => ({ id: name, kind: 'chart', name, source: JSON.stringify(spec) });
const input = (name: string, spec: object): Cell => ({ id: name, kind: 'input', name, source: JSON.stringify(spec) });
const notebook = (...cells: Cell[]): Notebook => ({ title: 't', data: {}, cells, extra: {} });
const graphOf = (nb: Notebook) => buildGraph(nb.cells.map(analyzeCell), (id) => nb.cells.find((cell) => cell.id === id)?.kind === 'input');

const trend = chart('trend', { data: 'monthly', mark: 'lineY', x: 'month', y: 'revenue', select: { as: 'period', type: 'interval', channel: 'x' } });
const countries = sql('countries', 'SELECT country, day FROM sales WHERE $period IS NULL OR day BETWEEN $period[1] AND $period[2]');
const monthly = sql('monthly', 'SELECT 1 AS month, 2 AS revenue');

describe('a chart that selects, in the notebook graph', () => {
  it('defines its selection as an input: readers of $period come after the chart, with no unknown-name error', () => {
    const nb = notebook(countries, trend, monthly);
    const graph = graphOf(nb);
    expect([...graph.errors.values()]).toEqual([]);
    expect(graph.parents.get('countries')).toEqual(['trend']);
    expect(runOrder(graph, ['monthly'])).toEqual(['monthly', 'trend', 'countries']);
  });

  it('a name clash with an input cell is an error on both, in plain words', () => {
    const nb = notebook(input('period', { input: 'text' }), trend, monthly, countries);
    const graph = graphOf(nb);
    const error = graph.errors.get('trend')!;
    expect(graph.errors.get('period')).toEqual(error);
    expect(describeCellError(error)).toBe('the chart trend publishes its selection as "period", which is also the name of the cell period; rename one of them');
  });

  it('two charts publishing the same name are named', () => {
    const other = chart('other', { data: 'monthly', mark: 'dot', x: 'month', select: { as: 'Period' } });
    const graph = graphOf(notebook(monthly, trend, other));
    expect(describeCellError(graph.errors.get('other')!)).toBe('the charts trend and other both publish a selection as "period"; rename one of them');
  });

  it('a bad select is the chart’s own error before it runs', () => {
    const bad = chart('bad', { data: 'monthly', mark: 'dot', x: 'month', select: { as: 'p', typ: 'point' } });
    expect(analyzeCell(bad).error?.kind).toBe('invalid');
    expect(graphOf(notebook(monthly, bad)).errors.get('bad')).toMatchObject({ message: expect.stringContaining('did you mean "select.type"?') });
  });
});

describe('a selection in the scheduler', () => {
  function harness() {
    const ran: string[] = [];
    const seen: (InputValue | undefined)[] = [];
    const evaluate: Evaluate = async (cell, _analysis, context) => {
      ran.push(cell.name);
      if (cell.name === 'countries') seen.push(context.inputs.get('period'));
      if (cell.kind === 'chart') return { kind: 'chart', chart: { data: 'monthly', marks: [], tooltip: true }, rows: [], columns: [], notes: [], rowCount: 0 };
      expect(context.selections).toEqual(new Set(['period']));
      return { kind: 'table', table: cell.name, rowCount: 0, columns: [] };
    };
    const scheduler = new Scheduler({ evaluate, onStates: () => undefined });
    return { scheduler, ran, seen };
  }

  it('starts cleared (NULL); setting it re-runs its readers but not the chart; clearing re-runs them with NULL', async () => {
    const { scheduler, ran, seen } = harness();
    scheduler.update(notebook(monthly, trend, countries));
    await scheduler.runAll();
    expect(scheduler.selection('trend')).toBeNull();
    ran.length = 0;
    await scheduler.setSelection('trend', ['2011-02-01 00:00:00.000', '2011-03-01 00:00:00.000']);
    expect(ran).toEqual(['countries']);
    await scheduler.setSelection('trend', null);
    expect(ran).toEqual(['countries', 'countries']);
    expect(seen).toEqual([null, ['2011-02-01 00:00:00.000', '2011-03-01 00:00:00.000'], null]);
  });

  it('keeps the selection through an edit of the chart’s looks, and drops it when what it selects changes', () => {
    const { scheduler } = harness();
    scheduler.update(notebook(monthly, trend, countries));
    scheduler.presetSelection('trend', [1, 2]);
    const titled = { ...trend, source: trend.source.replace('"data"', '"title":"Trend","data"') };
    scheduler.update(notebook(monthly, titled, countries));
    expect(scheduler.selection('trend')).toEqual([1, 2]);
    scheduler.update(notebook(monthly, { ...titled, source: titled.source.replace('"interval"', '"point"') }, countries));
    expect(scheduler.selection('trend')).toBeNull();
  });
});

describe('a selection bound in SQL', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openNodeDatabase();
    await db.query(`CREATE TABLE sales AS SELECT * FROM (VALUES
      ('UK', TIMESTAMP '2011-01-05 10:00', 10.0), ('France', TIMESTAMP '2011-02-10 11:00', 20.0),
      ('Germany', TIMESTAMP '2011-03-15 12:00', 40.0), ('Spain', TIMESTAMP '2011-04-01 09:00', 80.0)
    ) t(country, day, amount)`);
  });
  afterAll(() => db.close());

  async function run(source: string, period: InputValue) {
    const context = { signal: new AbortController().signal, inputs: new Map([['period', period]]), dataNames: new Set<string>(), selections: new Set(['period']) };
    await evaluateSql(db, { id: 'x', kind: 'sql', name: 'result', source }, context);
    return (await db.query('SELECT country FROM result ORDER BY day')).toArray().map((row) => String(row.country));
  }

  it('an interval on time filters by its instants; cleared, `$period IS NULL` keeps every row', async () => {
    expect(await run(countries.source, ['2011-02-01 00:00:00.000', '2011-03-31 23:59:59.999'])).toEqual(['France', 'Germany']);
    expect(await run(countries.source, null)).toEqual(['UK', 'France', 'Germany', 'Spain']);
  });

  it('a numeric interval is a list of numbers: no cast needed against a number column', async () => {
    expect(await run('SELECT * FROM sales WHERE $period IS NULL OR amount BETWEEN $period[1] AND $period[2]', [15, 45])).toEqual(['France', 'Germany']);
  });

  it('a point is its value, bound', async () => {
    expect(await run('SELECT * FROM sales WHERE $period IS NULL OR country = $period', 'Spain')).toEqual(['Spain']);
  });

  it('the values are parameters: the SQL text never contains them', () => {
    const hostile = "2011-01-01'); DROP TABLE sales; --";
    const { sql: text, params } = bindInputs(countries.source, new Map<string, InputValue>([['period', [hostile, hostile]]]), new Set(['period']));
    expect(text).not.toContain('DROP');
    expect(text).toContain('CAST(string_split($1, chr(31)) AS TIMESTAMP[])[1]');
    expect(params).toEqual([`${hostile}\u001f${hostile}`]);
  });
});
