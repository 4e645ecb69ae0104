/** The model registry in a Node worker thread, for `aisle serve`: the browser's models worker with Node's port. */
import { parentPort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import { nodeEndpoint } from './node-endpoint.ts';
import { modelsWorkerApi } from './models-api.ts';

if (parentPort === null) throw new Error('model-thread.ts runs as a worker thread only');
Comlink.expose(modelsWorkerApi(), nodeEndpoint(parentPort));
