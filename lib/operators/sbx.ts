/**
 * Simulated binary crossover, SBX (Deb & Agrawal 1995), in the bounded form of Deb's NSGA-II C code
 * (also pymoo's and pagmo's): for each variable, with probability `probVar` (0.5), and when the parents
 * differ by more than 1e-14,
 *   β = 1 + 2·min(y1 − lb, ub − y2)/(y2 − y1),  α = 2 − β^−(η+1),
 *   β_q = (uα)^{1/(η+1)} if u ≤ 1/α, else (1/(2 − uα))^{1/(η+1)},
 *   c = ½[(y1 + y2) ∓ β_q (y2 − y1)]  (one β per child),
 * children clipped to the bounds and swapped with probability ½.
 *
 * This is the kernel; algorithms take the operator value `sbx()` of ./variation.ts, which also
 * switches to the integer form (./integer.ts) for integer variables.
 */
import type { Rng } from "../core/rng.ts";

/** SBX settings. */
export interface SbxOptions {
  /** Probability that a pair is crossed at all (default 0.9). */
  prob?: number;
  /** Distribution index η_c (default 20). */
  eta?: number;
  /** Per-variable probability of crossing (default 0.5). */
  probVar?: number;
}

/**
 * Crosses parents `p1` and `p2` (rows of length n) into `c1` and `c2` (may alias nothing else).
 */
export function simulatedBinaryCrossover(
  rng: Rng,
  p1: ArrayLike<number>,
  p2: ArrayLike<number>,
  c1: Float64Array,
  c2: Float64Array,
  lower: Float64Array,
  upper: Float64Array,
  options: SbxOptions = {},
): void {
  const prob = options.prob ?? 0.9, eta = options.eta ?? 20, probVar = options.probVar ?? 0.5;
  const n = c1.length;
  for (let j = 0; j < n; j++) {
    c1[j] = p1[j];
    c2[j] = p2[j];
  }
  if (rng.random() > prob) return;
  const e1 = 1 / (eta + 1);
  for (let j = 0; j < n; j++) {
    if (rng.random() > probVar) continue;
    const x1 = p1[j], x2 = p2[j];
    if (Math.abs(x1 - x2) <= 1e-14) continue;
    const y1 = x1 < x2 ? x1 : x2, y2 = x1 < x2 ? x2 : x1;
    const lb = lower[j], ub = upper[j];
    const u = rng.random();
    const d = y2 - y1;
    // child 1 (towards the lower bound)
    let beta = 1 + 2 * (y1 - lb) / d;
    let alpha = 2 - Math.pow(beta, -(eta + 1));
    let bq = u <= 1 / alpha ? Math.pow(u * alpha, e1) : Math.pow(1 / (2 - u * alpha), e1);
    let a = 0.5 * (y1 + y2 - bq * d);
    // child 2 (towards the upper bound)
    beta = 1 + 2 * (ub - y2) / d;
    alpha = 2 - Math.pow(beta, -(eta + 1));
    bq = u <= 1 / alpha ? Math.pow(u * alpha, e1) : Math.pow(1 / (2 - u * alpha), e1);
    let b = 0.5 * (y1 + y2 + bq * d);
    a = a < lb ? lb : a > ub ? ub : a;
    b = b < lb ? lb : b > ub ? ub : b;
    if (rng.random() <= 0.5) {
      c1[j] = b;
      c2[j] = a;
    } else {
      c1[j] = a;
      c2[j] = b;
    }
  }
}
