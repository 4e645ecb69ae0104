/**
 * Behavioural features per customer, as SQL run by DuckDB (like RFM: an aggregate over every transaction is a
 * database's job). Pure: builds SQL text, never runs it.
 */
import { quoteIdent, quoteLiteral } from '../../util/sql.ts';
import { duckdbDialect, type SqlDialect } from '../../util/dialect/index.ts';
import type { RfmColumns } from './rfm.ts';

export interface BehaviourParams {
  readonly columns: RfmColumns & { readonly product: string };
  /** Day recency and tenure are counted to; default: the day after the last purchase in the data. */
  readonly referenceDate?: string;
}

/**
 * One row per customer: total_spend, purchase_count (invoices), avg_order_value, distinct_products,
 * days_since_last_purchase, tenure_days (first purchase to the reference date) and preferred_weekday (ISO 1 = Monday;
 * the weekday with most invoices, ties to the earlier day).
 */
export function behaviourSql(source: string, params: BehaviourParams, dialect: SqlDialect = duckdbDialect): string {
  const { customer, invoice, date, amount, product } = params.columns;
  const [c, i, d, a, p] = [customer, invoice, date, amount, product].map(quoteIdent);
  const reference = params.referenceDate
    ? `CAST(${quoteLiteral(params.referenceDate)} AS DATE)`
    : `(SELECT ${dialect.addDays(`CAST(max(${d}) AS DATE)`, 1)} FROM ${quoteIdent(source)})`;
  return `WITH purchases AS (
  SELECT CAST(${c} AS VARCHAR) AS customer_id, ${i} AS invoice, ${d} AS bought_at, ${a} AS amount, ${p} AS product
  FROM ${quoteIdent(source)}
  WHERE ${c} IS NOT NULL AND ${d} IS NOT NULL
), weekdays AS (
  SELECT customer_id, ${dialect.isoWeekday('bought_at')} AS weekday, count(DISTINCT invoice) AS invoices FROM purchases GROUP BY 1, 2
), preferred AS (
  SELECT customer_id, max_by(weekday, invoices * 10 - weekday) AS preferred_weekday FROM weekdays GROUP BY 1
)
SELECT customer_id,
       CAST(sum(r.amount) AS DOUBLE) AS total_spend,
       count(DISTINCT r.invoice) AS purchase_count,
       CAST(sum(r.amount) / count(DISTINCT r.invoice) AS DOUBLE) AS avg_order_value,
       count(DISTINCT r.product) AS distinct_products,
       date_diff('day', CAST(max(r.bought_at) AS DATE), ${reference}) AS days_since_last_purchase,
       date_diff('day', CAST(min(r.bought_at) AS DATE), ${reference}) AS tenure_days,
       min(p.preferred_weekday) AS preferred_weekday
FROM purchases r JOIN preferred p USING (customer_id)
GROUP BY customer_id
ORDER BY customer_id`;
}
