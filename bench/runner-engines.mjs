// The headless runner on native DuckDB against DuckDB-WASM: generated Online-Retail rows as Parquet, loaded,
// cleaned and RFM-scored by `aisle run bench/notebooks/rfm.md --data sales=<file> --engine native|wasm`, each run
// once under /usr/bin/time -v (wall time, peak RSS), with a time limit. A run that fails (WASM out of memory)
// is recorded with its error. Usage: node bench/runner-engines.mjs [--rows N] [--timeout-min M] [--out FILE]
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureData, root } from './lib/data.mjs';

const { values } = parseArgs({
  options: { rows: { type: 'string' }, 'timeout-min': { type: 'string' }, out: { type: 'string' }, engines: { type: 'string' } },
});
const rows = Number(values.rows ?? 10_000_000);
const timeoutMs = Number(values['timeout-min'] ?? 20) * 60_000;
const engines = (values.engines ?? 'native,wasm').split(',');
const out = values.out ?? path.join(root, 'bench', 'out', `runner-engines-${rows}.json`);
if (!existsSync('/usr/bin/time')) throw new Error('/usr/bin/time is needed for peak memory (apt-get install time)');

/** One `aisle run` under /usr/bin/time -v: its summary line, wall seconds, peak RSS, exit status, last error lines. */
function runOnce(engine, file) {
  const args = ['-v', process.execPath, 'bin/aisle.mjs', 'run', 'bench/notebooks/rfm.md', '--data', `sales=${file}`, '--engine', engine];
  return new Promise((resolve) => {
    const child = spawn('/usr/bin/time', args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      process.stderr.write(chunk);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const field = (label) => new RegExp(`${label}: (.+)`).exec(stderr)?.[1]?.trim();
      const wall = field('Elapsed \\(wall clock\\) time \\(h:mm:ss or m:ss\\)');
      const seconds = wall === undefined ? null : wall.split(':').reduce((sum, part) => sum * 60 + Number(part), 0);
      const rssKb = Number(field('Maximum resident set size \\(kbytes\\)') ?? NaN);
      const log = stderr.split('\n').filter((line) => line !== '' && !line.startsWith('\t') && !/^\s*Command being timed/.test(line));
      resolve({
        engine,
        exit: code,
        signal: signal ?? (seconds !== null && seconds * 1000 >= timeoutMs ? 'timeout' : null),
        wallSeconds: seconds,
        peakRssMiB: Number.isFinite(rssKb) ? Math.round(rssKb / 1024) : null,
        summary: stdout.trim(),
        log: log.slice(-8),
      });
    });
  });
}

const data = await ensureData(rows, 'parquet', 1);
const results = [];
for (const engine of engines) {
  process.stderr.write(`\n== ${engine}: ${rows.toLocaleString('en-US')} rows (${(data.bytes / 1024 ** 2).toFixed(0)} MiB Parquet)\n`);
  results.push(await runOnce(engine, data.path));
}
const report = { rows, file: path.relative(root, data.path), parquetMiB: Math.round(data.bytes / 1024 ** 2), date: new Date().toISOString(), results };
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
console.log(JSON.stringify(report, null, 2));
