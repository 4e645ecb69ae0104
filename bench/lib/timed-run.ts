// What the model registry's runModel does, with each step timed: decoding the inputs, the model itself, encoding the
// outputs. The bench's models workers (bench/browser/models-timed.worker.ts, bench/lib/models-timed.thread.ts) run it.
import { carryIn, carryOut, frameFromIpc, frameToIpc, workerModel, type runModel } from '../../src/models/index.ts';

/** The output a Node models thread gives its run's times in, as JSON (bench/lib/models-timed.thread.ts). */
export const TIMINGS = '__timings';

export interface WorkerTimings {
  decodeMs: number;
  algorithmMs: number;
  encodeMs: number;
  inputRows: number;
  inputBytes: number;
}

/** The registry's runModel, timed step by step; `record` receives each run's times. */
export function timedRunModel(record: (timings: WorkerTimings) => void): typeof runModel {
  return (name, params, inputs, control, carried = []) => {
    const model = workerModel(name, params, carried);
    let started = performance.now();
    const frames = carryIn(inputs.map(frameFromIpc), carried);
    const decodeMs = performance.now() - started;
    started = performance.now();
    const outputs = carryOut(model.run(frames, params, control), carried, frames[0]?.rowCount ?? 0);
    const algorithmMs = performance.now() - started;
    started = performance.now();
    const encoded = Object.fromEntries(Object.entries(outputs).map(([suffix, frame]) => [suffix, frameToIpc(frame)]));
    record({
      decodeMs,
      algorithmMs,
      encodeMs: performance.now() - started,
      inputRows: frames.reduce((sum, frame) => sum + frame.rowCount, 0),
      inputBytes: inputs.reduce((sum, bytes) => sum + bytes.byteLength, 0),
    });
    return encoded;
  };
}
