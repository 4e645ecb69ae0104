/**
 * Bounded min-heaps of (id, score) pairs in two flat typed arrays, one heap per `base` offset: the worst kept — the
 * lowest score, then the highest id — at its root, so the best of a stream stay. The one heap behind every top-n and
 * neighbour list, so ties break alike everywhere. Typed arrays, not objects: these run once per candidate in the
 * recommenders' hot loops.
 */
export interface ScoreHeaps {
  readonly ids: Int32Array;
  readonly scores: Float64Array;
  /** Add (id, score) as entry `size` of the heap at `base`, which has room for it, and restore the order. */
  push(base: number, size: number, id: number, score: number): void;
  /** Put (id, score) at the root of the full heap at `base` (`size` entries) in place of the worst, and restore the order. */
  replaceRoot(base: number, size: number, id: number, score: number): void;
  /** Empty the heap at `base` worst first into `ids`/`scores` from `start + size − 1` back, so they read best first. */
  drainBestFirst(base: number, size: number, ids: Int32Array, scores: Float64Array, start: number): void;
}

/** Room for `length` entries in all: one heap of n (base 0), or `count` heaps of n at `h · n`. */
export function scoreHeaps(length: number): ScoreHeaps {
  const ids = new Int32Array(length);
  const scores = new Float64Array(length);
  const worse = (a: number, b: number): boolean =>
    (scores[a] as number) < (scores[b] as number) || ((scores[a] as number) === (scores[b] as number) && (ids[a] as number) > (ids[b] as number));
  const swap = (a: number, b: number): void => {
    const id = ids[a] as number;
    const score = scores[a] as number;
    ids[a] = ids[b] as number;
    scores[a] = scores[b] as number;
    ids[b] = id;
    scores[b] = score;
  };
  const siftDown = (base: number, size: number): void => {
    for (let at = 0; ; ) {
      const left = 2 * at + 1;
      let worst = at;
      if (left < size && worse(base + left, base + worst)) worst = left;
      if (left + 1 < size && worse(base + left + 1, base + worst)) worst = left + 1;
      if (worst === at) return;
      swap(base + at, base + worst);
      at = worst;
    }
  };
  return {
    ids,
    scores,
    push(base, size, id, score) {
      ids[base + size] = id;
      scores[base + size] = score;
      for (let at = size; at > 0 && worse(base + at, base + ((at - 1) >> 1)); at = (at - 1) >> 1) swap(base + at, base + ((at - 1) >> 1));
    },
    replaceRoot(base, size, id, score) {
      ids[base] = id;
      scores[base] = score;
      siftDown(base, size);
    },
    drainBestFirst(base, size, outIds, outScores, start) {
      for (let last = size - 1; last >= 0; last--) {
        outIds[start + last] = ids[base] as number;
        outScores[start + last] = scores[base] as number;
        ids[base] = ids[base + last] as number;
        scores[base] = scores[base + last] as number;
        siftDown(base, last);
      }
    },
  };
}
