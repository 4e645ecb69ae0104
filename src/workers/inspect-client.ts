import * as Comlink from 'comlink';
import type { FileInspector, FileSource } from '../engine/ports.ts';
import type { InspectWorkerApi } from '../../workers/inspect.worker.ts';

/**
 * Files opened for the import sheet in a worker each: the worker reads the file (a picked file crosses as a handle,
 * never copied here), detects its dialect and makes every preview; closing the sheet ends the worker.
 */
export function workerFileInspector(): FileInspector {
  return {
    async open(fileName: string, source: FileSource) {
      const worker = new Worker(new URL('../../workers/inspect.worker.ts', import.meta.url), { type: 'module', name: 'inspect' });
      const api = Comlink.wrap<InspectWorkerApi>(worker);
      const blob = source.kind === 'handle' ? source.file : new Blob([source.bytes as Uint8Array<ArrayBuffer>]);
      try {
        const inspection = await api.open(blob, fileName);
        return {
          inspection,
          previewText: (options) => api.previewText(options),
          previewSheet: (sheet, headerRow) => api.previewSheet(sheet, headerRow),
          previewJson: (nested) => api.previewJson(nested),
          close: () => worker.terminate(),
        };
      } catch (error) {
        worker.terminate();
        throw error;
      }
    },
  };
}
