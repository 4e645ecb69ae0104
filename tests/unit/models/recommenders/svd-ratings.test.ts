import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Frame } from '../../../../src/models/kit/frame.ts';
import type { WorkerModel } from '../../../../src/models/kit/model.ts';
import { RECOMMENDER_MODELS } from '../../../../src/models/recommenders/cells.ts';
import { kFolds } from '../../../../src/models/recommenders/svd.ts';
import { explicitRatings } from '../../../fixtures/models/explicit-ratings.ts';

// Surprise 1.1.5's SVD, 5-fold cross-validated on the seed-1 explicit ratings, on the folds kFolds(100000, 5, 0) gives
// (tests/fixtures/models/surprise_svd_reference.py).
const reference = JSON.parse(readFileSync(new URL('../../../fixtures/models/surprise-svd.json', import.meta.url), 'utf8'));
const cell = RECOMMENDER_MODELS.find((model) => model.name === 'svd_cross_validation') as WorkerModel;
const data = explicitRatings(1);
const folds = kFolds(data.values.length, 5, 0);
const table: Frame = {
  rowCount: data.values.length,
  columns: { customer_id: Array.from(data.users, (u) => `u${u}`), product_id: Array.from(data.items, (i) => `i${i}`), rating: data.values },
};
const run = (params: Record<string, unknown>, input: Frame = table) => {
  const out = cell.run([input], params, {}) as Record<string, Frame>;
  const columns = out['']!.columns as Record<string, Float64Array | string[]>;
  const numbers = (name: string) => columns[name] as Float64Array;
  return { scale: columns.scale as string[], rmse: numbers('rmse'), mae: numbers('mae'), rmse_predicting_mean: numbers('rmse_predicting_mean'), mae_predicting_mean: numbers('mae_predicting_mean') };
};

describe('svd_cross_validation on explicit ratings (target "rating")', () => {
  it('reads the very ratings and folds Surprise was scored on', () => {
    const fold = new Int32Array(data.values.length);
    folds.forEach((test, f) => test.forEach((at) => (fold[at] = f)));
    const tsv = Array.from(data.values, (value, at) => `${data.users[at]}\t${data.items[at]}\t${value}\t${fold[at]}`).join('\n') + '\n';
    expect(createHash('sha256').update(tsv).digest('hex')).toBe(reference.data.sha256);
    expect(folds.map((test) => test.length)).toEqual(reference.data.fold_sizes);
  });

  it("predicting the training mean scores exactly what Surprise's data gives, fold by fold", () => {
    const columns = run({ target: 'rating', folds: 5, seed: 0, svd_factors: 1, epochs: 1 });
    expect(columns.scale).toEqual(Array(6).fill('rating'));
    reference.global_mean.folds.forEach((fold: { rmse: number; mae: number }, f: number) => {
      expect(columns.rmse_predicting_mean[f]).toBeCloseTo(fold.rmse, 10);
      expect(columns.mae_predicting_mean[f]).toBeCloseTo(fold.mae, 10);
    });
  });

  it("has a 5-fold RMSE and MAE at or below Surprise's SVD on the same folds, with its defaults", () => {
    const columns = run({ target: 'rating', folds: 5, seed: 0 });
    const mean = { rmse: columns.rmse[5] as number, mae: columns.mae[5] as number };
    expect(mean.rmse).toBeLessThanOrEqual(Math.min(...reference.svd.map((r: { rmse: number }) => r.rmse)));
    expect(mean.mae).toBeLessThanOrEqual(Math.min(...reference.svd.map((r: { mae: number }) => r.mae)));
  }, 300_000);

  it("with Surprise's own hyper-parameters it lands within Surprise's run-to-run spread", () => {
    const columns = run({ target: 'rating', folds: 5, seed: 0, svd_factors: 100, epochs: 20, learning_rate: 0.005, regularization: 0.02, init_std: 0.1, biased: true });
    const runs: number[] = reference.svd.map((r: { rmse: number }) => r.rmse);
    expect(Math.abs((columns.rmse[5] as number) - reference.svd_mean_over_seeds.rmse)).toBeLessThan(Math.max(...runs) - Math.min(...runs) + 0.005);
  }, 300_000);

  it('clips predictions to the observed scale: a 1–5 table whose every rating is 5 for one product never errs on it', () => {
    const rows = Array.from({ length: 400 }, (_, k) => ({ customer: `c${k % 40}`, product: `p${Math.floor(k / 40)}`, rating: Math.floor(k / 40) === 0 ? 5 : 1 + ((k * 7) % 5) }));
    const input: Frame = { rowCount: rows.length, columns: { customer_id: rows.map((r) => r.customer), product_id: rows.map((r) => r.product), rating: Float64Array.from(rows, (r) => r.rating) } };
    const unclipped = run({ target: 'rating', folds: 2, seed: 3, learning_rate: 0.05, epochs: 60 }, input);
    expect(unclipped.rmse[2]).toBeGreaterThan(0);
    // Without a clip, the product rated 5 by everyone is predicted above 5 by biases; with it, those errors are 0.
    const onlyFives: Frame = { rowCount: 40, columns: { customer_id: rows.slice(0, 40).map((r) => r.customer), product_id: rows.slice(0, 40).map(() => 'p0'), rating: new Float64Array(40).fill(5) } };
    expect(run({ target: 'rating', folds: 2, seed: 3 }, onlyFives).rmse[2]).toBe(0);
  });

  it('log_amount stays the default, and a missing rating column is named', () => {
    expect(() => run({ target: 'rating', columns: { rating: 'stars' } })).toThrow(/stars/);
    expect(() => run({ target: 'ratings' })).toThrow(/log_amount.*rating|rating.*log_amount/);
  });
});
