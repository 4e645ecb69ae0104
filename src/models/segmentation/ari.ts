/** Cross-tabulation of two labelings: `counts[i * classesB.length + j]` rows carry label classesA[i] and classesB[j]. */
export interface Contingency {
  readonly classesA: number[];
  readonly classesB: number[];
  readonly counts: Int32Array;
  /** Row sums (size of each class of A) and column sums (of B). */
  readonly sumsA: Int32Array;
  readonly sumsB: Int32Array;
}

/** Contingency table of two labelings of the same rows; classes listed in ascending order. */
export function contingencyTable(labelsA: ArrayLike<number>, labelsB: ArrayLike<number>): Contingency {
  if (labelsA.length !== labelsB.length) throw new RangeError(`labelings differ in length: ${labelsA.length} vs ${labelsB.length}`);
  const classesA = [...new Set(Array.from(labelsA))].sort((a, b) => a - b);
  const classesB = [...new Set(Array.from(labelsB))].sort((a, b) => a - b);
  const indexA = new Map(classesA.map((label, index) => [label, index]));
  const indexB = new Map(classesB.map((label, index) => [label, index]));
  const counts = new Int32Array(classesA.length * classesB.length);
  const sumsA = new Int32Array(classesA.length);
  const sumsB = new Int32Array(classesB.length);
  for (let row = 0; row < labelsA.length; row++) {
    const i = indexA.get(labelsA[row] as number) as number;
    const j = indexB.get(labelsB[row] as number) as number;
    counts[i * classesB.length + j] = (counts[i * classesB.length + j] as number) + 1;
    sumsA[i] = (sumsA[i] as number) + 1;
    sumsB[j] = (sumsB[j] as number) + 1;
  }
  return { classesA, classesB, counts, sumsA, sumsB };
}

const pairs = (count: number): number => (count * (count - 1)) / 2;

/**
 * Adjusted Rand index (Hubert & Arabie 1985, "Comparing partitions"):
 * ARI = (Σᵢⱼ C(nᵢⱼ,2) − E) / (½[Σᵢ C(aᵢ,2) + Σⱼ C(bⱼ,2)] − E), E = Σᵢ C(aᵢ,2)·Σⱼ C(bⱼ,2) / C(n,2).
 * 1 for the same partition up to renaming, ≈ 0 for chance; 1 when both are one cluster or all singletons (as scikit-learn).
 */
export function adjustedRandIndex(labelsA: ArrayLike<number>, labelsB: ArrayLike<number>): number {
  const { counts, sumsA, sumsB } = contingencyTable(labelsA, labelsB);
  let index = 0;
  for (const count of counts) index += pairs(count);
  let pairsA = 0;
  for (const size of sumsA) pairsA += pairs(size);
  let pairsB = 0;
  for (const size of sumsB) pairsB += pairs(size);
  const totalPairs = pairs(labelsA.length);
  const expected = totalPairs > 0 ? (pairsA * pairsB) / totalPairs : 0;
  const maximum = (pairsA + pairsB) / 2;
  if (maximum === expected) return 1;
  return (index - expected) / (maximum - expected);
}
