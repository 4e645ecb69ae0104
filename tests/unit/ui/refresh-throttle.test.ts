import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { throttledRefresh } from '../../../src/ui/state/refresh-throttle.ts';

describe('the data panel\'s refresh after a cell settles', () => {
  let running = false;
  let refreshes: number[] = [];
  let settled: () => void;
  const at = (ms: number) => vi.advanceTimersByTime(ms - Date.now());

  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
    running = false;
    refreshes = [];
    settled = throttledRefresh(() => refreshes.push(Date.now()), () => running, { now: () => Date.now() });
  });
  afterEach(() => vi.useRealTimers());

  it('outside a run: once, 100 ms after the last of cells settling together', () => {
    settled();
    at(50);
    settled();
    at(149);
    expect(refreshes).toEqual([]);
    at(150);
    expect(refreshes).toEqual([150]);
    at(5000);
    expect(refreshes).toEqual([150]);
  });

  it('during a run: not until 2 s after its first settled cell, then at most every 2 s, and once as it ends', () => {
    running = true;
    settled(); // t = 0: the run's first cell
    at(400);
    settled();
    at(1900);
    settled();
    at(1999);
    expect(refreshes).toEqual([]);
    at(2100); // the check 100 ms after each, once 2 s have passed since the first
    expect(refreshes).toEqual([2000]);
    settled();
    at(3900);
    expect(refreshes).toEqual([2000]);
    at(4100);
    expect(refreshes).toEqual([2000, 4000]);
    settled();
    at(4500);
    running = false; // the run ends: the next check refreshes
    at(4700);
    expect(refreshes).toEqual([2000, 4000, 4600]);
  });

  it('a run shorter than 2 s lists the tables once, after it ends', () => {
    running = true;
    settled();
    at(700);
    settled();
    at(1200);
    running = false;
    settled();
    at(1400);
    expect(refreshes).toEqual([1300]);
  });
});
