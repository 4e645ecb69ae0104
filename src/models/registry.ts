/**
 * Every model a model cell can name, assembled from the families' `cells.ts`. The engine asks it whether a model
 * is SQL or runs in a worker and checks specs against it; the form reads its fields from it. Workers and the Node
 * runner expose the same registry, so a model behaves the same in a tab and headless.
 */
import { closestName } from '../util/names.ts';
import { FrameError, concatIpc, frameFromIpc, frameToIpc } from './kit/frame.ts';
import { ParamError, type Params } from './kit/params.ts';
import type { RunControl } from './kit/progress.ts';
import type { ModelDefinition, WorkerModel } from './kit/model.ts';
import { carryIn, carryOut } from './kit/carried.ts';
import { checkParams } from './kit/schema.ts';
import { SEGMENTATION_MODELS } from './segmentation/cells.ts';
import { BASKET_MODELS } from './baskets/cells.ts';
import { RECOMMENDER_MODELS } from './recommenders/cells.ts';
import { FORWARD_MODELS } from './forward/cells.ts';
import { NETWORK_MODELS } from './network/cells.ts';
import { DEMAND_MODELS } from './demand/cells.ts';

export type { Field, FieldType, ModelDefinition, ParamSchema, ParamType, SqlModel, WorkerModel } from './kit/model.ts';

/** Index models by name, refusing two models of one name (a later family would silently replace the first). */
export function assembleModels(families: readonly (readonly ModelDefinition[])[]): ReadonlyMap<string, ModelDefinition> {
  const byName = new Map<string, ModelDefinition>();
  for (const model of families.flat()) {
    if (byName.has(model.name)) throw new Error(`two models are named "${model.name}": ${byName.get(model.name)!.title} and ${model.title}`);
    byName.set(model.name, model);
  }
  return byName;
}

const MODELS = assembleModels([SEGMENTATION_MODELS, BASKET_MODELS, RECOMMENDER_MODELS, FORWARD_MODELS, NETWORK_MODELS, DEMAND_MODELS]);

/** Every model, in the order the form lists them. */
export function listModels(): readonly ModelDefinition[] {
  return [...MODELS.values()];
}

/** The model of that name, or a ParamError naming the nearest one. */
export function findModel(name: string): ModelDefinition {
  const model = MODELS.get(name);
  if (model) return model;
  const near = closestName(name, [...MODELS.keys()]);
  throw new ParamError(`there is no model "${name}"${near ? ` (did you mean "${near}"?)` : ''}; there are ${[...MODELS.keys()].join(', ')}`);
}

/**
 * A model spec in today's shape: keys its model renamed since it was saved move to their new place (where that is
 * unset; a value already there wins). Specs of unknown models, or of models that renamed nothing, come back as they are.
 * `upgradeModelSpec({ model: 'clv', customer: 'CustomerID' })` → `{ model: 'clv', columns: { customer: 'CustomerID' } }`.
 */
export function upgradeModelSpec(spec: Params): Params {
  const renamed = typeof spec.model === 'string' ? MODELS.get(spec.model)?.renamedKeys : undefined;
  if (renamed === undefined || !Object.keys(renamed).some((key) => key in spec)) return spec;
  let upgraded: Record<string, unknown> = { ...spec };
  for (const [old, now] of Object.entries(renamed)) {
    if (!(old in upgraded)) continue;
    const value = upgraded[old];
    delete upgraded[old];
    if (nestedValue(upgraded, now) === undefined) upgraded = withNested(upgraded, now, value);
  }
  return upgraded;
}

function nestedValue(spec: Params, key: string): unknown {
  return key.split('.').reduce<unknown>((value, part) => (value !== null && typeof value === 'object' ? (value as Params)[part] : undefined), spec);
}

function withNested(spec: Params, key: string, value: unknown): Record<string, unknown> {
  const [head, ...rest] = key.split('.') as [string, ...string[]];
  if (rest.length === 0) return { ...spec, [head]: value };
  const inner = spec[head];
  return { ...spec, [head]: withNested(inner !== null && typeof inner === 'object' && !Array.isArray(inner) ? (inner as Params) : {}, rest.join('.'), value) };
}

/** Check a spec against its model's schema before any data moves: unknown keys (with the nearest) and wrong types. */
export function checkModelSpec(name: string, params: Params): ModelDefinition {
  const model = findModel(name);
  checkParams(model, params);
  return model;
}

/**
 * Run a worker model by name over Arrow IPC inputs, returning Arrow IPC outputs (what crosses the worker boundary).
 * `carried`: the columns the model declares it carries (`WorkerModel.carries`), left out of the input and so of its table.
 */
export function runModel(
  name: string,
  params: Params,
  inputs: readonly Uint8Array[],
  control: RunControl,
  carried: readonly string[] = [],
): Record<string, Uint8Array> {
  const model = workerModel(name, params, carried);
  const frames = carryIn(inputs.map(frameFromIpc), carried);
  const outputs = carryOut(model.run(frames, params, control), carried, frames[0]?.rowCount ?? 0);
  return Object.fromEntries(Object.entries(outputs).map(([suffix, frame]) => [suffix, frameToIpc(frame)]));
}

/** The worker model `name`, its spec checked, and `carried` among the columns it declares it carries. */
export function workerModel(name: string, params: Params, carried: readonly string[] = []): WorkerModel {
  const model = checkModelSpec(name, params);
  if (model.kind !== 'worker') throw new ParamError(`model ${name} is SQL and runs in the database, not in a worker`);
  const declared = model.carries?.(params) ?? [];
  if (carried.some((column) => !declared.includes(column))) throw new FrameError(`model ${name} does not carry ${carried.join(', ')}`);
  return model;
}

/** The outputs of a model run in parts (`WorkerModel.parts`), joined table by table: each part's rows in order. */
export function joinPartOutputs(parts: readonly Record<string, Uint8Array>[]): Record<string, Uint8Array> {
  const suffixes = Object.keys(parts[0] ?? {});
  const part = (outputs: Record<string, Uint8Array>, suffix: string) => {
    const bytes = outputs[suffix];
    if (bytes === undefined) throw new FrameError(`the parts of one run made different tables: one lacks ${suffix === '' ? "the cell's own" : suffix}`);
    return bytes;
  };
  return Object.fromEntries(suffixes.map((suffix) => [suffix, concatIpc(parts.map((outputs) => part(outputs, suffix)))]));
}

/** Names of the models that run in a worker (RFM and the other SQL models run in the database). */
export function workerModels(): string[] {
  return listModels().filter((model) => model.kind === 'worker').map((model) => model.name);
}
