/**
 * MOEA/D-DE (Li & Zhang 2009, IEEE TEC 13(2)): MOEA/D with differential evolution and two measures
 * that keep the population diverse on problems with complicated Pareto sets.
 *
 * For each subproblem i: with probability δ (0.9) the mating and update pool P is the neighbourhood
 * B(i) (T = 20 nearest weight vectors, i included), otherwise the whole population; two distinct
 * members r2, r3 of P give the DE child y = x_i + F(x_r2 − x_r3) (DE/rand/1/bin with r1 = i, F = 0.5,
 * CR = 1.0; see ../operators/de.ts for the bound repair), then polynomial mutation (η 20, p 1/n). The
 * child lowers the ideal point z* and replaces members of P, visited in random order, whose Tchebycheff
 * value it does not exceed — at most n_r = 2 of them.
 *
 * Steady state, as the original (Li & Zhang's code and PlatEMO's MOEADDE): each child is evaluated,
 * lowers z* and replaces its neighbours before the next subproblem mates, so the child of subproblem
 * i + 1 can already have the child accepted at i as a parent. In ask-and-tell, `ask()` returns one
 * child (`batchSize` 1) and `tell()` applies its update; a generation (a history entry, a unit of
 * `maxGenerations`) is still one pass over the subproblems, in order, and `minimize` runs whole passes
 * (`remainingInGeneration`). The random visiting order of P is drawn in `tell()`, as the authors' code
 * draws it in its update step. A population obtained between passes is not changed by the next pass;
 * within a pass the population is updated in place.
 *
 * `steadyState: false` keeps the batched pass: `ask()` returns the N children of the pass, all made
 * from the population at the start of the pass, and `tell()` applies the updates child by child in
 * subproblem order — what generational implementations do to evaluate a pass in parallel, and much
 * slower to converge (see bench/moead_zoo.ts). The RNG draws per child are the same in both modes; only
 * their interleaving with the updates differs.
 *
 * Defaults are the paper's: T 20, δ 0.9, n_r 2, F 0.5, CR 1.0, η_m 20, Tchebycheff. The population
 * size is the number of weight vectors (exactly `popSize` for 2 objectives; see ./decomposition.ts).
 */
import type { Population } from "../core/population.ts";
import type { Problem } from "../core/problem.ts";
import { float64 } from "../core/slab.ts";
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
import type { AlgorithmState } from "./algorithm.ts";
import { savedOptions } from "./base.ts";
import { checkInt, checkUnit, DecompositionAlgorithm, type DecompositionOptions } from "./decomposition.ts";

/** MOEA/D-DE settings. */
export interface MOEADDEOptions extends DecompositionOptions {
  /** Probability δ that parents come from the neighbourhood rather than the whole population (0.9). */
  delta?: number;
  /** Maximum number of solutions a child replaces, n_r (default 2). */
  nr?: number;
  /**
   * The differential variation: an operator value (default `de()`: F 0.5, CR 1.0, repair "parent"), a
   * built-in's `{ name, ...options }`, or DE settings over the default's.
   */
  de?: DifferentialVariation | OperatorSpec | DeOptions;
  /**
   * The mutation: an operator value (default `pm()`: p 1/n, η 20, 3 on all-integer problems), a
   * built-in's `{ name, ...options }`, or PM settings over the default's.
   */
  mutation?: Mutation | OperatorSpec | PmOptions;
  /**
   * One child per ask/tell, each bred from the population as updated by every earlier child of the
   * pass, as the original (default true); false: the whole pass as one batch from the population at
   * the start of the pass (for parallel evaluation).
   */
  steadyState?: boolean;
}

/** MOEA/D-DE with ask-and-tell, `run()`, and exact resume from `toJSON()`. */
export class MOEADDE<O extends MOEADDEOptions = MOEADDEOptions> extends DecompositionAlgorithm<O> {
  /** "MOEA/D-DE". */
  readonly name: string = "MOEA/D-DE";
  /** Subproblem of each child of the pending batch. */
  protected pendingSub: Int32Array | null = null;
  /** 1 where the child's pool is the whole population, 0 where it is the neighbourhood. */
  protected pendingWhole: Uint8Array | null = null;
  readonly #permT: Int32Array;
  readonly #permN: Int32Array;
  readonly #algo: string;
  /** Steady state: the subproblems of the pass under way (null between passes) and the next one's index. */
  #pass: Int32Array | null = null;
  #pos = 0;
  /** Scratch: the one subproblem of a steady-state ask, and two parents. */
  readonly #one = new Int32Array(1);
  readonly #par = new Int32Array(2);
  readonly #oneWhole = new Uint8Array(1);
  /** Scratch copies of the base and the two parents' decisions. */
  readonly #rows: Float64Array[];

  /** MOEA/D-DE on `problem` with `options` (`algorithm`: the name used in errors, for subclasses). */
  constructor(problem: Problem, options: O = {} as O, algorithm = "MOEA/D-DE") {
    super(
      algorithm,
      problem,
      {
        ...options,
        delta: options.delta ?? 0.9,
        nr: options.nr ?? 2,
        de: resolveOperator(algorithm, "de", "differential", options.de, de()),
        mutation: resolveOperator(algorithm, "mutation", "mutation", options.mutation, pm()),
        steadyState: options.steadyState ?? true,
      },
      true,
      1e-6,
    );
    this.#algo = algorithm;
    const { delta, nr } = this.options;
    checkUnit(algorithm, "delta (δ)", delta);
    checkInt(algorithm, "nr", nr, 1);
    if (typeof this.options.steadyState !== "boolean") {
      throw new RangeError(
        `${algorithm}: steadyState must be true or false, got ${this.options.steadyState}`,
      );
    }
    this.#permT = new Int32Array(this.T);
    this.#permN = new Int32Array(this.popSize);
    this.#rows = [0, 1, 2].map(() => new Float64Array(problem.nVar));
  }

  /** Restores a run saved with `toJSON()`; continuing it gives exactly the uninterrupted run. */
  static fromJSON(problem: Problem, state: AlgorithmState, operators?: DEOperators): MOEADDE {
    const options = withOperators("MOEA/D-DE", savedOptions<MOEADDEOptions>(state), operators);
    return new MOEADDE(problem, batchedIfUnsaid(options)).restore(state);
  }

  /** One child per ask once the initial population is told (steady state), else the whole pass. */
  override get batchSize(): number {
    return this.initialized && this.options.steadyState ? 1 : super.batchSize;
  }

  /** Children still to evaluate in this pass (the whole pass when none is under way). */
  get remainingInGeneration(): number {
    if (!this.initialized || !this.options.steadyState) return this.batchSize;
    return this.#pass ? this.#pass.length - this.#pos : this.offspringSize();
  }

  /** True while a steady-state pass is under way (some of its children told, not all). */
  protected get midPass(): boolean {
    return this.#pass !== null;
  }

  /** A generation ends after the last subproblem of the pass (one at a time when steady-state). */
  protected override completesGeneration(): boolean {
    return !this.options.steadyState || (this.#pass !== null && this.#pos === this.#pass.length - 1);
  }

  /** The subproblems that get a child this generation, in order (all of them). */
  protected selectSubproblems(): Int32Array {
    const s = new Int32Array(this.popSize);
    for (let i = 0; i < s.length; i++) s[i] = i;
    return s;
  }

  /**
   * DE/rand/1/bin and polynomial mutation from each selected subproblem's neighbourhood (or the whole
   * population).
   */
  protected reproduce(pop: Population): Float64Array {
    if (!this.options.steadyState) return this.#breed(pop, this.selectSubproblems());
    if (!this.#pass) {
      this.#pass = this.selectSubproblems();
      this.#pos = 0;
    }
    this.#one[0] = this.#pass[this.#pos];
    return this.#breed(pop, this.#one);
  }

  /** The children of subproblems `subs` from `pop`: pool by δ, DE/rand/1/bin, then PM. */
  #breed(pop: Population, subs: Int32Array): Float64Array {
    const { nVar } = this.problem;
    const one = subs === this.#one;
    const whole = one ? this.#oneWhole : new Uint8Array(subs.length);
    const X = float64(subs.length * nVar);
    const par = this.#par, [xi, xa, xb] = this.#rows;
    const { delta } = this.options;
    const { de, mutation } = this.options as { de: DifferentialVariation; mutation: Mutation };
    const { space, rng } = this;
    const P = pop.X;
    for (let c = 0; c < subs.length; c++) {
      const i = subs[c];
      whole[c] = this.rng.random() < delta! ? 0 : 1;
      this.pickTwo(i, whole[c] === 1, par);
      // copies of the three rows (cheaper than three subarray views per child)
      const oi = i * nVar, oa = par[0] * nVar, ob = par[1] * nVar;
      for (let k = 0; k < nVar; k++) {
        xi[k] = P[oi + k];
        xa[k] = P[oa + k];
        xb[k] = P[ob + k];
      }
      const child = one ? X : X.subarray(c * nVar, (c + 1) * nVar);
      de.vary(rng, xi, xa, xb, child, space);
      mutation.mutate(rng, child, space);
    }
    this.pendingSub = subs;
    this.pendingWhole = whole;
    return X;
  }

  /**
   * Child by child: update z*, then replace at most n_r members of its pool, visited at random. In
   * steady state the batch is one child, applied in place to the pass's own copy of the population.
   */
  protected override survive(pop: Population | null, batch: Population): Population {
    if (!pop) return super.survive(null, batch);
    const subs = this.pendingSub, whole = this.pendingWhole;
    if (!subs || !whole || subs.length !== batch.size) {
      throw new Error(`${this.#algo}: the pending batch's subproblems are missing`);
    }
    const steady = this.options.steadyState && this.#pass !== null;
    const next = steady && this.#pos > 0 ? pop : this.clone(pop);
    const T = this.T, B = this.B, m = batch.nObj, nr = this.options.nr!;
    for (let c = 0; c < batch.size; c++) {
      const i = subs[c];
      this.updateIdeal(batch.F, c * m);
      const all = whole[c] === 1;
      const perm = all ? this.#permN : this.#permT;
      for (let t = 0; t < perm.length; t++) perm[t] = all ? t : B[i * T + t];
      this.rng.shuffle(perm);
      let replaced = 0;
      for (let t = 0; t < perm.length && replaced < nr; t++) {
        const j = perm[t];
        if (this.improves(batch, c, next, j, false)) {
          this.replace(batch, c, next, j);
          replaced++;
        }
      }
    }
    this.pendingSub = null;
    this.pendingWhole = null;
    if (steady && ++this.#pos === this.#pass!.length) {
      this.#pass = null;
      this.#pos = 0;
    }
    return next;
  }

  /** Saves z* and the batch or pass in progress. */
  protected override saveExtra(): Record<string, unknown> {
    const extra = super.saveExtra();
    if (this.pendingSub && this.pendingWhole) {
      extra.pendingSub = Array.from(this.pendingSub);
      extra.pendingWhole = Array.from(this.pendingWhole);
    }
    if (this.#pass) {
      extra.pass = Array.from(this.#pass);
      extra.passPosition = this.#pos;
    }
    return extra;
  }

  /** Restores what {@link saveExtra} saved. */
  protected override loadExtra(extra: Record<string, unknown>): void {
    super.loadExtra(extra);
    if (Array.isArray(extra.pendingSub) && Array.isArray(extra.pendingWhole)) {
      this.pendingSub = Int32Array.from(extra.pendingSub as number[]);
      this.pendingWhole = Uint8Array.from(extra.pendingWhole as number[]);
    }
    if (extra.pass !== undefined) {
      const pass = extra.pass, pos = extra.passPosition;
      const N = this.popSize;
      if (
        !Array.isArray(pass) || pass.length === 0 || !pass.every((i) =>
          Number.isInteger(i) && i >= 0 && i < N
        ) ||
        typeof pos !== "number" || !Number.isInteger(pos) || pos < 0 || pos >= pass.length
      ) {
        throw new RangeError(
          `${this.#algo}: the saved pass (subproblems and position) does not fit the population`,
        );
      }
      this.#pass = Int32Array.from(pass as number[]);
      this.#pos = pos;
    }
  }
}

/**
 * Saved options without `steadyState` come from before it existed, when every pass was one batch:
 * they resume batched.
 */
export function batchedIfUnsaid<O extends MOEADDEOptions>(options: O): O {
  return options.steadyState === undefined ? { ...options, steadyState: false } : options;
}

/** Operators to pass again when resuming a MOEA/D-DE, -DRA or -GEN run that used custom ones. */
export interface DEOperators {
  /** The custom differential variation the run used. */
  de?: DifferentialVariation;
  /** The custom mutation the run used. */
  mutation?: Mutation;
}
