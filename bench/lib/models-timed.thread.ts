// The runner's models thread (src/workers/model-thread.ts) with each run timed step by step (timed-run.ts), on the
// same WebAssembly kernels. A run's times travel back with its outputs, as the JSON bytes of the table TIMINGS, which
// bench/seed.ts takes out before the engine inserts the rest.
import { parentPort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import { nodeEndpoint } from '../../src/workers/node-endpoint.ts';
import { modelsWorkerApi } from '../../src/workers/models-api.ts';
import { loadNodeKernels } from '../../src/workers/node-kernels.ts';
import { TIMINGS, timedRunModel, type WorkerTimings } from './timed-run.ts';

if (parentPort === null) throw new Error('models-timed.thread.ts runs as a worker thread only');
Comlink.expose(
  modelsWorkerApi((name, params, inputs, control, carried) => {
    let timings: WorkerTimings | undefined;
    const outputs = timedRunModel((times) => (timings = times))(name, params, inputs, control, carried);
    return { ...outputs, [TIMINGS]: new TextEncoder().encode(JSON.stringify(timings)) };
  }, Promise.resolve(loadNodeKernels())),
  nodeEndpoint(parentPort),
);
