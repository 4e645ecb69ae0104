import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeDatabase } from '../../../src/db/duckdb-node.ts';
import { bindInputs, evaluateSql } from '../../../src/engine/evaluate/sql.ts';
import { evaluateInput } from '../../../src/engine/evaluate/input.ts';
import { inputSpec } from '../../../src/engine/specs.ts';
import { toCellError } from '../../../src/engine/scheduler.ts';
import type { Database } from '../../../src/engine/ports.ts';
import type { InputValue } from '../../../src/engine/specs.ts';

let db: Database;
beforeAll(async () => {
  db = await openNodeDatabase();
  await db.query(`CREATE TABLE sales AS SELECT * FROM (VALUES
    ('UK', DATE '2011-01-05', 10.0), ('France', DATE '2011-02-10', 20.0), ('Germany', DATE '2011-03-15', 40.0), ('UK', DATE '2011-04-01', 80.0)
  ) t(country, day, amount)`);
});
afterAll(async () => {
  await db.close();
});

async function run(source: string, inputs: Record<string, InputValue>) {
  const output = await evaluateSql(db, { id: 'x', kind: 'sql', name: 'result', source }, { signal: new AbortController().signal, inputs: new Map(Object.entries(inputs)), dataNames: new Set<string>() });
  expect(output.kind).toBe('table');
  return (await db.query('SELECT * FROM result')).toArray().map((row) => ({ ...row }));
}

describe('SQL cells with inputs', () => {
  it('binds values as parameters: the SQL text never contains them', () => {
    const bound = bindInputs("SELECT * FROM sales WHERE country = $Country AND amount > $min -- $min in a comment\n AND note <> '$min'", new Map<string, InputValue>([
      ['country', "'; DROP TABLE sales; --"],
      ['min', 15],
    ]));
    expect(bound.sql).toBe("SELECT * FROM sales WHERE country = $1 AND amount > $2 -- $min in a comment\n AND note <> '$min'");
    expect(bound.params).toEqual(["'; DROP TABLE sales; --", 15]);
  });

  it('a hostile value stays data', async () => {
    const rows = await run('SELECT count(*)::INTEGER AS n FROM sales WHERE country = $c', { c: "UK'; DROP TABLE sales; --" });
    expect(rows).toEqual([{ n: 0 }]);
    expect((await db.query('SELECT count(*)::INTEGER AS n FROM sales')).getChild('n')?.get(0)).toBe(4);
  });

  it('a multi-select is a list: list_contains and IN (unnest) both work; an empty one matches nothing', async () => {
    // By hand: UK rows 10 + 80, Germany 40.
    expect(await run('SELECT sum(amount)::INTEGER AS s FROM sales WHERE list_contains($countries, country)', { countries: ['UK', 'Germany'] })).toEqual([{ s: 130 }]);
    expect(await run('SELECT count(*)::INTEGER AS n FROM sales WHERE country IN (SELECT unnest($countries))', { countries: ['France'] })).toEqual([{ n: 1 }]);
    expect(await run('SELECT count(*)::INTEGER AS n FROM sales WHERE list_contains($countries, country)', { countries: [] })).toEqual([{ n: 0 }]);
  });

  it('a date range is a two-item list of ISO dates', async () => {
    const rows = await run('SELECT count(*)::INTEGER AS n FROM sales WHERE day BETWEEN $period[1]::DATE AND $period[2]::DATE', { period: ['2011-02-01', '2011-03-31'] });
    expect(rows).toEqual([{ n: 2 }]);
  });
});

describe('input cells with options from a table', () => {
  const context = () => ({ signal: new AbortController().signal, inputs: new Map<string, InputValue>(), dataNames: new Set<string>() });
  const cell = { id: 'p', kind: 'input' as const, name: 'pick', source: '' };

  it('a search lists each distinct value once with its label, sorted, and keeps a listed value', async () => {
    const spec = inputSpec({ input: 'search', options: { from: 'sales', column: 'country', label: 'day' }, value: 'UK' });
    const output = await evaluateInput(db, cell, { input: spec } as never, undefined, context());
    // UK has two days; the label is the smallest, as text.
    expect(output).toEqual({ kind: 'value', value: 'UK', options: ['France', 'Germany', 'UK'], labels: ['2011-02-10', '2011-03-15', '2011-01-05'] });
  });

  it("a link's text value picks the numeric option it spells, single or multiple", async () => {
    await db.query('CREATE TABLE customers AS SELECT CAST(id AS DOUBLE) AS customer_id FROM (VALUES (17850), (12346), (13047)) t(id)');
    const single = inputSpec({ input: 'select', options: { from: 'customers', column: 'customer_id' } });
    expect(await evaluateInput(db, cell, { input: single } as never, '17850', context())).toEqual({ kind: 'value', value: 17850, options: [12346, 13047, 17850] });
    const multiple = inputSpec({ input: 'multi-select', options: { from: 'customers', column: 'customer_id' } });
    expect(await evaluateInput(db, cell, { input: multiple } as never, ['13047', '99999'], context())).toEqual({ kind: 'value', value: [13047, '99999'], options: [12346, 13047, 17850] });
  });

  it('a search whose value is not listed falls back to the first option', async () => {
    const spec = inputSpec({ input: 'search', options: { from: 'sales', column: 'country' }, value: 'Spain' });
    expect(await evaluateInput(db, cell, { input: spec } as never, undefined, context())).toEqual({ kind: 'value', value: 'France', options: ['France', 'Germany', 'UK'] });
  });
});

describe('a SQL cell the database refuses', () => {
  it('is an sql error with the database message and the statement that was sent', async () => {
    const failure = await evaluateSql(db, { id: 'x', kind: 'sql', name: 'broken', source: 'SELECT no_such_column FROM sales' }, { signal: new AbortController().signal, inputs: new Map(), dataNames: new Set<string>() }).then(
      () => undefined,
      (error: unknown) => toCellError(error, false),
    );
    expect(failure).toMatchObject({ kind: 'sql' });
    if (failure?.kind !== 'sql') throw new Error('expected an sql error');
    expect(failure.message).toContain('no_such_column');
    expect(failure.sql).toContain('SELECT no_such_column FROM sales');
  });
});
