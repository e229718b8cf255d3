/**
 * Mating selection.
 */
import type { Rng } from "./rng.ts";

/**
 * Binary tournament (Goldberg & Deb 1991) with NSGA-II's crowded-comparison operator ≺_n
 * (Deb et al. 2002, Section III-C): the lower rank wins; on equal rank the larger crowding distance
 * wins; on a full tie the first drawn wins. Draws `count` winners among `n` candidates, each
 * tournament between two candidates drawn uniformly with replacement.
 */
export function binaryTournament(
  rng: Rng,
  count: number,
  rank: ArrayLike<number>,
  crowding: ArrayLike<number>,
): Int32Array {
  const n = rank.length;
  if (n < 1) throw new RangeError("binaryTournament: no candidates");
  const out = new Int32Array(count);
  for (let t = 0; t < count; t++) {
    const a = rng.int(n), b = rng.int(n);
    out[t] = crowdedBetter(a, b, rank, crowding) ? a : b;
  }
  return out;
}

/** Deb's crowded comparison: is `a` at least as good as `b` (rank, then crowding distance)? */
export function crowdedBetter(
  a: number,
  b: number,
  rank: ArrayLike<number>,
  crowding: ArrayLike<number>,
): boolean {
  if (rank[a] !== rank[b]) return rank[a] < rank[b];
  return crowding[a] >= crowding[b];
}
