import { describe, expect, it } from 'vitest';
import { hyp2f1, logGamma, studentTQuantile } from '../../../../src/models/kit/special.ts';

const relative = (actual: number, expected: number) => Math.abs(actual - expected) / Math.abs(expected);
const Z80 = 1.2815515655446004;

describe('logGamma', () => {
  it('is exact at the closed forms and matches scipy elsewhere', () => {
    expect(logGamma(1)).toBeCloseTo(0, 14);
    expect(logGamma(2)).toBeCloseTo(0, 14);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 13);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 14);
    expect(logGamma(1.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI) / 2), 14);
    // scipy 1.17.1: python3 -c "from scipy.special import gammaln; print([gammaln(z) for z in (0.2426, 10.5, 100, 1234.5678, 1e-8)])"
    const scipy: [number, number][] = [[0.2426, 1.3197854750907922], [10.5, 13.940625219403763], [100, 359.1342053695754], [1234.5678, 7551.033504440955], [1e-8, 18.42068073818021]];
    for (const [x, expected] of scipy) expect(relative(logGamma(x), expected)).toBeLessThan(1e-14);
  });

  it('is NaN outside x > 0', () => {
    expect(logGamma(0)).toBeNaN();
    expect(logGamma(-1.5)).toBeNaN();
  });
});

describe('hyp2f1', () => {
  it('matches the elementary closed forms of DLMF §15.4 and a terminating series', () => {
    for (const z of [-0.5, 0.1, 0.5, 0.9, 0.99]) expect(relative(hyp2f1(1, 1, 2, z), -Math.log(1 - z) / z)).toBeLessThan(1e-13);
    for (const z of [-0.7, 0.3, 0.95]) expect(relative(hyp2f1(2.5, 1.3, 1.3, z), (1 - z) ** -2.5)).toBeLessThan(1e-13);
    expect(relative(hyp2f1(0.5, 0.5, 1.5, 0.25), Math.asin(0.5) / 0.5)).toBeLessThan(1e-15);
    // (a)ₙ = 0 from n = 3 on: 1 + (−2)(3)z/4 + (−2)(−1)(3)(4)z²/(4·5·2) at z = 0.5 → 1 − 0.75 + 0.15 = 0.4
    expect(hyp2f1(-2, 3, 4, 0.5)).toBeCloseTo(0.4, 15);
  });

  it('matches scipy.special.hyp2f1 where the terms first grow (BG/NBD eq. 10 for a customer with x = 26)', () => {
    // scipy 1.17.1: hyp2f1(0.2425945+26, 2.4258881+26, 0.7929199+2.4258881+26-1, 10/(4.4136019+31+10)) → 717.1043457655823;
    // hyp2f1(1.5, 2.5, 1.2, 0.9) → 806.3410984957072; hyp2f1(-0.3, 0.7, 2.2, -0.6) → 1.051976619728356
    expect(relative(hyp2f1(26.2425945, 28.4258881, 28.218808, 10 / 45.4136019), 717.1043457655823)).toBeLessThan(1e-13);
    expect(relative(hyp2f1(1.5, 2.5, 1.2, 0.9), 806.3410984957072)).toBeLessThan(1e-13);
    expect(relative(hyp2f1(-0.3, 0.7, 2.2, -0.6), 1.051976619728356)).toBeLessThan(1e-14);
  });

  it('refuses |z| ≥ 1 and the poles c = 0, −1, …', () => {
    expect(() => hyp2f1(1, 1, 2, 1)).toThrow(/needs \|z\| < 1, got z = 1/);
    expect(() => hyp2f1(1, 1, -2, 0.5)).toThrow(/pole at c = -2/);
  });
});

describe('studentTQuantile', () => {
  it('matches closed forms for 1 and 2 degrees of freedom and R\'s qt elsewhere', () => {
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(Math.tan(Math.PI * 0.475), 10);
    expect(studentTQuantile(0.9, 2)).toBeCloseTo(0.8 / Math.sqrt(2 * 0.9 * 0.1), 12);
    expect(studentTQuantile(0.025, 2)).toBeCloseTo(-0.95 / Math.sqrt(2 * 0.975 * 0.025), 12);
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.228138851986274, 9); // qt(0.975, 10)
    expect(studentTQuantile(0.9, 1e6)).toBeCloseTo(Z80, 5);
  });
});
