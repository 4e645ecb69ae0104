/** The fields of each model's spec, as the spec form shows them. Kept beside the form: it is UI, not engine. */

export type FieldType = 'table' | 'column' | 'columns' | 'number' | 'number-or-input' | 'text' | 'bool' | 'choice' | 'choices' | 'date';

export interface Field {
  /** Spec key; `columns.customer` addresses a nested field. */
  readonly key: string;
  readonly label: string;
  readonly type: FieldType;
  readonly choices?: readonly string[];
  readonly hint?: string;
}

const INPUT: Field = { key: 'input', label: 'Input table', type: 'table' };
const ID: Field = { key: 'id', label: 'Customer id column', type: 'column' };
const FEATURES: Field = { key: 'features', label: 'Features', type: 'columns', hint: 'numeric columns to cluster on' };
const LOG: Field = { key: 'log1p', label: 'log(1 + x) first', type: 'bool', hint: 'tames skewed counts and spend' };
const SCALING: Field = { key: 'scaling', label: 'Scaling', type: 'choice', choices: ['standard', 'minmax', 'none'] };
const SEED: Field = { key: 'seed', label: 'Seed', type: 'number' };
const K: Field = { key: 'k', label: 'Clusters (k)', type: 'number-or-input', hint: 'a number, or $name of an input' };
/** Which columns of a transactions table hold the customer, invoice, date and amount (defaults: canonical names). */
const TRANSACTION_COLUMNS: readonly Field[] = [
  { key: 'columns.customer', label: 'Customer column', type: 'column' },
  { key: 'columns.invoice', label: 'Invoice column', type: 'column' },
  { key: 'columns.date', label: 'Date column', type: 'column' },
  { key: 'columns.amount', label: 'Amount column', type: 'column' },
];
/** Which columns of the lines hold the customer, product and invoice, for the basket and recommender models. */
const LINE_COLUMNS: readonly Field[] = [
  { key: 'columns.customer', label: 'Customer column', type: 'column' },
  { key: 'columns.product', label: 'Product column', type: 'column' },
  { key: 'columns.invoice', label: 'Invoice column', type: 'column' },
  { key: 'columns.description', label: 'Description column', type: 'column' },
];
const RECOMMENDERS = ['item_knn', 'user_knn', 'als', 'svd', 'content', 'popularity', 'hybrid'] as const;
const VALUE: Field = { key: 'value', label: 'Interaction', type: 'choice', choices: ['binary', 'quantity', 'amount'], hint: 'what a purchase counts as' };
const WEIGHTING: Field = { key: 'weighting', label: 'Weighting', type: 'choice', choices: ['bm25', 'tfidf', 'none'] };
const LABELS: Field = { key: 'labels', label: 'Segment names', type: 'choice', choices: ['auto', 'rfm', 'spend', 'none'] };

/** Models a cell can run, with their fields in the order the form shows them. */
export const MODEL_FIELDS: Readonly<Record<string, { readonly title: string; readonly fields: readonly Field[] }>> = {
  rfm: {
    title: 'RFM scores and segments',
    fields: [
      INPUT,
      ...TRANSACTION_COLUMNS,
      { key: 'reference_date', label: 'Reference date', type: 'date', hint: 'default: the day after the last sale' },
    ],
  },
  customer_features: {
    title: 'Customer features (behaviour)',
    fields: [
      INPUT,
      ...TRANSACTION_COLUMNS,
      { key: 'columns.product', label: 'Product column', type: 'column' },
    ],
  },
  cohorts: {
    title: 'Cohort retention by first-purchase month',
    fields: [INPUT, TRANSACTION_COLUMNS[0]!, TRANSACTION_COLUMNS[2]!, TRANSACTION_COLUMNS[3]!],
  },
  forecast: {
    title: 'Sales forecast (auto, Holt-Winters, linear, seasonal naive)',
    fields: [
      INPUT,
      { key: 'date', label: 'Date column', type: 'column' },
      { key: 'value', label: 'Value column', type: 'column', hint: 'summed per period' },
      { key: 'period', label: 'Period', type: 'choice', choices: ['month', 'week', 'day'] },
      { key: 'horizon', label: 'Periods ahead', type: 'number' },
      { key: 'method', label: 'Method', type: 'choice', choices: ['auto', 'holt_winters', 'holt_winters_multiplicative', 'linear', 'seasonal_naive'] },
      { key: 'season', label: 'Season length', type: 'number', hint: 'default 12 months, 52 weeks or 7 days when the data holds two seasons' },
      { key: 'backtest_origins', label: 'Backtest origins', type: 'number' },
    ],
  },
  clv: {
    title: 'Customer lifetime value (BG/NBD + Gamma-Gamma)',
    fields: [
      INPUT,
      { key: 'months', label: 'Horizon (months)', type: 'number' },
      { key: 'discount_rate', label: 'Monthly discount rate', type: 'number' },
      { key: 'penalizer', label: 'Penalizer', type: 'number', hint: 'lifetimes\' penalizer_coef; 0.001 helps a fit that does not converge' },
      { key: 'customer', label: 'Customer column', type: 'column' },
      { key: 'date', label: 'Date column', type: 'column' },
      { key: 'amount', label: 'Amount column', type: 'column' },
    ],
  },
  loyalty_features: {
    title: 'Loyalty features and label (before/after a cutoff)',
    fields: [
      INPUT,
      { key: 'cutoff', label: 'Cutoff', type: 'date', hint: 'default: the last day in the data minus the horizon' },
      { key: 'horizon_days', label: 'Came back within (days)', type: 'number' },
      ...TRANSACTION_COLUMNS,
      { key: 'columns.product', label: 'Product column', type: 'column' },
    ],
  },
  loyalty: {
    title: 'Loyalty model (logistic regression vs random forest)',
    fields: [
      INPUT,
      { key: 'features', label: 'Features', type: 'columns', hint: 'default: every column loyalty_features makes' },
      { key: 'label', label: 'Label column', type: 'column' },
      { key: 'class_weight', label: 'Class weights', type: 'choice', choices: ['balanced', 'none'] },
      { key: 'trees', label: 'Trees', type: 'number' },
      { key: 'test_share', label: 'Test share', type: 'number' },
      SEED,
    ],
  },
  kmeans: { title: 'K-Means segments', fields: [INPUT, ID, FEATURES, LOG, SCALING, K, LABELS, { key: 'n_init', label: 'Restarts (n_init)', type: 'number' }, SEED] },
  choose_k: {
    title: 'Choosing k (elbow, silhouette)',
    fields: [INPUT, FEATURES, LOG, SCALING, { key: 'k_min', label: 'Smallest k', type: 'number' }, { key: 'k_max', label: 'Largest k', type: 'number' }, SEED],
  },
  hierarchical: {
    title: 'Hierarchical segments',
    fields: [INPUT, ID, FEATURES, LOG, SCALING, K, { key: 'linkage', label: 'Linkage', type: 'choice', choices: ['ward', 'average', 'complete'] }, SEED],
  },
  silhouette: { title: 'Silhouette', fields: [INPUT, ID, FEATURES, LOG, SCALING, { key: 'cluster', label: 'Cluster column', type: 'column' }] },
  pca: { title: 'Projection (PCA)', fields: [INPUT, ID, FEATURES, LOG, SCALING, { key: 'components', label: 'Components', type: 'number' }] },
  pareto: { title: 'Revenue concentration', fields: [INPUT, { key: 'spend', label: 'Spend column', type: 'column' }] },
  association_rules: {
    title: 'Association rules (market baskets)',
    fields: [
      INPUT,
      { key: 'baskets', label: 'Basket', type: 'choice', choices: ['invoice', 'customer'] },
      { key: 'min_support', label: 'Min support', type: 'number', hint: 'share of baskets, e.g. 0.01' },
      { key: 'min_confidence', label: 'Min confidence', type: 'number' },
      { key: 'min_lift', label: 'Min lift', type: 'number' },
      { key: 'max_length', label: 'Max items per set', type: 'number' },
      ...LINE_COLUMNS,
    ],
  },
  network_layout: {
    title: 'Network layout (products joined by rules)',
    fields: [
      { ...INPUT, hint: 'a table of links, e.g. the rules of association_rules' },
      { key: 'source', label: 'From column', type: 'column', hint: 'default antecedent_items' },
      { key: 'target', label: 'To column', type: 'column', hint: 'default consequent_items' },
      { key: 'weight', label: 'Weight column', type: 'column', hint: 'default lift; the strongest links are kept' },
      { key: 'max_edges', label: 'Most links', type: 'number', hint: 'default 40' },
      { key: 'max_nodes', label: 'Most nodes', type: 'number', hint: 'default 60' },
      { key: 'iterations', label: 'Iterations', type: 'number', hint: 'default 300' },
      SEED,
    ],
  },
  similar_products: {
    title: 'Similar products (item-based)',
    fields: [
      INPUT,
      { key: 'product', label: 'Product', type: 'text', hint: 'a code, a description, or $name of an input; empty: every product' },
      { key: 'n', label: 'How many', type: 'number' },
      VALUE,
      WEIGHTING,
      ...LINE_COLUMNS,
    ],
  },
  recommend: {
    title: 'Recommendations for customers',
    fields: [
      INPUT,
      { key: 'methods', label: 'Recommenders', type: 'choices', choices: RECOMMENDERS },
      { key: 'customers', label: 'Customers', type: 'text', hint: 'an id, a list, or $name of an input; empty: every customer' },
      { key: 'n', label: 'Per customer', type: 'number' },
      VALUE,
      WEIGHTING,
      { key: 'factors', label: 'ALS/SVD factors', type: 'number' },
      SEED,
      ...LINE_COLUMNS,
    ],
  },
  evaluate_recommenders: {
    title: 'Offline evaluation of recommenders',
    fields: [
      INPUT,
      { key: 'methods', label: 'Recommenders', type: 'choices', choices: RECOMMENDERS },
      { key: 'splits', label: 'Splits', type: 'choices', choices: ['time', 'last_basket'] },
      { key: 'k', label: 'Top k', type: 'number' },
      { key: 'cutoff', label: 'Time split at', type: 'date', hint: 'default: the last 20% of invoices are the test period' },
      SEED,
      ...LINE_COLUMNS,
    ],
  },
  svd_cross_validation: {
    title: 'SVD rating error (cross-validation)',
    fields: [INPUT, { key: 'folds', label: 'Folds', type: 'number' }, { key: 'svd_factors', label: 'Factors', type: 'number' }, { key: 'epochs', label: 'Epochs', type: 'number' }, SEED],
  },
  predict: { title: 'Segment of a new customer', fields: [INPUT, { key: 'values', label: 'Values', type: 'text', hint: 'JSON list, e.g. ["$recency", "$frequency", "$monetary"]' }] },
};

/** Read a possibly nested key: `getField({ columns: { date: 'd' } }, 'columns.date')` → 'd'. */
export function getField(spec: Readonly<Record<string, unknown>>, key: string): unknown {
  return key.split('.').reduce<unknown>((value, part) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined), spec);
}

/** A copy of the spec with one (possibly nested) key set, or removed when `value` is undefined. */
export function setField(spec: Readonly<Record<string, unknown>>, key: string, value: unknown): Record<string, unknown> {
  const [head, ...rest] = key.split('.');
  const copy: Record<string, unknown> = { ...spec };
  if (rest.length === 0) {
    if (value === undefined) delete copy[head!];
    else copy[head!] = value;
    return copy;
  }
  const inner = (copy[head!] && typeof copy[head!] === 'object' ? copy[head!] : {}) as Record<string, unknown>;
  copy[head!] = setField(inner, rest.join('.'), value);
  return copy;
}
