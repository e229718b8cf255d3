/**
 * Spread (diversity) indicators: Deb's Δ for two objectives and PlatEMO's generalised Spread.
 *
 * Both need the true front only for its extreme points. Values are computed on the raw objective
 * values (no normalisation). Lower is better; 0 means perfectly even spacing reaching the extremes.
 *
 * @module
 */

import type { Points, PointsLike } from "../core/points.ts";
import { checkSetAndFront } from "./_check.ts";

function dist(a: Float64Array, ia: number, b: Float64Array, ib: number, m: number): number {
  let s = 0;
  for (let j = 0; j < m; j++) {
    const d = a[ia * m + j] - b[ib * m + j];
    s += d * d;
  }
  return Math.sqrt(s);
}

/** Index of the lexicographically smallest (`sign` = 1) or largest (`sign` = -1) row of `p`. */
function lexExtreme(p: Points, sign: 1 | -1): number {
  let best = 0;
  for (let i = 1; i < p.n; i++) {
    for (let j = 0; j < p.m; j++) {
      const d = sign * (p.data[i * p.m + j] - p.data[best * p.m + j]);
      if (d < 0) {
        best = i;
        break;
      }
      if (d > 0) break;
    }
  }
  return best;
}

/**
 * Deb's spread Δ for two objectives — Deb, Pratap, Agarwal & Meyarivan (2002), "A fast and elitist
 * multiobjective genetic algorithm: NSGA-II", IEEE TEVC 6(2), eq. (1):
 *
 * `Δ = (d_f + d_l + Σ_{i=1}^{N−1} |d_i − d̄|) / (d_f + d_l + (N − 1) d̄)`
 *
 * where the N approximation points are sorted lexicographically (first objective ascending, ties by
 * the second), `d_i` is the Euclidean distance between consecutive points, `d̄` their mean, `d_f` the
 * distance from the first point to the lexicographically smallest point of the true front (its
 * extreme with the least first objective) and `d_l` the distance from the last point to the
 * lexicographically largest point of the true front (the other extreme). This is the jMetal
 * convention for picking the extremes, without jMetal's normalisation.
 *
 * Edge cases: an empty set gives `Infinity`; one point gives `(d_f + d_l)/(d_f + d_l)` = 1 (or 0
 * when that point coincides with both extremes); 0/0 is reported as 0.
 *
 * @throws RangeError when the points are not two-dimensional, on a dimension mismatch with the
 *   front, an empty front, or a non-finite coordinate (naming the point).
 */
export function debSpread(points: PointsLike, front: PointsLike): number {
  const { p, f } = checkSetAndFront(points, front, "debSpread");
  if (f.m !== 2) throw new RangeError(`debSpread: needs 2 objectives, got ${f.m}; use generalizedSpread`);
  if (p.n === 0) return Infinity;
  const n = p.n, d = p.data;
  const ord = Array.from({ length: n }, (_, i) => i);
  ord.sort((a, b) => d[2 * a] - d[2 * b] || d[2 * a + 1] - d[2 * b + 1]);
  const ef = lexExtreme(f, 1), el = lexExtreme(f, -1);
  const df = dist(d, ord[0], f.data, ef, 2);
  const dl = dist(d, ord[n - 1], f.data, el, 2);
  const gaps = new Float64Array(Math.max(0, n - 1));
  let mean = 0;
  for (let i = 0; i + 1 < n; i++) {
    gaps[i] = dist(d, ord[i], d, ord[i + 1], 2);
    mean += gaps[i];
  }
  if (n > 1) mean /= n - 1;
  let dev = 0;
  for (let i = 0; i < gaps.length; i++) dev += Math.abs(gaps[i] - mean);
  const num = df + dl + dev, den = df + dl + (n - 1) * mean;
  return den === 0 ? (num === 0 ? 0 : Infinity) : num / den;
}

/**
 * PlatEMO's generalised Spread (`PlatEMO/Metrics/Spread.m`, after Wang, Wu & Yuan 2010, "Multi-objective
 * self-adaptive differential evolution with elitist archive and crowding entropy-based diversity
 * measure", Soft Computing 14(3)), for any number of objectives m:
 *
 * `Δ = (Σ_{j=1}^{m} d(e_j, A) + Σ_{a ∈ A} |d_a − d̄|) / (Σ_{j=1}^{m} d(e_j, A) + (N − m) d̄)`
 *
 * where `e_j` is the true-front point with the largest j-th objective (the first one on ties; for a
 * minimised front these are its extreme points), `d(e_j, A)` its Euclidean distance to the nearest
 * approximation point, `d_a` the distance from `a` to its nearest *other* approximation point and
 * `d̄` the mean of the `d_a` over the N points. Note the `(N − m)` in the denominator, exactly as in
 * PlatEMO (it can make the value negative or infinite when N ≤ m).
 *
 * Edge cases: an empty set, or a single point (no neighbour distance), gives `Infinity`; 0/0 is 0.
 *
 * @throws RangeError on a dimension mismatch, an empty front, or a non-finite coordinate.
 */
export function generalizedSpread(points: PointsLike, front: PointsLike): number {
  const { p, f } = checkSetAndFront(points, front, "generalizedSpread");
  if (p.n < 2) return Infinity;
  const n = p.n, m = p.m, d = p.data;
  let d1 = 0;
  for (let j = 0; j < m; j++) {
    let e = 0;
    for (let k = 1; k < f.n; k++) if (f.data[k * m + j] > f.data[e * m + j]) e = k;
    let best = Infinity;
    for (let i = 0; i < n; i++) best = Math.min(best, dist(f.data, e, d, i, m));
    d1 += best;
  }
  const nn = new Float64Array(n).fill(Infinity);
  for (let i = 0; i < n; i++) {
    for (let k = i + 1; k < n; k++) {
      const v = dist(d, i, d, k, m);
      if (v < nn[i]) nn[i] = v;
      if (v < nn[k]) nn[k] = v;
    }
  }
  let mean = 0;
  for (let i = 0; i < n; i++) mean += nn[i];
  mean /= n;
  let dev = 0;
  for (let i = 0; i < n; i++) dev += Math.abs(nn[i] - mean);
  const num = d1 + dev, den = d1 + (n - m) * mean;
  return den === 0 ? (num === 0 ? 0 : Infinity) : num / den;
}

/**
 * Spread Δ: {@link debSpread} (Deb et al. 2002, eq. 1) for two objectives and PlatEMO's
 * {@link generalizedSpread} for three or more. See those functions for the exact formulas.
 *
 * @throws RangeError for one objective, and as the two functions above.
 */
export function spread(points: PointsLike, front: PointsLike): number {
  const { f } = checkSetAndFront(points, front, "spread");
  if (f.m < 2) throw new RangeError(`spread: needs at least 2 objectives, got ${f.m}`);
  return f.m === 2 ? debSpread(points, front) : generalizedSpread(points, front);
}
