import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from './demo-notebook.ts';
import { evaluateModel } from '../../../src/engine/evaluate/model.ts';
import { inProcessModelRunner } from '../../../src/workers/node-runner.ts';

// The forecasts-and-loyalty demo run headless on the 50k-row sample; outputs are checked against SQL over sales_clean.
let demo: Awaited<ReturnType<typeof runDemo>>;
const rows = (sql: string) => demo.rows(sql);

beforeAll(async () => {
  demo = await runDemo('forecast-and-loyalty');
}, 240_000);
afterAll(async () => {
  await demo.db.close();
});

describe('the forecasts and loyalty notebook, run headless', () => {
  it('every cell runs', () => {
    const failed = Object.entries(demo.scheduler.cellStates).filter(([, state]) => state.status !== 'done');
    expect(failed.map(([id, state]) => `${id}: ${JSON.stringify(state.error)}`)).toEqual([]);
  });

  it('the importance chart draws one bar per feature, at the drop the model measured', async () => {
    const output = demo.scheduler.cellStates[demo.idOf('loyalty_importance_chart')]?.output;
    if (output?.kind !== 'chart') throw new Error('no chart');
    const expected = await rows('SELECT feature, round(roc_auc_drop, 4) AS roc_auc_drop FROM loyalty__importance ORDER BY feature');
    const drawn = output.rows[0]!.map((row) => ({ feature: row.feature, roc_auc_drop: row.roc_auc_drop })).sort((a, b) => String(a.feature).localeCompare(String(b.feature)));
    expect(drawn).toEqual(expected.sort((a, b) => String(a.feature).localeCompare(String(b.feature))));
  });

  it('the history is the monthly revenue SQL sums, and the three forecasts have nested intervals', async () => {
    const check = await rows(`
      SELECT f.period, abs(f.actual - m.revenue) < 1e-6 AS same
      FROM monthly_forecast f JOIN (
        SELECT strftime(date_trunc('month', invoice_date), '%Y-%m-%d') AS period, sum(amount) AS revenue FROM complete_months GROUP BY 1
      ) m USING (period) WHERE f.kind = 'history'`);
    const [counts] = await rows(`SELECT count(*) FILTER (WHERE kind = 'history')::INTEGER AS history, count(*) FILTER (WHERE kind = 'forecast')::INTEGER AS ahead FROM monthly_forecast`);
    expect(counts).toEqual({ history: check.length, ahead: 3 });
    expect(check.every((row) => row.same)).toBe(true);
    const [nested] = await rows(`SELECT bool_and(lower_95 <= lower_80 AND lower_80 <= forecast AND forecast <= upper_80 AND upper_80 <= upper_95 AND upper_95 - lower_95 > upper_80 - lower_80)::INTEGER AS ok FROM monthly_forecast WHERE kind = 'forecast'`);
    expect(nested?.ok).toBe(1);
  });

  it('the daily backtest ranks every candidate by MASE, the selected one first', async () => {
    const backtest = await rows('SELECT method, selected, mase FROM daily_forecast__backtest');
    expect(backtest.length).toBeGreaterThanOrEqual(6);
    expect(backtest[0]?.selected).toBe('yes');
    expect(backtest.every((row, i) => i === 0 || (row.mase as number) >= (backtest[i - 1]?.mase as number))).toBe(true);
  });

  it('the daily forecast skips closed days: no Saturday in the history or ahead, and every backtest coverage is a share of 5 × 14 days', async () => {
    const [days] = await rows(`SELECT count(*) FILTER (WHERE isodow(CAST(period AS DATE)) = 6)::INTEGER AS saturdays,
      count(*) FILTER (WHERE kind = 'history')::INTEGER AS history,
      (SELECT count(DISTINCT CAST(invoice_date AS DATE)) FROM complete_months)::INTEGER AS trading FROM daily_forecast`);
    expect(days).toEqual({ saturdays: 0, history: days?.trading, trading: days?.trading });
    const coverage = await rows('SELECT coverage_80, coverage_95 FROM daily_forecast__backtest');
    for (const row of coverage) for (const share of [row.coverage_80, row.coverage_95] as number[]) expect(Number.isInteger(Math.round(share * 70 * 1e9) / 1e9)).toBe(true);
  });

  it("loyalty labels are SQL's count of customers who came back within 60 days, and the better ROC AUC is selected", async () => {
    const [labels] = await rows(`
      WITH c AS (SELECT any_value(cutoff) AS cutoff FROM loyalty_data)
      SELECT (SELECT sum(loyal) FROM loyalty_data)::INTEGER AS model,
             (SELECT count(DISTINCT s.customer_id) FROM sales_clean s, c WHERE CAST(s.invoice_date AS DATE) >= c.cutoff AND CAST(s.invoice_date AS DATE) < c.cutoff + 60
                AND s.customer_id IN (SELECT customer_id FROM sales_clean, c WHERE CAST(invoice_date AS DATE) < c.cutoff))::INTEGER AS sql`);
    expect(labels?.model).toBe(labels?.sql);
    const comparison = await rows('SELECT model, selected, roc_auc FROM loyalty__comparison');
    const best = comparison.reduce((a, b) => ((b.roc_auc as number) > (a.roc_auc as number) ? b : a));
    expect(best.selected).toBe('yes');
    const [scores] = await rows('SELECT min(loyalty_score) >= 0 AND max(loyalty_score) <= 1 AS valid, count(*)::INTEGER AS n FROM loyalty');
    expect(scores?.valid).toBe(true);
  });

  it("the lifetime-value summary counts each customer's purchase days as SQL does, and the outputs are in range", async () => {
    const [mismatches] = await rows(`
      SELECT count(*)::INTEGER AS n FROM lifetime_value v JOIN (
        SELECT customer_id, count(DISTINCT CAST(invoice_date AS DATE)) - 1 AS frequency,
               date_diff('day', min(CAST(invoice_date AS DATE)), max(CAST(invoice_date AS DATE))) AS recency_days
        FROM sales_clean GROUP BY 1
      ) s USING (customer_id)
      WHERE v.frequency <> s.frequency OR v.recency_days <> s.recency_days`);
    expect(mismatches?.n).toBe(0);
    const [ranges] = await rows(`SELECT bool_and(probability_alive BETWEEN 0 AND 1 AND expected_purchases >= 0 AND clv >= 0)::INTEGER AS ok, count(*)::INTEGER AS n FROM lifetime_value`);
    const [customers] = await rows('SELECT count(DISTINCT customer_id)::INTEGER AS n FROM sales_clean');
    expect(ranges).toEqual({ ok: 1, n: customers?.n });
    // A customer who has not bought for most of their life is less likely alive than one who bought last week.
    const [order] = await rows(`SELECT (SELECT probability_alive FROM lifetime_value WHERE frequency >= 3 ORDER BY age_days - recency_days DESC LIMIT 1)
      < (SELECT probability_alive FROM lifetime_value WHERE frequency >= 3 ORDER BY age_days - recency_days LIMIT 1) AS ok`);
    expect(order?.ok).toBe(true);
  });

  it('a clv spec saved with its columns at the top level (before columns.* agreed across models) still runs, to the same values', async () => {
    await demo.db.query('CREATE VIEW renamed_sales AS SELECT customer_id AS buyer, invoice_date AS bought_at, amount AS spend FROM sales_clean');
    const context = { signal: new AbortController().signal, inputs: new Map(), dataNames: new Set<string>() };
    const saved = '{ "model": "clv", "input": "renamed_sales", "customer": "buyer", "date": "bought_at", "amount": "spend", "months": 12, "discount_rate": 0.01 }';
    await evaluateModel(demo.db, inProcessModelRunner, { id: 'old', kind: 'model', name: 'old_clv', source: saved }, context);
    const [differences] = await rows(`SELECT count(*)::INTEGER AS customers, count(*) FILTER (WHERE abs(o.clv - v.clv) > 1e-9 OR o.frequency <> v.frequency)::INTEGER AS different
      FROM old_clv o JOIN lifetime_value v USING (customer_id)`);
    const [all] = await rows('SELECT count(*)::INTEGER AS n FROM lifetime_value');
    expect(differences).toEqual({ customers: all?.n, different: 0 });
  });

  it('the calibration check counts holdout purchase days as SQL does, by calibration frequency, and keeps the likelier model', async () => {
    // Independently of the model: each customer's purchase days (net amount ≥ 0), split at the end of 9 September 2011.
    const sql = await rows(`
      WITH days AS (SELECT customer_id, CAST(invoice_date AS DATE) AS day FROM sales_clean GROUP BY 1, 2 HAVING sum(amount) >= 0),
      per_customer AS (
        SELECT customer_id, count(*) FILTER (WHERE day <= DATE '2011-09-09') - 1 AS frequency, count(*) FILTER (WHERE day > DATE '2011-09-09') AS holdout
        FROM days GROUP BY 1 HAVING count(*) FILTER (WHERE day <= DATE '2011-09-09') > 0)
      SELECT CASE WHEN frequency >= 7 THEN '7+' ELSE CAST(frequency AS VARCHAR) END AS frequency, count(*)::INTEGER AS customers, avg(holdout) AS actual
      FROM per_customer GROUP BY 1 ORDER BY 1`);
    const table = await rows('SELECT frequency, customers, actual_purchases AS actual, expected_purchases AS expected, holdout_days FROM lifetime_value_check__calibration ORDER BY frequency');
    expect(table.map((row) => [row.frequency, row.customers])).toEqual(sql.map((row) => [row.frequency, row.customers]));
    table.forEach((row, i) => expect(row.actual as number).toBeCloseTo(sql[i]!.actual as number, 12));
    expect(table.every((row) => (row.expected as number) > 0 && row.holdout_days === 91)).toBe(true);
    const choice = await rows('SELECT model, selected, log_likelihood FROM lifetime_value_check__summary ORDER BY log_likelihood DESC');
    expect(choice.map((row) => row.model).sort()).toEqual(['BG/NBD', 'Pareto/NBD']);
    expect(choice[0]?.selected).toBe('yes');
    const chart = demo.scheduler.cellStates[demo.idOf('calibration_vs_holdout_chart')]?.output;
    expect(chart?.kind).toBe('chart');
  });

  it('customers at risk are the repeat customers in the bottom tenth of P(alive), by spend, never an unexplained empty table', async () => {
    const output = demo.scheduler.cellStates[demo.idOf('at_risk_customers')]?.output;
    if (output?.kind !== 'table') throw new Error('no table');
    const shown = await rows('SELECT customer_id, probability_alive, alive_cutoff FROM at_risk_customers');
    // The tenth percentile of P(alive) among customers with a repeat purchase, interpolated as quantile_cont does.
    const alive = (await rows('SELECT probability_alive AS p FROM lifetime_value WHERE frequency >= 1')).map((row) => row.p as number).sort((a, b) => a - b);
    const position = 0.1 * (alive.length - 1);
    const cutoff = alive[Math.floor(position)]! + (position - Math.floor(position)) * (alive[Math.ceil(position)]! - alive[Math.floor(position)]!);
    const spend = await rows(`SELECT customer_id, sum(amount) AS spend FROM sales_clean GROUP BY 1`);
    const spendOf = new Map(spend.map((row) => [row.customer_id, row.spend as number]));
    const atRisk = (await rows('SELECT customer_id, probability_alive AS p FROM lifetime_value WHERE frequency >= 1'))
      .filter((row) => (row.p as number) <= cutoff)
      .sort((a, b) => spendOf.get(b.customer_id)! - spendOf.get(a.customer_id)!)
      .slice(0, 15);
    expect(alive.length).toBeGreaterThan(100);
    expect(shown.length).toBe(Math.min(15, atRisk.length));
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.map((row) => row.customer_id)).toEqual(atRisk.map((row) => row.customer_id));
    expect(shown.every((row) => row.alive_cutoff === Math.round(cutoff * 1000) / 1000)).toBe(true);
  });

  it('every customer starts in exactly one cohort', async () => {
    const [cohorts] = await rows(`SELECT (SELECT sum(customers) FROM cohorts WHERE months_since = 0)::INTEGER AS starts, (SELECT count(DISTINCT customer_id) FROM sales_clean)::INTEGER AS customers`);
    expect(cohorts?.starts).toBe(cohorts?.customers);
    const columns = Object.keys((await rows('SELECT * FROM cohort_retention LIMIT 1'))[0] ?? {});
    expect(columns.slice(0, 4)).toEqual(['cohort', 'cohort_size', 'month_00', 'month_01']);
  });
});
