#!/usr/bin/env node
// `npm test`: unit tests (vitest, Node), end-to-end tests (Playwright, built app, Chromium), then the engines suite
// (DuckDB and Trino) when a cluster is named or starting, and always under CI.
//
//   node scripts/test.mjs               both halves
//   node scripts/test.mjs --unit-only   vitest only
//   node scripts/test.mjs --e2e-only    build + Playwright only
//   node scripts/test.mjs --no-engines  both halves without the engines suite
//   node scripts/test.mjs --engines-only  the engines suite only (needs AISLE_TRINO_URL)
//
// Streams each step's output, then prints one closing line, e.g. `42 passed, 0 failed`
// (`, N skipped` appended only when something was skipped). Exits non-zero if any step failed,
// any test failed, a report is missing, or no tests ran at all.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findChromium } from './find-chromium.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

const args = new Set(process.argv.slice(2));
const unitOnly = args.has('--unit-only');
const e2eOnly = args.has('--e2e-only');
const enginesOnly = args.has('--engines-only');
if ([unitOnly, e2eOnly, enginesOnly].filter(Boolean).length > 1) {
  console.error('test: --unit-only, --e2e-only and --engines-only are mutually exclusive');
  process.exit(2);
}
const runUnit = !e2eOnly && !enginesOnly;
const runE2e = !unitOnly && !enginesOnly;
const runEngines = enginesOnly || (runUnit && !args.has('--no-engines') && Boolean(process.env.AISLE_TRINO_URL || process.env.AISLE_TRINO_READY || process.env.CI));

const RESULTS = 'test-results';
const UNIT_JSON = path.join(RESULTS, 'unit.json');
const ENGINES_JSON = path.join(RESULTS, 'engines-vitest.json');
const E2E_JSON = path.join(RESULTS, 'e2e.json');

/** Problems that make the run fail, reported again at the end. */
const problems = [];

function banner(text) {
  console.log(`\n=== ${text} ===`);
}

/** Run a command with inherited stdio; resolves to its exit code (never rejects). */
function run(cmd, cmdArgs, extraEnv = {}) {
  console.log(`$ ${[cmd, ...cmdArgs].join(' ')}`);
  return new Promise((resolve) => {
    const child = spawn(cmd, cmdArgs, {
      stdio: 'inherit',
      env: { ...process.env, ...extraEnv },
    });
    child.on('error', (err) => {
      console.error(`test: could not start ${cmd}: ${err.message}`);
      resolve(127);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

function readJson(file) {
  if (!existsSync(file)) return { error: `report ${file} is missing` };
  try {
    return { data: JSON.parse(readFileSync(file, 'utf8')) };
  } catch (err) {
    return { error: `report ${file} is not valid JSON (${err.message})` };
  }
}

const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** vitest `--reporter=json` (Jest-compatible shape). */
function unitCounts(file = UNIT_JSON) {
  const { data, error } = readJson(file);
  if (error) return { error };
  // A file that fails to load (syntax error, bad import) has no test results but a `message`.
  const broken = (Array.isArray(data.testResults) ? data.testResults : [])
    .filter((f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed'))
    .map((f) => `${path.relative(root, f.name ?? '?')}: ${String(f.message ?? '').split('\n')[0]}`);
  return {
    passed: num(data.numPassedTests),
    failed: num(data.numFailedTests),
    skipped: num(data.numPendingTests) + num(data.numTodoTests),
    broken,
    ok: data.success !== false,
  };
}

/** Playwright json reporter: stats.expected / unexpected / flaky / skipped, plus top-level errors. */
function e2eCounts() {
  const { data, error } = readJson(E2E_JSON);
  if (error) return { error };
  const s = data.stats ?? {};
  if (num(s.flaky) > 0) console.warn(`test: ${s.flaky} flaky e2e test(s) counted as failed (retries are 0)`);
  // Errors outside any test: a spec that fails to import, webServer trouble, global setup.
  const broken = (Array.isArray(data.errors) ? data.errors : []).map((e) =>
    String(e?.message ?? e).split('\n')[0],
  );
  return {
    passed: num(s.expected),
    failed: num(s.unexpected) + num(s.flaky),
    skipped: num(s.skipped),
    broken,
    ok: true,
  };
}

/** Wait for the cluster a background start is bringing up; its `export NAME=value` lines join this process's env. */
async function awaitCluster(readyFile) {
  console.log(`waiting for the Trino cluster (${readyFile})…`);
  const deadline = Date.now() + 20 * 60_000;
  while (!existsSync(readyFile) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 2000));
  const text = existsSync(readyFile) ? readFileSync(readyFile, 'utf8') : 'failed: not ready after 20 minutes';
  for (const [, name, value] of text.matchAll(/^export (\w+)=(.*)$/gm)) process.env[name] = value;
  if (!process.env.AISLE_TRINO_URL) problems.push(`engines: the Trino cluster did not start (${text.trim().split('\n')[0]})`);
}

mkdirSync(RESULTS, { recursive: true });
const totals = { passed: 0, failed: 0, skipped: 0 };

function add(label, counts) {
  if (counts.error) {
    problems.push(`${label}: ${counts.error}`);
    return;
  }
  totals.passed += counts.passed;
  // Each file/global error counts as one failure so the closing line never reads "0 failed" for a broken run.
  totals.failed += counts.failed + counts.broken.length;
  totals.skipped += counts.skipped;
  for (const b of counts.broken) problems.push(`${label}: error outside any test (counted as 1 failed): ${b}`);
  if (!counts.ok && counts.failed + counts.broken.length === 0) problems.push(`${label}: report says the run did not succeed`);
}

// (a) unit tests
if (runUnit) {
  banner('unit tests (vitest)');
  rmSync(UNIT_JSON, { force: true });
  const code = await run('npx', [
    'vitest',
    'run',
    '--passWithNoTests',
    '--exclude=tests/e2e/**', // Playwright specs are not vitest tests
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${UNIT_JSON}`,
  ]);
  if (code !== 0) problems.push(`vitest exited with code ${code}`);
  add('unit', unitCounts());
}

// (b)–(d) end-to-end tests
if (runE2e) {
  rmSync(E2E_JSON, { force: true });
  let chromium = null;
  banner('chromium');
  try {
    chromium = await findChromium({ install: true });
    console.log(`using ${chromium}`);
  } catch (err) {
    problems.push(`chromium: ${err instanceof Error ? err.message : err}`);
    console.error(err instanceof Error ? err.message : err);
  }

  let built = false;
  if (chromium) {
    // The same build `npm run build` makes (relative asset paths); the e2e server hosts it under /aisle/.
    banner('build (vite)');
    const code = await run('npx', ['vite', 'build']);
    if (code !== 0) problems.push(`vite build exited with code ${code}`);
    else built = true;
  }

  if (chromium && built) {
    banner('end-to-end tests (playwright)');
    const code = await run('npx', ['playwright', 'test'], { AISLE_CHROMIUM: chromium });
    if (code !== 0) problems.push(`playwright exited with code ${code}`);
    add('e2e', e2eCounts());
  } else {
    problems.push('e2e: tests not run (see above)');
  }
}

// (e) the engines suite, last: notebooks on DuckDB and on a Trino cluster. It runs whenever a cluster is named
// (AISLE_TRINO_URL, as `scripts/trino.sh env` prints it) or is starting (AISLE_TRINO_READY: the file `.ci/run`'s
// background start writes that output to when the cluster is up, or `failed`); under CI it must run, so a missing
// cluster fails.
if (runEngines) {
  banner('engines suite (vitest, DuckDB and Trino)');
  if (!process.env.AISLE_TRINO_URL && process.env.AISLE_TRINO_READY) await awaitCluster(process.env.AISLE_TRINO_READY);
  // A start that failed is already one problem; without a cluster named at all the suite runs and fails on its own.
  if (process.env.AISLE_TRINO_URL || !process.env.AISLE_TRINO_READY) {
    rmSync(ENGINES_JSON, { force: true });
    const code = await run('npx', [
      'vitest',
      'run',
      '-c',
      'vitest.engines.config.ts',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${ENGINES_JSON}`,
    ]);
    if (code !== 0) problems.push(`engines suite exited with code ${code}`);
    add('engines', unitCounts(ENGINES_JSON));
  }
}

// Summary
banner('summary');
if (totals.passed + totals.failed === 0) problems.push('no tests ran');
for (const p of problems) console.error(`test: ${p}`);
let line = `${totals.passed} passed, ${totals.failed} failed`;
if (totals.skipped > 0) line += `, ${totals.skipped} skipped`;
console.log(line);
process.exit(problems.length > 0 || totals.failed > 0 ? 1 : 0);
