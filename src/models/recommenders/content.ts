/**
 * Content-based recommender: products are TF-IDF vectors of their description words plus their category, a customer is
 * the normalised sum of the vectors of what they bought, and a product scores the cosine between the two.
 */
import { compareText } from '../baskets/basket.ts';
import { type Interactions, type Recommender, type SparseMatrix, fromTriples, rowOf, topN } from '../baskets/interactions.ts';
import { Progress, type RunControl } from '../kit/progress.ts';

/** Words too common in any product description to say anything about it. */
const STOP_WORDS = new Set(['an', 'and', 'at', 'by', 'for', 'from', 'in', 'of', 'on', 'or', 'the', 'to', 'with']);
const WORD = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;
const CATEGORY = 'category:';

/**
 * Lower-cased words of a description, in order, without 1-character words and stop words; hyphens and apostrophes
 * inside a word are kept: `tokenize('WHITE HANGING HEART T-LIGHT HOLDER')` → `['white', 'hanging', 'heart', 't-light', 'holder']`.
 */
export function tokenize(description: string): string[] {
  const words = description.toLowerCase().match(WORD) ?? [];
  return words.filter((word) => word.length > 1 && !STOP_WORDS.has(word));
}

/** TF-IDF vectors, one row per product. */
export interface TfidfVectors {
  /** Term index → term, sorted; a category is the single term `category:<lower-cased name>`. */
  readonly terms: readonly string[];
  /** Inverse document frequency per term. */
  readonly idf: Float64Array;
  /** products × terms, tf · idf, each non-empty row scaled to unit length. */
  readonly byItem: SparseMatrix;
}

/**
 * TF-IDF as scikit-learn's `TfidfVectorizer` defaults (https://scikit-learn.org/stable/modules/feature_extraction.html#tfidf-term-weighting):
 * tf = raw count, idf(t) = ln((1 + n) / (1 + df(t))) + 1, rows L2-normalised; a product with no words is a zero row.
 * `tfidfVectors(['RED MUG', 'BLUE MUG'], ['kitchen', null])`.
 */
export function tfidfVectors(descriptions: readonly (string | null)[], categories?: readonly (string | null)[], progress?: (fraction: number) => void): TfidfVectors {
  if (categories !== undefined && categories.length !== descriptions.length) {
    throw new RangeError(`categories must have one entry per product (${descriptions.length}), got ${categories.length}`);
  }
  const documents = descriptions.map((description, item) => {
    const terms = tokenize(description ?? '');
    const category = categories?.[item]?.trim().toLowerCase();
    if (category) terms.push(CATEGORY + category);
    return terms;
  });
  const terms = [...new Set(documents.flat())].sort(compareText);
  const termIndex = new Map(terms.map((term, index) => [term, index]));
  const documentFrequency = new Float64Array(terms.length);
  const counts = documents.map((document) => {
    const count = new Map<number, number>();
    for (const term of document) {
      const index = termIndex.get(term) as number;
      count.set(index, (count.get(index) ?? 0) + 1);
    }
    for (const index of count.keys()) documentFrequency[index] = (documentFrequency[index] as number) + 1;
    return count;
  });
  const n = descriptions.length;
  const idf = documentFrequency.map((df) => Math.log((1 + n) / (1 + df)) + 1);
  const triples: [number, number, number][] = [];
  counts.forEach((count, item) => {
    if (item % 256 === 0) progress?.(item / n);
    let squares = 0;
    const weights = [...count].map(([term, tf]) => {
      const weight = tf * (idf[term] as number);
      squares += weight * weight;
      return [term, weight] as const;
    });
    const norm = Math.sqrt(squares);
    for (const [term, weight] of weights) triples.push([item, term, weight / norm]);
  });
  return { terms, idf, byItem: fromTriples(n, terms.length, triples) };
}

/** Cosine of two unit rows of the same matrix: a merge over their ascending term indices (offsets, not `rowOf` views: explanations call it for every bought product). */
function rowCosine(m: SparseMatrix, a: number, b: number): number {
  const { indptr, indices, data } = m;
  const iEnd = indptr[a + 1] as number;
  const jEnd = indptr[b + 1] as number;
  let sum = 0;
  for (let i = indptr[a] as number, j = indptr[b] as number; i < iEnd && j < jEnd; ) {
    const ti = indices[i] as number;
    const tj = indices[j] as number;
    if (ti === tj) sum += (data[i++] as number) * (data[j++] as number);
    else if (ti < tj) i++;
    else j++;
  }
  return sum;
}

/** The n products most similar in content to `item` (cosine, best first, ties by index), itself left out. */
export function similarByContent(vectors: TfidfVectors, item: number, n: number): { item: number; score: number }[] {
  const { byItem } = vectors;
  if (!Number.isInteger(item) || item < 0 || item >= byItem.rows) throw new RangeError(`item must be an index below ${byItem.rows}, got ${item}`);
  const scores = new Float64Array(byItem.rows);
  for (let other = 0; other < byItem.rows; other++) scores[other] = rowCosine(byItem, item, other);
  return topN(scores, n, (other) => other === item);
}

export interface ContentOptions extends RunControl {
  /** Product index (into `Interactions.items`) → description; also names the product in explanations. */
  readonly descriptions: readonly (string | null)[];
  /** Product index → category, added to the vector as one term. */
  readonly categories?: readonly (string | null)[];
  /**
   * Weight w in [0, 1] of the popularity prior: a product scores (1 − w) · cosine + w · its customers / the most
   * customers any product has, both counted in the training interactions. 0 ranks by description alone.
   * Default `DEFAULT_POPULARITY_WEIGHT`.
   */
  readonly popularityWeight?: number;
}

/**
 * Chosen on a validation split carved from the generated data's training period (its own last 20% by time, and each
 * customer's last training basket), never the evaluation's test lines: MAP@10 rose from w = 0 to a plateau and fell
 * again close to popularity alone; see the README's model table for the evaluation figures.
 */
export const DEFAULT_POPULARITY_WEIGHT = 0.35;

/** A content recommender that also answers "more like this product". */
export interface ContentRecommender extends Recommender {
  readonly vectors: TfidfVectors;
  /** `similarByContent(vectors, item, n)`. */
  similar(item: number, n: number): { item: number; score: number }[];
}

/**
 * Recommends products whose descriptions resemble what the customer bought:
 * `contentRecommender(interactions, { descriptions, categories })`. The profile weights each bought product by its
 * interaction value, so build the interactions as `'binary'` for an unweighted profile; products the customer
 * bought score highest, and `recommend` removes them. The cosine is blended with a popularity prior (`popularityWeight`):
 * by description alone it ranked far below popularity (MAP@10 0.0178 against 0.0426 on the generated data's time split).
 */
export function contentRecommender(interactions: Interactions, options: ContentOptions): ContentRecommender {
  const { descriptions, categories, popularityWeight = DEFAULT_POPULARITY_WEIGHT } = options;
  const itemCount = interactions.items.length;
  if (descriptions.length !== itemCount) throw new RangeError(`descriptions must have one entry per product (${itemCount}), got ${descriptions.length}`);
  if (!(popularityWeight >= 0 && popularityWeight <= 1)) throw new RangeError(`popularityWeight must be a number from 0 to 1, got ${popularityWeight}`);
  // Customers per product, scaled so the best-selling product has 1 (all 0 when nothing was bought).
  const { indptr: customersAt } = interactions.byItem;
  const popularity = Float64Array.from({ length: itemCount }, (_, item) => (customersAt[item + 1] as number) - (customersAt[item] as number));
  const mostCustomers = popularity.reduce((max, count) => Math.max(max, count), 0);
  if (mostCustomers > 0) for (let item = 0; item < itemCount; item++) popularity[item] = (popularity[item] as number) / mostCustomers;
  const progress = new Progress(options, 'Content-based recommender');
  progress.checkpoint(0);
  const vectors = tfidfVectors(descriptions, categories, (fraction) => progress.checkpoint(fraction));
  const { byItem, terms } = vectors;
  const profile = new Float64Array(terms.length);
  const touched = new Int32Array(terms.length);
  progress.finish();

  const score = (user: number, out: Float64Array): void => {
    if (out.length !== itemCount) throw new RangeError(`scores array must have ${itemCount} entries, got ${out.length}`);
    // Index arithmetic on the arrays, not a `rowOf` view per bought product: this runs for every customer and method.
    const { indptr: boughtAt, indices: boughtItems, data: boughtValues } = interactions.byUser;
    const { indptr, indices, data } = byItem;
    let touchedCount = 0;
    for (let k = boughtAt[user] as number; k < (boughtAt[user + 1] as number); k++) {
      const weight = boughtValues[k] as number;
      const product = boughtItems[k] as number;
      for (let t = indptr[product] as number; t < (indptr[product + 1] as number); t++) {
        const term = indices[t] as number;
        if (profile[term] === 0) touched[touchedCount++] = term;
        profile[term] = (profile[term] as number) + weight * (data[t] as number);
      }
    }
    let squares = 0;
    for (let t = 0; t < touchedCount; t++) squares += (profile[touched[t] as number] as number) ** 2;
    const scale = squares > 0 ? 1 / Math.sqrt(squares) : 0;
    for (let item = 0; item < itemCount; item++) {
      let sum = 0;
      for (let k = indptr[item] as number; k < (indptr[item + 1] as number); k++) sum += (data[k] as number) * (profile[indices[k] as number] as number);
      out[item] = (1 - popularityWeight) * sum * scale + popularityWeight * (popularity[item] as number);
    }
    for (let t = 0; t < touchedCount; t++) profile[touched[t] as number] = 0;
  };

  const explain = (user: number, item: number): string => {
    const bought = rowOf(interactions.byUser, user).indices;
    let closest = -1;
    let best = 0;
    for (const other of bought) {
      const cosine = rowCosine(byItem, item, other);
      if (cosine > best) [closest, best] = [other, cosine];
    }
    if (closest < 0) {
      const customers = (customersAt[item + 1] as number) - (customersAt[item] as number);
      const why = bought.length === 0 ? 'no purchases to compare its description with' : 'its description shares no words with anything you bought';
      // Only the popularity prior can have put it in the list.
      return popularityWeight > 0 && customers > 0 ? `bought by ${customers} customer${customers === 1 ? '' : 's'}; ${why}` : why;
    }
    const mine = rowOf(byItem, item);
    const theirs = rowOf(byItem, closest);
    const shared: { term: string; weight: number }[] = [];
    mine.indices.forEach((term, k) => {
      const at = theirs.indices.indexOf(term);
      if (at >= 0) shared.push({ term: terms[term] as string, weight: (mine.data[k] as number) * (theirs.data[at] as number) });
    });
    const named = shared
      .sort((a, b) => b.weight - a.weight || compareText(a.term, b.term))
      .slice(0, 3)
      .map(({ term }) => (term.startsWith(CATEGORY) ? `the category "${term.slice(CATEGORY.length)}"` : `"${term}"`));
    const name = descriptions[closest]?.trim() || (interactions.items[closest] as string);
    return `shares ${named.join(', ')} with ${name}, which you bought`;
  };

  return { name: 'Content-based', vectors, score, explain, similar: (item, n) => similarByContent(vectors, item, n) };
}
