/**
 * The models a model cell can name, each a plain function over frames. Workers and the Node runner expose this
 * one registry, so a model behaves the same in a tab and headless.
 */
import { frameFromIpc, frameToIpc, type Frame } from './kit/frame.ts';
import { ParamError, type Params } from './kit/params.ts';
import type { RunControl } from './kit/progress.ts';
import { SEGMENTATION_MODEL_DEFINITIONS } from './segmentation/cells.ts';
import { BASKET_MODEL_DEFINITIONS } from './baskets/cells.ts';
import { RECOMMENDER_MODEL_DEFINITIONS } from './recommenders/cells.ts';
import { FORWARD_MODEL_DEFINITIONS } from './forward/cells.ts';
import { NETWORK_MODEL_DEFINITIONS } from './network/cells.ts';

/** One model: what it is called, what it computes, and how. */
export interface ModelDefinition {
  readonly title: string;
  /** Output frames by suffix: '' is the cell's own table; 'centroids' becomes `<cell>__centroids`. */
  run(inputs: readonly Frame[], params: Params, control: RunControl): Record<string, Frame>;
}

/** Every worker model by name. */
const MODEL_DEFINITIONS: Readonly<Record<string, ModelDefinition>> = { ...SEGMENTATION_MODEL_DEFINITIONS, ...BASKET_MODEL_DEFINITIONS, ...RECOMMENDER_MODEL_DEFINITIONS, ...FORWARD_MODEL_DEFINITIONS, ...NETWORK_MODEL_DEFINITIONS };

/** Run a model by name over Arrow IPC inputs, returning Arrow IPC outputs (what crosses the worker boundary). */
export function runModel(
  model: string,
  params: Params,
  inputs: readonly Uint8Array[],
  control: RunControl,
): Record<string, Uint8Array> {
  const definition = MODEL_DEFINITIONS[model];
  if (!definition) {
    throw new ParamError(`there is no model "${model}"; there are ${['rfm', 'customer_features', 'cohorts', 'loyalty_features', ...Object.keys(MODEL_DEFINITIONS)].join(', ')}`);
  }
  const outputs = definition.run(inputs.map(frameFromIpc), params, control);
  return Object.fromEntries(Object.entries(outputs).map(([suffix, frame]) => [suffix, frameToIpc(frame)]));
}

/** Names of the models that run in a worker (RFM runs as SQL in DuckDB and is not listed here). */
export function workerModels(): string[] {
  return Object.keys(MODEL_DEFINITIONS);
}
