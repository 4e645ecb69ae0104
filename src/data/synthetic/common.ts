/** Latent customer segments: they differ in purchase frequency, basket size, spend and recency. */
export type CustomerSegment = 'champion' | 'regular' | 'occasional' | 'lapsed';

export const SEGMENTS: readonly CustomerSegment[] = ['champion', 'regular', 'occasional', 'lapsed'];

/** Share of customers in each segment (parallel to `SEGMENTS`). */
export const SEGMENT_SHARES: readonly number[] = [0.07, 0.25, 0.48, 0.2];

/**
 * What the generator knew but did not write into the rows: each customer's segment and each product's
 * category and theme. Lets tests and evaluation notebooks score segmentations and recommenders.
 */
export interface GroundTruth {
  readonly customers: readonly { readonly customerId: string; readonly segment: CustomerSegment; readonly country?: string }[];
  readonly products: readonly { readonly productId: string; readonly description?: string; readonly category: string; readonly theme?: string }[];
}

/** Progress and cancellation for a generation run. */
export interface GenerationControl {
  readonly onProgress?: (fraction: number) => void;
  readonly signal?: AbortSignal;
}

/** Reports whole percentages only (at most 100 calls in all) and throws AbortError once the signal fires. */
export class ProgressReporter {
  private reportedPercent = 0;

  constructor(private readonly control: GenerationControl) {}

  /** Call often; it is cheap. Throws `AbortError` when cancelled. */
  checkpoint(fraction: number): void {
    if (this.control.signal?.aborted === true) throw new DOMException('Generation cancelled', 'AbortError');
    const percent = Math.floor(fraction * 100);
    if (percent > this.reportedPercent && percent < 100) {
      this.reportedPercent = percent;
      this.control.onProgress?.(percent / 100);
    }
  }
}
