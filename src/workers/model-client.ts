import * as Comlink from 'comlink';
import type { ModelRunner } from '../engine/ports.ts';
import type { ModelsWorkerApi } from './models-api.ts';
import { outputsOf } from './model-failure.ts';
import { CancelledError } from '../util/errors.ts';

/** A started models worker (a web worker or a Node thread) and its proxy. */
export interface ModelsWorker {
  readonly api: Comlink.Remote<ModelsWorkerApi>;
  /** Stop it at once (a cancelled run's model stops with it). */
  end(): void;
  /**
   * Call `listener` when the worker dies or cannot start (at once if it has), failing the run it was given; returns
   * the unsubscribe. A listener per run, not one long-lived promise raced by every run: each race would leave a
   * reaction on that promise for the worker's life (an API serving 20 runs a second grew its heap by it).
   */
  onFailure?(listener: (error: Error) => void): () => void;
}

/** A ModelRunner whose warm worker can be ended for good: a server that stops ends its model threads. */
export interface WarmModelRunner extends ModelRunner {
  /** Start the warm workers now, so the first runs do not wait for a worker to start and load the registry. */
  warm(): void;
  /** End the idle workers; a run still going ends its worker when it finishes. */
  close(): void;
}

/** Models in a web worker kept warm between runs (see `warmModelRunner`). */
export function workerModelRunner(
  start: () => Worker = () => new Worker(new URL('../../workers/models.worker.ts', import.meta.url), { type: 'module', name: 'models' }),
): WarmModelRunner {
  return warmModelRunner(() => {
    const worker = start();
    return { api: Comlink.wrap<ModelsWorkerApi>(worker), end: () => worker.terminate() };
  });
}

/**
 * Workers kept warm after a run: two, as a model run in parts (`WorkerModel.parts`, evaluate_recommenders' two
 * splits) runs two at once, and a cold worker costs about 0.3 s in the tab (loading the registry and the kernel).
 */
const WARM_WORKERS = 2;

/**
 * Models in workers kept warm between runs (starting one and loading the registry costs more than moving a
 * table of thousands of rows). Cancelling ends the run's worker, which stops the model at once; the next run starts
 * a fresh one. A run that starts while the warm workers are busy gets a worker of its own, kept warm afterwards
 * while fewer than two are. `progress: false` sends no progress callback across (the caller reports none).
 */
export function warmModelRunner(start: () => ModelsWorker, options: { readonly progress: boolean } = { progress: true }): WarmModelRunner {
  const idle: ModelsWorker[] = [];
  let closed = false;
  const take = (): ModelsWorker => idle.pop() ?? start();
  return {
    async run(request, onProgress, signal) {
      if (signal.aborted) throw new CancelledError('Model run cancelled');
      const warm = take();
      let stopWatching = () => {};
      const interrupted = new Promise<never>((_, reject) => {
        const onAbort = () => reject(new CancelledError('Model run cancelled'));
        signal.addEventListener('abort', onAbort, { once: true });
        const unsubscribe = warm.onFailure?.(reject);
        stopWatching = () => {
          signal.removeEventListener('abort', onAbort);
          unsubscribe?.();
        };
      });
      let healthy = false;
      try {
        const inputs = Object.values(request.inputs);
        const transfer = inputs.map((bytes) => bytes.buffer as ArrayBuffer);
        const progress = options.progress ? Comlink.proxy(onProgress) : undefined;
        const run = warm.api.run(request.model, request.params, Comlink.transfer(inputs, transfer), progress, request.carried);
        const result = await Promise.race([run, interrupted]);
        healthy = true;
        return outputsOf(result);
      } finally {
        stopWatching();
        if (healthy && idle.length < WARM_WORKERS && !closed) idle.push(warm);
        else warm.end();
      }
    },
    warm() {
      while (!closed && idle.length < WARM_WORKERS) idle.push(start());
    },
    close() {
      closed = true;
      for (const warm of idle.splice(0)) warm.end();
    },
  };
}
