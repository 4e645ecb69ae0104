import type { ModelRequest, ModelRunner } from '../engine/ports.ts';
import { runModel } from '../models/registry.ts';

/** Models in this thread (Node: tests and the headless runner, where no page can freeze). */
export const inProcessModelRunner: ModelRunner = {
  async run(request: ModelRequest, onProgress, signal) {
    return runModel(request.model, request.params, Object.values(request.inputs), { onProgress, signal });
  },
};
