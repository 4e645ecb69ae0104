import * as Comlink from 'comlink';
import type { ModelRunner } from '../engine/ports.ts';
import type { ModelsWorkerApi } from './models-api.ts';
import { outputsOf, type ModelRunResult } from './model-failure.ts';
import { inFreshWorker } from './one-shot.ts';

/** Models in a worker of their own per run; cancelling ends the worker, which stops the model at once. */
export function workerModelRunner(): ModelRunner {
  return {
    run: (request, onProgress, signal) =>
      inFreshWorker<ModelsWorkerApi, ModelRunResult>(
        () => new Worker(new URL('../../workers/models.worker.ts', import.meta.url), { type: 'module', name: 'models' }),
        (api) => {
          const inputs = Object.values(request.inputs);
          const transfer = inputs.map((bytes) => bytes.buffer as ArrayBuffer);
          return api.run(request.model, request.params, Comlink.transfer(inputs, transfer), Comlink.proxy(onProgress));
        },
        signal,
        'Model run cancelled',
      ).then(outputsOf),
  };
}
