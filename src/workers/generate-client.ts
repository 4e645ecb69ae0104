import * as Comlink from 'comlink';
import type { SampleGenerator } from '../engine/ports.ts';
import type { GenerateWorkerApi } from '../../workers/generate.worker.ts';
import { CancelledError } from '../util/errors.ts';

/** The sample generator in a worker of its own; cancelling ends the worker, which stops it at once. */
export function workerSampleGenerator(): SampleGenerator {
  return {
    async generate(request, onProgress, signal) {
      if (signal.aborted) throw new CancelledError('Generation cancelled');
      const worker = new Worker(new URL('../../workers/generate.worker.ts', import.meta.url), { type: 'module', name: 'generate' });
      const api = Comlink.wrap<GenerateWorkerApi>(worker);
      let onAbort = () => {};
      const aborted = new Promise<never>((_, reject) => {
        onAbort = () => reject(new CancelledError('Generation cancelled'));
        signal.addEventListener('abort', onAbort, { once: true });
      });
      try {
        return await Promise.race([api.generateIpc(request, Comlink.proxy(onProgress)), aborted]);
      } finally {
        signal.removeEventListener('abort', onAbort);
        worker.terminate();
      }
    },
  };
}
