import * as Comlink from 'comlink';
import { runModel } from '../src/models/registry.ts';
import type { Params } from '../src/models/kit/params.ts';

/** The model registry off the main thread; outputs move back by transfer. Cancel by terminating the worker. */
const api = {
  run(model: string, params: Params, inputs: Uint8Array[], onProgress?: (fraction: number) => unknown): Record<string, Uint8Array> {
    const outputs = runModel(model, params, inputs, { onProgress: onProgress ? (fraction) => void onProgress(fraction) : undefined });
    return Comlink.transfer(outputs, Object.values(outputs).map((bytes) => bytes.buffer as ArrayBuffer));
  },
};

export type ModelsWorkerApi = typeof api;
Comlink.expose(api);
