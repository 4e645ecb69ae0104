// Native DuckDB (@duckdb/node-api) lives in bench/node_modules only: a native module in the root package.json
// breaks `npm ci` on some machines. Installed on first use with `npm install --prefix bench`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { log } from './common.mjs';

const benchDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const root = path.dirname(benchDir);

export function ensureNativeDependency() {
  if (existsSync(path.join(benchDir, 'node_modules', '@duckdb', 'node-api'))) return;
  log('installing bench dependencies (@duckdb/node-api) into bench/node_modules …');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['install', '--prefix', benchDir, '--no-audit', '--no-fund'], {
    cwd: root,
    stdio: ['ignore', process.stderr, process.stderr],
  });
  if (result.status !== 0) throw new Error('npm install --prefix bench failed');
}
