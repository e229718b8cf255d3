/**
 * Objective normalisation and PlatEMO's hypervolume convention.
 *
 * @module
 */

import { asPoints, assertFinite, type Points, type PointsLike } from "../core/points.ts";
import { checkSetAndFront } from "./_check.ts";
import { hypervolume } from "./hypervolume.ts";

/**
 * Affine normalisation `(p_j − lower_j) / (upper_j − lower_j)` of every point, per objective.
 *
 * @returns a new {@link Points} (an empty set stays empty).
 * @throws RangeError when `lower`/`upper` do not match the points' dimension, are not finite, when
 *   `upper_j ≤ lower_j` for some `j`, or when a point is not finite (the error names the point).
 */
export function normalize(points: PointsLike, lower: ArrayLike<number>, upper: ArrayLike<number>): Points {
  const p = asPoints(points, "normalize: points");
  if (p.n === 0) return p;
  assertFinite(p, "normalize: points");
  if (lower.length !== p.m || upper.length !== p.m) {
    throw new RangeError(
      `normalize: points have ${p.m} objectives but lower/upper have ${lower.length}/${upper.length}`,
    );
  }
  const lo = Float64Array.from(lower), span = new Float64Array(p.m);
  for (let j = 0; j < p.m; j++) {
    span[j] = upper[j] - lo[j];
    if (!Number.isFinite(lo[j]) || !Number.isFinite(upper[j]) || !(span[j] > 0)) {
      throw new RangeError(
        `normalize: objective ${j} has bounds [${lo[j]}, ${upper[j]}]; need finite lower < upper`,
      );
    }
  }
  const out = new Float64Array(p.data.length);
  for (let k = 0; k < out.length; k++) {
    const j = k % p.m;
    out[k] = (p.data[k] - lo[j]) / span[j];
  }
  return { data: out, n: p.n, m: p.m };
}

/** Result of {@link platemoNormalize}. */
export interface PlatemoNormalized {
  /** The normalised points, all of them (points outside the unit box are not yet dropped). */
  points: Points;
  /** `fmin_j = min(0, min_i p_ij)`. */
  fmin: Float64Array;
  /** `fmax_j = max_k front_kj`. */
  fmax: Float64Array;
}

/**
 * PlatEMO's normalisation for its HV metric (`PlatEMO/Metrics/HV.m`, PlatEMO 4.x):
 * `fmin_j = min(0, min_i p_ij)` (the smallest objective value of the *approximation set*, but never
 * above 0), `fmax_j = max_k front_kj` (the largest value of the *true front*), and
 * `p'_ij = (p_ij − fmin_j) / ((fmax_j − fmin_j) · 1.1)`.
 *
 * @throws RangeError on a dimension mismatch, an empty front, non-finite values, or when
 *   `fmax_j ≤ fmin_j` for some objective (PlatEMO would divide by zero there).
 */
export function platemoNormalize(points: PointsLike, front: PointsLike): PlatemoNormalized {
  const { p, f } = checkSetAndFront(points, front, "platemoNormalize");
  const m = f.m;
  const fmin = new Float64Array(m), fmax = new Float64Array(m).fill(-Infinity);
  for (let k = 0; k < f.data.length; k++) {
    const j = k % m;
    if (f.data[k] > fmax[j]) fmax[j] = f.data[k];
  }
  for (let k = 0; k < p.data.length; k++) {
    const j = k % m;
    if (p.data[k] < fmin[j]) fmin[j] = p.data[k];
  }
  for (let j = 0; j < m; j++) {
    if (!(fmax[j] > fmin[j])) {
      throw new RangeError(
        `platemoNormalize: objective ${j} has fmax = ${fmax[j]} ≤ fmin = ${fmin[j]}; cannot normalise`,
      );
    }
  }
  const out = new Float64Array(p.data.length);
  for (let k = 0; k < out.length; k++) {
    const j = k % m;
    out[k] = (p.data[k] - fmin[j]) / ((fmax[j] - fmin[j]) * 1.1);
  }
  return { points: { data: out, n: p.n, m: p.n === 0 ? m : p.m }, fmin, fmax };
}

/**
 * Hypervolume as PlatEMO reports it (`PlatEMO/Metrics/HV.m`; Zitzler & Thiele 1999), a value in
 * [0, 1] to be maximised:
 *
 * 1. normalise with {@link platemoNormalize}: `p'_ij = (p_ij − fmin_j) / ((fmax_j − fmin_j) · 1.1)`,
 *    `fmin_j = min(0, min_i p_ij)`, `fmax_j = max_k front_kj`;
 * 2. drop every point with some `p'_ij > 1`;
 * 3. return the exact hypervolume of the rest with respect to the reference point `(1, …, 1)`.
 *
 * Differences from PlatEMO: PlatEMO estimates the value by Monte Carlo sampling (10^6 samples) when
 * m ≥ 4; here it is always exact. PlatEMO returns NaN on a dimension mismatch; here that is a
 * RangeError. An empty approximation set gives 0, as in PlatEMO.
 *
 * @throws RangeError as {@link platemoNormalize}.
 */
export function platemoHV(points: PointsLike, front: PointsLike): number {
  const { points: q } = platemoNormalize(points, front);
  if (q.n === 0) return 0;
  // Points with a coordinate equal to 1 are kept by PlatEMO but add no volume; `hypervolume` ignores
  // every point that does not strictly dominate the reference, which covers both cases.
  return hypervolume(q, new Float64Array(q.m).fill(1));
}
