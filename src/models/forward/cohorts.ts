/**
 * Cohort retention as SQL run by DuckDB: customers grouped by the month of their first purchase, followed month by
 * month. Pure: builds SQL text, never runs it.
 */
import { quoteIdent } from '../../util/sql.ts';
import { duckdbDialect, type SqlDialect } from '../../util/dialect/index.ts';
import type { RfmColumns } from '../segmentation/rfm.ts';

/**
 * One row per cohort (first-purchase month) and months since it (0, 1, 2, …, up to the last month in the data, so a
 * month nobody came back in is a row with 0): customers active that month, the cohort's size, retention =
 * customers / cohort size, revenue, and revenue retention = revenue / the cohort's month-0 revenue.
 */
export function cohortSql(source: string, columns: Pick<RfmColumns, 'customer' | 'date' | 'amount'>, dialect: SqlDialect = duckdbDialect): string {
  const [c, d, a] = [columns.customer, columns.date, columns.amount].map(quoteIdent);
  return `WITH purchases AS (
  SELECT CAST(${c} AS VARCHAR) AS customer_id, CAST(date_trunc('month', ${d}) AS DATE) AS month, ${a} AS amount
  FROM ${quoteIdent(source)}
  WHERE ${c} IS NOT NULL AND ${d} IS NOT NULL
), firsts AS (
  SELECT customer_id, min(month) AS cohort FROM purchases GROUP BY 1
), activity AS (
  SELECT f.cohort, date_diff('month', f.cohort, p.month) AS months_since,
         count(DISTINCT customer_id) AS customers, sum(p.amount) AS revenue
  FROM purchases p JOIN firsts f USING (customer_id)
  GROUP BY 1, 2
), sizes AS (
  SELECT cohort, count(*) AS cohort_size FROM firsts GROUP BY 1
), grid AS (
  SELECT s.cohort, s.cohort_size, m.months_since
  FROM sizes s, ${dialect.integerRange("(SELECT date_diff('month', min(month), max(month)) + 1 FROM purchases)", 'm', 'months_since')}
  WHERE ${dialect.addMonths('s.cohort', 'CAST(m.months_since AS INTEGER)')} <= (SELECT max(month) FROM purchases)
)
SELECT g.cohort AS cohort_month, CAST(g.months_since AS INTEGER) AS months_since, g.cohort_size,
       coalesce(a.customers, 0) AS customers,
       CAST(coalesce(a.customers, 0) AS DOUBLE) / g.cohort_size AS retention,
       CAST(coalesce(a.revenue, 0) AS DOUBLE) AS revenue,
       CAST(coalesce(a.revenue, 0) / first_value(a.revenue) OVER (PARTITION BY g.cohort ORDER BY g.months_since) AS DOUBLE) AS revenue_retention
FROM grid g LEFT JOIN activity a ON a.cohort = g.cohort AND a.months_since = g.months_since
ORDER BY g.cohort, g.months_since`;
}
