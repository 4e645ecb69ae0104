import * as Comlink from 'comlink';
import init, * as wasm from 'parquet-wasm/esm';
import wasmUrl from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
import { ipcToParquet, openParquetFile, parquetToIpc, type ParquetFileReader } from '../src/db/parquet.ts';
import type { ParquetCompression } from '../src/engine/ports.ts';

const ready = init({ module_or_path: wasmUrl });
/** Files opened by row group, by the id `openRowGroups` gave. */
const opened = new Map<number, ParquetFileReader>();
let nextId = 1;

/** Parquet ↔ Arrow IPC off the main thread; bytes move by transfer, never by copy. */
const api = {
  async toArrowIpc(parquet: Uint8Array): Promise<Uint8Array> {
    await ready;
    const ipc = parquetToIpc(wasm, parquet);
    return Comlink.transfer(ipc, [ipc.buffer as ArrayBuffer]);
  },
  /** Open a File (read by range, never whole) or bytes; returns its id for `readRowGroup` and `close`. */
  async openRowGroups(source: Blob | Uint8Array): Promise<{ id: number; rowGroupRows: number[] }> {
    await ready;
    const reader = await openParquetFile(wasm, source instanceof Blob ? source : new Blob([source as Uint8Array<ArrayBuffer>]));
    const id = nextId++;
    opened.set(id, reader);
    return { id, rowGroupRows: reader.rowGroupRows };
  },
  async readRowGroup(id: number, index: number): Promise<Uint8Array> {
    const reader = opened.get(id);
    if (reader === undefined) throw new Error(`Parquet file ${id} is not open`);
    const ipc = await reader.read(index);
    return Comlink.transfer(ipc, [ipc.buffer as ArrayBuffer]);
  },
  close(id: number): void {
    opened.get(id)?.close();
    opened.delete(id);
  },
  async fromArrowIpc(ipc: Uint8Array, compression?: ParquetCompression): Promise<Uint8Array> {
    await ready;
    const parquet = ipcToParquet(wasm, ipc, compression);
    return Comlink.transfer(parquet, [parquet.buffer as ArrayBuffer]);
  },
};

export type ParquetWorkerApi = typeof api;
Comlink.expose(api);
