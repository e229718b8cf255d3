/**
 * The problem type: bounds, variable kinds, objectives and constraints.
 *
 * All objectives are minimised. Constraints are written g_j(x) ≤ 0 (feasible when every value is ≤ 0);
 * the constraint violation of a solution is Σ_j max(0, g_j(x)), as in Deb (2000) and pymoo.
 */
import type { Points } from "./points.ts";

/** A multi-objective minimisation problem over a box. */
export interface Problem {
  /** A short name, e.g. "ZDT1". */
  readonly name: string;
  /** Number of decision variables n. */
  readonly nVar: number;
  /** Number of objectives m. */
  readonly nObj: number;
  /** Number of inequality constraints (g ≤ 0); 0 for an unconstrained problem. */
  readonly nConstr: number;
  /** Lower bounds, length nVar. */
  readonly lower: Float64Array;
  /** Upper bounds, length nVar. */
  readonly upper: Float64Array;
  /** 1 where the variable is integer-valued, 0 where real; absent means all real. */
  readonly integer?: Uint8Array;
  /**
   * Evaluates one solution: writes its nObj objective values into `f` and its nConstr constraint
   * values into `g` (which has length 0 when there are no constraints). Must not keep `x`, `f` or `g`.
   */
  evaluate(x: Float64Array, f: Float64Array, g: Float64Array): void;
  /** The true Pareto front sampled with about `n` points (PlatEMO's `GetOptimum(n)`), when known. */
  paretoFront?(n?: number): Points;
}

/** What {@link defineProblem} accepts: plain arrays and a function returning the objectives. */
export interface ProblemSpec {
  /** A short name (default "problem"). */
  name?: string;
  /** Lower bounds (an array, or one number for every variable together with `nVar`). */
  lower: ArrayLike<number> | number;
  /** Upper bounds (an array, or one number for every variable together with `nVar`). */
  upper: ArrayLike<number> | number;
  /** Needed when both bounds are scalars. */
  nVar?: number;
  /** Number of objectives. */
  nObj: number;
  /** Number of inequality constraints g ≤ 0 (default 0). */
  nConstr?: number;
  /** `true` for all-integer variables, or a per-variable flag array. */
  integer?: boolean | ArrayLike<boolean | number>;
  /**
   * The objectives of x; either returns an array of nObj values, or `{ f, g }` with constraints
   * g ≤ 0 when `nConstr` > 0.
   */
  objectives(x: Float64Array): ArrayLike<number> | { f: ArrayLike<number>; g: ArrayLike<number> };
  /** The true Pareto front sampled with about `n` points, when known. */
  paretoFront?: (n?: number) => Points;
}

/** A problem definition that cannot work: e.g. an integer variable whose bounds hold no integer. */
export class ProblemDefinitionError extends RangeError {
  /** An error with this message. */
  constructor(message: string) {
    super(message);
    this.name = "ProblemDefinitionError";
  }
}

/** An objective function returned something that is not nObj numbers (or `{ f, g }`). */
export class ObjectiveValueError extends TypeError {
  /** An error with this message. */
  constructor(message: string) {
    super(message);
    this.name = "ObjectiveValueError";
  }
}

/**
 * Throws a {@link ProblemDefinitionError} when an integer variable's bounds [l, u] contain no integer
 * (⌈l⌉ > ⌊u⌋, e.g. [0.2, 0.8]): no feasible value exists, and rounding would leave the box.
 */
export function validateIntegerBounds(
  name: string,
  lower: ArrayLike<number>,
  upper: ArrayLike<number>,
  integer: ArrayLike<number> | undefined,
): void {
  if (!integer) return;
  for (let i = 0; i < integer.length; i++) {
    if (integer[i] && Math.ceil(lower[i]) > Math.floor(upper[i])) {
      throw new ProblemDefinitionError(
        `${name}: integer variable ${i} has bounds [${lower[i]}, ${upper[i]}], which contain no integer`,
      );
    }
  }
}

/** Throws when the bounds are not finite, are of the wrong length, or have lower > upper. */
export function validateBounds(
  name: string,
  nVar: number,
  lower: ArrayLike<number>,
  upper: ArrayLike<number>,
): void {
  if (!Number.isInteger(nVar) || nVar < 1) {
    throw new RangeError(`${name}: nVar must be a positive integer, got ${nVar}`);
  }
  if (lower.length !== upper.length) {
    throw new RangeError(`${name}: lower has ${lower.length} bounds but upper has ${upper.length}`);
  }
  if (lower.length !== nVar) {
    throw new RangeError(`${name}: lower has ${lower.length} bounds, nVar is ${nVar}`);
  }
  if (upper.length !== nVar) {
    throw new RangeError(`${name}: upper has ${upper.length} bounds, nVar is ${nVar}`);
  }
  for (let i = 0; i < nVar; i++) {
    if (!Number.isFinite(lower[i]) || !Number.isFinite(upper[i])) {
      throw new RangeError(`${name}: bounds of variable ${i} must be finite, got [${lower[i]}, ${upper[i]}]`);
    }
    if (lower[i] > upper[i]) {
      throw new RangeError(
        `${name}: lower bound ${lower[i]} is above upper bound ${upper[i]} for variable ${i}`,
      );
    }
  }
}

function bounds(
  v: ArrayLike<number> | number,
  nVar: number | undefined,
  which: string,
  name: string,
): Float64Array {
  if (typeof v === "number") {
    if (nVar === undefined) throw new RangeError(`${name}: a scalar ${which} bound needs nVar`);
    return new Float64Array(nVar).fill(v);
  }
  return Float64Array.from(v);
}

/**
 * Makes a {@link Problem} from a plain spec, validating bounds, shapes and counts.
 *
 * @example Two objectives and one constraint g ≤ 0 on [0, 1]²
 * ```ts
 * import { defineProblem } from "moolab";
 *
 * const p = defineProblem({
 *   name: "sum",
 *   lower: 0,
 *   upper: 1,
 *   nVar: 2,
 *   nObj: 2,
 *   nConstr: 1,
 *   objectives: ([a, b]) => ({ f: [a, b], g: [0.5 - a - b] }), // feasible when a + b ≥ 0.5
 * });
 * const f = new Float64Array(2), g = new Float64Array(1);
 * p.evaluate(Float64Array.of(0.25, 0.125), f, g);
 * if (f[0] !== 0.25 || f[1] !== 0.125 || g[0] !== 0.125) throw new Error(`f ${f}, g ${g}`); // infeasible
 * ```
 */
export function defineProblem(spec: ProblemSpec): Problem {
  const name = spec.name ?? "problem";
  const lower = bounds(spec.lower, spec.nVar, "lower", name);
  const upper = bounds(spec.upper, spec.nVar, "upper", name);
  const nVar = spec.nVar ?? lower.length;
  validateBounds(name, nVar, lower, upper);
  if (!Number.isInteger(spec.nObj) || spec.nObj < 1) {
    throw new RangeError(`${name}: nObj must be a positive integer, got ${spec.nObj}`);
  }
  const nConstr = spec.nConstr ?? 0;
  if (!Number.isInteger(nConstr) || nConstr < 0) {
    throw new RangeError(`${name}: nConstr must be a non-negative integer, got ${nConstr}`);
  }
  let integer: Uint8Array | undefined;
  if (spec.integer === true) integer = new Uint8Array(nVar).fill(1);
  else if (spec.integer && typeof spec.integer === "object") {
    if (spec.integer.length !== nVar) {
      throw new RangeError(`${name}: integer has ${spec.integer.length} flags, nVar is ${nVar}`);
    }
    integer = Uint8Array.from(Array.from(spec.integer, (b) => (b ? 1 : 0)));
  }
  validateIntegerBounds(name, lower, upper, integer);
  const { nObj, objectives } = spec;
  const xs = (x: Float64Array) =>
    `x = [${Array.from(x.subarray(0, 12)).join(", ")}${x.length > 12 ? `, … (${x.length} values)` : ""}]`;
  const bad = (x: Float64Array, what: string) =>
    new ObjectiveValueError(
      `${name}: objectives(x) returned ${what} for ${xs(x)}; it must return ` +
        (nConstr > 0 ? `{ f: ${nObj} numbers, g: ${nConstr} numbers }` : `an array of ${nObj} number(s)`),
    );
  const isRows = (v: unknown): v is ArrayLike<number> =>
    Array.isArray(v) || ArrayBuffer.isView(v) && !(v instanceof DataView);
  return {
    name,
    nVar,
    nObj,
    nConstr,
    lower,
    upper,
    integer,
    evaluate(x, f, g) {
      const r = objectives(x);
      if (r === null || typeof r !== "object") {
        throw bad(x, r === undefined ? "undefined (a missing return?)" : `${typeof r} ${String(r)}`);
      }
      const fv = isRows(r) ? r : "f" in r ? r.f : undefined;
      if (!isRows(fv)) throw bad(x, "an object without an array f");
      if (fv.length !== nObj) {
        throw new RangeError(
          `${name}: objectives returned ${fv.length} values, nObj is ${nObj}, for ${xs(x)}`,
        );
      }
      for (let j = 0; j < nObj; j++) f[j] = fv[j];
      if (nConstr > 0) {
        const gv = isRows(r) ? undefined : (r as { g?: unknown }).g;
        if (!isRows(gv)) throw bad(x, "no array g of constraint values");
        if (gv.length !== nConstr) {
          throw new RangeError(
            `${name}: objectives returned ${gv.length} constraints, nConstr is ${nConstr}, for ${xs(x)}`,
          );
        }
        for (let j = 0; j < nConstr; j++) g[j] = gv[j];
      }
    },
    paretoFront: spec.paretoFront,
  };
}
