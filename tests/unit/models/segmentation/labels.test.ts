import { describe, expect, it } from 'vitest';
import { labelRfmSegments, labelSegments, labelSpendTiers } from '../../../../src/models/segmentation/labels.ts';
import { fromRows } from '../../../../src/models/kit/matrix.ts';

// Centroids in original units: recency (days), frequency (orders), monetary (£).
const fourSegments = fromRows([
  [45, 3.2, 1050], // middle: Regular
  [286, 1.2, 180], // long gone: At-Risk
  [12, 8.1, 4210], // recent, frequent, big: High-Value
  [120, 1.5, 300], // Occasional
]);

describe('labelRfmSegments', () => {
  it('names four RFM segments and states each rule with the numbers behind it', () => {
    expect(labelRfmSegments(fourSegments)).toEqual([
      {
        cluster: 0,
        label: 'Regular',
        rule: 'frequency 3.2 orders (2nd highest), monetary £1,050 (2nd highest): upper half of the rest by frequency + monetary rank → Regular',
      },
      { cluster: 1, label: 'At-Risk', rule: 'recency 286 days (highest): highest recency of the rest → At-Risk' },
      {
        cluster: 2,
        label: 'High-Value',
        rule: 'recency 12 days (lowest), frequency 8.1 orders (highest), monetary £4,210 (highest): best combined rank → High-Value',
      },
      {
        cluster: 3,
        label: 'Occasional',
        rule: 'frequency 1.5 orders (3rd highest), monetary £300 (3rd highest): lower half of the rest by frequency + monetary rank → Occasional',
      },
    ]);
  });

  it('finds the columns wherever they are and uses the given currency', () => {
    const reordered = fromRows([[1050, 45, 3.2], [180, 286, 1.2], [4210, 12, 8.1], [300, 120, 1.5]]);
    const labels = labelRfmSegments(reordered, { monetary: 0, recency: 1, frequency: 2 }, { currency: '$' });
    expect(labels.map((segment) => segment.label)).toEqual(['Regular', 'At-Risk', 'High-Value', 'Occasional']);
    expect(labels[2]?.rule).toContain('monetary $4,210 (highest)');
  });

  it('adds suffixes when more than 4 clusters share a name, and copes with 2, 3 and 1', () => {
    const six = fromRows([
      [10, 9, 5000],
      [300, 1, 100],
      [40, 5, 2000],
      [50, 4, 1500],
      [90, 2, 500],
      [100, 1.5, 400],
    ]);
    expect(labelRfmSegments(six).map((segment) => segment.label)).toEqual(['High-Value', 'At-Risk', 'Regular', 'Regular 2', 'Occasional', 'Occasional 2']);
    expect(labelRfmSegments(fromRows([[10, 9, 5000], [300, 1, 100], [40, 5, 2000]])).map((s) => s.label)).toEqual(['High-Value', 'At-Risk', 'Regular']);
    expect(labelRfmSegments(fromRows([[300, 1, 100], [10, 9, 5000]])).map((s) => s.label)).toEqual(['At-Risk', 'High-Value']);
    expect(labelRfmSegments(fromRows([[30, 2, 600]]))).toEqual([{ cluster: 0, label: 'All Customers', rule: 'a single cluster → All Customers' }]);
  });

  it('gives High-Value to the best combined rank when no cluster is best at everything', () => {
    // Cluster 0 is most recent but cluster 1 buys most often and spends most: ranks 0+1+1 vs 1+0+0.
    const labels = labelRfmSegments(fromRows([[5, 4, 900], [15, 9, 3000], [200, 1, 80]]));
    expect(labels.map((segment) => segment.label)).toEqual(['Regular', 'High-Value', 'At-Risk']);
  });
});

describe('labelSpendTiers', () => {
  it('orders four spend clusters into Low, Moderate, High and Very High Spenders', () => {
    const labels = labelSpendTiers(fromRows([[50], [2000], [400], [900]]));
    expect(labels.map((segment) => segment.label)).toEqual(['Low Spenders', 'Very High Spenders', 'Moderate Spenders', 'High Spenders']);
    expect(labels[2]?.rule).toBe('mean spend £400 (2nd lowest of 4) → Moderate Spenders');
    expect(labels[1]?.rule).toBe('mean spend £2,000 (highest of 4) → Very High Spenders');
  });

  it('uses sensible tiers for other k', () => {
    const tiers = (spends: number[]) => labelSpendTiers(fromRows(spends.map((spend) => [spend]))).map((segment) => segment.label);
    expect(tiers([100])).toEqual(['All Spenders']);
    expect(tiers([900, 100])).toEqual(['High Spenders', 'Low Spenders']);
    expect(tiers([100, 500, 900])).toEqual(['Low Spenders', 'Moderate Spenders', 'High Spenders']);
    expect(tiers([100, 300, 500, 900, 2000, 6000])).toEqual([
      'Low Spenders', 'Moderate Spenders', 'Moderate Spenders 2', 'Moderate Spenders 3', 'High Spenders', 'Very High Spenders',
    ]);
  });
});

describe('labelSegments', () => {
  it('picks the RFM rule, spend tiers or numbered segments from the column names', () => {
    expect(labelSegments(fourSegments, ['recency_days', 'frequency', 'monetary']).map((s) => s.label)).toEqual(['Regular', 'At-Risk', 'High-Value', 'Occasional']);
    expect(labelSegments(fromRows([[10], [500]]), ['total_spend']).map((s) => s.label)).toEqual(['Low Spenders', 'High Spenders']);
    const numbered = labelSegments(fromRows([[1, 2], [3, 4]]), ['basket_size', 'categories']);
    expect(numbered.map((s) => s.label)).toEqual(['Segment 1', 'Segment 2']);
    expect(numbered[0]?.rule).toContain('basket_size, categories');
  });
});
