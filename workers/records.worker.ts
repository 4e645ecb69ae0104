import * as Comlink from 'comlink';
import type { TablePreview } from '../src/data/column-builder.ts';
import { readRecordFileIpc, type RecordFileRequest } from '../src/data/record-files.ts';

/** Excel and JSON → Arrow IPC off the main thread; bytes move by transfer. Cancel by terminating the worker. */
const api = {
  readIpc(request: RecordFileRequest, onProgress: (fraction: number) => unknown, onPreview: (preview: TablePreview) => unknown): Uint8Array {
    // Blocks, not expressions: a callback's return value would cross back to the worker.
    const ipc = readRecordFileIpc(
      request,
      (fraction) => {
        void onProgress(fraction);
      },
      (preview) => {
        void onPreview(preview);
      },
    );
    return Comlink.transfer(ipc, [ipc.buffer as ArrayBuffer]);
  },
};

export type RecordsWorkerApi = typeof api;
Comlink.expose(api);
