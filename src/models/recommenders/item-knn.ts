/** Products bought by the same customers (item-kNN), products bought in the same baskets, and finding a product by name. */
import { editDistance } from '../../util/names.ts';
import { type Interactions, type Recommender, type SparseMatrix, positionIn, transpose } from '../baskets/interactions.ts';
import { Progress, type RunControl } from '../kit/progress.ts';
import { scoreHeaps } from '../kit/score-heap.ts';
import { allCosineNeighbours, rowNorms, rowsAscending } from './all-neighbours.ts';
import { type Bm25Options, type WeightingScheme, weightMatrix } from '../baskets/weighting.ts';

/** Each product's most similar other products: product p's are `items[indptr[p] .. indptr[p + 1])`, best first, with their cosine `scores`. */
export interface ItemSimilarities {
  /** The most kept per product. */
  readonly neighbours: number;
  readonly indptr: Int32Array;
  readonly items: Int32Array;
  readonly scores: Float64Array;
}

export interface SimilarityOptions extends RunControl {
  /** How many of the most similar products to keep for each product (a positive integer). */
  readonly neighbours: number;
}

/**
 * Cosine similarity between every pair of products, over the customers who bought them (the rows of `byItem`, a
 * products × customers matrix, weighted or not), keeping each product's `neighbours` most similar other products
 * with a positive score; ties go to the lower index. See `cosineNeighbours` for the cost.
 * `itemSimilarities(weightMatrix(interactions.byItem, 'tfidf'), { neighbours: 20 })`.
 */
export function itemSimilarities(byItem: SparseMatrix, options: SimilarityOptions): ItemSimilarities {
  const { neighbours } = options;
  const progress = new Progress(options, 'Product similarities');
  progress.checkpoint(0);
  if (rowsAscending(byItem)) {
    const all = allCosineNeighbours(byItem, neighbours, (fraction) => progress.checkpoint(fraction));
    progress.finish();
    return { neighbours, indptr: all.indptr, items: all.rows, scores: all.scores };
  }
  const nearest = cosineNeighbours(byItem, neighbours);
  const itemCount = byItem.rows;
  const indptr = new Int32Array(itemCount + 1);
  const lists: RowNeighbours[] = [];
  for (let item = 0; item < itemCount; item++) {
    progress.checkpoint(item / itemCount);
    const found = nearest(item);
    lists.push(found);
    indptr[item + 1] = (indptr[item] as number) + found.rows.length;
  }
  const items = new Int32Array(indptr[itemCount] as number);
  const scores = new Float64Array(items.length);
  lists.forEach((found, item) => {
    items.set(found.rows, indptr[item] as number);
    scores.set(found.scores, indptr[item] as number);
  });
  progress.finish();
  return { neighbours, indptr, items, scores };
}

/** Row r's most similar other rows by cosine, best first (ties to the lower row), all with a positive score. */
export interface RowNeighbours {
  readonly rows: Int32Array;
  readonly scores: Float64Array;
}

/**
 * A function giving row r's `neighbours` most cosine-similar other rows of `m`, for all rows (`itemSimilarities`) or
 * a few on demand (user-kNN). Sparse dot products: row r meets only the rows sharing a column with it, so all rows
 * cost Σ over columns of (entries in the column)², not rows² · columns; plus a scan of `m.rows` per row for the top
 * `neighbours`. Reuses its buffers, so it is not re-entrant: `cosineNeighbours(byItem, 20)(item)`.
 */
export function cosineNeighbours(m: SparseMatrix, neighbours: number): (row: number) => RowNeighbours {
  if (!(Number.isInteger(neighbours) && neighbours >= 1)) throw new RangeError(`neighbours must be a positive integer, got ${neighbours}`);
  // Plain locals, not property reads, in the hot loops below: V8 then keeps the arrays in registers.
  const { rows: rowCount, indptr, indices, data } = m;
  const byColumn = transpose(m);
  const columnIndptr = byColumn.indptr;
  const columnRows = byColumn.indices;
  const columnData = byColumn.data;
  const norms = rowNorms(m);
  const dots = new Float64Array(rowCount);
  const capacity = Math.min(neighbours, Math.max(rowCount - 1, 0));
  // The best so far: the worst kept at the root.
  const heap = scoreHeaps(capacity);
  return (row) => {
    if (!(Number.isInteger(row) && row >= 0 && row < rowCount)) throw new RangeError(`row ${row} is outside 0 … ${rowCount - 1}`);
    dots.fill(0);
    for (let k = indptr[row] as number; k < (indptr[row + 1] as number); k++) {
      const column = indices[k] as number;
      const weight = data[k] as number;
      for (let l = columnIndptr[column] as number; l < (columnIndptr[column + 1] as number); l++) {
        const other = columnRows[l] as number;
        dots[other] = (dots[other] as number) + weight * (columnData[l] as number);
      }
    }
    dots[row] = 0;
    const norm = norms[row] as number;
    let size = 0;
    for (let other = 0; other < rowCount; other++) {
      const dot = dots[other] as number;
      if (!(dot > 0)) continue; // a cosine ≤ 0 is no similarity
      const score = dot / (norm * (norms[other] as number));
      if (size < capacity) {
        heap.push(0, size++, other, score);
      } else if (size > 0 && score > (heap.scores[0] as number)) {
        // Rows come in ascending order, so an equal score never displaces: the lower row already holds the place.
        heap.replaceRoot(0, size, other, score);
      }
    }
    const rows = new Int32Array(size);
    const scores = new Float64Array(size);
    heap.drainBestFirst(0, size, rows, scores, 0);
    return { rows, scores };
  };
}

/** Product `item`'s n most similar products with their cosine, best first (at most `similarities.neighbours`). */
export function similarProducts(similarities: ItemSimilarities, item: number, n: number): { item: number; score: number }[] {
  const { indptr, items, scores } = similarities;
  if (!(Number.isInteger(item) && item >= 0 && item < indptr.length - 1)) throw new RangeError(`product index ${item} is outside 0 … ${indptr.length - 2}`);
  if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  const start = indptr[item] as number;
  const end = Math.min(indptr[item + 1] as number, start + n);
  return Array.from({ length: end - start }, (_, k) => ({ item: items[start + k] as number, score: scores[start + k] as number }));
}

/** How `findProduct` matched: the stock code, the description (whole or part), or most of the description's words. */
export interface ProductMatch {
  readonly index: number;
  readonly match: 'code' | 'description' | 'fuzzy';
}

/**
 * The product a shop manager means by `query`, trying in turn (case, extra spaces and surrounding spaces aside):
 * 1. the stock code, exactly;
 * 2. the description, exactly, else the shortest description containing the query;
 * 3. fuzzy: each query word scores 1 for the same word in the description, 1 − d/length for one within d edits
 *    (none for words of ≤ 3 characters, 1 for ≤ 6, 2 beyond; two adjacent description words may count as one, so
 *    REDRETROSPOT finds RED RETROSPOT); the best mean score wins if it is at least 2/3.
 * Ties go to the description with fewer words, then the lower index; undefined when nothing is close.
 * `findProduct('white heart t-light', ids, descriptions)` → WHITE HANGING HEART T-LIGHT HOLDER, a fuzzy match.
 */
export function findProduct(query: string, ids: readonly string[], descriptions: readonly string[]): ProductMatch | undefined {
  if (ids.length !== descriptions.length) throw new RangeError(`ids and descriptions must have the same length, got ${ids.length} and ${descriptions.length}`);
  const wanted = normalizeText(query);
  if (wanted === '') return undefined;
  const code = ids.findIndex((id) => normalizeText(id) === wanted);
  if (code >= 0) return { index: code, match: 'code' };
  const normalized = descriptions.map(normalizeText);
  const exact = normalized.indexOf(wanted);
  if (exact >= 0) return { index: exact, match: 'description' };
  let containing = -1;
  normalized.forEach((text, index) => {
    if (text.includes(wanted) && (containing < 0 || text.length < (normalized[containing] as string).length)) containing = index;
  });
  if (containing >= 0) return { index: containing, match: 'description' };

  const queryWords = wordsOf(wanted);
  let best: { index: number; score: number; words: number } | undefined;
  normalized.forEach((text, index) => {
    const words = wordsOf(text);
    const candidates = [...words, ...words.slice(1).map((word, k) => `${words[k]}${word}`)];
    let total = 0;
    for (const queryWord of queryWords) total += Math.max(0, ...candidates.map((candidate) => wordSimilarity(queryWord, candidate)));
    const score = total / queryWords.length;
    if (best === undefined || score > best.score || (score === best.score && words.length < best.words)) best = { index, score, words: words.length };
  });
  return best !== undefined && queryWords.length > 0 && best.score >= 2 / 3 ? { index: best.index, match: 'fuzzy' } : undefined;
}

export interface ItemKnnOptions extends RunControl {
  /** Similar products kept per product; default 20, as `implicit`'s `ItemItemRecommender`. */
  readonly neighbours?: number;
  /** Applied to `byItem` (products are documents, customers terms) before the cosine; default `none`. */
  readonly weighting?: WeightingScheme;
  readonly bm25?: Bm25Options;
  /** Product index → description, for explanations. */
  readonly labels: readonly string[];
}

/**
 * Item-kNN, as `implicit`'s `ItemItemRecommender`: a customer's score for product c is Σ over products j they bought
 * of value(j) · cosine(j, c), where value is their interaction value (1 for binary) and cosine(j, c) counts only
 * if c is among j's `neighbours` most similar products. `itemKnnRecommender(interactions, { labels: descriptions })`.
 */
export function itemKnnRecommender(interactions: Interactions, options: ItemKnnOptions): Recommender & { readonly similarities: ItemSimilarities } {
  const { neighbours = 20, weighting = 'none', labels } = options;
  const { byUser } = interactions;
  if (labels.length !== interactions.items.length) throw new RangeError(`labels must name every product (${interactions.items.length}), got ${labels.length}`);
  const similarities = itemSimilarities(weightMatrix(interactions.byItem, weighting, options.bm25), { ...options, neighbours });
  const { indptr, items, scores } = similarities;
  // Product → the products whose neighbours list it, with that cosine: what `explain` looks up.
  const listedBy = transpose({ rows: indptr.length - 1, cols: byUser.cols, indptr, indices: items, data: scores });
  const checkUser = (user: number): void => {
    if (!(Number.isInteger(user) && user >= 0 && user < byUser.rows)) throw new RangeError(`customer index ${user} is outside 0 … ${byUser.rows - 1}`);
  };
  return {
    name: 'Item-kNN',
    similarities,
    score(user, out) {
      checkUser(user);
      if (out.length !== byUser.cols) throw new RangeError(`scores need one slot per product (${byUser.cols}), got ${out.length}`);
      out.fill(0);
      const { indptr: boughtAt, indices: boughtItems, data: boughtValues } = byUser;
      for (let k = boughtAt[user] as number; k < (boughtAt[user + 1] as number); k++) {
        const product = boughtItems[k] as number;
        const value = boughtValues[k] as number;
        for (let l = indptr[product] as number; l < (indptr[product + 1] as number); l++) {
          out[items[l] as number] = (out[items[l] as number] as number) + value * (scores[l] as number);
        }
      }
    },
    explain(user, item) {
      checkUser(user);
      // The products that list `item` among their neighbours, ascending (as the bought row is), each looked up in the
      // customer's row: ~50 binary searches instead of a scan of every bought product's neighbours.
      const start = byUser.indptr[user] as number;
      const end = byUser.indptr[user + 1] as number;
      let bestProduct = -1;
      let bestContribution = 0;
      let bestCosine = 0;
      for (let l = listedBy.indptr[item] as number; l < (listedBy.indptr[item + 1] as number); l++) {
        const product = listedBy.indices[l] as number;
        const k = positionIn(byUser.indices, start, end, product);
        if (k < 0) continue;
        const contribution = (byUser.data[k] as number) * (listedBy.data[l] as number);
        if (bestProduct >= 0 && !(contribution > bestContribution)) continue;
        bestProduct = product;
        bestContribution = contribution;
        bestCosine = listedBy.data[l] as number;
      }
      if (bestProduct < 0) return 'not among the products most similar to what you bought';
      return `similar to ${labels[bestProduct]}, which you bought (cosine ${bestCosine.toFixed(2)})`;
    },
  };
}

function normalizeText(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toUpperCase();
}

function wordsOf(text: string): string[] {
  return text.split(/[^\p{L}\p{N}]+/u).filter((word) => word !== '');
}

/** 1 for the same word, 1 − d/length within d allowed edits (0 for ≤ 3 characters, 1 for ≤ 6, else 2), otherwise 0. */
function wordSimilarity(queryWord: string, word: string): number {
  if (queryWord === word) return 1;
  const allowed = queryWord.length <= 3 ? 0 : queryWord.length <= 6 ? 1 : 2;
  if (Math.abs(queryWord.length - word.length) > allowed) return 0;
  const distance = editDistance(queryWord, word);
  return distance <= allowed ? 1 - distance / Math.max(queryWord.length, word.length) : 0;
}
