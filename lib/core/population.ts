/**
 * A population in flat typed arrays, and batch evaluation with input checks.
 */
import type { Problem } from "./problem.ts";
import type { Points } from "./points.ts";
import { float64 } from "./slab.ts";

/** `size` solutions: decisions X (size×nVar), objectives F (size×nObj), constraints G (size×nConstr),
 * and constraint violation CV = Σ max(0, g_j) (0 when feasible). All row-major. */
export interface Population {
  /** Number of solutions. */
  readonly size: number;
  /** Number of decision variables. */
  readonly nVar: number;
  /** Number of objectives. */
  readonly nObj: number;
  /** Number of inequality constraints (g ≤ 0). */
  readonly nConstr: number;
  /** Decisions, row-major (size × nVar). */
  readonly X: Float64Array;
  /** Objective values, row-major (size × nObj). */
  readonly F: Float64Array;
  /** Constraint values g ≤ 0, row-major (size × nConstr). */
  readonly G: Float64Array;
  /** Constraint violation of each solution, Σ_j max(0, g_j); 0 when feasible. */
  readonly CV: Float64Array;
}

/** The objectives of a population as {@link Points}. */
export function objectives(pop: Population): Points {
  return { data: pop.F, n: pop.size, m: pop.nObj };
}

/** The decisions of a population as {@link Points}. */
export function decisions(pop: Population): Points {
  return { data: pop.X, n: pop.size, m: pop.nVar };
}

/** Constraint violation of each of the `size` rows of G: Σ_j max(0, g_j) (all 0 when nConstr = 0). */
export function constraintViolation(G: ArrayLike<number>, nConstr: number, size: number): Float64Array {
  const cv = float64(size);
  for (let i = 0; i < size; i++) {
    let s = 0;
    for (let j = 0; j < nConstr; j++) {
      const g = G[i * nConstr + j];
      if (g > 0) s += g;
    }
    cv[i] = s;
  }
  return cv;
}

/**
 * Checks that `F` holds `size` rows of `nObj` finite numbers (and G likewise), throwing an error that
 * names the offending solution (its index and, when X is given, its decision vector).
 */
export function checkEvaluations(
  where: string,
  size: number,
  nObj: number,
  F: ArrayLike<number>,
  nConstr = 0,
  G?: ArrayLike<number>,
  X?: Float64Array,
  nVar = 0,
): void {
  if (F.length !== size * nObj) {
    throw new RangeError(
      `${where}: expected objectives for ${size} solutions × ${nObj} objectives = ${
        size * nObj
      } values, got ${F.length}`,
    );
  }
  if (nConstr > 0 && (!G || G.length !== size * nConstr)) {
    throw new RangeError(
      `${where}: expected ${size} × ${nConstr} = ${size * nConstr} constraint values, got ${
        G ? G.length : "none"
      }`,
    );
  }
  for (let k = 0; k < F.length; k++) {
    if (!Number.isFinite(F[k])) {
      const i = Math.floor(k / nObj);
      throw new RangeError(
        `${where}: objective ${k % nObj} of ${solutionName(i, X, nVar)} is ${
          F[k]
        }; objectives must be finite`,
      );
    }
  }
  if (G) {
    for (let k = 0; k < size * nConstr; k++) {
      if (Number.isNaN(G[k])) {
        const i = Math.floor(k / nConstr);
        throw new RangeError(`${where}: constraint ${k % nConstr} of ${solutionName(i, X, nVar)} is NaN`);
      }
    }
  }
}

/** "solution i", with its decision vector when X is given (for error messages). */
function solutionName(i: number, X: Float64Array | undefined, nVar: number): string {
  return X && nVar > 0
    ? `solution ${i} (x = [${Array.from(X.subarray(i * nVar, (i + 1) * nVar), fmt).join(", ")}])`
    : `solution ${i}`;
}

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toPrecision(6);
}

/**
 * The constraint values of a population without constraints: one shared empty array (it has nothing
 * to write, and making a new one per evaluated solution cost about 1 µs).
 */
export const NO_VALUES: Float64Array = new Float64Array(0);

/** Evaluates every row of X (row-major, nVar columns) with `problem`, checking the results. */
export function evaluatePopulation(problem: Problem, X: Float64Array): Population {
  const { F, G } = evaluateRows(problem, X);
  const { nVar, nObj, nConstr } = problem, size = X.length / nVar;
  return { size, nVar, nObj, nConstr, X, F, G, CV: constraintViolation(G, nConstr, size) };
}

/**
 * The objectives F and constraint values G of every row of X, checked as {@link evaluatePopulation}
 * checks them, without the population around them (what an ask/tell loop passes to `tell`).
 */
export function evaluateRows(problem: Problem, X: Float64Array): { F: Float64Array; G: Float64Array } {
  const { nVar, nObj, nConstr } = problem;
  if (X.length % nVar !== 0) {
    throw new RangeError(
      `${problem.name}: decision array length ${X.length} is not a multiple of nVar ${nVar}`,
    );
  }
  const size = X.length / nVar;
  const F = float64(size * nObj);
  const G = nConstr > 0 ? float64(size * nConstr) : NO_VALUES;
  if (size === 1) problem.evaluate(X, F, G); // the one row as it is: no views to make
  else {
    for (let i = 0; i < size; i++) {
      problem.evaluate(
        X.subarray(i * nVar, (i + 1) * nVar),
        F.subarray(i * nObj, (i + 1) * nObj),
        G.subarray(i * nConstr, (i + 1) * nConstr),
      );
    }
  }
  checkEvaluations(problem.name, size, nObj, F, nConstr, G, X, nVar);
  return { F, G };
}

/** Population `a` followed by population `b`. */
export function concat(a: Population, b: Population): Population {
  const cat = (x: Float64Array, y: Float64Array) => {
    const z = new Float64Array(x.length + y.length);
    z.set(x);
    z.set(y, x.length);
    return z;
  };
  return {
    size: a.size + b.size,
    nVar: a.nVar,
    nObj: a.nObj,
    nConstr: a.nConstr,
    X: cat(a.X, b.X),
    F: cat(a.F, b.F),
    G: cat(a.G, b.G),
    CV: cat(a.CV, b.CV),
  };
}

/** The members `idx` of a population, in that order. */
export function select(p: Population, idx: ArrayLike<number>): Population {
  const pick = (x: Float64Array, w: number) => {
    const z = new Float64Array(idx.length * w);
    for (let k = 0; k < idx.length; k++) z.set(x.subarray(idx[k] * w, (idx[k] + 1) * w), k * w);
    return z;
  };
  return {
    size: idx.length,
    nVar: p.nVar,
    nObj: p.nObj,
    nConstr: p.nConstr,
    X: pick(p.X, p.nVar),
    F: pick(p.F, p.nObj),
    G: pick(p.G, p.nConstr),
    CV: pick(p.CV, 1),
  };
}

/** A population from decisions, objectives and constraint values (CV derived from G). */
export function makePopulation(
  nVar: number,
  nObj: number,
  nConstr: number,
  X: Float64Array,
  F: Float64Array,
  G: Float64Array = NO_VALUES,
): Population {
  const size = X.length / nVar;
  return { size, nVar, nObj, nConstr, X, F, G, CV: constraintViolation(G, nConstr, size) };
}
