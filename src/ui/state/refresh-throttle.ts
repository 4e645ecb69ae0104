/**
 * When the data panel lists its tables again after a cell settles. Listing counts every table's rows on the one DuckDB
 * worker the cells queue on, so while a run goes on the list is refreshed at most every `gapMs`, counted from the
 * run's first settled cell too, and once when the run ends (it was 60% of the dashboard's render time; mid-run, in
 * front of a model's input, 0.2 s of the seed notebook's 1.8 s). Returns the `settled` callback.
 */
export function throttledRefresh(
  refresh: () => void,
  running: () => boolean,
  { delayMs = 100, gapMs = 2000, now = () => performance.now() }: { delayMs?: number; gapMs?: number; now?: () => number } = {},
): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let refreshedAt = Number.NEGATIVE_INFINITY;
  let runSeenAt: number | null = null;
  const settled = () => {
    clearTimeout(timer);
    if (running()) runSeenAt ??= now();
    timer = setTimeout(() => {
      if (running() && now() - Math.max(refreshedAt, runSeenAt ?? Number.NEGATIVE_INFINITY) < gapMs) return settled();
      if (!running()) runSeenAt = null;
      refreshedAt = now();
      refresh();
    }, delayMs);
  };
  return settled;
}
