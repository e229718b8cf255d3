/**
 * Mating selection.
 */
import type { Rng } from "./rng.ts";

/**
 * Binary tournament (Goldberg & Deb 1991) with NSGA-II's crowded-comparison operator ≺_n
 * (Deb et al. 2002, Section III-C): the lower rank wins; on equal rank the larger crowding distance
 * wins; on a full tie the first drawn wins. As in Deb's NSGA-II code, pagmo and pymoo, the
 * contestants are drawn without replacement: the candidates are laid out in successive random
 * permutations and consecutive pairs compete, so with `count` = n every candidate plays exactly
 * two tournaments.
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
  let perm = rng.permutation(n), k = 0;
  const draw = () => {
    if (k === n) {
      perm = rng.permutation(n);
      k = 0;
    }
    return perm[k++];
  };
  for (let t = 0; t < count; t++) {
    const a = draw(), b = draw();
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
