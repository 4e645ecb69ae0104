// Builds the bench page (bench/browser) against the app's own modules; serves generated data from bench/out/data.
import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Connect, type Plugin } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));
const dataDir = path.join(here, 'out', 'data');

/** GET /data/<file> → bench/out/data/<file>, streamed (files reach ~150 MB; publicDir would copy them into dist). */
function serveData(): Plugin {
  const middleware: Connect.NextHandleFunction = (req, res, next) => {
    const match = /\/data\/([\w.-]+)$/.exec((req.url ?? '').split('?')[0] ?? '');
    if (!match?.[1]) return next();
    const file = path.join(dataDir, match[1]);
    let size: number;
    try {
      size = statSync(file).size;
    } catch {
      res.statusCode = 404;
      return res.end();
    }
    res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader('Content-Length', String(size));
    res.setHeader('Cache-Control', 'no-store');
    createReadStream(file).pipe(res);
  };
  return {
    name: 'aisle-bench-data',
    configureServer: (server) => void server.middlewares.use(middleware),
    configurePreviewServer: (server) => void server.middlewares.use(middleware),
  };
}

export default defineConfig({
  root: path.join(here, 'browser'),
  base: './',
  publicDir: false,
  plugins: [serveData()],
  // As the app's vite.config.ts: ES workers, wasm as files, DuckDB and parquet-wasm not pre-bundled.
  worker: { format: 'es' },
  build: {
    outDir: path.join(here, 'out', 'browser-dist'),
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 4000,
    reportCompressedSize: false,
  },
  optimizeDeps: { exclude: ['@duckdb/duckdb-wasm', 'parquet-wasm'] },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
  logLevel: 'warn',
});
