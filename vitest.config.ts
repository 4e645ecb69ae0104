import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts'],
    // Compiles the WebAssembly kernels when their sources changed, so the tests of both paths find them.
    globalSetup: ['tests/wasm-kernels.setup.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
