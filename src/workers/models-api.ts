import * as Comlink from 'comlink';
import { runModel } from '../models/registry.ts';
import { alsKernelLoaded } from '../models/index.ts';
import type { Params } from '../models/kit/params.ts';
import { settleModelRun, type ModelRunResult } from './model-failure.ts';

type RunModel = typeof runModel;

/**
 * The models worker's API over the model registry (`run` is replaceable for tests). A failure comes back as tagged
 * data, never as a thrown Error, whose class the boundary would lose. Outputs move back by transfer. Runs wait for
 * `kernels` (the WebAssembly kernels loading), so the first run already uses them.
 */
export function modelsWorkerApi(run: RunModel = runModel, kernels: Promise<unknown> = Promise.resolve()) {
  return {
    async run(model: string, params: Params, inputs: Uint8Array[], onProgress?: (fraction: number) => unknown, carried?: readonly string[]): Promise<ModelRunResult> {
      await kernels;
      const result = settleModelRun(() => run(model, params, inputs, { onProgress: onProgress ? (fraction) => void onProgress(fraction) : undefined }, carried));
      return result.ok ? Comlink.transfer(result, Object.values(result.outputs).map((bytes) => bytes.buffer as ArrayBuffer)) : result;
    },
    /** Whether this worker's models run on the WebAssembly kernels (false: on their JavaScript loops), once loaded. */
    async kernelsLoaded(): Promise<boolean> {
      await kernels;
      return alsKernelLoaded();
    },
  };
}

export type ModelsWorkerApi = ReturnType<typeof modelsWorkerApi>;
