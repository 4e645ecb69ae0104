import { readFileSync } from 'node:fs';
import { loadAlsKernel } from '../models/index.ts';

/**
 * Loads the WebAssembly kernels scripts/build-wasm.mjs compiled into .cache/wasm/ into this thread; false (the models
 * keep their JavaScript loops) when the file is missing or this Node cannot compile it. The path is relative to this
 * file, two levels below the root as the compiled runner in .cache/cli/ is too.
 */
export function loadNodeKernels(): boolean {
  try {
    return loadAlsKernel(readFileSync(new URL('../../.cache/wasm/als.wasm', import.meta.url)));
  } catch {
    return false;
  }
}
