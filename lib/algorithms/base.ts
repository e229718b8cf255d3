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
  type Population,
} from "../core/population.ts";
import { type Problem, validateIntegerBounds } from "../core/problem.ts";
import { latinHypercubeSampling, randomSampling } from "../operators/sampling.ts";
import { repair } from "../operators/repair.ts";
import {
  type AlgorithmState,
  type AskTell,
  checkState,
  encode,
  flattenRows,
  type Rows,
  stateHeader,
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
  readonly problem: Problem;
  readonly popSize: number;
  /** The options as given, with defaults filled in; saved in the state. */
  readonly options: O;
  protected readonly rng: Rng;
  #generation = 0;
  #evaluations = 0;
  #pop: Population | null = null;
  #pending: Float64Array | null = null;

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
    const Ff = flattenRows(`${this.name}.tell objectives`, F, size, nObj);
    const Gf = nConstr > 0
      ? flattenRows(`${this.name}.tell constraints`, G ?? [], size, nConstr)
      : new Float64Array(0);
    checkEvaluations(`${this.name}.tell`, size, nObj, Ff, nConstr, Gf, X, nVar);
    const batch = makePopulation(nVar, nObj, nConstr, X, Ff, Gf);
    this.#pending = null;
    this.#evaluations += size;
    this.#generation++;
    this.setPopulation(this.survive(this.#pop, batch));
  }

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
      options: options as Record<string, unknown>,
      rng: this.rng.state(),
      generation: this.#generation,
      evaluations: this.#evaluations,
      pop: pop ? { X: encode(pop.X), F: encode(pop.F), G: encode(pop.G) } : null,
      pending: this.#pending ? encode(this.#pending) : null,
      extra: this.saveExtra(),
    };
    return state;
  }

  /** Restores a state saved by {@link toJSON} into this (freshly constructed) algorithm. */
  protected restore(state: AlgorithmState): this {
    checkState(state, this.name, this.problem);
    const s = state as SavedState;
    const { nVar, nObj, nConstr } = this.problem;
    this.rng.setState(s.rng);
    this.#generation = s.generation;
    this.#evaluations = s.evaluations;
    this.#pending = s.pending ? Float64Array.from(s.pending) : null;
    if (s.pop) {
      const size = s.pop.X.length / nVar;
      if (!Number.isInteger(size) || s.pop.F.length !== size * nObj || s.pop.G.length !== size * nConstr) {
        throw new RangeError(
          `${this.name}: the saved population's arrays do not fit the problem's dimensions`,
        );
      }
      const G = Float64Array.from(s.pop.G);
      this.#pop = {
        size,
        nVar,
        nObj,
        nConstr,
        X: Float64Array.from(s.pop.X),
        F: Float64Array.from(s.pop.F),
        G,
        CV: constraintViolation(G, nConstr, size),
      };
      this.onPopulation(this.#pop);
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

/** The options saved in a state, for a subclass's `fromJSON`. */
export function savedOptions<O>(state: AlgorithmState): O {
  return (state as SavedState).options as O;
}
