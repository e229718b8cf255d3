/**
 * Distance-based indicators: IGD, IGD+, GD (PlatEMO and mean variants) and GD+.
 *
 * Conventions shared by every function here: `points` is the approximation set A (n points),
 * `front` the reference set Z (a sample of the true Pareto front, |Z| ≥ 1), both minimised, and
 * distances are Euclidean. An empty approximation set gives `Infinity` (nothing approximates the
 * front). An empty front, a dimension mismatch or a NaN/infinite coordinate is a RangeError naming
 * the offending point.
 *
 * @module
 */

import type { PointsLike } from "../core/points.ts";
import { checkSetAndFront } from "./_check.ts";

/**
 * For every row of `from` (stride m), the squared distance to the nearest row of `to`; `plus`
 * selects Ishibuchi's d+ with `from` as the reference point `z` and `to` as the solutions `a`
 * (`Σ max(a_j − z_j, 0)²`) or, with `plus = -1`, with the roles swapped (`Σ max(f_j − t_j, 0)²`).
 */
function nearestSq(
  from: Float64Array,
  nf: number,
  to: Float64Array,
  nt: number,
  m: number,
  plus: 0 | 1 | -1,
): Float64Array {
  const out = new Float64Array(nf);
  for (let i = 0; i < nf; i++) {
    const oi = i * m;
    let best = Infinity;
    for (let k = 0; k < nt; k++) {
      const ok = k * m;
      let s = 0;
      for (let j = 0; j < m && s < best; j++) {
        let d = to[ok + j] - from[oi + j];
        if (plus === 1) d = d > 0 ? d : 0;
        else if (plus === -1) d = d < 0 ? -d : 0;
        s += d * d;
      }
      if (s < best) best = s;
    }
    out[i] = best;
  }
  return out;
}

/**
 * Inverted generational distance, as PlatEMO's `IGD.m` (Coello Coello & Cruz Cortés 2005, "Solving
 * multiobjective optimization problems using an artificial immune system", GPEM 6(2)):
 * `IGD(A, Z) = (1/|Z|) Σ_{z ∈ Z} min_{a ∈ A} ‖a − z‖₂` — the mean over the *front* points of the
 * distance to the nearest approximation point (power p = 1).
 *
 * @returns the IGD (≥ 0, lower is better); `Infinity` when `points` is empty.
 * @throws RangeError on an empty front, a dimension mismatch or a non-finite coordinate.
 *
 * @example Every front point 0.1 away from its nearest point, in both coordinates
 * ```ts
 * import { igd } from "moolab";
 *
 * const front = [[0, 1], [0.5, 0.5], [1, 0]];
 * const set = [[0.1, 1.1], [0.6, 0.6], [1.1, 0.1]];
 * if (Math.abs(igd(set, front) - Math.hypot(0.1, 0.1)) > 1e-12 || igd(front, front) !== 0) {
 *   throw new Error("IGD");
 * }
 * ```
 */
export function igd(points: PointsLike, front: PointsLike): number {
  const { p, f } = checkSetAndFront(points, front, "igd");
  if (p.n === 0) return Infinity;
  const d = nearestSq(f.data, f.n, p.data, p.n, f.m, 0);
  let s = 0;
  for (let i = 0; i < f.n; i++) s += Math.sqrt(d[i]);
  return s / f.n;
}

/**
 * IGD+ of Ishibuchi, Masuda, Tanigaki & Nojima (2015), "Modified distance calculation in generational
 * distance and inverted generational distance", EMO 2015, LNCS 9019, pp. 110–125 (as PlatEMO's
 * `IGDp.m`): `IGD+(A, Z) = (1/|Z|) Σ_{z ∈ Z} min_{a ∈ A} d+(z, a)` with
 * `d+(z, a) = sqrt(Σ_j max(a_j − z_j, 0)²)` — only the amount by which the solution `a` is worse than
 * the reference point `z` counts. IGD+ is weakly Pareto compliant.
 *
 * @returns the IGD+ (≥ 0, lower is better); `Infinity` when `points` is empty.
 * @throws RangeError on an empty front, a dimension mismatch or a non-finite coordinate.
 */
export function igdPlus(points: PointsLike, front: PointsLike): number {
  const { p, f } = checkSetAndFront(points, front, "igdPlus");
  if (p.n === 0) return Infinity;
  const d = nearestSq(f.data, f.n, p.data, p.n, f.m, 1);
  let s = 0;
  for (let i = 0; i < f.n; i++) s += Math.sqrt(d[i]);
  return s / f.n;
}

/**
 * Generational distance as PlatEMO's `GD.m` computes it (Van Veldhuizen 1999, PhD thesis, AFIT,
 * with power p = 2): with `d_a = min_{z ∈ Z} ‖a − z‖₂` for each approximation point,
 * `GD(A, Z) = sqrt(Σ_{a ∈ A} d_a²) / |A|` — MATLAB `norm(Distance)/length(Distance)`. Note the
 * square root covers the sum only, not the division; this is not the root-mean-square distance.
 * For the plain mean distance (pymoo's `GD`) use {@link gdMean}.
 *
 * @returns the GD (≥ 0, lower is better); `Infinity` when `points` is empty.
 * @throws RangeError on an empty front, a dimension mismatch or a non-finite coordinate.
 */
export function gd(points: PointsLike, front: PointsLike): number {
  const { p, f } = checkSetAndFront(points, front, "gd");
  if (p.n === 0) return Infinity;
  const d = nearestSq(p.data, p.n, f.data, f.n, f.m, 0);
  let s = 0;
  for (let i = 0; i < p.n; i++) s += d[i];
  return Math.sqrt(s) / p.n;
}

/**
 * Generational distance as the plain mean distance (power p = 1), as pymoo's `GD` indicator:
 * `GD₁(A, Z) = (1/|A|) Σ_{a ∈ A} min_{z ∈ Z} ‖a − z‖₂`. See {@link gd} for PlatEMO's variant.
 *
 * @returns the mean distance (≥ 0, lower is better); `Infinity` when `points` is empty.
 * @throws RangeError on an empty front, a dimension mismatch or a non-finite coordinate.
 */
export function gdMean(points: PointsLike, front: PointsLike): number {
  const { p, f } = checkSetAndFront(points, front, "gdMean");
  if (p.n === 0) return Infinity;
  const d = nearestSq(p.data, p.n, f.data, f.n, f.m, 0);
  let s = 0;
  for (let i = 0; i < p.n; i++) s += Math.sqrt(d[i]);
  return s / p.n;
}

/**
 * GD+ of Ishibuchi et al. (2015, EMO, LNCS 9019): `GD+(A, Z) = (1/|A|) Σ_{a ∈ A} min_{z ∈ Z} d+(z, a)`
 * with `d+(z, a) = sqrt(Σ_j max(a_j − z_j, 0)²)` (mean, power p = 1, as pymoo's `GDPlus`).
 *
 * @returns the GD+ (≥ 0, lower is better); `Infinity` when `points` is empty.
 * @throws RangeError on an empty front, a dimension mismatch or a non-finite coordinate.
 */
export function gdPlus(points: PointsLike, front: PointsLike): number {
  const { p, f } = checkSetAndFront(points, front, "gdPlus");
  if (p.n === 0) return Infinity;
  const d = nearestSq(p.data, p.n, f.data, f.n, f.m, -1);
  let s = 0;
  for (let i = 0; i < p.n; i++) s += Math.sqrt(d[i]);
  return s / p.n;
}
