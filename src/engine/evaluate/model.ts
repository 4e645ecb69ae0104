import type { Database, ModelRunner } from '../ports.ts';
import type { NamedCell } from '../notebook.ts';
import type { RunContext } from '../scheduler.ts';
import type { CellOutput } from '../status.ts';
import { SpecError, bindSpecInputs, parseSpec, specTables, type Spec } from '../specs.ts';
import { shapeOf, shapeSql } from '../catalog.ts';
import { rfmSql } from '../../models/segmentation/rfm.ts';
import { behaviourSql } from '../../models/segmentation/behaviour.ts';
import { cohortSql } from '../../models/forward/cohorts.ts';
import { loyaltyFeaturesSql } from '../../models/forward/loyalty-features.ts';
import { quoteIdent } from '../../util/sql.ts';

/**
 * Run a model cell: `{ "model": "kmeans", "input": "customer_features", … }`. RFM and customer features are SQL
 * and run in DuckDB;
 * every other model gets its input tables as Arrow, runs in the model runner (a worker in the browser), and
 * its outputs become `<cell>` and `<cell>__<suffix>` tables.
 */
export async function evaluateModel(db: Database, runner: ModelRunner, cell: NamedCell, context: RunContext): Promise<CellOutput> {
  const spec = bindSpecInputs(parseSpec(cell.source), context.inputs);
  const model = spec.model;
  if (typeof model !== 'string') throw new SpecError('"model" must name a model, e.g. "rfm" or "kmeans"');
  const inputs = specTables(spec, 'input');
  if (inputs.length === 0) throw new SpecError('"input" must name the table the model reads');
  const sql = SQL_MODELS[model]?.(inputs[0]!, spec);
  if (sql !== undefined) {
    await db.query(`CREATE OR REPLACE TABLE ${quoteIdent(cell.name)} AS ${sql}`, { signal: context.signal });
  } else {
    const ipc: Record<string, Uint8Array> = {};
    for (const table of inputs) ipc[table] = await db.exportArrowIpc(table);
    context.signal.throwIfAborted();
    const outputs = await runner.run({ model, params: spec, inputs: ipc }, context.onProgress ?? (() => {}), context.signal);
    for (const [suffix, bytes] of Object.entries(outputs)) {
      await db.insertArrowIpc(suffix === '' ? cell.name : `${cell.name}__${suffix}`, bytes);
    }
  }
  return { kind: 'table', table: cell.name, ...shapeOf(await db.query(shapeSql(cell.name), { signal: context.signal })) };
}

/** Models that are SQL over the transactions and run in DuckDB itself: name → the SELECT they run. */
const SQL_MODELS: Readonly<Record<string, (input: string, spec: Spec) => string>> = {
  rfm: (input, spec) => rfmSql(input, rfmParams(spec)),
  customer_features: (input, spec) => {
    const { columns, referenceDate } = rfmParams(spec);
    return behaviourSql(input, { columns: { ...columns, product: pickColumn(spec, 'product', 'product_id') }, referenceDate });
  },
  cohorts: (input, spec) => cohortSql(input, rfmParams(spec).columns),
  loyalty_features: (input, spec) => {
    const horizon = spec.horizon_days ?? 60;
    if (typeof horizon !== 'number' || !Number.isInteger(horizon) || horizon < 1) throw new SpecError(`"horizon_days" must be a whole number of days, e.g. 60; got ${JSON.stringify(horizon)}`);
    const cutoff = spec.cutoff;
    if (cutoff !== undefined && (typeof cutoff !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(cutoff))) throw new SpecError(`"cutoff" must be a date like 2011-09-01; got ${JSON.stringify(cutoff)}`);
    return loyaltyFeaturesSql(input, { columns: { ...rfmParams(spec).columns, product: pickColumn(spec, 'product', 'product_id') }, cutoff: cutoff as string | undefined, horizonDays: horizon });
  },
};

/** A column named in the spec's `columns`, defaulting to the canonical retail name. */
function pickColumn(spec: Spec, field: string, fallback: string): string {
  const value = ((spec.columns ?? {}) as Record<string, unknown>)[field] ?? fallback;
  if (typeof value !== 'string') throw new SpecError(`"columns.${field}" must name a column`);
  return value;
}

/** RFM's column mapping defaults to the canonical retail columns. */
function rfmParams(spec: Spec) {
  const pick = (field: string, fallback: string) => pickColumn(spec, field, fallback);
  const weights = spec.weights;
  if (weights !== undefined && !(Array.isArray(weights) && weights.length === 3 && weights.every((w) => typeof w === 'number'))) {
    throw new SpecError('"weights" must be three numbers for R, F and M, e.g. [0.3, 0.4, 0.3]');
  }
  const reference = spec.reference_date;
  if (reference !== undefined && (typeof reference !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(reference))) {
    throw new SpecError(`"reference_date" must be a date like 2011-12-10; got ${JSON.stringify(reference)}`);
  }
  return {
    columns: { customer: pick('customer', 'customer_id'), invoice: pick('invoice', 'invoice_id'), date: pick('date', 'invoice_date'), amount: pick('amount', 'amount') },
    referenceDate: reference as string | undefined,
    weights: weights as [number, number, number] | undefined,
  };
}
