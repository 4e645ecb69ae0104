/**
 * ABC–XYZ analysis of products, as SQL run by DuckDB: ABC by revenue share (the abc_analysis model's classes) and
 * XYZ by how steady weekly demand is — the coefficient of variation of the quantity sold per week over every week
 * of the data, weeks without a sale counted as 0. Pure: builds SQL text, never runs it.
 */
import { quoteIdent } from '../../util/sql.ts';
import { duckdbDialect, type SqlDialect } from '../../util/dialect/index.ts';
import { ParamError } from '../kit/params.ts';
import { abcSql } from '../segmentation/abc.ts';

export interface AbcXyzColumns {
  readonly product: string;
  readonly description: string;
  readonly amount: string;
  readonly quantity: string;
  readonly date: string;
}

export type Deviation = 'population' | 'sample';

export interface AbcXyzOptions {
  readonly columns: AbcXyzColumns;
  readonly aShare?: number;
  readonly bShare?: number;
  /** Highest coefficient of variation of an X product; default 0.5. */
  readonly xMax?: number;
  /** Highest coefficient of variation of a Y product (above it: Z); default 1.0. */
  readonly yMax?: number;
  /**
   * Standard deviation over the weeks: 'population' (divide by the number of weeks; default) — the weeks of the
   * period are all the weeks there are, not a sample of them — or 'sample' (by weeks − 1, as pandas' std).
   */
  readonly deviation?: Deviation;
}

/**
 * One row per product with positive revenue (abc_analysis' rows and order): product_id, description, revenue,
 * share, cumulative_share, abc_class, weeks (of the data, Monday to Sunday), mean_weekly_quantity,
 * sd_weekly_quantity, cv (NULL for a product whose mean weekly quantity is not positive, which is then Z),
 * xyz_class (X: cv ≤ x_max, Y: cv ≤ y_max, else Z) and class (e.g. 'AX').
 */
export function abcXyzSql(source: string, options: AbcXyzOptions, dialect: SqlDialect = duckdbDialect): string {
  const xMax = options.xMax ?? 0.5;
  const yMax = options.yMax ?? 1;
  if (!(xMax > 0)) throw new ParamError(`"x_max" must be a positive coefficient of variation, e.g. 0.5; got ${xMax}`);
  if (!(yMax >= xMax)) throw new ParamError(`"y_max" must be at least "x_max" (${xMax}), e.g. 1.0; got ${yMax}`);
  const deviation = options.deviation ?? 'population';
  const { product, description, amount, quantity, date } = options.columns;
  const abc = abcSql(source, { columns: { product, description, amount }, aShare: options.aShare, bShare: options.bShare });
  const [p, q, d] = [product, quantity, date].map(quoteIdent);
  // Σ over all weeks of (q − mean)² = Σq² − n·mean², so the weeks without a sale need no rows of their own.
  const divisor = deviation === 'population' ? 'n' : 'nullif(n - 1, 0)';
  return `WITH abc AS (
${abc}
), lines AS (
  SELECT CAST(${p} AS VARCHAR) AS product_id, CAST(${q} AS DOUBLE) AS quantity,
         ${dialect.intDivide(`date_diff('day', DATE '1970-01-05', CAST(${d} AS DATE))`, '7')} AS week
  FROM ${quoteIdent(source)}
  WHERE ${p} IS NOT NULL AND ${q} IS NOT NULL AND ${d} IS NOT NULL
), span AS (
  SELECT CAST(max(week) - min(week) + 1 AS DOUBLE) AS n FROM lines
), weekly AS (
  SELECT product_id, week, sum(quantity) AS quantity FROM lines GROUP BY 1, 2
), moments AS (
  SELECT product_id, sum(quantity) AS total, sum(quantity * quantity) AS squares FROM weekly GROUP BY 1
), spread AS (
  SELECT product_id, n, total / n AS mean_weekly_quantity,
         sqrt(greatest(squares - total * total / n, 0) / (${divisor})) AS sd_weekly_quantity
  FROM moments CROSS JOIN span
), classed AS (
  SELECT product_id, abc.description, abc.revenue, abc.share, abc.cumulative_share, abc.class AS abc_class,
         CAST(s.n AS INTEGER) AS weeks, s.mean_weekly_quantity, s.sd_weekly_quantity,
         CASE WHEN s.mean_weekly_quantity > 0 THEN s.sd_weekly_quantity / s.mean_weekly_quantity END AS cv
  FROM abc LEFT JOIN spread s USING (product_id)
)
SELECT *, CASE WHEN cv <= ${xMax} THEN 'X' WHEN cv <= ${yMax} THEN 'Y' ELSE 'Z' END AS xyz_class,
       abc_class || CASE WHEN cv <= ${xMax} THEN 'X' WHEN cv <= ${yMax} THEN 'Y' ELSE 'Z' END AS class
FROM classed
ORDER BY revenue DESC, product_id`;
}
