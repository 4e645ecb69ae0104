// AssemblyScript, compiled into the models' kernel module by scripts/build-wasm.mjs (through kernels.ts; not by tsc).
// The pair count of ../bought-with.ts `oftenBoughtWithEach` and its ranked lists over arrays the caller lays out in the
// module's memory (pointers are byte offsets): the same counts, lifts and lists.

import { f64At, i32At } from './pointers';

/** bought-with.ts `ranksBefore`: by lift, then count (both descending), then index. */
// @ts-ignore: decorator
@inline function ranksBefore(lift: f64, count: i32, other: i32, thanLift: f64, thanCount: i32, thanOther: i32): bool {
  return lift > thanLift || (lift == thanLift && (count > thanCount || (count == thanCount && other < thanOther)));
}

/** bought-with.ts `BoughtWithLists.offer`: `other`, sharing `count` baskets with `item`, into item's sorted list of n. */
function offer(item: i32, other: i32, count: i32, counts: usize, basketCount: f64, n: i32, sizes: usize, partners: usize, shared: usize, lifts: usize): void {
  const lift = (<f64>count * basketCount) / (<f64>load<i32>(i32At(counts, item)) * <f64>load<i32>(i32At(counts, other)));
  const base = item * n;
  const size = load<i32>(i32At(sizes, item));
  const last = base + n - 1;
  if (size == n && !ranksBefore(lift, count, other, load<f64>(f64At(lifts, last)), load<i32>(i32At(shared, last)), load<i32>(i32At(partners, last)))) return;
  let at = base + (size == n ? n - 1 : size);
  for (; at > base && ranksBefore(lift, count, other, load<f64>(f64At(lifts, at - 1)), load<i32>(i32At(shared, at - 1)), load<i32>(i32At(partners, at - 1))); at--) {
    store<i32>(i32At(partners, at), load<i32>(i32At(partners, at - 1)));
    store<i32>(i32At(shared, at), load<i32>(i32At(shared, at - 1)));
    store<f64>(f64At(lifts, at), load<f64>(f64At(lifts, at - 1)));
  }
  store<i32>(i32At(partners, at), other);
  store<i32>(i32At(shared, at), count);
  store<f64>(f64At(lifts, at), lift);
  if (size < n) store<i32>(i32At(sizes, item), size + 1);
}

/**
 * Products from … to − 1 of `oftenBoughtWithEach`: each one's baskets (`holding[starts[p] .. starts[p + 1])`), the
 * products after it in each (baskets flat: basket b's at `basketItems[basketStart[b] .. basketStart[b + 1])`, its
 * `position` the product being counted), each pair sharing at least `minCount` baskets offered to both lists.
 */
export function boughtWithItems(
  starts: usize, holding: usize, basketStart: usize, basketItems: usize, position: usize, together: usize, touched: usize,
  counts: usize, basketCount: f64, n: i32, minCount: i32, sizes: usize, partners: usize, shared: usize, lifts: usize, from: i32, to: i32,
): void {
  for (let item = from; item < to; item++) {
    let touchedCount = 0;
    for (let k = load<i32>(i32At(starts, item)); k < load<i32>(i32At(starts, item + 1)); k++) {
      const index = load<i32>(i32At(holding, k));
      const at = load<i32>(i32At(position, index));
      store<i32>(i32At(position, index), at + 1);
      const end = load<i32>(i32At(basketStart, index + 1));
      for (let l = load<i32>(i32At(basketStart, index)) + at + 1; l < end; l++) {
        const other = load<i32>(i32At(basketItems, l));
        const count = load<i32>(i32At(together, other));
        if (count == 0) store<i32>(i32At(touched, touchedCount++), other);
        store<i32>(i32At(together, other), count + 1);
      }
    }
    for (let t = 0; t < touchedCount; t++) {
      const other = load<i32>(i32At(touched, t));
      const count = load<i32>(i32At(together, other));
      store<i32>(i32At(together, other), 0);
      if (count < minCount) continue;
      offer(item, other, count, counts, basketCount, n, sizes, partners, shared, lifts);
      offer(other, item, count, counts, basketCount, n, sizes, partners, shared, lifts);
    }
  }
}
