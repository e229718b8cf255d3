/**
 * Internal: input validation shared by the indicators.
 *
 * @module
 */

import { asPoints, assertFinite, type Points, type PointsLike } from "../core/points.ts";

/**
 * Validates an approximation set and a reference front for `fn`: the front must be non-empty, both
 * must be finite (the error names the offending point index) and, when the approximation set is
 * non-empty, both must have the same number of objectives. Returns the approximation set (possibly
 * with n = 0) and the front.
 */
export function checkSetAndFront(
  points: PointsLike,
  front: PointsLike,
  fn: string,
): { p: Points; f: Points } {
  const p = asPoints(points, `${fn}: points`);
  const f = asPoints(front, `${fn}: front`);
  if (f.n === 0) throw new RangeError(`${fn}: the reference front is empty`);
  assertFinite(f, `${fn}: front`);
  if (p.n === 0) return { p, f };
  if (p.m !== f.m) {
    throw new RangeError(`${fn}: points have ${p.m} objectives but the front has ${f.m}`);
  }
  assertFinite(p, `${fn}: points`);
  return { p, f };
}
