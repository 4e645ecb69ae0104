import type { ParquetCodec } from '../engine/ports.ts';
import { ipcToParquet, openParquetFile, parquetToIpc } from './parquet.ts';

/** parquet-wasm's Node build, imported on first use: it compiles its wasm on import, which a run without Parquet never needs. */
const parquetWasm = () => import('parquet-wasm');

/** Parquet through parquet-wasm's Node build. */
export const nodeParquetCodec: ParquetCodec = {
  toArrowIpc: async (parquet) => parquetToIpc(await parquetWasm(), parquet),
  fromArrowIpc: async (ipc, compression) => ipcToParquet(await parquetWasm(), ipc, compression),
  async openRowGroups(source) {
    const reader = await openParquetFile(await parquetWasm(), source.kind === 'handle' ? source.file : new Blob([source.bytes as Uint8Array<ArrayBuffer>]));
    return { rowGroupRows: reader.rowGroupRows, read: (index) => reader.read(index), close: async () => reader.close() };
  },
};
