/**
 * The models a model cell can name, each a plain function over frames. Workers and the Node runner expose this
 * one registry, so a model behaves the same in a tab and headless.
 */
import { frameFromIpc, frameToIpc, type Frame } from './frame.ts';
import { ParamError, type Params } from './params.ts';
import type { RunControl } from './progress.ts';
import { SEGMENTATION_MODEL_DEFINITIONS } from './definitions.ts';
import { BASKET_MODEL_DEFINITIONS } from './basket-definitions.ts';
import { FORWARD_MODEL_DEFINITIONS } from './forward-definitions.ts';
import { NETWORK_MODEL_DEFINITIONS } from './network-definitions.ts';

/** One model: what it is called, what it computes, and how. */
export interface ModelDefinition {
  readonly title: string;
  /** Output frames by suffix: '' is the cell's own table; 'centroids' becomes `<cell>__centroids`. */
  run(inputs: readonly Frame[], params: Params, control: RunControl): Record<string, Frame>;
}

/** Every worker model by name. */
const MODEL_DEFINITIONS: Readonly<Record<string, ModelDefinition>> = { ...SEGMENTATION_MODEL_DEFINITIONS, ...BASKET_MODEL_DEFINITIONS, ...FORWARD_MODEL_DEFINITIONS, ...NETWORK_MODEL_DEFINITIONS };

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
