import { describe, expect, it } from 'vitest';
import { pareto } from '../../../../src/models/segmentation/pareto.ts';

describe('pareto', () => {
  it('ranks customers by spend and accumulates their share of revenue', () => {
    const curve = pareto(Float64Array.of(50, 10, 30, 10));
    expect(Array.from(curve.ranks)).toEqual([1, 2, 3, 4]);
    expect(Array.from(curve.customerShare)).toEqual([0.25, 0.5, 0.75, 1]);
    expect(Array.from(curve.cumulativeRevenueShare)).toEqual([0.5, 0.8, 0.9, 1]);
  });

  it('interpolates exactly at 20% of customers when that falls between two of them', () => {
    // 20% of 4 customers is 0.8 of the top customer: 0.8 × £50 of £100 → 40%.
    const curve = pareto(Float64Array.of(50, 10, 30, 10));
    expect(curve.topRevenueShare).toBeCloseTo(0.4, 15);
    expect(curve.headline).toBe('Top 20% of customers bring 40% of revenue');
  });

  it('reads the share directly when 20% is a whole number of customers', () => {
    // 10 customers: the top 2 spend 400 + 200 of 1,000.
    const spend = Float64Array.of(400, 200, 100, 80, 70, 60, 40, 30, 15, 5);
    const curve = pareto(spend);
    expect(curve.topRevenueShare).toBeCloseTo(0.6, 15);
    expect(curve.headline).toBe('Top 20% of customers bring 60% of revenue');
    expect(pareto(spend, 0.5).topRevenueShare).toBeCloseTo(0.85, 15); // 400 + 200 + 100 + 80 + 70
    expect(pareto(spend, 1).topRevenueShare).toBeCloseTo(1, 15);
  });

  it('keeps net-return customers, whose negative spend brings the curve back to 100%', () => {
    const curve = pareto(Float64Array.of(80, 40, -20));
    expect(Array.from(curve.cumulativeRevenueShare)).toEqual([0.8, 1.2, 1]);
  });

  it('needs customers, a positive total and a share in (0, 1]', () => {
    expect(() => pareto(new Float64Array(0))).toThrow(/at least one customer/);
    expect(() => pareto(Float64Array.of(0, 0))).toThrow(/total revenue must be positive, got 0/);
    expect(() => pareto(Float64Array.of(1, Number.NaN))).toThrow(/spend of customer 1 must be a finite number/);
    expect(() => pareto(Float64Array.of(1), 0)).toThrow(/topShare must be in \(0, 1\], got 0/);
  });
});
