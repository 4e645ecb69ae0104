import * as Comlink from 'comlink';
import type { ModelRunner } from '../engine/ports.ts';
import type { ModelsWorkerApi } from './models-api.ts';
import { outputsOf } from './model-failure.ts';
import { CancelledError } from '../util/errors.ts';

/** A started models worker and its proxy. */
interface WarmWorker {
  readonly worker: Worker;
  readonly api: Comlink.Remote<ModelsWorkerApi>;
}

/**
 * Models in a worker kept warm between runs (starting one and loading the registry costs more than moving a
 * table of thousands of rows). Cancelling ends that worker, which stops the model at once; the next run starts
 * a fresh one. A run that starts while another is running gets a worker of its own, ended afterwards.
 */
export function workerModelRunner(
  start: () => Worker = () => new Worker(new URL('../../workers/models.worker.ts', import.meta.url), { type: 'module', name: 'models' }),
): ModelRunner {
  let idle: WarmWorker | undefined;
  const take = (): WarmWorker => {
    const warm = idle;
    idle = undefined;
    if (warm) return warm;
    const worker = start();
    return { worker, api: Comlink.wrap<ModelsWorkerApi>(worker) };
  };
  return {
    async run(request, onProgress, signal) {
      if (signal.aborted) throw new CancelledError('Model run cancelled');
      const warm = take();
      let onAbort = () => {};
      const aborted = new Promise<never>((_, reject) => {
        onAbort = () => reject(new CancelledError('Model run cancelled'));
        signal.addEventListener('abort', onAbort, { once: true });
      });
      let healthy = false;
      try {
        const inputs = Object.values(request.inputs);
        const transfer = inputs.map((bytes) => bytes.buffer as ArrayBuffer);
        const result = await Promise.race([warm.api.run(request.model, request.params, Comlink.transfer(inputs, transfer), Comlink.proxy(onProgress)), aborted]);
        healthy = true;
        return outputsOf(result);
      } finally {
        signal.removeEventListener('abort', onAbort);
        if (healthy && idle === undefined) idle = warm;
        else warm.worker.terminate();
      }
    },
  };
}
