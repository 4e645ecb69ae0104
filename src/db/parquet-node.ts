import * as wasm from 'parquet-wasm';
import type { ParquetCodec } from '../engine/ports.ts';
import { ipcToParquet, openParquetFile, parquetToIpc } from './parquet.ts';

/** Parquet through parquet-wasm's Node build (it instantiates itself on import). */
export const nodeParquetCodec: ParquetCodec = {
  toArrowIpc: async (parquet) => parquetToIpc(wasm, parquet),
  fromArrowIpc: async (ipc) => ipcToParquet(wasm, ipc),
  async openRowGroups(source) {
    const reader = await openParquetFile(wasm, source.kind === 'handle' ? source.file : new Blob([source.bytes as Uint8Array<ArrayBuffer>]));
    return { rowGroupRows: reader.rowGroupRows, read: (index) => reader.read(index), close: async () => reader.close() };
  },
};
