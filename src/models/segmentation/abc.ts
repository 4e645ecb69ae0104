/**
 * ABC analysis of products by revenue, as SQL run by DuckDB: products ranked by revenue, A the top ones that make up
 * the first 80% of it, B the next 15%, C the rest. Pure: builds SQL text, never runs it.
 */
import { quoteIdent } from '../../util/sql.ts';
import { ParamError } from '../kit/params.ts';

export interface AbcColumns {
  readonly product: string;
  readonly description: string;
  readonly amount: string;
}

export interface AbcOptions {
  readonly columns: AbcColumns;
  /** Share of revenue the A products make up; default 0.8. */
  readonly aShare?: number;
  /** Share of revenue the B products make up after the A ones; default 0.15 (C gets the rest). */
  readonly bShare?: number;
}

/**
 * One row per product with positive revenue, by revenue descending (ties by product id): product_id, description
 * (its most frequent one), revenue, share of all revenue, cumulative_share up to and including it, and class. A
 * product's class is decided by the revenue share of the products ranked above it, so the product that crosses
 * 80% is still A and the top product is always A.
 */
export function abcSql(source: string, options: AbcOptions): string {
  const a = options.aShare ?? 0.8;
  const b = options.bShare ?? 0.15;
  if (!(a > 0 && a <= 1)) throw new ParamError(`"a_share" must be a share of revenue in (0, 1], e.g. 0.8; got ${a}`);
  if (!(b >= 0 && a + b <= 1)) throw new ParamError(`"b_share" must be a share of revenue from 0 to ${+(1 - a).toFixed(6)} (1 - a_share), e.g. 0.15; got ${b}`);
  const [p, d, m] = [options.columns.product, options.columns.description, options.columns.amount].map(quoteIdent);
  // Shares are sums of doubles: a product exactly at a boundary must not fall on the wrong side of it by rounding.
  const tolerance = 1e-9;
  return `WITH lines AS (
  SELECT CAST(${p} AS VARCHAR) AS product_id, CAST(${d} AS VARCHAR) AS description, CAST(${m} AS DOUBLE) AS amount
  FROM ${quoteIdent(source)}
  WHERE ${p} IS NOT NULL AND ${m} IS NOT NULL
), revenue AS (
  -- Rounded to 1e-6: engines add in different orders, and a last-bit difference would reorder equal revenues.
  SELECT product_id, round(sum(amount), 6) AS revenue FROM lines GROUP BY 1 HAVING round(sum(amount), 6) > 0
), names AS (
  SELECT product_id, description FROM (
    SELECT product_id, description, row_number() OVER (PARTITION BY product_id ORDER BY count(*) DESC, description) AS pick
    FROM lines WHERE description IS NOT NULL GROUP BY product_id, description
  ) WHERE pick = 1
), ranked AS (
  SELECT product_id, n.description, r.revenue,
         r.revenue / sum(r.revenue) OVER () AS share,
         sum(r.revenue) OVER (ORDER BY r.revenue DESC, product_id ROWS UNBOUNDED PRECEDING) / sum(r.revenue) OVER () AS cumulative_share
  FROM revenue r LEFT JOIN names n USING (product_id)
)
SELECT product_id, description, revenue, share, cumulative_share,
       CASE WHEN cumulative_share - share < ${a - tolerance} THEN 'A' WHEN cumulative_share - share < ${a + b - tolerance} THEN 'B' ELSE 'C' END AS class
FROM ranked
ORDER BY revenue DESC, product_id`;
}
