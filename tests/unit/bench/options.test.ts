import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { count, parseOptions, sharedOptions } from '../../../bench/lib/options.mjs';

const BENCH = join(__dirname, '..', '..', '..', 'bench');

/**
 * Bench files bundled into the bench page (bench/browser) import the engine's values from their files: its index
 * would add every engine module (Observable Plot and all, three times the page's size) to the page being measured.
 * Their types still come from the index.
 */
const BUNDLED_DEEP: Record<string, string> = {
  'lib/wasm-job.ts': 'importFile, in the bench page',
  'browser/experiments.ts': 'importFile and tableInfo, in the bench page',
  'lib/big-job.ts': 'importFile, prepareRetailTable and rfmSql, in the bench page',
  'browser/model-overhead.ts': 'evaluateModel, in the bench page',
};

describe('parseOptions', () => {
  const parse = (argv: string[]) =>
    parseOptions(argv, { reps: 3, build: true, formats: ['csv', 'parquet'] }, {
      '--reps': (o, value) => (o.reps = count(value(), 1)),
      '--no-build': (o) => (o.build = false),
      '--formats': (o, value) => (o.formats = value().split(',')),
    });

  it('reads a value after = or as the next argument, and flags without one', () => {
    expect(parse([])).toEqual({ reps: 3, build: true, formats: ['csv', 'parquet'] });
    expect(parse(['--reps=5', '--no-build'])).toEqual({ reps: 5, build: false, formats: ['csv', 'parquet'] });
    expect(parse(['--formats', 'csv', '--reps', '1_000'])).toEqual({ reps: 1000, build: true, formats: ['csv'] });
    expect(parse(['--reps', '0']).reps).toBe(1);
  });

  it('refuses an unknown flag and a missing value, naming them', () => {
    expect(() => parse(['--rep', '5'])).toThrow('unknown option --rep');
    expect(() => parse(['--reps'])).toThrow('--reps needs a value');
    expect(() => parse(['stray'])).toThrow('unknown option stray');
    expect(() => parseOptions(['--x'], {}, {}, { script: import.meta.url, lines: 1 })).toThrow('unknown option --x (try --help)');
  });

  it('hands arguments without a dash to the positional reader, in order', () => {
    const seen: [string, number][] = [];
    parseOptions(['http://127.0.0.1:1/', '--no-build', '200'], { build: true }, { '--no-build': (o) => (o.build = false) }, undefined, (_, text, index) => {
      seen.push([text, index]);
    });
    expect(seen).toEqual([
      ['http://127.0.0.1:1/', 0],
      ['200', 1],
    ]);
  });

  it('takes the options every suite shares, with or without =', () => {
    const options = parseOptions(['--seed=7', '--regen', '--quiet-budget', '2.5', '--out=out/a=b.json'], { seed: 42, regen: false, quietBudgetMs: 60_000, out: '' }, sharedOptions);
    expect(options).toEqual({ seed: 7, regen: true, quietBudgetMs: 2500, out: resolve('out/a=b.json') });
  });
});

describe('the bench scripts', () => {
  const scripts = readdirSync(BENCH).filter((name) => /\.(mjs|ts)$/.test(name) && !name.endsWith('.d.ts'));

  it('every script that reads its arguments does so through bench/lib/options.mjs', () => {
    expect(scripts.length).toBeGreaterThan(8);
    const own = scripts.filter((name) => {
      const text = readFileSync(join(BENCH, name), 'utf8');
      if (!text.includes('process.argv')) return false;
      return !text.includes("from './lib/options.mjs'") || /argv\[\+\+i\]|split\('=', 2\)|process\.argv\[[2-9]\]/.test(text);
    });
    expect(own).toEqual([]);
  });

  it('reach the engine and the models through their public index only', () => {
    const files = [
      ...scripts.map((name) => join(BENCH, name)),
      ...readdirSync(join(BENCH, 'lib')).filter((name) => name.endsWith('.ts')).map((name) => join(BENCH, 'lib', name)),
      ...readdirSync(join(BENCH, 'browser')).filter((name) => name.endsWith('.ts')).map((name) => join(BENCH, 'browser', name)),
    ];
    const deep = files.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/from '(?:\.\.\/)+src\/(engine|models)\/([^']+)'/g)]
        .filter((match) => match[2] !== 'index.ts' && !(file.slice(BENCH.length + 1) in BUNDLED_DEEP))
        .map((match) => `${file.slice(BENCH.length + 1)} -> src/${match[1]}/${match[2]}`),
    );
    expect(deep).toEqual([]);
  });

  it('are type-checked by npm run check', () => {
    const { scripts: npm } = JSON.parse(readFileSync(join(BENCH, '..', 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(npm.check).toContain('tsc --noEmit -p bench/tsconfig.json');
  });
});
