/**
 * Customer × product interactions as a sparse matrix, and the shape every recommender shares: a function that
 * scores all products for one customer, plus an explanation for any product it recommends.
 */
import { compareText } from './basket.ts';
import { scoreHeaps } from '../kit/score-heap.ts';
import { codeIndex, presentValues, textCodes } from '../kit/text-codes.ts';

/** Compressed sparse rows: row r's entries are `indices[indptr[r] .. indptr[r + 1])` (columns ascending) with `data`. */
export interface SparseMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly data: Float64Array;
}

/** What one interaction counts: bought at all, how many units, or how much was spent. */
export type InteractionValue = 'binary' | 'quantity' | 'amount';

/** Parallel columns, one entry per invoice line: customer `customers[r]` bought `values[r]` of product `products[r]`. */
export interface InteractionRows {
  readonly customers: readonly (string | null)[];
  readonly products: readonly (string | null)[];
  /** Quantity or amount of the line; ignored for `binary`. */
  readonly values?: ArrayLike<number>;
}

export interface Interactions {
  /** Customer index → id, sorted (code-unit order), so results do not depend on row order. */
  readonly users: readonly string[];
  /** Product index → id, sorted. */
  readonly items: readonly string[];
  /** users × items, each pair's lines summed (1 for `binary`); pairs whose sum is ≤ 0 (returned in full) are left out. */
  readonly byUser: SparseMatrix;
  /** The transpose, items × users. */
  readonly byItem: SparseMatrix;
}

/**
 * Sums invoice lines into a customer × product matrix: `buildInteractions({ customers, products, values: amount }, 'amount')`.
 * Lines without a customer or product are skipped. `items` may fix the catalogue (e.g. every product, including ones
 * this customer set never bought); products outside it are skipped too.
 */
export function buildInteractions(rows: InteractionRows, value: InteractionValue = 'binary', catalogue?: { users?: readonly string[]; items?: readonly string[] }): Interactions {
  const { customers, products, values } = rows;
  if (customers.length !== products.length) throw new RangeError(`customer and product columns must have the same length, got ${customers.length} and ${products.length}`);
  if (value !== 'binary' && (values === undefined || values.length !== customers.length)) {
    throw new RangeError(`${value} interactions need a value for every line (${customers.length}), got ${values?.length ?? 'none'}`);
  }
  // Per row, codes into each column's distinct values (text-codes.ts), so a line's customer and product are array reads.
  const customerCodes = textCodes(customers);
  const productCodes = textCodes(products);
  const users = catalogue?.users ?? presentValues(customerCodes, compareText);
  const items = catalogue?.items ?? presentValues(productCodes, compareText);
  const userOfCode = codeIndex(customerCodes.values, users);
  const itemOfCode = codeIndex(productCodes.values, items);
  // Each line's customer and product index (−1: left out), then the lines bucketed by customer in line order, so each
  // pair's sum adds its lines in the same order as one running total per pair would.
  const lineUser = new Int32Array(customers.length).fill(-1);
  const lineItem = new Int32Array(customers.length);
  const lineValue = new Float64Array(customers.length);
  const perUser = new Int32Array(users.length + 1);
  for (let r = 0; r < customers.length; r++) {
    const customer = customerCodes.codes[r] as number;
    const product = productCodes.codes[r] as number;
    if (customer < 0 || product < 0) continue;
    const u = userOfCode[customer] as number;
    const i = itemOfCode[product] as number;
    if (u < 0 || i < 0) continue;
    const amount = value === 'binary' ? 1 : Number(values![r]);
    if (!Number.isFinite(amount)) continue;
    lineUser[r] = u;
    lineItem[r] = i;
    lineValue[r] = amount;
    perUser[u + 1] = (perUser[u + 1] as number) + 1;
  }
  for (let u = 0; u < users.length; u++) perUser[u + 1] = (perUser[u + 1] as number) + (perUser[u] as number);
  const lines = new Int32Array(perUser[users.length] as number);
  const next = perUser.slice(0, users.length);
  for (let r = 0; r < customers.length; r++) {
    const u = lineUser[r] as number;
    if (u < 0) continue;
    lines[next[u] as number] = r;
    next[u] = (next[u] as number) + 1;
  }
  const sums = new Float64Array(items.length);
  const seenBy = new Int32Array(items.length).fill(-1);
  const touched = new Int32Array(items.length);
  const indptr = new Int32Array(users.length + 1);
  // A pair has at least one line, so the lines bound the entries.
  const indices = new Int32Array(lines.length);
  const data = new Float64Array(lines.length);
  let nnz = 0;
  for (let u = 0; u < users.length; u++) {
    let count = 0;
    for (let k = perUser[u] as number; k < (perUser[u + 1] as number); k++) {
      const r = lines[k] as number;
      const i = lineItem[r] as number;
      if (seenBy[i] !== u) {
        seenBy[i] = u;
        sums[i] = 0;
        touched[count++] = i;
      }
      sums[i] = (sums[i] as number) + (lineValue[r] as number);
    }
    const row = touched.subarray(0, count).sort();
    for (let k = 0; k < count; k++) {
      const i = row[k] as number;
      const sum = sums[i] as number;
      if (sum <= 0) continue;
      indices[nnz] = i;
      data[nnz++] = value === 'binary' ? 1 : sum;
    }
    indptr[u + 1] = nnz;
  }
  const byUser: SparseMatrix = { rows: users.length, cols: items.length, indptr, indices: indices.slice(0, nnz), data: data.slice(0, nnz) };
  return { users, items, byUser, byItem: transpose(byUser) };
}

/** A CSR matrix from (row, col, value) triples, which must not repeat a (row, col) pair. */
export function fromTriples(rows: number, cols: number, triples: readonly (readonly [number, number, number])[]): SparseMatrix {
  const sorted = [...triples].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const indptr = new Int32Array(rows + 1);
  const indices = new Int32Array(sorted.length);
  const data = new Float64Array(sorted.length);
  sorted.forEach(([row, col, value], k) => {
    if (!(row >= 0 && row < rows && col >= 0 && col < cols)) throw new RangeError(`entry (${row}, ${col}) is outside a ${rows} × ${cols} matrix`);
    if (k > 0 && sorted[k - 1]![0] === row && sorted[k - 1]![1] === col) throw new RangeError(`entry (${row}, ${col}) is given twice`);
    indptr[row + 1] = (indptr[row + 1] as number) + 1;
    indices[k] = col;
    data[k] = value;
  });
  for (let r = 0; r < rows; r++) indptr[r + 1] = (indptr[r + 1] as number) + (indptr[r] as number);
  return { rows, cols, indptr, indices, data };
}

/** The transpose, still CSR (so rows of the result are columns of the input), with indices ascending. */
export function transpose(m: SparseMatrix): SparseMatrix {
  const counts = new Int32Array(m.cols + 1);
  for (const col of m.indices) counts[col + 1] = (counts[col + 1] as number) + 1;
  for (let c = 0; c < m.cols; c++) counts[c + 1] = (counts[c + 1] as number) + (counts[c] as number);
  const indptr = Int32Array.from(counts);
  const next = counts.subarray(0, m.cols);
  const indices = new Int32Array(m.indices.length);
  const data = new Float64Array(m.indices.length);
  for (let r = 0; r < m.rows; r++) {
    for (let k = m.indptr[r] as number; k < (m.indptr[r + 1] as number); k++) {
      const col = m.indices[k] as number;
      const at = next[col] as number;
      indices[at] = r;
      data[at] = m.data[k] as number;
      next[col] = at + 1;
    }
  }
  return { rows: m.cols, cols: m.rows, indptr, indices, data };
}

/** Row r's column indices and values (views, not copies). */
export function rowOf(m: SparseMatrix, r: number): { indices: Int32Array; data: Float64Array } {
  const start = m.indptr[r] as number;
  const end = m.indptr[r + 1] as number;
  return { indices: m.indices.subarray(start, end), data: m.data.subarray(start, end) };
}

/** One product for one customer: higher `score` is better; `explanation` says why, in words a shop manager reads. */
export interface Recommendation {
  readonly item: number;
  readonly score: number;
  readonly explanation: string;
}

/**
 * A trained recommender. `score` fills `out` (length = item count) with a score per product for customer `user`
 * (an index into `Interactions.users`); higher is better, and products the customer already bought may get any
 * score — `recommend` removes them.
 */
export interface Recommender {
  readonly name: string;
  score(user: number, out: Float64Array): void;
  explain(user: number, item: number): string;
}

/**
 * The n best items by score, best first; ties go to the lower index (so results are deterministic), and items for
 * which `skip(item)` is true, or whose score is NaN or −Infinity, are left out. O(items · log n).
 */
export function topN(scores: Float64Array, n: number, skip?: (item: number) => boolean): { item: number; score: number }[] {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  // The best n so far, the worst kept at the root.
  const heap = scoreHeaps(n);
  let size = 0;
  if (n === 0) return [];
  // The root's score once the heap is full, in a local: the scan below then reads no heap memory for the products that lose.
  let floor = Number.NEGATIVE_INFINITY;
  const count = scores.length;
  let item = 0;
  for (; item < count && size < n; item++) {
    const score = scores[item] as number;
    if (Number.isNaN(score) || score === Number.NEGATIVE_INFINITY || skip?.(item) === true) continue;
    heap.push(0, size++, item, score);
  }
  if (size === n) floor = heap.scores[0] as number;
  for (; item < count; item++) {
    const score = scores[item] as number;
    // The floor test first: most products lose there, before the (costlier) skip callback is asked. Equal scores never
    // displace: the earlier (lower) index already holds the place.
    if (!(score > floor) || skip?.(item) === true) continue;
    heap.replaceRoot(0, size, item, score);
    floor = heap.scores[0] as number;
  }
  const items = new Int32Array(size);
  const keptScores = new Float64Array(size);
  heap.drainBestFirst(0, size, items, keptScores, 0);
  return Array.from(items, (item, k) => ({ item, score: keptScores[k] as number }));
}

/** The top n products customer `user` has not bought yet, each with the recommender's explanation. */
export function recommend(recommender: Recommender, interactions: Interactions, user: number, n: number, scratch?: Float64Array): Recommendation[] {
  const scores = scratch ?? new Float64Array(interactions.items.length);
  recommender.score(user, scores);
  const bought = rowOf(interactions.byUser, user).indices;
  return topN(scores, n, (item) => holds(bought, item)).map(({ item, score }) => ({ item, score, explanation: recommender.explain(user, item) }));
}

/** Whether the ascending `sorted` holds `value` (topN asks only about the few products that would enter its list). */
function holds(sorted: Int32Array, value: number): boolean {
  return positionIn(sorted, 0, sorted.length, value) >= 0;
}

/**
 * Where `value` is in the ascending `sorted[start .. end)` (a binary search), or −1: whether row r of a matrix holds
 * column c is `positionIn(m.indices, m.indptr[r], m.indptr[r + 1], c) >= 0`, with no view made.
 */
export function positionIn(sorted: Int32Array, start: number, end: number, value: number): number {
  let low = start;
  let high = end;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((sorted[middle] as number) < value) low = middle + 1;
    else high = middle;
  }
  return low < end && sorted[low] === value ? low : -1;
}
