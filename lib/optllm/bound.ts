/**
 * Beyond the paper: an upper bound on the best achievable (predicted) accuracy at every cost — the LP
 * relaxation of the assignment problem, solved exactly by a greedy.
 *
 * Relax x_{i,k} ∈ {0, 1} to x_{i,k} ≥ 0 with Σ_k x_{i,k} = 1 and maximise Σ_{i,k} x_{i,k} p_{i,k} subject to
 * Σ_{i,k} x_{i,k} c_{i,k} ≤ B. For one query, the attainable (cost, accuracy) pairs form the convex hull of
 * its m points, whose useful part is the *upper concave envelope* from the cheapest point (ties: the most
 * accurate) to the most accurate one (ties: the cheapest). The LP optimum at budget B starts from every
 * query on its cheapest point and buys hull segments across all queries in decreasing order of slope
 * (accuracy per dollar) until the budget is spent, the last one fractionally — the fractional-knapsack
 * argument, since the segments of one query are bought in their own order automatically (their slopes
 * decrease). The result is a concave, piecewise-linear curve U(B); every integer assignment with cost C
 * has accuracy ≤ U(C), so U(C) − f_acc(s) bounds how far a solution s is from optimal (its *optimality gap*).
 * At the curve's breakpoints the greedy solution is integral, so there the bound is attained.
 *
 * On 0/1 outcomes each query's envelope is one segment (cheapest LLM → cheapest correct LLM) and U's
 * breakpoints are exactly the true front of `truefront.ts` (tested).
 *
 * @module
 */
import { type Points, points } from "../core/points.ts";
import type { Allocation } from "./problem.ts";

/** The LP bound: breakpoints of U as (cost, mean accuracy) rows, by increasing cost. */
export interface LpBound {
  /** The breakpoints (cost, mean accuracy), by increasing cost. */
  readonly curve: Points;
}

/** Computes the LP-relaxation bound U of an instance (O(n m log m + S log S) for S hull segments). */
export function lpBound(inst: Allocation): LpBound {
  const { n, m, cost, acc } = inst;
  const segC: number[] = [], segA: number[] = [];
  let c0 = 0, a0 = 0;
  const idx = Array.from({ length: m }, (_, k) => k);
  const hull: number[] = [];
  for (let i = 0; i < n; i++) {
    const o = i * m;
    idx.sort((x, y) => cost[o + x] - cost[o + y] || acc[o + y] - acc[o + x] || x - y);
    // upper concave envelope from the cheapest point rightwards, keeping only rising parts
    hull.length = 0;
    for (const k of idx) {
      if (hull.length > 0) {
        const last = hull[hull.length - 1];
        if (cost[o + k] === cost[o + last] || acc[o + k] <= acc[o + last]) continue;
      }
      while (hull.length >= 2) {
        const p = hull[hull.length - 2], q = hull[hull.length - 1];
        // drop q when it lies on or below the chord p→k
        const cross = (cost[o + q] - cost[o + p]) * (acc[o + k] - acc[o + p]) -
          (acc[o + q] - acc[o + p]) * (cost[o + k] - cost[o + p]);
        if (cross >= 0) hull.pop();
        else break;
      }
      hull.push(k);
    }
    c0 += cost[o + hull[0]];
    a0 += acc[o + hull[0]];
    for (let h = 1; h < hull.length; h++) {
      segC.push(cost[o + hull[h]] - cost[o + hull[h - 1]]);
      segA.push(acc[o + hull[h]] - acc[o + hull[h - 1]]);
    }
  }
  const order = segC.map((_, j) => j).sort((x, y) => segA[y] / segC[y] - segA[x] / segC[x] || x - y);
  const data = new Float64Array(2 * (order.length + 1));
  data[0] = c0, data[1] = a0 / n;
  let c = c0, a = a0;
  order.forEach((j, r) => {
    c += segC[j];
    a += segA[j];
    data[2 * r + 2] = c;
    data[2 * r + 3] = a / n;
  });
  return { curve: points(data, 2) };
}

/** U(C): the bound at cost C (linear between breakpoints; −∞ below the cheapest cost, flat above the dearest). */
export function boundAt(bound: LpBound, C: number): number {
  const d = bound.curve.data, N = bound.curve.n;
  if (C < d[0]) return -Infinity;
  if (C >= d[2 * N - 2]) return d[2 * N - 1];
  let lo = 0, hi = N - 1; // d[2lo] ≤ C < d[2hi]
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (d[2 * mid] <= C) lo = mid;
    else hi = mid;
  }
  const t = (C - d[2 * lo]) / (d[2 * hi] - d[2 * lo]);
  return d[2 * lo + 1] + t * (d[2 * hi + 1] - d[2 * lo + 1]);
}

/** The optimality gap U(f_cost) − f_acc of each (cost, accuracy) solution (≥ 0 up to rounding). */
export function optimalityGaps(bound: LpBound, sols: Points): Float64Array {
  const out = new Float64Array(sols.n);
  for (let i = 0; i < sols.n; i++) out[i] = boundAt(bound, sols.data[2 * i]) - sols.data[2 * i + 1];
  return out;
}
