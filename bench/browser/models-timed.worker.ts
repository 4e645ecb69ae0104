// The app's models worker (workers/models.worker.ts) with its run timed step by step (bench/lib/timed-run.ts), on the
// same WebAssembly kernels. bench/browser/model-overhead.ts reads the times with `lastTimings()`.
import * as Comlink from 'comlink';
import alsKernelUrl from '../../.cache/wasm/als.wasm?url';
import { loadAlsKernel } from '../../src/models/index.ts';
import { modelsWorkerApi } from '../../src/workers/models-api.ts';
import { timedRunModel, type WorkerTimings } from '../lib/timed-run.ts';

export type { WorkerTimings } from '../lib/timed-run.ts';

const kernels = fetch(alsKernelUrl)
  .then((response) => response.arrayBuffer())
  .then((bytes) => loadAlsKernel(new Uint8Array(bytes)))
  .catch(() => false);

let last: WorkerTimings | undefined;

Comlink.expose({ ...modelsWorkerApi(timedRunModel((timings) => (last = timings)), kernels), lastTimings: () => last });
