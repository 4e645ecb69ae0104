import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { parseNotebook } from '../../src/format/notebook-text.ts';
import { dropSchema, runOnDuckDb, runOnDuckDbWarehouse, runOnTrino, summarySql, tableDifference, trinoServer, type EngineRun } from './compare.ts';
import type { Notebook } from '../../src/engine/notebook.ts';
import { quoteIdent } from '../../src/util/sql.ts';

const SAMPLE = new URL('../../public/sample/online_retail_50k.parquet', import.meta.url).pathname;
const NOTEBOOKS = readdirSync(new URL('../../notebooks/', import.meta.url)).filter((file) => file.endsWith('.md')).sort();
trinoServer();

/** One comparison: a notebook on Trino over a warehouse table, and on DuckDB over the same rows. */
interface Case {
  readonly label: string;
  readonly file: string;
  readonly warehouseTable: string;
  readonly duckdb: (notebook: Notebook) => Promise<EngineRun>;
  /**
   * The cleaned input tables are compared by their summaries (summarySql) rather than row by row: 2M rows would cross
   * Trino's HTTP protocol twice, which takes minutes. The cells' own tables are compared row by row either way.
   */
  readonly summariseInputs: boolean;
}

/**
 * The dashboard on the generated 2M-row set (`hive.retail.lines_2m`, written by `.ci/run`), DuckDB reading the
 * warehouse's own Parquet files; then every demo notebook on the 50k sample, DuckDB-WASM loading the file as
 * the app does. The 2M case comes first: it is the longest, and the others share the second slot meanwhile.
 */
const CASES: readonly Case[] = [
  { label: 'retail-dashboard.md on lines_2m', file: 'retail-dashboard.md', warehouseTable: 'lines_2m', duckdb: (notebook) => runOnDuckDbWarehouse(notebook, 'lines_2m'), summariseInputs: true },
  ...NOTEBOOKS.map((file) => ({ label: file, file, warehouseTable: 'lines', duckdb: (notebook: Notebook) => runOnDuckDb(notebook, SAMPLE), summariseInputs: false })),
];

/**
 * Cells of the demo notebooks that do not run on Trino, by notebook, and the cells reading them (which wait). None
 * today: every demo cell is written in SQL both engines accept. The list is exact: a cell that starts to fail, or one
 * that starts to run, fails the test until the list says so.
 */
const NOT_ON_TRINO: Record<string, readonly string[]> = {};

/**
 * Tables whose doubles differ past 1e-9 relative, by case label, with the bound they keep: a model fitted to sums that the engines
 * add in different orders (daily revenue summed over Parquet splits) carries the last-bit differences into its output.
 */
const LOOSER: Record<string, Readonly<Record<string, number>>> = {
  'forecast-and-loyalty.md': { daily_forecast: 1e-7 },
};

/**
 * Tables that differ, by case label, listed so the suite says when one stops (or starts) differing; not a tolerance.
 * None: Trino keeps no row order, so a model reads its input sorted by its columns (k-means, seeded by position, then
 * starts where it does on DuckDB, whose rfm table is made in customer order). Sums of money that are banded
 * (order_values, customer_spend) or ranked (abc_xyz's revenue) are rounded to 1e-6 first: on 2M rows the engines, adding
 * in different orders, put an order a last bit either side of a band edge, and ordered equal revenues differently.
 */
const DIFFERING: Record<string, readonly string[]> = {};

const report: Record<string, unknown> = {};
afterAll(() => {
  mkdirSync('test-results', { recursive: true });
  writeFileSync('test-results/engines.json', JSON.stringify(report, null, 2));
});

// Notebooks run side by side: most of a Trino run is waiting on the cluster, and each has its own schema.
describe.concurrent.each(CASES)('$label on DuckDB and on Trino', ({ label, file, warehouseTable, duckdb: runOnDuck, summariseInputs }) => {
  it('gives the same tables', async () => {
    const notebook = parseNotebook(readFileSync(new URL(`../../notebooks/${file}`, import.meta.url), 'utf8'));
    const schema = `engines_${label.replace(/\W/g, '_').toLowerCase()}`;
    const duck = await runOnDuck(notebook);
    let trino: EngineRun | undefined;
    try {
      trino = await runOnTrino(notebook, `hive.retail.${warehouseTable}`, schema);
      const compared: string[] = [];
      const differences: Record<string, string> = {};
      const trinoFailures: Record<string, string> = {};
      for (const name of ['sales_canonical', 'sales_clean']) {
        const sql = summariseInputs ? await summarySql(duck.db, name) : `SELECT * FROM ${name}`;
        const difference = tableDifference(await duck.db.query(sql), await trino.db.query(sql));
        if (difference === undefined) compared.push(name);
        else differences[name] = difference;
      }
      for (const [name, state] of duck.cells) {
        const other = trino.cells.get(name);
        if (state.state !== 'done') continue;
        if (other?.state !== 'done') {
          trinoFailures[name] = other?.error ?? other?.state ?? 'missing';
          continue;
        }
        const hasTable = await duck.db.query(`SELECT count(*) AS n FROM information_schema.tables WHERE table_name = '${name}'`);
        if (Number(hasTable.get(0)?.n) === 0) continue;
        const difference = tableDifference(
          await duck.db.query(`SELECT * FROM ${quoteIdent(name)}`),
          await trino.db.query(`SELECT * FROM ${quoteIdent(name)}`),
          LOOSER[label]?.[name],
        );
        if (difference === undefined) compared.push(name);
        else differences[name] = difference;
      }
      const slowest = [...trino.log].sort((a, b) => b.durationMs - a.durationMs).slice(0, 8).map((event) => `${event.cell} ${Math.round(event.durationMs)}`);
      report[label] = { compared, differences, trinoFailures, duckdbMs: Math.round(duck.ms), trinoMs: Math.round(trino.ms), slowest };
      console.log(label, JSON.stringify(report[label], null, 2));
      expect(Object.keys(differences).sort()).toEqual([...(DIFFERING[label] ?? [])].sort());
      expect(Object.keys(trinoFailures).sort()).toEqual([...(NOT_ON_TRINO[file] ?? [])].sort());
      // The comparison is not empty: the canonical view, the cleaned table and the cells that ran were all compared.
      expect(compared.length).toBeGreaterThan(2);
    } finally {
      await duck.db.close();
      if (trino) await dropSchema(trino.db, schema);
    }
  });
});
