/** Progress and cancellation for a long model run; a worker passes its own callback and AbortSignal. */
export interface RunControl {
  /** Called with a fraction in (0, 1], never decreasing; the last call of a finished run is exactly 1. */
  readonly onProgress?: (fraction: number) => void;
  readonly signal?: AbortSignal;
}

/** Throws `DOMException('<what> cancelled', 'AbortError')` once the signal has fired. */
export function throwIfCancelled(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted === true) throw new DOMException(`${what} cancelled`, 'AbortError');
}

/**
 * Reports whole percentages only (at most 100 calls, so a worker's postMessage stays cheap), monotone,
 * and checks the abort signal at every checkpoint: `const progress = new Progress(control, 'K-Means')`.
 */
export class Progress {
  private reportedPercent = 0;

  constructor(
    private readonly control: RunControl,
    private readonly what: string,
  ) {}

  /** Call often; it is cheap. Throws `AbortError` when cancelled. `fraction` is clamped to [0, 1). */
  checkpoint(fraction: number): void {
    throwIfCancelled(this.control.signal, this.what);
    const percent = Math.floor(Math.min(Math.max(fraction, 0), 1) * 100);
    if (percent > this.reportedPercent && percent < 100) {
      this.reportedPercent = percent;
      this.control.onProgress?.(percent / 100);
    }
  }

  /** The run is done: checks the signal one last time and reports exactly 1. */
  finish(): void {
    throwIfCancelled(this.control.signal, this.what);
    this.reportedPercent = 100;
    this.control.onProgress?.(1);
  }

  /** A control for nested work that covers [from, to] of this run: `kmeans(x, k, progress.slice(0, 0.5))`. */
  slice(from: number, to: number): RunControl {
    const signal = this.control.signal;
    const onProgress = (fraction: number): void => this.checkpoint(from + (to - from) * fraction);
    return signal === undefined ? { onProgress } : { onProgress, signal };
  }
}
