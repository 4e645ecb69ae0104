import { describe, expect, it } from 'vitest';
import { pureSvdRecommender, trainPureSvd } from '../../../../src/models/recommenders/pure-svd.ts';
import { symmetricEigen } from '../../../../src/models/kit/eigen.ts';

/** The 8 × 8 Sylvester–Hadamard matrix over √8: orthonormal rows and columns, known without computing anything. */
const H = Array.from({ length: 8 }, (_, r) => Array.from({ length: 8 }, (_, c) => (popcount(r & c) % 2 === 0 ? 1 : -1) / Math.sqrt(8)));
function popcount(x: number): number {
  let n = 0;
  for (; x; x >>= 1) n += x & 1;
  return n;
}

/** R = U Σ Vᵀ with U = V = H (8 customers, 8 products): its SVD is known by construction. */
const SIGMA = [9, 7, 5, 3, 2, 1, 0.5, 0.25];
const R = Array.from({ length: 8 }, (_, u) => Array.from({ length: 8 }, (_, i) => SIGMA.reduce((sum, s, k) => sum + H[u]![k]! * s * H[i]![k]!, 0)));
/** A dense matrix as CSR; R has negative entries, which buildInteractions would drop as returns. */
const dense = (m: number[][]) => ({
  rows: m.length,
  cols: m[0]!.length,
  indptr: Int32Array.from({ length: m.length + 1 }, (_, r) => r * m[0]!.length),
  indices: Int32Array.from(m.flatMap((row) => row.map((_, c) => c))),
  data: Float64Array.from(m.flat()),
});
const interactions = {
  users: R.map((_, u) => `c${u}`),
  items: R[0]!.map((_, i) => `p${i}`),
  byUser: dense(R),
  byItem: dense(R[0]!.map((_, i) => R.map((row) => row[i]!))),
};

describe('trainPureSvd', () => {
  it('finds the planted singular values and the span of the leading right singular vectors', () => {
    const model = trainPureSvd(interactions, { factors: 3, seed: 1, iterations: 30 });
    expect(Array.from(model.singularValues)).toEqual(SIGMA.slice(0, 3).map((s) => expect.closeTo(s, 8)));
    // QQᵀ is the projector V₃V₃ᵀ whatever the signs or rotation within the span.
    for (let a = 0; a < 8; a++) {
      for (let b = 0; b < 8; b++) {
        let model_ = 0;
        let truth = 0;
        for (let k = 0; k < 3; k++) {
          model_ += model.itemFactors[a * 3 + k]! * model.itemFactors[b * 3 + k]!;
          truth += H[a]![k]! * H[b]![k]!;
        }
        expect(model_).toBeCloseTo(truth, 8);
      }
    }
  });

  it('symmetricEigen diagonalises a matrix with known eigenvalues', () => {
    // A = H diag(1..8) Hᵀ
    const a = new Float64Array(64);
    for (let r = 0; r < 8; r++) for (let c = 0; c < 8; c++) for (let k = 0; k < 8; k++) a[r * 8 + c] = a[r * 8 + c]! + H[r]![k]! * (k + 1) * H[c]![k]!;
    const { values } = symmetricEigen(a, 8);
    expect(Array.from(values).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((v) => expect.closeTo(v, 10)));
  });
});

describe('pureSvdRecommender', () => {
  it('scores r_u V_f V_fᵀ, and names the bought product that adds the most', () => {
    const model = trainPureSvd(interactions, { factors: 2, seed: 3, iterations: 30 });
    const recommender = pureSvdRecommender(model, interactions, ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
    const out = new Float64Array(8);
    for (let u = 0; u < 8; u++) {
      recommender.score(u, out);
      for (let i = 0; i < 8; i++) {
        let expected = 0;
        for (let j = 0; j < 8; j++) for (let k = 0; k < 2; k++) expected += R[u]![j]! * H[j]![k]! * H[i]![k]!;
        expect(out[i]).toBeCloseTo(expected, 8);
      }
    }
    // Customer 0, product 0: contributions r_0j · (V₂V₂ᵀ)_0j; the largest positive one names the product.
    const shares = [1, 2, 3, 4, 5, 6, 7].map((j) => ({ j, share: R[0]![j]! * (H[0]![0]! * H[j]![0]! + H[0]![1]! * H[j]![1]!) }));
    const best = shares.reduce((a, b) => (b.share > a.share ? b : a));
    expect(recommender.explain(0, 0)).toContain(`like ${'abcdefgh'[best.j]}, which you bought`);
  });

  it('refuses nonsense sizes', () => {
    expect(() => trainPureSvd(interactions, { factors: 0 })).toThrow(/factors/);
  });
});

describe('the recommend cell', () => {
  it('offers pure_svd, no longer the spend-predicting svd, and runs pure_svd for a saved "svd"', async () => {
    const { RECOMMENDER_MODELS } = await import('../../../../src/models/recommenders/cells.ts');
    const cell = RECOMMENDER_MODELS.find((model) => model.name === 'recommend') as import('../../../../src/models/kit/model.ts').WorkerModel;
    expect(cell.fields.find((field) => field.key === 'methods')?.choices).not.toContain('svd');
    const lines = Array.from({ length: 60 }, (_, k) => ({ customer: `c${k % 6}`, product: `p${(k * 7) % 9}` }));
    const input = { rowCount: 60, columns: { customer_id: lines.map((l) => l.customer), product_id: lines.map((l) => l.product), amount: new Float64Array(60).fill(1) } };
    const out = cell.run([input], { methods: ['svd'], n: 2, svd_factors: 2 }, {}) as Record<string, { columns: Record<string, readonly unknown[]> }>;
    expect(new Set(out['']!.columns.method)).toEqual(new Set(['pure_svd']));
  });
});
