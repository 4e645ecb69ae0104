/** The model registry in a Node worker thread (`aisle serve`, `aisle run`): the browser's models worker with Node's port. */
import { parentPort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import { nodeEndpoint } from './node-endpoint.ts';
import { modelsWorkerApi } from './models-api.ts';
import { runModel } from '../models/registry.ts';
import { loadNodeKernels } from './node-kernels.ts';

if (parentPort === null) throw new Error('model-thread.ts runs as a worker thread only');
// Each thread compiles the WebAssembly kernels for itself, as the browser's models worker does.
Comlink.expose(modelsWorkerApi(runModel, Promise.resolve(loadNodeKernels())), nodeEndpoint(parentPort));
