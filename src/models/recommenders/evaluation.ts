/**
 * Offline evaluation of top-N recommenders: split the invoice lines into a training and a test period, train every
 * recommender on the training lines only, and score its top k for each customer against what they bought in the test.
 */
import { Rng, sortedDistinct } from '../kit/random.ts';
import { compareText } from '../baskets/basket.ts';
import { type InteractionRows, type InteractionValue, type Interactions, type Recommender, buildInteractions, rowOf, topN } from '../baskets/interactions.ts';
import { Progress, type RunControl } from '../kit/progress.ts';
import { type UserRanking, evaluate } from './ranking-metrics.ts';

/** Parallel columns, one entry per invoice line. */
export interface EvaluationRows extends InteractionRows {
  /** Invoice id of the line. */
  readonly baskets: readonly (string | null)[];
  /** Invoice time, epoch milliseconds. */
  readonly times: ArrayLike<number>;
}

/** Which lines (indices into the rows, ascending) train the recommenders and which test them. */
export interface RowSplit {
  /** Names the split in result tables: `time split at 2011-10-20`, `last basket`. */
  readonly label: string;
  readonly train: Int32Array;
  readonly test: Int32Array;
}

function checkRows(rows: EvaluationRows): void {
  const n = rows.customers.length;
  const columns: [string, { length: number } | undefined][] = [['products', rows.products], ['baskets', rows.baskets], ['times', rows.times], ['values', rows.values]];
  for (const [name, column] of columns) {
    if (column !== undefined && column.length !== n) throw new RangeError(`${name} must have one entry per line (${n}), got ${column.length}`);
  }
}

/** `2011-10-20` at midnight UTC, else `2011-10-20 12:30` (seconds and milliseconds only when not zero). */
function formatInstant(ms: number): string {
  if (!(Math.abs(ms) <= 8.64e15)) return String(ms);
  const iso = new Date(ms).toISOString();
  if (iso.endsWith('T00:00:00.000Z')) return iso.slice(0, 10);
  return iso.replace('T', ' ').replace(/\.000Z$/, '').replace(/Z$/, '').replace(/^(.{16}):00$/, '$1');
}

/** Lines before `cutoff` (epoch ms) train, lines at or after it test; lines without a finite time are left out of both. */
export function timeSplit(rows: EvaluationRows, cutoff: number): RowSplit {
  checkRows(rows);
  if (!Number.isFinite(cutoff)) throw new RangeError(`cutoff must be a finite time in epoch ms, got ${cutoff}`);
  const train: number[] = [];
  const test: number[] = [];
  for (let row = 0; row < rows.times.length; row++) {
    const time = rows.times[row] as number;
    if (time < cutoff) train.push(row);
    else if (time >= cutoff && Number.isFinite(time)) test.push(row);
  }
  return { label: `time split at ${formatInstant(cutoff)}`, train: Int32Array.from(train), test: Int32Array.from(test) };
}

/**
 * The cutoff that puts the last `testShare` of lines (by time, non-finite times ignored) in the test period: the time of
 * the line at position n − round(testShare · n) in time order. Lines sharing that time all go to test, so the test share
 * can exceed `testShare` by one invoice's lines. `defaultCutoff(rows.times)` → the last 20%.
 */
export function defaultCutoff(times: ArrayLike<number>, testShare = 0.2): number {
  if (!(testShare > 0 && testShare < 1)) throw new RangeError(`testShare must be between 0 and 1 (exclusive), got ${testShare}`);
  const sorted = Float64Array.from(times).filter(Number.isFinite).sort();
  if (sorted.length < 2) throw new RangeError(`a time split needs at least 2 lines with a time, got ${sorted.length}`);
  const testLines = Math.min(sorted.length - 1, Math.max(1, Math.round(testShare * sorted.length)));
  return sorted[sorted.length - testLines] as number;
}

/**
 * Leave-last-basket-out: for each customer with at least 2 baskets, the lines of their latest basket test and the rest
 * train; customers with a single basket train only. A basket's time is the latest time among its lines; equal times go
 * to the basket id that sorts last (code-unit order). Lines without a customer, a basket or a finite time are left out.
 * Unlike `timeSplit`, test lines of one customer may predate training lines of another.
 */
export function lastBasketSplit(rows: EvaluationRows): RowSplit {
  checkRows(rows);
  const { customers, baskets, times } = rows;
  const basketTimes = new Map<string, Map<string, number>>();
  const placed = (row: number): boolean => customers[row] != null && baskets[row] != null && Number.isFinite(times[row]);
  for (let row = 0; row < customers.length; row++) {
    if (!placed(row)) continue;
    const customer = customers[row] as string;
    const basket = baskets[row] as string;
    const time = times[row] as number;
    let own = basketTimes.get(customer);
    if (own === undefined) basketTimes.set(customer, (own = new Map()));
    own.set(basket, Math.max(own.get(basket) ?? -Infinity, time));
  }
  const lastBasket = new Map<string, string>();
  for (const [customer, own] of basketTimes) {
    if (own.size < 2) continue;
    let last: [string, number] | undefined;
    for (const [basket, time] of own) if (last === undefined || time > last[1] || (time === last[1] && compareText(basket, last[0]) > 0)) last = [basket, time];
    lastBasket.set(customer, (last as [string, number])[0]);
  }
  const train: number[] = [];
  const test: number[] = [];
  for (let row = 0; row < customers.length; row++) {
    if (!placed(row)) continue;
    (lastBasket.get(customers[row] as string) === baskets[row] ? test : train).push(row);
  }
  return { label: 'last basket', train: Int32Array.from(train), test: Int32Array.from(test) };
}

function selectRows(rows: EvaluationRows, indices: Int32Array): InteractionRows {
  const { customers, products, values } = rows;
  for (const row of indices) if (!(row >= 0 && row < customers.length)) throw new RangeError(`split refers to line ${row}, but there are ${customers.length} lines`);
  const selected = { customers: Array.from(indices, (row) => customers[row] ?? null), products: Array.from(indices, (row) => products[row] ?? null) };
  return values === undefined ? selected : { ...selected, values: Float64Array.from(indices, (row) => values[row] as number) };
}

/** What a recommender is trained and judged on. */
export interface EvaluationSet {
  /** Built from the training lines only; its customers and products are those seen in training. */
  readonly train: Interactions;
  /** Training customers who bought any training product in the test period. */
  readonly testCustomers: number;
  /** Customers (indices into `train.users`, ascending) who bought a product in the test period that they had not bought in training. */
  readonly users: Int32Array;
  /** Parallel to `users`: those new products (indices into `train.items`, ascending) — the relevant set. */
  readonly relevant: readonly Int32Array[];
}

/**
 * Training interactions and each customer's relevant set. Relevant = products bought in the test period that are in the
 * training catalogue and that the customer had NOT bought in training: `recommend` never shows already-bought products,
 * so counting repeat purchases would cap every recommender's recall below 1 by an amount that depends on the customer,
 * not the model. Test lines are summed as the training ones (`value`), so a product returned in full is not relevant.
 */
export function evaluationSet(rows: EvaluationRows, split: RowSplit, value: InteractionValue = 'binary'): EvaluationSet {
  checkRows(rows);
  const train = buildInteractions(selectRows(rows, split.train), value);
  const test = buildInteractions(selectRows(rows, split.test), value, { users: train.users, items: train.items });
  const users: number[] = [];
  const relevant: Int32Array[] = [];
  let testCustomers = 0;
  for (let user = 0; user < train.users.length; user++) {
    const bought = rowOf(test.byUser, user).indices;
    if (bought.length === 0) continue;
    testCustomers++;
    const before = new Set(rowOf(train.byUser, user).indices);
    const fresh = bought.filter((item) => !before.has(item));
    if (fresh.length === 0) continue;
    users.push(user);
    relevant.push(fresh);
  }
  return { train, testCustomers, users: Int32Array.from(users), relevant };
}

/** A recommender to evaluate: trained afresh on each split's training interactions. */
export interface RecommenderFactory {
  readonly name: string;
  fit(train: Interactions, control: RunControl): Recommender;
}

export interface EvaluationOptions extends RunControl {
  /** Length of each recommended list. Default 10. */
  readonly k?: number;
  /** How lines become interactions, for training and for the test purchases. Default `'binary'`. */
  readonly value?: InteractionValue;
  /**
   * Score at most this many customers, a uniform sample without replacement drawn with `seed`; the same customers for
   * every recommender, so their metrics stay comparable. Default: all.
   */
  readonly maxUsers?: number;
  /** Seed of the `maxUsers` sample. Default 0. */
  readonly seed?: number;
}

/** One row of the results table. Means are over `users_evaluated` customers (see `evaluate` in ranking-metrics). */
export interface RecommenderEvaluation {
  readonly recommender: string;
  readonly split: string;
  readonly k: number;
  readonly precision: number;
  readonly recall: number;
  readonly map: number;
  readonly ndcg: number;
  readonly hit_rate: number;
  /** Distinct products shown in any evaluated customer's top k / training catalogue size. */
  readonly coverage: number;
  readonly users_evaluated: number;
  /** Training customers who bought anything (from the training catalogue) in the test period. */
  readonly test_customers: number;
  /** Of those, the ones who bought a product new to them: the pool `maxUsers` samples from. */
  readonly test_customers_with_new_products: number;
  readonly catalogue_size: number;
}

/** Share of the progress bar for building the interactions, then for fitting each recommender (the rest scores customers). */
const SETUP_SHARE = 0.05;
const FITTED_AT = 0.7;

/**
 * Trains each recommender on `split.train` and scores its top k (already-bought products excluded, as `recommend` does)
 * for every customer with new test purchases: `evaluateRecommenders(rows, timeSplit(rows, defaultCutoff(rows.times)),
 * [{ name: 'Popularity', fit: popularityRecommender }], { k: 10 })`. Only training lines reach `fit`. Cancellable;
 * progress covers fit and scoring of each recommender in turn.
 */
export function evaluateRecommenders(rows: EvaluationRows, split: RowSplit, recommenders: readonly RecommenderFactory[], options: EvaluationOptions = {}): RecommenderEvaluation[] {
  const { k = 10, value = 'binary', maxUsers, seed = 0 } = options;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  if (maxUsers !== undefined && !(Number.isInteger(maxUsers) && maxUsers >= 1)) throw new RangeError(`maxUsers must be a positive integer, got ${maxUsers}`);
  const progress = new Progress(options, 'Recommender evaluation');
  progress.checkpoint(0);
  const set = evaluationSet(rows, split, value);
  const { train } = set;
  if (set.users.length === 0) {
    throw new RangeError(`no training customer bought a product new to them in the test period of the ${split.label} (${set.testCustomers} test customers, ${split.test.length} test lines)`);
  }
  const sample = maxUsers === undefined || maxUsers >= set.users.length ? null : sortedDistinct(new Rng(seed, 'evaluation users'), maxUsers, 0, set.users.length);
  const positions = sample ?? Array.from(set.users, (_, position) => position);
  const relevantIds = positions.map((position) => new Set(Array.from(set.relevant[position] as Int32Array, (item) => train.items[item] as string)));
  const itemCount = train.items.length;
  const scores = new Float64Array(itemCount);
  // boughtBy[item] === user marks the current customer's training purchases without allocating a Set per customer.
  const boughtBy = new Int32Array(itemCount).fill(-1);
  progress.checkpoint(SETUP_SHARE);

  const fitSpan = (FITTED_AT - SETUP_SHARE) / recommenders.length;
  const fitted = recommenders.map((factory, r) => {
    const recommender = factory.fit(train, progress.slice(SETUP_SHARE + r * fitSpan, SETUP_SHARE + (r + 1) * fitSpan));
    progress.checkpoint(SETUP_SHARE + (r + 1) * fitSpan); // a cancel is seen before the next fit starts
    return recommender;
  });
  // Customer by customer, every recommender in turn: a hybrid then reuses the scores its parts just computed.
  const rankings: UserRanking[][] = recommenders.map(() => []);
  positions.forEach((position, done) => {
    progress.checkpoint(FITTED_AT + ((1 - FITTED_AT) * done) / positions.length);
    const user = set.users[position] as number;
    for (const item of rowOf(train.byUser, user).indices) boughtBy[item] = user;
    fitted.forEach((recommender, r) => {
      // `recommend` would also build k explanations per customer; score + topN ranks and excludes exactly as it does.
      recommender.score(user, scores);
      const top = topN(scores, k, (item) => boughtBy[item] === user);
      rankings[r]!.push({ recommended: top.map(({ item }) => train.items[item] as string), relevant: relevantIds[done] as Set<string> });
    });
  });

  const results = recommenders.map((factory, r): RecommenderEvaluation => {
    const perUser = rankings[r]!;
    const metrics = evaluate(perUser, k, itemCount);
    return {
      recommender: factory.name,
      split: split.label,
      k,
      precision: metrics.precision,
      recall: metrics.recall,
      map: metrics.meanAveragePrecision,
      ndcg: metrics.ndcg,
      hit_rate: metrics.hitRate,
      coverage: metrics.catalogueCoverage,
      users_evaluated: metrics.usersEvaluated,
      test_customers: set.testCustomers,
      test_customers_with_new_products: set.users.length,
      catalogue_size: itemCount,
    };
  });
  progress.finish();
  return results;
}
