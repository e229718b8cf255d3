/**
 * MOEA/D-DRA (Zhang, Liu & Li 2009, "The performance of a new version of MOEA/D on CEC09
 * unconstrained MOP test instances", CEC 2009 — the competition's winner): MOEA/D-DE with dynamical
 * resource allocation. Each subproblem i has a utility π_i (initially 1); every generation only the
 * extreme (boundary) subproblems — weight vectors with all but one coordinate below 1e-3 — plus
 * subproblems chosen by 10-tournament on π (the highest utility of 10 drawn at random; chosen ones are
 * not drawn again), ⌊N/5⌋ in all, get a child. Mating, DE + polynomial mutation, ideal-point update and
 * replacement (δ 0.9, at most n_r = 2, Tchebycheff) are MOEA/D-DE's (./moead_de.ts).
 *
 * Every 50 generations the utilities are updated from the relative decrease of each subproblem's
 * value since the last update, Δ_i = (g(x_i^old) − g(x_i))/g(x_i^old), both evaluated with the current
 * z*: π_i = 1 if Δ_i > 0.001, else (0.95 + 0.05 Δ_i/0.001) π_i. (The paper defines Δ_i as the relative
 * decrease; the old objective vectors are kept and re-scalarized with the current z*, as the authors'
 * code does. PlatEMO stores the old scalar values instead.)
 *
 * Steady state, as the authors' code and PlatEMO's MOEADDRA: the selected subproblems are visited in
 * selection order and each child is evaluated and applied (z*, replacements) before the next one
 * mates; a generation is the ⌊N/5⌋ children of one selection (as in the paper; PlatEMO groups five of
 * these into one of its generations), the selection drawn when the first of them is asked, the
 * utilities updated when the last is told. `steadyState: false` makes the selection one batch from the
 * population at the start of the generation (see ./moead_de.ts). π, the old objective vectors, the
 * pass under way and the pending child are saved in the state.
 *
 * Defaults: the paper's T 20, δ 0.9, n_r 2, F 0.5, CR 1.0, η_m 20, utility period 50, tournament 10
 * (PlatEMO uses T = ⌈N/10⌉ and n_r = ⌈N/100⌉).
 */
import type { Population } from "../core/population.ts";
import type { Problem } from "../core/problem.ts";
import type { AlgorithmState } from "./algorithm.ts";
import { savedOptions } from "./base.ts";
import { boundarySubproblems, checkInt } from "./decomposition.ts";
import { batchedIfUnsaid, type DEOperators, MOEADDE, type MOEADDEOptions } from "./moead_de.ts";
import { withOperators } from "../operators/variation.ts";

/** MOEA/D-DRA settings. */
export interface MOEADDRAOptions extends MOEADDEOptions {
  /** Generations between utility updates (default 50). */
  utilityPeriod?: number;
  /** Tournament size of the subproblem selection (default 10). */
  tournamentSize?: number;
}

/** MOEA/D-DRA with ask-and-tell, `run()`, and exact resume from `toJSON()`. */
export class MOEADDRA extends MOEADDE<MOEADDRAOptions> {
  /** "MOEA/D-DRA". */
  override readonly name: string = "MOEA/D-DRA";
  /** The boundary subproblems, always selected. */
  readonly #boundary: Int32Array;
  /** Utility π of each subproblem. */
  #pi: Float64Array;
  /** Objective vectors of the population at the last utility update. */
  #oldF: Float64Array;

  /** MOEA/D-DRA on `problem` with `options`. */
  constructor(problem: Problem, options: MOEADDRAOptions = {}) {
    super(problem, {
      ...options,
      utilityPeriod: options.utilityPeriod ?? 50,
      tournamentSize: options.tournamentSize ?? 10,
    }, "MOEA/D-DRA");
    checkInt("MOEA/D-DRA", "utilityPeriod", this.options.utilityPeriod, 1);
    checkInt("MOEA/D-DRA", "tournamentSize", this.options.tournamentSize, 1);
    this.#boundary = boundarySubproblems(this.weights);
    this.#pi = new Float64Array(this.weights.n).fill(1);
    this.#oldF = new Float64Array(0);
  }

  /** Restores a run saved with `toJSON()`; continuing it gives exactly the uninterrupted run. */
  static override fromJSON(problem: Problem, state: AlgorithmState, operators?: DEOperators): MOEADDRA {
    const options = withOperators("MOEA/D-DRA", savedOptions<MOEADDRAOptions>(state), operators);
    return new MOEADDRA(problem, batchedIfUnsaid(options)).restore(state);
  }

  /** The utilities π (a copy). */
  get utility(): Float64Array {
    return this.#pi.slice();
  }

  /** max(number of boundary subproblems, ⌊N/5⌋) children per generation. */
  protected override offspringSize(): number {
    return Math.max(this.#boundary.length, Math.floor(this.popSize / 5));
  }

  /** The boundary subproblems, then 10-tournament winners on π without replacement. */
  protected override selectSubproblems(): Int32Array {
    const N = this.popSize, size = this.offspringSize(), k = this.options.tournamentSize!;
    const sel = new Int32Array(size);
    sel.set(this.#boundary);
    const isB = new Uint8Array(N);
    for (const i of this.#boundary) isB[i] = 1;
    const cand = new Int32Array(N - this.#boundary.length);
    let count = 0;
    for (let i = 0; i < N; i++) if (!isB[i]) cand[count++] = i;
    const pi = this.#pi;
    for (let s = this.#boundary.length; s < size; s++) {
      let best = this.rng.int(count);
      for (let t = 1; t < k; t++) {
        const r = this.rng.int(count);
        if (pi[cand[r]] > pi[cand[best]]) best = r;
      }
      sel[s] = cand[best];
      cand[best] = cand[--count];
    }
    return sel;
  }

  /** Neighbourhood replacement, then the utilities π_i every `utilityPeriod` generations. */
  protected override survive(pop: Population | null, batch: Population): Population {
    const next = super.survive(pop, batch);
    if (!pop) {
      this.#pi.fill(1);
      this.#oldF = next.F.slice();
    } else if (!this.midPass && (this.generation - 1) % this.options.utilityPeriod! === 0) {
      this.#updateUtility(next);
    }
    return next;
  }

  #updateUtility(pop: Population): void {
    const m = pop.nObj, pi = this.#pi, old = this.#oldF;
    for (let i = 0; i < pop.size; i++) {
      const gOld = this.g(old, i * m, i), gNew = this.g(pop.F, i * m, i);
      const delta = gOld !== 0 ? (gOld - gNew) / Math.abs(gOld) : 0;
      pi[i] = delta > 0.001 ? 1 : (0.95 + 0.05 * delta / 0.001) * pi[i];
    }
    this.#oldF = pop.F.slice();
  }

  /** Saves MOEA/D-DE's state, the utilities π and the objective values they are measured from. */
  protected override saveExtra(): Record<string, unknown> {
    const extra = super.saveExtra();
    extra.pi = Array.from(this.#pi);
    extra.oldF = Array.from(this.#oldF);
    return extra;
  }

  /** Restores what {@link saveExtra} saved. */
  protected override loadExtra(extra: Record<string, unknown>): void {
    super.loadExtra(extra);
    const { n, m } = this.weights;
    const pi = extra.pi, oldF = extra.oldF;
    if (
      !Array.isArray(pi) || pi.length !== n || !Array.isArray(oldF) ||
      (oldF.length !== n * m && oldF.length !== 0)
    ) {
      throw new RangeError("MOEA/D-DRA: the saved utilities do not fit the population");
    }
    this.#pi = Float64Array.from(pi as number[]);
    this.#oldF = Float64Array.from(oldF as number[]);
  }
}
