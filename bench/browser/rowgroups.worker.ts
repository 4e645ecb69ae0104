// Experiments only (bench/experiments.mjs): parquet-wasm decoding with a chosen batch size, whole or per row group.
import * as Comlink from 'comlink';
import init, * as wasm from 'parquet-wasm/esm';
import wasmUrl from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';

const ready = init({ module_or_path: wasmUrl });
let opened: Uint8Array | undefined;

const options = (batchSize: number | undefined, rowGroups?: number[]) => ({
  ...(batchSize ? { batchSize } : {}),
  ...(rowGroups ? { rowGroups } : {}),
});

const api = {
  /** Whole file → Arrow IPC stream (what the app's worker does, with an optional batch size). */
  async toIpc(parquet: Uint8Array, batchSize?: number): Promise<Uint8Array> {
    await ready;
    const ipc = wasm.readParquet(parquet, options(batchSize)).intoIPCStream();
    return Comlink.transfer(ipc, [ipc.buffer as ArrayBuffer]);
  },
  /** Keep a file for rowGroupIpc(); returns its number of row groups. */
  async open(parquet: Uint8Array): Promise<number> {
    await ready;
    opened = parquet;
    const file = await wasm.ParquetFile.fromFile(new Blob([parquet as Uint8Array<ArrayBuffer>]));
    try {
      return file.metadata().numRowGroups();
    } finally {
      file.free();
    }
  },
  async rowGroupIpc(index: number, batchSize?: number): Promise<Uint8Array> {
    await ready;
    const ipc = wasm.readParquet(opened!, options(batchSize, [index])).intoIPCStream();
    return Comlink.transfer(ipc, [ipc.buffer as ArrayBuffer]);
  },
};

export type RowGroupWorkerApi = typeof api;
Comlink.expose(api);
