#!/usr/bin/env node
// The headless runner compiled once into one JavaScript file, so `aisle` starts without compiling TypeScript:
// .cache/cli/aisle.mjs (packages stay in node_modules) and .cache/cli/inputs.json, the sources it was built from,
// by which bin/aisle.mjs tells whether it is stale. Run by `npm install` (the prepare script) and by bin/aisle.mjs
// when the bundle is missing or older than a source.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
// Two levels below the root, like src/cli/: paths the sources take relative to their own file (../../public/) still hold.
export const CLI_BUNDLE = path.join(root, '.cache', 'cli', 'aisle.mjs');
export const CLI_INPUTS = path.join(root, '.cache', 'cli', 'inputs.json');
// The models thread `aisle serve` starts (src/workers/model-threads.ts loads it from beside the bundle).
export const CLI_MODEL_THREAD = path.join(root, '.cache', 'cli', 'model-thread.mjs');

const EXTERNAL_PACKAGES = ['@duckdb/duckdb-wasm', '@duckdb/node-api', 'parquet-wasm', 'jsdom', 'vite', 'esbuild', 'tsx'];

/**
 * `entry` (a source path from the root) compiled into the one file `outfile`, with its pure-JavaScript packages inside
 * it; resolves to the sources it holds. Written beside and renamed: a runner started meanwhile never imports half a file.
 */
export async function compileEntry(entry, outfile) {
  const { build } = await import('esbuild');
  mkdirSync(path.dirname(outfile), { recursive: true });
  const temporary = `${outfile}.${process.pid}.tmp.mjs`;
  const result = await build({
    entryPoints: [path.join(root, entry)],
    outfile: temporary,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Pure-JavaScript packages are bundled in: Node loads one file instead of hundreds (apache-arrow and Observable
    // Plot with its d3 modules alone were about half a second of every start). Packages with wasm, native code or
    // files of their own stay in node_modules, and are imported where they are used.
    external: EXTERNAL_PACKAGES,
    // The bundled CommonJS packages (yaml) require Node's own modules, which an ES module has no `require` for.
    banner: { js: "import { createRequire as createRequireForBundle } from 'node:module'; const require = createRequireForBundle(import.meta.url);" },
    metafile: true,
    logLevel: 'warning',
  });
  renameSync(temporary, outfile);
  return Object.keys(result.metafile.inputs);
}

export async function buildCli() {
  // The thread first: the bundle's date is what tells bin/aisle.mjs both are fresh.
  const threadInputs = await compileEntry('src/workers/model-thread.ts', CLI_MODEL_THREAD);
  const bundleInputs = await compileEntry('src/cli/main.ts', CLI_BUNDLE);
  // Packages change only by `npm install`, which builds the runner again (the prepare script).
  const inputs = [...new Set([...threadInputs, ...bundleInputs])]
    .map((input) => path.relative(root, path.resolve(root, input)))
    .filter((input) => !input.split(path.sep).includes('node_modules'));
  writeFileSync(CLI_INPUTS, JSON.stringify(inputs) + '\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    await buildCli();
  } catch (error) {
    // `npm install` must not fail over it: bin/aisle.mjs builds it on first run, or falls back to compiling at start.
    process.stderr.write(`aisle: the runner was not compiled (${error instanceof Error ? error.message : error}); it will be on first run.\n`);
  }
}
