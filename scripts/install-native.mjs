#!/usr/bin/env node
// Root postinstall: installs native DuckDB into native/node_modules. It is optional: when it cannot be installed
// (no binary for this platform, no registry), Aisle's runner and server fall back to DuckDB-WASM and say so.
// Set AISLE_SKIP_NATIVE=1 to skip it.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const native = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'native');

if (process.env.AISLE_SKIP_NATIVE === '1') {
  console.log('aisle: AISLE_SKIP_NATIVE=1, native DuckDB not installed (the runner and server will use DuckDB-WASM)');
} else {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['install', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error'], {
    cwd: native,
    stdio: 'inherit',
  });
  if (result.status === 0) console.log('aisle: native DuckDB installed in native/node_modules');
  else console.log('aisle: native DuckDB could not be installed; the runner and server will use DuckDB-WASM');
}
