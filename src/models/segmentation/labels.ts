import type { Matrix } from '../kit/matrix.ts';

/** A readable name for one cluster, with the rule that produced it so a reader can check it. */
export interface SegmentLabel {
  readonly cluster: number;
  readonly label: string;
  /** e.g. `recency 12 days (lowest), frequency 8.1 orders (highest), monetary £4,210 (highest): best combined rank → High-Value`. */
  readonly rule: string;
}

/** Which centroid columns hold recency (days since last order), frequency (orders) and monetary (spend). */
export interface RfmColumns {
  readonly recency: number;
  readonly frequency: number;
  readonly monetary: number;
}

export interface LabelFormat {
  /** Currency symbol for money. Default '£' (the UCI Online Retail data is British). */
  readonly currency?: string;
}

/**
 * Names RFM segments from centroids in original units. High-Value: best combined rank (lowest recency,
 * highest frequency, highest monetary; ties → higher monetary). At-Risk: highest recency of the rest. The
 * others, ranked by frequency + monetary, split into an upper half 'Regular' and a lower half 'Occasional';
 * repeated names get suffixes ('Regular 2') when there are more than 4 clusters.
 */
export function labelRfmSegments(
  centroids: Matrix,
  columns: RfmColumns = { recency: 0, frequency: 1, monetary: 2 },
  format: LabelFormat = {},
): SegmentLabel[] {
  const k = centroids.rows;
  for (const [role, col] of Object.entries(columns)) {
    if (!(Number.isInteger(col) && col >= 0 && col < centroids.cols)) throw new RangeError(`${role} column ${col} is outside 0..${centroids.cols - 1}`);
  }
  const value = (cluster: number, col: number): number => centroids.values[cluster * centroids.cols + col] as number;
  const recency = (cluster: number): number => value(cluster, columns.recency);
  const frequency = (cluster: number): number => value(cluster, columns.frequency);
  const monetary = (cluster: number): number => value(cluster, columns.monetary);
  const all = Array.from({ length: k }, (_, cluster) => cluster);
  if (k === 1) return [{ cluster: 0, label: 'All Customers', rule: 'a single cluster → All Customers' }];

  const recencyRank = ranks(all, recency, 'ascending');
  const frequencyRank = ranks(all, frequency, 'descending');
  const monetaryRank = ranks(all, monetary, 'descending');
  const currency = format.currency ?? '£';
  const describe = {
    recency: (cluster: number) => `recency ${formatNumber(recency(cluster), 0)} days (${rankWord(recencyRank[cluster] as number, k, 'lowest', 'highest')})`,
    frequency: (cluster: number) => `frequency ${formatNumber(frequency(cluster), 1)} orders (${rankWord(frequencyRank[cluster] as number, k, 'highest', 'lowest')})`,
    monetary: (cluster: number) => `monetary ${currency}${formatNumber(monetary(cluster), 0)} (${rankWord(monetaryRank[cluster] as number, k, 'highest', 'lowest')})`,
  };
  const byMonetaryThenNumber = (a: number, b: number): number => monetary(b) - monetary(a) || a - b;

  const highValue = [...all].sort(
    (a, b) =>
      (recencyRank[a] as number) + (frequencyRank[a] as number) + (monetaryRank[a] as number) -
        ((recencyRank[b] as number) + (frequencyRank[b] as number) + (monetaryRank[b] as number)) || byMonetaryThenNumber(a, b),
  )[0] as number;
  const labels: SegmentLabel[] = [
    {
      cluster: highValue,
      label: 'High-Value',
      rule: `${describe.recency(highValue)}, ${describe.frequency(highValue)}, ${describe.monetary(highValue)}: best combined rank → High-Value`,
    },
  ];
  const rest = all.filter((cluster) => cluster !== highValue);
  const fmScore = (cluster: number): number => (frequencyRank[cluster] as number) + (monetaryRank[cluster] as number);
  const atRisk = [...rest].sort((a, b) => recency(b) - recency(a) || fmScore(b) - fmScore(a) || a - b)[0] as number;
  labels.push({ cluster: atRisk, label: 'At-Risk', rule: `${describe.recency(atRisk)}: highest recency of the rest → At-Risk` });

  const remaining = rest.filter((cluster) => cluster !== atRisk).sort((a, b) => fmScore(a) - fmScore(b) || byMonetaryThenNumber(a, b));
  const regularCount = Math.ceil(remaining.length / 2);
  remaining.forEach((cluster, position) => {
    const upper = position < regularCount;
    const base = upper ? 'Regular' : 'Occasional';
    const nth = (upper ? position : position - regularCount) + 1;
    const label = nth > 1 ? `${base} ${nth}` : base;
    const half = upper ? 'upper' : 'lower';
    labels.push({ cluster, label, rule: `${describe.frequency(cluster)}, ${describe.monetary(cluster)}: ${half} half of the rest by frequency + monetary rank → ${label}` });
  });
  return labels.sort((a, b) => a.cluster - b.cluster);
}

/**
 * Names spend tiers by centroid order, lowest first: k = 4 → Low, Moderate, High, Very High Spenders;
 * k = 2 → Low, High; k = 3 → Low, Moderate, High; k ≥ 5 adds Moderate 2, 3… in the middle.
 */
export function labelSpendTiers(centroids: Matrix, spendColumn = 0, format: LabelFormat = {}): SegmentLabel[] {
  const k = centroids.rows;
  if (!(Number.isInteger(spendColumn) && spendColumn >= 0 && spendColumn < centroids.cols)) {
    throw new RangeError(`spend column ${spendColumn} is outside 0..${centroids.cols - 1}`);
  }
  const spend = (cluster: number): number => centroids.values[cluster * centroids.cols + spendColumn] as number;
  const ascending = Array.from({ length: k }, (_, cluster) => cluster).sort((a, b) => spend(a) - spend(b) || a - b);
  const tiers = spendTierNames(k);
  const currency = format.currency ?? '£';
  return ascending
    .map((cluster, position) => {
      const label = tiers[position] as string;
      return { cluster, label, rule: `mean spend ${currency}${formatNumber(spend(cluster), 0)} (${rankWord(position, k, 'lowest', 'highest')} of ${k}) → ${label}` };
    })
    .sort((a, b) => a.cluster - b.cluster);
}

/**
 * Picks the rule from the column names: recency + frequency + monetary columns → RFM labels; a single
 * column → spend tiers; anything else → 'Segment 1'…, saying why.
 */
export function labelSegments(centroids: Matrix, columnNames: readonly string[], format: LabelFormat = {}): SegmentLabel[] {
  const find = (pattern: RegExp): number => columnNames.findIndex((name) => pattern.test(name));
  const recency = find(/recen/i);
  const frequency = find(/freq|orders|invoices|visits/i);
  const monetary = find(/monet|spend|revenue|amount|sales/i);
  if (recency >= 0 && frequency >= 0 && monetary >= 0) return labelRfmSegments(centroids, { recency, frequency, monetary }, format);
  if (columnNames.length === 1) return labelSpendTiers(centroids, 0, format);
  return Array.from({ length: centroids.rows }, (_, cluster) => ({
    cluster,
    label: `Segment ${cluster + 1}`,
    rule: `no recency, frequency and monetary columns among ${columnNames.join(', ')}, nor a single spend column → numbered`,
  }));
}

function spendTierNames(k: number): string[] {
  const tiers =
    k === 1 ? ['All'] : k === 2 ? ['Low', 'High'] : k === 3 ? ['Low', 'Moderate', 'High'] :
    ['Low', ...Array.from({ length: k - 3 }, () => 'Moderate'), 'High', 'Very High'];
  const seen = new Map<string, number>();
  return tiers.map((tier) => {
    const nth = (seen.get(tier) ?? 0) + 1;
    seen.set(tier, nth);
    return nth > 1 ? `${tier} Spenders ${nth}` : `${tier} Spenders`;
  });
}

/** 0-based rank of each cluster by `key` (ties broken by cluster number). */
function ranks(clusters: readonly number[], key: (cluster: number) => number, direction: 'ascending' | 'descending'): Int32Array {
  const sign = direction === 'ascending' ? 1 : -1;
  const order = [...clusters].sort((a, b) => sign * (key(a) - key(b)) || a - b);
  const rank = new Int32Array(clusters.length);
  order.forEach((cluster, position) => (rank[cluster] = position));
  return rank;
}

/** 0 → 'lowest', k − 1 → 'highest', 1 → '2nd lowest', … (`first` names rank 0). */
function rankWord(rank: number, k: number, first: string, last: string): string {
  if (rank === 0) return first;
  if (rank === k - 1) return last;
  return `${ordinal(rank + 1)} ${first}`;
}

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** `4210.4` → `4,210`, grouping by thousands like en-GB, independent of the runtime's locale data. */
function formatNumber(value: number, decimals: number): string {
  const fixed = Math.abs(value).toFixed(decimals);
  const [whole = '0', fraction] = fixed.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const sign = value < 0 && Number(fixed) !== 0 ? '-' : '';
  return `${sign}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}
