import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import config from '../../../vite.config.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : /\.(ts|svelte)$/.test(name) ? [path] : [];
  });
}

/** Code the browser runs: everything but the Node command line and the Node adapters (src/db/*-node.ts). */
const browserFiles = [
  ...filesUnder(join(ROOT, 'src')).filter((file) => !file.includes(`${join('src', 'cli')}`) && !/[\\/]src[\\/]db[\\/][\w-]+-node\.ts$/.test(file)),
  ...filesUnder(join(ROOT, 'workers')),
];

/** A glob of Vite's `entries` with only `*` in it, as a RegExp over root-relative paths. */
function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`);
}

describe('the dev server pre-bundles what the app loads late', () => {
  const optimizeDeps = config.optimizeDeps ?? {};
  const entries = [optimizeDeps.entries ?? []].flat().map(globToRegExp);

  it('every worker module is a dependency-scan entry, beside index.html', () => {
    const workers = browserFiles.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/new URL\(\s*'([^']+\.worker\.ts)'\s*,\s*import\.meta\.url\s*\)/g)].map((match) =>
        relative(ROOT, join(dirname(file), match[1]!)).split('\\').join('/'),
      ),
    );
    // The workers the app starts today; a new one must be found by the same search.
    expect(new Set(workers)).toEqual(new Set(['workers/models.worker.ts', 'workers/generate.worker.ts', 'workers/parquet.worker.ts', 'workers/records.worker.ts', 'workers/inspect.worker.ts', 'workers/text.worker.ts']));
    expect(entries.some((entry) => entry.test('index.html'))).toBe(true);
    for (const worker of workers) expect(entries.some((entry) => entry.test(worker)), worker).toBe(true);
  });

  it('every package imported dynamically is pre-bundled', () => {
    const lazy = browserFiles.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/(?<!typeof )\bimport\(\s*'([^'.][^']*)'\s*\)/g)].map((match) => match[1]!),
    );
    const included = new Set(optimizeDeps.include ?? []);
    for (const specifier of lazy) expect(included.has(specifier), specifier).toBe(true);
  });
});
