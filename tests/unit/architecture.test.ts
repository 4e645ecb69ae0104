import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NAMED_CELL_KINDS } from '../../src/engine/notebook.ts';

/**
 * Layers import downward only: ui → engine → adapters (db, store, workers) → models, data, format, util.
 * Skipping a layer downward is fine; importing upward is not. src/boot.ts, src/main.ts and src/cli are composition roots and
 * may import any layer. Within the UI, the engine is reached through its public index only.
 */
const RANK: Record<string, number> = { ui: 3, engine: 2, db: 1, store: 1, workers: 1, models: 0, data: 0, format: 0, util: 0 };
const COMPOSITION_ROOTS = ['src/boot.ts', 'src/main.ts', 'src/cli/'];

/** Upward imports that stay, each with its reason. Keyed `importer -> imported`. */
const EXCEPTIONS: Record<string, string> = {
  'src/db/duckdb.ts -> src/engine/ports.ts': 'an adapter implements the engine port it is handed to (types only)',
  'src/db/trino.ts -> src/engine/ports.ts': 'an adapter implements the engine port it is handed to (types only)',
  'src/db/duckdb-native.ts -> src/engine/ports.ts': 'an adapter implements the engine port it is handed to (types only)',
  'src/db/native-files.ts -> src/engine/ports.ts': 'an adapter implements the engine port it is handed to (types only)',
  'src/db/parquet-browser.ts -> src/engine/ports.ts': 'an adapter implements the engine port it is handed to (types only)',
  'src/db/remote.ts -> src/engine/ports.ts': 'an adapter implements the engine port it is handed to (types only)',
  'src/workers/model-remote.ts -> src/engine/ports.ts': 'an adapter implements the engine port it is handed to (types only)',
  'src/db/parquet-node.ts -> src/engine/ports.ts': 'an adapter implements the engine port it is handed to (types only)',
  'src/store/locking.ts -> src/engine/ports.ts': 'an adapter implements the engine port it is handed to (types only)',
  'src/store/file-sealer.ts -> src/engine/ports.ts': 'an adapter implements the engine port it is handed to (types only)',
  'src/workers/inspect-client.ts -> src/engine/ports.ts': 'an adapter implements the engine port it is handed to (types only)',
  'src/workers/generate-client.ts -> src/engine/ports.ts': 'an adapter implements the engine port it is handed to (types only)',
  'src/workers/model-client.ts -> src/engine/ports.ts': 'an adapter implements the engine port it is handed to (types only)',
  'src/workers/model-failure.ts -> src/engine/ports.ts': 'an adapter implements the engine port it is handed to (types only)',
  'src/workers/node-runner.ts -> src/engine/ports.ts': 'an adapter implements the engine port it is handed to (types only)',
  'src/workers/text-client.ts -> src/engine/ports.ts': 'an adapter implements the engine port it is handed to (types only)',
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
    expect(Object.keys(EXCEPTIONS).filter((edge) => !edges.has(edge))).toEqual([]);
  });

  it('the UI reaches adapters (db, store, workers) only through the engine and its ports', () => {
    const direct = all.filter(({ from, to }) => layerOf(from) === 'ui' && ['db', 'store', 'workers'].includes(layerOf(to) ?? ''));
    expect(direct.map(({ from, to }) => `${from} -> ${to}`)).toEqual([]);
  });

  it('the UI reaches the engine through its public index only', () => {
    const deep = all.filter(({ from, to }) => layerOf(from) === 'ui' && layerOf(to) === 'engine' && to !== 'src/engine/index.ts');
    expect(deep.map(({ from, to }) => `${from} -> ${to}`)).toEqual([]);
  });

  it('composition roots are the only files that import the UI from outside it', () => {
    const intoUi = all.filter(({ from, to }) => layerOf(to) === 'ui' && layerOf(from) !== 'ui' && from !== 'src/main.ts');
    expect(intoUi.map(({ from, to }) => `${from} -> ${to}`)).toEqual([]);
  });

  it('no two folders of src import each other (composition roots aside)', () => {
    const edges = new Set(all.filter(({ from }) => !isRoot(from)).map(({ from, to }) => `${layerOf(from)} -> ${layerOf(to)}`));
    const cycles = [...edges].filter((edge) => {
      const [a = '', b = ''] = edge.split(' -> ');
      return a < b && edges.has(`${b} -> ${a}`);
    });
    expect(cycles).toEqual([]);
  });

  it('models import nothing from data: the seeded generator they share with the synthetic data is in models/kit', () => {
    const intoData = all.filter(({ from, to }) => layerOf(from) === 'models' && layerOf(to) === 'data');
    expect(intoData.map(({ from, to }) => `${from} -> ${to}`)).toEqual([]);
  });

  it('the engine reaches adapters only through its ports: it imports no db, store or workers file', () => {
    const intoAdapters = all.filter(({ from, to }) => layerOf(from) === 'engine' && ['db', 'store', 'workers'].includes(layerOf(to) ?? ''));
    expect(intoAdapters.map(({ from, to }) => `${from} -> ${to}`)).toEqual([]);
  });
});

describe('file size', () => {
  it('no file in src is over 400 lines (one concern per file; a longer one is asking to be split)', () => {
    const long = sourceFiles(join(ROOT, 'src'))
      .map((file) => ({ file: posix(relative(ROOT, file)), lines: readFileSync(file, 'utf8').split('\n').length }))
      .filter(({ lines }) => lines > 400);
    expect(long).toEqual([]);
  });
});

describe('cell kinds', () => {
  const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
  const kinds = ['markdown', ...NAMED_CELL_KINDS];

  it('CellFrame holds what every kind shares and never asks which kind a cell is', () => {
    const frame = read('src/ui/cells/CellFrame.svelte');
    expect(frame).toContain('<CellBody');
    expect(frame.match(/\bcell\.kind\s*[!=]==|switch\s*\(\s*cell\.kind/g) ?? []).toEqual([]);
  });

  it('CellBody chooses each kind once, and a kind with no branch ends at assertNever', () => {
    const body = read('src/ui/cells/CellBody.svelte');
    for (const kind of kinds) {
      expect(body.match(new RegExp(`cell\\.kind === '${kind}'`, 'g')), kind).toHaveLength(1);
    }
    expect(body.match(/cell\.kind === '/g)).toHaveLength(kinds.length);
    expect(body).toMatch(/\{:else\}\s*\{assertNever\(cell\.kind\)\}\s*\{\/if\}/);
  });

  it('every kind has its own component in src/ui/cells', () => {
    const components = readdirSync(join(ROOT, 'src/ui/cells'));
    const expected = kinds.map((kind) => `${kind === 'sql' ? 'Sql' : kind[0]!.toUpperCase() + kind.slice(1)}Cell.svelte`);
    expect(expected.filter((file) => !components.includes(file))).toEqual([]);
  });
});

describe("README's Layout", () => {
  const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
  const layout = read('README.md').split('## Layout')[1]?.split('\n## ')[0] ?? '';
  const exported = new Set([...read('src/engine/ports.ts').matchAll(/export interface (\w+)/g)].map((match) => match[1]));
  const named = (/ports\.ts: ([^(`]+)/.exec(layout)?.[1] ?? '').split(/[,\s]+/).filter((name) => name !== '');

  it('names as ports only interfaces of src/engine/ports.ts, and every one an adapter provides', () => {
    expect(named.length).toBeGreaterThan(4);
    expect(named.filter((name) => !exported.has(name))).toEqual([]);
    const adapters = ['db', 'store', 'workers'].flatMap((folder) => sourceFiles(join(ROOT, 'src', folder)));
    const provided = new Set(
      adapters.flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/(?:implements|\)\s*:|const \w+\s*:)\s*(\w+)\s*[{=]/g)].map((match) => match[1] ?? '')),
    );
    expect([...provided].filter((name) => exported.has(name) && !named.includes(name)).sort()).toEqual([]);
  });

  it("names every Database adapter of src/db on the db line", () => {
    const dbLine = /src\/db\/([\s\S]*?)\nsrc\//.exec(layout)?.[1] ?? '';
    const adapters = sourceFiles(join(ROOT, 'src', 'db'))
      .filter((file) => /implements Database\b/.test(readFileSync(file, 'utf8')))
      .map((file) => posix(relative(join(ROOT, 'src', 'db'), file)).replace(/\.ts$/, ''));
    expect(adapters.length).toBeGreaterThan(3);
    expect(adapters.filter((name) => !dbLine.toLowerCase().includes(name))).toEqual([]);
  });
});
