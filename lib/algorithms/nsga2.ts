/**
 * NSGA-II (Deb, Pratap, Agarwal & Meyarivan 2002, IEEE TEC 6(2)): elitist non-dominated sorting with
 * crowding distance, binary tournament on the crowded comparison, SBX crossover and polynomial
 * mutation, (μ + λ) survival over parents and offspring. Constraints use Deb's constraint-domination.
 *
 * Ask-and-tell: the first `ask()` returns the initial population; every later one returns `popSize`
 * offspring. Defaults are the paper's and the field's: SBX p_c 0.9, η_c 20; PM p_m 1/n, η_m 20.
 */
import { Rng } from "../core/rng.ts";
import { nondominatedSort } from "../core/sorting.ts";
import { crowdingDistance } from "../core/crowding.ts";
import { binaryTournament } from "../core/selection.ts";
import { checkEvaluations, constraintViolation, type Population } from "../core/population.ts";
import type { Problem } from "../core/problem.ts";
import { sbx, type SbxOptions } from "../operators/sbx.ts";
import { type PmOptions, polynomialMutation } from "../operators/mutation.ts";
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
import { minimize, type RunOptions } from "./minimize.ts";
import type { Result } from "./result.ts";

/** NSGA-II settings. */
export interface NSGA2Options {
  /** Population size N: even and at least 4 (default 100). */
  popSize?: number;
  /** Seed of the run's random numbers (default 1). */
  seed?: number;
  /** SBX settings (default p 0.9, η 20, per-variable 0.5). */
  crossover?: SbxOptions;
  /** Polynomial mutation settings (default p 1/n, η 20). */
  mutation?: PmOptions;
  /** Initial sampling: uniform "random" (default) or "lhs". */
  sampling?: "random" | "lhs";
  /** A user-given initial population (row-major, popSize × nVar); overrides `sampling`. */
  initial?: ArrayLike<number>;
}

interface NSGA2State extends AlgorithmState {
  options: Required<Omit<NSGA2Options, "initial">>;
  rng: number[];
  generation: number;
  evaluations: number;
  pop: { X: number[]; F: number[]; G: number[] } | null;
  pending: number[] | null;
}

/** NSGA-II with ask-and-tell, `run()`, and exact resume from `toJSON()`. */
export class NSGA2 implements AskTell {
  readonly name: string = "NSGA-II";
  readonly problem: Problem;
  readonly popSize: number;
  protected readonly rng: Rng;
  protected readonly options: Required<Omit<NSGA2Options, "initial">>;
  #initial?: Float64Array;
  #generation = 0;
  #evaluations = 0;
  #pop: Population | null = null;
  /** rank and crowding distance of the current population, for mating selection */
  protected rank: Int32Array = new Int32Array(0);
  protected crowding: Float64Array = new Float64Array(0);
  #pending: Float64Array | null = null;

  constructor(problem: Problem, options: NSGA2Options = {}) {
    this.problem = problem;
    const popSize = options.popSize ?? 100;
    if (!Number.isInteger(popSize) || popSize < 4) {
      throw new RangeError(`NSGA-II: population size must be an integer of at least 4, got ${popSize}`);
    }
    if (popSize % 2 !== 0) {
      throw new RangeError(`NSGA-II: population size must be even (offspring come in pairs), got ${popSize}`);
    }
    this.popSize = popSize;
    const seed = options.seed ?? 1;
    this.options = {
      popSize,
      seed,
      crossover: { prob: 0.9, eta: 20, probVar: 0.5, ...options.crossover },
      mutation: { eta: 20, ...options.mutation },
      sampling: options.sampling ?? "random",
    };
    checkProbability("crossover.prob", this.options.crossover.prob);
    checkProbability("crossover.probVar", this.options.crossover.probVar);
    if (this.options.mutation.prob !== undefined) {
      checkProbability("mutation.prob", this.options.mutation.prob);
    }
    if (options.initial) {
      if (options.initial.length !== popSize * problem.nVar) {
        throw new RangeError(
          `NSGA-II: initial population has ${options.initial.length} values, expected ${popSize} × ${problem.nVar}`,
        );
      }
      this.#initial = Float64Array.from(options.initial);
    }
    this.rng = new Rng(seed);
  }

  /** Restores a run saved with {@link NSGA2.toJSON}; continuing it gives exactly the uninterrupted run. */
  static fromJSON(problem: Problem, state: AlgorithmState): NSGA2 {
    const a = new NSGA2(problem, (state as NSGA2State).options);
    a.restore(state);
    return a;
  }

  protected restore(state: AlgorithmState): void {
    checkState(state, this.name, this.problem);
    const s = state as NSGA2State;
    this.rng.setState(s.rng);
    this.#generation = s.generation;
    this.#evaluations = s.evaluations;
    this.#pending = s.pending ? Float64Array.from(s.pending) : null;
    if (s.pop) {
      const { nVar, nObj, nConstr } = this.problem;
      const size = s.pop.X.length / nVar;
      const G = Float64Array.from(s.pop.G);
      this.setPopulation({
        size,
        nVar,
        nObj,
        nConstr,
        X: Float64Array.from(s.pop.X),
        F: Float64Array.from(s.pop.F),
        G,
        CV: constraintViolation(G, nConstr, size),
      });
    }
  }

  get generation(): number {
    return this.#generation;
  }
  get evaluations(): number {
    return this.#evaluations;
  }
  get batchSize(): number {
    return this.popSize;
  }

  population(): Population {
    if (!this.#pop) {
      throw new Error(`${this.name}: no population yet — ask() and tell() the initial one first`);
    }
    return this.#pop;
  }

  ask(): Float64Array {
    if (this.#pending) return this.#pending;
    const { lower, upper, integer } = this.problem;
    let X: Float64Array;
    if (!this.#pop) {
      X = this.#initial
        ? Float64Array.from(this.#initial)
        : this.options.sampling === "lhs"
        ? latinHypercubeSampling(this.rng, this.popSize, lower, upper, integer)
        : randomSampling(this.rng, this.popSize, lower, upper, integer);
      if (this.#initial && integer) repair(X, lower, upper, integer);
    } else {
      X = this.reproduce();
    }
    this.#pending = X;
    return X;
  }

  /** Offspring of the current population (mating selection, variation); subclasses may override. */
  protected reproduce(): Float64Array {
    const pop = this.#pop!;
    const { nVar, lower, upper, integer } = this.problem;
    const N = this.popSize;
    const parents = binaryTournament(this.rng, N, this.rank, this.crowding);
    const X = new Float64Array(N * nVar);
    for (let k = 0; k < N; k += 2) {
      const a = parents[k], b = parents[k + 1];
      const c1 = X.subarray(k * nVar, (k + 1) * nVar);
      const c2 = X.subarray((k + 1) * nVar, (k + 2) * nVar);
      sbx(
        this.rng,
        pop.X.subarray(a * nVar, (a + 1) * nVar),
        pop.X.subarray(b * nVar, (b + 1) * nVar),
        c1,
        c2,
        lower,
        upper,
        this.options.crossover,
      );
      polynomialMutation(this.rng, c1, lower, upper, this.options.mutation);
      polynomialMutation(this.rng, c2, lower, upper, this.options.mutation);
    }
    if (integer) repair(X, lower, upper, integer);
    return X;
  }

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
    const offspring: Population = {
      size,
      nVar,
      nObj,
      nConstr,
      X,
      F: Ff,
      G: Gf,
      CV: constraintViolation(Gf, nConstr, size),
    };
    this.#pending = null;
    this.#evaluations += size;
    this.#generation++;
    this.setPopulation(this.#pop ? this.survive(this.#pop, offspring) : offspring);
  }

  /** Sets the population and computes the rank and crowding distance used by mating selection. */
  protected setPopulation(pop: Population): void {
    this.#pop = pop;
    const Fp = { data: pop.F, n: pop.size, m: pop.nObj };
    const { rank, fronts } = nondominatedSort(Fp, { cv: pop.nConstr > 0 ? pop.CV : undefined });
    const crowding = new Float64Array(pop.size);
    for (const f of fronts) {
      const d = crowdingDistance(Fp, f);
      for (let t = 0; t < f.length; t++) crowding[f[t]] = d[t];
    }
    this.rank = rank;
    this.crowding = crowding;
  }

  /** (μ + λ) survival: whole fronts in rank order, the last one cut by descending crowding distance. */
  protected survive(parents: Population, offspring: Population): Population {
    const merged = concat(parents, offspring);
    const N = this.popSize;
    const Fm = { data: merged.F, n: merged.size, m: merged.nObj };
    const { fronts } = nondominatedSort(Fm, {
      cv: merged.nConstr > 0 ? merged.CV : undefined,
      maxCount: N,
    });
    const chosen = new Int32Array(N);
    let c = 0;
    for (const f of fronts) {
      if (c + f.length <= N) {
        chosen.set(f, c);
        c += f.length;
      } else {
        const d = crowdingDistance(Fm, f);
        const order = Array.from(f.keys()).sort((a, b) => d[b] - d[a] || f[a] - f[b]);
        for (let t = 0; c < N; t++) chosen[c++] = f[order[t]];
      }
      if (c >= N) break;
    }
    return select(merged, chosen);
  }

  toJSON(): AlgorithmState {
    const pop = this.#pop;
    const state: NSGA2State = {
      ...stateHeader(this.name, this.problem),
      options: this.options,
      rng: this.rng.state(),
      generation: this.#generation,
      evaluations: this.#evaluations,
      pop: pop ? { X: encode(pop.X), F: encode(pop.F), G: encode(pop.G) } : null,
      pending: this.#pending ? encode(this.#pending) : null,
    };
    return state;
  }

  /** Runs to the given termination with the problem's own evaluate; see {@link minimize}. */
  run(options: RunOptions): Result {
    return minimize(this, options);
  }
}

function checkProbability(name: string, p: number | undefined): void {
  if (p === undefined || !(p >= 0 && p <= 1)) {
    throw new RangeError(`NSGA-II: ${name} must be in [0, 1], got ${p}`);
  }
}

/** Parents followed by offspring, as one population. */
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
