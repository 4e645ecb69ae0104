import { expect } from 'vitest';

/** Every value the same bits (Object.is: −0 ≠ 0, NaN = NaN), naming the first that is not: the WebAssembly kernels' tests. */
export function expectSameBits(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  const first = Array.from(expected).findIndex((value, x) => !Object.is(value, actual[x]));
  expect(first === -1 ? 'all equal' : `${what}[${first}]: ${actual[first]} ≠ ${expected[first]}`).toBe('all equal');
}
