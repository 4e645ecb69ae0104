import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { parseNotebook } from '../../src/format/notebook-text.ts';
import { dropSchema, runOnDuckDb, runOnTrino, tableDifference, trinoServer, type EngineRun } from './compare.ts';
import { quoteIdent } from '../../src/util/sql.ts';

const SAMPLE = new URL('../../public/sample/online_retail_50k.parquet', import.meta.url).pathname;
const NOTEBOOKS = readdirSync(new URL('../../notebooks/', import.meta.url)).filter((file) => file.endsWith('.md')).sort();
trinoServer();

/**
 * Cells of the demo notebooks that do not run on Trino yet, by notebook: their SQL (the cell's own, or a SQL model's
 * generated `sql` — loyalty_features, cohorts) is DuckDB's dialect (`date - integer`, `quantile_cont`, `contains` on
 * text, `concat` of a number, `list_*`, `GROUP BY ALL` in a user cell…), and the cells reading them wait. The list is
 * exact: a cell that starts to fail, or one that starts to run, fails the test until the list says so.
 */
const NOT_ON_TRINO: Record<string, readonly string[]> = {
  'forecast-and-loyalty.md': [
    'loyalty_data', 'loyalty', 'loyalty_models', 'loyalty_importance', 'loyalty_importance_chart', 'loyalty_roc', 'loyalty_roc_chart',
    'customer', 'customer_loyalty', 'at_risk_customers', 'cohorts', 'cohort_retention',
  ],
  'recommendations.md': [
    'pair_rules', 'rules_network', 'network_labels', 'rules_network_chart', 'customers', 'customer', 'for_customer', 'recommendations_chart',
    'already_bought',
  ],
  'retail-tour.md': ['top_products', 'top_products_chart'],
  'retail-dashboard.md': [
    'product_categories', 'category_revenue', 'revenue_by_category', 'hour_by_weekday', 'weekday_hour_heatmap', 'abc_xyz', 'abc_xyz_matrix',
    'abc_xyz_chart', 'cohorts', 'cohort_heatmap',
  ],
  'segmentation.md': ['segment_comparison', 'segment_comparison_chart', 'customer_segment', 'behaviour', 'spend_tiers', 'spend_tier_profiles'],
};

/**
 * Tables whose doubles differ past 1e-9 relative, with the bound they keep: a model fitted to sums that the engines
 * add in different orders (daily revenue summed over Parquet splits) carries the last-bit differences into its output.
 */
const LOOSER: Record<string, Readonly<Record<string, number>>> = {
  'forecast-and-loyalty.md': { daily_forecast: 1e-8 },
};

/**
 * Tables that differ, listed so the suite says when one stops (or starts) differing; not a tolerance.
 * - segmentation: worker models read their input in the engine's row order; Trino hands the rfm rows over in another
 *   order than DuckDB, and k-means (seeded by position) settles in another local optimum, so the segments and
 *   everything built on them differ. rfm itself is equal.
 * - retail-dashboard: the price-elasticity model gives one product (17590) 3 price points on DuckDB and 4 on Trino;
 *   not explained yet.
 */
const DIFFERING: Record<string, readonly string[]> = {
  'retail-dashboard.md': ['price_elasticity'],
  'segmentation.md': ['choose_k', 'segments', 'segment_profiles', 'tree', 'tree_vs_kmeans', 'projection', 'segment_space', 'what_if'],
};

const report: Record<string, unknown> = {};
afterAll(() => {
  mkdirSync('test-results', { recursive: true });
  writeFileSync('test-results/engines.json', JSON.stringify(report, null, 2));
});

describe.each(NOTEBOOKS)('%s on DuckDB and on Trino', (file) => {
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
