// Native DuckDB (@duckdb/node-api) is the root install's (native/node_modules, put there by the root postinstall,
// apart from the root lock file); the benchmarks import it from there rather than keeping a copy of their own.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const benchDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const nativePackage = path.join(path.dirname(benchDir), 'native', 'package.json');

function resolved() {
  return createRequire(nativePackage).resolve('@duckdb/node-api');
}

/** Fails, saying what to do, when native DuckDB is not installed. */
export function ensureNativeDependency() {
  try {
    if (existsSync(resolved())) return;
  } catch {
    // Not installed: said below.
  }
  throw new Error('native DuckDB is not installed in native/node_modules: run npm install at the root (its postinstall installs it)');
}

/** The @duckdb/node-api module from native/node_modules. */
export async function importNative() {
  ensureNativeDependency();
  const module = await import(pathToFileURL(resolved()).href);
  return typeof module.DuckDBInstance === 'function' ? module : module.default;
}

/** The installed @duckdb/node-api's package version. */
export function nativePackageVersion() {
  return JSON.parse(readFileSync(path.join(path.dirname(nativePackage), 'node_modules/@duckdb/node-api/package.json'), 'utf8')).version;
}
