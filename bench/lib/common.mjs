// Shared by the bench drivers: the query every engine runs, timing helpers, stats, the options all suites take.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Native CSV load: the same typing the app asks DuckDB-WASM for (ids stay text). */
export const CSV_TYPES = "types={'InvoiceNo':'VARCHAR','StockCode':'VARCHAR','CustomerID':'VARCHAR'}";

/** The per-customer aggregate, materialised so every engine does the whole job (not just the first batch). */
export const AGGREGATE_SQL = `CREATE OR REPLACE TABLE agg AS
SELECT CustomerID, count(DISTINCT InvoiceNo) AS invoices, sum(Quantity * UnitPrice) AS spend, max(InvoiceDate) AS last
FROM t WHERE CustomerID IS NOT NULL GROUP BY CustomerID`;

/** Not timed: proves the engines did the same work (row count and rounded total spend). */
export const CHECK_SQL = 'SELECT count(*)::DOUBLE AS n, round(sum(spend), 2)::DOUBLE AS spend FROM agg';

export const now = () => performance.now();

/** Round a millisecond value to 0.1 ms. */
export const ms = (value) => Math.round(value * 10) / 10;

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** { median, min, runs } of a list of timings, rounded. */
export function stats(values) {
  return { median: ms(median(values)), min: ms(Math.min(...values)), runs: values.map(ms) };
}

/** Progress goes to stderr; stdout carries JSON only. */
export function log(...parts) {
  process.stderr.write(`[bench] ${parts.join(' ')}\n`);
}

/**
 * The options every suite takes (--seed, --regen, --quiet-budget, --out, --help): sets `options` and says true when
 * `flag` is one of them. `value()` reads the flag's value; --help prints the first `helpLines` comment lines of `script`.
 */
export function sharedOption(options, flag, value, script, helpLines) {
  switch (flag) {
    case '--seed':
      options.seed = Number.parseInt(value(), 10);
      return true;
    case '--regen':
      options.regen = true;
      return true;
    case '--quiet-budget':
      options.quietBudgetMs = Math.max(0, Number(value()) * 1000);
      return true;
    case '--out':
      options.out = path.resolve(value());
      return true;
    case '--help':
    case '-h':
      process.stderr.write(readFileSync(fileURLToPath(script), 'utf8').split('\n').slice(1, helpLines).join('\n') + '\n');
      process.exit(0);
    default:
      return false;
  }
}

/** Run a child in `cwd` whose stdout is one JSON document; its stderr (progress) passes through. */
export function runJsonChild(cwd, name, command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
    const chunks = [];
    child.stdout.on('data', (chunk) => chunks.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (code !== 0) return reject(new Error(`${name} exited with ${signal ?? code}`));
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new Error(`${name} printed no JSON document: ${text.slice(0, 300)}`));
      }
    });
  });
}
