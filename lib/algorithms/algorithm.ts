/**
 * The ask-and-tell contract every algorithm in moolab implements, and the JSON state it saves.
 *
 * ```ts
 * const algo = new NSGA2(problem, { popSize: 100, seed: 1 });
 * while (algo.evaluations < 10_000) {
 *   const X = algo.ask();          // offspring decisions, row-major
 *   algo.tell(myEvaluate(X));      // their objectives (and constraints), row-major or number[][]
 * }
 * ```
 * `minimize()` in ./minimize.ts drives the same loop with a problem's own `evaluate`, termination,
 * callbacks, progress and checkpoints.
 */
import type { Population } from "../core/population.ts";
import type { Problem } from "../core/problem.ts";

/** Objectives or constraints handed to `tell`: flat row-major values or one array per solution. */
export type Rows = ArrayLike<number> | ReadonlyArray<ArrayLike<number>>;

/** An algorithm driven by ask (propose decisions) and tell (receive their evaluations). */
export interface AskTell {
  /** The algorithm's name, e.g. "NSGA-II". */
  readonly name: string;
  readonly problem: Problem;
  /** Generations completed; the evaluated initial population is generation 1 (as in pymoo). */
  readonly generation: number;
  /** Solutions evaluated so far. */
  readonly evaluations: number;
  /** How many solutions the next `ask()` will return. */
  readonly batchSize: number;
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
  algorithm: string;
  problem: string;
  /** The problem's dimensions, checked on restore. */
  nVar: number;
  nObj: number;
  version: 1;
  [key: string]: unknown;
}

/** Flattens `Rows` into a Float64Array, checking the shape. */
export function flattenRows(what: string, rows: Rows, count: number, width: number): Float64Array {
  if (rows.length === count && count > 0 && typeof (rows as ArrayLike<unknown>)[0] === "object") {
    const out = new Float64Array(count * width);
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
  return flat instanceof Float64Array ? Float64Array.from(flat) : Float64Array.from(flat);
}

/** Encodes a typed array for JSON (numbers are exact: JSON keeps every double's shortest form). */
export function encode(a: Float64Array): number[] {
  return Array.from(a);
}

/** The header of a saved state. */
export function stateHeader(algorithm: string, problem: Problem): AlgorithmState {
  return { algorithm, problem: problem.name, nVar: problem.nVar, nObj: problem.nObj, version: 1 };
}

/** Checks a saved state's header against the algorithm and problem it is restored into. */
export function checkState(state: AlgorithmState, algorithm: string, problem: Problem): void {
  if (!state || typeof state !== "object") throw new TypeError(`${algorithm}: state is not an object`);
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
