import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Layers import downward only: ui → engine → adapters (db, store, workers) → models, data, format, util.
 * Skipping a layer downward is fine; importing upward is not. src/main.ts and src/cli are composition roots and
 * may import any layer. Within the UI, the engine is reached through its public index only.
 */
const RANK: Record<string, number> = { ui: 3, engine: 2, db: 1, store: 1, workers: 1, models: 0, data: 0, format: 0, util: 0 };
const COMPOSITION_ROOTS = ['src/main.ts', 'src/cli/'];

/** Upward imports that stay, each with its reason. Keyed `importer -> imported`. */
const EXCEPTIONS: Record<string, string> = {
  'src/db/duckdb.ts -> src/engine/ports.ts': 'an adapter implements the engine port it is handed to (types only)',
  'src/db/parquet-browser.ts -> src/engine/ports.ts': 'an adapter implements the engine port it is handed to (types only)',
  'src/db/parquet-node.ts -> src/engine/ports.ts': 'an adapter implements the engine port it is handed to (types only)',
  'src/workers/inspect-client.ts -> src/engine/ports.ts': 'an adapter implements the engine port it is handed to (types only)',
  'src/workers/generate-client.ts -> src/engine/ports.ts': 'an adapter implements the engine port it is handed to (types only)',
  'src/workers/model-client.ts -> src/engine/ports.ts': 'an adapter implements the engine port it is handed to (types only)',
  'src/workers/model-failure.ts -> src/engine/ports.ts': 'an adapter implements the engine port it is handed to (types only)',
  'src/workers/node-runner.ts -> src/engine/ports.ts': 'an adapter implements the engine port it is handed to (types only)',
  'src/workers/text-client.ts -> src/engine/ports.ts': 'an adapter implements the engine port it is handed to (types only)',
  'src/format/notebook-text.ts -> src/engine/notebook.ts':
    'the notebook document model (Cell, Notebook) lives in the engine; the text format reads and writes it',
};

/** UI files that still reach a storage adapter directly, each with its reason. Keyed `importer -> imported`. */
const NO_STORE_PORT_YET = 'the engine has no Store port yet: the workspace (autosave, table saves, lock) is handed to the UI as the store class';
const UI_ADAPTER_EXCEPTIONS: Record<string, string> = {
  'src/ui/StartPage.svelte -> src/store/locking.ts': NO_STORE_PORT_YET,
  'src/ui/state/session.svelte.ts -> src/store/locking.ts': NO_STORE_PORT_YET,
  'src/ui/state/workspace.svelte.ts -> src/store/autosave.ts': NO_STORE_PORT_YET,
  'src/ui/state/workspace.svelte.ts -> src/store/table-saves.ts': NO_STORE_PORT_YET,
  'src/ui/state/workspace.svelte.ts -> src/store/locking.ts': NO_STORE_PORT_YET,
  'src/ui/state/transfer.ts -> src/store/crypto.ts': 'encrypted export seals with the envelope in the store; no engine port for it yet',
};

const ROOT = join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|svelte)$/.test(entry.name) ? [path] : [];
  });
}

const posix = (path: string): string => path.split(sep).join('/');

/** Every relative import (static, dynamic, type-only, re-export) of every file under src, as repository paths. */
function imports(): { from: string; to: string }[] {
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g;
  return sourceFiles(join(ROOT, 'src')).flatMap((file) => {
    const from = posix(relative(ROOT, file));
    return [...readFileSync(file, 'utf8').matchAll(pattern)].map((match) => ({
      from,
      to: posix(normalize(join(dirname(from), match[1] ?? ''))),
    }));
  });
}

const layerOf = (path: string): string | undefined => (path.startsWith('src/') ? path.split('/')[1] : undefined);
const isRoot = (path: string): boolean => COMPOSITION_ROOTS.some((root) => path === root || (root.endsWith('/') && path.startsWith(root)));

describe('layers', () => {
  const all = imports();

  it('finds the imports it checks', () => {
    expect(all.length).toBeGreaterThan(200);
    expect(all).toContainEqual({ from: 'src/main.ts', to: 'src/ui/App.svelte' });
  });

  it('every import points down a layer or stays within one, except the listed ones', () => {
    const upward = all.filter(({ from, to }) => {
      if (isRoot(from)) return false;
      const [a, b] = [layerOf(from), layerOf(to)];
      if (a === undefined || b === undefined || a === b) return false;
      const [rankA, rankB] = [RANK[a], RANK[b]];
      if (rankA === undefined || rankB === undefined) return true;
      return rankB > rankA || (rankA === rankB && rankA > 0 && !(a === 'store' && b === 'db'));
    }).map(({ from, to }) => `${from} -> ${to}`);
    expect(upward.filter((edge) => !(edge in EXCEPTIONS))).toEqual([]);
  });

  it('every listed exception is still needed', () => {
    const edges = new Set(all.map(({ from, to }) => `${from} -> ${to}`));
    expect([...Object.keys(EXCEPTIONS), ...Object.keys(UI_ADAPTER_EXCEPTIONS)].filter((edge) => !edges.has(edge))).toEqual([]);
  });

  it('the UI reaches adapters (db, store, workers) only through the engine, except the listed ones', () => {
    const direct = all
      .filter(({ from, to }) => layerOf(from) === 'ui' && ['db', 'store', 'workers'].includes(layerOf(to) ?? ''))
      .map(({ from, to }) => `${from} -> ${to}`);
    expect(direct.filter((edge) => !(edge in UI_ADAPTER_EXCEPTIONS))).toEqual([]);
  });

  it('the UI reaches the engine through its public index only', () => {
    const deep = all.filter(({ from, to }) => layerOf(from) === 'ui' && layerOf(to) === 'engine' && to !== 'src/engine/index.ts');
    expect(deep.map(({ from, to }) => `${from} -> ${to}`)).toEqual([]);
  });

  it('composition roots are the only files that import the UI from outside it', () => {
    const intoUi = all.filter(({ from, to }) => layerOf(to) === 'ui' && layerOf(from) !== 'ui' && from !== 'src/main.ts');
    expect(intoUi.map(({ from, to }) => `${from} -> ${to}`)).toEqual([]);
  });
});
