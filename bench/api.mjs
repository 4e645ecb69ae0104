#!/usr/bin/env node
// `node bench/api.mjs`: load on the prediction API of `aisle serve --api`, over loopback, bounded in time.
// Starts the server as a child (bench/notebooks/prediction-api.md on the 50k sample by default), then with autocannon:
//   lookup — GET /api/tables/recommend?customer=<id> at a fixed rate (each request another customer of the table);
//   run    — POST /api/run/segment_predictor with a different {recency, frequency, monetary} each time, twice: as
//            autocannon sends a rate (each second's requests at once) and paced (one every 1000/rate ms);
//   memory — both at once for --memory-seconds, the server's RSS sampled every second: flat means no growth.
// Reports latency percentiles (ms), errors and non-2xx answers per phase, the targets and whether each was met, and
// the server's RSS. One JSON document on stdout, also written to bench/out/api-results.json; progress on stderr.
//
// Options: --seconds 20 (lookup phase)   --rate 200 (lookup requests/s)   --run-seconds 20   --run-rate 20
//          --memory-seconds 60 (0 skips it)   --connections 10   --port 18740
//          --notebook bench/notebooks/prediction-api.md   --data name=path (repeatable)   --out FILE

import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { log } from './lib/common.mjs';
import { count, parseOptions } from './lib/options.mjs';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(benchDir);

const options = parseOptions(
  process.argv.slice(2),
  {
    seconds: 20,
    rate: 200,
    runSeconds: 20,
    runRate: 20,
    memorySeconds: 60,
    connections: 10,
    port: 18740,
    notebook: path.join(benchDir, 'notebooks', 'prediction-api.md'),
    data: [],
    out: path.join(benchDir, 'out', 'api-results.json'),
  },
  {
    '--seconds': (o, value) => (o.seconds = count(value(), 1)),
    '--rate': (o, value) => (o.rate = count(value(), 1)),
    '--run-seconds': (o, value) => (o.runSeconds = count(value(), 0)),
    '--run-rate': (o, value) => (o.runRate = count(value(), 1)),
    '--memory-seconds': (o, value) => (o.memorySeconds = count(value(), 0)),
    '--connections': (o, value) => (o.connections = count(value(), 1)),
    '--port': (o, value) => (o.port = count(value(), 1)),
    '--notebook': (o, value) => (o.notebook = path.resolve(value())),
    '--data': (o, value) => o.data.push(value()),
    '--out': (o, value) => (o.out = path.resolve(value())),
  },
  { script: import.meta.url, lines: 12 },
);

/** The server's resident memory in MB, from /proc (Linux); undefined elsewhere. */
function rssMb(pid) {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
    return Number.isFinite(kb) ? Math.round(kb / 102.4) / 10 : undefined;
  } catch {
    return undefined;
  }
}

/** Start `aisle serve --api` and resolve to its URL and token once it prints them. */
function startServer() {
  const args = [path.join(root, 'bin', 'aisle.mjs'), 'serve', options.notebook, '--api', '--port', String(options.port), ...options.data.flatMap((d) => ['--data', d])];
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr.on('data', (chunk) => process.stderr.write(`[server] ${chunk}`));
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (chunk) => {
      text += chunk;
      const match = /at (http:\/\/\S+\/)\?token=(\S+)/.exec(text);
      if (match) resolve({ child, url: match[1], token: match[2] });
    });
    child.on('exit', (code) => reject(new Error(`the server exited with ${code} before listening`)));
  });
}

/** The targets: lookup p99 ≤ 20 ms at 200 requests/s, run p99 ≤ 100 ms, no errors, memory flat. */
const TARGETS = { lookupP99Ms: 20, lookupRate: 200, runP99Ms: 100 };

function summary(result) {
  const { latency, requests } = result;
  return {
    requests: requests.total,
    perSecond: requests.average,
    latencyMs: { p50: latency.p50, p90: latency.p90, p99: latency.p99, p999: latency.p99_9, max: latency.max, mean: latency.mean },
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
  };
}

const clean = (phase) => phase.errors === 0 && phase.timeouts === 0 && phase.non2xx === 0;

function load(title, settings) {
  log(`${title}: ${settings.duration} s`);
  return new Promise((resolve, reject) => {
    autocannon({ ...settings, title }, (error, result) => (error ? reject(error) : resolve(summary(result))));
  });
}

/**
 * Runs sent open-loop, one every 1000/rate ms whatever the answers (wrk2's model): each latency counts from the
 * moment its request was due, so a slow answer delays none of the later requests. autocannon's rate limit instead
 * sends each connection's quota for the second at once when the second starts: 20 runs a second over 10
 * connections arrive as a burst of 20, and a run waits behind the others (runs of one notebook take turns).
 */
async function paced(title, seconds, rate, request) {
  log(`${title}: ${seconds} s`);
  const latencies = [];
  let errors = 0;
  const total = Math.round(seconds * rate);
  const start = performance.now();
  const sent = [];
  for (let index = 0; index < total; index++) {
    const due = start + (index * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    sent.push(
      request(index)
        .then(async (response) => {
          await response.arrayBuffer();
          if (!response.ok) errors += 1;
        })
        .catch(() => (errors += 1))
        .finally(() => latencies.push(performance.now() - due)),
    );
  }
  await Promise.all(sent);
  latencies.sort((a, b) => a - b);
  const at = (q) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] * 10) / 10;
  return {
    requests: latencies.length,
    perSecond: Math.round((latencies.length / ((performance.now() - start) / 1000)) * 100) / 100,
    latencyMs: { p50: at(0.5), p90: at(0.9), p99: at(0.99), p999: at(0.999), max: at(1), mean: Math.round((latencies.reduce((sum, value) => sum + value, 0) / latencies.length) * 100) / 100 },
    errors,
  };
}

/** Least-squares slope of RSS samples taken once a second, in MB per minute. */
function slopePerMinute(samples) {
  const n = samples.length;
  if (n < 2) return 0;
  const meanX = (n - 1) / 2;
  const meanY = samples.reduce((sum, value) => sum + value, 0) / n;
  let num = 0;
  let den = 0;
  samples.forEach((value, index) => {
    num += (index - meanX) * (value - meanY);
    den += (index - meanX) ** 2;
  });
  return Math.round((num / den) * 60 * 10) / 10;
}

const started = performance.now();
const loadAtStart = os.loadavg()[0];
const server = await startServer();
const auth = { authorization: `Bearer ${server.token}` };
const memory = [];
const sampler = setInterval(() => memory.push(rssMb(server.child.pid)), 1000);
try {
  log(`server up at ${server.url} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const rssStart = rssMb(server.child.pid);
  const table = await (await fetch(`${server.url}api/tables/recommend?limit=10000`, { headers: auth })).json();
  const customers = [...new Set(table.rows.map((row) => row.customer))];
  if (customers.length === 0) throw new Error(`recommend has no customers: ${JSON.stringify(table).slice(0, 200)}`);
  log(`${customers.length} customers in recommend`);
  let next = 0;
  const lookupSettings = (duration) => ({
    url: server.url,
    duration,
    connections: options.connections,
    overallRate: options.rate,
    headers: auth,
    requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: `/api/tables/recommend?customer=${encodeURIComponent(customers[next++ % customers.length])}` }) }],
  });
  let seed = 0;
  const runSettings = (duration) => ({
    url: server.url,
    duration,
    connections: Math.min(options.connections, options.runRate),
    overallRate: options.runRate,
    headers: { ...auth, 'content-type': 'application/json' },
    requests: [{
      method: 'POST',
      path: '/api/run/segment_predictor',
      setupRequest: (request) => {
        seed += 1;
        return { ...request, body: JSON.stringify({ recency: seed % 365, frequency: 1 + (seed % 40), monetary: 10 + ((seed * 37) % 5000) }) };
      },
    }],
  });
  const lookup = await load('lookup', lookupSettings(options.seconds));
  const rssAfterLookup = rssMb(server.child.pid);
  const run = options.runSeconds > 0 ? await load('run', runSettings(options.runSeconds)) : null;
  const runPaced =
    options.runSeconds > 0
      ? await paced('run, paced', options.runSeconds, options.runRate, (index) =>
          fetch(`${server.url}api/run/segment_predictor`, {
            method: 'POST',
            headers: { ...auth, 'content-type': 'application/json' },
            body: JSON.stringify({ recency: index % 365, frequency: 1 + (index % 40), monetary: 10 + ((index * 37) % 5000) }),
          }),
        )
      : null;
  const rssAfterRun = rssMb(server.child.pid);
  let flat = null;
  if (options.memorySeconds > 0) {
    const from = memory.length;
    const rssBefore = rssMb(server.child.pid);
    const [mixedLookup, mixedRun] = await Promise.all([load('memory: lookups', lookupSettings(options.memorySeconds)), load('memory: runs', runSettings(options.memorySeconds))]);
    const samples = memory.slice(from).filter((value) => value !== undefined);
    const rssAfter = rssMb(server.child.pid);
    flat = {
      seconds: options.memorySeconds,
      lookup: mixedLookup,
      run: mixedRun,
      rssMb: { start: rssBefore, end: rssAfter, min: Math.min(...samples), peak: Math.max(...samples), growth: Math.round((rssAfter - rssBefore) * 10) / 10, slopePerMinute: slopePerMinute(samples), samples: samples.length, every10s: samples.filter((_, index) => index % 10 === 9) },
    };
  }
  const samples = memory.filter((value) => value !== undefined);
  const results = {
    // Other work on the machine shows in the latencies: the load average says how much there was.
    machine: { cpus: os.cpus().length, node: process.version, platform: `${os.platform()} ${os.arch()}`, loadAverage: { start: loadAtStart, end: os.loadavg()[0] } },
    notebook: path.relative(root, options.notebook),
    engine: (await (await fetch(`${server.url}health`, { headers: auth })).json()).engine,
    targets: {
      ...TARGETS,
      lookupMet: lookup.latencyMs.p99 <= TARGETS.lookupP99Ms && options.rate >= TARGETS.lookupRate && clean(lookup),
      runMet: run === null ? null : run.latencyMs.p99 <= TARGETS.runP99Ms && clean(run),
      runPacedMet: runPaced === null ? null : runPaced.latencyMs.p99 <= TARGETS.runP99Ms && runPaced.errors === 0,
    },
    lookup: { path: '/api/tables/recommend?customer=<id>', rate: options.rate, seconds: options.seconds, customers: customers.length, ...lookup },
    run: run && { path: '/api/run/segment_predictor', rate: options.runRate, seconds: options.runSeconds, arrivals: `autocannon: each second's ${options.runRate} at once over ${Math.min(options.connections, options.runRate)} connections`, ...run },
    runPaced: runPaced && { path: '/api/run/segment_predictor', rate: options.runRate, seconds: options.runSeconds, arrivals: `one every ${Math.round(1000 / options.runRate)} ms`, ...runPaced },
    memory: flat,
    rssMb: { start: rssStart, afterLookup: rssAfterLookup, afterRun: rssAfterRun, end: rssMb(server.child.pid), peak: Math.max(...samples), samples: samples.length },
  };
  mkdirSync(path.dirname(options.out), { recursive: true });
  writeFileSync(options.out, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
} finally {
  clearInterval(sampler);
  server.child.kill('SIGINT');
}
