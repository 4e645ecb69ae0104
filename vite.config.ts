import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

/**
 * The built page may reach only its own origin: scripts, workers, wasm and data all come from 'self'.
 * 'wasm-unsafe-eval' lets DuckDB and parquet-wasm compile WebAssembly; blob: serves DuckDB's file handles.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "connect-src 'self' blob: data:",
  "img-src 'self' blob: data:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'aisle-csp',
    apply: 'build',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' },
    ],
  };
}

/**
 * DuckDB's browser workers ship a source map whose sources (117 of 138) are apache-arrow's TypeScript files at
 * `../../apache-arrow/…`, outside the package and not installed. The dev server refuses to read them and warns once
 * per file (~100 lines on the first page load). The worker is served without its map comment instead: the map
 * could not show those sources anyway. Dev only; the build does not read dependency source maps.
 */
function duckdbWorkerWithoutSourceMap(): Plugin {
  const worker = /\/@duckdb\/duckdb-wasm\/dist\/duckdb-browser-[\w-]+\.worker\.js$/;
  return {
    name: 'aisle-duckdb-worker-without-source-map',
    apply: 'serve',
    async load(id) {
      const file = id.split('?')[0]!;
      if (!worker.test(file)) return null;
      const code = await readFile(file, 'utf8');
      return { code: code.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n'), map: null };
    },
  };
}

/**
 * `aisle-files.json`: every file the build wrote (index.html, scripts, workers, wasm), so *Export → Web app…* and
 * `aisle build` can copy the app into a published site. Files of public/ (the sample data) are not in the bundle,
 * so not listed.
 */
function appFileList(): Plugin {
  return {
    name: 'aisle-file-list',
    apply: 'build',
    async writeBundle(options, bundle) {
      const files = Object.keys(bundle).sort((a, b) => (a === 'index.html' ? -1 : b === 'index.html' ? 1 : a.localeCompare(b)));
      await writeFile(join(options.dir ?? 'dist', 'aisle-files.json'), `${JSON.stringify({ files }, null, 1)}\n`);
    },
  };
}

/** The WebAssembly kernels compiled from their AssemblyScript sources before Vite reads them (scripts/build-wasm.mjs). */
function wasmKernels(): Plugin {
  return {
    name: 'aisle-wasm-kernels',
    async buildStart() {
      const { buildWasm } = await import('./scripts/build-wasm.mjs');
      await buildWasm();
    },
  };
}

export default defineConfig({
  // Relative asset URLs: the built folder works from any sub-path (/aisle/, /demo/) on any static host.
  base: './',
  plugins: [wasmKernels(), svelte(), contentSecurityPolicy(), duckdbWorkerWithoutSourceMap(), appFileList()],
  worker: { format: 'es' },
  build: { target: 'es2022', assetsInlineLimit: 0, chunkSizeWarningLimit: 2000 },
  optimizeDeps: {
    // The workers are not reached by static imports from index.html, so Vite would find their dependencies
    // (d3-force) only when a worker first starts, and reload the page then, dropping whatever was loaded.
    entries: ['index.html', 'workers/*.worker.ts'],
    exclude: ['@duckdb/duckdb-wasm', 'parquet-wasm'],
  },
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1' },
});
