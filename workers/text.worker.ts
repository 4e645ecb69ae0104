import * as Comlink from 'comlink';
import { transcode, type TranscodeRequest, type TranscodeResult } from '../src/data/transcode.ts';

/** Text files rewritten as UTF-8 off the page's thread; a Blob is read here in chunks, the result moves by transfer. */
const api = {
  async toUtf8(source: Blob | Uint8Array, request: TranscodeRequest): Promise<TranscodeResult> {
    const chunks = source instanceof Uint8Array ? [source] : blobChunks(source);
    const result = await transcode(chunks, request);
    return result.kind === 'ok' ? Comlink.transfer(result, [result.bytes.buffer as ArrayBuffer]) : result;
  },
};

async function* blobChunks(blob: Blob): AsyncGenerator<Uint8Array> {
  const reader = blob.stream().getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    yield value;
  }
}

export type TextWorkerApi = typeof api;
Comlink.expose(api);
