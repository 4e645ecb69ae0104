/**
 * The demand models a model cell can name: when customers buy again (time to repurchase), how quantity answers
 * price (price elasticity), and how much and how steadily each product sells (ABC–XYZ) — thin adapters from a
 * spec and a transactions table to the pure algorithms (or to SQL) and back to output tables.
 */
import { FrameError, numberColumn, textColumn, type Frame } from '../kit/frame.ts';
import { integer, mappedColumn, number, oneOf, only, text, ParamError, type Params } from '../kit/params.ts';
import type { Field, ModelDefinition } from '../kit/model.ts';
import { INPUT, TRANSACTION_COLUMNS, columnKeys } from '../kit/fields.ts';
import { excludedProducts, mostCommonPerProduct } from '../kit/retail-lines.ts';
import { Progress } from '../kit/progress.ts';
import { repurchaseCurves, repurchaseFrames, repurchaseWaits } from './repurchase.ts';
import { priceElasticities, weeklyByGroup, weeklySql, type GroupElasticity } from './price-elasticity.ts';
import { abcXyzSql } from './abc-xyz.ts';

const CONFIDENCE: Field = { key: 'confidence', label: 'Confidence level', type: 'number', hint: 'of the intervals; default 0.95' };
const QUANTITY: Field = { key: 'columns.quantity', label: 'Quantity column', type: 'column', hint: 'default quantity' };

function confidenceOf(params: Params): number {
  const confidence = number(params, 'confidence', 0.95);
  if (!(confidence >= 0.5 && confidence < 1)) throw new ParamError(`"confidence" must be a level from 0.5 to below 1, e.g. 0.95; got ${confidence}`);
  return confidence;
}

/** An optional grouping column of the input, named in the spec's `by`; undefined when the spec has none. */
function groupColumn(input: Frame, params: Params): readonly (string | null)[] | undefined {
  return params.by === undefined ? undefined : textColumn(input, text(params, 'by'));
}

const timeToRepurchaseModel: ModelDefinition = {
  kind: 'worker',
  name: 'time_to_repurchase',
  title: 'Time to repurchase (Kaplan–Meier)',
  fields: [
    { ...INPUT, hint: 'purchase lines, one customer and date a row (e.g. sales_clean)' },
    { key: 'by', label: 'Curve per', type: 'column', hint: 'a column to draw one curve per value of (a segment, a country); its value on the first purchase day counts; default one curve' },
    CONFIDENCE,
    TRANSACTION_COLUMNS.customer,
    TRANSACTION_COLUMNS.date,
  ],
  params: { ...columnKeys('customer', 'date'), by: 'string', confidence: 'number' },
  run(inputs, params, control) {
    const input = only(inputs);
    const progress = new Progress(control, 'Time to repurchase');
    const waits = repurchaseWaits(
      textColumn(input, mappedColumn(params, 'customer', 'customer_id')),
      numberColumn(input, mappedColumn(params, 'date', 'invoice_date')),
      groupColumn(input, params),
    );
    if (waits.length === 0) throw new ParamError('the input has no line with both a customer and a date');
    progress.checkpoint(0.5);
    const { curve, summary } = repurchaseFrames(repurchaseCurves(waits, confidenceOf(params)), params.by === undefined ? 'group' : text(params, 'by'));
    progress.finish();
    return { '': curve, summary };
  },
};

function elasticityRows(fits: readonly GroupElasticity[], label: string, describe: (group: string) => string | null): Frame {
  return {
    rowCount: fits.length,
    columns: {
      [label]: fits.map((fit) => fit.group),
      ...(label === 'product_id' ? { description: fits.map((fit) => describe(fit.group)) } : {}),
      elasticity: Float64Array.from(fits, (fit) => fit.elasticity),
      ci_low: Float64Array.from(fits, (fit) => fit.ciLow),
      ci_high: Float64Array.from(fits, (fit) => fit.ciHigh),
      standard_error: Float64Array.from(fits, (fit) => fit.standardError),
      r_squared: Float64Array.from(fits, (fit) => fit.rSquared),
      weeks: Int32Array.from(fits, (fit) => fit.weeks),
      distinct_prices: Int32Array.from(fits, (fit) => fit.distinctPrices),
      mean_price: Float64Array.from(fits, (fit) => fit.meanPrice),
      mean_weekly_quantity: Float64Array.from(fits, (fit) => fit.meanWeeklyQuantity),
    },
  };
}

const priceElasticityModel: ModelDefinition = {
  kind: 'worker',
  name: 'price_elasticity',
  title: 'Price elasticity (log–log regression)',
  fields: [
    { ...INPUT, hint: 'purchase lines with a date, quantity and unit price (e.g. sales_clean)' },
    { key: 'by', label: 'Elasticity per', type: 'column', hint: 'default the product column; or a category column' },
    { key: 'min_weeks', label: 'Fewest weeks', type: 'number', hint: 'weeks with sales a product needs to be fitted; default 8' },
    { key: 'min_prices', label: 'Fewest distinct prices', type: 'number', hint: 'distinct weekly average prices (to the penny) a product needs; default 3' },
    { key: 'top', label: 'Most and least elastic', type: 'number', hint: 'rows of each end in the __extremes table; default 10' },
    CONFIDENCE,
    TRANSACTION_COLUMNS.product,
    TRANSACTION_COLUMNS.date,
    QUANTITY,
    { key: 'columns.price', label: 'Unit price column', type: 'column', hint: 'default unit_price' },
  ],
  params: { ...columnKeys('product', 'date', 'quantity', 'price', 'description'), by: 'string', min_weeks: 'number', min_prices: 'number', top: 'number', confidence: 'number', exclude_products: 'list' },
  prepare(input, columns, params, dialect) {
    const product = mappedColumn(params, 'product', 'product_id');
    const group = params.by === undefined ? product : text(params, 'by');
    const description = mappedColumn(params, 'description', 'description');
    const read = { group, product, date: mappedColumn(params, 'date', 'invoice_date'), quantity: mappedColumn(params, 'quantity', 'quantity'), price: mappedColumn(params, 'price', 'unit_price') };
    for (const name of Object.values(read)) if (!columns.includes(name)) throw new FrameError(`the input has no column "${name}" (it has ${columns.join(', ')})`);
    // Descriptions name products: read only when the rows are products and the table has them.
    return weeklySql(input, { ...read, ...(group === product && columns.includes(description) ? { description } : {}) }, dialect);
  },
  run(inputs, params, control) {
    const input = only(inputs);
    const progress = new Progress(control, 'Price elasticity');
    const productColumn = mappedColumn(params, 'product', 'product_id');
    const by = params.by === undefined ? productColumn : text(params, 'by');
    // Service codes (postage, fees) are not goods with a price to answer: left out, as the basket models do.
    const excluded = excludedProducts(params);
    const products = textColumn(input, 'product');
    const weekly = weeklyByGroup(
      textColumn(input, 'group_key').map((group, row) => (excluded(products[row] ?? null) ? null : group)),
      numberColumn(input, 'week_day'),
      numberColumn(input, 'quantity'),
      numberColumn(input, 'spend'),
    );
    progress.checkpoint(0.3);
    const result = priceElasticities(weekly, {
      minWeeks: integer(params, 'min_weeks', 8, 3, 10_000),
      minPrices: integer(params, 'min_prices', 3, 2, 10_000),
      confidence: confidenceOf(params),
    });
    const label = by === productColumn ? 'product_id' : by;
    const descriptions = input.columns.description === undefined ? undefined : mostCommonPerProduct(products, textColumn(input, 'description'), numberColumn(input, 'lines'));
    const describe = (group: string) => descriptions?.get(group) ?? (descriptions === undefined ? null : group);
    const top = integer(params, 'top', 10, 1, 1000);
    const most = result.fitted.slice(0, Math.min(top, Math.ceil(result.fitted.length / 2)));
    const least = result.fitted.slice(Math.max(most.length, result.fitted.length - top)).reverse();
    const extremes = elasticityRows([...most, ...least], label, describe);
    progress.finish();
    return {
      '': elasticityRows(result.fitted, label, describe),
      extremes: { rowCount: extremes.rowCount, columns: { end: [...most.map(() => 'most elastic'), ...least.map(() => 'least elastic')], ...extremes.columns } },
      summary: {
        rowCount: 1,
        columns: {
          groups: Int32Array.of(result.groups),
          fitted: Int32Array.of(result.fitted.length),
          too_few_weeks: Int32Array.of(result.tooFewWeeks),
          too_few_prices: Int32Array.of(result.tooFewPrices),
          median_elasticity: Float64Array.of(median(result.fitted.map((fit) => fit.elasticity))),
        },
      },
    };
  },
};

function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

const abcXyzModel: ModelDefinition = {
  kind: 'sql',
  name: 'abc_xyz',
  title: 'ABC–XYZ classes of products (revenue share × demand variability)',
  fields: [
    INPUT,
    { key: 'a_share', label: 'A: share of revenue', type: 'number', hint: 'the top products making up this share are A; default 0.8' },
    { key: 'b_share', label: 'B: next share', type: 'number', hint: 'the next products making up this share are B, the rest C; default 0.15' },
    { key: 'x_max', label: 'X: highest CV', type: 'number', hint: 'weekly demand with a coefficient of variation up to this is X (steady); default 0.5' },
    { key: 'y_max', label: 'Y: highest CV', type: 'number', hint: 'up to this is Y (variable), above it Z (erratic); default 1.0' },
    { key: 'deviation', label: 'Standard deviation', type: 'choice', choices: ['population', 'sample'], hint: 'over the weeks of the data: population (÷ weeks; default) or sample (÷ weeks − 1)' },
    TRANSACTION_COLUMNS.product,
    TRANSACTION_COLUMNS.description,
    TRANSACTION_COLUMNS.amount,
    QUANTITY,
    TRANSACTION_COLUMNS.date,
  ],
  params: { ...columnKeys('product', 'description', 'amount', 'quantity', 'date'), a_share: 'number', b_share: 'number', x_max: 'number', y_max: 'number', deviation: 'string' },
  sql: (input, params, dialect) =>
    abcXyzSql(input, {
      columns: {
        product: mappedColumn(params, 'product', 'product_id'),
        description: mappedColumn(params, 'description', 'description'),
        amount: mappedColumn(params, 'amount', 'amount'),
        quantity: mappedColumn(params, 'quantity', 'quantity'),
        date: mappedColumn(params, 'date', 'invoice_date'),
      },
      aShare: number(params, 'a_share', 0.8),
      bShare: number(params, 'b_share', 0.15),
      xMax: number(params, 'x_max', 0.5),
      yMax: number(params, 'y_max', 1),
      deviation: oneOf(params, 'deviation', ['population', 'sample'] as const, 'population'),
    }, dialect),
};

/** The demand models, in the order the form lists them. */
export const DEMAND_MODELS: readonly ModelDefinition[] = [timeToRepurchaseModel, priceElasticityModel, abcXyzModel];
