import { FrameError } from '../models/kit/frame.ts';
import { ParamError } from '../models/kit/params.ts';
import type { ModelRunner } from '../engine/ports.ts';
import { ModelRunError, isCancelled, messageOf, type ModelFailure } from '../util/errors.ts';

/** A model error as tagged data, told apart by its class where the class is known (in the worker, or in-process). */
export function modelFailureOf(error: unknown): ModelFailure {
  if (error instanceof ModelRunError) return error.failure;
  if (isCancelled(error)) return { kind: 'cancelled', message: messageOf(error) };
  if (error instanceof ParamError || error instanceof FrameError) return { kind: 'invalid-spec', message: error.message };
  return { kind: 'model-failed', message: messageOf(error) };
}

/** What a model run sends back over the boundary: its outputs, or why it failed. */
export type ModelRunResult = { readonly ok: true; readonly outputs: Record<string, Uint8Array> } | { readonly ok: false; readonly failure: ModelFailure };

/** Run `run`, turning a throw into a failure that crosses a worker boundary intact. */
export function settleModelRun(run: () => Record<string, Uint8Array>): ModelRunResult {
  try {
    return { ok: true, outputs: run() };
  } catch (error) {
    return { ok: false, failure: modelFailureOf(error) };
  }
}

/** The outputs of a settled run, or its failure thrown as a ModelRunError. */
export function outputsOf(result: ModelRunResult): Record<string, Uint8Array> {
  if (result.ok) return result.outputs;
  throw new ModelRunError(result.failure);
}

/** A runner whose failures are ModelRunErrors, as a worker's are: for the in-process runner (Node). */
export function taggedModelRunner(runner: ModelRunner): ModelRunner {
  return {
    run: async (request, onProgress, signal) => {
      try {
        return await runner.run(request, onProgress, signal);
      } catch (error) {
        // A cancellation stays what it is: callers stop on it as on any other.
        if (isCancelled(error)) throw error;
        throw new ModelRunError(modelFailureOf(error));
      }
    },
  };
}
