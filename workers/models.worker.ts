import * as Comlink from 'comlink';
import { modelsWorkerApi } from '../src/workers/models-api.ts';

/** The model registry off the main thread. Cancel by terminating the worker. */
Comlink.expose(modelsWorkerApi());
