// Machine load on a shared box: how busy the CPUs were around a timed run, and a gate that waits (briefly) for
// other processes to calm down before one. Shared by bench/run.mjs and the notebook/workspace benchmarks.
import { readFileSync } from 'node:fs';
import os from 'node:os';

/** Jiffies from /proc/stat's "cpu" line (Linux); null elsewhere. */
export function cpuTimes() {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, idle, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
    return { busy: user + nice + system + irq + softirq, idle: idle + iowait, steal };
  } catch {
    return null;
  }
}

/** Cores busy (all processes) and % of time stolen by the hypervisor between two cpuTimes() samples. */
export function cpuLoad(before, after) {
  if (!before || !after) return null;
  const busy = after.busy - before.busy;
  const steal = after.steal - before.steal;
  const total = busy + (after.idle - before.idle) + steal;
  if (total <= 0) return null;
  const cores = os.cpus().length;
  return { busyCores: Math.round((busy / total) * cores * 100) / 100, stealPct: Math.round((steal / total) * 1000) / 10 };
}

export const sleep = (millis) => new Promise((resolve) => setTimeout(resolve, millis));

/**
 * Before a timed run, while the engines are idle: if other processes keep more than `threshold` cores busy,
 * wait (≤ 10 s a call, ≤ the run's budget: `state.budgetMs`, decremented) for them to calm down.
 * Returns what it saw; `state.waitedMs` adds up the waiting.
 */
export async function quietGate(state, threshold = 0.5) {
  let waited = 0;
  for (;;) {
    const before = cpuTimes();
    await sleep(300);
    const load = cpuLoad(before, cpuTimes());
    if (!load || load.busyCores <= threshold || waited >= 10_000 || state.budgetMs <= 0) {
      state.waitedMs += waited;
      return { othersBusyCores: load?.busyCores ?? null, waitedMs: waited };
    }
    await sleep(700);
    waited += 1000;
    state.budgetMs -= 1000;
  }
}

/** Median of the present values, to 0.01 (null when none). */
export function medianOf(values) {
  const present = values.filter((value) => value != null).sort((a, b) => a - b);
  if (!present.length) return null;
  const mid = present.length >> 1;
  const m = present.length % 2 ? present[mid] : (present[mid - 1] + present[mid]) / 2;
  return Math.round(m * 100) / 100;
}
