/**
 * The recommender models a model cell can name (`similar_products`, `recommend`, `evaluate_recommenders`, and
 * `svd_cross_validation` from svd-cells.ts), as thin adapters from a transactions table to the pure algorithms.
 */
import type { Frame } from '../kit/frame.ts';
import { integer, number, oneOf, only, ParamError, type Params } from '../kit/params.ts';
import type { Field, ModelDefinition } from '../kit/model.ts';
import { INPUT, LINE_FIELDS, SEED } from '../kit/fields.ts';
import { Progress } from '../kit/progress.ts';
import { lineNumbers, lineReads, lineText } from '../kit/retail-lines.ts';
import { recommend } from '../baskets/interactions.ts';
import { weightMatrix } from '../baskets/weighting.ts';
import { basketLevel, basketsOf } from '../baskets/cells.ts';
import { findProduct, itemSimilarities, similarProducts } from './item-knn.ts';
import { oftenBoughtWithEach } from './bought-with.ts';
import { DEFAULT_SETTINGS, RECOMMENDER_METHODS, RENAMED_METHODS, binary, recommenderFactories, type RecommenderMethod, type RecommenderSettings } from './recommenders.ts';
import { defaultCutoff, evaluateRecommenders, lastBasketSplit, timeSplit, type EvaluationRows } from './evaluation.ts';
import { PURCHASE_FIELDS, SETTINGS_PARAMS, purchases } from './lines.ts';
import { svdCrossValidationModel } from './svd-cells.ts';

const METHODS: Field = { key: 'methods', label: 'Recommenders', type: 'choices', choices: RECOMMENDER_METHODS, hint: 'default: every recommender' };
const VALUE: Field = { key: 'value', label: 'Interaction', type: 'choice', choices: ['binary', 'quantity', 'amount'], hint: 'what a purchase counts as' };
const WEIGHTING: Field = { key: 'weighting', label: 'Weighting', type: 'choice', choices: ['bm25', 'tfidf', 'none'], hint: 'how a customer\'s purchases are weighted; default bm25' };

/** The splits an evaluation holds purchases out by (`splits`; default both). */
const splitsOf = (params: Params): string[] => idList(params, 'splits') ?? ['time', 'last_basket'];

function settingsOf(params: Params): RecommenderSettings {
  return {
    value: oneOf(params, 'value', ['binary', 'amount'] as const, DEFAULT_SETTINGS.value),
    weighting: oneOf(params, 'weighting', ['bm25', 'tfidf', 'none'] as const, DEFAULT_SETTINGS.weighting),
    itemNeighbours: integer(params, 'item_neighbours', DEFAULT_SETTINGS.itemNeighbours, 1, 1000),
    userNeighbours: integer(params, 'user_neighbours', DEFAULT_SETTINGS.userNeighbours, 1, 1000),
    factors: integer(params, 'factors', DEFAULT_SETTINGS.factors, 1, 512),
    iterations: integer(params, 'iterations', DEFAULT_SETTINGS.iterations, 1, 200),
    svdFactors: integer(params, 'svd_factors', DEFAULT_SETTINGS.svdFactors, 1, 512),
    contentPopularity: fraction(params, 'content_popularity', DEFAULT_SETTINGS.contentPopularity),
    epochs: integer(params, 'epochs', DEFAULT_SETTINGS.epochs, 1, 500),
    seed: integer(params, 'seed', DEFAULT_SETTINGS.seed, 0, Number.MAX_SAFE_INTEGER),
  };
}

function fraction(params: Params, field: string, fallback: number): number {
  const value = number(params, field, fallback);
  if (value < 0 || value > 1) throw new ParamError(`"${field}" must be from 0 to 1; got ${value}`);
  return value;
}

/** The spec's methods; a name a saved notebook may still use (`svd`) runs the method that now does its job. */
function methodsOf(params: Params): RecommenderMethod[] {
  const value = params.methods ?? params.method ?? [...RECOMMENDER_METHODS];
  const list = (typeof value === 'string' ? [value] : value) as unknown;
  if (Array.isArray(list)) list.forEach((method, at) => (list[at] = RENAMED_METHODS[method as string] ?? method));
  if (!Array.isArray(list) || list.length === 0 || !list.every((method): method is RecommenderMethod => RECOMMENDER_METHODS.includes(method as RecommenderMethod))) {
    throw new ParamError(`"methods" must list recommenders from ${RECOMMENDER_METHODS.join(', ')}; got ${JSON.stringify(value)}`);
  }
  return [...new Set(list)];
}

/** The spec's one id or list of ids (`"customers": "$customer"`), or undefined for "all". */
function idList(params: Params, field: string): string[] | undefined {
  const value = params[field];
  if (value === undefined || value === null || value === '') return undefined;
  const list = Array.isArray(value) ? value : [value];
  if (!list.every((id) => typeof id === 'string' || typeof id === 'number')) throw new ParamError(`"${field}" must be an id or a list of ids; got ${JSON.stringify(value)}`);
  return list.map(String);
}

const similarProductsModel: ModelDefinition = {
  kind: 'worker',
  name: 'similar_products',
  title: 'Similar products (item-based)',
  fields: [
    INPUT,
    { key: 'product', label: 'Product', type: 'text', hint: 'a code, a description, or $name of an input; empty: every product' },
    { key: 'n', label: 'How many', type: 'number', hint: 'similar products per product; default 10' },
    VALUE,
    WEIGHTING,
    ...LINE_FIELDS,
  ],
  params: { ...SETTINGS_PARAMS, product: ['string', 'number'], n: 'number', min_baskets: 'number', baskets: 'string' },
  reads: (params) => lineReads(params, [...PURCHASE_FIELDS, basketLevel(params)]),
  run(inputs, params, control) {
    const input = only(inputs);
    const progress = new Progress(control, 'Similar products');
    const n = integer(params, 'n', 10, 1, 200);
    const { interactions, catalogue } = purchases(input, params);
    const settings = settingsOf(params);
    const valued = settings.value === 'binary' ? binary(interactions) : interactions;
    const { items } = interactions;
    const labels = items.map((id) => catalogue.describe(id));
    const query = params.product;
    let chosen: number[] = items.map((_, item) => item);
    let match: Frame | undefined;
    if (query !== undefined && query !== null && query !== '') {
      if (typeof query !== 'string' && typeof query !== 'number') throw new ParamError(`"product" must be a product code or description; got ${JSON.stringify(query)}`);
      const found = findProduct(String(query), items, labels);
      if (!found) throw new ParamError(`no product matches ${JSON.stringify(String(query))} by code or description`);
      chosen = [found.index];
      match = { rowCount: 1, columns: { query: [String(query)], product_id: [items[found.index]!], description: [labels[found.index]!], matched_by: [found.match] } };
    }
    // Products are the documents and customers the terms, as implicit's item-item recommenders weight them.
    const similarities = itemSimilarities(weightMatrix(valued.byItem, settings.weighting), { neighbours: n, ...progress.slice(0, 0.6) });
    const similarRows = chosen.flatMap((item) => similarProducts(similarities, item, n).map((similar, rank) => ({ item, rank: rank + 1, similar: similar.item, score: similar.score })));

    const baskets = basketsOf(input, params, catalogue).transactions;
    const boughtWith = oftenBoughtWithEach(baskets, n, { minCount: integer(params, 'min_baskets', 2, 1, 1_000_000), ...progress.slice(0.6, 0.95) });
    const basketLabel = (item: number) => catalogue.describe(baskets.items[item]!);
    const basketIndex = new Map(baskets.items.map((id, index) => [id, index]));
    const withRows = chosen.flatMap((item) => {
      const index = basketIndex.get(items[item]!);
      return index === undefined ? [] : (boughtWith[index] ?? []).map((other, rank) => ({ item, rank: rank + 1, other: other.item, count: other.count, confidence: other.confidence, lift: other.lift }));
    });
    progress.finish();
    const outputs: Record<string, Frame> = {
      '': {
        rowCount: similarRows.length,
        columns: {
          product_id: similarRows.map((row) => items[row.item]!),
          description: similarRows.map((row) => labels[row.item]!),
          rank: Int32Array.from(similarRows, (row) => row.rank),
          similar_id: similarRows.map((row) => items[row.similar]!),
          similar_description: similarRows.map((row) => labels[row.similar]!),
          cosine: Float64Array.from(similarRows, (row) => row.score),
        },
      },
      bought_with: {
        rowCount: withRows.length,
        columns: {
          product_id: withRows.map((row) => items[row.item]!),
          description: withRows.map((row) => labels[row.item]!),
          rank: Int32Array.from(withRows, (row) => row.rank),
          other_id: withRows.map((row) => baskets.items[row.other]!),
          other_description: withRows.map((row) => basketLabel(row.other)),
          baskets: Int32Array.from(withRows, (row) => row.count),
          confidence: Float64Array.from(withRows, (row) => row.confidence),
          lift: Float64Array.from(withRows, (row) => row.lift),
        },
      },
    };
    if (match) outputs.match = match;
    return outputs;
  },
};

const recommendModel: ModelDefinition = {
  kind: 'worker',
  name: 'recommend',
  title: 'Recommendations for customers',
  fields: [
    INPUT,
    METHODS,
    { key: 'customers', label: 'Customers', type: 'text', hint: 'an id, a list, or $name of an input; empty: every customer' },
    { key: 'n', label: 'Per customer', type: 'number', hint: 'default 10' },
    VALUE,
    WEIGHTING,
    { key: 'factors', label: 'ALS factors', type: 'number', hint: 'latent factors of ALS; default 32' },
    { key: 'svd_factors', label: 'PureSVD factors', type: 'number', hint: 'singular vectors PureSVD keeps; default 50' },
    { key: 'content_popularity', label: 'Content: popularity weight', type: 'number', hint: 'share of the content score from how many customers bought the product, 0 to 1; default 0.35' },
    SEED,
    ...LINE_FIELDS,
  ],
  params: { ...SETTINGS_PARAMS, methods: ['string', 'string[]'], method: ['string', 'string[]'], customers: ['string', 'number', 'list'], customer: ['string', 'number', 'list'], n: 'number' },
  reads: (params) => lineReads(params, PURCHASE_FIELDS),
  run(inputs, params, control) {
    const input = only(inputs);
    const progress = new Progress(control, 'Recommendations');
    const n = integer(params, 'n', 10, 1, 100);
    const methods = methodsOf(params);
    const { interactions, catalogue } = purchases(input, params);
    const userIndex = new Map(interactions.users.map((id, index) => [id, index]));
    const wanted = idList(params, 'customers') ?? idList(params, 'customer');
    const users = wanted?.map((id) => {
      const index = userIndex.get(id);
      if (index === undefined) throw new ParamError(`customer ${JSON.stringify(id)} has no purchases in the input`);
      return index;
    }) ?? interactions.users.map((_, index) => index);
    const factories = recommenderFactories(methods, catalogue, settingsOf(params), { everyCustomer: wanted === undefined });
    type Row = { user: number; method: string; rank: number; item: number; score: number; explanation: string };
    const scratch = new Float64Array(interactions.items.length);
    const recommenders = factories.map((factory, m) => factory.fit(interactions, progress.slice((0.7 * m) / factories.length, (0.7 * (m + 1)) / factories.length)));
    // Customer by customer, every method in turn: the hybrid then reuses the scores its parts just computed.
    const byMethod: Row[][] = factories.map(() => []);
    users.forEach((user, u) => {
      recommenders.forEach((recommender, m) => {
        recommend(recommender, interactions, user, n, scratch).forEach((r, rank) => byMethod[m]!.push({ user, method: factories[m]!.name, rank: rank + 1, item: r.item, score: r.score, explanation: r.explanation }));
      });
      if (u % 64 === 0) progress.checkpoint(0.7 + (0.3 * u) / users.length);
    });
    const rows = byMethod.flat();
    progress.finish();
    return {
      '': {
        rowCount: rows.length,
        columns: {
          customer_id: rows.map((row) => interactions.users[row.user]!),
          method: rows.map((row) => row.method),
          rank: Int32Array.from(rows, (row) => row.rank),
          product_id: rows.map((row) => interactions.items[row.item]!),
          description: rows.map((row) => catalogue.describe(interactions.items[row.item]!)),
          score: Float64Array.from(rows, (row) => row.score),
          explanation: rows.map((row) => row.explanation),
        },
      },
    };
  },
};

const evaluateModel: ModelDefinition = {
  kind: 'worker',
  name: 'evaluate_recommenders',
  title: 'Offline evaluation of recommenders',
  fields: [
    INPUT,
    METHODS,
    { key: 'splits', label: 'Splits', type: 'choices', choices: ['time', 'last_basket'], hint: 'how purchases are held out for testing; default both' },
    { key: 'k', label: 'Top k', type: 'number', hint: 'recommendations scored per customer; default 10' },
    { key: 'cutoff', label: 'Time split at', type: 'date', hint: 'default: the last 20% of invoices are the test period' },
    SEED,
    ...LINE_FIELDS,
  ],
  params: { ...SETTINGS_PARAMS, methods: ['string', 'string[]'], method: ['string', 'string[]'], splits: ['string', 'string[]'], k: 'number', cutoff: 'string', max_users: 'number' },
  reads: (params) => lineReads(params, [...PURCHASE_FIELDS, 'invoice', 'date']),
  // Each split trains and scores every method on its own: two splits are two runs, side by side on two cores.
  parts(params) {
    const splits = splitsOf(params);
    return splits.length > 1 ? splits.map((split) => ({ ...params, splits: [split] })) : undefined;
  },
  run(inputs, params, control) {
    const input = only(inputs);
    const progress = new Progress(control, 'Evaluation');
    const k = integer(params, 'k', 10, 1, 100);
    const methods = methodsOf(params);
    const settings = settingsOf(params);
    const { customers, products, amounts, catalogue } = purchases(input, params);
    const rows: EvaluationRows = { customers, products, values: amounts, baskets: lineText(input, params, 'invoice'), times: lineNumbers(input, params, 'date') };
    const splitNames = splitsOf(params);
    const cutoff = cutoffOf(params, rows.times);
    const splits = splitNames.map((name) => {
      if (name === 'time') return timeSplit(rows, cutoff);
      if (name === 'last_basket') return lastBasketSplit(rows);
      throw new ParamError(`"splits" may list time and last_basket; got ${JSON.stringify(name)}`);
    });
    const table = splits.flatMap((split, s) =>
      evaluateRecommenders(rows, split, recommenderFactories(methods, catalogue, settings), {
        k,
        value: 'amount',
        seed: settings.seed,
        ...(params.max_users === undefined ? {} : { maxUsers: integer(params, 'max_users', 1000, 1, 10_000_000) }),
        ...progress.slice(s / splits.length, (s + 1) / splits.length),
      }),
    );
    progress.finish();
    return {
      '': {
        rowCount: table.length,
        columns: {
          split: table.map((row) => row.split),
          recommender: table.map((row) => row.recommender),
          k: Int32Array.from(table, (row) => row.k),
          precision: Float64Array.from(table, (row) => row.precision),
          recall: Float64Array.from(table, (row) => row.recall),
          map: Float64Array.from(table, (row) => row.map),
          ndcg: Float64Array.from(table, (row) => row.ndcg),
          hit_rate: Float64Array.from(table, (row) => row.hit_rate),
          coverage: Float64Array.from(table, (row) => row.coverage),
          users: Int32Array.from(table, (row) => row.users_evaluated),
          catalogue_size: Int32Array.from(table, (row) => row.catalogue_size),
        },
      },
    };
  },
};

/** The spec's `cutoff` date, or the time that leaves the last 20% of lines for testing. */
function cutoffOf(params: Params, times: ArrayLike<number>): number {
  const value = params.cutoff;
  if (value === undefined || value === null || value === '') return defaultCutoff(times);
  const time = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value) : Number.NaN;
  if (!Number.isFinite(time)) throw new ParamError(`"cutoff" must be a date like 2011-10-01; got ${JSON.stringify(value)}`);
  return time;
}

/** The recommender models, in the order the form lists them. */
export const RECOMMENDER_MODELS: readonly ModelDefinition[] = [similarProductsModel, recommendModel, evaluateModel, svdCrossValidationModel];
