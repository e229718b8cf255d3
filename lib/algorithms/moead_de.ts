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
 * Ask-and-tell: one generation is one pass over the N subproblems, in order. `ask()` returns the N
 * children of the pass, all made from the population at the start of the pass; `tell()` applies the
 * ideal-point updates and replacements child by child, in subproblem order (the original evaluates each
 * child before the next subproblem mates; this batched form is what generational implementations do
 * for parallel evaluation). The random visiting order of P is drawn in `tell()`, as the authors' code
 * draws it in its update step.
 *
 * Defaults are the paper's: T 20, δ 0.9, n_r 2, F 0.5, CR 1.0, η_m 20, Tchebycheff. The population
 * size is the number of weight vectors (exactly `popSize` for 2 objectives; see ./decomposition.ts).
 */
import type { Population } from "../core/population.ts";
import type { Problem } from "../core/problem.ts";
import { DE_REPAIRS, type DeOptions, deRand1Bin } from "../operators/de.ts";
import { type PmOptions, polynomialMutation } from "../operators/mutation.ts";
import type { AlgorithmState } from "./algorithm.ts";
import { savedOptions } from "./base.ts";
import { checkInt, checkUnit, DecompositionAlgorithm, type DecompositionOptions } from "./decomposition.ts";

/** MOEA/D-DE settings. */
export interface MOEADDEOptions extends DecompositionOptions {
  /** Probability δ that parents come from the neighbourhood rather than the whole population (0.9). */
  delta?: number;
  /** Maximum number of solutions a child replaces, n_r (default 2). */
  nr?: number;
  /** DE settings (default F 0.5, CR 1.0, repair "parent"). */
  de?: DeOptions;
  /** Polynomial mutation settings (default p 1/n, η 20). */
  mutation?: PmOptions;
}

/** MOEA/D-DE with ask-and-tell, `run()`, and exact resume from `toJSON()`. */
export class MOEADDE<O extends MOEADDEOptions = MOEADDEOptions> extends DecompositionAlgorithm<O> {
  readonly name: string = "MOEA/D-DE";
  /** Subproblem of each child of the pending batch. */
  protected pendingSub: Int32Array | null = null;
  /** 1 where the child's pool is the whole population, 0 where it is the neighbourhood. */
  protected pendingWhole: Uint8Array | null = null;
  readonly #permT: Int32Array;
  readonly #permN: Int32Array;
  readonly #algo: string;

  constructor(problem: Problem, options: O = {} as O, algorithm = "MOEA/D-DE") {
    super(
      algorithm,
      problem,
      {
        ...options,
        delta: options.delta ?? 0.9,
        nr: options.nr ?? 2,
        de: { F: 0.5, CR: 1.0, repair: "parent", ...options.de },
        mutation: { eta: 20, ...options.mutation },
      },
      true,
      1e-6,
    );
    this.#algo = algorithm;
    const { delta, nr, de, mutation } = this.options;
    checkUnit(algorithm, "delta (δ)", delta);
    checkInt(algorithm, "nr", nr, 1);
    checkDe(algorithm, de!);
    if (mutation!.prob !== undefined) checkUnit(algorithm, "mutation.prob", mutation!.prob);
    this.#permT = new Int32Array(this.T);
    this.#permN = new Int32Array(this.popSize);
  }

  /** Restores a run saved with `toJSON()`; continuing it gives exactly the uninterrupted run. */
  static fromJSON(problem: Problem, state: AlgorithmState): MOEADDE {
    return new MOEADDE(problem, savedOptions<MOEADDEOptions>(state)).restore(state);
  }

  /** The subproblems that get a child this generation, in order (all of them). */
  protected selectSubproblems(): Int32Array {
    const s = new Int32Array(this.popSize);
    for (let i = 0; i < s.length; i++) s[i] = i;
    return s;
  }

  protected reproduce(pop: Population): Float64Array {
    const { nVar, lower, upper, integer } = this.problem;
    const subs = this.selectSubproblems();
    const whole = new Uint8Array(subs.length);
    const X = new Float64Array(subs.length * nVar);
    const par = new Int32Array(2);
    const { delta, de, mutation } = this.options;
    for (let c = 0; c < subs.length; c++) {
      const i = subs[c];
      whole[c] = this.rng.random() < delta! ? 0 : 1;
      this.pickTwo(i, whole[c] === 1, par);
      const child = X.subarray(c * nVar, (c + 1) * nVar);
      deRand1Bin(
        this.rng,
        pop.X.subarray(i * nVar, (i + 1) * nVar),
        pop.X.subarray(par[0] * nVar, (par[0] + 1) * nVar),
        pop.X.subarray(par[1] * nVar, (par[1] + 1) * nVar),
        child,
        lower,
        upper,
        de,
        integer,
      );
      polynomialMutation(this.rng, child, lower, upper, mutation);
    }
    this.pendingSub = subs;
    this.pendingWhole = whole;
    return X;
  }

  /** Child by child: update z*, then replace at most n_r members of its pool, visited at random. */
  protected override survive(pop: Population | null, batch: Population): Population {
    if (!pop) return super.survive(null, batch);
    const subs = this.pendingSub, whole = this.pendingWhole;
    if (!subs || !whole || subs.length !== batch.size) {
      throw new Error(`${this.#algo}: the pending batch's subproblems are missing`);
    }
    const next = this.clone(pop);
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
    return next;
  }

  protected override saveExtra(): Record<string, unknown> {
    const extra = super.saveExtra();
    if (this.pendingSub && this.pendingWhole) {
      extra.pendingSub = Array.from(this.pendingSub);
      extra.pendingWhole = Array.from(this.pendingWhole);
    }
    return extra;
  }

  protected override loadExtra(extra: Record<string, unknown>): void {
    super.loadExtra(extra);
    if (Array.isArray(extra.pendingSub) && Array.isArray(extra.pendingWhole)) {
      this.pendingSub = Int32Array.from(extra.pendingSub as number[]);
      this.pendingWhole = Uint8Array.from(extra.pendingWhole as number[]);
    }
  }
}

/** Checks DE settings, naming the algorithm. */
export function checkDe(algorithm: string, de: DeOptions): void {
  if (typeof de.F !== "number" || !(de.F >= 0) || !Number.isFinite(de.F)) {
    throw new RangeError(`${algorithm}: de.F must be a finite number ≥ 0, got ${de.F}`);
  }
  checkUnit(algorithm, "de.CR", de.CR);
  if (!DE_REPAIRS.includes(de.repair as string)) {
    throw new RangeError(
      `${algorithm}: unknown de.repair "${de.repair}" (expected "parent", "random" or "clip")`,
    );
  }
}
