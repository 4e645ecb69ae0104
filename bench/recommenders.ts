// The basket and recommender half of the models suite (imported by bench/models.ts): what the issue times on the
// generated sales_clean — FP-Growth at two supports, the association_rules model cell, item-item cosine for every
// product, ALS, SVD on 100,000 ratings, the full evaluation table — on the very Arrow bytes a model cell's worker gets.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  Rng,
  binary,
  buildInteractions,
  buildTransactions,
  excludedProducts,
  fpGrowth,
  frameFromIpc,
  itemSimilarities,
  logRatings,
  runModel,
  trainAls,
  trainSvd,
  weightMatrix,
  type Interactions,
  type Ratings,
  type SparseMatrix,
  type Transactions,
} from '../src/models/index.ts';

export interface LinesState {
  readonly ipc: Uint8Array;
  readonly transactions: Transactions;
  readonly purchases: Interactions;
  readonly bought: Interactions;
  readonly bm25ByItem: SparseMatrix;
  readonly ratings100k: Ratings;
}

/** 100,000 of the (customer, product, log(1 + amount)) ratings, a seeded sample without replacement. */
function sampleRatings(all: Ratings, count: number, seed: number): Ratings {
  const rng = new Rng(seed, 'bench ratings');
  const order = Int32Array.from({ length: all.values.length }, (_, i) => i);
  for (let i = 0; i < Math.min(count, order.length); i++) {
    const j = i + Math.floor(rng.float() * (order.length - i));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const picked = order.subarray(0, Math.min(count, order.length));
  return {
    users: Int32Array.from(picked, (k) => all.users[k]!),
    items: Int32Array.from(picked, (k) => all.items[k]!),
    values: Float64Array.from(picked, (k) => all.values[k]!),
    userCount: all.userCount,
    itemCount: all.itemCount,
  };
}

/** Everything the recommender benchmarks share, built once from sales_clean's Arrow bytes; the BM25 matrix goes to scikit-learn. */
export async function prepareLines(ipc: Uint8Array, seed: number, arraysDir: string) {
  const frame = frameFromIpc(ipc);
  const excluded = excludedProducts({});
  const invoices = frame.columns.invoice_id as (string | null)[];
  const products = (frame.columns.product_id as (string | null)[]).map((product) => (excluded(product) ? null : product));
  const keep = products.map((product, row) => product !== null && invoices[row] != null);
  const transactions = buildTransactions(invoices.filter((_, row) => keep[row]) as string[], products.filter((_, row) => keep[row]) as string[]);
  const purchases = buildInteractions({ customers: frame.columns.customer_id as (string | null)[], products, values: frame.columns.amount as Float64Array }, 'amount');
  const bought = binary(purchases);
  const bm25ByItem = weightMatrix(bought.byItem, 'bm25');
  const ratings100k = sampleRatings(logRatings(purchases), 100_000, seed);
  const state: LinesState = { ipc, transactions, purchases, bought, bm25ByItem, ratings100k };

  const write = (name: string, array: Int32Array | Float64Array) => writeFile(path.join(arraysDir, name), new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  await write('bm25-indptr.i32', bm25ByItem.indptr);
  await write('bm25-indices.i32', bm25ByItem.indices);
  await write('bm25-data.f64', bm25ByItem.data);
  const arrays = {
    bm25ByItem: { indptr: 'bm25-indptr.i32', indices: 'bm25-indices.i32', data: 'bm25-data.f64', rows: bm25ByItem.rows, cols: bm25ByItem.cols, nonzeros: bm25ByItem.data.length },
  };
  const info = {
    lines: frame.rowCount,
    invoices: transactions.baskets.length,
    products: purchases.items.length,
    customers: purchases.users.length,
    customerProductPairs: purchases.byUser.data.length,
    ratings100k: ratings100k.values.length,
    from: 'sales_clean exported by DuckDB-WASM as Arrow (the bytes a model cell sends its worker); service codes (POST, M, …) left out as the model cells do',
  };
  return { state, arrays, info };
}

const meanTopSimilarity = (scores: Float64Array, indptr: Int32Array, rows: number): number => {
  let sum = 0;
  let counted = 0;
  for (let row = 0; row < rows; row++) {
    if ((indptr[row + 1] as number) > (indptr[row] as number)) {
      sum += scores[indptr[row] as number] as number;
      counted++;
    }
  }
  return counted === 0 ? 0 : sum / counted;
};

/** Each benchmark: one timed run, returning a check (what was computed) for the report. */
export function recommenderAlgorithms(ready: () => LinesState): Record<string, () => Record<string, unknown>> {
  const frequent = (minSupport: number) => () => {
    const result = fpGrowth(ready().transactions, { minSupport });
    return { itemsets: result.itemsets.length, longest: Math.max(...result.itemsets.map((itemset) => itemset.items.length)), minCount: result.minCount };
  };
  const rulesCell = (minSupport: number) => () => {
    const outputs = runModel('association_rules', { min_support: minSupport }, [ready().ipc], {});
    const summary = frameFromIpc(outputs.summary!);
    return Object.fromEntries(Object.entries(summary.columns).map(([name, column]) => [name, column[0]]));
  };
  return {
    'fpgrowth-0.01': frequent(0.01),
    'fpgrowth-0.005': frequent(0.005),
    'rules-cell-0.01': rulesCell(0.01),
    'rules-cell-0.005': rulesCell(0.005),
    'cosine-all': () => {
      const { bm25ByItem } = ready();
      // Every pair's cosine is computed; the 50 most similar are kept per product, as a similar_products cell keeps its top n.
      const similar = itemSimilarities(bm25ByItem, { neighbours: 50 });
      return { products: bm25ByItem.rows, pairsKept: similar.scores.length, meanTopSimilarity: meanTopSimilarity(similar.scores, similar.indptr, bm25ByItem.rows) };
    },
    'als-64x15': () => {
      const model = trainAls(ready().bought, { factors: 64, iterations: 15, seed: 42 });
      return { loss: model.loss.map((value) => Math.round(value)) };
    },
    'als-32x10': () => {
      const model = trainAls(ready().bought, { factors: 32, iterations: 10, seed: 42 });
      return { loss: model.loss.map((value) => Math.round(value)) };
    },
    'svd-100x20-100k': () => {
      const model = trainSvd(ready().ratings100k, { factors: 100, epochs: 20, seed: 42 });
      return { trainingRmse: model.trainingRmse.map((value) => Math.round(value * 1e4) / 1e4) };
    },
    evaluation: () => {
      const outputs = runModel('evaluate_recommenders', { seed: 42 }, [ready().ipc], {});
      const table = frameFromIpc(outputs['']!);
      const column = (name: string) => table.columns[name]!;
      return {
        table: Array.from({ length: table.rowCount }, (_, row) => ({
          split: column('split')[row],
          recommender: column('recommender')[row],
          map: Math.round((column('map')[row] as number) * 1e4) / 1e4,
          precision: Math.round((column('precision')[row] as number) * 1e4) / 1e4,
          recall: Math.round((column('recall')[row] as number) * 1e4) / 1e4,
          ndcg: Math.round((column('ndcg')[row] as number) * 1e4) / 1e4,
          hitRate: Math.round((column('hit_rate')[row] as number) * 1e3) / 1e3,
          coverage: Math.round((column('coverage')[row] as number) * 1e3) / 1e3,
          users: column('users')[row],
        })),
      };
    },
  };
}
