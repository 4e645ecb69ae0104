import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main, type Output } from '../../src/cli/main.ts';
import { TrinoDatabase } from '../../src/db/trino.ts';
import { dropSchema, trinoServer } from './compare.ts';

const SCHEMA = 'engines_cli';
const out = mkdtempSync(join(tmpdir(), 'aisle-trino-cli-'));
afterAll(async () => {
  rmSync(out, { recursive: true, force: true });
  await dropSchema(await TrinoDatabase.open(`trino://aisle@${trinoServer()}/hive/${SCHEMA}`), SCHEMA);
});

describe('aisle run --engine trino://…', () => {
  it('runs the retail tour on the cluster and writes every table as CSV, formulas neutralised as on DuckDB', async () => {
    const lines: string[] = [];
    const output: Output = { out: (line) => lines.push(line), err: (line) => lines.push(line) };
    const notebook = new URL('../../notebooks/retail-tour.md', import.meta.url).pathname;
    const url = `trino://aisle@${trinoServer()}/hive/${SCHEMA}`;
    const status = await main(['run', notebook, '--engine', url, '--table', 'sales=hive.retail.lines', '--out', out, '--quiet'], output);
    expect(lines.join('\n')).toMatch(/Retail tour: 10 of 10 cells done in .* on Trino /);
    expect(status).toBe(0);
    const countries = readFileSync(join(out, 'countries.csv'), 'utf8').trim().split('\n');
    expect(countries[0]).toBe('country,lines');
    expect(countries).toHaveLength(39);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { data: { table: string; rows: number; cleanRows: number }[] };
    expect(summary.data).toEqual([expect.objectContaining({ table: 'sales', rows: 50_000, cleanRows: 36_244 })]);
  });
});
