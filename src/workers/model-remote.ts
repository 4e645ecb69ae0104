import type { ModelRunner } from '../engine/ports.ts';
import { frameParts, unframeParts } from '../util/byte-frames.ts';
import { CancelledError, ModelRunError, type ModelFailure } from '../util/errors.ts';

/**
 * `ModelRunner` over HTTP to `aisle serve`: the inputs go up as Arrow IPC in one framed body, the outputs come back
 * the same way. Progress is not streamed (the cell shows it running until the answer); aborting aborts the fetch,
 * and the server's run sees its signal abort.
 */
export function remoteModelRunner(base: string, fetchImpl: typeof fetch = (...args) => fetch(...args), headers: Readonly<Record<string, string>> = {}): ModelRunner {
  return {
    async run(request, onProgress, signal) {
      if (signal.aborted) throw new CancelledError();
      let response: Response;
      try {
        response = await fetchImpl(`${base}models/run`, {
          method: 'POST',
          body: frameParts({ model: request.model, params: request.params, carried: request.carried }, request.inputs) as BodyInit,
          signal,
          credentials: 'same-origin',
          headers: { 'Content-Type': 'application/octet-stream', ...headers },
        });
      } catch (error) {
        if (signal.aborted) throw new CancelledError();
        throw new ModelRunError({ kind: 'model-failed', message: `the server could not be reached: ${(error as Error).message}` });
      }
      if (!response.ok) {
        const body = (await response.json().catch(() => ({}))) as { error?: string; failure?: ModelFailure; kind?: string };
        if (body.kind === 'cancelled' || signal.aborted) throw new CancelledError();
        throw new ModelRunError(body.failure ?? { kind: 'model-failed', message: body.error ?? `the server answered ${response.status}` });
      }
      const { parts } = unframeParts<unknown>(new Uint8Array(await response.arrayBuffer()));
      onProgress(1);
      return { ...parts };
    },
  };
}
