/** What the runner's modules share: the error that stops a run before it starts, and how numbers and paths are said. */
import { isAbsolute, relative } from 'node:path';

/** The run could not start: the notebook, a data file or an input is wrong. The message names which. */
export class RunSetupError extends Error {
  override readonly name = 'RunSetupError';
}

/** Milliseconds to one decimal, for summaries. */
export function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** `count(1, 'row')` → `1 row`; `count(50000, 'row')` → `50,000 rows`. */
export function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

/** `12 ms`, `1.9 s`. */
export function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** A path as short as it can be said: relative to the working directory when inside it. */
export function shortPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
