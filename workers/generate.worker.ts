import * as Comlink from 'comlink';
import { tableToIPC } from 'apache-arrow';
import { generate, toArrowTable, type GenerateOptions } from '../src/data/generate.ts';

/** Sample data off the main thread: Arrow IPC stream bytes, moved by transfer. Cancel by terminating the worker. */
const api = {
  generateIpc(options: Omit<GenerateOptions, 'onProgress' | 'signal'>, onProgress?: (fraction: number) => unknown): Uint8Array {
    const table = generate({ ...options, onProgress: onProgress === undefined ? undefined : (fraction) => void onProgress(fraction) });
    const ipc = tableToIPC(toArrowTable(table), 'stream');
    return Comlink.transfer(ipc, [ipc.buffer as ArrayBuffer]);
  },
};

export type GenerateWorkerApi = typeof api;
Comlink.expose(api);
