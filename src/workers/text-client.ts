import type { TextTranscoder } from '../engine/ports.ts';
import type { TextWorkerApi } from '../../workers/text.worker.ts';
import { inFreshWorker } from './one-shot.ts';

/** Text rewriting in a worker of its own; cancelling ends the worker. */
export function workerTextTranscoder(): TextTranscoder {
  return {
    toUtf8: (source, request, signal = new AbortController().signal) =>
      inFreshWorker<TextWorkerApi, Awaited<ReturnType<TextTranscoder['toUtf8']>>>(
        () => new Worker(new URL('../../workers/text.worker.ts', import.meta.url), { type: 'module', name: 'text' }),
        // A file handle crosses as a Blob (no copy); bytes are copied so the caller keeps its own.
        (api) => api.toUtf8(source.kind === 'handle' ? source.file : source.bytes.slice(), request),
        signal,
        'Import cancelled',
      ),
  };
}
