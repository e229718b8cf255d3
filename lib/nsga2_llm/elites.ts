/**
 * Elite selection of NSGA-II-LLM (Section IV-A, "Generating Offspring Using LLM"): a tournament
 * selection draws the mating pool M_t of N individuals; the individuals that recur most often in M_t
 * are the elites p_t, the l examples of the prompt. Ties in frequency go to the better rank, then the
 * larger crowding distance, then the lower index, so the choice is deterministic (the authors'
 * `findDuplicates` is not published; its tie-breaking is unknown).
 *
 * Two ways the s LLM solutions enter the pool:
 * - {@link replaceInFirstHalf} (the authors' `NSGAIILLM2Q.m`): LLM solution i replaces every copy of
 *   elite i found in the first half of the pool, one elite each (elites beyond s are left alone);
 * - {@link replaceRecurring} (a literal reading of the paper): every position of every elite, in the
 *   whole pool, is replaced by the LLM solutions in turn.
 */

/** The `l` most frequent members of the mating pool `pool`, most frequent first. */
export function recurringElites(
  pool: ArrayLike<number>,
  l: number,
  rank: ArrayLike<number>,
  crowding: ArrayLike<number>,
): Int32Array {
  if (!Number.isInteger(l) || l < 1) {
    throw new RangeError(`recurringElites: l must be a positive integer, got ${l}`);
  }
  const count = new Map<number, number>();
  for (let k = 0; k < pool.length; k++) count.set(pool[k], (count.get(pool[k]) ?? 0) + 1);
  const members = [...count.keys()].sort((a, b) =>
    count.get(b)! - count.get(a)! || rank[a] - rank[b] || crowding[b] - crowding[a] || a - b
  );
  return Int32Array.from(members.slice(0, l));
}

/**
 * The paper's literal hybrid step: every position of `pool` that holds one of the `elites` is replaced,
 * in order, by the indices `first`, `first + 1`, …, `first + s − 1` of the s LLM solutions, cycling
 * through them. Returns the new pool (the input is not changed) and how many positions were replaced.
 */
export function replaceRecurring(
  pool: ArrayLike<number>,
  elites: ArrayLike<number>,
  first: number,
  s: number,
): { pool: Int32Array; replaced: number } {
  const isElite = new Set(Array.from(elites));
  const out = Int32Array.from(pool);
  let replaced = 0;
  for (let k = 0; k < out.length; k++) {
    if (isElite.has(out[k])) out[k] = first + (replaced++ % s);
  }
  return { pool: out, replaced };
}

/**
 * The authors' hybrid step: for i = 0 … min(s, l) − 1, every position k < ⌊N/2⌋ of `pool` holding
 * `elites[i]` gets index `first + i` (LLM solution i). The second half of the pool is untouched.
 * Returns the new pool and how many positions were replaced.
 */
export function replaceInFirstHalf(
  pool: ArrayLike<number>,
  elites: ArrayLike<number>,
  first: number,
  s: number,
): { pool: Int32Array; replaced: number } {
  const out = Int32Array.from(pool);
  const half = Math.floor(out.length / 2);
  let replaced = 0;
  for (let i = 0; i < Math.min(s, elites.length); i++) {
    for (let k = 0; k < half; k++) {
      if (pool[k] === elites[i]) {
        out[k] = first + i;
        replaced++;
      }
    }
  }
  return { pool: out, replaced };
}
