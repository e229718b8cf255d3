/**
 * The machinery every population-based algorithm shares: the seeded RNG, counters, the pending batch
 * of ask-and-tell, input checks on tell, and a JSON state that resumes a run exactly. A concrete
 * algorithm supplies `initialize` (the first batch), `reproduce` (every later batch) and `survive`
 * (the new population from the old one and the evaluated batch), plus any state of its own through
 * `saveExtra` / `loadExtra`.
 */
import { Rng } from "../core/rng.ts";
import {
  checkEvaluations,
  constraintViolation,
  makePopulation,
  NO_VALUES,
  type Population,
} from "../core/population.ts";
import { type Problem, validateIntegerBounds } from "../core/problem.ts";
import { latinHypercubeSampling, randomSampling } from "../operators/sampling.ts";
import { repair } from "../operators/repair.ts";
import { operatorsToSpecs, type VariableSpace, variableSpace } from "../operators/variation.ts";
import {
  type AlgorithmState,
  type AskTell,
  checkState,
  encode,
  flattenRows,
  type Rows,
  stateCount,
  StateError,
  stateHeader,
  stateNumbers,
} from "./algorithm.ts";
import { minimize, minimizeAsync, type RunOptions } from "./minimize.ts";
import type { Result } from "./result.ts";

/** Options every population-based algorithm takes. */
export interface BaseOptions {
  /** Population size (default 100). */
  popSize?: number;
  /** Seed of the run's random numbers (default 1). */
  seed?: number;
  /** Initial sampling: uniform "random" (default) or Latin hypercube "lhs". */
  sampling?: "random" | "lhs";
  /** A given initial population (row-major, popSize × nVar); overrides `sampling`. */
  initial?: ArrayLike<number>;
}

/** A population too large for the memory available, refused before anything is allocated. */
export class MemoryEstimateError extends RangeError {
  /** The error for a population needing `bytes` when `available` are free. */
  constructor(message: string, readonly bytes: number, readonly available: number) {
    super(message);
    this.name = "MemoryEstimateError";
  }
}

/**
 * Estimated bytes a population-based algorithm holds for `popSize` solutions: the population, the
 * offspring, their union and one reordered copy (5 rows of nVar + nObj + nConstr + 1 doubles each),
 * plus 64 bytes a solution of rank, crowding and index arrays. A lower bound in practice.
 */
export function estimateMemory(popSize: number, problem: Problem): number {
  const row = 8 * (problem.nVar + problem.nObj + problem.nConstr + 1);
  return popSize * (5 * row + 64);
}

/** Bytes of memory available now (the system's report; 8 GiB when the runtime may not ask). */
export function availableMemory(): number {
  try {
    const m = Deno.systemMemoryInfo();
    return m.available > 0 ? m.available : m.free;
  } catch {
    return 8 * 2 ** 30;
  }
}

/**
 * Throws a {@link MemoryEstimateError} when `popSize` solutions of `problem` would not fit in the
 * memory available ({@link estimateMemory}). Every population-based algorithm calls it in its
 * constructor; an algorithm that builds per-solution data before that (reference directions) calls
 * it first.
 */
export function checkPopulationMemory(algorithm: string, popSize: number, problem: Problem): void {
  const need = estimateMemory(popSize, problem), available = availableMemory();
  if (need > available) {
    throw new MemoryEstimateError(
      `${algorithm}: a population of ${popSize} on ${problem.name} (${problem.nVar} variables, ` +
        `${problem.nObj} objectives) needs about ${gib(need)}, more than the ${
          gib(available)
        } of memory available; use a smaller popSize`,
      need,
      available,
    );
  }
}

function gib(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(bytes < 2 ** 30 ? 3 : 1)} GiB`;
}

interface SavedState extends AlgorithmState {
  options: Record<string, unknown>;
  rng: number[];
  generation: number;
  evaluations: number;
  pop: { X: number[]; F: number[]; G: number[] } | null;
  pending: number[] | null;
  extra: Record<string, unknown>;
}

/** Base class of the ask-and-tell algorithms. `O` is the algorithm's full (JSON-able) options type. */
export abstract class PopulationAlgorithm<O extends BaseOptions> implements AskTell {
  abstract readonly name: string;
  /** The problem being solved. */
  readonly problem: Problem;
  /** Population size N. */
  readonly popSize: number;
  /** The options as given, with defaults filled in; saved in the state. */
  readonly options: O;
  /** The run's random generator (seeded by `options.seed`; saved in the state). */
  protected readonly rng: Rng;
  /** The bounds and integer mask the variation operators get. */
  protected readonly space: VariableSpace;
  #generation = 0;
  #evaluations = 0;
  #pop: Population | null = null;
  #pending: Float64Array | null = null;
  #tellWhere: string | undefined;
  #tellObjectives: string | undefined;

  /** Checks `problem` and `options` (a population of at least `minPop`) and seeds the generator. */
  constructor(problem: Problem, options: O, minPop = 2) {
    this.problem = problem;
    const popSize = options.popSize ?? 100;
    if (!Number.isInteger(popSize) || popSize < minPop) {
      throw new RangeError(
        `${new.target.name}: population size must be an integer of at least ${minPop}, got ${popSize}`,
      );
    }
    this.popSize = popSize;
    validateIntegerBounds(problem.name, problem.lower, problem.upper, problem.integer);
    checkPopulationMemory(new.target.name, popSize, problem);
    const seed = options.seed ?? 1;
    if (!Number.isSafeInteger(seed)) {
      throw new RangeError(`${new.target.name}: seed must be an integer, got ${seed}`);
    }
    if (options.initial && options.initial.length !== popSize * problem.nVar) {
      throw new RangeError(
        `${new.target.name}: initial population has ${options.initial.length} values, expected ${popSize} × ${problem.nVar}`,
      );
    }
    this.options = { ...options, popSize, seed, sampling: options.sampling ?? "random" };
    this.rng = new Rng(seed);
    this.space = variableSpace(problem);
  }

  get generation(): number {
    return this.#generation;
  }
  get evaluations(): number {
    return this.#evaluations;
  }
  /** Solutions per batch; the initial batch is the population. Override for steady-state algorithms. */
  get batchSize(): number {
    return this.#pop ? this.offspringSize() : this.popSize;
  }
  /** Offspring per generation after the first (default: the population size). */
  protected offspringSize(): number {
    return this.popSize;
  }
  /**
   * Whether telling the pending batch completes a generation (default: every batch does). A
   * steady-state algorithm that tells one child at a time but counts one pass as a generation returns
   * false until the pass's last child; asked in `tell()` before `survive()`.
   */
  protected completesGeneration(): boolean {
    return true;
  }
  /** True once the initial population has been told. */
  protected get initialized(): boolean {
    return this.#pop !== null;
  }

  population(): Population {
    if (!this.#pop) {
      throw new Error(`${this.name}: no population yet — ask() and tell() the initial one first`);
    }
    return this.#pop;
  }

  ask(): Float64Array {
    if (this.#pending) return this.#pending;
    const X = this.#pop ? this.reproduce(this.#pop) : this.initialize();
    if (this.problem.integer) repair(X, this.problem.lower, this.problem.upper, this.problem.integer);
    this.#pending = X;
    return X;
  }

  /**
   * Sets the next batch from `make` instead of {@link reproduce} — for wrappers that change how a
   * generation is bred (e.g. NSGA-II-LLM's hybrid reproduction). Needs a population and no pending batch.
   */
  protected askWith(make: (pop: Population) => Float64Array): Float64Array {
    if (this.#pending) {
      throw new Error(`${this.name}: a batch is already pending; tell() its evaluations first`);
    }
    if (!this.#pop) {
      throw new Error(`${this.name}: no population yet — ask() and tell() the initial one first`);
    }
    const X = make(this.#pop);
    if (X.length !== this.offspringSize() * this.problem.nVar) {
      throw new RangeError(
        `${this.name}: a batch must hold ${this.offspringSize()} × ${this.problem.nVar} values, got ${X.length}`,
      );
    }
    if (this.problem.integer) repair(X, this.problem.lower, this.problem.upper, this.problem.integer);
    this.#pending = X;
    return X;
  }

  /** True when a batch has been asked and not yet told. */
  get pending(): boolean {
    return this.#pending !== null;
  }

  /** The initial decisions: the given `initial`, else the configured sampling. */
  protected initialize(): Float64Array {
    const { lower, upper, integer } = this.problem;
    const init = this.options.initial;
    if (init) return Float64Array.from(init);
    return this.options.sampling === "lhs"
      ? latinHypercubeSampling(this.rng, this.popSize, lower, upper, integer)
      : randomSampling(this.rng, this.popSize, lower, upper, integer);
  }

  /** The next batch of decisions to evaluate. */
  protected abstract reproduce(pop: Population): Float64Array;

  /** The new population after `batch` was evaluated (`pop` is null for the initial batch). */
  protected survive(pop: Population | null, batch: Population): Population {
    if (pop) throw new Error(`${this.name}: survive() must be implemented`);
    return batch;
  }

  /** Called whenever the population changes (also on restore): compute derived data here. */
  protected onPopulation(_pop: Population): void {}

  tell(F: Rows, G?: Rows): void {
    const X = this.#pending;
    if (!X) throw new Error(`${this.name}: tell() without a pending ask()`);
    const { nVar, nObj, nConstr } = this.problem;
    const size = X.length / nVar;
    // the names for errors are built once (tell() runs once per child in a steady-state run)
    const where = this.#tellWhere ??= `${this.name}.tell`;
    const Ff = flattenRows(this.#tellObjectives ??= `${where} objectives`, F, size, nObj);
    const Gf = nConstr > 0 ? flattenRows(`${where} constraints`, G ?? [], size, nConstr) : NO_VALUES;
    checkEvaluations(where, size, nObj, Ff, nConstr, Gf, X, nVar);
    const batch = makePopulation(nVar, nObj, nConstr, X, Ff, Gf);
    this.#pending = null;
    this.#evaluations += size;
    if (!this.#pop || this.completesGeneration()) this.#generation++;
    this.setPopulation(this.survive(this.#pop, batch));
  }

  /** Replaces the current population (and calls {@link onPopulation}). */
  protected setPopulation(pop: Population): void {
    this.#pop = pop;
    this.onPopulation(pop);
  }

  /** Algorithm-specific state to save (plain JSON). */
  protected saveExtra(): Record<string, unknown> {
    return {};
  }
  /** Restores what {@link saveExtra} saved; called after the population is restored. */
  protected loadExtra(_extra: Record<string, unknown>): void {}

  toJSON(): AlgorithmState {
    const pop = this.#pop;
    const { initial: _initial, ...options } = this.options;
    const state: SavedState = {
      ...stateHeader(this.name, this.problem),
      options: operatorsToSpecs(options as Record<string, unknown>),
      rng: this.rng.state(),
      generation: this.#generation,
      evaluations: this.#evaluations,
      pop: pop ? { X: encode(pop.X), F: encode(pop.F), G: encode(pop.G) } : null,
      pending: this.#pending ? encode(this.#pending) : null,
      extra: this.saveExtra(),
    };
    return state;
  }

  /** Whether a restored population of `size` fits this algorithm (default: exactly popSize). */
  protected populationSizeFits(size: number): boolean {
    return size === this.popSize;
  }

  /**
   * Restores a state saved by {@link toJSON} into this (freshly constructed) algorithm, checking every
   * field first: a {@link StateError} names the field that is missing, of the wrong shape or not a
   * number (`"abc"` or null in F, a population missing after generation 1, a population whose size is
   * not the popSize of the saved options).
   */
  protected restore(state: AlgorithmState): this {
    checkState(state, this.name, this.problem);
    const s = state as SavedState;
    const where = `${this.name}: the saved state`;
    const { nVar, nObj, nConstr } = this.problem;
    if (!Array.isArray(s.rng) || s.rng.length !== 4 || !s.rng.every((v) => Number.isSafeInteger(v))) {
      throw new StateError(`${where}: rng must be an array of 4 integers, got ${JSON.stringify(s.rng)}`);
    }
    const generation = stateCount(where, "generation", s.generation);
    const evaluations = stateCount(where, "evaluations", s.evaluations);
    if (s.options === null || typeof s.options !== "object" || Array.isArray(s.options)) {
      throw new StateError(`${where}: options must be an object`);
    }
    if ((s.options as Record<string, unknown>).popSize !== this.popSize) {
      throw new StateError(
        `${where}: options.popSize is ${
          (s.options as Record<string, unknown>).popSize
        }, but this algorithm has ${this.popSize}`,
      );
    }
    let pop: Population | null = null;
    if (s.pop === null || s.pop === undefined) {
      if (generation > 0) {
        throw new StateError(
          `${where}: pop is ${s.pop === null ? "null" : "missing"} but generation is ${generation}`,
        );
      }
    } else {
      if (typeof s.pop !== "object" || Array.isArray(s.pop)) {
        throw new StateError(`${where}: pop must be an object`);
      }
      const X = stateNumbers(where, "pop.X", s.pop.X);
      const size = X.length / nVar;
      if (!Number.isInteger(size) || size === 0) {
        throw new StateError(
          `${where}: pop.X has ${X.length} values, not a positive multiple of nVar ${nVar}`,
        );
      }
      if (!this.populationSizeFits(size)) {
        throw new StateError(
          `${where}: pop holds ${size} solutions, which does not fit popSize ${this.popSize} (options.popSize)`,
        );
      }
      const F = stateNumbers(where, "pop.F", s.pop.F, size * nObj);
      const G = stateNumbers(where, "pop.G", s.pop.G, size * nConstr, true);
      pop = { size, nVar, nObj, nConstr, X, F, G, CV: constraintViolation(G, nConstr, size) };
    }
    let pending: Float64Array | null = null;
    if (s.pending !== null && s.pending !== undefined) {
      pending = stateNumbers(where, "pending", s.pending);
      if (pending.length === 0 || pending.length % nVar !== 0) {
        throw new StateError(
          `${where}: pending has ${pending.length} values, not a positive multiple of nVar ${nVar}`,
        );
      }
    }
    if (
      s.extra !== undefined && (s.extra === null || typeof s.extra !== "object" || Array.isArray(s.extra))
    ) {
      throw new StateError(`${where}: extra must be an object`);
    }
    this.rng.setState(s.rng);
    this.#generation = generation;
    this.#evaluations = evaluations;
    this.#pending = pending;
    if (pop) {
      this.#pop = pop;
      this.onPopulation(pop);
    }
    this.loadExtra(s.extra ?? {});
    return this;
  }

  /** Runs to the given termination with the problem's own evaluate; see {@link minimize}. */
  run(options: RunOptions): Result {
    return minimize(this, options);
  }

  /** As {@link run}, awaiting asynchronous callbacks (a notebook's live progress display). */
  runAsync(options: RunOptions): Promise<Result> {
    return minimizeAsync(this, options);
  }
}

/** The options saved in a state, for a subclass's `fromJSON`; a {@link StateError} when there are none. */
export function savedOptions<O>(state: AlgorithmState): O {
  if (!state || typeof state !== "object" || Array.isArray(state)) {
    throw new StateError(`the saved state is ${state === null ? "null" : typeof state}, not a state object`);
  }
  const o = (state as SavedState).options;
  if (o === null || typeof o !== "object" || Array.isArray(o)) {
    throw new StateError(`the saved state of ${String(state.algorithm)} has no options object`);
  }
  return o as O;
}
