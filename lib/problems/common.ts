/**
 * Helpers shared by the benchmark problem modules (not re-exported from `mod.ts`).
 * @module
 */
import { type Problem, validateBounds } from "../core/problem.ts";
import type { Points } from "../core/points.ts";

/** PlatEMO's default number of points for a stored Pareto-front sample. */
export const DEFAULT_FRONT_SIZE = 10000;

/** Throws a RangeError unless `v` is an integer ≥ `min`. */
export function checkInt(problem: string, param: string, v: number, min: number): void {
  if (!Number.isInteger(v) || v < min) {
    throw new RangeError(`${problem}: ${param} must be an integer ≥ ${min}, got ${v}`);
  }
}

/** Bounds [lo, hi] for the first `head` variables and [restLo, restHi] for the others. */
export function boxBounds(
  nVar: number,
  head: number,
  lo: number,
  hi: number,
  restLo: number,
  restHi: number,
): { lower: Float64Array; upper: Float64Array } {
  const lower = new Float64Array(nVar).fill(restLo);
  const upper = new Float64Array(nVar).fill(restHi);
  for (let i = 0; i < head && i < nVar; i++) {
    lower[i] = lo;
    upper[i] = hi;
  }
  return { lower, upper };
}

/** Builds an unconstrained {@link Problem}, validating the bounds. */
export function makeProblem(
  name: string,
  nObj: number,
  lower: Float64Array,
  upper: Float64Array,
  evaluate: (x: Float64Array, f: Float64Array) => void,
  front: (n: number) => Points,
): Problem {
  const nVar = lower.length;
  validateBounds(name, nVar, lower, upper);
  return {
    name,
    nVar,
    nObj,
    nConstr: 0,
    lower,
    upper,
    evaluate: evaluate as Problem["evaluate"],
    paretoFront(n: number = DEFAULT_FRONT_SIZE): Points {
      checkInt(name, "paretoFront n", n, 1);
      return front(n);
    },
  };
}

/** MATLAB's `linspace(a, b, n)`: a + i·(b − a)/(n − 1), the last value exactly b (n = 1 gives [b]). */
export function linspace(a: number, b: number, n: number): Float64Array {
  const out = new Float64Array(n);
  const n1 = n - 1;
  for (let i = 0; i < n1; i++) out[i] = a + (i * (b - a)) / n1;
  if (n > 0) out[n1] = b;
  return out;
}

/** Two-objective front from f1 values and f2 = h(f1). */
export function curve2(f1: Float64Array, h: (t: number) => number): Points {
  const n = f1.length;
  const data = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    data[2 * i] = f1[i];
    data[2 * i + 1] = h(f1[i]);
  }
  return { data, n, m: 2 };
}

/**
 * The first non-dominated front of two-objective points sorted by strictly increasing f1 (PlatEMO's
 * `NDSort(R, 1) == 1` in that case): keeps the points whose f2 is below every earlier f2.
 */
export function nonDominated2Sorted(p: Points): Points {
  const keep: number[] = [];
  let best = Infinity;
  for (let i = 0; i < p.n; i++) {
    const v = p.data[2 * i + 1];
    if (v < best) {
      keep.push(i);
      best = v;
    }
  }
  const data = new Float64Array(2 * keep.length);
  for (let k = 0; k < keep.length; k++) {
    data[2 * k] = p.data[2 * keep[k]];
    data[2 * k + 1] = p.data[2 * keep[k] + 1];
  }
  return { data, n: keep.length, m: 2 };
}

/** Scales every row of `p` to Euclidean norm 1, in place. */
export function normaliseRows(p: Points): Points {
  const { data, n, m } = p;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < m; j++) s += data[i * m + j] ** 2;
    const r = Math.sqrt(s);
    for (let j = 0; j < m; j++) data[i * m + j] /= r;
  }
  return p;
}

/** Keeps the rows of `p` for which `keep(row, offset)` is true. */
export function filterRows(p: Points, keep: (data: Float64Array, offset: number) => boolean): Points {
  const { data, n, m } = p;
  const out = new Float64Array(n * m);
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (keep(data, i * m)) {
      for (let j = 0; j < m; j++) out[k * m + j] = data[i * m + j];
      k++;
    }
  }
  return { data: out.slice(0, k * m), n: k, m };
}
