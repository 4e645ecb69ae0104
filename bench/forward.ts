// The forward-looking half of the models suite (imported by bench/models.ts): forecasts with backtests, the loyalty
// pipeline and cohort retention on the generated sales_clean, each as the model cell runs it (SQL in DuckDB-WASM,
// models on the Arrow bytes a worker receives).
import type { Database } from '../src/engine/index.ts';
import { cohortSql, frameFromIpc, loyaltyFeaturesSql, runModel } from '../src/models/index.ts';

const COLUMNS = { customer: 'customer_id', invoice: 'invoice_id', date: 'invoice_date', amount: 'amount', product: 'product_id' };

const summaryOf = (outputs: Record<string, Uint8Array>, suffix: string) => {
  const frame = frameFromIpc(outputs[suffix]!);
  return Array.from({ length: frame.rowCount }, (_, row) => Object.fromEntries(Object.entries(frame.columns).map(([name, column]) => [name, column[row]])));
};

/** Each benchmark: one timed run, returning a check (what was computed) for the report. */
export function forwardAlgorithms(ready: () => { db: Database; ipc: Uint8Array }): Record<string, () => Promise<Record<string, unknown>>> {
  const forecast = (period: 'month' | 'day', horizon: number) => async () => {
    const outputs = runModel('forecast', { date: 'invoice_date', value: 'amount', period, horizon, backtest_origins: 5 }, [ready().ipc], {});
    return { summary: summaryOf(outputs, 'summary')[0], candidates: summaryOf(outputs, 'backtest').length };
  };
  return {
    'forecast-monthly': forecast('month', 3),
    'forecast-daily': forecast('day', 14),
    'loyalty-pipeline': async () => {
      const { db } = ready();
      await db.query(`CREATE OR REPLACE TABLE loyalty_data AS ${loyaltyFeaturesSql('sales_clean', { columns: COLUMNS, horizonDays: 60 })}`);
      const outputs = runModel('loyalty', { seed: 42 }, [await db.exportArrowIpc('loyalty_data')], {});
      return { comparison: summaryOf(outputs, 'comparison').map(({ model, selected, roc_auc }) => ({ model, selected, roc_auc })) };
    },
    'clv-fit': async () => {
      const outputs = runModel('clv', { months: 12 }, [ready().ipc], {});
      return { parameters: summaryOf(outputs, 'parameters').map(({ parameter, estimate }) => ({ parameter, estimate })) };
    },
    cohorts: async () => {
      const { db } = ready();
      await db.query(`CREATE OR REPLACE TABLE cohorts AS ${cohortSql('sales_clean', COLUMNS)}`);
      const [row] = (await db.query('SELECT count(*)::INTEGER AS cells, count(DISTINCT cohort_month)::INTEGER AS cohorts FROM cohorts')).toArray();
      return { ...row };
    },
  };
}
