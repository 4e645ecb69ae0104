// Line-delimited JSON between bench/run.mjs and its long-lived engine children (native.mjs, wasm-node.ts).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * Child side: answer `{op, ...args}` lines from stdin with `{ok: true, value}` or `{ok: false, error}` lines on
 * stdout, one command at a time. stdout carries nothing else; `{op: 'exit'}` ends the process.
 */
export function serve(handlers) {
  const lines = createInterface({ input: process.stdin });
  let queue = Promise.resolve();
  const reply = (message) => process.stdout.write(JSON.stringify(message) + '\n');
  lines.on('line', (line) => {
    queue = queue.then(async () => {
      const { op, ...args } = JSON.parse(line);
      if (op === 'exit') process.exit(0);
      try {
        const handler = handlers[op];
        if (!handler) throw new Error(`unknown op "${op}"`);
        reply({ ok: true, value: await handler(args) });
      } catch (error) {
        reply({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      }
    });
  });
  lines.on('close', () => void queue.then(() => process.exit(0)));
}

/** Parent side: a child process spoken to one request at a time. Its stderr passes through. */
export class EngineProcess {
  constructor(name, command, args, options = {}) {
    this.name = name;
    this.child = spawn(command, args, { ...options, stdio: ['pipe', 'pipe', 'inherit'] });
    this.pending = [];
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
    this.exited.then(({ code, signal }) => {
      for (const { reject } of this.pending.splice(0)) reject(new Error(`${name} exited (${signal ?? code})`));
    });
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      let message;
      try {
        message = JSON.parse(line);
      } catch {
        process.stderr.write(`[${name}] ${line}\n`); // stray output: show it, do not fail the run
        return;
      }
      const waiter = this.pending.shift();
      if (!waiter) return;
      if (message.ok) waiter.resolve(message.value);
      else waiter.reject(new Error(`${name}: ${message.error}`));
    });
  }

  request(op, args = {}) {
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.child.stdin.write(JSON.stringify({ op, ...args }) + '\n');
    });
  }

  async close() {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.stdin.write(JSON.stringify({ op: 'exit' }) + '\n');
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
  }
}
