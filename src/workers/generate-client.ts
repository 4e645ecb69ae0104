import * as Comlink from 'comlink';
import type { SampleGenerator } from '../engine/ports.ts';
import type { GenerateWorkerApi } from '../../workers/generate.worker.ts';
import { inFreshWorker } from './one-shot.ts';

/** The sample generator in a worker of its own; cancelling ends the worker, which stops it at once. */
export function workerSampleGenerator(): SampleGenerator {
  return {
    generate: (request, onProgress, signal) =>
      inFreshWorker<GenerateWorkerApi, Uint8Array>(
        () => new Worker(new URL('../../workers/generate.worker.ts', import.meta.url), { type: 'module', name: 'generate' }),
        (api) => api.generateIpc(request, Comlink.proxy(onProgress)),
        signal,
        'Generation cancelled',
      ),
  };
}
