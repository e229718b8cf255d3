/**
 * MOEA/D (Zhang & Li 2007, IEEE TEC 11(6)): the problem is decomposed into N scalar subproblems, one
 * per weight vector λ_i, each holding one solution x_i. For every subproblem i, two parents are drawn
 * from its neighbourhood B(i) (the T nearest weight vectors, i included), recombined by SBX (the first
 * child kept) and mutated by polynomial mutation; the child y lowers the ideal point z* and replaces
 * every neighbour x_j, j ∈ B(i), with g(y|λ_j, z*) ≤ g(x_j|λ_j, z*) — the original, unlimited
 * replacement. Scalarizing function: Tchebycheff (default) or PBI with θ = 5 (or a weighted sum); see
 * ./decomposition.ts for the weights and neighbourhoods.
 *
 * Ask-and-tell: one generation is one pass over the N subproblems. `ask()` returns the N children of a
 * pass, each made from the population as it was at the start of the pass; `tell()` then applies the
 * ideal-point updates and replacements child by child, in subproblem order. In the original every
 * child is evaluated before the next subproblem mates, so a child can already be a parent within the
 * same pass; the batched form is what the generational implementations of pymoo and PlatEMO-style
 * parallel evaluation do, and it lets a whole pass be evaluated at once.
 *
 * Defaults as PlatEMO's MOEAD (`OperatorGAhalf`) and pymoo: SBX p_c 1, η_c 20, per-variable 0.5;
 * PM p_m 1/n, η_m 20; T = 20 (the paper's value; PlatEMO uses ⌈N/10⌉). The population size is the
 * number of weight vectors: exactly `popSize` for 2 objectives, else the largest simplex-lattice count
 * not above it (91 for 100 and 3 objectives).
 */
import type { Population } from "../core/population.ts";
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
import { savedOptions } from "./base.ts";
import { DecompositionAlgorithm, type DecompositionOptions } from "./decomposition.ts";

/** MOEA/D settings. */
export interface MOEADOptions extends DecompositionOptions {
  /**
   * The crossover, of which the first child is kept: an operator value (default `sbx({ prob: 1 })`:
   * η 20, 3 on all-integer problems), a built-in's `{ name, ...options }`, or SBX settings over the
   * default's.
   */
  crossover?: Crossover | OperatorSpec | SbxOptions;
  /**
   * The mutation: an operator value (default `pm()`: p 1/n, η 20, 3 on all-integer problems), a
   * built-in's `{ name, ...options }`, or PM settings over the default's.
   */
  mutation?: Mutation | OperatorSpec | PmOptions;
}

/** MOEA/D with ask-and-tell, `run()`, and exact resume from `toJSON()`. */
export class MOEAD extends DecompositionAlgorithm<MOEADOptions> {
  /** "MOEA/D". */
  readonly name: string = "MOEA/D";

  /** MOEA/D on `problem` with `options`. */
  constructor(problem: Problem, options: MOEADOptions = {}) {
    super(
      "MOEA/D",
      problem,
      {
        ...options,
        crossover: resolveOperator("MOEA/D", "crossover", "crossover", options.crossover, sbx({ prob: 1 })),
        mutation: resolveOperator("MOEA/D", "mutation", "mutation", options.mutation, pm()),
      },
      true,
      1e-6,
    );
  }

  /** Restores a run saved with `toJSON()`; continuing it gives exactly the uninterrupted run. */
  static fromJSON(
    problem: Problem,
    state: AlgorithmState,
    operators?: { crossover?: Crossover; mutation?: Mutation },
  ): MOEAD {
    const options = withOperators("MOEA/D", savedOptions<MOEADOptions>(state), operators);
    return new MOEAD(problem, options).restore(state);
  }

  /** One child per subproblem, in order: SBX of two distinct neighbours, then mutation. */
  protected reproduce(pop: Population): Float64Array {
    const { nVar } = this.problem;
    const N = this.popSize;
    const X = new Float64Array(N * nVar);
    const spare = new Float64Array(nVar);
    const par = new Int32Array(2);
    const { crossover, mutation } = this.options as { crossover: Crossover; mutation: Mutation };
    const { space, rng } = this;
    for (let i = 0; i < N; i++) {
      this.pickTwo(i, false, par);
      const child = X.subarray(i * nVar, (i + 1) * nVar);
      crossover.cross(
        rng,
        pop.X.subarray(par[0] * nVar, (par[0] + 1) * nVar),
        pop.X.subarray(par[1] * nVar, (par[1] + 1) * nVar),
        child,
        spare,
        space,
      );
      mutation.mutate(rng, child, space);
    }
    return X;
  }

  /** Child i updates z*, then replaces every neighbour of subproblem i it is no worse than. */
  protected override survive(pop: Population | null, batch: Population): Population {
    if (!pop) return super.survive(null, batch);
    const next = this.clone(pop);
    const T = this.T, B = this.B, m = batch.nObj;
    for (let i = 0; i < batch.size; i++) {
      this.updateIdeal(batch.F, i * m);
      for (let t = 0; t < T; t++) {
        const j = B[i * T + t];
        if (this.improves(batch, i, next, j, false)) this.replace(batch, i, next, j);
      }
    }
    return next;
  }
}
