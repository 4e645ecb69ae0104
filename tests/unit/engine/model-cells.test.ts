import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from './demo-notebook.ts';

let demo: Awaited<ReturnType<typeof runDemo>>;
const rows = (sql: string) => demo.rows(sql);
const idOf = (name: string) => demo.idOf(name);

beforeAll(async () => {
  demo = await runDemo('segmentation');
}, 240_000);
afterAll(async () => {
  await demo.db.close();
});

describe('the segmentation notebook, run headless', () => {
  it('every cell runs', () => {
    const failed = Object.entries(demo.scheduler.cellStates).filter(([, state]) => state.status !== 'done');
    expect(failed.map(([id, state]) => `${id}: ${JSON.stringify(state.error)}`)).toEqual([]);
  });

  it('RFM has one row per customer of the clean table', async () => {
    const [counts] = await rows('SELECT (SELECT count(*) FROM rfm)::INTEGER AS scored, (SELECT count(DISTINCT customer_id) FROM sales_clean)::INTEGER AS customers');
    expect(counts?.scored).toBe(counts?.customers);
  });

  it('K-Means puts every customer in one of k segments, and the centroid table agrees with the members', async () => {
    const [members] = await rows('SELECT count(*)::INTEGER AS n, count(DISTINCT cluster)::INTEGER AS k FROM segments');
    expect(members).toEqual({ n: (await rows('SELECT count(*)::INTEGER AS n FROM rfm'))[0]?.n, k: 4 });
    // Sizes in __centroids equal the member counts, computed here by SQL over the members table.
    const check = await rows(`SELECT c.cluster, c.size::INTEGER AS size, m.n::INTEGER AS n, abs(c.monetary - m.mean_monetary) < 1e-6 AS same_mean
      FROM segments__centroids c JOIN (SELECT cluster, count(*) AS n, avg(monetary) AS mean_monetary FROM segments GROUP BY cluster) m USING (cluster) ORDER BY cluster`);
    expect(check.every((row) => row.size === row.n)).toBe(true);
    expect(check.map((row) => row.same_mean)).toEqual([true, true, true, true]);
    const labels = (await rows('SELECT segment FROM segments__centroids ORDER BY cluster')).map((row) => row.segment);
    expect(new Set(labels)).toEqual(new Set(['High-Value', 'At-Risk', 'Regular', 'Occasional']));
  });

  it('the profile comparison indexes each segment\'s mean against the average customer, and the 3-D view has every customer', async () => {
    // By hand from the members: 100 × a segment's mean spend ÷ every customer's mean spend.
    const expected = await rows(`SELECT segment, round(100 * avg(monetary) / (SELECT avg(monetary) FROM segments)) AS index FROM segments GROUP BY segment ORDER BY segment`);
    const drawn = await rows(`SELECT segment, index_vs_average AS index FROM segment_comparison WHERE measure = 'spend' ORDER BY segment`);
    expect(drawn).toEqual(expected);
    const output = demo.scheduler.cellStates[idOf('segment_space_3d')]?.output;
    const [customers] = await rows('SELECT count(*)::INTEGER AS n FROM segments');
    expect(output?.kind === 'chart' && output.rows[0]!.length).toBe(customers?.n);
  });

  it('moving k re-runs the clusterings and what reads them, not RFM', async () => {
    demo.log.length = 0;
    await demo.scheduler.setInput(idOf('k'), 3);
    const ran = demo.log.map((event) => event.cell);
    expect(ran).toEqual(expect.arrayContaining(['k', 'segments', 'segment_profiles', 'tree', 'tree_vs_kmeans', 'projection', 'what_if']));
    expect(ran).not.toContain('rfm');
    expect(ran).not.toContain('choose_k');
    const [k] = await rows('SELECT count(DISTINCT cluster)::INTEGER AS k FROM segments');
    expect(k?.k).toBe(3);
  });

  it('the predictor places a customer with the trained transform: a member lands in its own segment', async () => {
    // At convergence K-Means assigns each member to its nearest centre, so a member's own values predict its segment.
    const [member] = await rows("SELECT segment, recency_days, frequency, monetary FROM segments WHERE segment = 'High-Value' ORDER BY monetary DESC LIMIT 1");
    await demo.scheduler.setInput(idOf('recency'), Number(member?.recency_days));
    await demo.scheduler.setInput(idOf('frequency'), Number(member?.frequency));
    await demo.scheduler.setInput(idOf('monetary'), Number(member?.monetary));
    const [prediction] = await rows('SELECT segment FROM what_if');
    expect(prediction?.segment).toBe('High-Value');
  });

  it('choosing k gives inertia falling with k, a knee and a best silhouette', async () => {
    const table = await rows('SELECT k, inertia, silhouette FROM choose_k ORDER BY k');
    expect(table.map((row) => row.k)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    for (let i = 1; i < table.length; i += 1) expect(Number(table[i]?.inertia)).toBeLessThan(Number(table[i - 1]?.inertia));
    expect(table.every((row) => Number(row.silhouette) > -1 && Number(row.silhouette) < 1)).toBe(true);
    const [suggestion] = await rows('SELECT suggested_k FROM choose_k__suggestion');
    expect(Number(suggestion?.suggested_k)).toBeGreaterThanOrEqual(2);
  });

  it('spend tiers on behaviour features are named by mean spend, lowest first', async () => {
    const tiers = await rows('SELECT segment, total_spend FROM spend_tiers__centroids ORDER BY total_spend');
    expect(tiers.map((row) => row.segment)).toEqual(['Low Spenders', 'Moderate Spenders', 'High Spenders', 'Very High Spenders']);
    const [check] = await rows('SELECT count(*)::INTEGER AS n, (SELECT count(*) FROM rfm)::INTEGER AS customers FROM behaviour');
    expect(check?.n).toBe(check?.customers);
  });

  it('the Pareto summary matches a brute-force share of revenue from the top 20% of customers', async () => {
    const spend = (await rows('SELECT monetary FROM rfm ORDER BY monetary DESC')).map((row) => Number(row.monetary));
    const total = spend.reduce((sum, value) => sum + value, 0);
    const exact = (0.2 * spend.length);
    const whole = Math.floor(exact);
    const top = spend.slice(0, whole).reduce((sum, value) => sum + value, 0) + (exact - whole) * (spend[whole] ?? 0);
    const [summary] = await rows('SELECT revenue_share FROM concentration__summary');
    expect(Number(summary?.revenue_share)).toBeCloseTo(top / total, 9);
  });
});
