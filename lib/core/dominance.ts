/**
 * Pareto dominance and Deb's constraint-domination (Deb 2000, "An efficient constraint handling method
 * for genetic algorithms"), on rows of flat objective arrays. All objectives are minimised.
 */

/**
 * Compares rows `i` and `j` of the flat array `F` (row length `m`):
 * returns 1 when row i dominates row j, -1 when j dominates i, and 0 when neither does
 * (including equal rows). Dominance: no worse in every objective and better in at least one.
 */
export function compareDominance(F: Float64Array, m: number, i: number, j: number): -1 | 0 | 1 {
  let better = false, worse = false;
  const a = i * m, b = j * m;
  for (let k = 0; k < m; k++) {
    const x = F[a + k], y = F[b + k];
    if (x < y) better = true;
    else if (x > y) worse = true;
    if (better && worse) return 0;
  }
  return better ? 1 : worse ? -1 : 0;
}

/** True when the vector `a` Pareto-dominates the vector `b`. */
export function dominates(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) throw new RangeError(`dominates: vectors of length ${a.length} and ${b.length}`);
  let better = false;
  for (let k = 0; k < a.length; k++) {
    if (a[k] > b[k]) return false;
    if (a[k] < b[k]) better = true;
  }
  return better;
}

/**
 * Deb's constraint-domination between rows i and j given their constraint violations `cv`
 * (0 when feasible): a feasible solution beats an infeasible one; of two infeasible ones, the
 * smaller violation wins; two feasible ones are compared by Pareto dominance.
 * Returns 1 (i wins), -1 (j wins) or 0.
 */
export function compareConstrained(
  F: Float64Array,
  m: number,
  cv: Float64Array | undefined,
  i: number,
  j: number,
): -1 | 0 | 1 {
  if (cv) {
    const ci = cv[i], cj = cv[j];
    if (ci > 0 || cj > 0) return ci < cj ? 1 : ci > cj ? -1 : 0;
  }
  return compareDominance(F, m, i, j);
}
