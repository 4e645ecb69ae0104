#!/usr/bin/env node
// `npx aisle run notebook.md …`: runs the runner compiled to JavaScript (scripts/build-cli.mjs, at `npm install`),
// compiling it again first when a source is newer than it; with no compiler at hand, tsx compiles the sources as they load.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const bundle = path.join(root, '.cache', 'cli', 'aisle.mjs');
const inputs = path.join(root, '.cache', 'cli', 'inputs.json');

/** True when the bundle is there and no source it was built from changed after it. */
function fresh() {
  try {
    const built = statSync(bundle).mtimeMs;
    const sources = JSON.parse(readFileSync(inputs, 'utf8'));
    return sources.every((source) => statSync(path.join(root, source)).mtimeMs <= built);
  } catch {
    return false;
  }
}

async function loadMain() {
  if (!fresh()) {
    try {
      const { buildCli } = await import('../scripts/build-cli.mjs');
      await buildCli();
    } catch {
      const { register } = await import('tsx/esm/api');
      register();
      return (await import('../src/cli/main.ts')).main;
    }
  }
  return (await import(pathToFileURL(bundle).href)).main;
}

const main = await loadMain();
process.exitCode = await main(process.argv.slice(2));
