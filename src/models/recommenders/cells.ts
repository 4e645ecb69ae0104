/**
 * The recommender models a model cell can name (`similar_products`, `recommend`, `evaluate_recommenders`,
 * `svd_cross_validation`), as thin adapters from a transactions table to the pure algorithms.
 */
import type { Frame } from '../kit/frame.ts';
import { flag, integer, number, oneOf, only, ParamError, type Params } from '../kit/params.ts';
import type { Field, ModelDefinition, ParamSchema } from '../kit/model.ts';
import { INPUT, LINE_FIELDS, LINE_PARAMS, SEED } from '../kit/fields.ts';
import { Progress, type RunControl } from '../kit/progress.ts';
import { excludedProducts, lineColumn, lineNumbers, lineText, productCatalogue } from '../kit/retail-lines.ts';
import { buildInteractions, recommend, type Interactions } from '../baskets/interactions.ts';
import { weightMatrix } from '../baskets/weighting.ts';
import { basketsOf } from '../baskets/cells.ts';
import { findProduct, itemSimilarities, oftenBoughtWithEach, similarProducts } from './item-knn.ts';
import { DEFAULT_SETTINGS, RECOMMENDER_METHODS, RENAMED_METHODS, binary, logRatings, recommenderFactories, type RecommenderMethod, type RecommenderSettings } from './recommenders.ts';
import { defaultCutoff, evaluateRecommenders, lastBasketSplit, timeSplit, type EvaluationRows } from './evaluation.ts';
import { crossValidateSvd, type Ratings, type SvdOptions } from './svd.ts';

const METHODS: Field = { key: 'methods', label: 'Recommenders', type: 'choices', choices: RECOMMENDER_METHODS, hint: 'default: every recommender' };
const VALUE: Field = { key: 'value', label: 'Interaction', type: 'choice', choices: ['binary', 'quantity', 'amount'], hint: 'what a purchase counts as' };
const WEIGHTING: Field = { key: 'weighting', label: 'Weighting', type: 'choice', choices: ['bm25', 'tfidf', 'none'], hint: 'how a customer\'s purchases are weighted; default bm25' };

/** Spec keys of the recommender settings (see `settingsOf`) and of the lines they read. */
const SETTINGS_PARAMS: ParamSchema = {
  ...LINE_PARAMS, value: 'string', weighting: 'string', item_neighbours: 'number', user_neighbours: 'number', factors: 'number',
  iterations: 'number', svd_factors: 'number', content_popularity: 'number', epochs: 'number', seed: 'number',
};

/** The splits an evaluation holds purchases out by (`splits`; default both). */
const splitsOf = (params: Params): string[] => idList(params, 'splits') ?? ['time', 'last_basket'];

/** Each line's customer, product (excluded ones null) and amount; what each product is; `interactions` (built on each read): amount spent per customer and product. */
function purchases(input: Frame, params: Params) {
  const customers = lineText(input, params, 'customer');
  const excluded = excludedProducts(params);
  const products = lineText(input, params, 'product').map((product) => (excluded(product) ? null : product));
  const amounts = lineNumbers(input, params, 'amount');
  return { customers, products, amounts, catalogue: productCatalogue(input, params), get interactions() { return buildInteractions({ customers, products, values: amounts }, 'amount'); } };
}

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
  reads: (params) =>
    [...new Set((['customer', 'product', 'amount', 'description', 'category', oneOf(params, 'baskets', ['invoice', 'customer'] as const, 'invoice')] as const).map((field) => lineColumn(params, field)))],
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

const svdCrossValidationModel: ModelDefinition = {
  kind: 'worker',
  name: 'svd_cross_validation',
  title: 'SVD prediction error (cross-validation)',
  fields: [
    INPUT,
    { key: 'target', label: 'Predicts', type: 'choice', choices: ['log_amount', 'rating'], hint: 'log_amount: log(1 + amount spent) per customer and product (default); rating: explicit ratings, one per line' },
    { key: 'columns.rating', label: 'Rating column', type: 'column', hint: 'with target rating; default rating' },
    { key: 'folds', label: 'Folds', type: 'number', hint: 'default 5' },
    { key: 'svd_factors', label: 'Factors', type: 'number', hint: 'latent factors (Surprise n_factors); default 20 for log_amount, 100 for rating' },
    { key: 'epochs', label: 'Epochs', type: 'number', hint: 'passes of gradient descent (n_epochs); default 20 for log_amount, 40 for rating (Surprise: 20)' },
    { key: 'learning_rate', label: 'Learning rate', type: 'number', hint: 'lr_all; default 0.005 for log_amount, 0.01 for rating (Surprise: 0.005)' },
    { key: 'regularization', label: 'Regularisation', type: 'number', hint: 'reg_all; default 0.02 for log_amount, 0.1 for rating (Surprise: 0.02)' },
    { key: 'init_std', label: 'Initial spread', type: 'number', hint: 'init_std_dev of the starting factors; default 0.1 for log_amount, 0.05 for rating (Surprise: 0.1)' },
    { key: 'biased', label: 'Biases', type: 'bool', hint: 'global mean and customer and product biases (biased); default on' },
    SEED,
  ],
  params: { ...SETTINGS_PARAMS, 'columns.rating': 'string', target: 'string', folds: 'number', learning_rate: 'number', regularization: 'number', init_std: 'number', biased: 'boolean' },
  run(inputs, params, control) {
    const input = only(inputs);
    const target = oneOf(params, 'target', ['log_amount', 'rating'] as const, 'log_amount');
    const folds = integer(params, 'folds', 5, 2, 20);
    const seed = integer(params, 'seed', DEFAULT_SETTINGS.seed, 0, Number.MAX_SAFE_INTEGER);
    const tuned = SVD_DEFAULTS[target];
    const positive = (field: string, fallback: number, min: number): number => {
      const value = number(params, field, fallback);
      if (!(value >= min)) throw new ParamError(`"${field}" must be ${min > 0 ? 'positive' : 'at least 0'}; got ${value}`);
      return value;
    };
    const options: SvdOptions = {
      factors: integer(params, 'svd_factors', tuned.factors, 1, 512),
      epochs: integer(params, 'epochs', tuned.epochs, 1, 500),
      learningRate: positive('learning_rate', tuned.learningRate, Number.MIN_VALUE),
      regularization: positive('regularization', tuned.regularization, 0),
      initStdDev: positive('init_std', tuned.initStdDev, 0),
      biased: flag(params, 'biased', true),
      seed,
    };
    const ratings = target === 'rating' ? explicitRatings(input, params) : logRatings(purchases(input, params).interactions);
    return { '': ratingErrors(ratings, target === 'rating' ? 'rating' : 'log(1 + amount)', folds, options, control) };
  },
};

/**
 * Defaults per target. log_amount keeps the figures of saved notebooks. rating: the best validation RMSE of
 * tests/fixtures/models/svd-tuning.ts (0.972 against 1.027 with Surprise's defaults), on data held apart from the test.
 */
const SVD_DEFAULTS = {
  log_amount: { factors: 20, epochs: 20, learningRate: 0.005, regularization: 0.02, initStdDev: 0.1 },
  rating: { factors: 100, epochs: 40, learningRate: 0.01, regularization: 0.1, initStdDev: 0.05 },
} as const;

/** One rating per line with a customer, a product and a finite rating; predictions are clipped to the ratings' range. */
function explicitRatings(input: Frame, params: Params): Ratings & { readonly scale: readonly [number, number] } {
  const customers = lineText(input, params, 'customer');
  const excluded = params.exclude_products === undefined ? () => false : excludedProducts(params);
  const products = lineText(input, params, 'product');
  const values = lineNumbers(input, params, 'rating');
  const userIndex = new Map<string, number>();
  const itemIndex = new Map<string, number>();
  const users: number[] = [];
  const items: number[] = [];
  const kept: number[] = [];
  for (let row = 0; row < values.length; row++) {
    const customer = customers[row];
    const product = products[row];
    const value = values[row] as number;
    if (customer == null || product == null || excluded(product) || !Number.isFinite(value)) continue;
    users.push(userIndex.get(customer) ?? userIndex.set(customer, userIndex.size).size - 1);
    items.push(itemIndex.get(product) ?? itemIndex.set(product, itemIndex.size).size - 1);
    kept.push(value);
  }
  if (kept.length < 2) throw new ParamError(`target "rating" needs ratings in column "${lineColumn(params, 'rating')}" with a customer and a product; found ${kept.length}`);
  const scale: [number, number] = [Math.min(...kept), Math.max(...kept)];
  return { users: Int32Array.from(users), items: Int32Array.from(items), values: Float64Array.from(kept), userCount: userIndex.size, itemCount: itemIndex.size, scale };
}

/** The spec's `cutoff` date, or the time that leaves the last 20% of lines for testing. */
function cutoffOf(params: Params, times: ArrayLike<number>): number {
  const value = params.cutoff;
  if (value === undefined || value === null || value === '') return defaultCutoff(times);
  const time = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value) : Number.NaN;
  if (!Number.isFinite(time)) throw new ParamError(`"cutoff" must be a date like 2011-10-01; got ${JSON.stringify(value)}`);
  return time;
}

/** SVD's k-fold error on `scale`, beside always predicting the training mean (the same folds, 0 epochs). */
function ratingErrors(ratings: Ratings & { readonly scale?: readonly [number, number] }, scale: string, folds: number, options: SvdOptions, control: RunControl): Frame {
  const clip = ratings.scale === undefined ? {} : { clip: ratings.scale };
  const svd = crossValidateSvd(ratings, { folds, ...options, ...clip, ...control });
  // No epochs and factors starting at 0: every prediction is the training mean (random starting factors would add noise).
  const mean = crossValidateSvd(ratings, { folds, factors: 1, epochs: 0, initStdDev: 0, seed: options.seed ?? 0, ...clip });
  const labels = [...svd.folds.map((fold) => String(fold.fold)), 'mean'];
  const rmse = [...svd.folds.map((fold) => fold.rmse), svd.mean.rmse];
  const mae = [...svd.folds.map((fold) => fold.mae), svd.mean.mae];
  const baseline = [...mean.folds.map((fold) => fold.rmse), mean.mean.rmse];
  return {
    rowCount: labels.length,
    columns: {
      fold: labels,
      scale: labels.map(() => scale),
      rmse: Float64Array.from(rmse),
      mae: Float64Array.from(mae),
      rmse_predicting_mean: Float64Array.from(baseline),
      mae_predicting_mean: Float64Array.from([...mean.folds.map((fold) => fold.mae), mean.mean.mae]),
    },
  };
}

/** The recommender models, in the order the form lists them. */
export const RECOMMENDER_MODELS: readonly ModelDefinition[] = [similarProductsModel, recommendModel, evaluateModel, svdCrossValidationModel];
