/** Filtering a long option list as someone types: a customer id, a product code, or words of a description. */

export interface OptionMatch {
  /** Index into the option list. */
  readonly index: number;
  /** 0 exact id · 1 id prefix · 2 label prefix · 3 every word matched · 4 substring; lower is better. */
  readonly rank: number;
}

/**
 * The options matching `query` (case-insensitive) best first, at most `limit`: an exact id, then ids starting with it,
 * labels starting with it, options where every typed word starts a word of the id or label ("heart holder" finds
 * WHITE HANGING HEART T-LIGHT HOLDER), then any substring. Ties keep list order. An empty query matches everything.
 */
export function matchOptions(options: readonly (string | number)[], labels: readonly string[] | undefined, query: string, limit: number): OptionMatch[] {
  const needle = query.trim().toLowerCase();
  const words = needle.split(/\s+/).filter(Boolean);
  const matches: OptionMatch[] = [];
  options.forEach((option, index) => {
    const id = String(option).toLowerCase();
    const label = (labels?.[index] ?? '').toLowerCase();
    const rank = rankOf(id, label, needle, words);
    if (rank !== undefined) matches.push({ index, rank });
  });
  return matches.sort((a, b) => a.rank - b.rank || a.index - b.index).slice(0, limit);
}

function rankOf(id: string, label: string, needle: string, words: readonly string[]): number | undefined {
  if (needle === '') return 4;
  if (id === needle) return 0;
  if (id.startsWith(needle)) return 1;
  if (label.startsWith(needle)) return 2;
  const tokens = `${id} ${label}`.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  if (words.every((word) => tokens.some((token) => token.startsWith(word.replace(/[^\p{L}\p{N}]+/gu, ''))))) return 3;
  if (id.includes(needle) || label.includes(needle)) return 4;
  return undefined;
}
