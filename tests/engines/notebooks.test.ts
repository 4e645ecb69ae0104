import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { parseNotebook } from '../../src/format/notebook-text.ts';
import { dropSchema, runOnDuckDb, runOnTrino, tableDifference, trinoServer, type EngineRun } from './compare.ts';
import { quoteIdent } from '../../src/util/sql.ts';

const SAMPLE = new URL('../../public/sample/online_retail_50k.parquet', import.meta.url).pathname;
const NOTEBOOKS = readdirSync(new URL('../../notebooks/', import.meta.url)).filter((file) => file.endsWith('.md')).sort();
trinoServer();

/**
 * Cells of the demo notebooks that do not run on Trino, by notebook, and the cells reading them (which wait). None
 * today: every demo cell is written in SQL both engines accept. The list is exact: a cell that starts to fail, or one
 * that starts to run, fails the test until the list says so.
 */
const NOT_ON_TRINO: Record<string, readonly string[]> = {};

/**
 * Tables whose doubles differ past 1e-9 relative, with the bound they keep: a model fitted to sums that the engines
 * add in different orders (daily revenue summed over Parquet splits) carries the last-bit differences into its output.
 */
const LOOSER: Record<string, Readonly<Record<string, number>>> = {
  'forecast-and-loyalty.md': { daily_forecast: 1e-7 },
};

/**
 * Tables that differ, listed so the suite says when one stops (or starts) differing; not a tolerance. None today:
 * Trino keeps no row order, so a model reads its input sorted by its columns (k-means, seeded by position, then starts
 * where it does on DuckDB, whose rfm table is made in customer order).
 */
const DIFFERING: Record<string, readonly string[]> = {};

const report: Record<string, unknown> = {};
afterAll(() => {
  mkdirSync('test-results', { recursive: true });
  writeFileSync('test-results/engines.json', JSON.stringify(report, null, 2));
});

// Notebooks run side by side: most of a Trino run is waiting on the cluster, and each has its own schema.
describe.concurrent.each(NOTEBOOKS)('%s on DuckDB and on Trino', (file) => {
  it('gives the same tables', async () => {
    const notebook = parseNotebook(readFileSync(new URL(`../../notebooks/${file}`, import.meta.url), 'utf8'));
    const schema = `engines_${file.replace(/\W/g, '_').toLowerCase()}`;
    const duck = await runOnDuckDb(notebook, SAMPLE);
    let trino: EngineRun | undefined;
    try {
      trino = await runOnTrino(notebook, 'hive.retail.lines', schema);
      const compared: string[] = [];
      const differences: Record<string, string> = {};
      const trinoFailures: Record<string, string> = {};
      for (const name of ['sales_canonical', 'sales_clean']) {
        const difference = tableDifference(await duck.db.query(`SELECT * FROM ${name}`), await trino.db.query(`SELECT * FROM ${name}`));
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
          LOOSER[file]?.[name],
        );
        if (difference === undefined) compared.push(name);
        else differences[name] = difference;
      }
      const slowest = [...trino.log].sort((a, b) => b.durationMs - a.durationMs).slice(0, 8).map((event) => `${event.cell} ${Math.round(event.durationMs)}`);
      report[file] = { compared, differences, trinoFailures, duckdbMs: Math.round(duck.ms), trinoMs: Math.round(trino.ms), slowest };
      console.log(file, JSON.stringify(report[file], null, 2));
      expect(Object.keys(differences).sort()).toEqual([...(DIFFERING[file] ?? [])].sort());
      expect(Object.keys(trinoFailures).sort()).toEqual([...(NOT_ON_TRINO[file] ?? [])].sort());
      // The comparison is not empty: the canonical view, the cleaned table and the cells that ran were all compared.
      expect(compared.length).toBeGreaterThan(2);
    } finally {
      await duck.db.close();
      if (trino) await dropSchema(trino.db, schema);
    }
  });
});
