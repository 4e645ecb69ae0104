/**
 * The forward-looking models a model cell can name (cohorts, forecast, lifetime value, loyalty), as thin adapters
 * from a table to the pure algorithms (or to SQL) and back to output tables.
 */
import type { Frame } from '../kit/frame.ts';
import { numberColumn, textColumn } from '../kit/frame.ts';
import { integer, mappedColumn, number, oneOf, only, text, textList, ParamError } from '../kit/params.ts';
import type { ModelDefinition } from '../kit/model.ts';
import { INPUT, SEED, TRANSACTION_COLUMNS, TRANSACTION_FIELDS, columnKeys } from '../kit/fields.ts';
import { rfmOptions } from '../segmentation/rfm.ts';
import { cohortSql } from './cohorts.ts';
import { loyaltyFeaturesSql } from './loyalty-features.ts';
import { Progress } from '../kit/progress.ts';
import { fromColumns, selectRows, type Matrix } from '../kit/matrix.ts';
import { fitLogistic, predictLogisticProba } from './logistic.ts';
import { fitRandomForest, predictForestProba } from './random-forest.ts';
import { averagePrecision, calibrationTable, permutationImportance, rocAuc, rocCurve, stratifiedSplit, thresholdMetrics } from './classification-metrics.ts';
import { LOYALTY_FEATURES } from './loyalty-features.ts';
import { autoForecast, backtest, forecastWith, methodLabel, type ForecastModel } from './forecast.ts';
import { periodSeries, type Period } from './periods.ts';
import { lifetimeValueTables, PURCHASE_MODELS } from './clv-run.ts';

/** A fitted classifier as the loyalty model compares them: a name and probabilities for rows of the feature matrix. */
interface Candidate {
  readonly name: string;
  readonly predict: (features: Matrix) => Float64Array;
}

const loyaltyModel: ModelDefinition = {
  kind: 'worker',
  name: 'loyalty',
  title: 'Loyalty model (logistic regression vs random forest)',
  fields: [
    { ...INPUT, hint: 'one row per customer, e.g. a loyalty_features cell' },
    { key: 'features', label: 'Features', type: 'columns', hint: 'default: every column loyalty_features makes' },
    { key: 'label', label: 'Label column', type: 'column', hint: '1 for a customer who came back, else 0; default loyal' },
    { key: 'class_weight', label: 'Class weights', type: 'choice', choices: ['balanced', 'none'], hint: 'balanced weighs the rarer class up; default balanced' },
    { key: 'trees', label: 'Trees', type: 'number', hint: 'trees in the random forest; default 100' },
    { key: 'test_share', label: 'Test share', type: 'number', hint: 'share of customers held out to score the models; default 0.25' },
    SEED,
  ],
  params: { features: 'string[]', label: 'string', id: 'string', seed: 'number', class_weight: 'string', test_share: 'number', c: 'number', trees: 'number', min_samples_leaf: 'number' },
  run(inputs, params, control) {
    const input = only(inputs);
    const progress = new Progress(control, 'Loyalty model');
    const names = textList(params, 'features', LOYALTY_FEATURES);
    const features = fromColumns(names.map((name) => numberColumn(input, name)));
    const labels = numberColumn(input, text(params, 'label', 'loyal'));
    const ids = textColumn(input, text(params, 'id', 'customer_id'));
    const seed = integer(params, 'seed', 42, 0, Number.MAX_SAFE_INTEGER);
    const classWeight = oneOf(params, 'class_weight', ['balanced', 'none'] as const, 'balanced');
    const weight = classWeight === 'balanced' ? ('balanced' as const) : undefined;
    const split = stratifiedSplit(labels, { testFraction: number(params, 'test_share', 0.25), seed });
    const train = selectRows(features, split.train);
    const trainLabels = Float64Array.from(split.train, (row) => labels[row] as number);
    const test = selectRows(features, split.test);
    const testLabels = Float64Array.from(split.test, (row) => labels[row] as number);

    const logistic = fitLogistic(train, trainLabels, { c: number(params, 'c', 1), classWeight: weight, columns: names, ...progress.slice(0, 0.05) });
    if (!logistic.converged) throw new ParamError('the logistic regression did not converge; lower "c" (more regularisation) or look for a feature that separates the classes perfectly');
    const forest = fitRandomForest(train, trainLabels, {
      trees: integer(params, 'trees', 100, 1, 1000),
      minSamplesLeaf: integer(params, 'min_samples_leaf', 5, 1, 10_000),
      classWeight: weight,
      seed,
      ...progress.slice(0.05, 0.5),
    });
    const candidates: Candidate[] = [
      { name: 'logistic regression', predict: (x) => predictLogisticProba(logistic, x) },
      { name: 'random forest', predict: (x) => predictForestProba(forest, x) },
    ];
    const scored = candidates.map((candidate) => {
      const probabilities = candidate.predict(test);
      return { candidate, probabilities, auc: rocAuc(testLabels, probabilities), metrics: thresholdMetrics(testLabels, probabilities, 0.5), pr: averagePrecision(testLabels, probabilities) };
    });
    // The model with the best ROC AUC on the held-out customers scores everyone (ties: the simpler, logistic).
    const best = scored.reduce((a, b) => (b.auc > a.auc ? b : a));
    const importance = permutationImportance(best.candidate.predict, test, testLabels, { repeats: 5, seed, ...progress.slice(0.5, 0.95) });
    const scores = best.candidate.predict(features);
    const testRows = new Set(split.test);
    const curves = scored.map(({ candidate, probabilities }) => ({ name: candidate.name, curve: rocCurve(testLabels, probabilities) }));
    const rocRows = curves.reduce((sum, { curve }) => sum + curve.thresholds.length, 0);
    const calibration = calibrationTable(testLabels, best.probabilities, { bins: 10 });
    progress.finish();
    const outputs: Record<string, Frame> = {
      '': {
        rowCount: ids.length,
        columns: {
          customer_id: ids,
          loyalty_score: scores,
          loyal: Int32Array.from(labels),
          in_test_set: ids.map((_, row) => (testRows.has(row) ? 'yes' : 'no')),
          model: ids.map(() => best.candidate.name),
        },
      },
      comparison: {
        rowCount: scored.length,
        columns: {
          model: scored.map((s) => s.candidate.name),
          selected: scored.map((s) => (s === best ? 'yes' : '')),
          roc_auc: Float64Array.from(scored, (s) => s.auc),
          pr_auc: Float64Array.from(scored, (s) => s.pr),
          accuracy: Float64Array.from(scored, (s) => s.metrics.accuracy),
          precision: Float64Array.from(scored, (s) => s.metrics.precision),
          recall: Float64Array.from(scored, (s) => s.metrics.recall),
          f1: Float64Array.from(scored, (s) => s.metrics.f1),
          true_positives: Int32Array.from(scored, (s) => s.metrics.truePositives),
          false_positives: Int32Array.from(scored, (s) => s.metrics.falsePositives),
          true_negatives: Int32Array.from(scored, (s) => s.metrics.trueNegatives),
          false_negatives: Int32Array.from(scored, (s) => s.metrics.falseNegatives),
          train_customers: Int32Array.from(scored, () => split.train.length),
          test_customers: Int32Array.from(scored, () => split.test.length),
        },
      },
      importance: {
        rowCount: importance.features.length,
        columns: {
          feature: importance.features.map((_, column) => names[column]!),
          roc_auc_drop: Float64Array.from(importance.features, (feature) => feature.mean),
          sd: Float64Array.from(importance.features, (feature) => feature.sd),
          model: importance.features.map(() => best.candidate.name),
        },
      },
      roc: {
        rowCount: rocRows,
        columns: {
          model: curves.flatMap(({ name, curve }) => Array.from(curve.thresholds, () => name)),
          threshold: Float64Array.from(curves.flatMap(({ curve }) => Array.from(curve.thresholds))),
          false_positive_rate: Float64Array.from(curves.flatMap(({ curve }) => Array.from(curve.falsePositiveRate))),
          true_positive_rate: Float64Array.from(curves.flatMap(({ curve }) => Array.from(curve.truePositiveRate))),
        },
      },
      calibration: {
        rowCount: calibration.length,
        columns: {
          lower: Float64Array.from(calibration, (bin) => bin.lower),
          upper: Float64Array.from(calibration, (bin) => bin.upper),
          customers: Int32Array.from(calibration, (bin) => bin.count),
          mean_predicted: Float64Array.from(calibration, (bin) => bin.meanPredicted),
          observed_rate: Float64Array.from(calibration, (bin) => bin.observedRate),
        },
      },
    };
    return outputs;
  },
};

/** The spec's `method` as a forecasting model; `auto` picks by backtest. */
const METHODS: Readonly<Record<string, ForecastModel | 'auto'>> = {
  auto: 'auto',
  seasonal_naive: { kind: 'seasonal-naive' },
  linear: { kind: 'linear-seasonal' },
  holt_winters: { kind: 'holt-winters', trend: 'add', damped: true, seasonal: 'add' },
  holt_winters_multiplicative: { kind: 'holt-winters', trend: 'add', damped: true, seasonal: 'mul' },
};
const SEASONS: Readonly<Record<Period, number>> = { month: 12, week: 52, day: 7 };

const forecastModel: ModelDefinition = {
  kind: 'worker',
  name: 'forecast',
  title: 'Sales forecast (auto, Holt-Winters, linear, seasonal naive)',
  fields: [
    INPUT,
    { key: 'date', label: 'Date column', type: 'column', hint: 'default invoice_date' },
    { key: 'value', label: 'Value column', type: 'column', hint: 'summed per period' },
    { key: 'period', label: 'Period', type: 'choice', choices: ['month', 'week', 'day'], hint: 'default month' },
    { key: 'horizon', label: 'Periods ahead', type: 'number', hint: 'default 3' },
    { key: 'method', label: 'Method', type: 'choice', choices: ['auto', 'holt_winters', 'holt_winters_multiplicative', 'linear', 'seasonal_naive'], hint: 'auto picks the best in the backtest' },
    { key: 'season', label: 'Season length', type: 'number', hint: 'default 12 months, 52 weeks or 7 days when the data holds two seasons' },
    { key: 'backtest_origins', label: 'Backtest origins', type: 'number', hint: 'how many past points the methods are scored from; default 5' },
    { key: 'closed_days', label: 'Periods without sales', type: 'choice', choices: ['zero', 'skip'], hint: 'zero (default): sold nothing; skip: closed, not a trading day, and a week is the days the shop trades' },
  ],
  params: { date: 'string', value: 'string', period: 'string', horizon: 'number', method: 'string', season: 'number', backtest_origins: 'number', closed_days: 'string' },
  run(inputs, params, control) {
    const input = only(inputs);
    const progress = new Progress(control, 'Forecast');
    const period = oneOf(params, 'period', ['month', 'week', 'day'] as const, 'month');
    const closed = oneOf(params, 'closed_days', ['zero', 'skip'] as const, 'zero');
    const series = periodSeries(numberColumn(input, text(params, 'date', 'invoice_date')), numberColumn(input, text(params, 'value', 'amount')), period, closed);
    // A season is only learnable from two of them: with a year of months, forecast without a yearly season.
    const natural = series.tradingWeekdays?.length ?? SEASONS[period];
    const m = integer(params, 'season', series.values.length >= 2 * natural ? natural : 1, 1, 366);
    const h = integer(params, 'horizon', 3, 1, 366);
    const origins = integer(params, 'backtest_origins', 5, 1, 60);
    const choice = METHODS[oneOf(params, 'method', Object.keys(METHODS), 'auto')]!;
    const y = series.values;
    let forecast;
    let ranking;
    let reason;
    if (choice === 'auto') {
      const auto = autoForecast(y, m, h, { origins, ...progress.slice(0, 0.95) });
      [forecast, ranking, reason] = [auto.forecast, auto.ranking, auto.reason];
    } else {
      forecast = forecastWith(y, m, choice, h, progress.slice(0, 0.5));
      ranking = [backtest(y, m, choice, { horizon: h, origins, ...progress.slice(0.5, 0.95) })];
      reason = `${methodLabel(choice)}, as the spec asks`;
    }
    progress.finish();
    const n = y.length;
    const rows = n + h;
    const at = (array: Float64Array, row: number) => (row < n ? Number.NaN : (array[row - n] as number));
    return {
      '': {
        rowCount: rows,
        columns: {
          period: [...series.labels, ...series.future(h)],
          kind: Array.from({ length: rows }, (_, row) => (row < n ? 'history' : 'forecast')),
          actual: Float64Array.from({ length: rows }, (_, row) => (row < n ? (y[row] as number) : Number.NaN)),
          fitted: Float64Array.from({ length: rows }, (_, row) => (row < n ? (forecast.fitted[row] as number) : Number.NaN)),
          forecast: Float64Array.from({ length: rows }, (_, row) => at(forecast.mean, row)),
          lower_80: Float64Array.from({ length: rows }, (_, row) => at(forecast.lower80, row)),
          upper_80: Float64Array.from({ length: rows }, (_, row) => at(forecast.upper80, row)),
          lower_95: Float64Array.from({ length: rows }, (_, row) => at(forecast.lower95, row)),
          upper_95: Float64Array.from({ length: rows }, (_, row) => at(forecast.upper95, row)),
        },
      },
      backtest: {
        rowCount: ranking.length,
        columns: {
          method: ranking.map((result) => result.method),
          selected: ranking.map((result) => (result.method === forecast.method ? 'yes' : '')),
          mae: Float64Array.from(ranking, (result) => result.mae),
          rmse: Float64Array.from(ranking, (result) => result.rmse),
          mape: Float64Array.from(ranking, (result) => result.mape),
          smape: Float64Array.from(ranking, (result) => result.smape),
          mase: Float64Array.from(ranking, (result) => result.mase),
          coverage_80: Float64Array.from(ranking, (result) => result.coverage80),
          coverage_95: Float64Array.from(ranking, (result) => result.coverage95),
          origins: Int32Array.from(ranking, (result) => result.origins),
          horizon: Int32Array.from(ranking, (result) => result.horizon),
        },
      },
      summary: {
        rowCount: 1,
        columns: {
          method: [forecast.method],
          reason: [m === 1 && params.season === undefined && natural > 1 ? `${reason}; no ${period === 'month' ? 'yearly' : period === 'week' ? 'yearly' : 'weekly'} season: ${n} ${period}s are fewer than two seasons of ${natural}` : reason],
          periods: Int32Array.of(n),
          season: Int32Array.of(m),
          closed_days: [closed],
        },
      },
    };
  },
};

const clvModel: ModelDefinition = {
  kind: 'worker',
  name: 'clv',
  title: 'Customer lifetime value (BG/NBD or Pareto/NBD + Gamma-Gamma)',
  fields: [
    INPUT,
    { key: 'purchase_model', label: 'Purchase model', type: 'choice', choices: PURCHASE_MODELS, hint: 'bgnbd, paretonbd, or auto: both, the higher log-likelihood wins; default bgnbd' },
    { key: 'calibration_end', label: 'Calibration end', type: 'date', hint: 'fit on the days up to this date and compare the days after with what the model expected; default: fit on all' },
    { key: 'holdout_days', label: 'Holdout (days)', type: 'number', hint: 'instead of a calibration end: hold out the last N days of the data, whatever its dates' },
    { key: 'months', label: 'Horizon (months)', type: 'number', hint: 'default 12' },
    { key: 'discount_rate', label: 'Monthly discount rate', type: 'number', hint: 'default 0.01' },
    { key: 'penalizer', label: 'Penalizer', type: 'number', hint: 'lifetimes\' penalizer_coef; 0.001 helps a fit that does not converge' },
    TRANSACTION_COLUMNS.customer,
    TRANSACTION_COLUMNS.date,
    TRANSACTION_COLUMNS.amount,
  ],
  params: { ...columnKeys('customer', 'date', 'amount'), purchase_model: 'string', calibration_end: 'string', holdout_days: 'number', months: 'number', discount_rate: 'number', penalizer: 'number' },
  // Before the column keys agreed across models, clv read its columns at the top of the spec.
  renamedKeys: { customer: 'columns.customer', date: 'columns.date', amount: 'columns.amount' },
  run(inputs, params, control) {
    const input = only(inputs);
    const calibrationEnd = params.calibration_end;
    if (calibrationEnd !== undefined && (typeof calibrationEnd !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(calibrationEnd) || Number.isNaN(Date.parse(`${calibrationEnd}T00:00:00Z`)))) {
      throw new ParamError(`"calibration_end" must be a date like 2011-09-30; got ${JSON.stringify(calibrationEnd)}`);
    }
    if (calibrationEnd !== undefined && params.holdout_days !== undefined) throw new ParamError('give "calibration_end" or "holdout_days", not both');
    const dates = numberColumn(input, mappedColumn(params, 'date', 'invoice_date'));
    const holdoutEnd = params.holdout_days === undefined ? undefined : lastDay(dates) - integer(params, 'holdout_days', 0, 1, 3650) * DAY_MS;
    try {
      return lifetimeValueTables(
        textColumn(input, mappedColumn(params, 'customer', 'customer_id')),
        dates,
        numberColumn(input, mappedColumn(params, 'amount', 'amount')),
        {
          months: integer(params, 'months', 12, 1, 120),
          monthlyDiscountRate: number(params, 'discount_rate', 0.01),
          penalizer: number(params, 'penalizer', 0),
          model: oneOf(params, 'purchase_model', PURCHASE_MODELS, 'bgnbd'),
          ...(calibrationEnd === undefined ? {} : { calibrationEnd: Date.parse(`${calibrationEnd}T00:00:00Z`) }),
          ...(holdoutEnd === undefined ? {} : { calibrationEnd: holdoutEnd }),
          ...control,
        },
      );
    } catch (error) {
      // The split's own checks name the dates; say which spec key they come from.
      if (error instanceof RangeError && /calibration end/.test(error.message)) {
        if (calibrationEnd !== undefined) throw new ParamError(`"calibration_end": ${error.message}`);
        if (holdoutEnd !== undefined) throw new ParamError(`"holdout_days": ${error.message}`);
      }
      throw error;
    }
  },
};

const DAY_MS = 86_400_000;

/** The start (UTC midnight) of the latest day among `times` (ms). */
function lastDay(times: ArrayLike<number>): number {
  let last = -Infinity;
  for (let i = 0; i < times.length; i++) if (times[i]! > last) last = times[i]!;
  if (last === -Infinity) throw new ParamError('"holdout_days" needs purchases to count back from');
  return Math.floor(last / DAY_MS) * DAY_MS;
}

/** Every forward-looking model by name. */
const cohortsModel: ModelDefinition = {
  kind: 'sql',
  name: 'cohorts',
  title: 'Cohort retention by first-purchase month',
  fields: [INPUT, TRANSACTION_COLUMNS.customer, TRANSACTION_COLUMNS.date, TRANSACTION_COLUMNS.amount],
  params: columnKeys('customer', 'invoice', 'date', 'amount'),
  sql: (input, params, dialect) => cohortSql(input, rfmOptions(params).columns, dialect),
};

const loyaltyFeaturesModel: ModelDefinition = {
  kind: 'sql',
  name: 'loyalty_features',
  title: 'Loyalty features and label (before/after a cutoff)',
  fields: [
    INPUT,
    { key: 'cutoff', label: 'Cutoff', type: 'date', hint: 'default: the last day in the data minus the horizon' },
    { key: 'horizon_days', label: 'Came back within (days)', type: 'number', hint: 'default 60' },
    ...TRANSACTION_FIELDS,
    TRANSACTION_COLUMNS.product,
  ],
  params: { ...columnKeys('customer', 'invoice', 'date', 'amount', 'product'), cutoff: 'string', horizon_days: 'number' },
  sql: (input, params, dialect) => {
    const horizon = params.horizon_days ?? 60;
    if (typeof horizon !== 'number' || !Number.isInteger(horizon) || horizon < 1) throw new ParamError(`"horizon_days" must be a whole number of days, e.g. 60; got ${JSON.stringify(horizon)}`);
    const cutoff = params.cutoff;
    if (cutoff !== undefined && (typeof cutoff !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(cutoff))) throw new ParamError(`"cutoff" must be a date like 2011-09-01; got ${JSON.stringify(cutoff)}`);
    return loyaltyFeaturesSql(input, { columns: { ...rfmOptions(params).columns, product: mappedColumn(params, 'product', 'product_id') }, cutoff: cutoff as string | undefined, horizonDays: horizon }, dialect);
  },
};

/** The forward-looking models, in the order the form lists them. */
export const FORWARD_MODELS: readonly ModelDefinition[] = [cohortsModel, forecastModel, clvModel, loyaltyFeaturesModel, loyaltyModel];
