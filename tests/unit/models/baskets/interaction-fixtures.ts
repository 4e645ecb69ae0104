import { Rng } from '../../../../src/models/kit/random.ts';
import { fromTriples, transpose, type Interactions, type SparseMatrix } from '../../../../src/models/baskets/interactions.ts';

/** A sparse matrix written out in full, for brute-force references. */
export function dense(m: SparseMatrix): number[][] {
  const rows = Array.from({ length: m.rows }, () => new Array<number>(m.cols).fill(0));
  for (let r = 0; r < m.rows; r++) {
    for (let k = m.indptr[r] as number; k < (m.indptr[r + 1] as number); k++) (rows[r] as number[])[m.indices[k] as number] = m.data[k] as number;
  }
  return rows;
}

/**
 * Seeded random customers × products (up to `maxUsers` × `maxItems`), binary or counts, dense enough that cosine
 * ties occur: the brute-force tests' data.
 */
export function randomInteractions(seed: number, stream: string, maxUsers: number, maxItems: number): Interactions {
  const rng = new Rng(seed, stream);
  const users = rng.integer(2, maxUsers);
  const items = rng.integer(2, maxItems);
  const density = rng.uniform(0.1, 0.6);
  const counts = rng.chance(0.5);
  const triples: [number, number, number][] = [];
  for (let u = 0; u < users; u++) for (let i = 0; i < items; i++) if (rng.chance(density)) triples.push([u, i, counts ? rng.integer(1, 12) : 1]);
  const byUser = fromTriples(users, items, triples);
  return { users: Array.from({ length: users }, (_, u) => `c${u}`), items: Array.from({ length: items }, (_, i) => `p${i}`), byUser, byItem: transpose(byUser) };
}

/** Cosine between rows i and j of a dense matrix, the textbook way: Σ x·y / (‖x‖ · ‖y‖). */
export function naiveCosine(x: number[][], i: number, j: number): number {
  let dot = 0;
  let normI = 0;
  let normJ = 0;
  (x[i] as number[]).forEach((value, k) => {
    const other = (x[j] as number[])[k] as number;
    dot += value * other;
    normI += value * value;
    normJ += other * other;
  });
  return dot / (Math.sqrt(normI) * Math.sqrt(normJ));
}
