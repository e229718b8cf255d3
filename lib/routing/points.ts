/**
 * What every routing method produces: operating points on a set of queries — total cost (USD), accuracy
 * (share of queries answered correctly, on the true outcomes) and the share of queries on which the
 * strongest LLM was called (RouteLLM's "calls to the strong model").
 *
 * @module
 */
import type { AllocationData } from "../optllm/datasets.ts";

/** One operating point of a routing method. */
export interface RoutePoint {
  /** Total cost of the queries, in USD. */
  readonly cost: number;
  /** Accuracy (share of queries answered correctly). */
  readonly acc: number;
  /** Share of the queries on which the strong model was called (0…1). */
  readonly strongShare: number;
}

/**
 * The point of a one-call routing: query `rows[r]` goes to LLM `assign[r]`; scored on the true outcomes.
 */
export function routePoint(
  data: AllocationData,
  rows: ArrayLike<number>,
  assign: ArrayLike<number>,
  strong: number,
): RoutePoint {
  if (assign.length !== rows.length) {
    throw new RangeError(`routePoint: ${assign.length} assignments for ${rows.length} queries`);
  }
  const m = data.m;
  let cost = 0, ok = 0, calls = 0;
  for (let r = 0; r < rows.length; r++) {
    const k = assign[r], i = rows[r];
    if (!(k >= 0 && k < m)) throw new RangeError(`routePoint: query ${r} assigned to LLM ${k} of ${m}`);
    cost += data.cost[i * m + k];
    ok += data.correct[i * m + k];
    if (k === strong) calls++;
  }
  return { cost, acc: ok / rows.length, strongShare: calls / rows.length };
}

/** Each LLM alone on the rows. */
export function singlePoints(data: AllocationData, rows: ArrayLike<number>, strong: number): RoutePoint[] {
  return data.models.map((_, k) => routePoint(data, rows, new Int32Array(rows.length).fill(k), strong));
}

/** The index of the most accurate LLM on the rows (ties: the cheaper). */
export function strongestModel(data: AllocationData, rows: ArrayLike<number>): number {
  const s = singlePoints(data, rows, -1);
  let best = 0;
  for (let k = 1; k < s.length; k++) {
    if (s[k].acc > s[best].acc || (s[k].acc === s[best].acc && s[k].cost < s[best].cost)) best = k;
  }
  return best;
}

/** The non-dominated points (least cost, most accuracy), sorted by cost; duplicates dropped. */
export function paretoPoints(points: readonly RoutePoint[]): RoutePoint[] {
  const order = [...points].sort((a, b) => a.cost - b.cost || b.acc - a.acc);
  const out: RoutePoint[] = [];
  let best = -Infinity;
  for (const p of order) {
    if (p.acc > best) {
      out.push(p);
      best = p.acc;
    }
  }
  return out;
}
