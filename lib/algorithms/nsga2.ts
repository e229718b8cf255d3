/**
 * NSGA-II (Deb, Pratap, Agarwal & Meyarivan 2002, IEEE TEC 6(2)): elitist non-dominated sorting with
 * crowding distance, binary tournament on the crowded comparison, SBX crossover and polynomial
 * mutation, (μ + λ) survival over parents and offspring. Constraints use Deb's constraint-domination.
 *
 * Ask-and-tell: the first `ask()` returns the initial population; every later one returns `popSize`
 * offspring. Defaults are the paper's and the field's: SBX p_c 0.9, η_c 20; PM p_m 1/n, η_m 20.
 * Integer variables use the integer forms of SBX and PM (pymoo's: the real operator on [lb − ½, ub + ½],
 * then rounding), with η = 3 by default when every variable is integer — decided by the operators
 * (../operators/variation.ts), which are values: `crossover: sbx({ eta: 15 })`, `mutation: pm()`, or
 * any custom {@link Crossover} / {@link Mutation}.
 */
import { nondominatedSort } from "../core/sorting.ts";
import { crowdingDistance } from "../core/crowding.ts";
import { binaryTournament } from "../core/selection.ts";
import { concat, type Population, select } from "../core/population.ts";
import type { Problem } from "../core/problem.ts";
import type { SbxOptions } from "../operators/sbx.ts";
import type { PmOptions } from "../operators/mutation.ts";
import {
  type Crossover,
  type Mutation,
  type OperatorSpec,
  pm,
  resolveOperator,
  sbx,
  withOperators,
} from "../operators/variation.ts";
import type { AlgorithmState } from "./algorithm.ts";
import { type BaseOptions, PopulationAlgorithm, savedOptions } from "./base.ts";

/** NSGA-II settings. */
export interface NSGA2Options extends BaseOptions {
  /**
   * The crossover: an operator value (default `sbx({ prob: 0.9, probVar: 0.5 })`, η 20, 3 on
   * all-integer problems), a built-in's `{ name, ...options }`, or SBX settings over the default's.
   */
  crossover?: Crossover | OperatorSpec | SbxOptions;
  /**
   * The mutation: an operator value (default `pm()`: p 1/n, η 20, 3 on all-integer problems), a
   * built-in's `{ name, ...options }`, or PM settings over the default's.
   */
  mutation?: Mutation | OperatorSpec | PmOptions;
}

/** Operators to pass again when resuming a run that used custom ones. */
export interface NSGA2Operators {
  /** The custom crossover the run used. */
  crossover?: Crossover;
  /** The custom mutation the run used. */
  mutation?: Mutation;
}

/**
 * NSGA-II with ask-and-tell, `run()`, and exact resume from `toJSON()`.
 *
 * @example A run saved half-way and resumed gives the same front as a run straight through
 * ```ts
 * import { getProblem, NSGA2, resumeAlgorithm } from "moolab";
 *
 * const zdt3 = getProblem("ZDT3");
 * const straight = new NSGA2(zdt3, { popSize: 40, seed: 7 }).run({ maxEvaluations: 2_000 });
 * const half = new NSGA2(zdt3, { popSize: 40, seed: 7 });
 * half.run({ maxEvaluations: 1_000 });
 * const state = JSON.parse(JSON.stringify(half)); // what a checkpoint file holds
 * const resumed = resumeAlgorithm(zdt3, state).run({ maxEvaluations: 2_000 });
 * if (resumed.front.data.join() !== straight.front.data.join()) throw new Error("resume differs");
 * ```
 */
export class NSGA2<O extends NSGA2Options = NSGA2Options> extends PopulationAlgorithm<O> {
  /** "NSGA-II". */
  readonly name: string = "NSGA-II";
  /** The name in option errors, before `name` is set (a subclass overrides it). */
  static readonly label: string = "NSGA-II";
  /** Rank and crowding distance of the current population, for mating selection. */
  protected rank: Int32Array = new Int32Array(0);
  /** Crowding distance of each member (see `rank`). */
  protected crowding: Float64Array = new Float64Array(0);
  /** The crossover in use. */
  readonly crossover: Crossover;
  /** The mutation in use. */
  readonly mutation: Mutation;

  /** NSGA-II on `problem` with `options`. */
  constructor(problem: Problem, options: O = {} as O) {
    const algorithm = (new.target as unknown as { label: string }).label;
    const crossover = resolveOperator(algorithm, "crossover", "crossover", options.crossover, sbx());
    const mutation = resolveOperator(algorithm, "mutation", "mutation", options.mutation, pm());
    super(problem, { ...options, crossover, mutation }, 4);
    this.crossover = crossover;
    this.mutation = mutation;
    if (this.popSize % 2 !== 0) {
      throw new RangeError(
        `NSGA-II: population size must be even (offspring come in pairs), got ${this.popSize}`,
      );
    }
  }

  /**
   * Restores a run saved with `toJSON()`; continuing it gives exactly the uninterrupted run. Custom
   * operators are not in the state: pass them again in `operators`.
   */
  static fromJSON(problem: Problem, state: AlgorithmState, operators?: NSGA2Operators): NSGA2 {
    const options = withOperators("NSGA-II", savedOptions<NSGA2Options>(state), operators);
    return new NSGA2(problem, options).restore(state);
  }

  /** Mating selection by binary tournament, SBX on consecutive pairs, polynomial mutation. */
  protected reproduce(pop: Population): Float64Array {
    return this.vary(pop, this.matingPool());
  }

  /** Rank (0 = non-dominated) and crowding distance of each member of the current population. */
  selectionData(): { rank: Int32Array; crowding: Float64Array } {
    return { rank: this.rank, crowding: this.crowding };
  }

  /** The next mating pool: `popSize` indices drawn by binary tournament (draws from the run's RNG). */
  matingPool(): Int32Array {
    return binaryTournament(this.rng, this.popSize, this.rank, this.crowding);
  }

  /**
   * The next batch bred from a given mating pool (SBX on consecutive pairs, then mutation); indices
   * from the population size on refer to the rows of `extra` — NSGA-II-LLM's hybrid reproduction,
   * where the LLM's solutions take the places of the recurring parents.
   */
  askFromPool(pool: ArrayLike<number>, extra: Float64Array = new Float64Array(0)): Float64Array {
    if (pool.length !== this.popSize) {
      throw new RangeError(
        `${this.name}: the mating pool must hold ${this.popSize} indices, got ${pool.length}`,
      );
    }
    const { nVar } = this.problem;
    return this.askWith((pop) => {
      const total = pop.size + extra.length / nVar;
      for (let k = 0; k < pool.length; k++) {
        if (!Number.isInteger(pool[k]) || pool[k] < 0 || pool[k] >= total) {
          throw new RangeError(`${this.name}: mating pool entry ${k} is ${pool[k]}, outside 0..${total - 1}`);
        }
      }
      if (extra.length === 0) return this.vary(pop, pool);
      const X = new Float64Array(pop.X.length + extra.length);
      X.set(pop.X);
      X.set(extra, pop.X.length);
      return this.vary({ ...pop, size: total, X }, pool);
    });
  }

  /** SBX on the pairs (parents[0], parents[1]), (parents[2], parents[3]), … then mutation. */
  protected vary(pop: Population, parents: ArrayLike<number>): Float64Array {
    const { nVar } = this.problem;
    const N = parents.length;
    const X = new Float64Array(N * nVar);
    const { crossover, mutation, space, rng } = this;
    for (let k = 0; k < N; k += 2) {
      const a = parents[k], b = parents[k + 1];
      const c1 = X.subarray(k * nVar, (k + 1) * nVar);
      const c2 = X.subarray((k + 1) * nVar, (k + 2) * nVar);
      const p1 = pop.X.subarray(a * nVar, (a + 1) * nVar), p2 = pop.X.subarray(b * nVar, (b + 1) * nVar);
      crossover.cross(rng, p1, p2, c1, c2, space);
      mutation.mutate(rng, c1, space);
      mutation.mutate(rng, c2, space);
    }
    return X;
  }

  /** Rank and crowding distance of every member, for the crowded-comparison tournament. */
  protected override onPopulation(pop: Population): void {
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
  protected override survive(parents: Population | null, offspring: Population): Population {
    if (!parents) return offspring;
    return rankAndCrowdingSurvival(concat(parents, offspring), this.popSize);
  }
}

/** NSGA-II's survival: the best `N` of `merged` by front, then by descending crowding distance. */
export function rankAndCrowdingSurvival(merged: Population, N: number): Population {
  return select(merged, rankAndCrowdingIndices(merged, N));
}

/**
 * The indices NSGA-II's survival keeps: whole fronts in rank order, the last one cut by descending
 * crowding distance (ties by position).
 */
export function rankAndCrowdingIndices(merged: Population, N: number): Int32Array {
  const Fm = { data: merged.F, n: merged.size, m: merged.nObj };
  const { fronts } = nondominatedSort(Fm, { cv: merged.nConstr > 0 ? merged.CV : undefined, maxCount: N });
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
  return chosen;
}
