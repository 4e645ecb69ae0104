// Shared by the bench drivers: the query every engine runs, timing helpers, stats (options: options.mjs).
import { spawn } from 'node:child_process';

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
