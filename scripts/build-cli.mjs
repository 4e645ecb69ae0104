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

export async function buildCli() {
  const { build } = await import('esbuild');
  mkdirSync(path.dirname(CLI_BUNDLE), { recursive: true });
  // Written beside and renamed: a runner started meanwhile never imports half a file.
  const temporary = `${CLI_BUNDLE}.${process.pid}.tmp.mjs`;
  const result = await build({
    entryPoints: [path.join(root, 'src/cli/main.ts')],
    outfile: temporary,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    metafile: true,
    logLevel: 'warning',
  });
  renameSync(temporary, CLI_BUNDLE);
  const inputs = Object.keys(result.metafile.inputs).map((input) => path.relative(root, path.resolve(root, input)));
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
