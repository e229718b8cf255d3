/**
 * The true Pareto front of an allocation instance from its real 0/1 outcomes (Section V-D2 of the OptLLM
 * paper, "True Pareto Front Generation"), and the indicators the paper scores solution sets with.
 *
 * With 0/1 outcomes, a query either stays on its cheapest LLM (correct or not) or moves to its cheapest
 * *correct* LLM at a marginal cost δ_i; any other move is dominated. Every move adds exactly 1/n to the
 * accuracy, so taking the moves in ascending order of δ_i gives, after j moves, the least cost of any
 * assignment with j more correct queries: the front is exact (an exchange argument; tested against
 * brute force in tests/optllm_truefront_test.ts). The paper's prose says the same ("the job with the
 * smallest cost is reallocated"); the authors' code `get_true_pf.py` differs in two details, available
 * as `variant: "authors"`: it orders by the *absolute* cost of the cheapest correct LLM rather than the
 * marginal one, and it never moves a query whose only correct LLM is the dearest. Both start from the
 * cheapest assignment.
 *
 * Indicators, on raw (cost in USD, accuracy) as the paper computes them:
 * - IGD: the mean over the true front of the distance to the nearest solution — `lib/indicators`' `igd`,
 *   which is what the authors' code computes (pymoo's `IGD`). The paper's printed formula,
 *   (1/|Λ|)·sqrt(Σ d²), is a different quantity; {@link igdPaperFormula} gives it for comparison.
 * - Δ: Deb's spread — the paper's formula, with the solutions sorted by cost and d_f, d_l measured to the
 *   true front's extremes — is `lib/indicators`' `debSpread` on (cost, −accuracy). The authors'
 *   `calculate_delta_metric` differs (nearest-neighbour distances in the sum; extremes matched by list
 *   order); {@link deltaAuthorsCode} reproduces it on the cost-sorted set.
 *
 * @module
 */
import { type Points, points } from "../core/points.ts";
import { igd } from "../indicators/igd.ts";
import { debSpread } from "../indicators/spread.ts";
import type { Allocation } from "./problem.ts";

/** The true front: (cost, accuracy) points by increasing cost, and the order in which queries move. */
export interface TrueFront {
  /** (f_cost, f_acc) of each step, the cheapest assignment first; row-major, 2 columns. */
  readonly front: Points;
  /** The query moved at each step (front row j + 1 moves query moves[j]) and its new LLM. */
  readonly moves: Int32Array;
  /** The LLM each move assigns. */
  readonly targets: Int32Array;
}

/**
 * The true front of an instance whose `acc` table holds the real 0/1 outcomes (any value > 0.5 counts as
 * correct). `variant`: "exact" (default) or "authors" (see the module comment).
 */
export function trueFront(inst: Allocation, options: { variant?: "exact" | "authors" } = {}): TrueFront {
  const { n, m, cost, acc } = inst;
  const variant = options.variant ?? "exact";
  const start = new Int32Array(n);
  const key: number[] = [], who: number[] = [], target: number[] = [];
  let c0 = 0, a0 = 0;
  for (let i = 0; i < n; i++) {
    const o = i * m;
    // cheapest LLM, ties: a correct one, then the lower index
    let k0 = 0;
    for (let k = 1; k < m; k++) {
      if (
        cost[o + k] < cost[o + k0] ||
        (cost[o + k] === cost[o + k0] && acc[o + k] > 0.5 && !(acc[o + k0] > 0.5))
      ) {
        k0 = k;
      }
    }
    start[i] = k0;
    c0 += cost[o + k0];
    const ok0 = acc[o + k0] > 0.5;
    if (ok0) a0++;
    if (ok0) continue;
    let best = -1, dearest = 0;
    for (let k = 0; k < m; k++) {
      if (cost[o + k] > cost[o + dearest]) dearest = k;
      if (acc[o + k] > 0.5 && (best < 0 || cost[o + k] < cost[o + best])) best = k;
    }
    if (best < 0) continue;
    if (variant === "authors" && cost[o + best] >= cost[o + dearest]) continue;
    key.push(variant === "authors" ? cost[o + best] : cost[o + best] - cost[o + k0]);
    who.push(i);
    target.push(best);
  }
  const order = key.map((_, j) => j).sort((x, y) => key[x] - key[y] || who[x] - who[y]);
  const data = new Float64Array(2 * (order.length + 1));
  data[0] = c0, data[1] = a0 / n;
  let c = c0, a = a0;
  const moves = new Int32Array(order.length), targets = new Int32Array(order.length);
  order.forEach((j, r) => {
    const i = who[j];
    c += cost[i * m + target[j]] - cost[i * m + start[i]];
    a += 1;
    data[2 * (r + 1)] = c;
    data[2 * (r + 1) + 1] = a / n;
    moves[r] = i;
    targets[r] = target[j];
  });
  return { front: points(data, 2), moves, targets };
}

/** (cost, accuracy) rows → (cost, −accuracy) for the minimising indicators. */
function minimised(p: Points): Points {
  const d = new Float64Array(p.data.length);
  for (let i = 0; i < p.n; i++) d[2 * i] = p.data[2 * i], d[2 * i + 1] = -p.data[2 * i + 1];
  return points(d, 2);
}

/** IGD of (cost, accuracy) solutions against the true front, as the authors' code (pymoo) computes it. */
export function igdCostAcc(sols: Points, front: Points): number {
  return igd(minimised(sols), minimised(front));
}

/** The paper's printed IGD formula: (1/|Λ|) sqrt(Σ_{y ∈ Λ} min_ŷ d(ŷ, y)²). */
export function igdPaperFormula(sols: Points, front: Points): number {
  let s = 0;
  for (let j = 0; j < front.n; j++) {
    let best = Infinity;
    for (let i = 0; i < sols.n; i++) {
      const dx = sols.data[2 * i] - front.data[2 * j], dy = sols.data[2 * i + 1] - front.data[2 * j + 1];
      const d = dx * dx + dy * dy;
      if (d < best) best = d;
    }
    s += best;
  }
  return Math.sqrt(s) / front.n;
}

/** Δ of (cost, accuracy) solutions: Deb's spread (the paper's formula) on (cost, −accuracy). */
export function deltaCostAcc(sols: Points, front: Points): number {
  return debSpread(minimised(sols), minimised(front));
}

/**
 * Δ as the authors' `calculate_delta_metric` computes it, on the solutions sorted by cost: d_f, d_l =
 * distances from the front's first/last point to the set's first/last; d̄ = mean distance between
 * consecutive solutions; the sum runs over every solution's distance to its nearest other solution.
 */
export function deltaAuthorsCode(sols: Points, front: Points): number {
  const n = sols.n;
  if (n < 2) return NaN;
  const ord = Array.from({ length: n }, (_, i) => i).sort((x, y) => sols.data[2 * x] - sols.data[2 * y]);
  const P = ord.map((i) => [sols.data[2 * i], sols.data[2 * i + 1]]);
  const dist = (a: number[], b: number[]) => Math.hypot(a[0] - b[0], a[1] - b[1]);
  const F0 = [front.data[0], front.data[1]], FL = [front.data[2 * front.n - 2], front.data[2 * front.n - 1]];
  const df = dist(F0, P[0]), dl = dist(FL, P[n - 1]);
  let mean = 0;
  for (let i = 0; i + 1 < n; i++) mean += dist(P[i], P[i + 1]);
  mean /= n - 1;
  let dev = 0;
  for (let i = 0; i < n; i++) {
    let nn = Infinity;
    for (let j = 0; j < n; j++) if (j !== i) nn = Math.min(nn, dist(P[i], P[j]));
    dev += Math.abs(nn - mean);
  }
  return (df + dl + dev) / (df + dl + (n - 1) * mean);
}
