import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/models/kit/random.ts';
import { type SparseMatrix, buildInteractions, fromTriples, transpose } from '../../../../src/models/baskets/interactions.ts';
import { scoreAll, transposeFactors } from '../../../../src/models/recommenders/factor-scores.ts';
import { wasmFactorScorer } from '../../../../src/models/recommenders/dense-wasm.ts';
import { trainPureSvd } from '../../../../src/models/recommenders/pure-svd.ts';
import { type Ratings, crossValidateSvd, trainSvd } from '../../../../src/models/recommenders/svd.ts';
import { symmetricEigen } from '../../../../src/models/kit/eigen.ts';
import { axpy, dotAt } from '../../../../src/models/kit/vector.ts';
import { loadNodeKernels } from '../../../../src/workers/node-kernels.ts';
import { expectSameBits } from '../../helpers/bits.ts';
import { unloadAlsKernel } from '../../../../src/models/recommenders/als-wasm.ts';
import { alsContributions, alsRecommender, trainAls } from '../../../../src/models/recommenders/als.ts';

function randomMatrix(seed: number, rows: number, cols: number, density: number): { byUser: SparseMatrix; byItem: SparseMatrix } {
  const rng = new Rng(seed, 'dense kernels');
  const triples: [number, number, number][] = [];
  for (let r = 0; r < rows; r++) {
    if (r % 5 === 2) continue; // an empty row
    for (let c = 0; c < cols; c++) if (rng.chance(density)) triples.push([r, c, rng.integer(1, 4) * 0.75]);
  }
  const byUser = fromTriples(rows, cols, triples);
  return { byUser, byItem: transpose(byUser) };
}

/**
 * PureSVD as it was written before its loops were inlined and moved to the kernel (`axpy` and `dotAt` calls on views),
 * so both kernels are held to the bits of the original.
 */
function referencePureSvd(byUser: SparseMatrix, byItem: SparseMatrix, factors: number, seed: number): { itemFactors: Float64Array; singularValues: Float64Array } {
  const items = byUser.cols;
  const f = Math.min(factors, items, byUser.rows);
  const l = Math.min(items, byUser.rows, f + 10);
  const rng = new Rng(seed, 'pure svd');
  const multiply = (m: SparseMatrix, block: Float64Array, out: Float64Array) => {
    out.fill(0);
    for (let row = 0; row < m.rows; row++) {
      const target = out.subarray(row * l, (row + 1) * l);
      for (let k = m.indptr[row]!; k < m.indptr[row + 1]!; k++) axpy(m.data[k]!, block, m.indices[k]! * l, target, l);
    }
  };
  const orthonormalise = (block: Float64Array, n: number, t: Float64Array) => {
    for (let i = 0; i < n; i++) for (let c = 0; c < l; c++) t[c * n + i] = block[i * l + c]!;
    for (let pass = 0; pass < 2; pass++) {
      for (let c = 0; c < l; c++) {
        for (let prior = 0; prior < c; prior++) axpy(-dotAt(t, prior * n, t, c * n, n), t, prior * n, t.subarray(c * n), n);
        const norm = Math.sqrt(dotAt(t, c * n, t, c * n, n));
        for (let i = 0; i < n; i++) t[c * n + i] = norm > 1e-12 ? t[c * n + i]! / norm : 0;
      }
    }
    for (let i = 0; i < n; i++) for (let c = 0; c < l; c++) block[i * l + c] = t[c * n + i]!;
  };
  const q = Float64Array.from({ length: items * l }, () => rng.normal());
  const columns = new Float64Array(Math.max(items, byUser.rows) * l);
  orthonormalise(q, items, columns);
  const z = new Float64Array(byUser.rows * l);
  for (let iteration = 0; iteration < 8; iteration++) {
    multiply(byUser, q, z);
    multiply(byItem, z, q);
    orthonormalise(q, items, columns);
  }
  multiply(byUser, q, z);
  const gram = new Float64Array(l * l);
  for (let u = 0; u < byUser.rows; u++) for (let a = 0; a < l; a++) axpy(z[u * l + a]!, z, u * l, gram.subarray(a * l), l);
  const { values, vectors } = symmetricEigen(gram, l);
  const order = Array.from({ length: l }, (_, k) => k).sort((a, b) => values[b]! - values[a]!).slice(0, f);
  const itemFactors = new Float64Array(items * f);
  order.forEach((k, column) => {
    for (let a = 0; a < l; a++) for (let i = 0; i < items; i++) itemFactors[i * f + column] = itemFactors[i * f + column]! + vectors[a * l + k]! * q[i * l + a]!;
  });
  return { itemFactors, singularValues: Float64Array.from(order, (k) => Math.sqrt(Math.max(0, values[k]!))) };
}

beforeAll(() => {
  expect(loadNodeKernels(), 'run `node scripts/build-wasm.mjs`: .cache/wasm/als.wasm must compile').toBe(true);
});

describe('PureSVD training on the JavaScript loops and on the WebAssembly kernel', () => {
  it.each([
    { users: 9, items: 7, factors: 3, density: 0.5 },
    { users: 40, items: 33, factors: 5, density: 0.3 },
    { users: 73, items: 61, factors: 20, density: 0.15 },
    { users: 30, items: 90, factors: 50, density: 0.2 },
  ])('both give the original loops\' bits on a random $users × $items matrix, $factors factors', ({ users, items, factors, density }) => {
    for (const seed of [1, 2]) {
      const { byUser, byItem } = randomMatrix(seed, users, items, density);
      const reference = referencePureSvd(byUser, byItem, factors, seed);
      for (const kernel of ['js', 'wasm'] as const) {
        const model = trainPureSvd({ byUser, byItem }, { factors, seed, kernel });
        expectSameBits(model.itemFactors, reference.itemFactors, `${kernel} item factors`);
        expectSameBits(model.singularValues, reference.singularValues, `${kernel} singular values`);
      }
    }
  });
});

describe('scoring every product from factors on the WebAssembly kernel', () => {
  it('gives scoreAll\'s bits for odd and even sizes, and factor counts that are not a multiple of 4', () => {
    const rng = new Rng(11, 'factor scores');
    for (const [items, f] of [[1, 1], [2, 3], [37, 4], [101, 7], [260, 64], [33, 50]] as const) {
      const byFactor = transposeFactors(Float64Array.from({ length: items * f }, () => rng.normal()), items, f);
      const users = Float64Array.from({ length: 3 * f }, () => rng.normal());
      const score = wasmFactorScorer(byFactor, items, f)!;
      for (let user = 0; user < 3; user++) {
        const expected = new Float64Array(items).fill(Number.NaN);
        scoreAll(byFactor, items, f, users, user * f, expected);
        const actual = new Float64Array(items).fill(Number.NaN);
        score(users, user * f, actual);
        expectSameBits(actual, expected, `${items} × ${f}, customer ${user}`);
      }
    }
  });
});

describe('buildInteractions', () => {
  it('sums each pair\'s lines in line order, as one running total per pair (checked on random lines with gaps, returns and unknown ids)', () => {
    const rng = new Rng(5, 'interaction sums');
    const n = 3000;
    const customers = Array.from({ length: n }, () => (rng.chance(0.05) ? null : `c${rng.integer(0, 40)}`));
    const products = Array.from({ length: n }, () => (rng.chance(0.05) ? null : `p${rng.integer(0, 60)}`));
    const values = Float64Array.from({ length: n }, () => (rng.chance(0.02) ? Number.NaN : rng.normal() * 10 + 3 + rng.float() * 1e-3));
    const catalogue = { users: Array.from({ length: 35 }, (_, u) => `c${u}`).sort(), items: Array.from({ length: 50 }, (_, i) => `p${i}`).sort() };
    for (const value of ['binary', 'amount'] as const) {
      const built = buildInteractions({ customers, products, values }, value, catalogue);
      const sums = new Map<string, number>();
      for (let r = 0; r < n; r++) {
        const amount = value === 'binary' ? 1 : values[r]!;
        if (customers[r] == null || products[r] == null || !catalogue.users.includes(customers[r]!) || !catalogue.items.includes(products[r]!) || !Number.isFinite(amount)) continue;
        const key = `${customers[r]} ${products[r]}`;
        sums.set(key, (sums.get(key) ?? 0) + amount);
      }
      const expected: { key: string; value: number }[] = [];
      catalogue.users.forEach((user) => catalogue.items.forEach((item) => {
        const sum = sums.get(`${user} ${item}`);
        if (sum !== undefined && sum > 0) expected.push({ key: `${user} ${item}`, value: value === 'binary' ? 1 : sum });
      }));
      const { byUser } = built;
      const actual: { key: string; value: number }[] = [];
      for (let u = 0; u < byUser.rows; u++) for (let k = byUser.indptr[u]!; k < byUser.indptr[u + 1]!; k++) actual.push({ key: `${built.users[u]} ${built.items[byUser.indices[k]!]}`, value: byUser.data[k]! });
      expect(actual, value).toEqual(expected);
      expect(actual.length, value).toBeGreaterThan(100);
    }
  });
});

/** Ratings on a random share of users × items, values in [0, 5), some users and items with none. */
function randomRatings(seed: number, userCount: number, itemCount: number, density: number): Ratings {
  const rng = new Rng(seed, 'sgd ratings');
  const users: number[] = [];
  const items: number[] = [];
  const values: number[] = [];
  for (let user = 0; user < userCount; user++) {
    for (let item = 0; item < itemCount; item++) {
      if (user % 7 === 3 || !rng.chance(density)) continue;
      users.push(user);
      items.push(item);
      values.push(rng.float() * 5);
    }
  }
  return { users: Int32Array.from(users), items: Int32Array.from(items), values: Float64Array.from(values), userCount, itemCount };
}

describe('SVD by SGD on the JavaScript loop and on the WebAssembly kernel', () => {
  it.each([
    { factors: 1, biased: true, shuffle: true },
    { factors: 7, biased: true, shuffle: false },
    { factors: 20, biased: true, shuffle: true },
    { factors: 20, biased: false, shuffle: true },
    { factors: 33, biased: true, shuffle: true },
  ])('give the same bits: $factors factors, biased $biased, shuffled $shuffle', ({ factors, biased, shuffle }) => {
    const ratings = randomRatings(factors, 60, 45, 0.3);
    const options = { factors, biased, shuffle, epochs: 12, learningRate: 0.01, seed: 3 };
    const js = trainSvd(ratings, { ...options, kernel: 'js' });
    const wasm = trainSvd(ratings, { ...options, kernel: 'wasm' });
    expectSameBits(wasm.userBias, js.userBias, 'user biases');
    expectSameBits(wasm.itemBias, js.itemBias, 'item biases');
    expectSameBits(wasm.userFactors, js.userFactors, 'user factors');
    expectSameBits(wasm.itemFactors, js.itemFactors, 'item factors');
    // Every epoch's objective: the kernel's arrays are copied back after each epoch.
    expectSameBits(wasm.objective, js.objective, 'objective');
    expect(js.objective).toHaveLength(12);
    // And the fit learns: the training error falls.
    expect(js.trainingRmse.at(-1)!).toBeLessThan(js.trainingRmse[0]!);
  });

  it('cross-validation gives the same folds and errors on both', () => {
    const ratings = randomRatings(9, 80, 50, 0.25);
    const options = { folds: 4, factors: 10, epochs: 8, seed: 5 };
    const js = crossValidateSvd(ratings, { ...options, kernel: 'js' });
    const wasm = crossValidateSvd(ratings, { ...options, kernel: 'wasm' });
    expect(wasm.folds.map((fold) => [fold.rmse, fold.mae])).toEqual(js.folds.map((fold) => [fold.rmse, fold.mae]));
    expect(Object.is(wasm.mean.rmse, js.mean.rmse)).toBe(true);
  });
});

describe('ALS explanations: each customer\'s normal equations on the WebAssembly kernel', () => {
  it.each([7, 8])('give the JavaScript loop\'s contributions and explanations, bit for bit (%i factors, empty and long rows)', (factors) => {
    const { byUser, byItem } = randomMatrix(factors, 30, 23, 0.45);
    const interactions = { users: Array.from({ length: 30 }, (_, u) => `c${u}`), items: Array.from({ length: 23 }, (_, i) => `p${i}`), byUser, byItem };
    const labels = interactions.items.map((id) => `product ${id}`);
    const model = trainAls(interactions, { factors, iterations: 3, seed: 11, kernel: 'js' });
    const explain = () => {
      const recommender = alsRecommender(model, interactions, labels);
      const contributions: Float64Array[] = [];
      const explanations: string[] = [];
      for (let user = 0; user < 30; user++) {
        for (const item of [0, 5, 22]) {
          contributions.push(alsContributions(model, byUser, user, item));
          explanations.push(recommender.explain(user, item));
        }
      }
      return { contributions, explanations };
    };
    const wasm = explain();
    unloadAlsKernel();
    try {
      const js = explain();
      expect(wasm.explanations).toEqual(js.explanations);
      js.contributions.forEach((expected, k) => expectSameBits(wasm.contributions[k]!, expected, `contributions ${k}`));
    } finally {
      expect(loadNodeKernels()).toBe(true);
    }
    // Empty rows (every fifth customer) explain with no contributions; the others sum to their exact score.
    expect(wasm.contributions[2 * 3]).toHaveLength(0);
    expect(wasm.explanations[2 * 3]).toBe('no purchases of yours to compare with yet');
    expect(wasm.explanations[0]).toMatch(/^like product p\d+, which you bought$/);
  });
});
