import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeDatabase } from '../../../../src/db/duckdb-node.ts';
import { shapeOf, shapeSql } from '../../../../src/engine/catalog.ts';
import { chartQuery, chartSpec, chartSpecReads, chartTables, isChart3d, plotPlan, type TableShape } from '../../../../src/engine/chart/index.ts';
import type { Database } from '../../../../src/engine/ports.ts';
import type { Spec } from '../../../../src/engine/specs.ts';

let db: Database;
let sales: TableShape;
beforeAll(async () => {
  db = await openNodeDatabase();
  await db.query(`CREATE TABLE sales AS SELECT category, country, day, amount, quantity::BIGINT AS quantity FROM (VALUES
    ('Toys', 'UK', DATE '2011-01-03', 10.0, 1), ('Toys', 'France', DATE '2011-01-03', 20.0, 2),
    ('Books', 'UK', DATE '2011-01-04', 5.0, 1), ('Books', 'UK', DATE '2011-02-01', 15.0, 3),
    ('Garden', 'Germany', DATE '2011-02-01', 40.0, 4), ('Kitchen', 'UK', DATE '2011-02-02', 9.0, 2),
    ('Kitchen', 'France', DATE '2011-03-01', 12.0, 1), ('Garden', 'France', DATE '2011-03-01', 2.0, 1)
  ) t(category, country, day, amount, quantity)`);
  await db.query('CREATE TABLE big AS SELECT range AS i, range % 7 AS weekday FROM range(12000)');
  sales = shapeOf(await db.query(shapeSql('sales')));
});
afterAll(async () => {
  await db.close();
});

async function rows(sql: string): Promise<Record<string, unknown>[]> {
  return (await db.query(sql)).toArray().map((row) => ({ ...row }));
}

/** The rows of a one-mark chart, and what chartQuery said about them. */
async function chartRows(spec: Spec, table = sales, maxPoints?: number) {
  const [query] = chartQuery(chartSpec(spec), table, maxPoints);
  return { query: query!, rows: await rows(query!.sql) };
}

describe('chart specs', () => {
  it('names the field at fault', () => {
    expect(() => chartSpec({ mark: 'barY', x: 'a' })).toThrow(/"data" must name the table/);
    expect(() => chartSpec({ data: 't' })).toThrow(/a chart needs "marks"/);
    expect(() => chartSpec({ data: 't', marks: [{ mark: 'pie', x: 'a' }] })).toThrow(/"marks\[0\]\.mark" must be one of barY, barX/);
    expect(() => chartSpec({ data: 't', marks: [{ mark: 'barY', x: 'a', y: 'b' }, { mark: 'line', x: 'a', y: 'b', aggregate: 'total' }] })).toThrow(/"marks\[1\]\.aggregate" must be one of sum, count, mean, median, min, max; got "total"/);
    expect(() => chartSpec({ data: 't', marks: [{ mark: 'barY', x: 'a', y: 'b', fil: 'c' }] })).toThrow(/unknown key "marks\[0\]\.fil" \(did you mean "marks\[0\]\.fill"\?\)/);
    expect(() => chartSpec({ data: 't', marks: [{ mark: 'barY', x: 'a', y: 'b', top: -1 }] })).toThrow(/"marks\[0\]\.top" must be a whole number/);
    expect(() => chartSpec({ data: 't', marks: [{ mark: 'barY', x: 'a', y: 'b', sort: '-r' }] })).toThrow(/"marks\[0\]\.sort" must name a channel the mark sets/);
    expect(() => chartSpec({ data: 't', marks: [{ mark: 'barY', x: 'a', aggregate: 'sum' }] })).toThrow(/"marks\[0\]\.aggregate": sum needs a column in "marks\[0\]\.y"/);
    expect(() => chartSpec({ data: 't', marks: [{ mark: 'link', x1: 'a', y1: 'b' }] })).toThrow(/link mark needs "marks\[0\]\.x1", "marks\[0\]\.y1", "marks\[0\]\.x2" and "marks\[0\]\.y2"/);
    expect(() => chartSpec({ data: 't', marks: [{ mark: 'barY', x: 'a', y: 'b' }], x: 'a' })).toThrow(/"x" at the top of a chart with "marks" is its axis/);
    expect(() => chartSpec({ data: 't', mark: 'barY', x: 'a', y: 'b', color: { scheme: 'tablaeu10' } })).toThrow(/"color.scheme" must be a Plot colour scheme.*\(did you mean "tableau10"\?\)/);
    expect(() => chartSpec({ data: 't', mark: 'barY', x: 'a', y: 'b', height: 0 })).toThrow(/"height" must be a positive number/);
    expect(() => chartSpec({ data: 't', mark: 'barY', x: 'a', y: 'b', y_label: 'Revenue' })).toThrow(/unknown key "y_label"/);
  });

  it('the short form is one mark, and equals the long form', () => {
    const short = chartSpec({ data: 'sales', mark: 'barY', x: 'country', y: 'amount', aggregate: 'sum', fill: 'steelblue', title: 'Revenue' });
    const long = chartSpec({ data: 'sales', marks: [{ mark: 'barY', x: 'country', y: 'amount', aggregate: 'sum', fill: 'steelblue' }], title: 'Revenue' });
    expect(short).toEqual(long);
    expect(long).toEqual({
      data: 'sales',
      marks: [{ mark: 'barY', channels: { x: 'country', y: 'amount' }, constants: { fill: 'steelblue' }, aggregate: 'sum' }],
      title: 'Revenue',
      tooltip: true,
    });
    // In the short form an object is the axis, a string the column.
    expect(chartSpec({ data: 't', mark: 'dot', x: 'a', y: { type: 'log' } })).toEqual(chartSpec({ data: 't', marks: [{ mark: 'dot', x: 'a' }], y: { type: 'log' } }));
  });

  it('reads a colour as a constant and anything else as a column; a rule takes its axis from its channel', () => {
    const chart = chartSpec({ data: 't', marks: [{ mark: 'dot', x: 'a', y: 'b', stroke: '#ff8800', fill: 'segment', r: 3 }, { mark: 'rule', y: 'target' }] });
    expect(chart.marks[0]).toEqual({ mark: 'dot', channels: { x: 'a', y: 'b', fill: 'segment' }, constants: { stroke: '#ff8800', r: 3 } });
    expect(chart.marks[1]?.mark).toBe('ruleY');
    expect(chartSpec({ data: 't', mark: 'rule', x: 'mean' }).marks[0]?.mark).toBe('ruleX');
  });

  it('opacity, label shifts and hidden axes are checked constants', () => {
    expect(chartSpec({ data: 't', mark: 'areaY', x: 'a', y: 'b', fill: '#2f6f4e', opacity: 0.25 }).marks[0]?.constants).toEqual({ fill: '#2f6f4e', opacity: 0.25 });
    expect(() => chartSpec({ data: 't', mark: 'areaY', x: 'a', y: 'b', opacity: 25 })).toThrow('"opacity" must be a number in (0, 1], e.g. 0.3; got 25');
    expect(chartSpec({ data: 't', mark: 'text', x: 'a', y: 'b', text: 'c', dy: -8 }).marks[0]?.constants).toEqual({ dy: -8 });
    expect(plotPlan(chartSpec({ data: 't', marks: [{ mark: 'dot', x: 'a', y: 'b' }], x: { axis: false } }), [[]], { width: 400, dark: false }).options.x).toEqual({ axis: null });
    expect(plotPlan(chartSpec({ data: 't', mark: 'dot', x: 'a', y: 'b', inset: 40 }), [[]], { width: 400, dark: false }).options.inset).toBe(40);
    expect(() => chartSpec({ data: 't', mark: 'text', x: 'a', y: 'b', text: 'c', dx: 'left' })).toThrow('"dx" must be a shift in pixels');
  });
});

describe('chart queries run in DuckDB', () => {
  it('sums by category, grouped in DuckDB', async () => {
    const { query, rows: result } = await chartRows({ data: 'sales', mark: 'barY', x: 'category', y: 'amount', aggregate: 'sum' });
    expect(query.sampled).toBe('aggregated');
    // By hand: Books 5 + 15, Garden 40 + 2, Kitchen 9 + 12, Toys 10 + 20.
    expect(result).toEqual([
      { category: 'Books', amount: 20 },
      { category: 'Garden', amount: 42 },
      { category: 'Kitchen', amount: 21 },
      { category: 'Toys', amount: 30 },
    ]);
  });

  it('keeps the top 3 categories by their sum', async () => {
    const { rows: result } = await chartRows({ data: 'sales', mark: 'barY', x: 'category', y: 'amount', aggregate: 'sum', top: 3, sort: '-y' });
    expect(result).toEqual([
      { category: 'Garden', amount: 42 },
      { category: 'Toys', amount: 30 },
      { category: 'Kitchen', amount: 21 },
    ]);
  });

  it('top ranks whole categories, so a stacked bar keeps every country of its top 2', async () => {
    const { rows: result } = await chartRows({ data: 'sales', mark: 'barY', x: 'category', y: 'amount', fill: 'country', aggregate: 'sum', top: 2 });
    expect(result).toEqual([
      { category: 'Garden', country: 'France', amount: 2 },
      { category: 'Garden', country: 'Germany', amount: 40 },
      { category: 'Toys', country: 'France', amount: 20 },
      { category: 'Toys', country: 'UK', amount: 10 },
    ]);
  });

  it('counts rows by country without a value column, and horizontally by the y column for barX', async () => {
    const { rows: counted } = await chartRows({ data: 'sales', mark: 'barY', x: 'country', aggregate: 'count' });
    expect(counted).toEqual([
      { country: 'France', count: 3 },
      { country: 'Germany', count: 1 },
      { country: 'UK', count: 4 },
    ]);
    // Mean of amount per country: Germany 40, France (20 + 12 + 2) / 3, UK (10 + 5 + 15 + 9) / 4; barX ranks the y column.
    const { rows: means } = await chartRows({ data: 'sales', mark: 'barX', y: 'country', x: 'amount', aggregate: 'mean', top: 2, sort: '-x' });
    expect(means).toEqual([
      { country: 'Germany', amount: 40 },
      { country: 'France', amount: 34 / 3 },
    ]);
    // quantity is BIGINT and arrives as a number.
    const { rows: quantities } = await chartRows({ data: 'sales', mark: 'barY', x: 'country', y: 'quantity', aggregate: 'max', sort: '-y' });
    expect(quantities).toEqual([
      { country: 'Germany', quantity: 4 },
      { country: 'UK', quantity: 3 },
      { country: 'France', quantity: 2 },
    ]);
  });

  it('samples raw points above maxPoints, with a seed, and says so', async () => {
    const big = shapeOf(await db.query(shapeSql('big')));
    const spec = { data: 'big', mark: 'dot', x: 'i', y: 'weekday' };
    const first = await chartRows(spec, big, 1000);
    expect(first.query.sampled).toBe('sampled');
    expect(first.query.note).toBe('1,000 of 12,000 points, sampled');
    expect(first.rows).toHaveLength(1000);
    expect(typeof first.rows[0]?.i).toBe('number');
    expect((await chartRows(spec, big, 1000)).rows).toEqual(first.rows);
    const whole = await chartRows(spec, big, 20_000);
    expect(whole.query).toEqual({ sql: 'SELECT "i"::DOUBLE AS "i", "weekday"::DOUBLE AS "weekday" FROM "big"', sampled: 'none' });
    expect(whole.rows).toHaveLength(12_000);
  });

  it('an unknown column is named, with the near one and the table columns', () => {
    const chart = chartSpec({ data: 'sales', mark: 'barY', x: 'category', y: 'amout', aggregate: 'sum' });
    expect(() => chartQuery(chart, sales)).toThrow('unknown column "amout" in "y" of the barY mark (did you mean "amount"?); sales has category, country, day, amount, quantity');
    expect(() => chartQuery(chartSpec({ data: 'sales', mark: 'barY', x: 'category', y: 'country', aggregate: 'sum' }), sales)).toThrow(
      /"aggregate": sum needs a numeric column in "y"; "country" is VARCHAR/,
    );
  });

  it('matches column names without case, as DuckDB does, and returns them as the spec wrote them', async () => {
    const { rows: result } = await chartRows({ data: 'sales', mark: 'barY', x: 'Country', aggregate: 'count', top: 1 });
    expect(result).toEqual([{ Country: 'UK', count: 4 }]);
  });
});

describe('plot plans', () => {
  it('a bar chart: channels name the result columns; top orders the bars by value; tooltips are tips', async () => {
    const chart = chartSpec({ data: 'sales', mark: 'barY', x: 'category', y: 'amount', aggregate: 'sum', top: 3, title: 'Top categories' });
    const result = await rows(chartQuery(chart, sales)[0]!.sql);
    const plan = plotPlan(chart, [result], { width: 640, dark: false });
    expect(plan.marks).toEqual([
      { type: 'barY', data: result, channels: { x: 'category', y: 'amount' }, options: { tip: true, sort: { x: '-y' } } },
    ]);
    expect(plan.options).toEqual({ width: 640, title: 'Top categories', y: { label: 'sum of amount' } });
  });

  it('a colour column gets a legend and a scheme fit for the theme', () => {
    const chart = chartSpec({ data: 'sales', mark: 'barY', x: 'category', y: 'amount', fill: 'country' });
    const data = [{ category: 'Toys', country: 'UK', amount: 10 }];
    expect(plotPlan(chart, [data], { width: 600, dark: false }).options.color).toEqual({ scheme: 'tableau10', legend: true });
    expect(plotPlan(chart, [data], { width: 600, dark: true }).options.color).toEqual({ scheme: 'observable10', legend: true });
    const heatmap = chartSpec({ data: 'sales', mark: 'cell', x: 'category', y: 'country', fill: 'amount', aggregate: 'sum', color: { scheme: 'Greens', legend: false } });
    expect(plotPlan(heatmap, [data], { width: 600, dark: true }).options.color).toEqual({ scheme: 'greens', legend: false });
  });

  it('a line chart over dates: day values become Dates on a UTC axis, sorted by day', async () => {
    const chart = chartSpec({ data: 'sales', marks: [{ mark: 'line', x: 'day', y: 'amount', aggregate: 'sum' }], x: { label: 'Day' }, tooltip: false });
    const result = await rows(chartQuery(chart, sales)[0]!.sql);
    const plan = plotPlan(chart, [result], { width: 800, dark: false, columns: sales.columns });
    const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
    // By hand: Jan 3 10 + 20, Jan 4 5, Feb 1 15 + 40, Feb 2 9, Mar 1 12 + 2.
    expect(plan.marks[0]).toEqual({
      type: 'line',
      data: [
        { day: day('2011-01-03'), amount: 30 },
        { day: day('2011-01-04'), amount: 5 },
        { day: day('2011-02-01'), amount: 55 },
        { day: day('2011-02-02'), amount: 9 },
        { day: day('2011-03-01'), amount: 14 },
      ],
      channels: { x: 'day', y: 'amount' },
      options: {},
    });
    expect(plan.options).toEqual({ width: 800, x: { label: 'Day' }, y: { label: 'sum of amount' } });
    // Without column types, an axis declared "time" still gets Dates, on a UTC scale.
    const timed = chartSpec({ data: 'sales', marks: [{ mark: 'line', x: 'day', y: 'amount' }], x: { type: 'time' } });
    const timedPlan = plotPlan(timed, [[{ day: Date.UTC(2011, 0, 3), amount: 1 }]], { width: 800, dark: false });
    expect(timedPlan.marks[0]?.data).toEqual([{ day: day('2011-01-03'), amount: 1 }]);
    expect(timedPlan.options.x).toEqual({ type: 'utc' });
  });
});

describe('a mark with its own table', () => {
  it('reads that table, and the chart depends on both', async () => {
    await db.query(`CREATE TABLE nodes AS SELECT * FROM (VALUES ('a', 0.0, 0.0), ('b', 1.0, 0.5), ('c', -1.0, 0.5)) t(node, x, y)`);
    await db.query(`CREATE TABLE links AS SELECT * FROM (VALUES (0.0, 0.0, 1.0, 0.5), (0.0, 0.0, -1.0, 0.5)) t(x1, y1, x2, y2)`);
    const chart = chartSpec({
      data: 'links',
      marks: [
        { mark: 'link', x1: 'x1', y1: 'y1', x2: 'x2', y2: 'y2' },
        { mark: 'dot', data: 'nodes', x: 'x', y: 'y' },
        { mark: 'text', data: 'nodes', x: 'x', y: 'y', text: 'node' },
      ],
    });
    expect(chartTables(chart)).toEqual(['links', 'nodes']);
    expect(chartSpecReads({ data: 'links', marks: [{ mark: 'dot', data: 'nodes' }, { mark: 'link' }] })).toEqual(['links', 'nodes']);
    const shapes = new Map([
      ['links', shapeOf(await db.query(shapeSql('links')))],
      ['nodes', shapeOf(await db.query(shapeSql('nodes')))],
    ]);
    const fetched = await Promise.all(chartQuery(chart, shapes).map((query) => rows(query.sql)));
    expect(fetched.map((list) => list.length)).toEqual([2, 3, 3]);
    expect(fetched[2]!.map((row) => row.node).sort()).toEqual(['a', 'b', 'c']);
    expect(() => chartSpec({ data: 'links', marks: [{ mark: 'dot', data: 7, x: 'x' }] })).toThrow('"marks[0].data" must name the table this mark draws');
    // In the short form "data" is the chart's: there is no mark-level table to name.
    expect(chartSpec({ data: 'nodes', mark: 'dot', x: 'x', y: 'y' }).marks[0]?.data).toBeUndefined();
  });
});

describe('a 3-D scatter', () => {
  const chart = chartSpec({ data: 'points', mark: 'dot', x: 'recency', y: 'frequency', z: 'monetary', fill: 'segment' });
  const data = [
    { recency: 0, frequency: 10, monetary: 100, segment: 'a' },
    { recency: 10, frequency: 0, monetary: 300, segment: 'b' },
    { recency: 5, frequency: 5, monetary: 200, segment: 'a' },
  ];

  it('needs a dot mark with x and y, and no aggregate', () => {
    expect(isChart3d(chart)).toBe(true);
    expect(() => chartSpec({ data: 't', mark: 'barY', x: 'a', y: 'b', z: 'c' })).toThrow('"z" makes a rotatable 3-D scatter: it needs a dot mark with "x" and "y" too');
    expect(() => chartSpec({ data: 't', mark: 'dot', x: 'a', y: 'b', z: 'c', aggregate: 'count' })).toThrow('"aggregate" does not apply to a 3-D scatter');
  });

  it('seen face on, the points sit where their x and y put them in the cube, and the data stays in the tooltip', () => {
    const plan = plotPlan(chart, [data], { width: 900, dark: false, view: { yaw: 0, pitch: 0 } });
    // Axes first (a link and a text mark), then the points.
    expect(plan.marks.map((mark) => mark.type)).toEqual(['link', 'text', 'dot']);
    const dots = plan.marks[2]!;
    expect(dots.channels).toEqual({ fill: 'segment', x: '__sx', y: '__sy' });
    // By hand: recency 0..10 → -1..1 and frequency 0..10 → -1..1; face on, screen = (x, y); depth = z orders them.
    // monetary 100, 300, 200 → z -1, 1, 0: far (a) first, then the middle one, then the near one.
    expect(dots.data.map((row) => [row.__sx, row.__sy])).toEqual([
      [-1, 1],
      [0, 0],
      [1, -1],
    ]);
    expect(dots.options).toMatchObject({ channels: { recency: 'recency', frequency: 'frequency', monetary: 'monetary' }, tip: { format: { x: false, y: false } } });
    expect(plan.options).toMatchObject({ width: 720, aspectRatio: 1, x: { axis: null }, y: { axis: null } });
    // The three axis labels name the columns.
    expect(plan.marks[1]!.data.map((row) => row.label)).toEqual(['recency', 'frequency', 'monetary']);
  });

  it('turning a quarter about the vertical axis shows z across the screen', () => {
    const plan = plotPlan(chart, [data], { width: 600, dark: false, view: { yaw: Math.PI / 2, pitch: 0 } });
    const rows = plan.marks[2]!.data;
    // yaw 90°: screen x = z (monetary), screen y = y (frequency); depth = -x, so the largest recency is farthest.
    const point = (segmentRecency: number) => rows.find((row) => row.recency === segmentRecency)!;
    expect(point(0).__sx).toBeCloseTo(-1, 12);
    expect(point(10).__sx).toBeCloseTo(1, 12);
    expect(rows.map((row) => row.recency)).toEqual([10, 5, 0]);
  });
});

describe('axes and colours of a plot plan', () => {
  it('an axis of whole numbers over a short range gets whole-number ticks (k = 2 … 8, never 2.5)', () => {
    const elbow = chartSpec({ data: 'choose_k', marks: [{ mark: 'lineY', x: 'k', y: 'inertia' }, { mark: 'dot', x: 'k', y: 'inertia' }] });
    const data = [2, 3, 4, 5, 6, 7, 8].map((k) => ({ k, inertia: 1000 / k + 0.5 }));
    const plan = plotPlan(elbow, [data, data], { width: 1000, dark: false });
    expect(plan.options.x).toEqual({ ticks: [2, 3, 4, 5, 6, 7, 8], tickFormat: 'd' });
    // Inertia is not whole: Plot keeps its own ticks there.
    expect(plan.options.y?.ticks).toBeUndefined();
    // A narrow chart has room for fewer ticks, still whole: 2, 4, 6, 8 (k = 2 … 9 at 240 px: room for three gaps).
    const wide = [...data, { k: 9, inertia: 100 }];
    expect(plotPlan(elbow, [wide, wide], { width: 240, dark: false }).options.x?.ticks).toEqual([2, 4, 6, 8]);
  });

  it('bars of small counts get whole ticks from zero; other axes keep Plot ticks', () => {
    const counts = chartSpec({ data: 't', mark: 'barY', x: 'country', aggregate: 'count' });
    expect(plotPlan(counts, [[{ country: 'UK', count: 3 }, { country: 'France', count: 1 }]], { width: 600, dark: false }).options.y?.ticks).toEqual([0, 1, 2, 3]);
    const dots = chartSpec({ data: 't', mark: 'dot', x: 'a', y: 'b' });
    // A fraction, a wide range, a log axis, a hidden axis: no ticks of ours.
    expect(plotPlan(dots, [[{ a: 1.5, b: 1 }, { a: 2, b: 2 }]], { width: 600, dark: false }).options.x?.ticks).toBeUndefined();
    expect(plotPlan(dots, [[{ a: 0, b: 1 }, { a: 500, b: 2 }]], { width: 600, dark: false }).options.x?.ticks).toBeUndefined();
    const log = chartSpec({ data: 't', marks: [{ mark: 'dot', x: 'a', y: 'b' }], x: { type: 'log' }, y: { axis: false } });
    const plan = plotPlan(log, [[{ a: 1, b: 1 }, { a: 4, b: 2 }]], { width: 600, dark: false });
    expect(plan.options.x).toEqual({ type: 'log' });
    expect(plan.options.y).toEqual({ axis: null });
  });

  it('a mark with no colour of its own takes the accent; a colour given in the spec wins', () => {
    const accent = '#2f6f4e';
    const bars = chartSpec({ data: 't', mark: 'barY', x: 'a', y: 'b' });
    expect(plotPlan(bars, [[]], { width: 600, dark: false, accent }).marks[0]?.options).toEqual({ fill: accent, tip: true });
    const line = chartSpec({ data: 't', marks: [{ mark: 'lineY', x: 'a', y: 'b' }, { mark: 'dot', x: 'a', y: 'b', fill: 'red' }, { mark: 'barY', x: 'a', y: 'b', fill: 'c' }, { mark: 'text', x: 'a', y: 'b', text: 'c' }] });
    expect(plotPlan(line, [[], [], [], []], { width: 600, dark: false, accent }).marks.map((mark) => [mark.options.fill, mark.options.stroke])).toEqual([
      [undefined, accent],
      ['red', undefined],
      [undefined, undefined],
      [undefined, undefined],
    ]);
    // Without an accent (the exported report), Plot's own colour.
    expect(plotPlan(bars, [[]], { width: 600, dark: false }).marks[0]?.options).toEqual({ tip: true });
  });
});
