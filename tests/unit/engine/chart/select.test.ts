import { describe, expect, it } from 'vitest';
import { intervalAt, intervalPixels, isSelectionValue, pointAt, pointPixels, selectProblem, selectSpec, selectionLabel, selectionSql, type PlotScale } from '../../../../src/engine/chart/select.ts';
import { bindInputs } from '../../../../src/engine/evaluate/sql.ts';
import { duckdbDialect, trinoDialect } from '../../../../src/util/dialect/index.ts';
import { chartSpec } from '../../../../src/engine/chart/spec.ts';
import { SpecError } from '../../../../src/engine/specs.ts';

const JAN = Date.UTC(2011, 0, 1);
const APR = Date.UTC(2011, 3, 1);
/** A time scale drawn as Plot does: Jan → 100 px, Apr → 400 px, linear in between. */
const timeScale: PlotScale = {
  type: 'utc',
  domain: [new Date(JAN), new Date(APR)],
  range: [100, 400],
  apply: (value) => 100 + (((value as Date).getTime() - JAN) / (APR - JAN)) * 300,
  invert: (pixel) => new Date(JAN + ((pixel - 100) / 300) * (APR - JAN)),
};
const linearScale: PlotScale = { type: 'linear', domain: [0, 50], range: [400, 0], apply: (v) => 400 - (v as number) * 8, invert: (p) => (400 - p) / 8 };
/** Bands of 30 px every 40 px from 20: UK 20–50, France 60–90, Germany 100–130. */
const bandScale: PlotScale = { type: 'band', domain: ['UK', 'France', 'Germany'], bandwidth: 30, apply: (v) => 20 + 40 * ['UK', 'France', 'Germany'].indexOf(v as string) };

describe('a chart’s select spec', () => {
  it('defaults to an interval on x, and is part of the checked chart', () => {
    expect(selectSpec({ select: { as: 'period' } })).toEqual({ as: 'period', type: 'interval', channel: 'x' });
    const chart = chartSpec({ data: 'monthly', mark: 'lineY', x: 'month', y: 'revenue', select: { as: 'pick', type: 'point', channel: 'y' } });
    expect(chart.select).toEqual({ as: 'pick', type: 'point', channel: 'y' });
  });

  it('names an unknown key with the nearest known one, like every spec key', () => {
    expect(() => selectSpec({ select: { as: 'period', chanel: 'x' } })).toThrow('unknown key "select.chanel" (did you mean "select.channel"?)');
    expect(() => chartSpec({ data: 'm', mark: 'dot', x: 'a', slect: { as: 'p' } })).toThrow('(did you mean "select"?)');
  });

  it('refuses a bad type, channel or input name, naming it', () => {
    expect(() => selectSpec({ select: { as: 'period', type: 'lasso' } })).toThrow(SpecError);
    expect(() => selectSpec({ select: { as: 'period', type: 'lasso' } })).toThrow('"select.type" must be one of interval, point');
    expect(() => selectSpec({ select: { as: 'period', channel: 'z' } })).toThrow('"select.channel" must be one of x, y');
    expect(() => selectSpec({ select: { as: '1st' } })).toThrow('"select.as" "1st" cannot name an input');
    expect(() => selectSpec({ select: { type: 'point' } })).toThrow('"select.as" must name the input');
  });
});

describe('pixels to values', () => {
  it('an interval on a time axis is its two instants as UTC timestamps, earlier first', () => {
    // 175 px is a quarter of the way from Jan to Apr, 250 px half-way (hand-computed from the scale's ends).
    const quarter = new Date(JAN + (APR - JAN) / 4).toISOString().replace('T', ' ').replace('Z', '');
    const half = new Date(JAN + (APR - JAN) / 2).toISOString().replace('T', ' ').replace('Z', '');
    expect(intervalAt(timeScale, [250, 175])).toEqual([quarter, half]);
    expect(intervalAt(timeScale, [100, 400])).toEqual(['2011-01-01 00:00:00.000', '2011-04-01 00:00:00.000']);
  });

  it('an interval on a numeric axis is two numbers in ascending order, whichever way the axis runs', () => {
    expect(intervalAt(linearScale, [80, 320])).toEqual([10, 40]);
  });

  it('a kept interval maps back onto the pixels it came from', () => {
    expect(intervalPixels(timeScale, intervalAt(timeScale, [130, 310]) as [string, string])).toEqual([130, 310].map((p) => expect.closeTo(p, 6)));
    expect(intervalPixels(linearScale, [10, 40])).toEqual([80, 320]);
    expect(intervalPixels(linearScale, null)).toBeUndefined();
  });

  it('a click picks the band under it, and nothing between bands', () => {
    expect(pointAt(bandScale, 75)).toBe('France');
    expect(pointAt(bandScale, 100)).toBe('Germany');
    expect(pointAt(bandScale, 55)).toBeUndefined();
    expect(pointPixels(bandScale, 'France')).toEqual([60, 90]);
  });

  it('a click on a continuous axis picks the nearest data value within reach', () => {
    const values = [new Date(JAN), new Date(Date.UTC(2011, 1, 1)), new Date(APR)];
    // February 1st sits at 100 + 31/90 × 300 ≈ 203.3 px.
    expect(pointAt(timeScale, 205, values)).toBe('2011-02-01 00:00:00.000');
    expect(pointAt(timeScale, 300, values)).toBeUndefined();
  });

  it('says when the axis cannot carry the selection', () => {
    expect(selectProblem({ as: 'p', type: 'interval', channel: 'y' }, bandScale)).toMatch(/needs a numeric or time y axis; this one is band \(use "type": "point"/);
    expect(selectProblem({ as: 'p', type: 'interval', channel: 'x' }, undefined)).toBe('the chart has no x axis to select on');
    expect(selectProblem({ as: 'p', type: 'interval', channel: 'x' }, timeScale)).toBeUndefined();
  });
});

describe('values to SQL', () => {
  it('an interval is a typed two-element list around its one parameter; a point or a cleared selection the parameter itself', () => {
    expect(selectionSql('$1', ['2011-01-01 00:00:00.000', '2011-04-01 00:00:00.000'])).toBe('CAST(string_split($1, chr(31)) AS TIMESTAMP[])');
    expect(selectionSql('$2', [10, 40])).toBe('CAST(string_split($2, chr(31)) AS DOUBLE[])');
    expect(selectionSql('$1', 'France')).toBe('$1');
    expect(selectionSql('$1', null)).toBe('$1');
  });

  it("is written in each engine's dialect: DuckDB's string_split and T[], Trino's split and ARRAY(T)", () => {
    const period = ['2011-01-01 00:00:00.000', '2011-04-01 00:00:00.000'];
    expect(selectionSql('$1', period, duckdbDialect)).toBe('CAST(string_split($1, chr(31)) AS TIMESTAMP[])');
    expect(selectionSql('$1', period, trinoDialect)).toBe('CAST(split($1, chr(31)) AS ARRAY(TIMESTAMP))');
    expect(selectionSql('$2', [10, 40], trinoDialect)).toBe('CAST(split($2, chr(31)) AS ARRAY(DOUBLE))');
    expect(selectionSql('$1', 'France', trinoDialect)).toBe('$1');
    expect(selectionSql('$1', null, trinoDialect)).toBe('$1');
    // A cell's `$period` binds through the same form, its values a parameter and never in the text.
    const bound = bindInputs('SELECT * FROM sales WHERE $period IS NULL OR invoice_date BETWEEN $period[1] AND $period[2]', new Map([['period', period]]), new Set(['period']), trinoDialect);
    expect(bound.sql).toBe('SELECT * FROM sales WHERE CAST(split($1, chr(31)) AS ARRAY(TIMESTAMP)) IS NULL OR invoice_date BETWEEN CAST(split($1, chr(31)) AS ARRAY(TIMESTAMP))[1] AND CAST(split($1, chr(31)) AS ARRAY(TIMESTAMP))[2]');
    expect(bound.params).toEqual([period.join('\u001f')]);
  });

  it("binds a list input as a list of text in each engine's dialect", () => {
    const inputs = new Map([['countries', ['France', 'Spain']]]);
    expect(bindInputs('SELECT $countries AS c', inputs, new Set(), duckdbDialect).sql).toBe("SELECT coalesce(string_split($1, chr(31)), []::VARCHAR[]) AS c");
    expect(bindInputs('SELECT $countries AS c', inputs, new Set(), trinoDialect)).toEqual({
      sql: 'SELECT coalesce(split($1, chr(31)), CAST(ARRAY[] AS ARRAY(VARCHAR))) AS c',
      params: ['France\u001fSpain'],
    });
  });

  it('checks a restored value against the selection it is for', () => {
    const interval = { as: 'p', type: 'interval', channel: 'x' } as const;
    expect(isSelectionValue(interval, ['2011-01-01 00:00:00.000', '2011-02-01 00:00:00.000'])).toBe(true);
    expect(isSelectionValue(interval, [1, 2])).toBe(true);
    expect(isSelectionValue(interval, ['soon', 'later'])).toBe(false);
    expect(isSelectionValue(interval, 'France')).toBe(false);
    expect(isSelectionValue({ ...interval, type: 'point' }, 'France')).toBe(true);
    expect(isSelectionValue(interval, null)).toBe(true);
  });
});

describe('a selection in words', () => {
  it('shows timestamps to the minute, dates alone at midnight, numbers to six figures', () => {
    expect(selectionLabel(['2011-03-01 00:00:00.000', '2011-05-31 18:30:12.345'])).toBe('2011-03-01 → 2011-05-31 18:30');
    expect(selectionLabel([1 / 3, 2])).toBe('0.333333 → 2');
    expect(selectionLabel('France')).toBe('France');
    expect(selectionLabel(null)).toBeUndefined();
  });
});
