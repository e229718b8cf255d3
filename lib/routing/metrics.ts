/**
 * The routing benchmark's measures, on (cost, accuracy) operating points of the test queries:
 *
 * - **HV**: the area dominated by a method's points in the normalised square — cost c' = (c − c_min) /
 *   (c_max − c_min) and accuracy a' = (a − a_min)/(a_max − a_min), where c_min, c_max, a_min, a_max are
 *   the cheapest and dearest single LLM's cost and the least and most accurate single LLM's accuracy;
 *   reference point (c' = 1, a' = 0). Above the best single LLM a' exceeds 1, so a method that beats every
 *   LLM can score above the single models' own HV. A continuous front (the LP bound) is integrated.
 * - **cost to reach the strongest LLM's accuracy** (FrugalGPT's and OptLLM's Table II measure): the least
 *   cost of a point at least as accurate as the most accurate single LLM, as a share of that LLM's cost
 *   (∞ when no point reaches it).
 * - **accuracy at a share of strong calls** (RouteLLM's measure): the best accuracy of a point that calls
 *   the strongest LLM on at most that share of the queries.
 * - **gap to the LP bound**: HV(LP bound of the true outcomes) − HV(method): the area between the best
 *   fractional assignment with known outcomes and the method's front.
 *
 * @module
 */
import type { RoutePoint } from "./points.ts";

/** The normalisation of {@link hvNormalised}: cost and accuracy ranges of the single LLMs. */
export interface Normaliser {
  /** The cheapest single LLM's cost. */
  readonly cMin: number;
  /** The dearest single LLM's cost. */
  readonly cMax: number;
  /** The least accurate single LLM's accuracy. */
  readonly aMin: number;
  /** The most accurate single LLM's accuracy. */
  readonly aMax: number;
}

/** The single LLMs' extremes (needs two LLMs that differ in cost and in accuracy). */
export function normaliser(singles: readonly RoutePoint[]): Normaliser {
  const c = singles.map((s) => s.cost), a = singles.map((s) => s.acc);
  const N = { cMin: Math.min(...c), cMax: Math.max(...c), aMin: Math.min(...a), aMax: Math.max(...a) };
  if (!(N.cMax > N.cMin && N.aMax > N.aMin)) {
    throw new RangeError(
      `normaliser: the single LLMs must differ in cost and accuracy, got ${JSON.stringify(N)}`,
    );
  }
  return N;
}

function norm(p: { cost: number; acc: number }, N: Normaliser): [number, number] {
  return [(p.cost - N.cMin) / (N.cMax - N.cMin), (p.acc - N.aMin) / (N.aMax - N.aMin)];
}

/**
 * HV of discrete points: Σ over the non-dominated points sorted by cost of (next cost − cost) × accuracy,
 * costs clipped to [0, 1], accuracies below 0 counting 0.
 */
export function hvNormalised(points: readonly { cost: number; acc: number }[], N: Normaliser): number {
  const q = points.map((p) => norm(p, N)).filter(([c]) => c < 1).sort((x, y) => x[0] - y[0] || y[1] - x[1]);
  let hv = 0, best = 0, prevC = 0;
  for (const [c0, a] of q) {
    const c = Math.max(0, c0);
    if (a <= best) continue;
    hv += (c - prevC) * best;
    prevC = Math.max(prevC, c);
    best = a;
  }
  return hv + (1 - prevC) * best;
}

/**
 * HV of a continuous, non-decreasing piecewise-linear front given by its vertices sorted by cost (the LP
 * bound): the integral of its accuracy over the normalised cost range, flat after its last vertex.
 */
export function hvCurve(vertices: readonly { cost: number; acc: number }[], N: Normaliser): number {
  const v = vertices.map((p) => norm(p, N));
  for (let i = 1; i < v.length; i++) {
    if (!(v[i][0] >= v[i - 1][0])) throw new RangeError("hvCurve: vertices must be sorted by cost");
  }
  const at = (c: number): number => {
    if (c <= v[0][0]) return c < v[0][0] ? 0 : v[0][1];
    for (let i = 1; i < v.length; i++) {
      if (c <= v[i][0]) {
        const t = v[i][0] > v[i - 1][0] ? (c - v[i - 1][0]) / (v[i][0] - v[i - 1][0]) : 1;
        return v[i - 1][1] + t * (v[i][1] - v[i - 1][1]);
      }
    }
    return v[v.length - 1][1];
  };
  // exact trapezoids between the breakpoints inside [0, 1]
  const xs = [0, 1, ...v.map(([c]) => c).filter((c) => c > 0 && c < 1)].sort((a, b) => a - b);
  let hv = 0;
  for (let i = 1; i < xs.length; i++) {
    const a0 = Math.max(0, at(xs[i - 1])), a1 = Math.max(0, at(xs[i]));
    hv += ((xs[i] - xs[i - 1]) * (a0 + a1)) / 2;
  }
  return hv;
}

/** Least cost of a point with accuracy ≥ target, as a share of `refCost` (∞ when none reaches it). */
export function costToReach(points: readonly RoutePoint[], target: number, refCost: number): number {
  let best = Infinity;
  for (const p of points) if (p.acc >= target - 1e-12 && p.cost < best) best = p.cost;
  return best / refCost;
}

/** Best accuracy of a point that calls the strong LLM on at most `share` of the queries (NaN when none). */
export function accuracyAtShare(points: readonly RoutePoint[], share: number): number {
  let best = NaN;
  for (const p of points) if (p.strongShare <= share + 1e-12 && !(p.acc <= best)) best = p.acc;
  return best;
}
