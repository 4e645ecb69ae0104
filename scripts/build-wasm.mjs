#!/usr/bin/env node
// The WebAssembly kernels compiled from their AssemblyScript sources into .cache/wasm/ (gitignored), so no binary
// lives in git: ALS's conjugate-gradient loops and the other models' hot loops (src/models/recommenders/assembly/als.ts
// and what it imports → .cache/wasm/als.wasm). Run by `npm install` (prepare), by Vite when it starts or builds
// (vite.config.ts), and by the unit tests' global set-up; each compiles only when a source is newer than its output.
// Workers fetch the file through a Vite `?url` import; Node (the runner, tests, benchmarks) reads it from disk.
import { mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/**
 * Each module: its entry source, the folders of the sources it imports (a change to any file in them rebuilds it), and
 * its output. One module holds every model's kernels: one file for a worker to fetch and compile.
 */
export const KERNELS = [
  { source: 'src/models/recommenders/assembly/als.ts', folders: ['src/models/recommenders/assembly', 'src/models/segmentation/assembly'], output: '.cache/wasm/als.wasm' },
];

/** The AssemblyScript files of a module: its entry and every .ts file in its folders. */
const sourcesOf = ({ source, folders }) => [source, ...folders.flatMap((folder) => readdirSync(path.join(root, folder)).filter((name) => name.endsWith('.ts')).map((name) => `${folder}/${name}`))];

const mtime = (file) => {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return -1;
  }
};

/** Compiles each kernel whose output is missing or older than its source; returns the outputs it wrote. */
export async function buildWasm({ force = false } = {}) {
  const written = [];
  for (const kernel of KERNELS) {
    const { source, output } = kernel;
    const sourcePath = path.join(root, source);
    const outputPath = path.join(root, output);
    if (!force && sourcesOf(kernel).every((file) => mtime(outputPath) >= mtime(path.join(root, file)))) continue;
    const { default: asc } = await import('assemblyscript/asc');
    mkdirSync(path.dirname(outputPath), { recursive: true });
    // Written beside and renamed: a reader never sees half a module.
    const temporary = `${outputPath}.${process.pid}.tmp`;
    let log = '';
    const sink = { write: (text) => ((log += text), true) };
    // No runtime (the kernels allocate nothing; callers lay out the memory), and no rounding-changing optimisation:
    // Binaryen does not reassociate floating-point sums, so the bits match the JavaScript reference.
    const { error } = await asc.main([sourcePath, '--outFile', temporary, '-O3', '--enable', 'simd', '--runtime', 'stub', '--noAssert'], { stdout: sink, stderr: sink });
    if (error) throw new Error(`${source} did not compile: ${error.message}\n${log}`);
    renameSync(temporary, outputPath);
    written.push(output);
  }
  return written;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const written = await buildWasm({ force: process.argv.includes('--force') });
    if (written.length > 0) process.stderr.write(`aisle: compiled ${written.join(', ')}\n`);
  } catch (error) {
    // `npm install` must not fail over it: the models fall back to their JavaScript loops, and Vite and the tests try again.
    process.stderr.write(`aisle: the WebAssembly kernels were not compiled (${error instanceof Error ? error.message : error}).\n`);
    process.exitCode = process.argv.includes('--strict') ? 1 : 0;
  }
}
