/**
 * A text column as a code per row into its distinct values, made once per column and kept with it: a column decoded
 * from Arrow dictionary codes (a DuckDB ENUM) gets them from the decode (frame.ts), so the models' per-row lookups of
 * customers, products and baskets are reads of an Int32Array instead of hashing a string per row. The codes are kept
 * by the array: a column must not change once coded (the models treat their input columns as read-only).
 */

export interface TextCodes {
  /** Per row, the index of its value in `values`, or −1 for null. */
  readonly codes: Int32Array;
  /** The distinct values, each once (a dictionary's may include some no row has). */
  readonly values: readonly string[];
}

const held = new WeakMap<readonly (string | null)[], TextCodes>();

/** Keeps `codes` as the codes of `column` (which must be what they say). */
export function keepTextCodes(column: readonly (string | null)[], codes: TextCodes): void {
  held.set(column, codes);
}

/** The column's codes: kept ones, or made now in one pass (values in order of first appearance) and kept. */
export function textCodes(column: readonly (string | null)[]): TextCodes {
  const kept = held.get(column);
  if (kept !== undefined) return kept;
  const index = new Map<string, number>();
  const values: string[] = [];
  const codes = new Int32Array(column.length);
  // Rows of one invoice or customer come together: the last row's code is reused without a lookup.
  let last: string | null = null;
  let lastCode = -1;
  for (let row = 0; row < column.length; row++) {
    const value = column[row] ?? null;
    if (value !== last) {
      last = value;
      lastCode = value === null ? -1 : (index.get(value) ?? -1);
      if (value !== null && lastCode < 0) {
        lastCode = values.length;
        index.set(value, lastCode);
        values.push(value);
      }
    }
    codes[row] = lastCode;
  }
  const made = { codes, values };
  held.set(column, made);
  return made;
}

/** `column.map((value) => (drop(value) ? null : value))`, its codes made from the column's (`drop` asked once per value). */
export function withoutValues(column: readonly (string | null)[], drop: (value: string) => boolean): readonly (string | null)[] {
  const { codes, values } = textCodes(column);
  const dropped = values.map(drop);
  const keptCodes = codes.map((code) => (code >= 0 && dropped[code] ? -1 : code));
  const out = Array.from(keptCodes, (code) => (code < 0 ? null : (values[code] as string)));
  held.set(out, { codes: keptCodes, values });
  return out;
}

/** The values some row has, sorted by `compare`. */
export function presentValues({ codes, values }: TextCodes, compare: (a: string, b: string) => number): string[] {
  const present = new Uint8Array(values.length);
  for (let row = 0; row < codes.length; row++) if ((codes[row] as number) >= 0) present[codes[row] as number] = 1;
  return values.filter((_, code) => present[code] === 1).sort(compare);
}

/** Per code, the index of its value in `list` (−1: not there). */
export function codeIndex(values: readonly string[], list: readonly string[]): Int32Array {
  const at = new Map(list.map((value, index) => [value, index]));
  return Int32Array.from(values, (value) => at.get(value) ?? -1);
}
