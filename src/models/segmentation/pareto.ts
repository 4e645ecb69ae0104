/** The revenue concentration curve: customers ranked by spend, largest first. */
export interface ParetoCurve {
  /** 1-based rank of each customer by spend. */
  readonly ranks: Int32Array;
  /** rank / number of customers. */
  readonly customerShare: Float64Array;
  /** Revenue of customers ranked 1..rank over total revenue. */
  readonly cumulativeRevenueShare: Float64Array;
  /** Revenue share of the top `topShare` of customers, interpolated linearly between ranks. */
  readonly topRevenueShare: number;
  readonly topShare: number;
  /** "Top 20% of customers bring 61.3% of revenue". */
  readonly headline: string;
}

/**
 * Cumulative share of revenue by customers ranked by spend: `pareto(spendPerCustomer).headline`.
 * The curve is piecewise linear through (0, 0) and (rank / n, cumulative share), so the share at exactly
 * `topShare` (default 20%) falls between two customers when 0.2·n is not whole. Net-negative customers
 * (returns) are kept, so the curve may pass 100% before its end and come back to it.
 */
export function pareto(spend: Float64Array, topShare = 0.2): ParetoCurve {
  const n = spend.length;
  if (n === 0) throw new RangeError('pareto needs at least one customer');
  if (!(topShare > 0 && topShare <= 1)) throw new RangeError(`topShare must be in (0, 1], got ${topShare}`);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const value = spend[i] as number;
    if (!Number.isFinite(value)) throw new RangeError(`spend of customer ${i} must be a finite number, got ${value}`);
    total += value;
  }
  if (!(total > 0)) throw new RangeError(`total revenue must be positive, got ${total}`);
  const sorted = Float64Array.from(spend).sort().reverse();
  const ranks = new Int32Array(n);
  const customerShare = new Float64Array(n);
  const cumulativeRevenueShare = new Float64Array(n);
  const cumulative = new Float64Array(n + 1); // cumulative[r] = revenue of the top r customers
  for (let i = 0; i < n; i++) {
    cumulative[i + 1] = (cumulative[i] as number) + (sorted[i] as number);
    ranks[i] = i + 1;
    customerShare[i] = (i + 1) / n;
    cumulativeRevenueShare[i] = (cumulative[i + 1] as number) / total;
  }
  const position = topShare * n;
  const whole = Math.min(Math.floor(position), n);
  const next = whole < n ? (sorted[whole] as number) : 0;
  const topRevenueShare = ((cumulative[whole] as number) + (position - whole) * next) / total;
  const headline = `Top ${formatPercent(topShare)} of customers bring ${formatPercent(topRevenueShare)} of revenue`;
  return { ranks, customerShare, cumulativeRevenueShare, topRevenueShare, topShare, headline };
}

function formatPercent(share: number): string {
  return `${Number((share * 100).toFixed(1))}%`;
}
