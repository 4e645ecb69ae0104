import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from './demo-notebook.ts';
import { SERVICE_CODES } from '../../../src/models/kit/retail-lines.ts';

// The recommendations demo notebook run headless on the 50k-row sample; each model's output is checked against SQL
// that DuckDB computes from sales_clean directly, independently of the models' code.
const services = SERVICE_CODES.map((code) => `'${code.replaceAll("'", "''")}'`).join(', ');
/** Baskets (n), baskets per product (single) and per ordered pair of products (pair), counted by SQL from the lines. */
const BASKET_COUNTS = `WITH lines AS (SELECT DISTINCT invoice_id, product_id FROM sales_clean WHERE product_id NOT IN (${services})),
           n AS (SELECT count(DISTINCT invoice_id) AS baskets FROM lines),
           single AS (SELECT product_id, count(*) AS c FROM lines GROUP BY 1),
           pair AS (SELECT a.product_id AS x, b.product_id AS y, count(*) AS c FROM lines a JOIN lines b USING (invoice_id) WHERE a.product_id <> b.product_id GROUP BY 1, 2)`;
let demo: Awaited<ReturnType<typeof runDemo>>;
const rows = (sql: string) => demo.rows(sql);
const idOf = (name: string) => demo.idOf(name);

beforeAll(async () => {
  demo = await runDemo('recommendations');
}, 240_000);
afterAll(async () => {
  await demo.db.close();
});

describe('the recommendations notebook, run headless', () => {
  it('every cell runs', () => {
    const failed = Object.entries(demo.scheduler.cellStates).filter(([, state]) => state.status !== 'done');
    expect(failed.map(([id, state]) => `${id}: ${JSON.stringify(state.error)}`)).toEqual([]);
  });

  it('rules with one product on each side have the support, confidence and lift SQL counts from the invoices', async () => {
    const check = await rows(`
      ${BASKET_COUNTS}
      SELECT r.antecedent, r.consequent, r.count::INTEGER AS model_count, pair.c::INTEGER AS sql_count,
             abs(r.support - pair.c / n.baskets) < 1e-12 AS same_support,
             abs(r.confidence - pair.c / sx.c) < 1e-12 AS same_confidence,
             abs(r.lift - pair.c * n.baskets / (sx.c * sy.c)) < 1e-9 AS same_lift
      FROM rules r, n
      JOIN pair ON pair.x = r.antecedent AND pair.y = r.consequent
      JOIN single sx ON sx.product_id = r.antecedent
      JOIN single sy ON sy.product_id = r.consequent
      WHERE NOT contains(r.antecedent, ',') AND NOT contains(r.consequent, ',')`);
    const [summary] = await rows(`SELECT count(*)::INTEGER AS n FROM rules WHERE NOT contains(antecedent, ',') AND NOT contains(consequent, ',')`);
    expect(check.length).toBe(summary?.n);
    const [shown] = await rows('SELECT rules = rules_shown AS complete FROM rules__summary');
    expect(shown?.complete).toBe(true);
    expect(check.length).toBeGreaterThan(10);
    expect(check.filter((row) => row.model_count !== row.sql_count || !row.same_support || !row.same_confidence || !row.same_lift)).toEqual([]);
    // And no rule is missing: every pair of products in ≥ 2% of baskets with confidence ≥ 0.5 and lift ≥ 1 is there.
    const [missing] = await rows(`
      ${BASKET_COUNTS}
      SELECT count(*)::INTEGER AS n FROM pair, n JOIN single sx ON sx.product_id = pair.x JOIN single sy ON sy.product_id = pair.y
      WHERE pair.c / n.baskets >= 0.02 AND pair.c / sx.c >= 0.5 AND pair.c * n.baskets / (sx.c * sy.c) >= 1
        AND NOT EXISTS (SELECT 1 FROM rules r WHERE r.antecedent = pair.x AND r.consequent = pair.y)`);
    expect(missing?.n).toBe(0);
  });

  it('"often bought with" counts, confidence and lift agree with SQL over the invoices', async () => {
    const check = await rows(`
      ${BASKET_COUNTS}
      SELECT w.baskets = pair.c AS same_count, abs(w.confidence - pair.c / sx.c) < 1e-12 AS same_confidence,
             abs(w.lift - pair.c * n.baskets / (sx.c * sy.c)) < 1e-9 AS same_lift
      FROM similar_items__bought_with w, n
      JOIN pair ON pair.x = w.product_id AND pair.y = w.other_id
      JOIN single sx ON sx.product_id = w.product_id JOIN single sy ON sy.product_id = w.other_id`);
    const [total] = await rows('SELECT count(*)::INTEGER AS n FROM similar_items__bought_with');
    expect(check.length).toBe(total?.n);
    expect(check.every((row) => row.same_count && row.same_confidence && row.same_lift)).toBe(true);
  });

  it('recommends only products the customer has not bought, n per recommender, and never a service code', async () => {
    const [bought] = await rows(`SELECT count(*)::INTEGER AS n FROM recommendations r JOIN sales_clean s USING (customer_id, product_id)`);
    expect(bought?.n).toBe(0);
    const [services_] = await rows(`SELECT count(*)::INTEGER AS n FROM recommendations WHERE product_id IN (${services})`);
    expect(services_?.n).toBe(0);
    const perMethod = await rows(`SELECT method, count(*)::INTEGER AS n, count(DISTINCT customer_id)::INTEGER AS customers FROM recommendations GROUP BY 1 ORDER BY 1`);
    const [customers] = await rows(`SELECT count(DISTINCT customer_id)::INTEGER AS n FROM sales_clean`);
    expect(perMethod.map((row) => row.method)).toEqual(['als', 'content', 'hybrid', 'item_knn', 'popularity', 'pure_svd', 'user_knn']);
    expect(perMethod.every((row) => row.customers === customers?.n && row.n === 5 * (customers?.n as number))).toBe(true);
    const [empty] = await rows(`SELECT count(*)::INTEGER AS n FROM recommendations WHERE explanation IS NULL OR explanation = ''`);
    expect(empty?.n).toBe(0);
  });

  it("popularity recommends the best-sellers a customer has not bought, as SQL ranks them", async () => {
    const customer = (await rows('SELECT customer_id FROM customers ORDER BY customer_id LIMIT 1 OFFSET 7'))[0]?.customer_id as string;
    const expected = await rows(`
      SELECT product_id FROM sales_clean WHERE product_id NOT IN (${services})
        AND product_id NOT IN (SELECT product_id FROM sales_clean WHERE customer_id = '${customer}')
      GROUP BY product_id ORDER BY count(DISTINCT customer_id) DESC, product_id LIMIT 5`);
    const actual = await rows(`SELECT product_id FROM recommendations WHERE customer_id = '${customer}' AND method = 'popularity' ORDER BY rank`);
    expect(actual).toEqual(expected);
  });

  it('the evaluation table has every recommender on both splits with metrics in [0, 1]', async () => {
    const table = await rows('SELECT * FROM evaluation');
    expect(table).toHaveLength(14);
    expect(new Set(table.map((row) => row.split as string).map((split) => split.replace(/ at .*/, '')))).toEqual(new Set(['time split', 'last basket']));
    for (const row of table) for (const metric of ['precision', 'recall', 'map', 'ndcg', 'hit_rate', 'coverage']) expect(row[metric]).toBeGreaterThanOrEqual(0), expect(row[metric]).toBeLessThanOrEqual(1);
  });

  it('the rule network draws the strongest single-product rules, each link ending on its two products', async () => {
    const edges = await rows('SELECT source, target, weight, x1, y1, x2, y2 FROM rules_network__edges');
    // By SQL: the 40 strongest pair rules by lift (ties at the cut may differ, so compare the weakest lift kept).
    const strongest = await rows(`SELECT lift FROM rules WHERE NOT contains(antecedent, ',') AND NOT contains(consequent, ',') ORDER BY lift DESC LIMIT 40`);
    expect(edges).toHaveLength(strongest.length);
    expect(Math.min(...edges.map((edge) => edge.weight as number))).toBeCloseTo(strongest.at(-1)!.lift as number, 9);
    const nodes = new Map((await rows('SELECT node, x, y FROM rules_network')).map((node) => [node.node, node]));
    for (const edge of edges) {
      expect([nodes.get(edge.source)?.x, nodes.get(edge.source)?.y]).toEqual([edge.x1, edge.y1]);
      expect([nodes.get(edge.target)?.x, nodes.get(edge.target)?.y]).toEqual([edge.x2, edge.y2]);
    }
    // The chart reads three tables: one link per edge, one dot per node, and one label per group of linked products.
    const output = demo.scheduler.cellStates[idOf('rules_network_chart')]?.output;
    const groups = new Map((await rows('SELECT node, component FROM rules_network')).map((node) => [node.node, node.component]));
    const groupCount = new Set(groups.values()).size;
    expect(output?.kind === 'chart' && output.rows.map((list) => list.length)).toEqual([edges.length, nodes.size, Math.min(12, groupCount)]);
    // Each label names the product in the most rules of its group (degrees counted here from the edges).
    const degree = new Map<unknown, number>();
    for (const edge of edges) for (const end of [edge.source, edge.target]) degree.set(end, (degree.get(end) ?? 0) + 1);
    const named = output?.kind === 'chart' ? output.rows[2]!.map((row) => row.node) : [];
    expect(new Set(named.map((node) => groups.get(node))).size).toBe(named.length);
    for (const node of named) {
      const peers = [...groups].filter(([, group]) => group === groups.get(node)).map(([peer]) => degree.get(peer)!);
      expect(degree.get(node)).toBe(Math.max(...peers));
    }
  });

  it('SVD predicts held-out spend better than the mean does, in every fold', async () => {
    const folds = await rows(`SELECT fold, rmse, rmse_predicting_mean FROM svd_accuracy`);
    expect(folds.map((row) => row.fold)).toEqual(['0', '1', '2', '3', '4', 'mean']);
    expect(folds.every((row) => (row.rmse as number) < (row.rmse_predicting_mean as number))).toBe(true);
  });

  it('choosing another customer re-runs the SQL that reads the choice, not the models', async () => {
    const before = (await rows('SELECT product_id FROM for_customer ORDER BY method, rank')).map((row) => row.product_id);
    const other = (await rows('SELECT customer_id FROM customers ORDER BY customer_id DESC LIMIT 1'))[0]?.customer_id as string;
    demo.log.length = 0;
    await demo.scheduler.setInput(idOf('customer'), other);
    expect(new Set(demo.log.map((event) => event.cell))).toEqual(new Set(['customer', 'for_customer', 'recommendations_chart', 'already_bought']));
    const after = await rows('SELECT method, rank, product_id FROM for_customer ORDER BY method, rank');
    const expected = await rows(`SELECT method, rank, product_id FROM recommendations WHERE customer_id = '${other}' ORDER BY method, rank`);
    expect(after).toEqual(expected);
    expect(after.map((row) => row.product_id)).not.toEqual(before);
  });
});
