import type { ModelRequest, ModelRunner } from '../engine/ports.ts';
import { runModel } from '../models/registry.ts';
import { loadNodeKernels } from './node-kernels.ts';

/** Whether ALS runs in WebAssembly here, once the first run has tried to load the kernels. */
let kernels: boolean | undefined;

/** Models in this thread (Node: tests, where no page can freeze; `aisle run` and `aisle serve` use model-threads.ts). */
export const inProcessModelRunner: ModelRunner = {
  async run(request: ModelRequest, onProgress, signal) {
    kernels ??= loadNodeKernels();
    return runModel(request.model, request.params, Object.values(request.inputs), { onProgress, signal }, request.carried);
  },
};
