import type { Database, ModelRunner, TableShape } from '../ports.ts';
import type { NamedCell } from '../notebook.ts';
import type { RunContext } from '../scheduler.ts';
import type { CellOutput } from '../status.ts';
import { SpecError, bindSpecInputs, specTables } from '../specs.ts';
import { modelSpec } from '../models.ts';
import { shapeOf, shapeSql } from '../catalog.ts';
import { dialectOf } from '../../util/dialect/index.ts';
import { checkModelSpec, joinPartOutputs } from '../../models/registry.ts';
import { ParamError, type Params } from '../../models/kit/params.ts';
import { quoteIdent } from '../../util/sql.ts';
import { exportPreparedInput, modelInput, type ModelInputCache } from '../model-inputs.ts';
import type { ModelOutputWatch } from '../model-outputs.ts';
import { joinCarried } from '../model-carried.ts';

/**
 * Run a model cell: `{ "model": "kmeans", "input": "customer_features", … }`. The spec is checked against the
 * model's schema first, before any data moves. A SQL model (rfm, cohorts…) runs in the database; every other
 * model gets its input tables as Arrow, runs in the model runner (a worker in the browser), and its outputs
 * become `<cell>` and `<cell>__<suffix>` tables.
 */
export async function evaluateModel(
  db: Database,
  runner: ModelRunner,
  cell: NamedCell,
  context: RunContext,
  inputCache?: ModelInputCache,
  modelOutputs?: ModelOutputWatch,
): Promise<CellOutput> {
  const spec = bindSpecInputs(modelSpec(cell.source), context.inputs);
  const name = spec.model;
  if (typeof name !== 'string') throw new SpecError('"model" must name a model, e.g. "rfm" or "kmeans"');
  const inputs = specTables(spec, 'input');
  if (inputs.length === 0) throw new SpecError('"input" must name the table the model reads');
  const model = asSpecError(() => checkModelSpec(name, spec));
  switch (model.kind) {
    case 'sql': {
      const sql = asSpecError(() => model.sql(inputs[0]!, spec, dialectOf(db)));
      await db.query(dialectOf(db).createTableAs(cell.name, sql), { signal: context.signal });
      break;
    }
    case 'worker': {
      let shape: TableShape | void = undefined;
      const ipc: Record<string, Uint8Array> = {};
      const prepare = inputs.length === 1 ? model.prepare : undefined;
      const parts = model.parts?.(spec);
      let carried: readonly string[] = [];
      if (prepare !== undefined) {
        const table = inputs[0]!;
        const probe = await db.query(`SELECT * FROM ${quoteIdent(table)} LIMIT 0`, { signal: context.signal });
        const query = asSpecError(() => prepare(table, probe.schema.fields.map((field) => field.name), spec, dialectOf(db)));
        ipc[table] = await exportPreparedInput(db, query, context.signal);
      } else {
        const reads = inputs.length === 1 ? model.reads?.(spec) : undefined;
        // Not for a table whose outputs are watched: a run is answered from the model's rows, which must hold every column.
        const carries = inputs.length === 1 && (parts?.length ?? 1) <= 1 && !modelOutputs?.watching(cell.name) ? (model.carries?.(spec) ?? []) : [];
        for (const table of inputs) {
          const input = await (inputCache === undefined ? modelInput(db, table, reads, carries, context.signal) : inputCache.export(db, table, reads, carries, context.signal));
          ipc[table] = input.bytes;
          carried = input.carried;
        }
      }
      context.signal.throwIfAborted();
      const outputs =
        parts !== undefined && parts.length > 1
          ? await runInParts(runner, name, parts, ipc, context)
          : await runner.run({ model: name, params: spec, inputs: ipc, ...(carried.length > 0 ? { carried } : {}) }, context.onProgress ?? (() => {}), context.signal);
      for (const [suffix, bytes] of Object.entries(outputs)) {
        const table = suffix === '' ? cell.name : `${cell.name}__${suffix}`;
        // A copy: the database may take the bytes over (DuckDB-WASM transfers them to its worker).
        const kept = modelOutputs?.watching(table) ? bytes.slice() : undefined;
        const inserted = await db.insertArrowIpc(table, bytes);
        if (table === cell.name && carried.length > 0) await joinCarried(db, cell.name, inputs[0]!, carried, context.signal);
        else if (table === cell.name) shape = inserted;
        if (kept !== undefined) modelOutputs?.inserted(table, kept);
      }
      // The database knew the table's shape as it made it (native DuckDB's small tables): no query for it.
      if (shape) return { kind: 'table', table: cell.name, columns: [...shape.columns], rowCount: shape.rowCount };
      break;
    }
  }
  return { kind: 'table', table: cell.name, ...shapeOf(await db.query(shapeSql(cell.name, dialectOf(db)), { signal: context.signal })) };
}

/**
 * A model split into independent parts (`WorkerModel.parts`), run side by side: a runner gives a run that starts
 * while another runs a worker of its own. The outputs are joined in the parts' order; a part that fails cancels the
 * others, and its error is the run's.
 */
async function runInParts(runner: ModelRunner, model: string, parts: readonly Params[], ipc: Record<string, Uint8Array>, context: RunContext): Promise<Record<string, Uint8Array>> {
  const controller = new AbortController();
  const cancel = () => controller.abort();
  context.signal.addEventListener('abort', cancel, { once: true });
  const done = parts.map(() => 0);
  try {
    const outputs = await Promise.all(
      parts.map((params, index) => {
        // A copy for all but the last: a runner transfers the buffers it is given to its worker, emptying them here.
        const inputs = index === parts.length - 1 ? ipc : Object.fromEntries(Object.entries(ipc).map(([table, bytes]) => [table, bytes.slice()]));
        const onProgress = (fraction: number) => {
          done[index] = fraction;
          context.onProgress?.(done.reduce((sum, value) => sum + value, 0) / parts.length);
        };
        return runner.run({ model, params, inputs }, onProgress, controller.signal).catch((error: unknown) => {
          controller.abort();
          throw error;
        });
      }),
    );
    return joinPartOutputs(outputs);
  } finally {
    context.signal.removeEventListener('abort', cancel);
  }
}

/** A spec the model's schema refuses is the cell's spec error (shown as "invalid"), not a failure of the model. */
function asSpecError<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof ParamError) throw new SpecError(error.message, { cause: error });
    throw error;
  }
}
