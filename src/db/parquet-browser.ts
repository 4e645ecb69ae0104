import * as Comlink from 'comlink';
import type { ParquetCodec } from '../engine/ports.ts';
import type { ParquetWorkerApi } from '../../workers/parquet.worker.ts';

/**
 * Parquet decoding in a worker: a large file takes seconds, which must not freeze the page. The worker starts on first
 * use, or at once with `eager` (the page's start: the sample's decode then finds parquet-wasm compiled).
 */
export function browserParquetCodec({ eager = false }: { readonly eager?: boolean } = {}): ParquetCodec {
  let api: Comlink.Remote<ParquetWorkerApi> | undefined;
  const remote = () =>
    (api ??= Comlink.wrap<ParquetWorkerApi>(
      new Worker(new URL('../../workers/parquet.worker.ts', import.meta.url), { type: 'module', name: 'parquet' }),
    ));
  if (eager) remote();
  return {
    toArrowIpc: (parquet) => remote().toArrowIpc(Comlink.transfer(parquet, [parquet.buffer as ArrayBuffer])),
    fromArrowIpc: (ipc, compression) => remote().fromArrowIpc(Comlink.transfer(ipc, [ipc.buffer as ArrayBuffer]), compression),
    async openRowGroups(source) {
      // A File goes by structured clone (a handle, not its bytes); bytes go by transfer.
      const worker = remote();
      const { id, rowGroupRows } =
        source.kind === 'handle'
          ? await worker.openRowGroups(source.file)
          : await worker.openRowGroups(Comlink.transfer(source.bytes, [source.bytes.buffer as ArrayBuffer]));
      return { rowGroupRows, read: (index) => worker.readRowGroup(id, index), close: () => worker.close(id) };
    },
  };
}
