/**
 * MOEA/D-GEN: the generational MOEA/D of pagmo2 (`pagmo::moead_gen`; pagmo's documentation cites
 * Wang, Ong & Ishibuchi 2018, "On scalable multiobjective test problems with hardly dominated
 * boundaries", IEEE TEC 23(2)). It is pagmo's MOEA/D-DE (`pagmo::moead`, after Li & Zhang 2009) made
 * generational: every generation, the offspring of all N subproblems are created first from the
 * current population, evaluated together, and only then inserted one by one.
 *
 * One generation, as in pagmo's `moead_gen::evolve`:
 * 1. the subproblems are visited in a fresh random order; for each subproblem n, with probability
 *    `delta` (pagmo's `realb`; or always when `preserveDiversity` is false) the pool is n's neighbourhood — the T nearest
 *    other weight vectors (pagmo's `kNN`, which leaves n out) — otherwise the whole population;
 * 2. two distinct members p0, p1 of the pool give y_k = x_n,k + F(x_p0,k − x_p1,k) for each variable
 *    with probability CR (no forced index: `de({ forceOne: false })`), a value out of bounds being set uniformly between the bound
 *    and x_n,k; then polynomial mutation (p 1/n, η_m);
 * 3. after all children are evaluated, child by child in the same order: the ideal point is lowered;
 *    the child replaces x_n when its scalarized value is strictly lower; then the pool is visited in
 *    random order, the child replacing every member it strictly improves — stopping, when
 *    `preserveDiversity` is on, as soon as `nr` (pagmo's `limit`) replacements (x_n's included) are made.
 *
 * Generational by design, unlike pagmo's `moead` and Li & Zhang's MOEA/D-DE, which are steady state
 * (each child applied before the next mates; ./moead_de.ts is, by default): this is the variant whose
 * whole generation can be evaluated in parallel, and it converges more slowly (bench/moead_zoo.ts).
 *
 * Defaults are pagmo's: weight generation "grid", decomposition "tchebycheff" (a zero weight counts as
 * 1e-4, as pagmo's `decompose_objectives` does), neighbours 20, CR 1, F 0.5, η_m 20, realb 0.9,
 * limit 2, preserveDiversity true. The options are spelled as MOEA/D-DE's (`de: de({ F, CR })`,
 * `mutation: pm({ eta })`, `delta`, `nr`); pagmo's spellings `CR`, `F`, `etaM`, `realb`, `limit` are
 * still accepted, deprecated, for one release. The "grid" weights are the simplex lattice of ./decomposition.ts
 * (pagmo's grid is the same lattice but throws unless `popSize` is exactly a lattice count; here the
 * population size becomes the largest count not above `popSize`, which is `popSize` itself for two
 * objectives). PBI is pagmo's "bi" with θ = 5.
 */
import type { Population } from "../core/population.ts";
import type { Problem } from "../core/problem.ts";
import type { DeOptions } from "../operators/de.ts";
import type { PmOptions } from "../operators/mutation.ts";
import {
  de,
  type DifferentialVariation,
  type Mutation,
  type OperatorSpec,
  pm,
  resolveOperator,
  withOperators,
} from "../operators/variation.ts";
import type { DEOperators } from "./moead_de.ts";
import type { AlgorithmState } from "./algorithm.ts";
import { savedOptions } from "./base.ts";
import { checkInt, checkUnit, DecompositionAlgorithm, type DecompositionOptions } from "./decomposition.ts";

/** MOEA/D-GEN settings (MOEA/D-DE's names for the settings they share). */
export interface MOEADGenOptions extends DecompositionOptions {
  /** Weight generation (only pagmo's default "grid"). */
  weightGeneration?: "grid";
  /**
   * The differential variation: an operator value (default `de({ forceOne: false })`: F 0.5, CR 1,
   * repair "parent", no forced index, as pagmo), a built-in's `{ name, ...options }`, or DE settings
   * over the default's.
   */
  de?: DifferentialVariation | OperatorSpec | DeOptions;
  /**
   * The mutation: an operator value (default `pm()`: p 1/n, η 20, 3 on all-integer problems), a
   * built-in's `{ name, ...options }`, or PM settings over the default's.
   */
  mutation?: Mutation | OperatorSpec | PmOptions;
  /** Probability δ of mating and updating within the neighbourhood (pagmo's realb; default 0.9). */
  delta?: number;
  /** Maximum number of replacements per child when preserving diversity, n_r (pagmo's limit; default 2). */
  nr?: number;
  /** Use delta and nr (default true); when false, always the neighbourhood and no limit. */
  preserveDiversity?: boolean;
  /** @deprecated use `de: { CR }` (or `de({ CR })`). */
  CR?: number;
  /** @deprecated use `de: { F }` (or `de({ F })`). */
  F?: number;
  /** @deprecated use `mutation: { eta }` (or `pm({ eta })`). */
  etaM?: number;
  /** @deprecated use `delta`. */
  realb?: number;
  /** @deprecated use `nr`. */
  limit?: number;
}

/** MOEA/D-GEN with ask-and-tell, `run()`, and exact resume from `toJSON()`. */
export class MOEADGen extends DecompositionAlgorithm<MOEADGenOptions> {
  /** "MOEA/D-GEN". */
  readonly name: string = "MOEA/D-GEN";
  /** Subproblem of each child of the pending batch (the generation's random order). */
  #pendingSub: Int32Array | null = null;
  /** 1 where the child's pool is the whole population. */
  #pendingWhole: Uint8Array | null = null;
  readonly #permT: Int32Array;
  readonly #permN: Int32Array;

  /** MOEA/D-GEN on `problem` with `options`. */
  constructor(problem: Problem, options: MOEADGenOptions = {}) {
    super(
      "MOEA/D-GEN",
      problem,
      {
        ...options,
        ...currentSpelling(options),
        weightGeneration: options.weightGeneration ?? "grid",
        preserveDiversity: options.preserveDiversity ?? true,
      },
      false,
      1e-4,
    );
    const o = this.options;
    if (o.weightGeneration !== "grid") {
      throw new RangeError(`MOEA/D-GEN: unknown weightGeneration "${o.weightGeneration}" (expected "grid")`);
    }
    checkUnit("MOEA/D-GEN", "delta (δ)", o.delta);
    checkInt("MOEA/D-GEN", "nr", o.nr, 1);
    if (typeof o.preserveDiversity !== "boolean") {
      throw new RangeError(`MOEA/D-GEN: preserveDiversity must be true or false, got ${o.preserveDiversity}`);
    }
    this.#permT = new Int32Array(this.T);
    this.#permN = new Int32Array(this.popSize);
  }

  /** Restores a run saved with `toJSON()`; continuing it gives exactly the uninterrupted run. */
  static fromJSON(problem: Problem, state: AlgorithmState, operators?: DEOperators): MOEADGen {
    const options = withOperators("MOEA/D-GEN", savedOptions<MOEADGenOptions>(state), operators);
    return new MOEADGen(problem, options).restore(state);
  }

  /** One child per subproblem by DE and polynomial mutation from its neighbourhood (or the population). */
  protected reproduce(pop: Population): Float64Array {
    const { nVar } = this.problem;
    const N = this.popSize;
    const { delta, preserveDiversity } = this.options;
    const { de, mutation } = this.options as { de: DifferentialVariation; mutation: Mutation };
    const { space, rng } = this;
    const order = this.rng.permutation(N);
    const whole = new Uint8Array(N);
    const X = new Float64Array(N * nVar);
    const par = new Int32Array(2);
    for (let c = 0; c < N; c++) {
      const n = order[c];
      whole[c] = this.rng.random() < delta! || !preserveDiversity ? 0 : 1;
      this.pickTwo(n, whole[c] === 1, par);
      const child = X.subarray(c * nVar, (c + 1) * nVar);
      de.vary(
        rng,
        pop.X.subarray(n * nVar, (n + 1) * nVar),
        pop.X.subarray(par[0] * nVar, (par[0] + 1) * nVar),
        pop.X.subarray(par[1] * nVar, (par[1] + 1) * nVar),
        child,
        space,
      );
      mutation.mutate(rng, child, space);
    }
    this.#pendingSub = order;
    this.#pendingWhole = whole;
    return X;
  }

  /** Neighbourhood replacement, at most `limit` replacements per child. */
  protected override survive(pop: Population | null, batch: Population): Population {
    if (!pop) return super.survive(null, batch);
    const subs = this.#pendingSub, whole = this.#pendingWhole;
    if (!subs || !whole || subs.length !== batch.size) {
      throw new Error("MOEA/D-GEN: the pending batch's subproblems are missing");
    }
    const next = this.clone(pop);
    const T = this.T, B = this.B, m = batch.nObj;
    const { nr, preserveDiversity } = this.options;
    for (let c = 0; c < batch.size; c++) {
      const n = subs[c];
      this.updateIdeal(batch.F, c * m);
      let time = 0;
      if (this.improves(batch, c, next, n, true)) {
        this.replace(batch, c, next, n);
        time++;
      }
      const all = whole[c] === 1;
      const perm = all ? this.#permN : this.#permT;
      for (let t = 0; t < perm.length; t++) perm[t] = all ? t : B[n * T + t];
      this.rng.shuffle(perm);
      for (let t = 0; t < perm.length; t++) {
        const j = perm[t];
        if (this.improves(batch, c, next, j, true)) {
          this.replace(batch, c, next, j);
          time++;
        }
        if (preserveDiversity && time >= nr!) break;
      }
    }
    this.#pendingSub = null;
    this.#pendingWhole = null;
    return next;
  }

  /** Saves z* and the subproblems of the batch in progress. */
  protected override saveExtra(): Record<string, unknown> {
    const extra = super.saveExtra();
    if (this.#pendingSub && this.#pendingWhole) {
      extra.pendingSub = Array.from(this.#pendingSub);
      extra.pendingWhole = Array.from(this.#pendingWhole);
    }
    return extra;
  }

  /** Restores what {@link saveExtra} saved. */
  protected override loadExtra(extra: Record<string, unknown>): void {
    super.loadExtra(extra);
    if (Array.isArray(extra.pendingSub) && Array.isArray(extra.pendingWhole)) {
      this.#pendingSub = Int32Array.from(extra.pendingSub as number[]);
      this.#pendingWhole = Uint8Array.from(extra.pendingWhole as number[]);
    }
  }
}

/**
 * The options with pagmo's spellings (`CR`, `F`, `etaM`, `realb`, `limit`; deprecated) moved to
 * MOEA/D-DE's (`de`, `mutation`, `delta`, `nr`) and the operators resolved; giving both spellings of
 * one setting is an error.
 */
function currentSpelling(options: MOEADGenOptions): MOEADGenOptions {
  const { CR, F, etaM, realb, limit, ...rest } = options;
  const both = (old: string, now: string, a: unknown, b: unknown) => {
    if (a !== undefined && b !== undefined) {
      throw new RangeError(`MOEA/D-GEN: give ${now} or the deprecated ${old}, not both`);
    }
  };
  both("realb", "delta", realb, options.delta);
  both("limit", "nr", limit, options.nr);
  both("CR/F", "de", CR ?? F, options.de);
  both("etaM", "mutation", etaM, options.mutation);
  const oldDe: DeOptions = {};
  if (F !== undefined) oldDe.F = F;
  if (CR !== undefined) oldDe.CR = CR;
  const deValue = options.de ?? (F !== undefined || CR !== undefined ? oldDe : undefined);
  const mutationValue = options.mutation ?? (etaM !== undefined ? { eta: etaM } : undefined);
  return {
    ...rest,
    de: resolveOperator("MOEA/D-GEN", "de", "differential", deValue, de({ forceOne: false })),
    mutation: resolveOperator("MOEA/D-GEN", "mutation", "mutation", mutationValue, pm()),
    delta: options.delta ?? realb ?? 0.9,
    nr: options.nr ?? limit ?? 2,
  };
}
