import * as Comlink from 'comlink';
import type { RecordFileReader } from '../data/record-files.ts';
import type { RecordsWorkerApi } from '../../workers/records.worker.ts';
import { inFreshWorker } from './one-shot.ts';

/** Excel and JSON files read in a worker of their own; cancelling ends the worker, which stops the read at once. */
export function workerRecordReader(): RecordFileReader {
  return {
    read: (request, onProgress, onPreview, signal) =>
      inFreshWorker<RecordsWorkerApi, Uint8Array>(
        () => new Worker(new URL('../../workers/records.worker.ts', import.meta.url), { type: 'module', name: 'records' }),
        (api) =>
          api.readIpc(
            Comlink.transfer({ ...request, bytes: request.bytes }, [request.bytes.buffer as ArrayBuffer]),
            Comlink.proxy(onProgress),
            Comlink.proxy(onPreview),
          ),
        signal,
        'Import cancelled',
      ),
  };
}
