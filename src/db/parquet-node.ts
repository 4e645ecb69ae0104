import * as wasm from 'parquet-wasm';
import type { ParquetCodec } from '../engine/ports.ts';
import { ipcToParquet, parquetToIpc } from './parquet.ts';

/** Parquet through parquet-wasm's Node build (it instantiates itself on import). */
export const nodeParquetCodec: ParquetCodec = {
  toArrowIpc: async (parquet) => parquetToIpc(wasm, parquet),
  fromArrowIpc: async (ipc) => ipcToParquet(wasm, ipc),
};
