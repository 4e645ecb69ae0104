/**
 * RFM scoring, as SQL run by DuckDB: one aggregate and a few window functions over the transactions are faster
 * in the database than shipping 541,909 rows to a worker. Pure: builds SQL text, never runs it.
 */
import { assertNever } from '../../util/assert.ts';
import { quoteIdent, quoteLiteral } from '../../util/sql.ts';
import { mappedColumn, oneOf, ParamError, type Params } from '../kit/params.ts';
import { duckdbDialect, type SqlDialect } from '../../util/dialect/index.ts';

export interface RfmColumns {
  readonly customer: string;
  readonly invoice: string;
  readonly date: string;
  readonly amount: string;
}

/**
 * How recency is counted: `calendar_days` — midnights between the last purchase's day and the reference day;
 * `elapsed_days` — whole 24-hour periods from the last purchase to a snapshot timestamp, pandas'
 * `(snapshot - last_purchase).days` with the snapshot the last purchase in the data + 1 day.
 */
export type Recency = 'calendar_days' | 'elapsed_days';
export const RECENCY_CHOICES: readonly Recency[] = ['calendar_days', 'elapsed_days'];

export interface RfmParams {
  readonly columns: RfmColumns;
  /**
   * Date (`2011-12-10`) or timestamp (`2011-12-10 12:00`) recency is counted to; default: the day after the last
   * purchase in the data (calendar_days), or the last purchase + 24 hours (elapsed_days). calendar_days reads its date.
   */
  readonly referenceDate?: string;
  /** Default calendar_days: notebooks saved before the choice existed keep their figures. */
  readonly recency?: Recency;
  /** Weights of the R, F and M scores in the weighted score; default 0.3 / 0.4 / 0.3 (the loyalty seed's). */
  readonly weights?: readonly [number, number, number];
}

/** RFM's options from a model cell's spec; the column mapping defaults to the canonical retail columns. */
export function rfmOptions(params: Params): RfmParams {
  const pick = (field: string, fallback: string) => mappedColumn(params, field, fallback);
  const weights = params.weights;
  if (weights !== undefined && !(Array.isArray(weights) && weights.length === 3 && weights.every((w) => typeof w === 'number'))) {
    throw new ParamError('"weights" must be three numbers for R, F and M, e.g. [0.3, 0.4, 0.3]');
  }
  const reference = params.reference_date;
  if (reference !== undefined && (typeof reference !== 'string' || !/^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?$/.test(reference))) {
    throw new ParamError(`"reference_date" must be a date like 2011-12-10 or a timestamp like 2011-12-10 12:00; got ${JSON.stringify(reference)}`);
  }
  return {
    columns: { customer: pick('customer', 'customer_id'), invoice: pick('invoice', 'invoice_id'), date: pick('date', 'invoice_date'), amount: pick('amount', 'amount') },
    referenceDate: reference as string | undefined,
    recency: oneOf(params, 'recency', RECENCY_CHOICES, 'calendar_days'),
    weights: weights as [number, number, number] | undefined,
  };
}

/** A named segment and the score ranges that define it. */
export interface SegmentRule {
  readonly segment: string;
  readonly r: readonly [number, number];
  readonly f: readonly [number, number];
  readonly m: readonly [number, number];
}

/**
 * The standard RFM segment map: the score ranges of the `rfm` R package's `rfm_segment` example (rfm 0.2.2) plus
 * Hibernating, checked most specific first — the package lets later rules overwrite earlier ones, which leaves
 * no Champions at all — so every segment can occur. The first rule a customer meets names it, else "Others".
 */
export const SEGMENT_RULES: readonly SegmentRule[] = [
  { segment: 'Champions', r: [4, 5], f: [4, 5], m: [4, 5] },
  { segment: "Can't Lose Them", r: [1, 1], f: [4, 5], m: [4, 5] },
  { segment: 'New Customers', r: [4, 5], f: [1, 1], m: [1, 1] },
  { segment: 'Promising', r: [3, 3], f: [1, 1], m: [1, 1] },
  { segment: 'Lost', r: [1, 1], f: [1, 2], m: [1, 2] },
  { segment: 'Hibernating', r: [2, 2], f: [1, 1], m: [1, 2] },
  { segment: 'Loyal Customers', r: [2, 5], f: [3, 5], m: [3, 5] },
  { segment: 'Need Attention', r: [2, 3], f: [2, 3], m: [2, 3] },
  { segment: 'At Risk', r: [1, 2], f: [2, 5], m: [2, 5] },
  { segment: 'Potential Loyalist', r: [3, 5], f: [1, 3], m: [1, 3] },
  { segment: 'About to Sleep', r: [2, 3], f: [1, 2], m: [1, 2] },
];

/** The segment of one customer's scores by SEGMENT_RULES (the SQL does the same in a CASE). */
export function segmentOf(r: number, f: number, m: number): string {
  const within = (value: number, [low, high]: readonly [number, number]) => value >= low && value <= high;
  return SEGMENT_RULES.find((rule) => within(r, rule.r) && within(f, rule.f) && within(m, rule.m))?.segment ?? 'Others';
}

/** The recency of one customer's group (inside GROUP BY customer) in whole days, counted as `recency` says. */
function recencySql(source: string, date: string, recency: Recency, referenceDate: string | undefined, dialect: SqlDialect): string {
  const last = `max(${quoteIdent(date)})`;
  const given = referenceDate === undefined ? undefined : `CAST(${quoteLiteral(referenceDate)} AS TIMESTAMP)`;
  switch (recency) {
    case 'calendar_days': {
      const day = given ? `CAST(${given} AS DATE)` : `(SELECT ${dialect.addDays(`CAST(${last} AS DATE)`, 1)} FROM ${quoteIdent(source)})`;
      return `date_diff('day', CAST(${last} AS DATE), ${day})`;
    }
    case 'elapsed_days': {
      const snapshot = given ?? `(SELECT CAST(${last} AS TIMESTAMP) + INTERVAL 1 DAY FROM ${quoteIdent(source)})`;
      // floor, as a pandas Timedelta's .days: 1 day 23 hours is 1, and −1 hour is −1.
      return `CAST(floor((epoch_ms(${snapshot}) - epoch_ms(CAST(${last} AS TIMESTAMP))) / 86400000) AS BIGINT)`;
    }
    default:
      return assertNever(recency);
  }
}

/**
 * The SQL of an RFM table, one row per customer: recency_days (reference date − last purchase, as `recency` counts it), frequency
 * (distinct invoices), monetary (total amount), r/f/m scores 1–5 by quintile (recency inverted; ties broken
 * by customer id so scores are deterministic), rfm_code ('545'), rfm_score (weighted), segment and churn_risk.
 */
export function rfmSql(source: string, params: RfmParams, dialect: SqlDialect = duckdbDialect): string {
  const { customer, invoice, date, amount } = params.columns;
  const [wr, wf, wm] = params.weights ?? [0.3, 0.4, 0.3];
  const recency = recencySql(source, date, params.recency ?? 'calendar_days', params.referenceDate, dialect);
  const segment = SEGMENT_RULES.map(
    (rule) =>
      `WHEN r_score BETWEEN ${rule.r[0]} AND ${rule.r[1]} AND f_score BETWEEN ${rule.f[0]} AND ${rule.f[1]} ` +
      `AND m_score BETWEEN ${rule.m[0]} AND ${rule.m[1]} THEN ${quoteLiteral(rule.segment)}`,
  ).join('\n         ');
  return `WITH per_customer AS (
  SELECT CAST(${quoteIdent(customer)} AS VARCHAR) AS customer_id,
         ${recency} AS recency_days,
         count(DISTINCT ${quoteIdent(invoice)}) AS frequency,
         CAST(sum(${quoteIdent(amount)}) AS DOUBLE) AS monetary
  FROM ${quoteIdent(source)}
  WHERE ${quoteIdent(customer)} IS NOT NULL AND ${quoteIdent(date)} IS NOT NULL
  GROUP BY 1
), scored AS (
  SELECT *,
         ntile(5) OVER (ORDER BY recency_days DESC, customer_id) AS r_score,
         ntile(5) OVER (ORDER BY frequency, customer_id) AS f_score,
         ntile(5) OVER (ORDER BY monetary, customer_id) AS m_score
  FROM per_customer
)
SELECT customer_id, recency_days, frequency, monetary, r_score, f_score, m_score,
       ${dialect.concatText(['r_score', 'f_score', 'm_score'])} AS rfm_code,
       round(CAST(${wr} * r_score + ${wf} * f_score + ${wm} * m_score AS DOUBLE), 2) AS rfm_score,
       CASE
         ${segment}
         ELSE 'Others' END AS segment,
       CASE WHEN r_score <= 2 THEN 'high' WHEN r_score = 3 THEN 'medium' ELSE 'low' END AS churn_risk
FROM scored
ORDER BY customer_id`;
}
