/**
 * NSGA-II-ARSBX: NSGA-II with the adaptive rotation-based simulated binary crossover of L. Pan, W. Xu,
 * L. Li, C. He & R. Cheng, "Adaptive simulated binary crossover for rotated multi-objective
 * optimization", Swarm and Evolutionary Computation 60 (2021) 100759.
 *
 * Everything is NSGA-II (binary tournament on rank and crowding distance, (μ + λ) rank-and-crowding
 * survival) except the crossover. Each generation the mating pool is split in two: a fraction p_s of
 * the pairs is crossed by SBX in the original coordinates, the rest by SBX in the coordinate system of
 * the population (eigenvectors of the covariance of the survivors, centred at their mean; see
 * ../operators/arsbx.ts); children are clipped to the bounds and mutated by polynomial mutation. After
 * survival, the number of survivors made by each kind (n_o plain, n_r rotated) adapts
 *   p_s = 1 / (1 + exp(−M √D ((n_o + 1)/(n_o + n_r + 2) − ½) · FE / maxFE)),
 * and the coordinate system is re-learned from the new population.
 *
 * Where the paper leaves details open this follows PlatEMO's `NSGAIIARSBX` / `ARSBX.m` /
 * `UpdateParameter.m`: p_s starts at ½ and the first generation uses the identity rotation; SBX is the
 * unbounded form with p_c 1, η_c 2, per-variable ½ (then clipping); PM p_m 1/n, η_m 20; the covariance
 * is that of the whole surviving population. Differences: children are clipped before mutation (PlatEMO
 * mutates first and clips at evaluation); the number of rotated pairs is the complement of the plain
 * ones, so exactly `popSize` offspring come out (PlatEMO rounds both counts and can make two extra).
 * FE/maxFE needs the budget: `budget` if given, else the run (`run`, `runAsync`, `minimize`) takes it from its `maxEvaluations` (or
 * `maxGenerations` × popSize); in plain ask-and-tell without a budget the ratio is taken as 1.
 */
import { binaryTournament } from "../core/selection.ts";
import { concat, type Population, select } from "../core/population.ts";
import type { Problem } from "../core/problem.ts";
import {
  type ArsbxOptions,
  identityRotation,
  learnRotation,
  rotatedSbx,
  type Rotation,
} from "../operators/arsbx.ts";
import type { AlgorithmState } from "./algorithm.ts";
import { savedOptions } from "./base.ts";
import { NSGA2, type NSGA2Options, rankAndCrowdingIndices } from "./nsga2.ts";
import { isOperator, type Mutation, withOperators } from "../operators/variation.ts";

/** NSGA-II-ARSBX settings. */
export interface NSGA2ARSBXOptions extends NSGA2Options {
  /**
   * SBX settings for both the plain and the rotated crossover (default p 1, η 2, per-variable 0.5):
   * the crossover is ARSBX's own, so it takes settings, not an operator value. The mutation is a
   * value (default `pm()`).
   */
  crossover?: ArsbxOptions;
  /** The evaluation budget maxFE of the adaptive schedule (default: taken from `run()`). */
  budget?: number;
  /** The initial share of plain (unrotated) SBX pairs, p_s (default 0.5). */
  initialPlainShare?: number;
}

/** NSGA-II with ARSBX crossover, ask-and-tell, `run()`, and exact resume from `toJSON()`. */
export class NSGA2ARSBX extends NSGA2<NSGA2ARSBXOptions> {
  /** "NSGA-II-ARSBX". */
  override readonly name: string = "NSGA-II-ARSBX";
  /** The name in errors raised before an instance exists (resume). */
  static override readonly label: string = "NSGA-II-ARSBX";
  /** Which operator made each population member: 0 initial, 1 plain SBX, 2 rotated SBX. */
  #origin: Uint8Array = new Uint8Array(0);
  /** The operator of each member of the pending batch. */
  #pendingOrigin: Uint8Array | null = null;
  #ps: number;
  #budget: number | undefined;
  #rotation: Rotation;

  /** NSGA-II-ARSBX on `problem` with `options`. */
  constructor(problem: Problem, options: NSGA2ARSBXOptions = {}) {
    super(problem, prepare(options));
    this.#ps = this.options.initialPlainShare!;
    this.#budget = this.options.budget;
    this.#rotation = identityRotation(problem.lower, problem.upper);
  }

  /** Restores a run saved with `toJSON()`; continuing it gives exactly the uninterrupted run. */
  static override fromJSON(
    problem: Problem,
    state: AlgorithmState,
    operators?: { mutation?: Mutation },
  ): NSGA2ARSBX {
    const options = withOperators("NSGA-II-ARSBX", savedOptions<NSGA2ARSBXOptions>(state), operators);
    return new NSGA2ARSBX(problem, options).restore(state);
  }

  /** The current share p_s of plain (unrotated) SBX pairs. */
  get plainShare(): number {
    return this.#ps;
  }

  /** The learned coordinate system (axes as columns, and centre). */
  get rotation(): Rotation {
    return this.#rotation;
  }

  /**
   * Fills in the budget of the adaptive schedule from the run's termination if unset; called by
   * `minimize`, so `run`, `runAsync` and `minimize` agree.
   */
  begin(options: { maxEvaluations?: number; maxGenerations?: number }): void {
    if (this.#budget === undefined) {
      if (options.maxEvaluations !== undefined) this.#budget = options.maxEvaluations;
      else if (options.maxGenerations !== undefined) this.#budget = options.maxGenerations * this.popSize;
    }
  }

  /** Rotation-based SBX in the learned coordinates, then polynomial mutation. */
  protected override reproduce(pop: Population): Float64Array {
    const parents = binaryTournament(this.rng, this.popSize, this.rank, this.crowding);
    return this.vary(pop, parents);
  }

  /** Pairs (0,1), (2,3), … of `parents`: the first share p_s by plain SBX, the rest rotated. */
  protected override vary(pop: Population, parents: ArrayLike<number>): Float64Array {
    const { nVar, lower, upper } = this.problem;
    const N = parents.length;
    const X = new Float64Array(N * nVar);
    const settings = this.crossover.options as ArsbxOptions, { mutation, space, rng } = this;
    const origin = new Uint8Array(N);
    const nPlain = Math.min(N, Math.round((N * this.#ps) / 2) * 2);
    const work = new Float64Array(4 * nVar);
    for (let k = 0; k < N; k += 2) {
      const a = parents[k], b = parents[k + 1];
      const c1 = X.subarray(k * nVar, (k + 1) * nVar);
      const c2 = X.subarray((k + 1) * nVar, (k + 2) * nVar);
      const plain = k < nPlain;
      rotatedSbx(
        this.rng,
        pop.X.subarray(a * nVar, (a + 1) * nVar),
        pop.X.subarray(b * nVar, (b + 1) * nVar),
        c1,
        c2,
        lower,
        upper,
        plain ? null : this.#rotation,
        settings,
        work,
      );
      mutation.mutate(rng, c1, space);
      mutation.mutate(rng, c2, space);
      origin[k] = origin[k + 1] = plain ? 1 : 2;
    }
    this.#pendingOrigin = origin;
    return X;
  }

  /** NSGA-II's survival (rank and crowding), keeping track of which operator made each survivor. */
  protected override survive(parents: Population | null, offspring: Population): Population {
    if (!parents) {
      this.#origin = new Uint8Array(offspring.size);
      return offspring;
    }
    const merged = concat(parents, offspring);
    const chosen = rankAndCrowdingIndices(merged, this.popSize);
    const mergedOrigin = new Uint8Array(merged.size);
    mergedOrigin.set(this.#origin.subarray(0, parents.size));
    if (this.#pendingOrigin && this.#pendingOrigin.length === offspring.size) {
      mergedOrigin.set(this.#pendingOrigin, parents.size);
    }
    this.#pendingOrigin = null;
    this.#origin = Uint8Array.from(chosen, (i) => mergedOrigin[i]);
    let nPlain = 0, nRot = 0;
    for (const o of this.#origin) {
      if (o === 1) nPlain++;
      else if (o === 2) nRot++;
    }
    const { nObj, nVar } = this.problem;
    const ratio = this.#budget ? Math.min(1, this.evaluations / this.#budget) : 1;
    this.#ps = 1 /
      (1 + Math.exp(-nObj * Math.sqrt(nVar) * ((nPlain + 1) / (nPlain + nRot + 2) - 0.5) * ratio));
    return select(merged, chosen);
  }

  /** NSGA-II's rank and crowding, and the coordinate system learned from the population. */
  protected override onPopulation(pop: Population): void {
    super.onPopulation(pop);
    this.#rotation = this.generation >= 2
      ? learnRotation(pop.X, pop.size, pop.nVar)
      : identityRotation(this.problem.lower, this.problem.upper);
  }

  /** Saves which operator made each member, the operator probability and the budget. */
  protected override saveExtra(): Record<string, unknown> {
    return {
      origin: Array.from(this.#origin),
      pendingOrigin: this.#pendingOrigin ? Array.from(this.#pendingOrigin) : null,
      ps: this.#ps,
      budget: this.#budget ?? null,
    };
  }

  /** Restores what {@link saveExtra} saved. */
  protected override loadExtra(extra: Record<string, unknown>): void {
    if (Array.isArray(extra.origin)) this.#origin = Uint8Array.from(extra.origin as number[]);
    this.#pendingOrigin = Array.isArray(extra.pendingOrigin)
      ? Uint8Array.from(extra.pendingOrigin as number[])
      : null;
    if (typeof extra.ps === "number") this.#ps = extra.ps;
    if (typeof extra.budget === "number") this.#budget = extra.budget;
  }
}

function prepare(options: NSGA2ARSBXOptions): NSGA2ARSBXOptions {
  const popSize = options.popSize ?? 100;
  if (!Number.isInteger(popSize) || popSize < 4 || popSize % 2 !== 0) {
    throw new RangeError(
      `NSGA-II-ARSBX: population size must be an even integer of at least 4 (offspring come in pairs), got ${popSize}`,
    );
  }
  if (isOperator(options.crossover)) {
    throw new RangeError(
      "NSGA-II-ARSBX: the crossover is ARSBX's own; give its SBX settings ({ prob, eta, probVar }), not an operator value",
    );
  }
  const { name, ...given } = (options.crossover ?? {}) as ArsbxOptions & { name?: string };
  if (name !== undefined && name !== "sbx") {
    throw new RangeError(`NSGA-II-ARSBX: the crossover is ARSBX's own (SBX settings), got "${name}"`);
  }
  const crossover = { prob: 1, eta: 2, probVar: 0.5, ...given };
  if (options.budget !== undefined && !(Number.isInteger(options.budget) && options.budget >= 1)) {
    throw new RangeError(`NSGA-II-ARSBX: budget must be a positive integer, got ${options.budget}`);
  }
  const ps = options.initialPlainShare ?? 0.5;
  if (!(ps >= 0 && ps <= 1)) {
    throw new RangeError(`NSGA-II-ARSBX: initialPlainShare must be in [0, 1], got ${ps}`);
  }
  return { ...options, crossover, initialPlainShare: ps };
}
