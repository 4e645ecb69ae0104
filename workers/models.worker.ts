import * as Comlink from 'comlink';
import alsKernelUrl from '../.cache/wasm/als.wasm?url';
import { loadAlsKernel } from '../src/models/index.ts';
import { modelsWorkerApi } from '../src/workers/models-api.ts';
import { runModel } from '../src/models/registry.ts';

// From the page's own origin (Vite bundles the file scripts/build-wasm.mjs compiled); ALS keeps its JavaScript loops
// if it cannot be fetched or compiled.
const kernels = fetch(alsKernelUrl)
  .then((response) => response.arrayBuffer())
  .then((bytes) => loadAlsKernel(new Uint8Array(bytes)))
  .catch(() => false);

/** The model registry off the main thread. Cancel by terminating the worker. */
Comlink.expose(modelsWorkerApi(runModel, kernels));
