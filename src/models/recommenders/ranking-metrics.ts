/**
 * Offline evaluation of a top-N recommender for one customer: the ranked list it recommended (best first)
 * against the products the customer actually bought in the test period, cut at rank k.
 *
 * Conventions shared by every metric here (they follow ml_metrics' `apk`, see `averagePrecisionAtK`):
 * - the cut is the first k entries of `recommended`; a list shorter than k is not padded, but k stays the denominator of precision;
 * - a product repeated in the list counts once: only its first occurrence can be a hit, later copies still take up their rank;
 * - a customer with no relevant products scores 0 on every metric and `evaluate` leaves them out of the means.
 */

/** One customer's recommendations (best first) and the products they bought in the test period. */
export interface UserRanking {
  readonly recommended: readonly string[];
  readonly relevant: ReadonlySet<string>;
}

/** Means over the customers with at least one relevant product, plus catalogue coverage over all customers. */
export interface RankingEvaluation {
  readonly k: number;
  readonly precision: number;
  readonly recall: number;
  /** MAP@k: the mean of `averagePrecisionAtK`. */
  readonly meanAveragePrecision: number;
  readonly ndcg: number;
  readonly hitRate: number;
  readonly catalogueCoverage: number;
  /** Customers with a non-empty relevant set: the denominator of every mean above. */
  readonly usersEvaluated: number;
  /** Customers left out of the means because they bought nothing in the test period. */
  readonly usersSkipped: number;
}

function checkCutoff(k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
}

/**
 * Hit flags for ranks 1..min(k, |recommended|): `hits[i]` is true when rank i + 1 holds a relevant product
 * not already seen at a better rank.
 */
export function hitsAtK(recommended: readonly string[], relevant: ReadonlySet<string>, k: number): boolean[] {
  checkCutoff(k);
  const seen = new Set<string>();
  const hits: boolean[] = [];
  for (const item of recommended.slice(0, k)) {
    hits.push(relevant.has(item) && !seen.has(item));
    seen.add(item);
  }
  return hits;
}

const countHits = (hits: readonly boolean[]): number => hits.filter(Boolean).length;

/** Precision@k = |rec@k ∩ rel| / k, with k fixed even when fewer than k products were recommended. E.g. 2 hits in a top 5 → 0.4. */
export function precisionAtK(recommended: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  return countHits(hitsAtK(recommended, relevant, k)) / k;
}

/** Recall@k = |rec@k ∩ rel| / |rel|; 0 when the customer bought nothing. E.g. 2 of 3 purchases in the top k → 2/3. */
export function recallAtK(recommended: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  const hits = countHits(hitsAtK(recommended, relevant, k));
  return relevant.size === 0 ? 0 : hits / relevant.size;
}

/**
 * Average precision at k as ml_metrics' `apk` (Ben Hamner, the Kaggle MAP@k reference,
 * https://github.com/benhamner/Metrics/blob/master/Python/ml_metrics/average_precision.py):
 * AP@k = (1 / min(k, |rel|)) · Σ_{i=1..k} P@i · rel(i), where rel(i) = 1 when rank i is a (first-occurrence) hit.
 * One deviation: `apk` returns 1 for an empty relevant set; we return 0 and `evaluate` excludes such customers.
 * E.g. [a, b, c, d, e] against {a, c, f}: (1/1 + 2/3) / 3.
 */
export function averagePrecisionAtK(recommended: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  const hits = hitsAtK(recommended, relevant, k);
  if (relevant.size === 0) return 0;
  let hitsSoFar = 0;
  let sum = 0;
  hits.forEach((hit, index) => {
    if (!hit) return;
    hitsSoFar += 1;
    sum += hitsSoFar / (index + 1);
  });
  return sum / Math.min(k, relevant.size);
}

/**
 * NDCG@k with binary relevance (Järvelin & Kekäläinen 2002, "Cumulated gain-based evaluation of IR techniques"):
 * DCG@k = Σ_{i=1..k} rel(i) / log2(i + 1), divided by the DCG of an ideal list with min(k, |rel|) hits at the top.
 * 0 when the customer bought nothing. E.g. hits at ranks 1 and 3 of 3 relevant → (1 + 1/2) / (1 + 1/log2 3 + 1/2).
 */
export function ndcgAtK(recommended: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  const hits = hitsAtK(recommended, relevant, k);
  if (relevant.size === 0) return 0;
  let dcg = 0;
  hits.forEach((hit, index) => {
    if (hit) dcg += 1 / Math.log2(index + 2);
  });
  let idealDcg = 0;
  for (let index = 0; index < Math.min(k, relevant.size); index++) idealDcg += 1 / Math.log2(index + 2);
  return dcg / idealDcg;
}

/** Hit rate@k for one customer: 1 when any of the top k was bought, else 0. */
export function hitRateAtK(recommended: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  return hitsAtK(recommended, relevant, k).some(Boolean) ? 1 : 0;
}

/**
 * Catalogue coverage: |∪ rec@k over customers| / catalogue size — the share of products the recommender ever shows.
 * E.g. top-2 lists [a, b] and [b, c] over a catalogue of 10 → 3/10.
 */
export function catalogueCoverage(recommendedLists: readonly (readonly string[])[], k: number, catalogueSize: number): number {
  checkCutoff(k);
  if (!Number.isInteger(catalogueSize) || catalogueSize < 1) throw new RangeError(`catalogueSize must be a positive integer, got ${catalogueSize}`);
  const shown = new Set<string>();
  for (const recommended of recommendedLists) for (const item of recommended.slice(0, k)) shown.add(item);
  if (shown.size > catalogueSize) throw new RangeError(`${shown.size} distinct products recommended but catalogueSize is ${catalogueSize}`);
  return shown.size / catalogueSize;
}

/**
 * Evaluates a recommender over customers: precision, recall, MAP, NDCG and hit rate are means over the customers who
 * bought something in the test period (the others are counted in `usersSkipped`); coverage counts every customer's list.
 * E.g. `evaluate([{ recommended: ['a', 'b'], relevant: new Set(['b']) }], 2, 10).precision` → 0.5.
 */
export function evaluate(perUser: readonly UserRanking[], k: number, catalogueSize: number): RankingEvaluation {
  const coverage = catalogueCoverage(
    perUser.map((user) => user.recommended),
    k,
    catalogueSize,
  );
  const evaluated = perUser.filter((user) => user.relevant.size > 0);
  if (evaluated.length === 0) throw new RangeError(`no customer bought anything in the test period (${perUser.length} customers given)`);
  const mean = (metric: (recommended: readonly string[], relevant: ReadonlySet<string>, k: number) => number): number =>
    evaluated.reduce((sum, user) => sum + metric(user.recommended, user.relevant, k), 0) / evaluated.length;
  return {
    k,
    precision: mean(precisionAtK),
    recall: mean(recallAtK),
    meanAveragePrecision: mean(averagePrecisionAtK),
    ndcg: mean(ndcgAtK),
    hitRate: mean(hitRateAtK),
    catalogueCoverage: coverage,
    usersEvaluated: evaluated.length,
    usersSkipped: perUser.length - evaluated.length,
  };
}
