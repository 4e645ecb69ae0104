import { describe, expect, it } from 'vitest';
import { nelderMead } from '../../../../src/models/kit/nelder-mead.ts';

describe('nelderMead', () => {
  it('finds the Rosenbrock minimum inside a box', () => {
    const rosenbrock = (x: Float64Array): number => 100 * ((x[1] as number) - (x[0] as number) ** 2) ** 2 + (1 - (x[0] as number)) ** 2;
    const result = nelderMead(rosenbrock, [-1.2, 1], [-2, -2], [2, 2], { maxIterations: 5000 });
    expect(result.x[0]).toBeCloseTo(1, 5);
    expect(result.x[1]).toBeCloseTo(1, 5);
  });

  it('stops on the bound when the unconstrained minimum lies outside', () => {
    const result = nelderMead((x) => ((x[0] as number) - 3) ** 2 + ((x[1] as number) + 1) ** 2, [0.5, 0.5], [0, 0], [1, 1]);
    expect(Array.from(result.x)).toEqual([1, 0]);
    expect(result.value).toBe(5);
  });
});
