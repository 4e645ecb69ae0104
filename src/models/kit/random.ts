// Own PRNG rather than a package: ~100 lines, bit-for-bit identical in Node, browsers and workers, no dependency.

/** Mixes a 32-bit state into a well-spread 32-bit value (splitmix32, used only for seeding). */
function splitmix32(state: number): number {
  let z = (state + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

const TWO_POW_32 = 4294967296;

/**
 * A seeded random stream (sfc32 — Chris Doty-Humphrey's Small Fast Counting generator, PractRand-clean).
 * `new Rng(42, 'products').integer(1, 6)` always returns the same die roll; another `stream` label gives an
 * independent sequence from the same seed, so adding draws to one stage never shifts another.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal: number | null = null;

  constructor(seed: number, stream: string | number = 0) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
    const low = seed >>> 0;
    const high = Math.floor(seed / TWO_POW_32) >>> 0;
    const label = typeof stream === 'number' ? stream >>> 0 : hashLabel(stream);
    this.a = splitmix32(low);
    this.b = splitmix32(this.a ^ high);
    this.c = splitmix32(this.b ^ label);
    this.d = 1;
    for (let i = 0; i < 15; i++) this.nextUint32();
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). `rng.float() < 0.02` is true 2% of the time. */
  float(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /** Uniform in [min, max). */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.float();
  }

  /** Uniform integer in [min, max], both ends included: `rng.integer(7, 20)` is a shop hour. */
  integer(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /** Normal draw (Marsaglia polar method); `rng.normal(0, 1)`. */
  normal(mean = 0, sd = 1): number {
    if (this.spareNormal !== null) {
      const spare = this.spareNormal;
      this.spareNormal = null;
      return mean + sd * spare;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.float() - 1;
      v = 2 * this.float() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const factor = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * factor;
    return mean + sd * u * factor;
  }

  /** Log-normal draw whose mean (not median) is `mean`: `rng.logNormal(24, 0.8)` is a basket size. */
  logNormal(mean: number, sigma: number): number {
    return Math.exp(Math.log(mean) - (sigma * sigma) / 2 + sigma * this.normal());
  }

  /** Poisson count; exact (Knuth) below λ = 30, rounded normal approximation above. */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda >= 30) return Math.max(0, Math.round(this.normal(lambda, Math.sqrt(lambda))));
    const limit = Math.exp(-lambda);
    let count = 0;
    let product = this.float();
    while (product > limit) {
      count++;
      product *= this.float();
    }
    return count;
  }

  /** Number of failures before the first success, with the given mean (≥ 0): `1 + rng.geometric(2)` averages 3. */
  geometric(mean: number): number {
    if (mean <= 0) return 0;
    const p = 1 / (1 + mean);
    return Math.floor(Math.log(1 - this.float()) / Math.log(1 - p));
  }

  /** A uniformly chosen element: `rng.pick(['RED', 'PINK'])`. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('cannot pick from an empty list');
    return items[Math.floor(this.float() * items.length)] as T;
  }

  /** Index drawn in proportion to `weights` (linear scan; use `WeightedPicker` for repeated draws). */
  pickIndex(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += weights[i] ?? 0;
    if (!(total > 0)) throw new RangeError('weights must have a positive sum');
    let target = this.float() * total;
    for (let i = 0; i < weights.length; i++) {
      target -= weights[i] ?? 0;
      if (target < 0) return i;
    }
    return weights.length - 1;
  }

  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<T, A extends { length: number; [index: number]: T }>(items: A): A {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.float() * (i + 1));
      const held = items[i] as T;
      items[i] = items[j] as T;
      items[j] = held;
    }
    return items;
  }
}

/** Repeated weighted draws in O(log n): `new WeightedPicker([90, 5, 5]).pick(rng)` is 0 nine times in ten. */
export class WeightedPicker {
  private readonly cumulative: Float64Array;
  readonly total: number;

  constructor(weights: ArrayLike<number>) {
    this.cumulative = new Float64Array(weights.length);
    let sum = 0;
    for (let i = 0; i < weights.length; i++) {
      const weight = weights[i] ?? 0;
      if (!(weight >= 0)) throw new RangeError(`weight ${i} must be a non-negative number, got ${weight}`);
      sum += weight;
      this.cumulative[i] = sum;
    }
    if (!(sum > 0)) throw new RangeError('weights must have a positive sum');
    this.total = sum;
  }

  /** An index drawn in proportion to its weight. */
  pick(rng: Rng): number {
    return this.indexAt(rng.float() * this.total);
  }

  /** An index drawn in proportion to its weight, restricted to indices [from, to] (inclusive). */
  pickBetween(rng: Rng, from: number, to: number): number {
    const before = from > 0 ? (this.cumulative[from - 1] ?? 0) : 0;
    const upTo = this.cumulative[to] ?? this.total;
    if (!(upTo > before)) return from;
    return Math.min(to, Math.max(from, this.indexAt(before + rng.float() * (upTo - before))));
  }

  private indexAt(target: number): number {
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.cumulative[mid] ?? 0) > target) high = mid;
      else low = mid + 1;
    }
    return low;
  }
}

/**
 * Splits an integer `total` across slots in proportion to `weights`, exactly (cumulative rounding):
 * `apportion([1, 1, 2], 7)` → `[2, 2, 3]`-like, always summing to 7. Zero total weight spreads evenly.
 */
export function apportion(weights: ArrayLike<number>, total: number): Int32Array {
  const counts = new Int32Array(weights.length);
  if (weights.length === 0 || total <= 0) return counts;
  let weightSum = 0;
  for (let i = 0; i < weights.length; i++) weightSum += Math.max(0, weights[i] ?? 0);
  const even = !(weightSum > 0);
  let running = 0;
  let given = 0;
  for (let i = 0; i < weights.length; i++) {
    running += even ? 1 : Math.max(0, weights[i] ?? 0);
    const share = running / (even ? weights.length : weightSum);
    const target = i === weights.length - 1 ? total : Math.round(share * total);
    counts[i] = target - given;
    given = target;
  }
  return counts;
}

/** `count` distinct integers from [first, first + span), ascending (selection sampling, Knuth's Algorithm S). */
export function sortedDistinct(rng: Rng, count: number, first: number, span: number): number[] {
  const chosen: number[] = [];
  let needed = Math.min(count, span);
  for (let offset = 0; offset < span && needed > 0; offset++) {
    if (rng.float() * (span - offset) < needed) {
      chosen.push(first + offset);
      needed--;
    }
  }
  return chosen;
}

/** FNV-1a hash of a stream label. */
function hashLabel(label: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    hash ^= label.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
