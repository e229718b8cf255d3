/**
 * Polynomial mutation (Deb & Goyal 1996) in the bounded form of Deb's NSGA-II C code (also pymoo's
 * and pagmo's): each variable mutates with probability `prob` (default 1/n); with
 * δ1 = (x − lb)/(ub − lb), δ2 = (ub − x)/(ub − lb), u uniform,
 *   δ_q = [2u + (1 − 2u)(1 − δ1)^{η+1}]^{1/(η+1)} − 1            if u < ½,
 *   δ_q = 1 − [2(1 − u) + 2(u − ½)(1 − δ2)^{η+1}]^{1/(η+1)}      otherwise,
 * and x' = x + δ_q (ub − lb), clipped to the bounds.
 *
 * These are the kernels; algorithms take the operator values `pm()` / `platemoPm()` of ./variation.ts,
 * which also switch to the integer form (./integer.ts) for integer variables.
 */
import type { Rng } from "../core/rng.ts";

/** Polynomial mutation settings. */
export interface PmOptions {
  /** Per-variable mutation probability (default 1/n). */
  prob?: number;
  /** Distribution index η_m (default 20). */
  eta?: number;
}

/** Mutates `x` in place. */
export function polynomialMutation(
  rng: Rng,
  x: Float64Array,
  lower: Float64Array,
  upper: Float64Array,
  options: PmOptions = {},
): void {
  const n = x.length;
  const prob = options.prob ?? 1 / n, eta = options.eta ?? 20;
  const e1 = 1 / (eta + 1);
  for (let j = 0; j < n; j++) {
    if (rng.random() > prob) continue;
    const lb = lower[j], ub = upper[j];
    const range = ub - lb;
    if (range <= 0) continue;
    const y = x[j];
    const d1 = (y - lb) / range, d2 = (ub - y) / range;
    const u = rng.random();
    let dq: number;
    if (u < 0.5) {
      const v = 2 * u + (1 - 2 * u) * Math.pow(1 - d1, eta + 1);
      dq = Math.pow(v, e1) - 1;
    } else {
      const v = 2 * (1 - u) + 2 * (u - 0.5) * Math.pow(1 - d2, eta + 1);
      dq = 1 - Math.pow(v, e1);
    }
    const z = y + dq * range;
    x[j] = z < lb ? lb : z > ub ? ub : z;
  }
}

/**
 * Polynomial mutation as PlatEMO's `PolyMut.m` (used by its MOEA/D-DQN): clip `x` to the bounds, then
 * for every variable draw "mutate?" (probability `prob`, default 1/n) and u — u is drawn even when the
 * variable does not mutate, so the random stream differs from {@link polynomialMutation} — and
 * mutate with δ_q as there (u ≤ ½ here), clipping again.
 */
export function polynomialMutationPlatEMO(
  rng: Rng,
  x: Float64Array,
  lower: Float64Array,
  upper: Float64Array,
  options: PmOptions = {},
): void {
  const D = x.length;
  const prob = options.prob ?? 1 / D, e = (options.eta ?? 20) + 1;
  for (let d = 0; d < D; d++) x[d] = Math.min(Math.max(x[d], lower[d]), upper[d]);
  for (let d = 0; d < D; d++) {
    const mutate = rng.random() < prob, u = rng.random();
    if (!mutate) continue;
    const range = upper[d] - lower[d];
    const d1 = (x[d] - lower[d]) / range, d2 = (upper[d] - x[d]) / range;
    const delta = u <= 0.5
      ? Math.pow(2 * u + (1 - 2 * u) * Math.pow(1 - d1, e), 1 / e) - 1
      : 1 - Math.pow(2 * (1 - u) + (2 * u - 1) * Math.pow(1 - d2, e), 1 / e);
    x[d] = Math.min(Math.max(x[d] + delta * range, lower[d]), upper[d]);
  }
}
