/**
 * The ask-and-tell contract every algorithm in moolab implements, and the JSON state it saves: `ask()`
 * proposes decisions, `tell()` receives their evaluations.
 *
 * `minimize()` in ./minimize.ts drives the same loop with a problem's own `evaluate`, termination,
 * callbacks, progress and checkpoints.
 *
 * @example Evaluating outside the algorithm (Schaffer's problem, x ∈ [-10, 10])
 * ```ts
 * import { defineProblem, hypervolume, NSGA2 } from "moolab";
 * import { objectives } from "moolab/core";
 *
 * const f = (x: number) => [x * x, (x - 2) ** 2];
 * const schaffer = defineProblem({ lower: [-10], upper: [10], nObj: 2, objectives: ([x]) => f(x) });
 * const algo = new NSGA2(schaffer, { popSize: 50, seed: 1 });
 * while (algo.evaluations < 2_500) {
 *   const X = algo.ask(); // offspring decisions, row-major
 *   algo.tell(Array.from(X, f)); // their objectives, one array per solution
 * }
 * // The front: f2 = (√f1 − 2)² for x in [0, 2]; its hypervolume to (4, 4) is 16 − 8/3, which 50 points
 * // approach from below.
 * const hv = hypervolume(objectives(algo.population()), [4, 4]);
 * if (!(hv > 13.1 && hv < 16 - 8 / 3)) throw new Error(`HV ${hv}`);
 * ```
 *
 * @module
 */
import type { Population } from "../core/population.ts";
import type { Problem } from "../core/problem.ts";
import { float64 } from "../core/slab.ts";

/** Objectives or constraints handed to `tell`: flat row-major values or one array per solution. */
export type Rows = ArrayLike<number> | ReadonlyArray<ArrayLike<number>>;

/** An algorithm driven by ask (propose decisions) and tell (receive their evaluations). */
export interface AskTell {
  /** The algorithm's name, e.g. "NSGA-II". */
  readonly name: string;
  /** The problem being solved. */
  readonly problem: Problem;
  /** Generations completed; the evaluated initial population is generation 1 (as in pymoo). */
  readonly generation: number;
  /** Solutions evaluated so far. */
  readonly evaluations: number;
  /** How many solutions the next `ask()` will return. */
  readonly batchSize: number;
  /**
   * Optional: solutions still to evaluate before the current generation completes, when a generation
   * takes several ask/tell rounds (a steady-state pass told one child at a time); `batchSize` when
   * absent. `minimize` runs whole generations, so it checks the budget against this.
   */
  readonly remainingInGeneration?: number;
  /** The decisions to evaluate next (row-major, `batchSize` × nVar). Asking twice without a tell
   * returns the same batch. */
  ask(): Float64Array;
  /** The objectives (and constraint values g ≤ 0) of the batch from the last `ask()`. */
  tell(F: Rows, G?: Rows): void;
  /**
   * Optional: work to do before the next `ask()` that needs the event loop (an LLM call). Returns a
   * promise when there is such work, `undefined` when `ask()` can be called at once. `minimizeAsync`
   * awaits it; `minimize` refuses an algorithm whose `prepare()` returns a promise.
   */
  prepare?(): Promise<void> | undefined;
  /**
   * Optional: called by `minimize` / `minimizeAsync` (and so by `run` and `runAsync`) once before the
   * first generation of a run, with the run's termination — for an algorithm whose schedule depends on
   * the planned length (MOPSO's mutation horizon).
   */
  begin?(termination: { maxEvaluations?: number; maxGenerations?: number }): void;
  /** The current population (survivors). */
  population(): Population;
  /** Everything needed to resume exactly: options, RNG state, population, pending batch. */
  toJSON(): AlgorithmState;
}

/** The saved state of an algorithm (plain JSON). */
export interface AlgorithmState {
  /** The algorithm's registry name (what {@link resumeAlgorithm} builds). */
  algorithm: string;
  /** The problem's name, checked on restore. */
  problem: string;
  /** The problem's dimensions, checked on restore. */
  nVar: number;
  /** Objectives of the problem, checked on restore. */
  nObj: number;
  /** Format version. */
  version: 1;
  /** The algorithm's own state (population, random generator, counters, …). */
  [key: string]: unknown;
}

/** Flattens `Rows` into a Float64Array, checking the shape. */
export function flattenRows(what: string, rows: Rows, count: number, width: number): Float64Array {
  if (rows.length === count && count > 0 && typeof (rows as ArrayLike<unknown>)[0] === "object") {
    const out = float64(count * width);
    const rr = rows as ReadonlyArray<ArrayLike<number>>;
    for (let i = 0; i < count; i++) {
      if (rr[i].length !== width) {
        throw new RangeError(`${what}: row ${i} has ${rr[i].length} values, expected ${width}`);
      }
      for (let j = 0; j < width; j++) out[i * width + j] = rr[i][j];
    }
    return out;
  }
  const flat = rows as ArrayLike<number>;
  if (flat.length !== count * width) {
    throw new RangeError(
      `${what}: expected ${count} solutions × ${width} = ${count * width} values, got ${flat.length}` +
        (rows.length === count ? "" : ` (or ${count} rows)`),
    );
  }
  const out = float64(flat.length);
  for (let k = 0; k < out.length; k++) out[k] = flat[k];
  return out;
}

/** Encodes a typed array for JSON (numbers are exact: JSON keeps every double's shortest form). */
export function encode(a: Float64Array): number[] {
  return Array.from(a);
}

/** The header of a saved state. */
export function stateHeader(algorithm: string, problem: Problem): AlgorithmState {
  return { algorithm, problem: problem.name, nVar: problem.nVar, nObj: problem.nObj, version: 1 };
}

/** A saved state (a checkpoint) that cannot be restored; the message names the field. */
export class StateError extends TypeError {
  constructor(message: string) {
    super(message);
    this.name = "StateError";
  }
}

/** Describes a value for an error message: `"abc"` (a string), null, undefined, an object, … */
function describe(v: unknown): string {
  if (typeof v === "string") return `the string ${JSON.stringify(v.length > 20 ? v.slice(0, 20) + "…" : v)}`;
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return `an array of ${v.length}`;
  return typeof v === "object" ? "an object" : `${typeof v} ${String(v)}`;
}

/**
 * `value` as a Float64Array after checking that it is an array of numbers (finite ones unless
 * `allowInfinite`, never NaN) of `length` values when given; a {@link StateError} names the field and
 * the first bad element otherwise.
 */
export function stateNumbers(
  where: string,
  field: string,
  value: unknown,
  length?: number,
  allowInfinite: boolean = false,
): Float64Array {
  if (!Array.isArray(value)) {
    throw new StateError(`${where}: ${field} must be an array of numbers, got ${describe(value)}`);
  }
  if (length !== undefined && value.length !== length) {
    throw new StateError(`${where}: ${field} has ${value.length} values, expected ${length}`);
  }
  for (let i = 0; i < value.length; i++) {
    const v = value[i];
    if (typeof v !== "number" || Number.isNaN(v) || (!allowInfinite && !Number.isFinite(v))) {
      throw new StateError(
        `${where}: ${field}[${i}] is ${describe(v)}, not a ${allowInfinite ? "" : "finite "}number`,
      );
    }
  }
  return Float64Array.from(value);
}

/** Checks that `value` is a non-negative integer, naming the field otherwise. */
export function stateCount(where: string, field: string, value: unknown): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) {
    throw new StateError(`${where}: ${field} must be a non-negative integer, got ${describe(value)}`);
  }
  return value as number;
}

/** Checks a saved state's header against the algorithm and problem it is restored into. */
export function checkState(state: AlgorithmState, algorithm: string, problem: Problem): void {
  if (!state || typeof state !== "object" || Array.isArray(state)) {
    throw new StateError(`${algorithm}: the saved state is ${describe(state)}, not a state object`);
  }
  if (state.algorithm !== algorithm) {
    throw new RangeError(`${algorithm}: the state was saved by ${state.algorithm}, not ${algorithm}`);
  }
  if (state.problem !== problem.name) {
    throw new RangeError(
      `${algorithm}: the state was saved on problem ${state.problem}, not ${problem.name}`,
    );
  }
  if (state.version !== 1) throw new RangeError(`${algorithm}: unknown state version ${state.version}`);
  if (state.nVar !== problem.nVar || state.nObj !== problem.nObj) {
    throw new RangeError(
      `${algorithm}: the state has nVar ${state.nVar} and nObj ${state.nObj}, the problem ${problem.nVar} and ${problem.nObj}`,
    );
  }
}
