/**
 * Random mixing, the baseline every router must beat (RouteLLM's "random router"): between two single
 * LLMs a and b, send a random share f of the queries to b and the rest to a. Its expected points lie on
 * the straight line between the two LLMs' points; over all LLMs the useful lines join the vertices of the
 * upper-left convex hull of the single LLMs' (cost, accuracy) points.
 *
 * @module
 */
import { Rng } from "../core/rng.ts";
import type { AllocationData } from "../optllm/datasets.ts";
import { type RoutePoint, routePoint, singlePoints } from "./points.ts";

/**
 * The LLMs on the upper-left convex hull of the single LLMs' points on the rows (no LLM is dominated by a
 * mix of two others), sorted by cost.
 */
export function mixingHull(data: AllocationData, rows: ArrayLike<number>): number[] {
  const s = singlePoints(data, rows, -1);
  const order = s.map((_, k) => k).sort((x, y) => s[x].cost - s[y].cost || s[y].acc - s[x].acc);
  const hull: number[] = [];
  for (const k of order) {
    if (hull.length > 0 && s[k].acc <= s[hull[hull.length - 1]].acc) continue; // dominated
    while (hull.length >= 2) {
      const a = s[hull[hull.length - 2]], b = s[hull[hull.length - 1]], c = s[k];
      // drop b when it lies on or under the segment a → c
      const cross = (b.cost - a.cost) * (c.acc - a.acc) - (b.acc - a.acc) * (c.cost - a.cost);
      if (cross >= 0) hull.pop();
      else break;
    }
    hull.push(k);
  }
  return hull;
}

/**
 * Realised random mixes along the hull: for each pair of consecutive hull LLMs and f = 0, 1/steps, …, 1,
 * a seeded random share f of the queries goes to the dearer LLM. Scored on the true outcomes.
 */
export function randomMixing(
  data: AllocationData,
  rows: ArrayLike<number>,
  strong: number,
  options: { steps?: number; seed?: number } = {},
): RoutePoint[] {
  const steps = options.steps ?? 10;
  const rng = new Rng(options.seed ?? 1);
  const hull = mixingHull(data, rows);
  const n = rows.length;
  const out: RoutePoint[] = [routePoint(data, rows, new Int32Array(n).fill(hull[0]), strong)];
  for (let h = 1; h < hull.length; h++) {
    for (let j = 1; j <= steps; j++) {
      const perm = rng.permutation(n), take = Math.round((j * n) / steps);
      const assign = new Int32Array(n).fill(hull[h - 1]);
      for (let t = 0; t < take; t++) assign[perm[t]] = hull[h];
      out.push(routePoint(data, rows, assign, strong));
    }
  }
  return out;
}
