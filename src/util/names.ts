/** Matching names the way people type them: case, spaces and underscores aside, and close misspellings. */

/** Names compare without case, spaces, underscores, dashes or dots: `Customer ID` ≡ `customer_id` ≡ `CustomerID`. */
export function normalizeColumnName(name: string): string {
  return name.toLowerCase().replace(/[\s_\-.]+/g, '');
}

/**
 * The candidate nearest to `name`, comparing normalized names and then raw lower-case names by edit distance;
 * undefined when even the nearest differs in more than a third of its characters (and more than 2).
 */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number; rawDistance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(normalizeColumnName(name), normalizeColumnName(candidate));
    const rawDistance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (best === undefined || distance < best.distance || (distance === best.distance && rawDistance < best.rawDistance)) {
      best = { candidate, distance, rawDistance };
    }
  }
  if (best === undefined) return undefined;
  const allowed = Math.max(2, Math.floor(normalizeColumnName(name).length / 3));
  return best.distance <= allowed ? best.candidate : undefined;
}

/** Levenshtein distance: insertions, deletions and substitutions each cost 1. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The longest cell name accepted: a name is typed into SQL, a table list and a header, not a paragraph. */
export const CELL_NAME_MAX_LENGTH = 64;

/**
 * Why `name` cannot name a cell, or undefined when it can. The one rule for cell names (the parser, renames
 * and the name field all ask it): letters, digits and `_`, not starting with a digit, at most 64 characters.
 * `cellNameProblem('1st_query')` → `a name cannot start with a digit ("1")`.
 */
export function cellNameProblem(name: string): string | undefined {
  if (name === '') return 'a name is needed';
  if (name.length > CELL_NAME_MAX_LENGTH) return `a name is at most ${CELL_NAME_MAX_LENGTH} characters (this one has ${name.length.toLocaleString('en')})`;
  if (/^[0-9]/.test(name)) return `a name cannot start with a digit ("${name[0]}")`;
  const bad = /[^A-Za-z0-9_]/.exec(name)?.[0];
  if (bad !== undefined) return `a name holds only letters, digits and _ (not ${describeCharacter(bad)})`;
  return undefined;
}

/** A name as it can be quoted in a message: cut short when long, so a pasted page does not fill the screen. */
export function quotedName(name: string): string {
  return `"${name.length > 40 ? `${name.slice(0, 40)}…` : name}"`;
}

function describeCharacter(character: string): string {
  if (character === ' ') return 'a space';
  if (/\s/.test(character)) return 'a blank';
  return `"${character}"`;
}
