import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/models/kit/random.ts';
import { type AlsModel, type AlsOptions, alsContributions, alsRecommender, confidence, foldInUser, trainAls as trainOn } from '../../../../src/models/recommenders/als.ts';
import { loadNodeKernels } from '../../../../src/workers/node-kernels.ts';
import { type Interactions, buildInteractions, fromTriples, recommend, rowOf, transpose } from '../../../../src/models/baskets/interactions.ts';
import { abortedSignal, progressRecorder } from '../segmentation/segmentation-fixtures.ts';

const matrixOf = (rows: number, cols: number, triples: readonly (readonly [number, number, number])[]): Pick<Interactions, 'byUser' | 'byItem'> => {
  const byUser = fromTriples(rows, cols, triples);
  return { byUser, byItem: transpose(byUser) };
};

/**
 * Customers in `groups` taste groups, each buying the products of its own block with probability `inBlock` and any
 * other product with probability `noise`; quantities 1–3. One in-block purchase per customer is held out.
 */
function plantedBlocks(seed: number, { groups = 5, usersPerGroup = 40, itemsPerGroup = 20, inBlock = 0.4, noise = 0.02 } = {}) {
  const rng = new Rng(seed, 'blocks');
  const users = groups * usersPerGroup;
  const items = groups * itemsPerGroup;
  const train: [number, number, number][] = [];
  const heldOut = new Int32Array(users).fill(-1);
  for (let user = 0; user < users; user++) {
    const group = Math.floor(user / usersPerGroup);
    const bought: number[] = [];
    for (let item = 0; item < items; item++) {
      const mine = Math.floor(item / itemsPerGroup) === group;
      if (!rng.chance(mine ? inBlock : noise)) continue;
      if (mine) bought.push(item);
      else train.push([user, item, rng.integer(1, 3)]);
    }
    if (bought.length >= 2) heldOut[user] = bought.splice(rng.integer(0, bought.length - 1), 1)[0] as number;
    for (const item of bought) train.push([user, item, rng.integer(1, 3)]);
  }
  return { matrix: matrixOf(users, items, train), heldOut, users, items };
}

/** Hu et al. eq. (3) over every (customer, product) pair, the slow way. */
function bruteForceLoss(model: AlsModel, byUser: Interactions['byUser']): number {
  const f = model.factors;
  let loss = 0;
  for (let u = 0; u < model.userCount; u++) {
    const { indices, data } = rowOf(byUser, u);
    for (let i = 0; i < model.itemCount; i++) {
      let score = 0;
      for (let x = 0; x < f; x++) score += model.userFactors[u * f + x]! * model.itemFactors[i * f + x]!;
      const k = indices.indexOf(i);
      const r = data[k]!;
      const c = k < 0 ? 1 : 1 + model.alpha * (model.scaling === 'linear' ? r : Math.log(1 + r / model.scaling.logEpsilon));
      loss += c * ((k < 0 ? 0 : 1) - score) ** 2;
    }
  }
  let norms = 0;
  for (const value of model.userFactors) norms += value * value;
  for (const value of model.itemFactors) norms += value * value;
  return loss + model.regularization * norms;
}

const small = plantedBlocks(1, { groups: 3, usersPerGroup: 8, itemsPerGroup: 6 });

beforeAll(() => {
  expect(loadNodeKernels(), '.cache/wasm/als.wasm must compile').toBe(true);
});

// Every test on both loops of the CG solver: JavaScript and the WebAssembly kernel (the same bits, als-kernels.test.ts).
describe.each(['js', 'wasm'] as const)('on the %s loops', (kernel) => {
  const trainAls = (matrix: Parameters<typeof trainOn>[0], options: AlsOptions = {}) => trainOn(matrix, { ...options, kernel });

  describe('trainAls', () => {
    it('records Hu et al. eq. (3) after each iteration, equal to the sum over all pairs', () => {
      const model = trainAls(small.matrix, { factors: 4, iterations: 3, regularization: 0.5, seed: 1 });
      expect(model.loss).toHaveLength(3);
      expect(model.loss.at(-1)).toBeCloseTo(bruteForceLoss(model, small.matrix.byUser), 8);
      const weighted = trainAls(small.matrix, { factors: 4, iterations: 2, alpha: 40, scaling: { logEpsilon: 0.5 }, solver: 'cholesky', seed: 1 });
      expect(weighted.loss.at(-1)).toBeCloseTo(bruteForceLoss(weighted, small.matrix.byUser), 8);
    });

    it('lowers the loss every iteration, with the exact solver and with conjugate gradients', () => {
      const { matrix } = plantedBlocks(2);
      for (const alpha of [1, 40]) {
        for (const solver of ['cholesky', 'cg'] as const) {
          const { loss } = trainAls(matrix, { factors: 8, iterations: 12, alpha, solver, seed: 3 });
          for (let iteration = 1; iteration < loss.length; iteration++) expect(loss[iteration], `${solver}, α ${alpha}, iteration ${iteration}`).toBeLessThan(loss[iteration - 1] as number);
        }
      }
    });

    it('solves each least-squares system as the exact (Cholesky) solver does when CG may take f steps, and nearly so with 3', () => {
      const exact = trainAls(small.matrix, { factors: 5, iterations: 1, solver: 'cholesky', seed: 4 });
      const cg = trainAls(small.matrix, { factors: 5, iterations: 1, cgSteps: 5, seed: 4 });
      for (let x = 0; x < exact.userFactors.length; x++) expect(cg.userFactors[x]).toBeCloseTo(exact.userFactors[x] as number, 7);
      for (let x = 0; x < exact.itemFactors.length; x++) expect(cg.itemFactors[x]).toBeCloseTo(exact.itemFactors[x] as number, 7);

      const { matrix } = plantedBlocks(5);
      const exactLoss = trainAls(matrix, { factors: 8, solver: 'cholesky', seed: 5 }).loss.at(-1) as number;
      const cgLoss = trainAls(matrix, { factors: 8, seed: 5 }).loss.at(-1) as number;
      expect(Math.abs(cgLoss - exactLoss) / exactLoss).toBeLessThan(0.01);
    });

    it('finds planted taste groups: the held-out purchase is in the top 10 far more often than by chance', () => {
      // 12 products per group, ~5 bought: the ~7 unbought ones of the group fit in a top 10, so a perfect model hits every time.
      const { matrix, heldOut, users, items } = plantedBlocks(6, { itemsPerGroup: 12 });
      const interactions: Interactions = { ...matrix, users: Array.from({ length: users }, (_, u) => `C${u}`), items: Array.from({ length: items }, (_, i) => `P${i}`) };
      const model = trainAls(interactions, { factors: 5, seed: 6 });
      const recommender = alsRecommender(model, interactions, []);
      let hits = 0;
      let chance = 0;
      let evaluated = 0;
      for (let user = 0; user < users; user++) {
        const item = heldOut[user] as number;
        if (item < 0) continue;
        evaluated++;
        if (recommend(recommender, interactions, user, 10).some((recommendation) => recommendation.item === item)) hits++;
        chance += 10 / (items - rowOf(matrix.byUser, user).indices.length);
      }
      expect(evaluated).toBeGreaterThan(150);
      expect(chance / evaluated).toBeLessThan(0.2);
      expect(hits / evaluated).toBeGreaterThan(0.9);
    });

    it('is deterministic for a seed (bitwise), and another seed gives other factors', () => {
      const first = trainAls(small.matrix, { factors: 4, iterations: 3, seed: 7 });
      const second = trainAls(small.matrix, { factors: 4, iterations: 3, seed: 7 });
      expect(second.userFactors).toEqual(first.userFactors);
      expect(second.itemFactors).toEqual(first.itemFactors);
      expect(second.loss).toEqual(first.loss);
      expect(trainAls(small.matrix, { factors: 4, iterations: 3, seed: 8 }).itemFactors).not.toEqual(first.itemFactors);
    });

    it('gives a customer with no purchases zero factors, the exact minimiser', () => {
      const model = trainAls(matrixOf(3, 2, [[0, 0, 1], [2, 1, 1]]), { factors: 2, iterations: 2, seed: 1 });
      expect(Array.from(model.userFactors.subarray(2, 4))).toEqual([0, 0]);
    });

    it('turns interaction values into confidences 1 + α·r, or 1 + α·log(1 + r/ε)', () => {
      expect(confidence(3, 40)).toBe(121);
      expect(confidence(3, 0)).toBe(1);
      expect(confidence(3, 1)).toBe(4);
      expect(confidence(Math.E - 1, 2, { logEpsilon: 1 })).toBeCloseTo(3, 12);
    });

    it('checks its inputs, naming the bad value', () => {
      expect(() => trainAls(small.matrix, { factors: 0 })).toThrow(/factors must be a positive integer, got 0/);
      expect(() => trainAls(small.matrix, { cgSteps: 0 })).toThrow(/cgSteps must be a positive integer, got 0/);
      expect(() => trainAls(small.matrix, { alpha: -1 })).toThrow(/alpha must be ≥ 0, got -1/);
      expect(() => trainAls(matrixOf(2, 2, [[1, 0, -2]]))).toThrow(/interaction \(1, 0\) is -2/);
      expect(() => trainAls({ byUser: small.matrix.byUser, byItem: small.matrix.byUser })).toThrow(/must be the transpose/);
      expect(() => trainAls(matrixOf(1, 1, [[0, 0, 1]]), { factors: 2, regularization: 0, solver: 'cholesky' })).toThrow(/system of (customer|product) 0 is not positive definite/);
    });

    it('reports progress up to exactly 1 and stops with an AbortError when cancelled', () => {
      const progress = progressRecorder();
      trainAls(small.matrix, { factors: 3, onProgress: progress.onProgress });
      progress.check();
      expect(() => trainAls(small.matrix, { signal: abortedSignal() })).toThrow(expect.objectContaining({ name: 'AbortError' }));
      const controller = new AbortController();
      expect(() => trainAls(small.matrix, { signal: controller.signal, onProgress: () => controller.abort() })).toThrow(/ALS cancelled/);
    });
  });

  describe('alsRecommender', () => {
    it('scores x_uᵀy_i and explains with the bought product that contributes most (Hu et al. §5)', () => {
      const interactions = buildInteractions({
        customers: ['a', 'a', 'b', 'b', 'b', 'c', 'c', 'd', 'd', 'e', 'e', 'e', 'f', 'f'],
        products: ['mug', 'tea', 'mug', 'tea', 'pot', 'mug', 'pot', 'jam', 'bread', 'jam', 'bread', 'honey', 'jam', 'honey'],
      });
      const model = trainAls(interactions, { factors: 2, iterations: 10, regularization: 0.1, solver: 'cholesky', seed: 1 });
      const labels = interactions.items.map((id) => id.toUpperCase());
      const recommender = alsRecommender(model, interactions, labels);
      const scores = new Float64Array(interactions.items.length);
      recommender.score(0, scores);
      const pot = interactions.items.indexOf('pot');
      expect(scores[pot]).toBeCloseTo(model.userFactors.subarray(0, 2).reduce((sum, value, x) => sum + value * model.itemFactors[pot * 2 + x]!, 0), 12);
      const [top] = recommend(recommender, interactions, 0, 1); // a bought mug and tea, like b and c who also bought a pot
      expect(top?.item).toBe(pot);
      expect(top?.explanation).toMatch(/^like (MUG|TEA), which you bought$/);
      expect(alsRecommender(model, interactions, []).explain(0, pot)).toMatch(/^like (mug|tea), which you bought$/);
    });

    it('splits the exact score into contributions that sum to it, as implicit’s explain', () => {
      const model = trainAls(small.matrix, { factors: 4, iterations: 4, seed: 2 });
      const { indices, data } = rowOf(small.matrix.byUser, 3);
      const exact = foldInUser(model, indices, data);
      for (const item of [0, 5, 17]) {
        const contributions = alsContributions(model, small.matrix.byUser, 3, item);
        let score = 0;
        for (let x = 0; x < 4; x++) score += exact[x]! * model.itemFactors[item * 4 + x]!;
        expect(contributions).toHaveLength(indices.length);
        expect(contributions.reduce((sum, value) => sum + value, 0)).toBeCloseTo(score, 9);
      }
      expect(foldInUser(model, [], [])).toEqual(new Float64Array(4));
    });

    it('says when a customer has nothing to explain from', () => {
      const interactions = buildInteractions({ customers: ['a', 'b'], products: ['mug', 'tea'] }, 'binary', { users: ['a', 'b', 'z'] });
      const recommender = alsRecommender(trainAls(interactions, { factors: 2, iterations: 2 }), interactions, []);
      expect(recommender.explain(2, 0)).toBe('no purchases of yours to compare with yet');
    });
  });
});
