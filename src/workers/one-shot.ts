import * as Comlink from 'comlink';
import { CancelledError } from '../util/errors.ts';

/**
 * Run one call in a fresh worker and end the worker afterwards. Aborting `signal` rejects at once and
 * terminates the worker, the only way to stop a computation that does not yield.
 */
export async function inFreshWorker<Api, Result>(
  start: () => Worker,
  call: (api: Comlink.Remote<Api>) => Promise<Result>,
  signal: AbortSignal,
  cancelled: string,
): Promise<Result> {
  if (signal.aborted) throw new CancelledError(cancelled);
  const worker = start();
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new CancelledError(cancelled));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([call(Comlink.wrap<Api>(worker)), aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
    worker.terminate();
  }
}
