import * as Comlink from 'comlink';
import init, * as wasm from 'parquet-wasm/esm';
import wasmUrl from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
import { ipcToParquet, parquetToIpc } from '../src/db/parquet.ts';

const ready = init({ module_or_path: wasmUrl });

/** Parquet ↔ Arrow IPC off the main thread; bytes move by transfer, never by copy. */
const api = {
  async toArrowIpc(parquet: Uint8Array): Promise<Uint8Array> {
    await ready;
    const ipc = parquetToIpc(wasm, parquet);
    return Comlink.transfer(ipc, [ipc.buffer as ArrayBuffer]);
  },
  async fromArrowIpc(ipc: Uint8Array): Promise<Uint8Array> {
    await ready;
    const parquet = ipcToParquet(wasm, ipc);
    return Comlink.transfer(parquet, [parquet.buffer as ArrayBuffer]);
  },
};

export type ParquetWorkerApi = typeof api;
Comlink.expose(api);
