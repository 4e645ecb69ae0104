import { buildWasm } from '../scripts/build-wasm.mjs';

/** Compiles the WebAssembly kernels when a source changed, so the tests of both paths find them. */
export default async function setup(): Promise<void> {
  await buildWasm();
}
