/**
 * Model cells in Node worker threads (`aisle run`, `aisle serve`): the same warm-worker runner as the browser's, so a
 * model never holds the event loop (two cells' models run at once), and cancelling ends its thread at once.
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as Comlink from 'comlink';
import { nodeEndpoint } from './node-endpoint.ts';
import type { ModelsWorkerApi } from './models-api.ts';
import { warmModelRunner, type WarmModelRunner } from './model-client.ts';
import { ModelRunError, messageOf } from '../util/errors.ts';

/** tsx's ESM register API, where its package exports it to `import` (its CommonJS twin cannot register from a thread). */
const TSX_ESM_API = './dist/esm/api/index.mjs';

/**
 * A fresh models thread. Run from the sources (tests, tsx) it compiles model-thread.ts as it loads; from the
 * compiled CLI (.cache/cli/aisle.mjs) it loads model-thread.mjs, compiled beside it (scripts/build-cli.mjs).
 */
export function startModelThread(): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(fileURLToPath(new URL('./model-thread.mjs', here)), { name: 'models' });
  return startSourceThread(new URL('./model-thread.ts', here));
}

/** A worker thread running a TypeScript module from the sources, which tsx compiles as it loads (tests, benchmarks). */
export function startSourceThread(entry: URL, name = 'models'): Worker {
  const tsx = new URL(TSX_ESM_API, pathToFileURL(createRequire(import.meta.url).resolve('tsx/package.json'))).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); })`, { eval: true, name });
}

/** Models in worker threads kept warm between runs. A warm thread keeps the process alive: `close` ends them (the server does when it stops). */
export function threadModelRunner(start: () => Worker = startModelThread): WarmModelRunner {
  return warmModelRunner(
    () => {
      const worker = start();
      worker.unref();
      // A thread that fails to start or dies fails its run instead of leaving it waiting.
      let failure: Error | undefined;
      const listeners = new Set<(error: Error) => void>();
      const fail = (error: Error) => {
        failure ??= error;
        for (const listener of listeners) listener(failure);
        listeners.clear();
      };
      worker.once('error', (error) => fail(new ModelRunError({ kind: 'model-failed', message: `the model thread failed: ${messageOf(error)}` })));
      worker.once('exit', (code) => fail(new ModelRunError({ kind: 'model-failed', message: `the model thread stopped (exit code ${code})` })));
      const onFailure = (listener: (error: Error) => void) => {
        if (failure !== undefined) {
          listener(failure);
          return () => {};
        }
        listeners.add(listener);
        return () => void listeners.delete(listener);
      };
      return { api: Comlink.wrap<ModelsWorkerApi>(nodeEndpoint(worker)), end: () => void worker.terminate(), onFailure };
    },
    // Progress is not sent over HTTP: no port is opened back for it.
    { progress: false },
  );
}
