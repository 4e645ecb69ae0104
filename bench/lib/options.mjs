// The one option parser of the bench scripts: `--flag value`, `--flag=value`, flags without a value, --help.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Parse `argv` into `options` (the defaults, changed in place and returned). `handlers[flag](options, value)` says
 * what a flag does; `value()` reads its value: the text after `=`, else the next argument. `--help` / `-h` print the
 * first `help.lines` lines of `help.script` (its header comment; a `#!` line is skipped) to stderr and exit. An argument not starting with
 * `-` goes to `positional(options, text, index)`. An unknown flag, a stray argument or a missing value throws, naming it.
 *
 *   parseOptions(['--reps=5', '--no-build'], { reps: 3, build: true }, {
 *     '--reps': (o, value) => (o.reps = Number(value())),
 *     '--no-build': (o) => (o.build = false),
 *   }) // → { reps: 5, build: false }
 */
export function parseOptions(argv, options, handlers, help, positional) {
  let positions = 0;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('-') && positional) {
      positional(options, arg, positions++);
      continue;
    }
    const equals = arg.indexOf('=');
    const flag = equals >= 0 ? arg.slice(0, equals) : arg;
    const inline = equals >= 0 ? arg.slice(equals + 1) : undefined;
    if (help && (flag === '--help' || flag === '-h')) {
      const lines = readFileSync(fileURLToPath(help.script), 'utf8').split('\n');
      process.stderr.write(lines.slice(lines[0]?.startsWith('#!') ? 1 : 0, help.lines).join('\n') + '\n');
      process.exit(0);
    }
    const handler = Object.hasOwn(handlers, flag) ? handlers[flag] : undefined;
    if (!handler) throw new Error(`unknown option ${arg}${help ? ' (try --help)' : ''}`);
    const value = () => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined) throw new Error(`${flag} needs a value`);
      i++;
      return next;
    };
    handler(options, value);
  }
  return options;
}

/** A whole number ≥ `min` from a flag's value; `_` separators allowed (`541_909`). */
export function count(text, min = 0) {
  return Math.max(min, Number.parseInt(text.replaceAll('_', ''), 10));
}

/** The options every suite takes: --seed, --regen, --quiet-budget SECONDS, --out FILE. */
export const sharedOptions = {
  '--seed': (options, value) => {
    options.seed = Number.parseInt(value(), 10);
  },
  '--regen': (options) => {
    options.regen = true;
  },
  '--quiet-budget': (options, value) => {
    options.quietBudgetMs = Math.max(0, Number(value()) * 1000);
  },
  '--out': (options, value) => {
    options.out = path.resolve(value());
  },
};
