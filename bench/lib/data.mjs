// Generated Online-Retail data files in bench/out/data, made once by scripts/gen.ts and reused.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { log } from './common.mjs';

const benchDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const root = path.dirname(benchDir);
export const dataDir = path.join(benchDir, 'out', 'data');
const require = createRequire(import.meta.url);

/** tsx's CLI from the root node_modules (to run TypeScript: scripts/gen.ts, bench/wasm-node.ts). */
export function tsxCli() {
  return require.resolve('tsx/cli', { paths: [root] });
}

/** A hash of the generator's sources, recorded beside each file (reuse does not depend on it: see --regen). */
export function generatorHash() {
  const hash = createHash('sha256');
  const files = ['scripts/gen.ts', 'src/data/generate.ts'];
  const synthetic = path.join(root, 'src/data/synthetic');
  if (existsSync(synthetic)) for (const name of readdirSync(synthetic).sort()) files.push(`src/data/synthetic/${name}`);
  for (const file of files) {
    const full = path.join(root, file);
    if (existsSync(full)) hash.update(file).update(readFileSync(full));
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * bench/out/data/retail-<rows>-s<seed>.<format>, generated unless a file of the same rows, seed and byte size
 * (per its .json sidecar) is there already; `regen` forces a fresh one (e.g. after the generator changed).
 */
export async function ensureData(rows, format, seed, generator = generatorHash(), regen = false) {
  if (!existsSync(path.join(root, 'scripts', 'gen.ts'))) throw new Error('scripts/gen.ts (the data generator) is missing');
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, `retail-${rows}-s${seed}.${format}`);
  const metaFile = `${file}.json`;
  if (!regen && existsSync(file) && existsSync(metaFile)) {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8'));
    if (meta.rows === rows && meta.seed === seed && meta.bytes === statSync(file).size) {
      return { rows, format, path: file, bytes: meta.bytes, generateMs: null };
    }
  }
  log(`generating ${rows} rows as ${format} → ${path.relative(root, file)}`);
  const start = performance.now();
  const args = [tsxCli(), 'scripts/gen.ts', '--rows', String(rows), '--out', file, '--seed', String(seed)];
  // gen.ts prints a JSON summary on stdout: send it to stderr, stdout is the report's.
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', process.stderr, process.stderr] });
  if (result.status !== 0 || !existsSync(file)) throw new Error(`generating ${file} failed (scripts/gen.ts exited ${result.status})`);
  const generateMs = Math.round(performance.now() - start);
  const bytes = statSync(file).size;
  writeFileSync(metaFile, JSON.stringify({ rows, seed, format, generator, bytes, generateMs }) + '\n');
  return { rows, format, path: file, bytes, generateMs };
}
