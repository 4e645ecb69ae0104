import { describe, expect, it } from 'vitest';
import {
  fitParetoNbd,
  paretoNbdExpectedPurchases,
  paretoNbdLogLikelihood,
  paretoNbdProbabilityAlive,
  type ParetoNbdParams,
} from '../../../../src/models/forward/pareto-nbd.ts';
import { customerLifetimeValue } from '../../../../src/models/forward/clv-value.ts';
import { fitGammaGamma } from '../../../../src/models/forward/clv.ts';
import lifetimes from '../../../fixtures/models/clv-lifetimes.json';
import { cdnow } from './clv-fixtures.ts';
import { abortedSignal, progressRecorder } from '../segmentation/segmentation-fixtures.ts';

// References: tests/fixtures/models/clv-lifetimes.json, written by clv_reference.py with lifetimes 0.11.3 (scipy 1.11.4).
const relative = (actual: number, expected: number) => Math.abs(actual - expected) / Math.abs(expected);
const one = (x: number, tx: number, T: number) => ({ frequency: Float64Array.of(x), recency: Float64Array.of(tx), age: Float64Array.of(T) });
const sum = (values: Float64Array) => values.reduce((total, value) => total + value, 0);
const params = (p: { r: number; alpha: number; s: number; beta: number }): ParetoNbdParams => ({ r: p.r, alpha: p.alpha, s: p.s, beta: p.beta });
const weekly = lifetimes.weekly;
const refined = params(weekly.paretonbd_refined);
const cdnowFit = fitParetoNbd(cdnow);

describe('paretoNbdLogLikelihood', () => {
  it('is eq. 18 of Hardie’s note 009 to 1e-12, also where one rate is far larger than the other (the 2F1 near z = 1)', () => {
    // Each value is eq. 18 at 60 digits with mpmath's hyp2f1 (checked by quadrature where that converges). Corners:
    // α = 0.01 with β = 50, α = 80 with β = 0.02 (z ≈ 0.9998), α ≈ β (z near 0), s = 1 and s = 3 (the exponent s + 1 a
    // whole number), 29 repeat purchases, and r = 2000 or s = 40, where an optimiser strays and r + s + x is in the
    // thousands. lifetimes (scipy's hyp2f1) agrees to 1e-12 on the first 25 and is NaN or 1e-3 off on the last ten.
    expect(lifetimes.paretonbd_corners.length).toBe(35);
    lifetimes.paretonbd_corners.forEach((corner, i) => {
      const [r, alpha, s, beta] = corner.params as [number, number, number, number];
      const ll = paretoNbdLogLikelihood({ r, alpha, s, beta }, one(corner.frequency, corner.recency, corner.T))[0] as number;
      // at r = 2000, ln Γ(r) and r ln α are ~1e4 and cancel: doubles leave ~1e-16 of that, so 1e-11 there
      expect(Math.abs(ll - corner.log_likelihood)).toBeLessThan((i < 25 ? 1e-12 : 1e-11) * Math.max(1, Math.abs(corner.log_likelihood)));
    });
  });

  it('gives lifetimes’ per-customer values and sum on CDNOW', () => {
    for (const customer of weekly.customers) {
      const ll = paretoNbdLogLikelihood(refined, one(customer.frequency, customer.recency, customer.T))[0] as number;
      expect(relative(ll, customer.log_likelihood)).toBeLessThan(1e-12);
    }
    expect(relative(sum(paretoNbdLogLikelihood(refined, cdnow)), weekly.paretonbd_refined.log_likelihood)).toBeLessThan(1e-12);
  });

  it('is the likelihood of a customer who bought at T alone when t_x = T (nothing to die in)', () => {
    // ln[Γ(r+x)/Γ(r) · α^r β^s / ((α+T)^{r+x} (β+T)^s)] with r = 2, α = 3, s = 1, β = 4, x = 1, T = t_x = 5:
    // Γ(3)/Γ(2) = 2, so 2 · 9 · 4 / (8³ · 9) = 1/64
    expect(paretoNbdLogLikelihood({ r: 2, alpha: 3, s: 1, beta: 4 }, one(1, 5, 5))[0]).toBeCloseTo(Math.log(1 / 64), 14);
  });

  it('checks its inputs, naming the parameter and the customer', () => {
    expect(() => paretoNbdLogLikelihood({ ...refined, beta: 0 }, one(0, 0, 1))).toThrow(/Pareto\/NBD parameter beta must be a finite number > 0, got 0/);
    expect(() => paretoNbdLogLikelihood(refined, one(1, 3, 2))).toThrow(/Pareto\/NBD: recency of customer 0 must be between 0 and its age 2, got 3/);
  });
});

describe('fitParetoNbd', () => {
  it('finds lifetimes’ CDNOW estimates and log-likelihood (and the published 0.553, 10.58, 0.606, 11.67, −9595.0)', () => {
    // lifetimes' ParetoNBDFitter stops Nelder-Mead at tol 1e-4; its estimates are within 1e-4 of the maximum of its own
    // likelihood, which the fixture script finds by polishing (paretonbd_refined). Fader & Hardie (2005) publish r 0.553,
    // α 10.578, s 0.606, β 11.669 and LL −9595.0 on these customers.
    for (const name of ['r', 'alpha', 's', 'beta'] as const) {
      expect(relative(cdnowFit[name], weekly.paretonbd_lifetimes[name])).toBeLessThan(1e-3);
      expect(relative(cdnowFit[name], weekly.paretonbd_refined[name])).toBeLessThan(1e-5);
    }
    expect(cdnowFit.logLikelihood).toBeGreaterThanOrEqual(weekly.paretonbd_lifetimes.log_likelihood - 1e-9);
    expect(relative(cdnowFit.logLikelihood, weekly.paretonbd_refined.log_likelihood)).toBeLessThan(1e-10);
    expect(cdnowFit.logLikelihood).toBeCloseTo(-9595.0, 1);
    expect(cdnowFit.converged).toBe(true);
    expect(cdnowFit.customers).toBe(2357);
    // BG/NBD fits these customers a little better (lifetimes: −9582.43), as Fader, Hardie & Lee (2005) report
    expect(cdnowFit.logLikelihood).toBeLessThan(weekly.bgnbd.log_likelihood);
  });

  it('has standard errors from the observed information of lifetimes’ likelihood', () => {
    // lifetimes' ParetoNBDFitter computes none; the fixture script takes the Hessian of lifetimes' own log-likelihood by
    // central differences (step 1e-4 in log-parameters) at the maximum: r 0.0476, α 0.843, s 0.187, β 6.21.
    for (const name of ['r', 'alpha', 's', 'beta'] as const) expect(relative(cdnowFit.standardErrors[name], weekly.paretonbd_standard_errors[name])).toBeLessThan(1e-3);
  });

  it('does not depend on the time unit beyond α and β: CDNOW in days gives 7α, 7β and the same r, s', () => {
    const inDays = fitParetoNbd({ frequency: cdnow.frequency, recency: cdnow.recency.map((tx) => tx * 7), age: cdnow.age.map((T) => T * 7) });
    expect(relative(inDays.alpha, 7 * cdnowFit.alpha)).toBeLessThan(1e-5);
    expect(relative(inDays.beta, 7 * cdnowFit.beta)).toBeLessThan(1e-5);
    expect(relative(inDays.r, cdnowFit.r)).toBeLessThan(1e-5);
    expect(relative(inDays.s, cdnowFit.s)).toBeLessThan(1e-5);
  });

  it('reports progress up to exactly 1 and stops with an AbortError when cancelled', () => {
    const small = { frequency: cdnow.frequency.slice(0, 300), recency: cdnow.recency.slice(0, 300), age: cdnow.age.slice(0, 300) };
    const progress = progressRecorder();
    fitParetoNbd(small, { onProgress: progress.onProgress });
    progress.check();
    expect(() => fitParetoNbd(small, { signal: abortedSignal() })).toThrow(expect.objectContaining({ name: 'AbortError' }));
    expect(() => fitParetoNbd({ frequency: new Float64Array(), recency: new Float64Array(), age: new Float64Array() })).toThrow(/at least one customer/);
  });
});

describe('Pareto/NBD predictions', () => {
  it('give lifetimes’ P(alive) and expected purchases in the next 1, 10 and 52 weeks', () => {
    for (const customer of weekly.customers) {
      const history = one(customer.frequency, customer.recency, customer.T);
      expect(relative(paretoNbdProbabilityAlive(refined, history)[0] as number, customer.probability_alive)).toBeLessThan(1e-11);
      for (const [t, expected] of Object.entries(customer.expected)) {
        expect(relative(paretoNbdExpectedPurchases(refined, history, Number(t))[0] as number, expected)).toBeLessThan(1e-11);
      }
    }
  });

  it('is smooth through s = 1, where eq. 22’s (1 − y^{s−1})/(s − 1) is 0/0', () => {
    const at = (s: number) => paretoNbdExpectedPurchases({ ...refined, s }, one(3, 20, 38), 26)[0] as number;
    expect(Math.abs(at(1) - (at(1 - 1e-7) + at(1 + 1e-7)) / 2)).toBeLessThan(1e-9);
    expect(at(1)).toBeGreaterThan(0);
  });

  it('are 0 at t = 0 and grow with t; a customer who has been silent longer is less likely alive', () => {
    expect(paretoNbdExpectedPurchases(refined, one(4, 30, 38), 0)[0]).toBe(0);
    const alive = paretoNbdProbabilityAlive(refined, { frequency: Float64Array.of(4, 4), recency: Float64Array.of(37, 10), age: Float64Array.of(38, 38) });
    expect(alive[1]).toBeLessThan(alive[0] as number);
  });

  it('feed the lifetime value: one month undiscounted is E[Y(30 days)] × the expected spend', () => {
    const spend = fitGammaGamma(cdnow);
    const rows = { frequency: cdnow.frequency.slice(0, 5), recency: cdnow.recency.slice(0, 5), age: cdnow.age.slice(0, 5), monetaryValue: cdnow.monetaryValue.slice(0, 5) };
    const value = customerLifetimeValue(refined, spend, rows, rows, { months: 1, monthlyDiscountRate: 0, timeUnit: 'week' });
    const inAMonth = paretoNbdExpectedPurchases(refined, rows, 4.345);
    const profit = rows.frequency.map((x, i) => (spend.p * (spend.v + x * (rows.monetaryValue[i] as number))) / (spend.p * x + spend.q - 1));
    value.forEach((v, i) => expect(v).toBeCloseTo((inAMonth[i] as number) * (profit[i] as number), 10));
  });
});
