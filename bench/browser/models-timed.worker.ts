// The app's models worker (workers/models.worker.ts) with its run timed step by step: decoding the inputs, the model
// itself, encoding the outputs. bench/browser/model-overhead.ts reads the times with `lastTimings()`.
import * as Comlink from 'comlink';
import { modelsWorkerApi } from '../../src/workers/models-api.ts';
import { findModel, frameFromIpc, frameToIpc, type RunControl, type runModel } from '../../src/models/index.ts';

type Params = Parameters<typeof runModel>[1];

export interface WorkerTimings {
  decodeMs: number;
  algorithmMs: number;
  encodeMs: number;
  inputRows: number;
}

let last: WorkerTimings | undefined;

/** What the registry's runModel does, with each step timed. */
function timedRun(name: string, params: Params, inputs: readonly Uint8Array[], control: RunControl): Record<string, Uint8Array> {
  const model = findModel(name);
  if (model.kind !== 'worker') throw new Error(`${name} is not a worker model`);
  let started = performance.now();
  const frames = inputs.map(frameFromIpc);
  const decodeMs = performance.now() - started;
  started = performance.now();
  const outputs = model.run(frames, params, control);
  const algorithmMs = performance.now() - started;
  started = performance.now();
  const encoded = Object.fromEntries(Object.entries(outputs).map(([suffix, frame]) => [suffix, frameToIpc(frame)]));
  last = { decodeMs, algorithmMs, encodeMs: performance.now() - started, inputRows: frames.reduce((sum, frame) => sum + frame.rowCount, 0) };
  return encoded;
}

Comlink.expose({ ...modelsWorkerApi(timedRun), lastTimings: () => last });
