/**
 * The differential-evolution variation of MOEA/D-DE (Li & Zhang 2009, IEEE TEC 13(2)), DE/rand/1/bin:
 * for each variable j, with probability CR (and always at one random index j_rand),
 *   y_j = x_base,j + F·(x_a,j − x_b,j),
 * otherwise y_j = x_base,j. In MOEA/D-DE the base vector is the current solution of the subproblem
 * (r1 = i), so it is also the target of the binomial crossover. Defaults F = 0.5, CR = 1.0.
 *
 * A value that leaves the box is repaired per variable, by `repair`:
 * - `"parent"` (default): a uniform value between the bound and the base vector's value,
 *   y_j = lb + u·(x_base,j − lb) below, y_j = ub − u·(ub − x_base,j) above — what the authors' MOEA/D-DE
 *   and MOEA/D-DRA codes (and pagmo's `moead` / `moead_gen`) do;
 * - `"random"`: a uniform value in [lb, ub];
 * - `"clip"`: the bound itself (PlatEMO's `OperatorDE`).
 *
 * Integer variables (`integer[j] = 1`) are rounded to the nearest integer inside the bounds.
 *
 * This is the kernel; algorithms take the operator value `de()` of ./variation.ts.
 */
import type { Rng } from "../core/rng.ts";

/** DE settings. */
export interface DeOptions {
  /** Scale factor F (default 0.5). */
  F?: number;
  /** Crossover rate CR (default 1.0). */
  CR?: number;
  /** Bound repair (default "parent"); see the module comment. */
  repair?: "parent" | "random" | "clip";
  /**
   * Force one random variable to take the mutant value (the j_rand of DE/rand/1/bin; default true).
   * pagmo's `moead_gen` does not, and draws no j_rand.
   */
  forceOne?: boolean;
}

/** The repair methods {@link DeOptions.repair} accepts. */
export const DE_REPAIRS: readonly string[] = ["parent", "random", "clip"];

/**
 * Writes into `child` the DE/rand/1/bin offspring of base vector `base` with difference `a − b`
 * (rows of length n). `child` must not alias `base`, `a` or `b`.
 */
export function deRand1Bin(
  rng: Rng,
  base: ArrayLike<number>,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  child: Float64Array,
  lower: Float64Array,
  upper: Float64Array,
  options: DeOptions = {},
  integer?: Uint8Array,
): void {
  const F = options.F ?? 0.5, CR = options.CR ?? 1.0;
  const repair = options.repair ?? "parent";
  const mode = repair === "parent" ? 0 : repair === "random" ? 1 : 2;
  const n = child.length;
  const jrand = options.forceOne === false ? -1 : rng.int(n);
  for (let j = 0; j < n; j++) {
    const x0 = base[j];
    if (!(rng.random() < CR || j === jrand)) {
      child[j] = x0;
      continue;
    }
    const lb = lower[j], ub = upper[j];
    let y = x0 + F * (a[j] - b[j]);
    if (y < lb) {
      y = mode === 0 ? lb + rng.random() * (x0 - lb) : mode === 1 ? lb + rng.random() * (ub - lb) : lb;
    } else if (y > ub) {
      y = mode === 0 ? ub - rng.random() * (ub - x0) : mode === 1 ? lb + rng.random() * (ub - lb) : ub;
    }
    if (integer && integer[j]) {
      y = Math.round(y);
      if (y < lb) y = Math.ceil(lb);
      if (y > ub) y = Math.floor(ub);
    }
    child[j] = y;
  }
}
