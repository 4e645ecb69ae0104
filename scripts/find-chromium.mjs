#!/usr/bin/env node
// Find (or, on request, install) a Chromium for Playwright and benchmarks.
//
// Order: $AISLE_CHROMIUM / $CHROMIUM_PATH → Debian's /usr/bin/chromium(-browser)
// → Playwright's own download → (install: true, root on Debian) apt-get install chromium.
//
// Usage as a module:  const path = await findChromium({ install: true })
// Usage as a CLI:     node scripts/find-chromium.mjs [--install]   (prints the path)

import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** Chromium flags for headless runs on CI boxes (Playwright adds --headless itself). */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const SYSTEM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

async function playwrightChromium() {
  try {
    const { chromium } = await import('@playwright/test');
    const p = chromium.executablePath();
    return p && existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function hasAptGet() {
  return ['/usr/bin/apt-get', '/bin/apt-get'].some((p) => existsSync(p));
}

function run(cmd, args, env) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with status ${r.status}`);
}

/**
 * @param {{ install?: boolean }} [options]
 * @returns {Promise<string>} absolute path to a Chromium executable
 */
export async function findChromium({ install = false } = {}) {
  for (const name of ['AISLE_CHROMIUM', 'CHROMIUM_PATH']) {
    const p = process.env[name];
    if (p) {
      if (existsSync(p)) return p;
      console.warn(`[find-chromium] ${name}=${p} does not exist; looking elsewhere`);
    }
  }
  for (const p of SYSTEM_PATHS) if (existsSync(p)) return p;

  const pw = await playwrightChromium();
  if (pw) return pw;

  if (install && isRoot() && hasAptGet()) {
    console.log('[find-chromium] No Chromium found; installing Debian package "chromium" via apt-get…');
    const env = { DEBIAN_FRONTEND: 'noninteractive' };
    run('apt-get', ['update'], env);
    run('apt-get', ['install', '-y', 'chromium'], env);
    if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
    throw new Error('[find-chromium] apt-get install chromium finished but /usr/bin/chromium is missing');
  }

  throw new Error(
    [
      'No Chromium found. Provide one of:',
      '  • AISLE_CHROMIUM=/path/to/chromium (or CHROMIUM_PATH) in the environment;',
      '  • Debian/Ubuntu: sudo apt-get install -y chromium   (gives /usr/bin/chromium);',
      '  • npx playwright install chromium   (needs internet access to Playwright\'s CDN).',
      install ? '(Automatic install needs root and apt-get.)' : '',
    ]
      .filter(Boolean)
      .join('\n'),
  );
}

// CLI
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    console.log(await findChromium({ install: process.argv.includes('--install') }));
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
