/**
 * The query-assignment problem (Section III-B of the OptLLM paper): assign each of n queries to one of
 * m LLMs; minimise the total cost f_cost = Σ_i cost_{i,a_i} (Eq. 2) and maximise the accuracy
 * f_acc = (1/n) Σ_i acc_{i,a_i} (Eq. 3). During the search acc is the predicted (robust) accuracy
 * p_{i,k} (Eqs. 10–11); a solution is then scored on the true outcomes.
 *
 * @module
 */
import { defineProblem, type Problem } from "../core/problem.ts";
import type { AllocationData } from "./datasets.ts";

/** An assignment instance: row-major n × m cost and accuracy tables. */
export interface Allocation {
  /** n: queries. */
  readonly n: number;
  /** m: LLMs. */
  readonly m: number;
  /** cost_{i,k} in USD, row-major n × m. */
  readonly cost: Float64Array;
  /** acc_{i,k}: predicted success probability (or the 0/1 truth). */
  readonly acc: Float64Array;
}

/** Checks shapes and finiteness; returns the instance. */
export function allocation(n: number, m: number, cost: Float64Array, acc: ArrayLike<number>): Allocation {
  if (!Number.isInteger(n) || n < 1 || !Number.isInteger(m) || m < 1) {
    throw new RangeError(`allocation: n and m must be positive integers, got ${n}, ${m}`);
  }
  if (cost.length !== n * m) {
    throw new RangeError(`allocation: cost has ${cost.length} entries, expected ${n}×${m}`);
  }
  if (acc.length !== n * m) {
    throw new RangeError(`allocation: acc has ${acc.length} entries, expected ${n}×${m}`);
  }
  const a = acc instanceof Float64Array ? acc : Float64Array.from(acc);
  for (let i = 0; i < n * m; i++) {
    if (!Number.isFinite(cost[i]) || !Number.isFinite(a[i])) {
      throw new RangeError(
        `allocation: query ${Math.floor(i / m)}, LLM ${i % m}: cost ${cost[i]}, accuracy ${
          a[i]
        } (must be finite)`,
      );
    }
  }
  return { n, m, cost, acc: a };
}

/** The instance of the given rows of a dataset, with accuracies `acc` (row-major rows.length × m). */
export function allocationOf(
  data: AllocationData,
  rows: ArrayLike<number>,
  acc: ArrayLike<number>,
): Allocation {
  const m = data.m, n = rows.length;
  const cost = new Float64Array(n * m);
  for (let r = 0; r < n; r++) cost.set(data.cost.subarray(rows[r] * m, (rows[r] + 1) * m), r * m);
  return allocation(n, m, cost, acc);
}

/** The true 0/1 outcomes of the given rows, row-major rows.length × m. */
export function truthOf(data: AllocationData, rows: ArrayLike<number>): Float64Array {
  const m = data.m, out = new Float64Array(rows.length * m);
  for (let r = 0; r < rows.length; r++) {
    for (let k = 0; k < m; k++) out[r * m + k] = data.correct[rows[r] * m + k];
  }
  return out;
}

/** f_cost and f_acc of an assignment (Eqs. 2–3, or 10–11 with predicted accuracies). */
export function evaluateAssignment(
  inst: Allocation,
  assign: ArrayLike<number>,
): { cost: number; acc: number } {
  const { n, m, cost, acc } = inst;
  if (assign.length !== n) {
    throw new RangeError(`evaluateAssignment: ${assign.length} entries, expected ${n}`);
  }
  let c = 0, a = 0;
  for (let i = 0; i < n; i++) {
    const k = assign[i];
    if (!(k >= 0 && k < m && Number.isInteger(k))) {
      throw new RangeError(`evaluateAssignment: query ${i} is assigned to ${k}, not an LLM in 0..${m - 1}`);
    }
    c += cost[i * m + k];
    a += acc[i * m + k];
  }
  return { cost: c, acc: a / n };
}

/**
 * The instance as a moolab integer {@link Problem} for the evolutionary baselines: n variables in
 * {0, …, m−1}, objectives (f_cost, −f_acc), both minimised. Decision values are rounded (the
 * operators already produce integers for integer variables).
 */
export function assignmentProblem(inst: Allocation, name = "assignment"): Problem {
  const { n, m, cost, acc } = inst;
  return defineProblem({
    name,
    lower: 0,
    upper: m - 1,
    nVar: n,
    nObj: 2,
    integer: true,
    objectives(x) {
      let c = 0, a = 0;
      for (let i = 0; i < n; i++) {
        let k = Math.round(x[i]);
        if (k < 0) k = 0;
        else if (k >= m) k = m - 1;
        c += cost[i * m + k];
        a += acc[i * m + k];
      }
      return [c, -a / n];
    },
  });
}
