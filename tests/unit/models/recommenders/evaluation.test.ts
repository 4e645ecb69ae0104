import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/models/kit/random.ts';
import { contentRecommender } from '../../../../src/models/recommenders/content.ts';
import {
  type EvaluationRows,
  type RecommenderFactory,
  defaultCutoff,
  evaluateRecommenders,
  evaluationSet,
  lastBasketSplit,
  timeSplit,
} from '../../../../src/models/recommenders/evaluation.ts';
import { type Interactions, type Recommender, recommend, rowOf } from '../../../../src/models/baskets/interactions.ts';
import { popularityRecommender } from '../../../../src/models/recommenders/popularity.ts';
import type { RunControl } from '../../../../src/models/kit/progress.ts';
import { evaluate } from '../../../../src/models/recommenders/ranking-metrics.ts';
import { abortedSignal, progressRecorder } from '../segmentation/segmentation-fixtures.ts';

const DAY = 86_400_000;

/** Rows from `[customer, product, basket, day]` lines. */
function rowsOf(lines: readonly (readonly [string | null, string | null, string | null, number])[]): EvaluationRows {
  return {
    customers: lines.map((line) => line[0]),
    products: lines.map((line) => line[1]),
    baskets: lines.map((line) => line[2]),
    times: Float64Array.from(lines, (line) => line[3] * DAY),
  };
}

// Training period (before day 10), then the test period.
const tiny = rowsOf([
  ['alice', 'p1', 'A1', 1],
  ['alice', 'p2', 'A1', 1],
  ['bob', 'p1', 'B1', 2],
  ['bob', 'p3', 'B1', 2],
  ['carol', 'p2', 'C1', 3],
  ['carol', 'p5', 'C1', 3],
  ['dave', 'p1', 'D1', 4],
  ['dave', 'p4', 'D1', 4],
  ['alice', 'p3', 'A2', 11], // new to alice: relevant
  ['alice', 'p1', 'A2', 11], // bought in training: not relevant
  ['bob', 'p2', 'B2', 12],
  ['bob', 'p4', 'B2', 12],
  ['carol', 'p2', 'C2', 13], // carol only repeats: a test customer with nothing new
  ['eve', 'p1', 'E1', 14], // eve has no training history: not evaluated
  ['dave', 'p6', 'D2', 15], // p6 is not in the training catalogue: dave is not a test customer
]);
const tinySplit = timeSplit(tiny, 10 * DAY);

/** The same scores for everyone, by product id: p1 5, p2 1, p3 3, p4 2, p5 4. */
const fixedOrder: RecommenderFactory = {
  name: 'fixed',
  fit(train) {
    const byId: Record<string, number> = { p1: 5, p2: 1, p3: 3, p4: 2, p5: 4 };
    return { name: 'fixed', score: (_user, out) => train.items.forEach((id, item) => (out[item] = byId[id] ?? 0)), explain: () => 'fixed' };
  },
};

describe('timeSplit and defaultCutoff', () => {
  it('puts lines before the cutoff in train and the rest in test, leaving out lines without a time', () => {
    const rows = rowsOf([
      ['a', 'p', 'b1', 1],
      ['a', 'p', 'b2', 10],
      ['a', 'p', 'b3', Number.NaN],
      ['a', 'p', 'b4', 12],
    ]);
    const split = timeSplit(rows, 10 * DAY);
    expect(Array.from(split.train)).toEqual([0]);
    expect(Array.from(split.test)).toEqual([1, 3]);
    expect(split.label).toBe('time split at 1970-01-11');
    expect(timeSplit(rows, 10.5 * DAY).label).toBe('time split at 1970-01-11 12:00');
    expect(() => timeSplit(rows, Number.NaN)).toThrow(/cutoff must be a finite time in epoch ms, got NaN/);
  });

  it('chooses the cutoff that leaves the last share of lines for test', () => {
    // 10 lines, 20% → the last 2: the cutoff is the 9th time.
    expect(defaultCutoff(Float64Array.from([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]))).toBe(9);
    // Ties at the cutoff all go to test: 5 lines, 1 for test → cutoff 3, and the three lines at 3 are test.
    expect(defaultCutoff([1, 2, 3, 3, 3])).toBe(3);
    // Non-finite times are ignored; 30% of 4 rounds to 1 line.
    expect(defaultCutoff([4, Number.NaN, 1, 2, 3], 0.3)).toBe(4);
    expect(() => defaultCutoff([1, 2], 1)).toThrow(/testShare must be between 0 and 1 \(exclusive\), got 1/);
    expect(() => defaultCutoff([1, Number.NaN])).toThrow(/at least 2 lines with a time, got 1/);
  });
});

describe('lastBasketSplit', () => {
  it('moves each repeat customer’s latest basket to test; single-basket customers stay in train', () => {
    const rows = rowsOf([
      ['ann', 'p1', 'X1', 1],
      ['ann', 'p2', 'X2', 5],
      ['ann', 'p3', 'X2', 5],
      ['ann', 'p4', 'X3', 3],
      ['bob', 'p1', 'Y1', 9], // bob's only basket
      // cy's two baskets share a time: 'B7' sorts after 'B10' in code-unit order ('7' > '1'), so B7 is the latest.
      ['cy', 'p1', 'B10', 4],
      ['cy', 'p2', 'B7', 4],
      // dee's D1 has a line at day 8, so its time is 8, later than D2 at day 6.
      ['dee', 'p1', 'D1', 2],
      ['dee', 'p2', 'D1', 8],
      ['dee', 'p3', 'D2', 6],
      [null, 'p1', 'Z', 1], // no customer: left out
    ]);
    const split = lastBasketSplit(rows);
    expect(split.label).toBe('last basket');
    expect(Array.from(split.test)).toEqual([1, 2, 6, 7, 8]);
    expect(Array.from(split.train)).toEqual([0, 3, 4, 5, 9]);
  });

  it('agrees with a brute-force restatement on random baskets (leakage check c)', () => {
    const rows = randomRows(7);
    const split = lastBasketSplit(rows);
    const test = new Set(split.test);
    const train = new Set(split.train);
    const customers = [...new Set(rows.customers)] as string[];
    for (const customer of customers) {
      const own = rows.customers.flatMap((c, row) => (c === customer ? [row] : []));
      const basketTime = new Map<string, number>();
      for (const row of own) basketTime.set(rows.baskets[row] as string, Math.max(basketTime.get(rows.baskets[row] as string) ?? -Infinity, rows.times[row] as number));
      const ordered = [...basketTime].sort((x, y) => x[1] - y[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
      const last = ordered.at(-1)?.[0];
      for (const row of own) {
        const inLast = basketTime.size >= 2 && rows.baskets[row] === last;
        expect(test.has(row), `${customer} line ${row}`).toBe(inLast);
        expect(train.has(row), `${customer} line ${row}`).toBe(!inLast);
      }
    }
  });
});

describe('evaluationSet', () => {
  it('trains on training lines only and keeps new, catalogued test purchases as relevant', () => {
    const set = evaluationSet(tiny, tinySplit);
    expect(set.train.users).toEqual(['alice', 'bob', 'carol', 'dave']);
    expect(set.train.items).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
    // alice, bob and carol bought catalogued products in the test; dave only p6, eve is unknown.
    expect(set.testCustomers).toBe(3);
    expect(Array.from(set.users)).toEqual([0, 1]);
    expect(set.relevant.map((items) => Array.from(items, (item) => set.train.items[item]))).toEqual([['p3'], ['p2', 'p4']]);
  });
});

describe('evaluateRecommenders', () => {
  it('matches hand-computed metrics for a fixed ranking', () => {
    // Scores p1 5 > p5 4 > p3 3 > p4 2 > p2 1, k = 2, training purchases removed:
    // alice (had p1, p2) → [p5, p3], relevant {p3}: hit at rank 2.
    //   P = 1/2, R = 1/1, AP = (1/2) / min(2, 1) = 1/2, NDCG = (1/log2 3) / 1, hit 1.
    // bob (had p1, p3) → [p5, p4], relevant {p2, p4}: hit at rank 2.
    //   P = 1/2, R = 1/2, AP = (1/2) / min(2, 2) = 1/4, NDCG = (1/log2 3) / (1 + 1/log2 3), hit 1.
    // Means: P = 1/2, R = 3/4, MAP = 3/8; coverage {p5, p3, p4} = 3 of 5.
    const [row] = evaluateRecommenders(tiny, tinySplit, [fixedOrder], { k: 2 });
    const inverseLog3 = 1 / Math.log2(3);
    expect(row).toEqual({
      recommender: 'fixed',
      split: 'time split at 1970-01-11',
      k: 2,
      precision: 0.5,
      recall: 0.75,
      map: 0.375,
      ndcg: expect.closeTo((inverseLog3 + inverseLog3 / (1 + inverseLog3)) / 2, 14),
      hit_rate: 1,
      coverage: 0.6,
      users_evaluated: 2,
      test_customers: 3,
      test_customers_with_new_products: 2,
      catalogue_size: 5,
    });
  });

  it('ranks as `recommend` does (already-bought products removed, ties by index)', () => {
    const rows = randomRows(3);
    const split = timeSplit(rows, defaultCutoff(rows.times));
    const set = evaluationSet(rows, split);
    const popularity = popularityRecommender(set.train);
    const expected = evaluate(
      Array.from(set.users, (user, position) => ({
        recommended: recommend(popularity, set.train, user, 5).map(({ item }) => set.train.items[item] as string),
        relevant: new Set(Array.from(set.relevant[position] as Int32Array, (item) => set.train.items[item] as string)),
      })),
      5,
      set.train.items.length,
    );
    const [row] = evaluateRecommenders(rows, split, [{ name: 'Popularity', fit: popularityRecommender }], { k: 5 });
    expect(row).toMatchObject({ precision: expected.precision, recall: expected.recall, map: expected.meanAveragePrecision, ndcg: expected.ndcg, coverage: expected.catalogueCoverage });
  });

  it('samples at most maxUsers customers, the same ones for every recommender', () => {
    const seen: number[][] = [];
    const spyUsers = (name: string): RecommenderFactory => ({
      name,
      fit: (train) => {
        const users: number[] = [];
        seen.push(users);
        return { name, score: (user, out) => (users.push(user), fixedOrder.fit(train, {}).score(user, out)), explain: () => '' };
      },
    });
    const rows = evaluateRecommenders(tiny, tinySplit, [spyUsers('one'), spyUsers('two')], { k: 2, maxUsers: 1, seed: 5 });
    expect(rows.map((row) => row.users_evaluated)).toEqual([1, 1]);
    expect(rows[0]?.test_customers_with_new_products).toBe(2);
    expect(seen[0]).toHaveLength(1);
    expect(seen[1]).toEqual(seen[0]);
    expect(evaluateRecommenders(tiny, tinySplit, [spyUsers('three')], { k: 2, maxUsers: 1, seed: 5 })).toEqual([{ ...rows[0], recommender: 'three' }]);
  });

  it('refuses a test period with nothing new to recommend, and bad options', () => {
    const onlyTrain = timeSplit(tiny, 100 * DAY);
    expect(() => evaluateRecommenders(tiny, onlyTrain, [fixedOrder])).toThrow(/no training customer bought a product new to them .* \(0 test customers, 0 test lines\)/);
    expect(() => evaluateRecommenders(tiny, tinySplit, [fixedOrder], { k: 0 })).toThrow(/k must be a positive integer, got 0/);
    expect(() => evaluateRecommenders(tiny, tinySplit, [fixedOrder], { maxUsers: 0 })).toThrow(/maxUsers must be a positive integer, got 0/);
    expect(() => evaluateRecommenders({ ...tiny, times: new Float64Array(2) }, tinySplit, [fixedOrder])).toThrow(/times must have one entry per line \(15\), got 2/);
  });

  it('fits every recommender first, then scores customer by customer with each recommender in turn', () => {
    const calls: string[] = [];
    const logged = (name: string): RecommenderFactory => ({
      name,
      fit(train, control) {
        calls.push(`fit ${name}`);
        const inner = fixedOrder.fit(train, control);
        return { ...inner, score: (user, out) => (calls.push(`${name} ${train.users[user]}`), inner.score(user, out)) };
      },
    });
    const rows = evaluateRecommenders(tiny, tinySplit, [logged('a'), logged('b')], { k: 2 });
    // So a hybrid scored after its parts finds their scores for this customer still at hand (recommenderFactories).
    expect(calls).toEqual(['fit a', 'fit b', 'a alice', 'b alice', 'a bob', 'b bob']);
    expect(rows.map((row) => [row.recommender, row.map])).toEqual([['a', 0.375], ['b', 0.375]]);
  });

  it('reports progress to 1 and stops when cancelled, also between recommenders', () => {
    const recorder = progressRecorder();
    evaluateRecommenders(tiny, tinySplit, [fixedOrder, fixedOrder], { k: 2, onProgress: recorder.onProgress });
    recorder.check();
    expect(() => evaluateRecommenders(tiny, tinySplit, [fixedOrder], { signal: abortedSignal() })).toThrow(expect.objectContaining({ name: 'AbortError' }));
    const controller = new AbortController();
    let secondFitted = false;
    const cancelling: RecommenderFactory = { name: 'cancelling', fit: (train, control) => (controller.abort(), fixedOrder.fit(train, control)) };
    const second: RecommenderFactory = { name: 'second', fit: (train, control) => ((secondFitted = true), fixedOrder.fit(train, control)) };
    expect(() => evaluateRecommenders(tiny, tinySplit, [cancelling, second], { signal: controller.signal })).toThrow(expect.objectContaining({ name: 'AbortError' }));
    expect(secondFitted).toBe(false);
  });
});

describe('no leakage from the test period', () => {
  it('(a) fit sees exactly the (customer, product) pairs of lines before the cutoff', () => {
    const rows = randomRows(11);
    const cutoff = defaultCutoff(rows.times);
    const { factory, records } = recording('spy', popularityRecommender);
    evaluateRecommenders(rows, timeSplit(rows, cutoff), [factory]);
    const [record] = records;
    const beforeCutoff = (row: number): boolean => (rows.times[row] as number) < cutoff;
    const expected = new Set(rows.customers.flatMap((customer, row) => (beforeCutoff(row) ? [`${customer}|${rows.products[row]}`] : [])));
    expect(new Set(pairsOf(record!.train))).toEqual(expected);
    expect(record!.train.users).toEqual([...new Set(rows.customers.filter((_, row) => beforeCutoff(row)))].sort());
    // Some pairs exist only in the test period, so the check above is not vacuous.
    const all = new Set(rows.customers.map((customer, row) => `${customer}|${rows.products[row]}`));
    expect(all.size).toBeGreaterThan(expected.size);
  });

  it('(a) with the last-basket split, fit never sees a line of a customer’s last basket', () => {
    const rows = randomRows(13);
    const split = lastBasketSplit(rows);
    const { factory, records } = recording('spy', popularityRecommender);
    evaluateRecommenders(rows, split, [factory]);
    const trainPairs = new Set([...split.train].map((row) => `${rows.customers[row]}|${rows.products[row]}`));
    expect(new Set(pairsOf(records[0]!.train))).toEqual(trainPairs);
  });

  it('(b) changing, shuffling or adding test-period lines leaves every trained recommender’s scores unchanged', () => {
    const rows = randomRows(17);
    const cutoff = defaultCutoff(rows.times);
    const run = (variant: EvaluationRows) => {
      const popularity = recording('Popularity', popularityRecommender);
      const content = recording('Content', (train, control) => contentRecommender(train, { ...control, descriptions: train.items.map(descriptionOf) }));
      evaluateRecommenders(variant, timeSplit(variant, cutoff), [popularity.factory, content.factory], { k: 5 });
      return [...popularity.records, ...content.records];
    };
    const baseline = run(rows);

    const rng = new Rng(99, 'variants');
    const lines = Array.from(rows.customers, (customer, row) => [customer, rows.products[row] ?? null, rows.baskets[row] ?? null, (rows.times[row] as number) / DAY] as const);
    const isTest = (line: (typeof lines)[number]): boolean => line[3] * DAY >= cutoff;
    const changed = lines.map((line) => (isTest(line) ? ([line[0], `p${rng.integer(0, 29)}`, line[2], line[3]] as const) : line));
    const added = [
      ...lines,
      ['newcomer', 'p1', 'N1', cutoff / DAY + 1] as const,
      ...lines.filter(isTest).map((line) => [line[0], 'brand-new', 'extra', line[3]] as const),
    ];
    for (const variant of [changed, rng.shuffle([...lines]), rng.shuffle(added)]) {
      const records = run(rowsOf(variant));
      expect(records.map((record) => record.scores)).toEqual(baseline.map((record) => record.scores));
      expect(records.map((record) => pairsOf(record.train))).toEqual(baseline.map((record) => pairsOf(record.train)));
    }
  });
});

/** A factory that fits with `fit` and records the training interactions and every customer's scores. */
function recording(name: string, fit: (train: Interactions, control: RunControl) => Recommender) {
  const records: { train: Interactions; scores: number[][] }[] = [];
  const factory: RecommenderFactory = {
    name,
    fit(train, control) {
      const recommender = fit(train, control);
      const out = new Float64Array(train.items.length);
      const scores = train.users.map((_, user) => (recommender.score(user, out), Array.from(out)));
      records.push({ train, scores });
      return recommender;
    },
  };
  return { factory, records };
}

const pairsOf = (interactions: Interactions): string[] =>
  interactions.users.flatMap((customer, user) => Array.from(rowOf(interactions.byUser, user).indices, (item) => `${customer}|${interactions.items[item]}`));

const WORDS = ['heart', 'white', 'red', 'lantern', 'mug', 'bag', 'retrospot', 'cake', 'tin', 'candle'];
/** A description made of 2–3 words picked by the product number. */
function descriptionOf(id: string): string {
  const n = Number(id.slice(1)) || 0;
  return [WORDS[n % 10], WORDS[(n * 3 + 1) % 10], n % 2 === 0 ? WORDS[(n * 7 + 2) % 10] : ''].join(' ').toUpperCase();
}

/** 40 customers with 1–5 baskets each over 100 days, 30 products, a few repeat purchases. */
function randomRows(seed: number): EvaluationRows {
  const rng = new Rng(seed, 'evaluation rows');
  const lines: [string, string, string, number][] = [];
  for (let customer = 0; customer < 40; customer++) {
    const baskets = rng.integer(1, 5);
    for (let basket = 0; basket < baskets; basket++) {
      const day = rng.integer(0, 99);
      const size = rng.integer(1, 4);
      for (let line = 0; line < size; line++) lines.push([`c${customer}`, `p${Math.min(29, rng.geometric(8))}`, `c${customer}-b${basket}`, day]);
    }
  }
  return rowsOf(lines);
}
