/**
 * What a loyalty model learns from, as SQL run by DuckDB: one row per customer who bought before a cutoff, with
 * features computed strictly from purchases before it and the label from the window after it. Pure: builds SQL text.
 */
import { quoteIdent, quoteLiteral } from '../../util/sql.ts';
import { duckdbDialect, type SqlDialect } from '../../util/dialect/index.ts';
import type { RfmColumns } from '../segmentation/rfm.ts';

export interface LoyaltyParams {
  readonly columns: RfmColumns & { readonly product: string };
  /** Features use purchases before this day; the label looks at [cutoff, cutoff + horizonDays). Default: the last day in the data − horizonDays + 1. */
  readonly cutoff?: string;
  /** Days after the cutoff in which a repeat purchase makes the customer loyal (label 1). Default 60, as the loyalty seed. */
  readonly horizonDays: number;
}

/** The feature columns, in the order the loyalty model reads them. */
export const LOYALTY_FEATURES = [
  'recency_days',
  'frequency',
  'monetary',
  'avg_order_value',
  'distinct_products',
  'tenure_days',
  'mean_days_between',
  'spend_last_90_days',
  'spend_trend',
] as const;

/**
 * Per customer with a purchase before the cutoff: recency (days from the last purchase to the cutoff), frequency
 * (invoices), monetary, average order value, distinct products, tenure (days from the first purchase), mean days
 * between invoices (the tenure for a single invoice), spend in the 90 days before the cutoff and its trend (that
 * spend minus the 90 days before those), and `loyal` = 1 when the customer bought again within the horizon.
 * Only the label reads anything on or after the cutoff.
 */
export function loyaltyFeaturesSql(source: string, params: LoyaltyParams, dialect: SqlDialect = duckdbDialect): string {
  const { customer, invoice, date, amount, product } = params.columns;
  const [c, i, d, a, p] = [customer, invoice, date, amount, product].map(quoteIdent);
  const horizon = Math.trunc(params.horizonDays);
  if (!(horizon >= 1)) throw new RangeError(`the horizon must be at least 1 day, got ${params.horizonDays}`);
  const cutoff = params.cutoff
    ? `CAST(${quoteLiteral(params.cutoff)} AS DATE)`
    : `(SELECT ${dialect.addDays(`CAST(max(${d}) AS DATE)`, 1 - horizon)} FROM ${quoteIdent(source)})`;
  return `WITH bounds AS (SELECT ${cutoff} AS cutoff),
lines AS (
  SELECT CAST(${c} AS VARCHAR) AS customer_id, ${i} AS invoice, CAST(${d} AS DATE) AS day, ${a} AS amount, ${p} AS product
  FROM ${quoteIdent(source)}
  WHERE ${c} IS NOT NULL AND ${d} IS NOT NULL
), before AS (
  SELECT l.*, b.cutoff FROM lines l, bounds b WHERE l.day < b.cutoff
), gaps AS (
  SELECT customer_id, avg(gap) AS mean_gap FROM (
    SELECT customer_id, date_diff('day', lag(day) OVER (PARTITION BY customer_id ORDER BY day, invoice), day) AS gap
    FROM (SELECT customer_id, invoice, min(day) AS day FROM before GROUP BY 1, 2)
  ) WHERE gap IS NOT NULL GROUP BY 1
), after AS (
  SELECT DISTINCT l.customer_id FROM lines l, bounds b WHERE l.day >= b.cutoff AND l.day < ${dialect.addDays('b.cutoff', horizon)}
), per AS (
  SELECT customer_id, min(cutoff) AS cutoff, max(day) AS last_day, min(day) AS first_day,
         count(DISTINCT invoice) AS frequency, sum(amount) AS monetary, count(DISTINCT product) AS distinct_products,
         coalesce(sum(amount) FILTER (WHERE day >= ${dialect.addDays('cutoff', -90)}), 0) AS recent,
         coalesce(sum(amount) FILTER (WHERE day >= ${dialect.addDays('cutoff', -180)} AND day < ${dialect.addDays('cutoff', -90)}), 0) AS earlier
  FROM before GROUP BY customer_id
)
SELECT customer_id,
       date_diff('day', last_day, cutoff) AS recency_days,
       frequency,
       CAST(monetary AS DOUBLE) AS monetary,
       CAST(monetary / frequency AS DOUBLE) AS avg_order_value,
       distinct_products,
       date_diff('day', first_day, cutoff) AS tenure_days,
       CAST(coalesce(gaps.mean_gap, date_diff('day', first_day, cutoff)) AS DOUBLE) AS mean_days_between,
       CAST(recent AS DOUBLE) AS spend_last_90_days,
       CAST(recent - earlier AS DOUBLE) AS spend_trend,
       CAST(customer_id IN (SELECT customer_id FROM after) AS INTEGER) AS loyal,
       cutoff
FROM per LEFT JOIN gaps USING (customer_id)
ORDER BY customer_id`;
}
